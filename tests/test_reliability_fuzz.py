"""Bad-input fuzz for every door a runner can push on: each command and its arguments, each
form field, and the settings and routine files glutetui reads.

The promise is the same at every door: bad input gets one line that names the problem and
the fix (exit 2 on the command line), never a traceback, a crash log, a different kind of
exception, a file changed behind the runner's back or a half-written row.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import io
import math
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import tomlkit
from app_factory import make_app
from dateutil import tz
from dateutil.relativedelta import relativedelta
from helpers import poll, run_cli
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textual.app import App
from textual.widgets import Input, Static

from glutetui import cli
from glutetui.clock import FakeClock
from glutetui.config import RANGES, Settings, load_settings, save_setting
from glutetui.domain import run_input
from glutetui.domain.record import fields
from glutetui.domain.routines import (
    MAX_STEP_SECONDS,
    RoutineError,
    parse_routine,
    total_seconds,
)
from glutetui.domain.run_flags import PARTS, PHASES, SIDES
from glutetui.domain.run_input import RunInputError
from glutetui.domain.workhours import WorkingHours
from glutetui.errors import ConfigError
from glutetui.services.routines import load_routines, shipped_routines_dir
from glutetui.services.runs import RunFormError, log_run, parse_ache, since_moment
from glutetui.store.db import open_store
from glutetui.ui.app import GlutetuiApp
from glutetui.ui.screens.morning_check import MorningCheckScreen
from glutetui.ui.screens.run_form import RunFormScreen
from glutetui.ui.widgets import settings_pane

pytestmark = pytest.mark.reliability

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
CRASH_WORDS = "stopped after an unexpected error"
TRACEBACK_LINE = re.compile(r'^\s*File ".*", line \d+', re.MULTILINE)
# Words by which a message shows the way out, not only what is wrong.
# "from 0 to 10" counts: the range is the fix.
FIX_WORDS = re.compile(r"\b(write|like|use|give|check|for example|remove|add|fix|save it|move it aside|pass|create|"
                       r"pick|choose|restore|allowed|known settings)\b|\be\.g\.|\bfrom \S+ to \S", re.IGNORECASE)

# Every place a command may write to besides its arguments; each example points them all
# into its own folder (crash logs included, so a crash in one example shows only there).
XDG_VARIABLES = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")
# The function-scoped fixtures used with @given only set things that stay the same for every
# example; each example makes its own folder.
FUZZ_SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                             HealthCheck.too_slow])
# A surrogate cannot come from a keyboard or a UTF-8 terminal; NUL cannot be in an argv.
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)


# ---- the commands -----------------------------------------------------------------------

@functools.cache
def command_parsers() -> dict[tuple[str, ...], argparse.ArgumentParser]:
    """Every command a user can type, read from the parser itself, with the parser of its arguments.
    A group such as `run` that only holds actions is not a command; its actions are.
    Built once: only read here (cli.main builds its own), and building it for every
    example was a quarter of each command's fuzz time."""
    found: dict[tuple[str, ...], argparse.ArgumentParser] = {}

    def walk(current: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        groups = [action for action in current._actions if isinstance(action, argparse._SubParsersAction)]
        if path == () or not groups:
            found[path] = current
        for group in groups:
            for name, child in group.choices.items():
                walk(child, path + (name,))

    walk(cli.build_parser(), ())
    return found


# Each command sits in exactly one set, so a new command fails test_every_command_has_a_fuzz_plan
# until someone decides how it is fuzzed.
OPENS_APP = {(), ("open",), ("warmup",)}
WRITES = {("sit",), ("stand",), ("break",), ("away",), ("run", "add"), ("run", "delete"), ("import",),
          ("merge",), ("demo",)}
READS = {("doctor",), ("status",), ("notify-test",), ("report",), ("export",), ("run", "list")}
# CI replays the same examples every run (tests/conftest.py), so these are a fixed sample per
# command; a local run draws new ones each time. 15 a command keeps the suite within its time.
EXAMPLES_PER_COMMAND = {("notify-test",): 6, ("demo",): 10}
# These print their per-file report on stdout, the reasons for an exit 2 included.
REPORT_ON_STDOUT = {("import",), ("merge",)}

NASTY = ("", " ", "\t", "-", "--", "-1", "0", "1", "007", "+5", "1.5", "1,5", "1e309", "-1e309", "nan", "NaN",
         "inf", "-inf", "Infinity", "9" * 25, "9" * 5000, "0x10", "½", "٣", "２", "é", "日本語", "🏃‍♀️", "\u200b",
         "\u00a0", "None", "null", "true", "'", '"', "\\", "%s", "{}", "[red]", "[/]", "$HOME", "~",
         "2026-02-30", "2026-13-01", "0000-00-00", "0001-01-01", "9999-12-31", "1969-12-31", "2026-W53",
         "2026-W00", "2026-W99", "x" * 300)
# Real values, so that examples get past the first check and into the command itself.
GOOD = {
    "distance": ("5k", "10 km", "5,2 km", "3.1 mi", "800 m", "half", "marathon", "1000 km", "1000.001 km",
                 "0 km", "1,500 m", "5"),
    "time": ("28:30", "1:02:15", "45 min", "1h05", "90s", "47:59:59", "48:00:00", "0:00", "60:00", "1:75:00"),
    "when": ("now", "today 07:00", "yesterday 18:00", "monday evening", "sat 7am", "last night", "this morning",
             "2026-11-20 07:00", "2016-01-01", "07:00 EST", "07:00 +25:00", "today 25:00", "tomorrow"),
    "rpe": ("1", "7", "10", "0", "11", "7.5"),
    "ache": ("knee:left:4", "hip:both:0:during", "lower-back:centre:10:next_morning", "knee:left:11",
             "elbow:left:3", "knee:up:3", "knee:left:4:later", "knee:left", "knee:left:" + "0" * 5000 + "4",
             "::::"),
    "since": ("monday", "2026-11-01", "today", "now", "2001-01-01", "2099-01-01"),
    "week": ("2026-W47", "2026-W01", "2025-W52", "2026-W53", "1969-W01", "2026-w47", "2026W47", "9999-W52",
             "0001-W01"),
    "date": ("2026-11-18", "2026-02-28", "2026-02-30", "1970-01-01", "1969-12-31", "9999-12-31", "18.11.2026"),
    "format": ("json", "csv", "xml", "JSON"),
    "weeks": ("1", "2", "0", "521", "-1", "1.5", "nan", "2**3"),
    "seed": ("0", "1", "-1", str(2**63 - 1), str(2**63), "abc"),
    "until": ("2026-11-20", "2026-02-30", "1970-01-01", "0001-01-01", "9999-12-31", "tomorrow"),
    "routine": ("pre-run", "desk-break", "strength", "mine", "bad", "../pre-run", "PRE-RUN", "nope"),
}
# Only right values: a careful example uses these, to reach what runs after every check passed.
RIGHT = {
    "distance": ("5k", "10 km", "3.1 mi", "half"), "time": ("28:30", "1:02:15", "45 min"),
    "when": ("now", "yesterday 18:00", "monday evening"), "rpe": ("1", "7", "10"),
    "ache": ("knee:left:4", "hip:both:0:during", "lower-back:centre:10:next_morning"),
    "since": ("monday", "2026-11-01", "today"), "week": ("2026-W01", "2026-W47"), "date": ("2026-01-15",),
    "format": ("json", "csv"), "weeks": ("1", "2"), "seed": ("0", "7"), "until": ("2026-01-15", "9999-12-31"),
    "routine": ("pre-run", "desk-break", "mine"),
    "db": ("glutetui.db", "new.db", "~/new.db"), "config": ("config.toml",), "out": ("new.json", "new-folder", "-"),
    "files": ("run.gpx", "strava.csv", "export.json"), "other": ("other.db",),
}
CAREFUL_CONFIGS = ("absent", "good")
CAREFUL_ROUTINES = ("none", "mine", "override")
# Names inside the example's folder (the working directory while a command runs).
PATHS = ("glutetui.db", "config.toml", "new.db", "other.db", "export.json", "strava.csv", "run.gpx", "broken.gpx",
         "garbage.bin", "empty", "folder", "folder/", "full-folder", "missing/new.db", "garbage.bin/x", "~/new.db",
         "$HOME/new2.db", "~nosuchuser-glutetui/x", "n" * 300, "", " ", "-", ".", "new.json", "new-folder")
# --svg replaces a plain file by design, so it only gets names that hold no file of the example.
SVG_PATHS = ("", " ", "folder", "folder/", "missing/week.svg", "garbage.bin/week.svg", "new.svg",
             "~nosuchuser-glutetui/week.svg", "n" * 300 + ".svg", "link-to-folder")
# --html replaces a file with --force, so it too only gets names that hold no file of the example.
HTML_PATHS = ("", " ", "folder", "folder/", "missing/page.html", "garbage.bin/page.html", "new.html",
              "~nosuchuser-glutetui/page.html", "n" * 300 + ".html", "link-to-folder")
PATH_DESTS = {"db", "config", "out", "files", "other"}
# Existing files that a command may legitimately fill: SQLite treats an empty file as an empty database.
MAY_CHANGE = {"empty"}

GOOD_ROUTINE = b'title = "Mine"\n[[steps]]\nname = "Bridge"\ncue = "Lift."\nseconds = 20\n'
CONFIGS = {
    "absent": None,
    "good": b'# kept as written\nunits = "mi"\nweek_start = "sunday"\nworking_hours = "always"\n',
    "out of range": b"remind_after = 5\n",
    "wrong type": b"units = 5\n",
    "unknown key": b'colour = "red"\n',
    "not TOML": b'units = "mi"\nunits = "km"\n',
    "not UTF-8": b"\xff\xfeu\x00",
    "nested deep": b"a = " + b"[" * 3000 + b"]" * 3000 + b"\n",
    "a folder": "folder",
}
ROUTINE_SETS = {
    "none": {},
    "mine": {"mine.toml": GOOD_ROUTINE},
    "override": {"pre-run.toml": GOOD_ROUTINE},
    "broken": {"bad.toml": b"[[steps]]\nname = \n"},
    "huge number": {"huge.toml": b'[[steps]]\nname = "a"\ncue = "b"\nseconds = ' + b"9" * 400 + b"\n"},
    "not UTF-8": {"latin.toml": 'title = "Übungen"\n'.encode("latin-1")},
}


class WouldOpenTerminal(BaseException):
    """Raised instead of starting the terminal UI. A BaseException, so the command's own
    `except Exception` (its last line of defence) lets it through to the test."""


def refuse_terminal(original):
    def run(self, *args, **kwargs):
        if kwargs.get("headless"):
            # `report --svg` paints the Progress tab off screen: no terminal, so it may run.
            return original(self, *args, **kwargs)
        raise WouldOpenTerminal

    return run


@dataclass(frozen=True)
class Template:
    files: Path  # the example folder's starting contents
    run_ids: tuple[str, ...]


@contextlib.contextmanager
def environment(**values: str):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def call(argv: list[str]) -> tuple[int | str, str, str]:
    """The command in this process, as `python -m glutetui` runs it: (exit code, stdout, stderr).
    The exit code is "app" where the terminal UI would have opened."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as stop:  # argparse: a usage error, --help or --version
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
        except WouldOpenTerminal:
            code = "app"
    return code, out.getvalue(), err.getvalue()


def example_env(folder: Path) -> dict[str, str]:
    home = folder / "home"
    env = {name: str(folder / ".xdg" / name.lower()) for name in XDG_VARIABLES}
    env.update(HOME=str(home), GLUTETUI_DB=str(folder / "glutetui.db"), GLUTETUI_CONFIG=str(folder / "config.toml"),
               DBUS_SESSION_BUS_ADDRESS=f"unix:path={folder}/no-session-bus")
    return env


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Template:
    """A folder with a real database holding a week of data and a run with aches, another
    computer's database, an export, import files, garbage, an empty file and folders."""
    files = tmp_path_factory.mktemp("fuzz-template")
    (files / "home").mkdir()
    with environment(**example_env(files)), contextlib.chdir(files):
        for argv in (["demo", "--db", "glutetui.db", "--weeks", "1"],
                     ["demo", "--db", "other.db", "--weeks", "1", "--seed", "2"],
                     ["run", "add", "--db", "glutetui.db", "--distance", "10k", "--time", "55:00", "--when",
                      "yesterday 18:00", "--rpe", "6", "--ache", "knee:left:4", "--ache", "hip:right:2:during"],
                     ["export", "--db", "glutetui.db", "--out", "export.json"]):
            code, _, err = call(argv)
            assert code == 0, err
    shutil.copy(FIXTURES / "strava_activities.csv", files / "strava.csv")
    shutil.copy(FIXTURES / "one_track.gpx", files / "run.gpx")
    shutil.copy(FIXTURES / "broken.gpx", files / "broken.gpx")
    (files / "garbage.bin").write_bytes(bytes(range(256)) * 3)
    (files / "empty").write_bytes(b"")
    (files / "folder").mkdir()
    shutil.copytree(FIXTURES, files / "full-folder")
    (files / "link-to-folder").symlink_to(files / "folder")
    shutil.rmtree(files / ".xdg", ignore_errors=True)
    # `run add` leaves its connection to the garbage collector; collected mid-test, it would fold
    # the WAL into the template behind our back. Fold it now, so every copy starts the same.
    gc.collect()
    with contextlib.closing(sqlite3.connect(files / "glutetui.db")) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        run_ids = tuple(row[0] for row in db.execute("SELECT id FROM runs ORDER BY started_at"))
    return Template(files, run_ids)


@pytest.fixture
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-examples")


@contextlib.contextmanager
def example_folder(template: Template, scratch: Path, config: str, routines: str):
    """A fresh copy of the template for one example, the working directory and every
    location variable pointing into it, removed afterwards."""
    folder = Path(tempfile.mkdtemp(dir=scratch)) / "w"
    shutil.copytree(template.files, folder, symlinks=True)
    content = CONFIGS[config]
    if content == "folder":
        (folder / "config.toml").mkdir()
    elif content is not None:
        (folder / "config.toml").write_bytes(content)
    if ROUTINE_SETS[routines]:
        (folder / "routines").mkdir()
        for name, text in ROUTINE_SETS[routines].items():
            (folder / "routines" / name).write_bytes(text)
    try:
        with environment(**example_env(folder)), contextlib.chdir(folder):
            yield folder
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


def plain_files(folder: Path) -> dict[Path, bytes]:
    """Every file that is not a SQLite database (or one of its -wal, -shm files): a command may
    read these, never change them."""
    found = {}
    for path in folder.rglob("*"):
        if (path.is_file() and not path.is_symlink() and ".xdg" not in path.parts and path.name not in MAY_CHANGE
                and not path.name.endswith(("-wal", "-shm", "-journal"))):
            data = path.read_bytes()
            if not data.startswith(b"SQLite format 3\x00"):
                found[path] = data
    return found


def values_for(dest: str, template: Template, careful: bool = False) -> st.SearchStrategy[str]:
    if careful and dest in RIGHT:
        return st.sampled_from(RIGHT[dest])
    if careful and dest in ("id", "note", "notes"):
        return st.sampled_from(template.run_ids) if dest == "id" else TEXT
    if dest == "svg":
        return st.sampled_from(SVG_PATHS)
    if dest == "html":
        return st.sampled_from(HTML_PATHS)
    if dest in PATH_DESTS:
        # Text is kept a relative name in the example's folder: a fuzzed "/x" must not write at the root.
        return st.one_of(st.sampled_from(PATHS), TEXT.map(lambda text: text.replace("/", "_").replace("..", "_")))
    if dest == "id":
        ids = st.sampled_from(template.run_ids)
        return st.one_of(ids, ids.map(lambda run_id: run_id[:8]), ids.map(lambda run_id: run_id[:7]),
                         ids.map(lambda run_id: f"  {run_id[:8].upper()} "), st.sampled_from(("%" * 8, "_" * 8)),
                         st.sampled_from(NASTY), TEXT)
    return st.one_of(st.sampled_from(GOOD.get(dest, NASTY)), st.sampled_from(NASTY), TEXT)


@st.composite
def argv_for(draw, path: tuple[str, ...], parser: argparse.ArgumentParser, template: Template,
             careful: bool = False) -> list[str]:
    """An argument list built from the command's own options: a random choice and order of
    them, awkward values, sometimes a required one missing and a stray token. A careful one
    has right values only and every required option."""
    actions = [action for action in parser._actions if not isinstance(action, argparse._SubParsersAction)]
    optionals = [action for action in actions if action.option_strings]
    positionals = [action for action in actions if not action.option_strings]
    # -h and --version exit at once; rarely, so most examples reach the command.
    common = [action for action in optionals if not isinstance(action, (argparse._HelpAction,
                                                                         argparse._VersionAction))]
    chosen = draw(st.lists(st.sampled_from(common), max_size=len(common) + 2)) if common else []
    for action in common:
        if action.required and action not in chosen and (careful or draw(st.integers(0, 9))):
            chosen.append(action)
    if not careful and draw(st.integers(0, 29)) == 0:
        chosen.append(draw(st.sampled_from([action for action in optionals if action not in common])))
    tokens: list[list[str]] = []
    for action in chosen:
        flag = draw(st.sampled_from(action.option_strings))
        if action.nargs == 0:
            tokens.append([flag])
            continue
        value = draw(values_for(action.dest, template, careful))
        tokens.append([f"{flag}={value}"] if draw(st.integers(0, 4)) == 0 else [flag, value])
    for action in positionals:
        count = {None: 1, "?": draw(st.integers(0, 1)), "+": draw(st.integers(1, 3))}[action.nargs]
        if not careful and draw(st.integers(0, 9)) == 0:
            count = 0
        tokens += [[draw(values_for(action.dest, template, careful))] for _ in range(max(count, careful))]
    tokens = list(draw(st.permutations(tokens)))
    if not careful and draw(st.integers(0, 5)) == 0:
        stray = draw(st.one_of(st.sampled_from(("--", "--bogus", "-x", "extra", "-", "--db")), TEXT))
        tokens.insert(draw(st.integers(0, len(tokens))), [stray])
    return [*path, *(token for group in tokens for token in group)]


def check_outcome(code: int | str, out: str, err: str, folder: Path, path: tuple[str, ...] = ()) -> None:
    shown = f"exit {code!r}\nstdout: {out[-2000:]}\nstderr: {err[-2000:]}"
    assert code in (0, 1, 2, "app"), shown
    for text in (out, err):
        assert "Traceback (most recent call last)" not in text, shown
        assert not TRACEBACK_LINE.search(text), shown
    assert CRASH_WORDS not in err, shown
    assert not list((folder / ".xdg").rglob("crash-*.log")), shown
    if code == 2 and path in REPORT_ON_STDOUT and not err.strip():
        assert "not imported" in out, "exit 2 without a reason\n" + shown
    elif code == 2:
        assert err.strip(), "exit 2 without a word on stderr\n" + shown
    if code == 1:
        assert (out + err).strip(), "exit 1 without a word\n" + shown


def check_databases(folder: Path) -> None:
    """Every glutetui database in the folder is sound and holds only rows a runner could have made."""
    for path in folder.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                continue
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)], path
            assert db.execute("PRAGMA foreign_key_check").fetchall() == [], path
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "runs" not in tables:
                continue
            assert db.execute(
                "SELECT count(*) FROM runs WHERE NOT (distance_m > 0 AND duration_s > 0 "
                "AND (rpe IS NULL OR rpe BETWEEN 1 AND 10) AND typeof(notes) = 'text')").fetchone() == (0,), path
            bad_aches = db.execute(
                f"SELECT count(*) FROM aches WHERE score NOT BETWEEN 0 AND 10 OR body_part NOT IN {PARTS} "
                f"OR side NOT IN {SIDES} OR phase NOT IN {PHASES} OR run_id NOT IN (SELECT id FROM runs)").fetchone()
            assert bad_aches == (0,), path
            assert [row[0] for row in db.execute("SELECT distance_m FROM runs") if not math.isfinite(row[0])] == []
            assert db.execute("SELECT count(*) FROM posture WHERE ended_at IS NULL").fetchone()[0] <= 1, path
            for table in ("posture", "reminders", "warmups", "runs", "aches"):
                columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})") if row[1].endswith("_at")]
                for column in columns:
                    for (text,) in db.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL"):
                        moment = datetime.fromisoformat(text)
                        assert moment.utcoffset() == timedelta(0), (path, table, column, text)


