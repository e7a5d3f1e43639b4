"""Hostile and damaged import and merge input (issue 20): dry runs that touch nothing,
rows out of any runner's range, XML too deep to parse, numbers that are not numbers,
and messages that name the real problem. Every file is made here, in tmp_path."""

from __future__ import annotations

import csv
import hashlib
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlite_utils import Database

from helpers import run_cli

from glutetui import cli
from glutetui.services.importers import gpx
from glutetui.services.importing import Importer
from glutetui.store.db import open_store
from glutetui.store.migrations import MIGRATION_NAMES, SCHEMA_VERSION, migrations

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
STRAVA = FIXTURES / "strava_activities.csv"
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)


def fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    """md5 and mtime of every file in `folder`: the database and its -wal and -shm. Of the -shm
    only the mtime: it is SQLite's shared memory, where every reader marks what it reads."""
    return {path.name: ("" if path.name.endswith("-shm") else hashlib.md5(path.read_bytes()).hexdigest(),
                        path.stat().st_mtime_ns)
            for path in sorted(folder.iterdir())}


def older_database(path: Path) -> Path:
    """A database of the first schema, as an older glutetui left it."""
    old = Database(path)
    old.execute("PRAGMA journal_mode = WAL")
    migrations.apply(old, stop_before=MIGRATION_NAMES[1])
    old.close()
    return path


