"""Finds routine files: the shipped ones, then the user's, which add or override by name."""

from __future__ import annotations

from pathlib import Path

from glutetui.domain.routines import Routine, RoutineError, parse_routine
from glutetui.paths import UnreadableText, data_dir, read_small_text

DEFAULT_ROUTINE = "pre-run"


class RoutineBook:
    """The routines that loaded by key, the file each came from, and a line per file that did not."""

    def __init__(self) -> None:
        self.routines: dict[str, Routine] = {}
        self.origins: dict[str, Path] = {}
        self.problems: list[str] = []

    def names(self) -> list[str]:
        # The default first: it is what `w` starts and what the picker offers first.
        return sorted(self.routines, key=lambda key: (key != DEFAULT_ROUTINE, key))


def shipped_routines_dir() -> Path:
    return data_dir() / "routines"


def load_routines(user_dir: Path | None) -> RoutineBook:
    """Every routine that loads; a bad file becomes a problem line and the rest still load."""
    book = RoutineBook()
    for folder in (shipped_routines_dir(), user_dir):
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            _load_one(book, path)
    return book


def _load_one(book: RoutineBook, path: Path) -> None:
    try:
        text = read_small_text(path)
        routine = parse_routine(text, path.stem, str(path))
    except UnreadableText as problem:  # a FIFO or a device named *.toml is skipped, never waited on
        book.problems.append(f"{path}: {problem}. It is skipped; the other routines still work.")
    except RoutineError as error:
        book.problems.append(f"{error} The other routines still work.")
    else:
        book.routines[routine.key] = routine
        book.origins[routine.key] = path