@pytest.fixture
def no_terminal(monkeypatch):
    # On Textual's App, not only on GlutetuiApp: whatever app a command may start, none takes the terminal.
    assert "run" not in vars(GlutetuiApp) and "run_async" not in vars(GlutetuiApp)
    monkeypatch.setattr(App, "run", refuse_terminal(App.run))
    monkeypatch.setattr(App, "run_async", refuse_terminal(App.run_async))


def test_every_command_has_a_fuzz_plan():
    """A new command (or one renamed) must be placed in one of the fuzz sets below."""
    commands = set(command_parsers())
    assert OPENS_APP | WRITES | READS == commands, (
        f"without a fuzz plan: {sorted(commands - (OPENS_APP | WRITES | READS))}; "
        f"planned but gone: {sorted((OPENS_APP | WRITES | READS) - commands)}")
    assert not (OPENS_APP & WRITES or OPENS_APP & READS or WRITES & READS)
    # The ones this suite was written against, so a parser change that drops one is seen too.
    assert {"doctor", "status", "sit", "stand", "break", "away", "notify-test", "report", "demo", "export",
            "import", "merge", "open", "warmup"} <= {path[0] for path in commands if path}


def fuzz_command(path: tuple[str, ...], template: Template, scratch: Path, data) -> None:
    """One example: a careful one (right values) or a careless one, in a fresh folder."""
    parser = command_parsers()[path]
    careful = data.draw(st.booleans(), label="careful")
    config = data.draw(st.sampled_from(CAREFUL_CONFIGS if careful else sorted(CONFIGS)), label="config")
    routines = data.draw(st.sampled_from(CAREFUL_ROUTINES if careful else sorted(ROUTINE_SETS)), label="routines")
    argv = data.draw(argv_for(path, parser, template, careful), label="argv")
    with example_folder(template, scratch, config, routines) as folder:
        before = plain_files(folder)
        code, out, err = call(argv)
        check_outcome(code, out, err, folder, path)
        if code == "app":
            assert path in OPENS_APP and not err.strip(), err
        after = plain_files(folder)
        for file, content in before.items():
            assert after.get(file) == content, f"{argv} changed or removed {file.name}"
        check_databases(folder)


