"""`glutetui export` and its way back: export -> import into an empty database gives identical rows.

Real SQLite files throughout; the rows are compared column by column, table by table.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from dateutil import tz
from helpers import copy_db, main_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glutetui import __version__
from glutetui.services.demo import fill_demo
from glutetui.services.export import MANIFEST, export
from glutetui.services.importing import Importer
from glutetui.store.migrations import SCHEMA_VERSION
from glutetui.store.db import TABLES, open_store
from glutetui.store.exchange import dump
from glutetui.store.runs import add_run

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)


def all_rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in TABLES}
    finally:
        conn.close()


@pytest.fixture
def source(tmp_path, source_template) -> Path:
    """Eight demo weeks plus rows with the awkward values a CSV can get wrong: the test's own copy."""
    return copy_db(source_template, tmp_path / "source.db")


@pytest.fixture(scope="module")
def source_template(tmp_path_factory) -> Path:
    """What `source` copies, made once a module."""
    path = tmp_path_factory.mktemp("source") / "source.db"
    db = open_store(path)
    fill_demo(db, until=NOW, zone=tz.gettz("Europe/Berlin"), weeks=8, seed=3)
    add_run(db, started_at=datetime(2026, 11, 20, 17, 0, tzinfo=timezone.utc), distance_m=0.1 + 0.2,
            duration_s=1, rpe=10, notes='commas, "quotes",\nnew lines\r\nand ünïcödé 🏃', aches=(), warmup_id=None,
            now=NOW)
    db.execute("UPDATE posture SET note = 'a note, with a comma' WHERE rowid = 3")
    db.conn.commit()
    db.close()
    return path


def exported(source: Path, fmt: str, out: Path) -> Path:
    db = open_store(source)
    try:
        export(db, fmt, out, NOW)
    finally:
        db.close()
    return out


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_an_export_imported_into_an_empty_database_gives_identical_rows(source, tmp_path, fmt):
    out = exported(source, fmt, tmp_path / ("export.json" if fmt == "json" else "export"))
    target = open_store(tmp_path / "target.db")
    report = Importer(target, NOW).import_paths([str(out)]).files[0]
    target.close()
    assert report.problem is None and report.duplicates == 0
    rows = all_rows(source)
    assert all_rows(tmp_path / "target.db") == rows
    assert sum(len(table) for table in rows.values()) > 500 and rows["aches"] and rows["warmups"]


def test_the_json_document_and_the_csv_manifest_say_what_they_are(source, tmp_path):
    document = json.loads(exported(source, "json", tmp_path / "e.json").read_text(encoding="utf-8"))
    assert {key: document[key] for key in ("format", "format_version", "layout", "schema_version", "exported_at")} == {
        "format": "glutetui-export", "format_version": 1, "layout": "json", "schema_version": SCHEMA_VERSION,
        "exported_at": "2026-11-21T10:00:00+00:00"}
    assert list(document["tables"]) == list(TABLES)
    run = document["tables"]["runs"][-1]
    assert list(run) == ["id", "started_at", "distance_m", "duration_s", "rpe", "notes", "source", "external_id",
                         "warmup_id", "created_at", "updated_at", "morning_asked_at"]
    folder = exported(source, "csv", tmp_path / "csv")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(path.name for path in folder.iterdir()) == sorted([MANIFEST] + [f"{t}.csv" for t in TABLES])
    assert manifest["tables"]["runs"]["rows"] == len(document["tables"]["runs"])
    assert (folder / "runs.csv").read_text(encoding="utf-8").splitlines()[0] == ",".join(run)


