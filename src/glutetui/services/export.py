"""`glutetui export`: every table, as one JSON document or a folder of CSV files.

Values go out exactly as stored (timestamps are already UTC ISO-8601 text), so
`glutetui import` of an export into an empty database gives identical rows.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from json.encoder import encode_basestring
from pathlib import Path

from sqlite_utils import Database

from glutetui import __version__
from glutetui.domain.timefmt import to_utc_text
from glutetui.errors import OptionError, UserFacingError
from glutetui.paths import write_fix, written_atomically
from glutetui.store import exchange
from glutetui.store.db import TABLES, schema_version

FORMAT = "glutetui-export"
FORMAT_VERSION = 1
MANIFEST = "glutetui-export.json"  # in a CSV folder: what the folder is and which files it holds
FORMATS = ("json", "csv")
RowsOf = Callable[[str], Iterator[dict]]  # a table's rows, one at a time (store.exchange.snapshot)


@dataclass(frozen=True)
class Exported:
    path: Path | None  # None: written to standard output
    counts: dict[str, int]


def default_target(fmt: str, today: str, folder: Path) -> Path:
    name = f"glutetui-export-{today}"
    return folder / (name if fmt == "csv" else f"{name}.json")


def check_target(fmt: str, out: Path | None) -> None:
    """Refuse a target before anything is read: an export never replaces a file."""
    if out is None:
        return
    if fmt == "csv" and out.is_dir():
        if any(out.iterdir()):
            raise OptionError("--out", f"{out} is a folder that is not empty; give a new folder name")
    elif out.exists() or out.is_symlink():
        raise OptionError("--out", f"{out} already exists; give a new name, or move the old one aside first")
    if not out.parent.is_dir():
        raise OptionError("--out", f"the folder {out.parent} does not exist; create it or pick another path")


# A spreadsheet takes a cell that starts with one of these for a formula: a note such as
# =HYPERLINK("http://...", "click") would become a live link, or worse (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"  # what spreadsheets take for "text follows"; the manifest says it was added
GUARD_KEY = "formula_guard"


def guarded_cell(text: str) -> str:
    """`text` as a spreadsheet shows it without running it. A text that starts with the guard
    itself gets one too, so that unguarded_cell can undo every guard exactly."""
    return GUARD + text if text.startswith((*FORMULA_STARTS, GUARD)) else text


def unguarded_cell(text: str) -> str:
    """The text before guarded_cell: every guarded cell starts with the guard, no other does."""
    return text[len(GUARD):] if text.startswith(GUARD) else text


def export(db: Database, fmt: str, out: Path | None, now: datetime, *, safe_csv: bool = True,
           write: Callable[[str], object] | None = None) -> Exported:
    """`out` None hands the JSON document to `write` piece by piece (the caller prints it).
    `safe_csv`: text cells that a spreadsheet would run as a formula get a leading '.

    Tables are read and written a batch of rows at a time, in one read transaction: memory
    stays flat however many years the file holds."""
    head = {"format": FORMAT, "format_version": FORMAT_VERSION, "layout": fmt, "app_version": __version__,
            "schema_version": schema_version(db), "exported_at": to_utc_text(now)}
    if fmt == "csv":
        head[GUARD_KEY] = safe_csv  # the import reads it, to take the guards off again
    if out is None and write is None:
        raise ValueError("an export to standard output needs `write`, which prints it")
    with exchange.snapshot(db) as tables:
        rows_of = tables.rows
        if out is None:
            return Exported(None, _write_json(write, head, rows_of))
        try:
            if fmt == "json":
                with written_atomically(out, ".glutetui-export-", exclusive=True) as handle:
                    counts = _write_json(handle.write, head, rows_of)
            else:
                counts = _write_csv_folder(out, head, rows_of, exchange.layout(db), safe_csv)
        except FileExistsError:
            raise OptionError("--out", f"{out} already exists; give a new name") from None
        except OSError as error:
            raise UserFacingError(f"{out}: cannot be written ({error.strerror}); nothing was exported. "
                                  f"{write_fix(error)}") from None
    return Exported(out, counts)


_ROW_ENCODER = json.JSONEncoder(indent=1, ensure_ascii=False)
ROW_INDENT = "\n   "
WRITE_EVERY = 500  # rows joined into one write


def _json_row(row: dict) -> str:
    """One row of the document as json.dumps(document, indent=1, ensure_ascii=False) writes
    it, three levels deep. A row holds text, whole numbers, finite reals and NULL, which are
    written here as json's encoder writes them, five times quicker than asking it row by row;
    anything else (an infinite real) goes to the encoder itself."""
    cells = []
    for name, value in row.items():
        kind = value.__class__
        if kind is str:
            cells.append(f"{encode_basestring(name)}: {encode_basestring(value)}")
        elif value is None:
            cells.append(f"{encode_basestring(name)}: null")
        elif kind is int or kind is float and math.isfinite(value):
            cells.append(f"{encode_basestring(name)}: {kind.__repr__(value)}")
        else:
            return ROW_INDENT + _ROW_ENCODER.encode(row).replace("\n", ROW_INDENT)
    return ROW_INDENT + "{\n    " + ",\n    ".join(cells) + "\n   }"


def _write_json(write: Callable[[str], object], head: dict, rows_of: RowsOf) -> dict[str, int]:
    """The document json.dumps({**head, "tables": tables}, indent=1, ensure_ascii=False)
    would give, byte for byte, written a few hundred rows at a time. Its strings hold no
    newline (JSON escapes it), so every newline of a row's text is indentation."""
    counts = {}
    write("{\n" + "".join(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n"
                          for key, value in head.items()) + ' "tables": {')
    for number, table in enumerate(TABLES):
        pieces = [f'{"," if number else ""}\n  {json.dumps(table)}: [']
        count = 0
        for row in rows_of(table):
            pieces.append(("," if count else "") + _json_row(row))
            count += 1
            if len(pieces) >= WRITE_EVERY:
                write("".join(pieces))
                pieces = []
        pieces.append("\n  ]" if count else "]")
        write("".join(pieces))
        counts[table] = count
    write("\n }\n}\n")
    return counts