# The terminal UI never starts here: `open`, `warmup` and the bare command run every check
# they make before it (settings, routines, the database file, the lock) and then meet
# WouldOpenTerminal where Textual would take over the terminal.
@pytest.mark.parametrize("path", sorted(OPENS_APP | WRITES | READS), ids=lambda path: " ".join(path) or "(none)")
def test_a_command_meets_awkward_arguments_with_a_message(path, template, scratch, no_terminal):
    @settings(max_examples=EXAMPLES_PER_COMMAND.get(path, 15), **FUZZ_SETTINGS)
    @given(data=st.data())
    def run(data):
        fuzz_command(path, template, scratch, data)

    run()


@settings(max_examples=15, **FUZZ_SETTINGS)
@given(data=st.data())
def test_write_commands_one_after_another_leave_a_sound_database(data, template, scratch):
    """Writes pile up on one database (a state, runs added and deleted, an import, a merge),
    right and wrong ones mixed; it must stay sound with only valid rows after each."""
    commands = data.draw(st.lists(st.sampled_from(sorted(WRITES - {("demo",)})), min_size=2, max_size=6),
                         label="commands")
    with example_folder(template, scratch, data.draw(st.sampled_from(CAREFUL_CONFIGS)), "none") as folder:
        for path in commands:
            careful = data.draw(st.booleans())
            argv = data.draw(argv_for(path, command_parsers()[path], template, careful), label=" ".join(path))
            code, out, err = call(argv)
            check_outcome(code, out, err, folder, path)
            check_databases(folder)


