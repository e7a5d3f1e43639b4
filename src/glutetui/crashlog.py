"""Where an unexpected error goes: a file the user can send us, never their screen."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from glutetui import __version__
from glutetui.paths import log_dir

# A traceback can quote a note, a path or a row: as private as the database (0600) it came from.
LOG_MODE = 0o600
LOG_DIR_MODE = 0o700


def write_crash_log(error: BaseException, now: datetime) -> Path | None:
    """The log's path, or None when even the log cannot be written."""
    import traceback  # only a crash needs it: kept off the start-up path

    try:
        folder = log_dir()
        folder.mkdir(mode=LOG_DIR_MODE, parents=True, exist_ok=True)  # a folder that is there keeps its mode
        lines = traceback.format_exception(type(error), error, error.__traceback__)
        path, fd = _new_private_file(folder, f"crash-{now:%Y%m%d-%H%M%S}-{os.getpid()}")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"glutetui {__version__}\n" + "".join(lines))
        return path
    except OSError:
        return None


def _new_private_file(folder: Path, stem: str) -> tuple[Path, int]:
    """O_EXCL with the mode given at creation: the log is never readable by others, not even
    for a moment, and a link planted at its name is not followed. A second crash of the same
    process in the same second gets the next number instead of overwriting the first."""
    for number in range(100):
        path = folder / (f"{stem}.log" if number == 0 else f"{stem}-{number}.log")
        try:
            return path, os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, LOG_MODE)
        except FileExistsError:
            continue
    raise FileExistsError(folder / f"{stem}.log")


def crash_message(error: BaseException, log: Path | None) -> str:
    where = f"Details are in {log}" if log else "No log could be written"
    return (
        f"glutetui stopped after an unexpected error ({type(error).__name__}: {error}). "
        f"{where}; please attach it to a bug report."
    )