def csv_rows(names: list[str], rows: Iterable[dict], *, safe: bool = True) -> Iterator[list[str]]:
    """The cells of each row as the CSV export writes them."""
    # An empty cell is an empty value (NULL); JSON keeps NULL and "" apart, CSV cannot.
    for row in rows:
        yield ["" if row[name] is None else _cell(row[name], safe) for name in names]


def _cell(value, safe: bool) -> str:
    if isinstance(value, str):
        return guarded_cell(value) if safe else value
    # Numbers are never guarded: a spreadsheet reads -3.5 as a number, not a formula.
    return repr(value) if isinstance(value, float) else str(value)  # repr: the shortest text that reads back equal


def _write_csv_folder(folder: Path, head: dict, rows_of: RowsOf, columns: dict, safe: bool) -> dict[str, int]:
    # Written beside the target and renamed into place: a crash leaves no half export.
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".glutetui-export-"))
    try:
        files, counts = {}, {}
        for table in TABLES:
            names = [column.name for column in columns[table]]
            with (staging / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
                # CRLF as RFC 4180 has it; with LF alone the csv module leaves a lone CR in a note unquoted.
                writer = csv.writer(handle, lineterminator="\r\n")
                writer.writerow(names)
                counted = _Counted(rows_of(table))
                writer.writerows(csv_rows(names, counted, safe=safe))
            counts[table] = counted.count
            files[table] = {"file": f"{table}.csv", "rows": counted.count, "columns": names}
        manifest = json.dumps({**head, "tables": files}, indent=1, ensure_ascii=False) + "\n"
        (staging / MANIFEST).write_text(manifest, encoding="utf-8", newline="\n")
        if folder.is_dir():
            folder.rmdir()  # empty, as check_target made sure
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return counts


class _Counted:
    """The rows of a table, counted as they go by."""

    def __init__(self, rows: Iterable[dict]) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator[dict]:
        for row in self.rows:
            self.count += 1
            yield row