@pytest.mark.parametrize("path", sorted(OPENS_APP | WRITES | READS), ids=lambda path: " ".join(path) or "(none)")
def test_right_arguments_get_past_every_check(path, template, scratch, no_terminal):
    """The fuzz above would pass while testing little if no example could ever get through:
    here each command, given right values from RIGHT, does."""
    parser = command_parsers()[path]
    argv = list(path) + (["--db", "new.db"] if path == ("demo",) else [])
    for action in parser._actions:
        if action.required and action.option_strings:
            argv += [action.option_strings[0], RIGHT[action.dest][0]]
        elif not action.option_strings and action.nargs in (None, "+"):
            argv.append(template.run_ids[0] if action.dest == "id" else RIGHT[action.dest][0])
    with example_folder(template, scratch, "good", "mine") as folder:
        code, out, err = call(argv)
        check_outcome(code, out, err, folder, path)
    expected = {"app"} if path in OPENS_APP else {0, 1} if path == ("notify-test",) else {0}
    assert code in expected, (argv, code, out, err)


# Each of these crashed with a crash message (exit 1) before its fix; the second value is
# the exit code now and the third what the message must name.
REGRESSIONS = [
    pytest.param(["run", "add", "--distance", "5k", "--time", "28:30", "--ache", "knee:left:" + "9" * 5000],
                 2, "--ache", id="ache score of 5000 digits"),
    # Leading zeros are only zeros, as for the effort (RPE): this is a 4.
    pytest.param(["run", "add", "--distance", "5k", "--time", "28:30", "--ache", "knee:left:" + "0" * 5000 + "4"],
                 0, "knee 4/10", id="ache score of 4 after 5000 zeros"),
    pytest.param(["demo", "--db", "new.db", "--weeks", "1", "--until", "9999-12-31"], 0, "Added",
                 id="demo until the last day there is"),
    pytest.param(["demo", "--db", "new.db", "--weeks", "1", "--until", "0001-01-01"], 2, "--until",
                 id="demo until the first day there is"),
    # Bytes that are not UTF-8 reach argv as lone surrogates (Python's surrogateescape).
    pytest.param(["run", "add", "--distance", "5k", "--time", "28:30", "--notes", "caf\udce9"], 2, "--notes",
                 id="notes not UTF-8"),
    pytest.param(["sit", "--note", "caf\udce9"], 2, "--note", id="state note not UTF-8"),
    pytest.param(["run", "delete", "\udcff" * 8], 2, "ID", id="run id not UTF-8"),
    pytest.param(["--db", "~nosuchuser-glutetui/x.db", "status"], 2, "--db", id="db of an unknown user's home"),
    pytest.param(["report", "--config", "~nosuchuser-glutetui/c.toml"], 2, "--config",
                 id="config of an unknown user's home"),
    pytest.param(["report", "--svg", "~nosuchuser-glutetui/week.svg"], 2, "--svg", id="svg of an unknown user's home"),
    pytest.param(["--config", "deep.toml", "status"], 2, "nested too deep", id="settings nested too deep"),
    pytest.param(["warmup", "huge"], 2, "no routine called 'huge'", id="routine with a huge number"),
    # Python 3.11's argparse made "--distance=--" an empty list, which crashed the command.
    pytest.param(["run", "add", "--distance=--", "--time", "28:30"], 2, "'--' is not a distance",
                 id="a distance of --"),
    pytest.param(["run", "add", "--distance", "5k", "--time", "28:30", "--notes=--"], 0, "Logged",
                 id="notes of --"),
]


