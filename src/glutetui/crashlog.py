"""Where an unexpected error goes: a file the user can send us, never their screen."""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from pathlib import Path

from glutetui import __version__
from glutetui.paths import log_dir


def write_crash_log(error: BaseException, now: datetime) -> Path | None:
    """The log's path, or None when even the log cannot be written."""
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{now:%Y%m%d-%H%M%S}-{os.getpid()}.log"
        lines = traceback.format_exception(type(error), error, error.__traceback__)
        path.write_text(f"glutetui {__version__}\n" + "".join(lines), encoding="utf-8")
        return path
    except OSError:
        return None


def crash_message(error: BaseException, log: Path | None) -> str:
    where = f"Details are in {log}" if log else "No log could be written"
    return (
        f"glutetui stopped after an unexpected error ({type(error).__name__}: {error}). "
        f"{where}; please attach it to a bug report."
    )