def test_a_dry_run_import_into_a_database_that_does_not_exist_creates_neither_it_nor_its_folder(tmp_path, capsys):
    target = tmp_path / "not-yet" / "glutetui.db"
    code = cli.main(["import", "--dry-run", "--db", str(target), str(STRAVA)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "would add 5 runs" in out
    assert f"The database {target} does not exist yet; without --dry-run it would be created." in out
    assert out.rstrip().endswith("Dry run: nothing was written.")
    assert not target.parent.exists()


@pytest.mark.parametrize("command", ["import", "merge"])
def test_a_dry_run_on_an_older_database_migrates_only_a_copy_in_memory(tmp_path, capsys, command):
    folder = tmp_path / "data"
    folder.mkdir()
    target = older_database(folder / "glutetui.db")
    before = fingerprint(folder)
    if command == "import":
        args = [str(STRAVA)]
    else:
        other = open_store(tmp_path / "other.db")
        other.close()
        args = [str(tmp_path / "other.db")]
    code = cli.main([command, "--dry-run", "--db", str(target), *args])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"has an older layout (schema 1); without --dry-run it would be upgraded to schema {SCHEMA_VERSION} first" in out
    assert out.rstrip().endswith("Dry run: nothing was written.")
    assert fingerprint(folder) == before


def test_a_dry_run_on_a_current_database_leaves_it_and_its_wal_files_untouched(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    open_store(folder / "glutetui.db").close()
    before = fingerprint(folder)
    assert list(before) == ["glutetui.db"]  # closed cleanly: no -wal or -shm to make
    assert cli.main(["import", "--dry-run", "--db", str(folder / "glutetui.db"), str(STRAVA)]) == 0
    out = capsys.readouterr().out
    assert "would add 5 runs" in out and "without --dry-run" not in out
    assert fingerprint(folder) == before


def test_a_dry_run_while_the_app_holds_the_file_open_reads_its_wal_and_changes_nothing(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    app = open_store(folder / "glutetui.db")  # an open connection keeps its -wal and -shm
    try:
        cli.main(["import", "--db", str(folder / "glutetui.db"), str(FIXTURES / "one_track.gpx")])
        capsys.readouterr()
        before = fingerprint(folder)
        assert cli.main(["import", "--dry-run", "--db", str(folder / "glutetui.db"), str(STRAVA)]) == 0
        out = capsys.readouterr().out
        assert "would add 5 runs" in out
        assert fingerprint(folder) == before
    finally:
        app.close()


# ---- GPX: a stream, with limits -------------------------------------------------------

def gpx_text(*points: str, name: str = "Evening loop") -> str:
    body = "".join(points)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
            f"<trk><name>{name}</name><trkseg>{body}</trkseg></trk></gpx>\n")


def point(lat: str, lon: str, time: str, ele: str = "20") -> str:
    return f'<trkpt lat="{lat}" lon="{lon}"><ele>{ele}</ele><time>{time}</time></trkpt>'


def test_a_gpx_nested_200000_deep_is_refused_in_one_line_and_the_rest_of_the_folder_comes_in(tmp_path):
    # A real child process: the point is that the interpreter does not die (it did, with exit 139).
    folder = tmp_path / "watch"
    folder.mkdir()
    (folder / "a-deep.gpx").write_text('<?xml version="1.0"?><gpx>' + "<a>" * 200_000 + "</a>" * 200_000 + "</gpx>")
    shutil.copy(FIXTURES / "one_track.gpx", folder / "b-run.gpx")
    result = run_cli("import", "--db", str(tmp_path / "g.db"), str(folder))
    assert result.returncode == 2, result
    assert f"{folder / 'a-deep.gpx'} (GPX): not imported: it nests its elements more than 32 deep (line 1)" in result.stdout
    assert f"{folder / 'b-run.gpx'} (GPX): added 1 run." in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("bad_point", "why"), [
    (point("inf", "13.4", "2026-11-02T17:00:20Z"), "point 2 has the latitude 'inf', not a number from -90 to 90"),
    (point("52.5", "-Infinity", "2026-11-02T17:00:20Z"), "point 2 has the longitude '-Infinity', not a number from -180 to 180"),
    (point("nan", "13.4", "2026-11-02T17:00:20Z"), "point 2 has the latitude 'nan', not a number from -90 to 90"),
    (point("91", "13.4", "2026-11-02T17:00:20Z"), "point 2 has the latitude '91', not a number from -90 to 90"),
    (point("52.5", "13.4", "2026-11-02T17:00:20Z", ele="NaN"), "point 2 has the elevation 'NaN', not a number"),
    (point("52.5", "13.4", "2026-13-02T17:00:20Z"), "point 2 has the time '2026-13-02T17:00:20Z', which is not a date and time"),
], ids=["inf-latitude", "infinite-longitude", "nan-latitude", "latitude-past-the-pole", "nan-elevation", "month-13"])
def test_a_track_with_a_point_that_is_not_a_place_is_rejected_with_the_point_and_the_reason(tmp_path, capsys, bad_point, why):
    path = tmp_path / "odd.gpx"
    path.write_text(gpx_text(point("52.5", "13.4", "2026-11-02T17:00:00Z"), bad_point,
                             point("52.51", "13.41", "2026-11-02T17:30:00Z")))
    assert cli.main(["import", "--db", str(tmp_path / "g.db"), str(path)]) == 0
    out = capsys.readouterr().out
    assert f"  rejected track 1 (Evening loop): {why}" in out
    assert "math domain error" not in out


def test_a_gpx_over_the_point_budget_is_refused_before_it_is_summed(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(gpx, "MAX_POINTS", 3)
    path = tmp_path / "long.gpx"
    path.write_text(gpx_text(*(point("52.5", f"13.4{n}", f"2026-11-02T17:0{n}:00Z") for n in range(4))))
    assert cli.main(["import", "--db", str(tmp_path / "g.db"), str(path)]) == 2
    assert "not imported: it has more than 3 track points, more than any run" in capsys.readouterr().out


def test_a_large_gpx_reports_its_progress_while_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(gpx, "CHUNK_BYTES", 512)
    points = [point("52.5", f"13.{400 + n}", f"2026-11-02T17:{n:02d}:00Z") for n in range(40)]
    (tmp_path / "run.gpx").write_text(gpx_text(*points))
    seen: list[tuple[float, int]] = []
    db = open_store(tmp_path / "g.db")
    try:
        summary = Importer(db, NOW).import_paths([str(tmp_path / "run.gpx")], lambda done, total: seen.append((done, total)))
    finally:
        db.close()
    assert summary.files[0].added["runs"] == 1
    shares = [done for done, _ in seen]
    assert len(shares) > 5 and shares == sorted(shares) and 0 < shares[1] < 1 and shares[-1] == 1


# ---- rows a typed run could not be -----------------------------------------------------

GOOD_RUN = {"started_at": "2026-11-20T07:00:00+00:00", "distance_m": 5000.0, "duration_s": 1500, "rpe": 5,
            "notes": "easy", "source": "manual", "external_id": None, "warmup_id": None,
            "created_at": "2026-11-20T08:00:00+00:00"}
IMPLAUSIBLE_RUNS = [  # (id, changes to GOOD_RUN, the reason given)
    ("far", {"distance_m": 1e300}, "claims 1e+300 m, more than any run (1,000 km at most)"),
    ("long", {"duration_s": 2**62}, "lasts 48 hours or more (4.612e+18 s)"),
    ("late", {"started_at": "9999-01-01T00:00:00+00:00"}, "has started_at '9999-01-01T00:00:00+00:00', in the future"),
    ("early", {"started_at": "0001-01-01T00:00:00+00:00"}, "has started_at '0001-01-01T00:00:00+00:00', before 1970"),
    ("wordy", {"notes": "n" * 10_001}, "has notes 10,001 characters long, more than 10,000"),
]


def other_database(path: Path) -> Path:
    """Another computer's database holding one good run with an ache, and the runs above."""
    db = open_store(path)
    with db.conn:
        db["runs"].insert_all([{**GOOD_RUN, "id": "good"}]
                              + [{**GOOD_RUN, "id": run_id, **changes} for run_id, changes, _ in IMPLAUSIBLE_RUNS])
        db["aches"].insert_all([
            {"id": "ache-good", "run_id": "good", "body_part": "knee", "side": "left", "phase": "after", "score": 3,
             "created_at": "2026-11-20T08:00:00+00:00"},
            {"id": "ache-of-far", "run_id": "far", "body_part": "hip", "side": "left", "phase": "after", "score": 2,
             "created_at": "2026-11-20T08:00:00+00:00"}])
    db.close()
    return path


def stored_runs(path: Path) -> list[tuple]:
    db = open_store(path)
    try:
        return db.execute("SELECT id, distance_m FROM runs").fetchall() + db.execute("SELECT id FROM aches").fetchall()
    finally:
        db.close()


def expected_rejections() -> list[str]:
    return ([f"  rejected run {run_id!r}: {why}" for run_id, _, why in IMPLAUSIBLE_RUNS]
            + ["  rejected ache 'ache-of-far': belongs to the run 'far', which was rejected"])


@pytest.mark.parametrize("through", ["merge", "json-export"])
def test_runs_out_of_any_runners_range_are_rejected_by_id_and_the_good_run_arrives(tmp_path, capsys, through):
    other = other_database(tmp_path / "other.db")
    target = tmp_path / "here.db"
    if through == "merge":
        code = cli.main(["merge", "--db", str(target), str(other)])
    else:
        assert cli.main(["--db", str(other), "export", "--out", str(tmp_path / "e.json")]) == 0
        capsys.readouterr()
        code = cli.main(["import", "--db", str(target), str(tmp_path / "e.json")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "added 1 run, 1 ache" in out and "6 rejected" in out
    assert sorted(line for line in out.splitlines() if line.startswith("  rejected")) == sorted(expected_rejections())
    assert stored_runs(target) == [("good", 5000.0), ("ache-good",)]


def test_a_strava_row_of_1e300_metres_is_rejected_in_a_short_line(tmp_path, capsys):
    lines = STRAVA.read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1]
    cells = next(csv.reader([first]))
    distance_columns = [index for index, name in enumerate(next(csv.reader([header]))) if name == "Distance"]
    for index in distance_columns:
        cells[index] = "1e300"
    path = tmp_path / "activities.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([next(csv.reader([header])), cells])
    assert cli.main(["import", "--db", str(tmp_path / "g.db"), str(path)]) == 0
    out = capsys.readouterr().out
    assert "rejected line 2 (Morning Run): claims 1e+300 m, more than any run (1,000 km at most)" in out
    assert max(len(line) for line in out.splitlines()) < 200


def test_a_typed_run_is_held_to_the_same_notes_length_as_an_imported_one(tmp_path, capsys):
    code = cli.main(["--db", str(tmp_path / "g.db"), "run", "add", "--distance", "5k", "--time", "25:00",
                     "--notes", "n" * 10_001])
    err = capsys.readouterr().err
    assert code == 2
    assert "the run has notes 10,001 characters long, more than 10,000" in err


# ---- messages that name the real problem ----------------------------------------------

@pytest.mark.parametrize(("damage", "reason"), [
    (lambda data: data[:16] + bytes(range(256)) * 16, "is damaged (file is not a database)"),
    (lambda data: data[:60], "is not a SQLite database, or its header is damaged"),
], ids=["damaged-body", "cut-in-the-header"])
def test_merging_a_damaged_other_database_names_it_and_says_to_copy_it_again(tmp_path, capsys, damage, reason):
    other = tmp_path / "OTHER.db"
    open_store(other).close()
    other.write_bytes(damage(other.read_bytes()))
    target = tmp_path / "here.db"
    open_store(target).close()
    assert cli.main(["merge", "--db", str(target), str(other)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"glutetui: {other}: {reason}. It is not a glutetui database glutetui can read, and nothing was "
                   "changed. Copy the database again from the other computer (quit glutetui there first), then "
                   "merge that copy.")
    assert "--db" not in err


def test_a_strava_cell_over_the_csv_field_limit_is_called_too_long_not_cut_off(tmp_path, capsys):
    header, first, *_ = STRAVA.read_text(encoding="utf-8").splitlines()
    cells = next(csv.reader([first]))
    cells[3] = "Run"
    cells[4] = "x" * (128 * 1024 + 1)  # the description, past the csv module's 131,072
    path = tmp_path / "activities.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([next(csv.reader([header])), cells])
    assert cli.main(["import", "--db", str(tmp_path / "g.db"), str(path)]) == 2
    out = capsys.readouterr().out
    assert ("not imported: it has a cell longer than 131,072 characters at line 2, more than glutetui reads in one "
            "cell; check that this is the file you meant, or shorten that cell.") in out
    assert "cut off" not in out


def test_a_cell_over_the_csv_field_limit_in_an_export_folder_is_called_too_long(tmp_path, capsys):
    source = tmp_path / "source.db"
    assert cli.main(["--db", str(source), "run", "add", "--distance", "5k", "--time", "25:00", "--notes", "ok"]) == 0
    assert cli.main(["--db", str(source), "export", "--format", "csv", "--out", str(tmp_path / "backup")]) == 0
    runs_csv = tmp_path / "backup" / "runs.csv"
    runs_csv.write_text(runs_csv.read_text(encoding="utf-8").replace(",ok,", "," + "n" * 140_000 + ","), encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["import", "--db", str(tmp_path / "g.db"), str(tmp_path / "backup")]) == 2
    out = capsys.readouterr().out
    assert "not imported: it runs.csv has a cell longer than 131,072 characters at line 2" in out