@pytest.mark.parametrize(("argv", "expected", "named"), REGRESSIONS)
def test_found_by_the_fuzz_now_a_message(argv, expected, named, template, scratch, no_terminal):
    with example_folder(template, scratch, "absent", "huge number") as folder:
        (folder / "deep.toml").write_bytes(CONFIGS["nested deep"])
        code, out, err = call(argv)
        check_outcome(code, out, err, folder)
        assert code == expected and named in (err if code else out), (code, out, err)
        check_databases(folder)


def test_demo_until_a_day_still_fills_that_week(template, scratch):
    """The --until fix keeps its meaning: data up to the end of that day."""
    with example_folder(template, scratch, "absent", "none") as folder:
        code, out, err = call(["demo", "--db", "new.db", "--weeks", "1", "--until", "2026-01-15"])
        assert code == 0, err
        with contextlib.closing(sqlite3.connect(folder / "new.db")) as db:
            last = db.execute("SELECT max(started_at) FROM posture").fetchone()[0]
        assert "2026-01-09" <= last[:10] <= "2026-01-15"


# What a user sees: the same exit code and message from a real process as from main().
@pytest.mark.parametrize("argv", [
    ["run", "add", "--distance", "5 parsecs", "--time", "28:30"],
    ["demo", "--db", "new.db", "--weeks", "nan"],
    ["report", "--week", "2026-W99"],
    ["--config", "garbage.bin", "status"],
], ids=["bad distance", "demo weeks nan", "week 99", "settings not UTF-8"])
def test_a_real_process_says_what_main_says(argv, template, scratch):
    with example_folder(template, scratch, "absent", "none") as folder:
        code, out, err = call(argv)
        real = run_cli(*argv)
        check_outcome(real.returncode, real.stdout, real.stderr, folder)
        assert (real.returncode, real.stderr) == (code, err)
        assert code == 2 and err.strip()


# ---- the form fields: the checks behind them -------------------------------------------
# The run form and `glutetui run add` share these parsers; the Settings tab has a check per
# field. Fast and pure, so they get many examples; the pilot tests further down are few.

BERLIN = tz.gettz("Europe/Berlin")
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=timezone.utc)
ZONES = st.sampled_from(["Europe/Berlin", "America/St_Johns", "Pacific/Kiritimati", "UTC", "Australia/Lord_Howe",
                         "America/Havana"]).map(tz.gettz)