def test_the_streamed_json_is_the_document_json_dumps_makes_of_all_rows(source, tmp_path):
    # Written a batch of rows at a time (issue 21), the export must still be the document
    # earlier versions wrote in one piece: same bytes for the same rows, an empty table too.
    db = open_store(source)
    db.execute("UPDATE runs SET notes = ? WHERE rowid = 1", ["=1+1 \u202e\x7f\x85 \\ \"q\"\t\U0001f3c3"])
    db.execute("UPDATE runs SET distance_m = 9e999 WHERE rowid = 2")  # written as json writes it: Infinity
    db.execute("DELETE FROM reminder_pauses")
    db.conn.commit()
    printed: list[str] = []
    try:
        export(db, "json", tmp_path / "e.json", NOW)
        export(db, "json", None, NOW, write=printed.append)
        whole = {"format": "glutetui-export", "format_version": 1, "layout": "json", "app_version": __version__,
                 "schema_version": SCHEMA_VERSION, "exported_at": "2026-11-21T10:00:00+00:00", "tables": dump(db)}
    finally:
        db.close()
    expected = json.dumps(whole, indent=1, ensure_ascii=False) + "\n"
    assert whole["tables"]["reminder_pauses"] == [] and len(whole["tables"]["posture"]) > 100
    assert '"distance_m": Infinity' in expected and "\U0001f3c3" in expected
    assert (tmp_path / "e.json").read_text(encoding="utf-8") == "".join(printed) == expected


def test_importing_an_export_twice_adds_nothing_the_second_time(source, tmp_path):
    out = exported(source, "json", tmp_path / "e.json")
    target = open_store(tmp_path / "target.db")
    Importer(target, NOW).import_paths([str(out)])
    again = Importer(target, NOW).import_paths([str(out)]).files[0]
    target.close()
    assert again.added_total == 0 and again.duplicates == sum(len(rows) for rows in all_rows(source).values())


@given(notes=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40),
       distance=st.floats(min_value=0.001, max_value=999_999, allow_nan=False))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_and_any_distance_survive_the_csv_folder(tmp_path_factory, notes, distance):
    folder = tmp_path_factory.mktemp("prop")
    db = open_store(folder / "a.db")
    add_run(db, started_at=NOW, distance_m=distance, duration_s=60, rpe=None, notes=notes, aches=(), warmup_id=None,
            now=NOW)
    export(db, "csv", folder / "out", NOW)
    db.close()
    target = open_store(folder / "b.db")
    Importer(target, NOW).import_paths([str(folder / "out")])
    target.close()
    assert all_rows(folder / "b.db")["runs"] == all_rows(folder / "a.db")["runs"]


