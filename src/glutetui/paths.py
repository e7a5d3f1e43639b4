"""Where glutetui keeps its files, and how tests and users override that."""

from __future__ import annotations

import codecs
import errno
import io
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from glutetui.domain.record import record
from glutetui.errors import UserFacingError

APP_NAME = "glutetui"
DB_ENV = "GLUTETUI_DB"
CONFIG_ENV = "GLUTETUI_CONFIG"

# The XDG folders platformdirs gives on Linux and the BSDs, worked out here: importing
# platformdirs was a tenth of what a `glutetui status` call costs (benchmarks/RESULTS.md).
# macOS and Windows still ask platformdirs. tests/test_paths.py holds the two equal.
_XDG_DEFAULTS = {
    "XDG_DATA_HOME": "~/.local/share",
    "XDG_CONFIG_HOME": "~/.config",
    "XDG_STATE_HOME": "~/.local/state",
}


def _uses_xdg() -> bool:
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def _xdg_folder(variable: str) -> Path:
    """$XDG_..._HOME when it is an absolute path (the spec ignores a relative one), else its default."""
    value = os.environ.get(variable, "")
    if os.path.isabs(value):
        return Path(value) / APP_NAME
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):  # unset or relative: the account's own home, as platformdirs does
        import pwd

        home = pwd.getpwuid(os.getuid()).pw_dir
    return Path(home) / _XDG_DEFAULTS[variable].removeprefix("~/") / APP_NAME


def _platform_dirs():
    from platformdirs import PlatformDirs

    return PlatformDirs(APP_NAME, appauthor=False)


def user_data_dir() -> Path:
    return _xdg_folder("XDG_DATA_HOME") if _uses_xdg() else Path(_platform_dirs().user_data_dir)


def user_config_dir() -> Path:
    return _xdg_folder("XDG_CONFIG_HOME") if _uses_xdg() else Path(_platform_dirs().user_config_dir)


def user_state_dir() -> Path:
    return _xdg_folder("XDG_STATE_HOME") if _uses_xdg() else Path(_platform_dirs().user_state_dir)


@record
class Locations:
    db: Path
    config: Path
    db_is_default: bool

    @property
    def user_routines(self) -> Path:
        return self.config.parent / "routines"


def default_db_path() -> Path:
    return user_data_dir() / "glutetui.db"


def default_config_path() -> Path:
    return user_config_dir() / "config.toml"


def log_dir() -> Path:
    return user_state_dir() / "log" if _uses_xdg() else Path(_platform_dirs().user_log_dir)


def resolve(db: str | os.PathLike | None = None, config: str | os.PathLike | None = None) -> Locations:
    """A flag beats the environment, which beats the platform default."""
    db_value = db or os.environ.get(DB_ENV) or None
    config_value = config or os.environ.get(CONFIG_ENV) or None
    return Locations(
        db=user_path(db_value, "--db" if db else DB_ENV) if db_value else default_db_path(),
        config=user_path(config_value, "--config" if config else CONFIG_ENV) if config_value else default_config_path(),
        db_is_default=db_value is None,
    )


def user_path(value: str | os.PathLike, what: str) -> Path:
    """A path as the user typed it (~, $VARS), made absolute; `what` names the flag in the message."""
    try:
        return Path(os.path.expandvars(os.fspath(value))).expanduser().absolute()
    except RuntimeError:  # ~name of a user this system does not have
        raise UserFacingError(f"{what}: {value} names the home folder of an unknown user; check the path") from None


def lock_dir() -> Path:
    """Locks named by a database's inode (store/lock.py): in a folder of the user's own, never /tmp."""
    return user_state_dir() / "locks"


def data_dir() -> Path:
    """Shipped content: inside the installed package, or data/ in a source checkout."""
    # The package's own folder, which is what importlib.resources.files("glutetui") gives for
    # a package on disk; importing importlib.resources cost start-up 10 ms.
    packaged = Path(__file__).parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


MAX_TEXT_FILE_BYTES = 1024 * 1024  # a settings or routine file is a few KiB; far more is not one of ours


class UnreadableText(Exception):
    """Why a small text file cannot be used, without its path: `str()` follows "PATH: "."""


def read_small_text(path: Path, limit: int = MAX_TEXT_FILE_BYTES) -> str:
    """The text of a settings or routine file, read so that no file can hang or flood us.

    A FIFO would block the read until a writer came, /dev/zero would fill memory: only a
    regular file is read, and only up to `limit` bytes. The type is checked twice, by
    name before opening (so a device is never opened) and on the open file (so a file
    swapped in between is caught); O_NONBLOCK keeps the open itself from waiting on a FIFO.
    A UTF-8 byte-order mark, as Windows editors write it, is dropped."""
    try:
        _check_regular(os.stat(path))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise UnreadableText(f"cannot be read ({error.strerror}); check its permissions") from None
    try:
        _check_regular(os.fstat(fd))
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise UnreadableText(f"cannot be read ({error.strerror})") from None
    finally:
        os.close(fd)
    if size > limit:
        raise UnreadableText(f"is larger than {_kib(limit)}, more than a settings or routine file ever is; "
                             "check that it is the right file")
    return decode_text(b"".join(chunks))


def decode_text(data: bytes) -> str:
    """UTF-8 text, with or without a byte-order mark; any other encoding is named, not guessed."""
    for mark, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                       (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if data.startswith(mark):  # UTF-32 LE first: its mark begins with UTF-16 LE's
            raise UnreadableText(f"is {name} text, not UTF-8; save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise UnreadableText(f"is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}); "
                             "save it as UTF-8") from None


def _check_regular(info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableText("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableText("is not a regular file (a pipe, a device or a socket); only a plain file is read")


def _kib(size: int) -> str:
    return f"{size // (1024 * 1024)} MiB" if size % (1024 * 1024) == 0 else f"{size // 1024} KiB"


def write_fix(error: OSError) -> str:
    """What to do about a write the system refused, to end a one-line message."""
    if error.errno == errno.ENOSPC:
        return "Free some disk space, then try again."
    if error.errno == errno.EROFS:
        return "That disk is read-only; choose a folder on another."
    return "Check the folder and its permissions."


def write_atomically(path: Path, text: str, prefix: str = ".glutetui-", *, exclusive: bool = False,
                     mode: int | None = None) -> None:
    """Write `path` in one step, so a crash mid-write never leaves half a file; on an
    OSError nothing is left behind and the error goes to the caller to word. `exclusive`
    never replaces a file: FileExistsError when `path` exists, even one made meanwhile.
    The new file is 0600 unless `mode` says otherwise (to keep the mode of the file it replaces)."""
    with written_atomically(path, prefix, exclusive=exclusive, mode=mode) as handle:
        handle.write(text)


@contextmanager
def written_atomically(path: Path, prefix: str = ".glutetui-", *, exclusive: bool = False,
                       mode: int | None = None) -> Iterator[io.TextIOWrapper]:
    """write_atomically for text written a piece at a time into the handle it yields: the
    file appears at `path` whole when the block ends, and not at all if it raises."""
    import tempfile  # only a write needs it

    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=path.suffix)
        if mode is not None and os.chmod in os.supports_fd:
            os.chmod(fd, mode)  # before the text goes in, so it is never more open than asked
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())  # the rename must not reach the disk before the text does
        if exclusive:
            _link_new(tmp, path)
        else:
            os.replace(tmp, path)
            tmp = None
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def _link_new(tmp: str, path: Path) -> None:
    try:
        os.link(tmp, path)  # unlike a rename, fails on a file that is there
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(tmp, path)