NOWS = st.sampled_from([NOW, datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc),
                        datetime(2026, 10, 25, 0, 45, tzinfo=timezone.utc),
                        datetime(2027, 1, 1, 0, 0, 30, tzinfo=timezone.utc)])
NUMBERISH = st.from_regex(r"\A\s*[+-]?(\d{1,12}|\d{0,6}[.,]\d{1,6}|\d{4301})\s*[a-zA-Z]{0,10}\s*\Z")
CLOCKISH = st.from_regex(r"\A\d{1,3}(:\d{1,3}){0,3}\s*(h|m|s|min|hours?|am|pm)?\Z")
WHEN_WORDS = ("today", "yesterday", "tomorrow", "monday", "sat", "su", "this", "last", "night", "morning",
              "evening", "noon", "at", "7am", "12pm", "0am", "13pm", "18:00", "25:00", "7:60", "2026-11-20",
              "2026-02-30", "20", "Nov", "+01:00", "-25:00", "+99:99", "Z", "UTC", "EST", "T", "1", "2026",
              "10000", "0001-01-01", "9999-12-31", "1970-01-01T00:00:00", "1e9", "½")
WHENISH = st.lists(st.sampled_from(WHEN_WORDS), min_size=1, max_size=5).map(" ".join)
FIELD_TEXT = st.one_of(TEXT, st.sampled_from(NASTY), st.sampled_from(sorted({text for texts in GOOD.values()
                                                                              for text in texts})),
                      NUMBERISH, CLOCKISH, WHENISH)


def check_field_error(error: RunInputError, field: str) -> None:
    """One line, for the form to show under the field it marks, with the way out in it."""
    message = str(error)
    assert message and "\n" not in message, message
    assert FIX_WORDS.search(message), f"no way out in: {message}"
    assert error.field == field


@settings(max_examples=100, deadline=None)
@given(text=FIELD_TEXT)
@example(text="9" * 5000 + " km")
@example(text="1,500 m")
@example(text="0 km")
def test_distance_field_gives_metres_or_a_message(text):
    try:
        metres = run_input.parse_distance(text)
    except RunInputError as error:
        check_field_error(error, run_input.DISTANCE)
    else:
        assert 0 < metres <= run_input.LONGEST_DISTANCE_M and math.isfinite(metres)


@settings(max_examples=100, deadline=None)
@given(text=FIELD_TEXT)
@example(text="9" * 5000 + ":00")
@example(text="1h75")
def test_time_field_gives_seconds_or_a_message(text):
    try:
        seconds = run_input.parse_duration(text)
    except RunInputError as error:
        check_field_error(error, run_input.DURATION)
    else:
        assert isinstance(seconds, int) and 0 < seconds < run_input.LONGEST_DURATION_S


@settings(max_examples=100, deadline=None)
@given(text=FIELD_TEXT, now=NOWS, zone=ZONES)
@example(text="2026-10-25 02:30", now=NOW, zone=BERLIN)
@example(text="07:00 +25:00", now=NOW, zone=BERLIN)
def test_when_field_gives_a_moment_in_the_last_ten_years_or_a_message(text, now, zone):
    try:
        moment = run_input.parse_when(text, now, zone)
    except RunInputError as error:
        check_field_error(error, run_input.WHEN)
    else:
        assert moment.utcoffset() == timedelta(0)
        assert now - relativedelta(years=10) <= moment <= now + run_input.FUTURE_SLACK


@settings(max_examples=75, deadline=None)
@given(text=FIELD_TEXT, now=NOWS, zone=ZONES)
def test_since_gives_a_moment_or_names_the_option(text, now, zone):
    try:
        moment = since_moment(text, now, zone)
    except RunFormError as error:
        assert error.option == "--since" and FIX_WORDS.search(str(error))
    else:
        assert moment is not None and moment <= now + run_input.FUTURE_SLACK


@settings(max_examples=100, deadline=None)
@given(text=FIELD_TEXT)
def test_effort_field_gives_one_to_ten_or_a_message(text):
    try:
        rpe = run_input.parse_rpe(text)
    except RunInputError as error:
        check_field_error(error, run_input.RPE)
    else:
        assert rpe in range(1, 11)


ACHEISH = st.lists(st.one_of(st.sampled_from(PARTS + SIDES + PHASES + ("lower-back", "KNEE", " hip ", "10")),
                             FIELD_TEXT), min_size=1, max_size=5).map(":".join)


@settings(max_examples=100, deadline=None)
@given(text=ACHEISH)
@example(text="knee:left:" + "0" * 5000 + "4")
@example(text="knee:left:٤")
def test_an_ache_is_a_part_side_score_and_phase_or_a_message(text):
    try:
        ache = parse_ache(text)
    except RunFormError as error:
        assert error.option == "--ache" and FIX_WORDS.search(str(error)), str(error)
    else:
        assert (ache.body_part in PARTS and ache.side in SIDES and ache.phase in PHASES
                and ache.score in range(0, 11))


SETTINGS_TEXT = st.one_of(FIELD_TEXT, st.from_regex(r"\A[A-Za-z, -]{0,20} \d{1,3}:\d{1,3}\s*-\s*\d{1,3}:\d{1,3}\Z"),
                          st.lists(st.from_regex(r"\A\d{1,2}:\d{2}-\d{1,2}:\d{2}\Z"), max_size=3).map(", ".join))


@settings(max_examples=100, deadline=None)
@given(field=st.sampled_from(sorted(settings_pane.FIELDS)), text=SETTINGS_TEXT)
@example(field="remind-input", text="9" * 5000)
@example(field="goal-input", text="nan")
@example(field="goal-input", text="1e400")
@example(field="hours-input", text="Mon-Fri 08:00-24:00")
def test_a_settings_field_gives_what_the_settings_file_accepts_or_a_message(field, text):
    """What a Settings field accepts is saved to the file; so it must load back as itself."""
    key, check = settings_pane.FIELDS[field]
    value, problem = check(text)
    if problem is not None:
        assert value is None and isinstance(problem, str) and FIX_WORDS.search(problem), problem
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        save_setting(path, key, value)
        assert getattr(load_settings(path), key) == value


