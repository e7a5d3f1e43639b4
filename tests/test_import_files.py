"""`glutetui import` of Strava's activities.csv and GPX files into a real SQLite file.

The files in tests/fixtures/imports are invented; their README lists the values
asserted here. Strava's real header is used as is, with its repeated column names.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import main_cli, run_cli

from glutetui.services.import_report import summary_lines
from glutetui.services.importing import Importer
from glutetui.store import warmups as warmup_store
from glutetui.store.db import open_store

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def db(tmp_path):
    database = open_store(tmp_path / "runs.db")
    yield database
    database.close()


def runs(db) -> list[tuple]:
    return db.execute("SELECT started_at, distance_m, duration_s, rpe, notes, source, external_id FROM runs "
                      "ORDER BY started_at").fetchall()


def import_files(db, *names: str, dry_run: bool = False, now: datetime = NOW):
    return Importer(db, now, dry_run=dry_run).import_paths([str(FIXTURES / name) for name in names])


def test_strava_runs_come_in_with_metres_moving_time_rpe_and_notes(db):
    summary = import_files(db, "strava_activities.csv")
    report = summary.files[0]
    assert (report.kind, report.added["runs"], report.duplicates, report.rejected) == ("Strava activities", 5, 0, [])
    assert dict(report.other_activities) == {"Ride": 1, "Swim": 1, "Weight Training": 1}
    assert runs(db) == [
        ("2026-10-03T07:15:00+00:00", 10210.5, 3010, None, "Morning Run\nEasy loop around the pond", "strava", "strava:9100000001"),
        ("2026-10-12T17:40:12+00:00", 8402.7, 4100, 7, 'Hills, "the brutal ones"\nRidge path\nmuddy after the rain',
         "strava", "strava:9100000003"),
        ("2026-10-21T06:02:45+00:00", 5018.3, 1800, None, "Indoor virtual jog", "strava", "strava:9100000005"),
        # The treadmill has no moving time: its elapsed time stands in.
        ("2026-11-02T12:30:00+00:00", 6003.9, 2400, None, "Lunch treadmill\nRainy day, belt at 1% incline", "strava", "strava:9100000007"),
        ("2026-11-18T23:19:20+00:00", 7548.2, 2650, None, "Night Run\nHeadlamp test around the block",
         "strava", "strava:9100000008"),
    ]


def test_importing_the_same_file_again_adds_nothing(db):
    import_files(db, "strava_activities.csv", "two_tracks.gpx")
    before = runs(db)
    again = import_files(db, "strava_activities.csv", "two_tracks.gpx")
    assert [(report.added_total, report.duplicates) for report in again.files] == [(0, 5), (0, 2)]
    assert runs(db) == before


def test_a_bom_and_crlf_file_reads_the_same_as_a_plain_one(db):
    report = import_files(db, "strava_bom.csv").files[0]
    assert report.added["runs"] == 2 and report.rejected == []
    assert [row[4] for row in runs(db)] == ["Morning Run\nEasy loop around the pond", 'Hills, "the brutal ones"\nRidge path\nmuddy after the rain']
    assert import_files(db, "strava_activities.csv").files[0].duplicates == 2


def test_rows_without_date_distance_or_time_are_rejected_with_reasons_and_the_good_row_imports(db):
    report = import_files(db, "strava_empty_fields.csv").files[0]
    assert report.added["runs"] == 1
    assert report.rejected == [("line 2", "has no date"), ("line 3", "has no distance"), ("line 4", "has no time")]
    assert runs(db)[0][:3] == ("2026-11-09T08:00:00+00:00", 6498.8, 2050)


def test_a_truncated_file_adds_nothing_and_the_next_file_still_imports(db):
    summary = import_files(db, "strava_truncated.csv", "one_track.gpx")
    cut, good = summary.files
    assert cut.problem == ("ends in the middle of the row at line 5: the file is cut off. Download the export again")
    assert cut.added_total == 0 and good.added["runs"] == 1
    assert [row[5] for row in runs(db)] == ["gpx"]
    lines = summary_lines(summary)
    assert lines[0].endswith("strava_truncated.csv (Strava activities): not imported: it ends in the middle of the "
                             "row at line 5: the file is cut off. Download the export again.")
    assert lines[-1] == "1 file was not imported; the reasons are above. The others were imported."


def test_a_file_of_rides_only_adds_nothing_and_says_why(db):
    report = import_files(db, "strava_only_rides.csv").files[0]
    assert report.added_total == 0 and dict(report.other_activities) == {"Ride": 2}
    assert runs(db) == []


def test_gpx_tracks_become_runs_from_their_points(db):
    summary = import_files(db, "one_track.gpx", "two_tracks.gpx", "two_segments.gpx")
    assert [report.added["runs"] for report in summary.files] == [1, 2, 1]
    assert [row[:3] + row[4:] for row in runs(db)] == [
        ("2026-10-07T11:42:00+00:00", 3804.9, 1190, "Lunch loop", "gpx", "gpx:2026-10-07T11:42:00+00:00"),
        ("2026-10-13T06:30:00+00:00", 1779.1, 590, "Tuesday easy", "gpx", "gpx:2026-10-13T06:30:00+00:00"),
        ("2026-10-15T17:05:30+00:00", 2392.2, 590, "Thursday tempo", "gpx", "gpx:2026-10-15T17:05:30+00:00"),
        # From the first point to the last: the 3-minute stop between the segments counts.
        ("2026-10-20T07:00:00+00:00", 2262.3, 960, "Loop with traffic light stop", "gpx",
         "gpx:2026-10-20T07:00:00+00:00"),
    ]


def test_a_track_without_times_is_rejected_with_the_reason(db):
    report = import_files(db, "no_times.gpx").files[0]
    assert report.added_total == 0
    assert report.rejected == [("track 1 (Drawn by hand)",
                                "has no time stamps, so neither its start nor its length is known")]


@pytest.mark.parametrize(("name", "problem"), [
    ("broken.gpx", "is broken XML (no element found: line 26, column 83); export it again"),
    ("route_only.gpx", "holds only a route, which has no times; export the activity as a GPX track"),
])
def test_a_broken_or_trackless_gpx_is_refused_whole(db, name, problem):
    report = import_files(db, name).files[0]
    assert report.problem == problem and runs(db) == []


def test_files_are_recognised_by_content_not_by_name(db, tmp_path):
    shutil.copy(FIXTURES / "one_track.gpx", tmp_path / "watch-export.txt")
    shutil.copy(FIXTURES / "strava_bom.csv", tmp_path / "strava.dat")
    summary = Importer(db, NOW).import_paths([str(tmp_path / "watch-export.txt"), str(tmp_path / "strava.dat")])
    assert [(report.kind, report.added["runs"]) for report in summary.files] == [("GPX", 1), ("Strava activities", 2)]


@pytest.mark.parametrize(("content", "problem"), [
    (b"SQLite format 3\x00" + bytes(100), "is a SQLite database; to add another glutetui database, use: glutetui "
                                          "merge FILE"),
    (b"PK\x03\x04rest", "is a zip archive; unzip it first, then import the activities.csv or the folder inside"),
    (b"\x1f\x8b\x08\x00", "is compressed (gzip); unpack it first. glutetui reads GPX files, not FIT"),
    (b"\x0e\x10\x43\x08\x00\x00\x00\x00.FIT", "is a FIT file; glutetui reads GPX: export the activity as GPX from "
                                               "your watch's app"),
    (b'<?xml version="1.0"?><TrainingCenterDatabase/>', "is XML but not GPX (a TCX file?); export the activity as GPX"),
    (b'{"type": "FeatureCollection"}', "is JSON, but not a glutetui export"),
    (b'{"format": "glutetui-export", ', "looks like JSON but is broken at line 1, column 31; export it again"),
    (b"item,qty\nbread,1\n", "is not a file glutetui reads: it reads Strava's activities.csv, GPX files and its own "
                             "exports"),
    (b"\xff\xfe\x00\x00", "is not a text file"),
    (b"Activity ID,caf\xe9", "is not UTF-8 text (byte 16 cannot be read); save it as UTF-8 and import it again"),
    (b"", "is not a file glutetui reads: it reads Strava's activities.csv, GPX files and its own exports"),
])
def test_each_kind_of_wrong_file_gets_one_reason(db, tmp_path, content, problem):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    report = Importer(db, NOW).import_paths([str(path)]).files[0]
    assert report.problem == problem


def test_a_gpx_that_declares_entities_is_refused(db, tmp_path):
    path = tmp_path / "bomb.gpx"
    path.write_text('<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx>&a;</gpx>', encoding="utf-8")
    assert Importer(db, NOW).import_paths([str(path)]).files[0].problem == (
        "declares XML entities, which glutetui does not read")


def shifted_gpx(path: Path, to: datetime) -> str:
    """one_track.gpx moved in time so that its first point is at `to`."""
    text = (FIXTURES / "one_track.gpx").read_text(encoding="utf-8")
    delta = to - datetime(2026, 10, 7, 11, 42, tzinfo=timezone.utc)

    def move(match: re.Match) -> str:
        moment = datetime.fromisoformat(match.group(1).replace("Z", "+00:00")) + delta
        return f"<time>{moment:%Y-%m-%dT%H:%M:%SZ}</time>"

    path.write_text(re.sub(r"<time>([^<]+)</time>", move, text), encoding="utf-8")
    return str(path)


def test_the_same_run_from_strava_and_from_the_watch_is_kept_once(db, tmp_path):
    # Strava's first run made 3.81 km long, so the watch's 3.80 km track 20 s later is that run.
    strava = (FIXTURES / "strava_activities.csv").read_text(encoding="utf-8").replace("10210.5", "3810.0")
    (tmp_path / "activities.csv").write_text(strava, encoding="utf-8")
    Importer(db, NOW).import_paths([str(tmp_path / "activities.csv")])
    watch = shifted_gpx(tmp_path / "watch.gpx", datetime(2026, 10, 3, 7, 15, 20, tzinfo=timezone.utc))
    report = Importer(db, NOW).import_paths([watch]).files[0]
    assert (report.added_total, report.duplicates) == (0, 1)
    assert len(runs(db)) == 5


def test_a_different_run_at_the_same_time_is_added(db, tmp_path):
    import_files(db, "strava_activities.csv")  # 10.2 km at 07:15
    watch = shifted_gpx(tmp_path / "watch.gpx", datetime(2026, 10, 3, 7, 15, 20, tzinfo=timezone.utc))
    assert Importer(db, NOW).import_paths([watch]).files[0].added["runs"] == 1


def test_a_run_typed_by_hand_is_not_imported_again(db):
    from glutetui.store.runs import add_run

    add_run(db, started_at=datetime(2026, 10, 7, 11, 45, tzinfo=timezone.utc), distance_m=3800.0, duration_s=1200,
            rpe=None, notes="typed", aches=(), warmup_id=None, now=NOW)
    report = import_files(db, "one_track.gpx").files[0]
    assert (report.added_total, report.duplicates) == (0, 1)


def test_a_run_in_the_future_is_rejected(db):
    report = import_files(db, "strava_activities.csv", now=datetime(2026, 11, 1, tzinfo=timezone.utc)).files[0]
    assert report.added["runs"] == 3
    assert [why for _, why in report.rejected] == ["starts in the future (2026-11-02 12:30 UTC)",
                                                   "starts in the future (2026-11-18 23:19 UTC)"]


def test_a_dry_run_reports_what_a_real_run_adds_and_writes_nothing(db, tmp_path):
    names = ["strava_activities.csv", "strava_bom.csv", "two_tracks.gpx", "no_times.gpx"]
    dry = import_files(db, *names, dry_run=True)
    assert runs(db) == []
    real = import_files(db, *names)
    shape = [(r.name, dict(r.added), r.duplicates, r.rejected, r.problem) for r in dry.files]
    assert shape == [(r.name, dict(r.added), r.duplicates, r.rejected, r.problem) for r in real.files]
    assert summary_lines(dry)[-1] == "Dry run: nothing was written."
    assert len(runs(db)) == 7


def test_an_imported_run_is_linked_to_the_warm_up_done_before_it(db):
    ended = datetime(2026, 10, 3, 7, 0, tzinfo=timezone.utc)
    summary = {"routine": "pre-run", "planned_s": 150, "done_s": 150, "steps_done": 7, "steps_total": 7,
               "completed": 1}
    warmup_id = warmup_store.start_warmup(db, summary=summary, started_at=ended - timedelta(seconds=150))
    warmup_store.save_warmup(db, warmup_id, summary=summary, now=ended, ended_at=ended)
    import_files(db, "strava_activities.csv")
    linked = db.execute("SELECT external_id, warmup_id FROM runs WHERE warmup_id IS NOT NULL").fetchall()
    assert linked == [("strava:9100000001", warmup_id)]


def test_a_folder_imports_what_it_can_and_names_the_rest_once(db, tmp_path):
    folder = tmp_path / "watch"
    folder.mkdir()
    for name in ("one_track.gpx", "two_tracks.gpx", "notes.txt", "not_a_run.csv", "broken.gpx"):
        shutil.copy(FIXTURES / name, folder / name)
    summary = Importer(db, NOW).import_paths([str(folder)])
    lines = summary_lines(summary)
    assert len(runs(db)) == 3
    assert f"{folder}: left out 2 files of no kind glutetui reads (not_a_run.csv, notes.txt)." in lines
    assert [report.name for report in summary.failed] == [str(folder / "broken.gpx")]


def test_the_command_prints_a_summary_and_exits_2_when_a_file_was_refused(tmp_path):
    target = str(tmp_path / "cli.db")
    good = run_cli("import", "--db", target, str(FIXTURES / "strava_activities.csv"), str(FIXTURES / "one_track.gpx"))
    assert good.returncode == 0, good.stderr
    assert good.stdout.splitlines()[-1] == "In all: added 6 runs from 2 of 2 files; 0 already here."
    assert good.stderr == ""  # no progress bar when not on a terminal, no warnings
    bad = run_cli("import", "--db", target, str(FIXTURES / "broken.gpx"), str(tmp_path / "missing.gpx"),
                  str(FIXTURES / "one_track.gpx"))
    assert bad.returncode == 2 and "Traceback" not in bad.stdout + bad.stderr
    assert f"{tmp_path / 'missing.gpx'}: not imported: it does not exist; check the path." in bad.stdout
    assert "one_track.gpx (GPX): added nothing new; 1 already here." in bad.stdout
    assert bad.stderr == "glutetui: not everything was imported; the reasons are listed above.\n"
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT count(*) FROM runs").fetchone() == (6,)
    conn.close()


def test_an_empty_path_is_refused_rather_than_taken_for_this_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(FIXTURES)  # a folder full of importable runs
    target = tmp_path / "cli.db"
    result = main_cli("import", "--db", str(target), "")
    assert result.returncode == 2
    assert result.stderr.strip() == "glutetui: import: one of the paths is empty; name a file or folder (. for this folder)"
    assert not target.exists()


def test_the_progress_bar_appears_only_after_a_second_on_a_terminal():
    import io

    from rich.console import Console

    from glutetui.cli import _ProgressBar

    moments = iter([0.0, 0.5, 1.5, 1.6])
    output = io.StringIO()
    bar = _ProgressBar("Importing", clock=lambda: next(moments),
                       console=Console(file=output, force_terminal=True, width=60))
    with bar:
        bar.update(1, 10)  # at 0.5 s: nothing yet
        assert bar.progress is None
        bar.update(2, 10)  # at 1.5 s: the bar shows
        assert bar.progress is not None
        bar.update(5, 10)
    assert "Importing" in output.getvalue()


def test_a_date_near_year_one_is_rejected_not_a_crash(db, tmp_path):
    strava = (FIXTURES / "strava_bom.csv").read_text(encoding="utf-8-sig").replace("Oct 3, 2026", "Jan 1, 0001")
    (tmp_path / "old.csv").write_text(strava, encoding="utf-8")
    report = Importer(db, NOW).import_paths([str(tmp_path / "old.csv")]).files[0]
    assert report.added["runs"] == 1 and [why for _, why in report.rejected] == ["starts before 1970 (0001-01-01)"]


def test_a_dry_run_of_the_same_export_twice_counts_its_rows_once(db, tmp_path):
    from glutetui.services.export import export

    source = open_store(tmp_path / "source.db")
    import_files(source, "strava_activities.csv")
    source.execute("INSERT INTO warmups (id, routine, started_at, planned_s, steps_total, created_at) "
                   "VALUES ('w1', 'pre-run', '2026-11-20T07:00:00+00:00', 150, 7, '2026-11-20T07:00:00+00:00')")
    source.conn.commit()
    export(source, "json", tmp_path / "e.json", NOW)
    source.close()
    dry = Importer(db, NOW, dry_run=True).import_paths([str(tmp_path / "e.json")] * 2)
    assert [(dict(+report.added), report.duplicates) for report in dry.files] == [
        ({"runs": 5, "warmups": 1}, 0), ({}, 6)]


def test_paths_the_system_refuses_get_a_line_each_and_no_crash(tmp_path):
    target = str(tmp_path / "cli.db")
    too_long = "a" * 300 + ".gpx"
    result = main_cli("import", "--db", target, too_long, "~nosuchuser-glutetui/x.gpx", str(FIXTURES / "one_track.gpx"))
    assert result.returncode == 2 and "Traceback" not in result.stderr and "unexpected error" not in result.stderr
    assert "it cannot be used as a path ([Errno 36] File name too long" in result.stdout
    assert "~nosuchuser-glutetui/x.gpx: not imported: it cannot be used as a path" in result.stdout
    assert "one_track.gpx (GPX): added 1 run." in result.stdout
    merged = main_cli("merge", "--db", target, "a" * 300 + ".db")
    assert (merged.returncode, merged.stderr.endswith("File name too long. Check the path.\n")) == (2, True)
    out = main_cli("export", "--db", target, "--out", "~nosuchuser-glutetui/x.json")
    assert out.returncode == 2 and "names the home folder of an unknown user" in out.stderr


@pytest.fixture
def gpx_reads(monkeypatch) -> list[Path]:
    """The GPX files parsed from here on (the importer still parses with the real reader)."""
    from glutetui.services.importers import gpx

    reads, real = [], gpx.read_file
    monkeypatch.setattr(gpx, "read_file", lambda path, progress=None: reads.append(path) or real(path, progress))
    return reads


def test_a_gpx_file_imported_before_is_known_by_its_bytes_and_not_read_again(db, gpx_reads):
    # Issue 21: a re-import parsed the whole file before finding its runs here (1.4 s for 50,000 points).
    first = import_files(db, "two_tracks.gpx").files[0]
    again = import_files(db, "two_tracks.gpx").files[0]
    assert (first.added_total, again.kind, again.added_total, again.duplicates) == (2, "GPX", 0, 2)
    assert len(gpx_reads) == 1
    # One of its runs deleted since: the file is read again and the run comes back, as before.
    db.execute("DELETE FROM runs WHERE rowid = (SELECT min(rowid) FROM runs)")
    db.conn.commit()
    back = import_files(db, "two_tracks.gpx").files[0]
    assert (back.added_total, back.duplicates, len(gpx_reads)) == (1, 1, 2)
    assert import_files(db, "two_tracks.gpx").files[0].duplicates == 2 and len(gpx_reads) == 2


def test_a_gpx_file_with_a_rejected_track_or_seen_in_a_dry_run_is_read_every_time(db, gpx_reads):
    import_files(db, "two_tracks.gpx", dry_run=True)
    # Its runs start after this `now`: rejected now, but not for good, so the file is not recorded.
    early = import_files(db, "two_tracks.gpx", now=datetime(2026, 10, 1, tzinfo=timezone.utc)).files[0]
    later = import_files(db, "two_tracks.gpx").files[0]
    assert (len(early.rejected), later.added_total, len(gpx_reads)) == (2, 2, 3)
