"""glutetui's own export, as one JSON document or a folder of CSV files, read back.

Every row is checked against this database's columns before anything is written: a
backup that is wrong anywhere is refused whole, since half a restore misleads.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from datetime import datetime
from pathlib import Path

from glutetui.domain.run_flags import PARTS, PHASES, SIDES
from glutetui.domain.timefmt import to_utc_text
from glutetui.domain.wording import counted
from glutetui.services.export import FORMAT, FORMAT_VERSION, GUARD_KEY, MANIFEST, unguarded_cell
from glutetui.services.importers.common import FileProblem, csv_problem, read_text
from glutetui.store.db import TABLES
from glutetui.store.exchange import Column
from glutetui.store.migrations import SCHEMA_VERSION

KIND_JSON = "glutetui export (JSON)"
KIND_CSV = "glutetui export (CSV folder)"
_INTEGER = re.compile(r"^-?\d{1,19}$", re.ASCII)
SQLITE_INT = 2**63
Layout = dict[str, list[Column]]


def is_export(document: object) -> bool:
    return isinstance(document, dict) and document.get("format") == FORMAT


def table_of_header(header: list[str], layout: Layout) -> str | None:
    """The table whose export CSV starts with this header, if any."""
    for table, columns in layout.items():
        if header == [column.name for column in columns]:
            return table
    return None


def read_document(document: dict, layout: Layout) -> dict[str, list[dict]]:
    """The rows of a JSON export; `document` has passed is_export."""
    _check_head(document)
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise FileProblem("has no \"tables\" object; it is not a whole glutetui export")
    _check_table_names(tables)
    return {table: _checked_rows(table, tables.get(table, []), layout[table], from_csv=False) for table in TABLES}


def read_folder(folder: Path, layout: Layout) -> dict[str, list[dict]]:
    """The rows of a CSV export folder, named by its manifest."""
    try:
        manifest = json.loads(read_text(folder / MANIFEST))
    except json.JSONDecodeError as error:
        raise FileProblem(f"{MANIFEST} is not valid JSON (line {error.lineno}); export again") from None
    if not is_export(manifest):
        raise FileProblem(f"{MANIFEST} is not a glutetui export manifest")
    _check_head(manifest)
    files = manifest.get("tables")
    if not isinstance(files, dict):
        raise FileProblem(f"{MANIFEST} lists no tables; export again")
    _check_table_names(files)
    found = {}
    for table in TABLES:
        if table not in files:
            found[table] = []
            continue
        path = folder / f"{table}.csv"
        if not path.is_file():
            raise FileProblem(f"{path.name} is missing; the manifest lists it. Export again")
        raw = _csv_rows(path)
        if manifest.get(GUARD_KEY) is True:  # written by `export --safe-csv` (the default)
            raw = _unguarded(raw, layout[table])
        expected = files[table].get("rows") if isinstance(files[table], dict) else None
        if isinstance(expected, int) and expected != len(raw):
            raise FileProblem(f"{path.name} has {counted(len(raw), 'row')} where the manifest says {expected}: "
                              "the file is cut off or was edited. Export again")
        found[table] = _checked_rows(table, raw, layout[table], from_csv=True)
    return found


def checked_rows(table: str, rows: list[dict], columns: list[Column]) -> list[dict]:
    """Rows read from another glutetui database, checked like those of a JSON export."""
    return _checked_rows(table, rows, columns, from_csv=False)


def _check_head(head: dict) -> None:
    version, schema = head.get("format_version"), head.get("schema_version")
    if not isinstance(version, int) or not isinstance(schema, int):
        raise FileProblem("has no format or schema version; it is not a whole glutetui export")
    if version > FORMAT_VERSION or schema > SCHEMA_VERSION:
        raise FileProblem(f"was written by a newer glutetui ({head.get('app_version', 'unknown version')}); "
                          "upgrade glutetui, then import it")


def _check_table_names(tables: dict) -> None:
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise FileProblem(f"has tables this glutetui does not know ({', '.join(unknown)}); "
                          "upgrade glutetui, then import it")


def _csv_rows(path: Path) -> list[dict]:
    reader = csv.reader(io.StringIO(read_text(path), newline=""), strict=True)
    try:
        header = next(reader, None)
        rows = list(reader)
    except csv.Error as error:
        problem = csv_problem(error, reader.line_num, "ends in the middle of a row: the file is cut off. Export again")
        raise FileProblem(f"{path.name} {problem}") from None
    if header is None:
        raise FileProblem(f"{path.name} is empty; it should at least name its columns. Export again")
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise FileProblem(f"{path.name} line {number} has {len(row)} cells where the header has "
                              f"{len(header)}. Export again")
    return [dict(zip(header, row)) for row in rows]


def _unguarded(rows: list[dict], columns: list[Column]) -> list[dict]:
    """Take off the ' that the export put before text a spreadsheet would run as a formula.
    Only text columns had one; a column this glutetui does not know is left for the checks."""
    text = {column.name for column in columns if column.type == "TEXT"}
    return [{name: unguarded_cell(cell) if name in text and isinstance(cell, str) else cell
             for name, cell in row.items()} for row in rows]


def _checked_rows(table: str, raw: object, columns: list[Column], *, from_csv: bool) -> list[dict]:
    if not isinstance(raw, list):
        raise FileProblem(f"{table}: is not a list of rows")
    by_name = {column.name: column for column in columns}
    seen: set[str] = set()
    rows = []
    for number, row in enumerate(raw, start=1):
        where = f"{table} row {number}"
        if not isinstance(row, dict):
            raise FileProblem(f"{where}: is not an object of column names and values")
        unknown = sorted(set(row) - set(by_name))
        if unknown:
            raise FileProblem(f"{where}: has columns this glutetui does not know ({', '.join(unknown)})")
        checked = {name: _value(where, column, row.get(name), name in row, from_csv)
                   for name, column in by_name.items()}
        if not isinstance(checked["id"], str) or not checked["id"]:
            raise FileProblem(f"{where}: has no id")
        if checked["id"] in seen:
            raise FileProblem(f"{where}: repeats the id {checked['id']}")
        seen.add(checked["id"])
        if table == "aches":
            _check_ache(where, checked)
        rows.append(checked)
    return rows


def _check_ache(where: str, row: dict) -> None:
    """The database's own rule would refuse these too, but in SQLite's words and without the row.
    Any stored side is taken, also one its part does not have ("knee, centre"): versions before
    issue 19 offered every side for every part, and a backup is restored as it was written."""
    for name, allowed in (("body_part", PARTS), ("side", SIDES), ("phase", PHASES)):
        if row[name] not in allowed:
            raise FileProblem(f"{where}: {name} is {row[name]!r}, not one of {', '.join(allowed)}; "
                              "fix it in the file or export again")


def _value(where: str, column: Column, value: object, present: bool, from_csv: bool) -> object:
    if from_csv:
        value = _from_cell(where, column, value)
    if value is None:
        if column.not_null:
            raise FileProblem(f"{where}: {column.name} {'is empty' if present else 'is missing'}; it needs a value")
        return None
    if column.type == "INTEGER":
        if isinstance(value, bool) or not isinstance(value, int) or not -SQLITE_INT <= value < SQLITE_INT:
            raise FileProblem(f"{where}: {column.name} is {value!r}, not a whole number SQLite can hold")
    elif column.type == "REAL":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise FileProblem(f"{where}: {column.name} is {value!r}, not a number")
        value = float(value)
    elif not isinstance(value, str):
        raise FileProblem(f"{where}: {column.name} is {value!r}, not text")
    elif not _storable(value):
        raise FileProblem(f"{where}: {column.name} holds a character that is not Unicode text (a lone surrogate)")
    elif column.name.endswith("_at"):
        _check_moment(where, column.name, value)
    return value


def _from_cell(where: str, column: Column, cell: object) -> object:
    if cell is None or cell == "":
        return "" if column.type == "TEXT" and column.not_null else None
    if column.type == "INTEGER":
        if not _INTEGER.match(cell):
            raise FileProblem(f"{where}: {column.name} is {cell!r}, not a whole number")
        return int(cell)
    if column.type == "REAL":
        try:
            return float(cell)
        except ValueError:
            raise FileProblem(f"{where}: {column.name} is {cell!r}, not a number") from None
    return cell


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_moment(where: str, name: str, text: str) -> None:
    # Exactly as glutetui stores times, in UTC: they are compared and sorted as text.
    try:
        written = to_utc_text(datetime.fromisoformat(text))
    except (ValueError, OverflowError):
        written = None
    if written != text:
        raise FileProblem(f"{where}: {name} is {text!r}, not a UTC time like 2026-11-20T07:00:00+00:00")
