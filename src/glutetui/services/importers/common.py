"""What a reader hands back, and the reading of a file as text."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from glutetui.domain.imported_runs import ImportedRun

MAX_FILE_BYTES = 200 * 1024 * 1024  # a 10-year Strava activities.csv is a few MB


class FileProblem(Exception):
    """The whole file cannot be imported; the message says why and what to do."""


class UnknownFile(FileProblem):
    """Not a kind of file glutetui reads: in a folder of files, left out quietly."""


@dataclass
class FileRuns:
    """The runs one file holds, and what in it was left out."""

    runs: list[ImportedRun] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    other_activities: Counter = field(default_factory=Counter)  # activity type -> how many

    def keep(self, where: str, make: Callable[[], ImportedRun]) -> None:
        """Add the run `make` builds, or note why it is not one (its ValueError)."""
        try:
            self.runs.append(make())
        except OverflowError:
            self.rejected.append((where, "has a date out of range"))
        except ValueError as error:
            self.rejected.append((where, str(error)))


def read_text(path: Path) -> str:
    """The file as text; a FileProblem when it is not text we can read."""
    return decode(read_bytes(path))


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes, or only its first `limit` bytes; a file over MAX_FILE_BYTES is refused."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FileProblem(f"is over {MAX_FILE_BYTES // 2**20} MB, more than any export of runs; "
                              "check that this is the file you meant")
        if limit is None:
            return path.read_bytes()
        with path.open("rb") as handle:
            return handle.read(limit)
    except OSError as error:
        raise FileProblem(f"cannot be read ({error.strerror}); check its permissions") from None


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of the file's bytes, read a block at a time."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as error:
        raise FileProblem(f"cannot be read ({error.strerror}); check its permissions") from None


def decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise FileProblem("is not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblem(f"is not UTF-8 text (byte {error.start + 1} cannot be read); "
                          "save it as UTF-8 and import it again") from None


def csv_problem(error: csv.Error, line: int, cut_off: str) -> FileProblem:
    """What a CSV reader's error means for the file: a cell over the csv module's field limit
    is a cell too long, not a file cut off; anything else is (`cut_off` says so, and the fix)."""
    if str(error).startswith("field larger than field limit"):
        return FileProblem(f"has a cell longer than {csv.field_size_limit():,} characters at line {line}, more than "
                           "glutetui reads in one cell; check that this is the file you meant, or shorten that cell")
    return FileProblem(cut_off)