def broken_copy(source: Path, tmp_path: Path, change) -> Path:
    document = json.loads(exported(source, "json", tmp_path / "good.json").read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _set(path: list, value):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


@pytest.mark.parametrize(("change", "problem"), [
    (_set(["format_version"], 2), "was written by a newer glutetui (0.1.0); upgrade glutetui, then import it"),
    (_set(["schema_version"], 99), "was written by a newer glutetui (0.1.0); upgrade glutetui, then import it"),
    (_set(["tables", "shoes"], []), "has tables this glutetui does not know (shoes); upgrade glutetui, then import it"),
    (_set(["tables", "runs", 0, "cadence"], 180), "runs row 1: has columns this glutetui does not know (cadence)"),
    (_set(["tables", "runs", 0, "distance_m"], "far"), "runs row 1: distance_m is 'far', not a number"),
    (_set(["tables", "runs", 0, "duration_s"], 12.5), "runs row 1: duration_s is 12.5, not a whole number"),
    (_set(["tables", "runs", 0, "started_at"], "yesterday"),
     "runs row 1: started_at is 'yesterday', not a UTC time like 2026-11-20T07:00:00+00:00"),
    (_set(["tables", "runs", 0, "started_at"], "2026-11-02T19:42:36+05:00"),
     "runs row 1: started_at is '2026-11-02T19:42:36+05:00', not a UTC time like 2026-11-20T07:00:00+00:00"),
    (_set(["tables", "runs", 0, "duration_s"], 10**30), "runs row 1: duration_s is 1000000000000000000000000000000, "
                                                      "not a whole number SQLite can hold"),
    (_set(["tables", "runs", 0, "notes"], "\ud800"),
     "runs row 1: notes holds a character that is not Unicode text (a lone surrogate)"),
    (_set(["tables", "runs", 0, "started_at"], None), "runs row 1: started_at is empty; it needs a value"),
    (_set(["tables", "posture", 0, "state"], "lying"),
     "has rows that break a rule of the database (CHECK constraint failed: state IN ('sitting', 'standing', "
     "'break', 'away', 'exercise', 'out')); nothing from it was added"),
    (_set(["tables", "warmups"], []), "the run"),  # runs name warm-ups that are no longer in the file
])
def test_a_damaged_export_is_refused_whole_with_the_reason(source, tmp_path, change, problem):
    path = broken_copy(source, tmp_path, change)
    target = open_store(tmp_path / "target.db")
    report = Importer(target, NOW).import_paths([str(path)]).files[0]
    target.close()
    assert report.problem is not None and report.problem.startswith(problem)
    assert all(rows == [] for rows in all_rows(tmp_path / "target.db").values())


def test_an_export_from_an_older_version_fills_the_newer_columns_with_nothing(source, tmp_path):
    def older(document):
        document["schema_version"] = 3
        for run in document["tables"]["runs"]:
            del run["morning_asked_at"]
    path = broken_copy(source, tmp_path, older)
    target = open_store(tmp_path / "target.db")
    report = Importer(target, NOW).import_paths([str(path)]).files[0]
    asked = target.execute("SELECT count(*) FROM runs WHERE morning_asked_at IS NOT NULL").fetchone()[0]
    target.close()
    assert report.problem is None and report.added["runs"] > 0 and asked == 0


def test_a_cut_off_csv_table_is_refused(source, tmp_path):
    folder = exported(source, "csv", tmp_path / "csv")
    lines = (folder / "posture.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "posture.csv").write_text("".join(lines[:-5]), encoding="utf-8")
    target = open_store(tmp_path / "target.db")
    report = Importer(target, NOW).import_paths([str(folder)]).files[0]
    target.close()
    assert report.problem.startswith(f"posture.csv has {len(lines) - 6} rows where the manifest says {len(lines) - 1}")
    assert all(rows == [] for rows in all_rows(tmp_path / "target.db").values())


def test_one_table_file_alone_is_pointed_at_its_folder(source, tmp_path):
    folder = exported(source, "csv", tmp_path / "csv")
    target = open_store(tmp_path / "target.db")
    report = Importer(target, NOW).import_paths([str(folder / "aches.csv")]).files[0]
    target.close()
    assert report.problem == (f"is the aches table of a glutetui CSV export; import the whole folder it is in: "
                              f"glutetui import {folder}")


def test_the_export_command_never_replaces_a_file_and_can_print_json(source, tmp_path):
    taken = tmp_path / "taken.json"
    taken.write_text("mine", encoding="utf-8")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x", encoding="utf-8")
    for args, message in [
        (["--out", str(taken)], f"glutetui: --out: {taken} already exists; give a new name, or move the old one "
                                "aside first"),
        (["--format", "csv", "--out", str(tmp_path / "full")],
         f"glutetui: --out: {tmp_path / 'full'} is a folder that is not empty; give a new folder name"),
        (["--format", "csv", "--out", "-"], "glutetui: --out -: a CSV export is a folder of files; give a folder "
                                            "name, or use --format json"),
        (["--out", str(tmp_path / "no" / "e.json")],
         f"glutetui: --out: the folder {tmp_path / 'no'} does not exist; create it or pick another path"),
    ]:
        result = main_cli("export", "--db", str(source), *args)
        assert (result.returncode, result.stderr.strip()) == (2, message)
    assert taken.read_text(encoding="utf-8") == "mine"
    printed = main_cli("export", "--db", str(source), "--out", "-")
    assert printed.returncode == 0 and json.loads(printed.stdout)["format"] == "glutetui-export"
    written = main_cli("export", "--db", str(source), "--format", "csv", "--out", str(tmp_path / "new"))
    assert written.returncode == 0 and written.stdout.startswith("Exported ")
    assert (tmp_path / "new" / MANIFEST).is_file()
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".glutetui-export")]


@pytest.mark.parametrize("command", [["export", "--out", "-"], ["report"], ["run", "list"]])
def test_a_reader_that_stops_early_gets_no_error_message(source, command):
    import subprocess
    import sys

    # As `glutetui report | head` when head has already exited: the pipe is closed before a byte is read.
    child = subprocess.Popen([sys.executable, "-m", "glutetui", *command, "--db", str(source)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()
    stderr = child.stderr.read().decode()
    assert (child.wait(timeout=60), stderr) == (141, "")
