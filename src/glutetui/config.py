"""Settings: a small TOML file in the user's config dir.

Read with tomllib (it reports line and column), or for a file of plain `key = value`
lines with `flat_settings`; written back with tomlkit so a user's comments and ordering
survive a change made on the Settings tab.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from glutetui.domain.record import fields, record
from glutetui.domain.reminders import QUIET_EXAMPLE, QuietHours, QuietHoursError
from glutetui.domain.workhours import (
    DEFAULT_WORKING_HOURS,
    WorkingHours,
    WorkingHoursError,
)
from glutetui.errors import ConfigError
from glutetui.paths import UnreadableText, read_small_text, write_atomically, write_fix

DEFAULT_THEME = "textual-dark"

WEEK_STARTS = ("monday", "sunday")


@record
class Settings:
    theme: str = DEFAULT_THEME
    bell: bool = True  # terminal bell in the warm-up and desk-move countdowns and at each step change
    voice: bool = False  # speak each step's name where a voice program exists
    working_hours: str = DEFAULT_WORKING_HOURS  # when sitting is assumed; "always" is allowed
    sitting_goal_hours: float = 6.0  # most sitting a day the runner aims for
    break_min: int = 1  # minutes up from the chair that end a sitting bout
    remind_after: int = 30  # minutes of bout before a stand-up reminder
    gap_after: int = 2  # minutes without a tick that mean the app was not running
    idle_after: int = 5  # minutes without keyboard or mouse that mean away
    repeat_every: int = 10  # minutes before an unanswered reminder asks again
    snooze_cap: int = 3  # snoozes a day; after that only take or skip
    quiet_hours: str = ""  # daily spans with no reminders, e.g. "12:00-13:00, 16:30-17:00"
    remind_in_app: bool = True  # a reminder opens a window in the app with a desk move
    remind_bell: bool = True  # a reminder rings the terminal bell
    remind_desktop: bool = True  # a reminder also sends a desktop notification
    units: str = "km"  # distances in km or mi; pace per km or per mile
    week_start: str = "monday"  # the first day of a week on Progress and in reports: monday or sunday

    @property
    def hours(self) -> WorkingHours:
        return WorkingHours.parse(self.working_hours)

    @property
    def sitting_goal_minutes(self) -> int:
        return round(self.sitting_goal_hours * 60)


_FIELDS = fields(Settings)  # name: annotation text
_EXAMPLES = {
    "theme": 'theme = "textual-dark"',
    "bell": "bell = true",
    "voice": "voice = false",
    "working_hours": 'working_hours = "Mon-Fri 08:00-18:00"',
    "sitting_goal_hours": "sitting_goal_hours = 6",
    "break_min": "break_min = 1",
    "remind_after": "remind_after = 30",
    "gap_after": "gap_after = 2",
    "idle_after": "idle_after = 5",
    "repeat_every": "repeat_every = 10",
    "snooze_cap": "snooze_cap = 3",
    "quiet_hours": QUIET_EXAMPLE,
    "remind_in_app": "remind_in_app = true",
    "remind_bell": "remind_bell = true",
    "remind_desktop": "remind_desktop = true",
    "units": 'units = "km" (or "mi")',
    "week_start": 'week_start = "monday" (or "sunday")',
}
RANGES = {
    "sitting_goal_hours": (1, 16),
    "break_min": (1, 30),
    "remind_after": (10, 120),
    "gap_after": (1, 60),
    "idle_after": (1, 120),
    "repeat_every": (5, 60),
    "snooze_cap": (0, 10),
}


def load_settings(path: Path) -> Settings:
    """Settings from `path`; defaults where the file or a key is absent."""
    if not path.exists():
        return Settings()
    data = _parse(path, _read_text(path))
    return _validate(path, data)


def save_setting(path: Path, key: str, value: object) -> None:
    """Change one key, keep everything else in the file as the user wrote it."""
    import tomlkit  # only a change needs it; reading settings (every `glutetui status`) does not

    if key not in _FIELDS:
        raise ConfigError(f"{path}: there is no setting called {key!r}.")
    if path.exists():
        text = _read_text(path)
        _parse(path, text)  # never overwrite a file we could not read
        document = tomlkit.parse(text)
    else:
        document = tomlkit.document()
    document[key] = value
    _write_atomically(path, tomlkit.dumps(document))


def _read_text(path: Path) -> str:
    try:
        return read_small_text(path)
    except UnreadableText as problem:
        if path.is_dir():
            raise ConfigError(f"{path}: is a folder, not a settings file. Pass a file path with --config.") from None
        if not path.is_file():  # a pipe or a device: nothing to fix in it, only another path to give
            raise ConfigError(f"{path}: {problem}. Pass a settings file with --config.") from None
        raise ConfigError(f"{path}: {problem}. Or move it aside to start from defaults.") from None


# One `key = value` line of the TOML subset flat_settings reads: a bare key; a string with
# no escape, quote or control character; true or false; a decimal number without sign
# '+', exponent or underscores. A comment may follow. Anything else goes to tomllib.
_FLAT_LINE = re.compile(
    r'[ \t]*([A-Za-z0-9_]+)[ \t]*=[ \t]*("[^"\\\x00-\x1f\x7f]*"|true|false|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?)'
    r'[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?'
)
_BLANK_OR_COMMENT = re.compile(r'[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?')


def flat_settings(text: str) -> dict | None:
    """The settings in `text` when every line is blank, a comment or a plain `key = value`
    (how glutetui writes the file); None for anything else, which tomllib then reads.

    `glutetui status` runs every 15 s in a tmux line, and importing tomllib (with typing)
    was a fifth of its time. Giving up on the first line outside the subset keeps the two
    readers from ever disagreeing; tests compare them on generated files."""
    text = text.replace("\r\n", "\n")  # TOML ends lines with LF or CRLF; a lone CR is an error
    if "\r" in text:
        return None
    data: dict[str, object] = {}
    for line in text.split("\n"):
        if _BLANK_OR_COMMENT.fullmatch(line):
            continue
        match = _FLAT_LINE.fullmatch(line)
        if match is None or match[1] in data:
            return None
        data[match[1]] = _flat_value(match[2])
    return data


def _flat_value(text: str) -> object:
    if text.startswith('"'):
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    return float(text) if "." in text else int(text)


def _parse(path: Path, text: str) -> dict:
    flat = flat_settings(text)
    if flat is not None:
        return flat
    import tomllib  # here: a file of plain `key = value` lines, as `glutetui status` mostly meets, needs none

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"{path}: is not valid TOML ({error}). Fix the file, or move it aside to start from defaults."
        ) from None
    except RecursionError:  # tomllib reads nested brackets by recursion
        raise ConfigError(
            f"{path}: is not valid TOML (brackets nested too deep). Fix the file, or move it aside to start "
            "from defaults."
        ) from None


def _validate(path: Path, data: dict) -> Settings:
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        known = ", ".join(sorted(_FIELDS))
        raise ConfigError(f"{path}: unknown setting {unknown[0]!r}. Remove or rename it; known settings: {known}.")
    for key, value in data.items():
        expected = _FIELDS[key]
        if expected == "str" and not isinstance(value, str):
            raise ConfigError(f"{path}: {key!r} must be text in quotes, for example: {_EXAMPLES[key]}")
        if expected == "bool" and not isinstance(value, bool):
            raise ConfigError(f"{path}: {key!r} must be true or false, for example: {_EXAMPLES[key]}")
        if expected in ("int", "float"):
            _check_number(path, key, value, whole=expected == "int")
    if "working_hours" in data:
        try:
            WorkingHours.parse(data["working_hours"])
        except WorkingHoursError as error:
            raise ConfigError(f"{path}: working_hours {error}. For example: {_EXAMPLES['working_hours']}") from None
    if data.get("units", "km") not in ("km", "mi"):
        raise ConfigError(f"{path}: units must be \"km\" or \"mi\", for example: {_EXAMPLES['units']}")
    if data.get("week_start", "monday") not in WEEK_STARTS:
        raise ConfigError(f"{path}: week_start must be \"monday\" or \"sunday\", for example: "
                          f"{_EXAMPLES['week_start']}")
    if "quiet_hours" in data:
        try:
            QuietHours.parse(data["quiet_hours"])
        except QuietHoursError as error:
            raise ConfigError(f"{path}: quiet_hours {error}. For example: {_EXAMPLES['quiet_hours']}") from None
    return Settings(**data)


def _check_number(path: Path, key: str, value: object, *, whole: bool) -> None:
    low, high = RANGES[key]
    kind = "a whole number" if whole else "a number"
    is_number = isinstance(value, int) if whole else isinstance(value, (int, float))
    if isinstance(value, bool) or not is_number or not low <= value <= high:
        raise ConfigError(f"{path}: {key!r} must be {kind} from {low} to {high}, for example: {_EXAMPLES[key]}")


def _write_atomically(path: Path, text: str) -> None:
    """Replace the file the settings live in, not the path's link to it: a config.toml that a
    dotfile manager links into place stays a link, and the file behind it keeps its mode. The
    temporary file goes beside the target, so the rename stays on one file system."""
    try:
        target = path.resolve(strict=False) if path.is_symlink() else path
    except (OSError, RuntimeError):  # RuntimeError: a loop of links, before Python 3.13
        raise ConfigError(f"{path}: is a link that leads back to itself. Fix the link, or remove it.") from None
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = None  # a new file: private, like the database
    try:
        write_atomically(target, text, prefix=".config-", mode=mode)
    except OSError as error:
        raise ConfigError(f"{path}: cannot be written ({error.strerror}). {write_fix(error)}") from None
