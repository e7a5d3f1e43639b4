"""`glutetui export`: every table, as one JSON document or a folder of CSV files.

Values go out exactly as stored (timestamps are already UTC ISO-8601 text), so
`glutetui import` of an export into an empty database gives identical rows.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from glutetui import __version__
from glutetui.domain.timefmt import to_utc_text
from glutetui.errors import OptionError, UserFacingError
from glutetui.paths import write_atomically, write_fix
from glutetui.store import exchange
from glutetui.store.db import TABLES, schema_version

FORMAT = "glutetui-export"
FORMAT_VERSION = 1
MANIFEST = "glutetui-export.json"  # in a CSV folder: what the folder is and which files it holds
FORMATS = ("json", "csv")


@dataclass(frozen=True)
class Exported:
    path: Path | None  # None: written to standard output
    counts: dict[str, int]
    text: str = ""  # the document, when it goes to standard output


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


def export(db: Database, fmt: str, out: Path | None, now: datetime, *, safe_csv: bool = True) -> Exported:
    """`out` None writes a JSON document to standard output (the caller prints `text`).
    `safe_csv`: text cells that a spreadsheet would run as a formula get a leading '."""
    tables = exchange.dump(db)
    counts = {table: len(rows) for table, rows in tables.items()}
    head = {"format": FORMAT, "format_version": FORMAT_VERSION, "layout": fmt, "app_version": __version__,
            "schema_version": schema_version(db), "exported_at": to_utc_text(now)}
    if fmt == "csv":
        head[GUARD_KEY] = safe_csv  # the import reads it, to take the guards off again
    if fmt == "json":
        text = json.dumps({**head, "tables": tables}, indent=1, ensure_ascii=False) + "\n"
        if out is None:
            return Exported(None, counts, text)
    try:
        if fmt == "json":
            write_atomically(out, text, ".glutetui-export-", exclusive=True)
        else:
            _write_csv_folder(out, head, tables, exchange.layout(db), safe_csv)
    except FileExistsError:
        raise OptionError("--out", f"{out} already exists; give a new name") from None
    except OSError as error:
        raise UserFacingError(f"{out}: cannot be written ({error.strerror}); nothing was exported. "
                              f"{write_fix(error)}") from None
    return Exported(out, counts)


def csv_text(names: list[str], rows: list[dict], *, safe: bool = True) -> str:
    buffer = io.StringIO(newline="")
    # CRLF as RFC 4180 has it; with LF alone the csv module leaves a lone CR in a note unquoted.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    # An empty cell is an empty value (NULL); JSON keeps NULL and "" apart, CSV cannot.
    writer.writerows([["" if row[name] is None else _cell(row[name], safe) for name in names] for row in rows])
    return buffer.getvalue()


def _cell(value, safe: bool) -> str:
    if isinstance(value, str):
        return guarded_cell(value) if safe else value
    # Numbers are never guarded: a spreadsheet reads -3.5 as a number, not a formula.
    return repr(value) if isinstance(value, float) else str(value)  # repr: the shortest text that reads back equal


def _write_csv_folder(folder: Path, head: dict, tables: dict[str, list[dict]], columns: dict, safe: bool) -> None:
    # Written beside the target and renamed into place: a crash leaves no half export.
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".glutetui-export-"))
    try:
        files = {}
        for table in TABLES:
            names = [column.name for column in columns[table]]
            (staging / f"{table}.csv").write_text(csv_text(names, tables[table], safe=safe), encoding="utf-8", newline="")
            files[table] = {"file": f"{table}.csv", "rows": len(tables[table]), "columns": names}
        manifest = json.dumps({**head, "tables": files}, indent=1, ensure_ascii=False) + "\n"
        (staging / MANIFEST).write_text(manifest, encoding="utf-8", newline="\n")
        if folder.is_dir():
            folder.rmdir()  # empty, as check_target made sure
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
