"""Where glutetui keeps its files, and how tests and users override that."""

from __future__ import annotations

import errno
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from platformdirs import PlatformDirs

from glutetui.errors import UserFacingError

APP_NAME = "glutetui"
DB_ENV = "GLUTETUI_DB"
CONFIG_ENV = "GLUTETUI_CONFIG"

_dirs = PlatformDirs(APP_NAME, appauthor=False)


@dataclass(frozen=True)
class Locations:
    db: Path
    config: Path
    db_is_default: bool

    @property
    def user_routines(self) -> Path:
        return self.config.parent / "routines"


def default_db_path() -> Path:
    return Path(_dirs.user_data_dir) / "glutetui.db"


def default_config_path() -> Path:
    return Path(_dirs.user_config_dir) / "config.toml"


def log_dir() -> Path:
    return Path(_dirs.user_log_dir)


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


def data_dir() -> Path:
    """Shipped content: inside the installed package, or data/ in a source checkout."""
    from importlib.resources import files

    packaged = Path(str(files("glutetui"))) / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


def write_fix(error: OSError) -> str:
    """What to do about a write the system refused, to end a one-line message."""
    if error.errno == errno.ENOSPC:
        return "Free some disk space, then try again."
    if error.errno == errno.EROFS:
        return "That disk is read-only; choose a folder on another."
    return "Check the folder and its permissions."


def write_atomically(path: Path, text: str, prefix: str = ".glutetui-", *, exclusive: bool = False) -> None:
    """Write `path` in one step, so a crash mid-write never leaves half a file; on an
    OSError nothing is left behind and the error goes to the caller to word. `exclusive`
    never replaces a file: FileExistsError when `path` exists, even one made meanwhile."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=path.suffix)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
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
