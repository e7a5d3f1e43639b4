"""Where glutetui keeps its files, and how tests and users override that."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import PlatformDirs

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
        db=_expand(db_value) if db_value else default_db_path(),
        config=_expand(config_value) if config_value else default_config_path(),
        db_is_default=db_value is None,
    )


def _expand(value: str | os.PathLike) -> Path:
    return Path(os.path.expandvars(os.fspath(value))).expanduser().absolute()


def data_dir() -> Path:
    """Shipped content: inside the installed package, or data/ in a source checkout."""
    from importlib.resources import files

    packaged = Path(str(files("glutetui"))) / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"