@pytest.mark.parametrize(("text", "hours"), [("6", 6.0), ("5.5", 5.5), ("5,5", 5.5), (" 7 ", 7.0), ("7,25", 7.25),
                                           ("1e1", None), ("5_0", None), ("\u0665", None), ("inf", None),
                                           ("nan", None), ("0x5", None), ("", None), ("9" * 400, None)])
def test_the_goal_field_takes_hours_as_typed_and_nothing_float_alone_would(text, hours):
    value, problem = settings_pane.FIELDS["goal-input"][1](text)
    assert value == hours and (problem is None) == (hours is not None)


# ---- the form fields, typed into the running app ----------------------------------------

# A few bad strings each, typed (short ones) or pasted (long ones) into the real widgets.
BAD_RUN_FIELDS = {
    "distance": ("5 parsecs", "", "9" * 5000 + " km"),
    "time": ("half an hour", "1:75:00", "9" * 5000 + " min"),
    "when": ("tomorrow 07:00", "07:00 EST", "0001-01-01"),
    "rpe": ("11", "7.5", "٧"),
}
BAD_SCORES = ("11", "x", "٣", " 5 5")
QUIET_CONFIG = "remind_desktop = false\nremind_in_app = false\nremind_bell = false\n"


async def put(pilot, field: Input, text: str, typed: bool = False) -> None:
    """`text` into `field`: typed key by key as a runner would, or else pasted (a key costs 0.1 s)."""
    field.value = ""
    field.focus()
    if typed:
        await pilot.press(*text)
    else:
        field.value = text
    await pilot.pause()


def stored_runs(db) -> list[tuple]:
    return db.execute("SELECT distance_m, duration_s, rpe, notes FROM runs").fetchall()


async def test_the_run_form_refuses_bad_text_in_every_field_and_stores_nothing(locations):
    locations.config.write_text(QUIET_CONFIG)
    app = make_app(locations, FakeClock(NOW, zone="Europe/Berlin"))
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press("3", "n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RunFormScreen)
        good = {"distance": "10 km", "time": "55:00", "when": "now", "rpe": "6"}
        for field, bad_texts in BAD_RUN_FIELDS.items():
            for text in bad_texts:
                for name, value in {**good, field: text}.items():
                    form.query_one(f"#{name}-input", Input).value = value
                await put(pilot, form.query_one(f"#{field}-input", Input), text, typed=len(text) <= 2)
                await pilot.press("ctrl+s")
                await pilot.pause()
                assert app.screen is form, (field, text)
                if field == "distance" and not text:
                    assert form.problem("distance"), "an empty distance is not a run"
                else:
                    assert FIX_WORDS.search(form.problem(field)), (field, text, form.problem(field))
                assert form.query_one(f"#{field}-input", Input).value == text  # kept for mending
        for name, value in good.items():
            form.query_one(f"#{name}-input", Input).value = value
        for score in BAD_SCORES:
            await put(pilot, form.query_one("#knee-score", Input), score, typed=len(score) <= 2)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is form and "is not a score" in form.problem("aches"), score
        assert stored_runs(app.db) == []
        # Notes take any text; markup-like text is stored and shown as it is.
        form.query_one("#knee-score", Input).value = ""
        await put(pilot, form.query_one("#notes-input", Input), "[bold]hills[/ ] [link=x]")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RunFormScreen)
        assert stored_runs(app.db) == [(10000.0, 3300, 6, "[bold]hills[/ ] [link=x]")]


BAD_SETTINGS = {
    "hours-input": ("Fri-Mon 8:00-18:00", "Mon-Fri 25:00-26:00", "Mon- 08:00-18:00"),
    "goal-input": ("lots", "nan", "1e400"),
    "remind-input": ("5", "9" * 5000, "٣٠"),
    "quiet-input": ("12-13", "24:00-24:00", "12:00-13:00,,x"),
}


async def test_the_settings_fields_refuse_bad_text_and_leave_the_file_as_it_was(locations, clock):
    locations.config.write_text("# mine\n" + QUIET_CONFIG)
    written = locations.config.read_bytes()
    app = make_app(locations, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        for input_id, bad_texts in BAD_SETTINGS.items():
            field = app.main_screen.query_one(f"#{input_id}", Input)
            note = app.main_screen.query_one(f"#{input_id.replace('-input', '-problem')}", Static)
            for text in bad_texts:
                await put(pilot, field, text, typed=len(text) <= 2)
                assert note.has_class("field-problem"), (input_id, text)  # said while typing
                await pilot.press("enter")
                await pilot.pause()
                assert note.has_class("field-problem") and FIX_WORDS.search(str(note.content)), (input_id, text)
                assert field.value == text
        assert locations.config.read_bytes() == written
    assert load_settings(locations.config) == Settings(remind_desktop=False, remind_in_app=False, remind_bell=False)


async def test_the_morning_check_refuses_bad_scores_and_stores_none(locations):
    clock = FakeClock(datetime(2026, 11, 18, 5, 30, tzinfo=timezone.utc), zone="Europe/Berlin")
    db = open_store(locations.db)
    log_run(db, datetime(2026, 11, 17, 17, 30, tzinfo=timezone.utc), clock.local_zone(), distance="12k",
            duration="1:05:00", aches=["knee:left:4"])
    db.close()
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await poll(pilot)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MorningCheckScreen)
        [field] = screen.query(Input)
        for text in (*BAD_SCORES, "9" * 5000, "1e1"):
            await put(pilot, field, text, typed=len(text) <= 2)
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is screen, text
            assert "is not a whole number from 0 to 10" in str(screen.query_one("#morning-problem", Static).content)
        assert app.db.execute("SELECT count(*) FROM aches WHERE phase = 'next_morning'").fetchone() == (0,)


# ---- the settings file ------------------------------------------------------------------

KNOWN_KEYS = sorted(fields(Settings))
TOML_VALUES = st.one_of(
    st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=True, allow_infinity=True),
    TEXT, st.sampled_from(["km", "mi", "monday", "sunday", "always", "Mon-Fri 08:00-18:00", "12:00-13:00",
                           "textual-dark", "nope"]),
    st.integers(0, 200), st.lists(st.integers(), max_size=3), st.dates(), st.times(),
    st.datetimes(timezones=st.just(timezone.utc)), st.dictionaries(st.sampled_from(["a", "b"]), st.integers(), max_size=2),
)
TOML_DOCUMENTS = st.dictionaries(st.one_of(st.sampled_from(KNOWN_KEYS), st.sampled_from(["colour", "Units", "bell "]), TEXT),
                                 TOML_VALUES, max_size=5).map(tomlkit.dumps)
# Known keys with values near their limits: most of these load, so the happy path is fuzzed too.
NEAR_RIGHT = st.dictionaries(st.sampled_from(KNOWN_KEYS), st.one_of(
    st.integers(-2, 130), st.floats(-1, 20), st.booleans(),
    st.sampled_from(["km", "mi", "monday", "sunday", "always", "Mon-Fri 08:00-18:00", "", "12:00-13:00"])),
    max_size=4).map(tomlkit.dumps)
TOMLISH = st.text(st.sampled_from(list('=[]{}"\'#.,\n \t-_:+abcdeimnorstu0123456789')), max_size=80)
FILE_CONTENTS = st.one_of(st.binary(max_size=200), TOMLISH.map(str.encode), TOML_DOCUMENTS.map(str.encode),
                          NEAR_RIGHT.map(str.encode), TEXT.map(str.encode))
DEEP = b"a = " + b"[" * 3000 + b"]" * 3000 + b"\n"


@settings(max_examples=150, **FUZZ_SETTINGS)
@given(content=FILE_CONTENTS)
@example(content=DEEP)
@example(content=b"sitting_goal_hours = " + b"9" * 400 + b"\n")
@example(content=b"snooze_cap = nan\n")
@example(content=b'theme = "[red]"\n')
@example(content=b"\xef\xbb\xbfunits = \"mi\"\n")
def test_the_settings_file_loads_or_says_which_file_and_how_to_fix_it(content, tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    try:
        loaded = load_settings(path)
    except ConfigError as error:
        assert str(path) in str(error) and FIX_WORDS.search(str(error)), str(error)
    else:
        for key, (low, high) in RANGES.items():
            assert low <= getattr(loaded, key) <= high
        assert loaded.units in ("km", "mi") and loaded.week_start in ("monday", "sunday")
        WorkingHours.parse(loaded.working_hours)
    assert path.read_bytes() == content
    # The Settings tab writes through save_setting: it must not overwrite what it could not read.
    try:
        save_setting(path, "units", "mi")
    except ConfigError as error:
        assert str(path) in str(error)
        assert path.read_bytes() == content


# ---- routine files ----------------------------------------------------------------------

STEP_VALUES = st.one_of(st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                        st.floats(allow_nan=True, allow_infinity=True), TEXT, st.integers(0, 40),
                        st.floats(0.1, 3600), st.lists(st.integers(), max_size=2), st.times())
STEP_KEYS = ["name", "cue", "seconds", "reps", "seconds_per_rep", "sides", "switch_seconds"]
STEPS = st.dictionaries(st.one_of(st.sampled_from(STEP_KEYS), TEXT), STEP_VALUES, max_size=6)
ROUTINE_DOCUMENTS = st.fixed_dictionaries(
    {"steps": st.one_of(st.lists(STEPS, max_size=3), STEP_VALUES)},
    optional={"title": st.one_of(TEXT, STEP_VALUES), "description": TEXT, "rounds": STEP_VALUES,
              "extra": STEP_VALUES},
).map(tomlkit.dumps)
ROUTINE_CONTENTS = st.one_of(st.binary(max_size=200), TOMLISH.map(str.encode), ROUTINE_DOCUMENTS.map(str.encode))


@settings(max_examples=150, **FUZZ_SETTINGS)
@given(content=ROUTINE_CONTENTS)
@example(content=b'[[steps]]\nname = "a"\ncue = "b"\nseconds = ' + b"9" * 400 + b"\n")
@example(content=b'[[steps]]\nname = "a"\ncue = "b"\nreps = 3\nseconds_per_rep = ' + b"9" * 400 + b"\n")
@example(content=b'[[steps]]\nname = "a"\ncue = "b"\nseconds = 5\nsides = true\nswitch_seconds = -' + b"9" * 400)
@example(content=DEEP)
def test_a_routine_file_loads_or_is_one_problem_line_naming_it(content, tmp_path):
    folder = tmp_path / "routines"
    folder.mkdir(exist_ok=True)
    path = folder / "mine.toml"
    path.write_bytes(content)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        try:
            routine = parse_routine(text, "mine", str(path))
        except RoutineError as error:
            assert str(path) in str(error) and "\n" not in str(error), str(error)
        else:
            assert routine.steps and 1 <= routine.rounds <= 20
            assert all(0 < step.seconds <= 500 * MAX_STEP_SECONDS for step in routine.steps)
            assert math.isfinite(total_seconds(routine))
    book = load_routines(folder)
    shipped = {file.stem for file in shipped_routines_dir().glob("*.toml")}
    assert shipped <= set(book.routines)
    assert ("mine" in book.routines) != any(str(path) in problem for problem in book.problems)
    assert path.read_bytes() == content


@pytest.mark.parametrize(("config", "routines"), [
    ("nested deep", "none"), ("not UTF-8", "none"), ("a folder", "none"), ("out of range", "broken"),
    ("absent", "huge number"), ("absent", "not UTF-8"),
])
def test_doctor_names_a_bad_settings_or_routine_file(config, routines, template, scratch):
    with example_folder(template, scratch, config, routines) as folder:
        code, out, err = call(["doctor"])
        check_outcome(code, out, err, folder)
        assert code == 1
        problems = [line for line in out.splitlines() if line.startswith("problem: ")]
        assert any(("config.toml" if config != "absent" else "routines") in line for line in problems), out
        assert all("config.toml" in line or "routines" in line for line in problems), out
