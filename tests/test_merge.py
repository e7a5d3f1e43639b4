"""`glutetui merge OTHER.db`: the rows of a work and a home database in one file, each once.

Real SQLite files in tmp_path, written with the store functions at fixed times; the
refusals and the dry run go through the real command (`main_cli`, in this process).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import main_cli

from glutetui.clock import FakeClock
from glutetui.config import Settings
from glutetui.domain.run_flags import Ache
from glutetui.services.importing import FileReport, Importer, open_other
from glutetui.services.progress import load_progress
from glutetui.services.tracker import TrackerRules, summarise
from glutetui.store import posture, reminders, warmups
from glutetui.store import runs as run_store
from glutetui.store.db import TABLES, open_store

ZONE = "Europe/Berlin"
DAY = datetime(2026, 11, 18, tzinfo=timezone.utc)  # a Wednesday
NOW = DAY.replace(hour=20)


def at(hour: int, minute: int = 0, day: datetime = DAY) -> datetime:
    return day.replace(hour=hour, minute=minute)


def zone():
    return FakeClock(NOW, zone=ZONE).local_zone()


def rows(path: Path) -> dict[str, dict[str, tuple]]:
    """Every row of every table, by id, as stored."""
    conn = sqlite3.connect(path)
    try:
        found = {}
        for table in TABLES:
            cursor = conn.execute(f"SELECT * FROM {table}")
            found[table] = {row[0]: row for row in cursor.fetchall()}
        return found
    finally:
        conn.close()


def counts(path: Path) -> dict[str, int]:
    return {table: len(by_id) for table, by_id in rows(path).items()}


def merge(target: Path, other: Path, *, dry_run: bool = False) -> FileReport:
    """What `glutetui merge` does, in-process, at a fixed time."""
    db = open_store(target)
    source = open_other(other, target)
    try:
        return Importer(db, NOW, dry_run=dry_run).merge(source, str(other))
    finally:
        source.close()
        db.close()


def sitting_today(path: Path) -> float:
    """Today's sitting as the Today tab sums it (services.tracker.summarise)."""
    db = open_store(path)
    try:
        current = posture.open_posture(db)
        today = summarise(db, TrackerRules.from_settings(Settings()), NOW, zone(), current, open_until=None)
        return today.sitting_seconds
    finally:
        db.close()


def sitting_minutes_on_progress(path: Path) -> int:
    db = open_store(path)
    try:
        week = load_progress(db, now=NOW, zone=zone(), settings=Settings()).week
        [day] = [day for day in week.days if day.day == DAY.date()]
        return day.sitting_minutes
    finally:
        db.close()


WARMUP = {"routine": "pre-run", "planned_s": 164, "done_s": 164, "steps_done": 7, "steps_total": 7, "completed": 1}


@pytest.fixture
def work(tmp_path) -> Path:
    """The work computer: sat 09:00-12:00 today, a run with an ache, a reminder, a pause."""
    path = tmp_path / "work.db"
    db = open_store(path)
    posture.begin_state(db, "sitting", at(9), "auto")
    posture.begin_state(db, "standing", at(12), "manual")
    posture.end_open(db, at(12, 20))
    reminder = reminders.add_shown(db, due_at=at(9, 30), shown_at=at(9, 30), bout_minutes=30, move="bridge")
    reminders.set_outcome(db, reminder, "taken", at(9, 31))
    reminders.pause(db, at(10), at(10, 30))
    run_store.add_run(db, started_at=at(7, day=DAY - timedelta(days=2)), distance_m=8000.0, duration_s=2700,
                      rpe=5, notes="work loop", aches=(Ache("knee", "left", "after", 2),), warmup_id=None,
                      now=at(8, day=DAY - timedelta(days=2)))
    db.close()
    return path


@pytest.fixture
def home(tmp_path) -> Path:
    """The home computer: sat 11:00-13:00 today, a warm-up and the run after it, with aches."""
    path = tmp_path / "home.db"
    db = open_store(path)
    posture.begin_state(db, "sitting", at(11), "auto")
    posture.begin_state(db, "break", at(13), "manual")
    posture.end_open(db, at(13, 15))
    warmup = warmups.start_warmup(db, summary=WARMUP, started_at=at(17, 50))
    warmups.save_warmup(db, warmup, summary=WARMUP, now=at(17, 53), ended_at=at(17, 53))
    run_store.add_run(db, started_at=at(18), distance_m=10000.0, duration_s=3300, rpe=6, notes="evening",
                      aches=(Ache("hip", "right", "after", 3), Ache("lower_back", "centre", "during", 1)),
                      warmup_id=warmup, now=at(19))
    db.close()
    return path


def test_merged_days_count_overlapping_sitting_once_and_every_row_arrives_once(work, home):
    before_work, before_home = rows(work), rows(home)
    assert sitting_today(work) == 3 * 3600  # alone: 09:00-12:00
    report = merge(work, home)
    assert report.problem is None
    after = rows(work)
    for table in TABLES:
        # Every row of both files, each once and exactly as stored (ids are unique across computers).
        assert set(after[table]) == set(before_work[table]) | set(before_home[table]), table
        assert len(after[table]) == len(before_work[table]) + len(before_home[table]), table
        assert after[table] == {**before_work[table], **before_home[table]}, table
    assert {table: count for table, count in report.added.items() if count} == {
        table: len(by_id) for table, by_id in before_home.items() if by_id}
    # 09:00-12:00 here and 11:00-13:00 there: the union is 4 h, not the sum of 5 h.
    assert sitting_today(work) == 4 * 3600
    assert sitting_minutes_on_progress(work) == 240


def test_merging_the_same_file_again_adds_nothing(work, home):
    first = main_cli("merge", "--db", str(work), str(home))
    assert first.returncode == 0, first.stderr
    assert "added 2 posture intervals" in first.stdout and "1 run, 2 aches" in first.stdout
    merged = rows(work)
    second = main_cli("merge", "--db", str(work), str(home))
    assert second.returncode == 0, second.stderr
    home_rows = sum(counts(home).values())
    assert f"added nothing new; {home_rows} already here." in second.stdout
    assert rows(work) == merged


def test_the_same_run_logged_on_both_computers_is_kept_once(tmp_path):
    work, home = tmp_path / "work.db", tmp_path / "home.db"
    db = open_store(work)
    here = run_store.add_run(db, started_at=at(7), distance_m=5000.0, duration_s=1800, rpe=None, notes="typed at work",
                             aches=(), warmup_id=None, now=at(9))
    db.close()
    db = open_store(home)
    same = run_store.add_run(db, started_at=at(7, 5), distance_m=5100.0, duration_s=1790, rpe=4,
                             notes="typed at home", aches=(Ache("knee", "left", "after", 2),), warmup_id=None,
                             now=at(8))
    later = run_store.add_run(db, started_at=at(10, 5), distance_m=5000.0, duration_s=1800, rpe=None,
                              notes="second run", aches=(), warmup_id=None, now=at(11))
    db.close()
    assert same != here
    report = merge(work, home)
    stored = rows(work)["runs"]
    assert set(stored) == {here, later}
    db = open_store(work)
    kept = run_store.run_by_id(db, here)
    db.close()
    assert (kept.distance_m, kept.notes) == (5000.0, "typed at work")  # the copy here is the one kept
    # The ache logged at home belongs to the run kept here; merging again adds it no second time.
    assert report.added["runs"] == 1 and report.added["aches"] == 1 and report.duplicates == 1
    assert [(ache[1], ache[2], ache[5]) for ache in rows(work)["aches"].values()] == [(here, "knee", 2)]
    again = merge(work, home)
    assert again.added_total == 0 and len(rows(work)["aches"]) == 1


def test_two_runs_close_together_in_one_file_both_arrive(tmp_path):
    """Only a run already here can be another's twin: two rows of the other database are
    two runs, even 10 minutes apart (an export restored into a new file lost one)."""
    work, home = tmp_path / "work.db", tmp_path / "home.db"
    open_store(work).close()
    db = open_store(home)
    ids = {run_store.add_run(db, started_at=at(7, minute), distance_m=5000.0, duration_s=1500, rpe=None,
                             notes="", aches=(), warmup_id=None, now=at(9)) for minute in (0, 10)}
    db.close()
    report = merge(work, home)
    assert set(rows(work)["runs"]) == ids and report.added["runs"] == 2 and report.duplicates == 0


def test_the_same_ache_logged_on_both_computers_is_kept_once(tmp_path):
    knee = (Ache("knee", "left", "after", 4),)
    paths = [tmp_path / "work.db", tmp_path / "home.db"]
    for path in paths:
        db = open_store(path)
        run_store.add_run(db, started_at=at(7), distance_m=5000.0, duration_s=1800, rpe=None, notes="",
                          aches=knee, warmup_id=None, now=at(9))
        db.close()
    report = merge(*paths)
    assert report.added_total == 0 and report.duplicates == 2
    assert len(rows(paths[0])["aches"]) == 1


def test_a_later_edit_on_the_other_computer_replaces_the_copy_here_and_an_older_one_does_not(tmp_path):
    work, home = tmp_path / "work.db", tmp_path / "home.db"
    open_store(work).close()
    db = open_store(home)
    run_id = run_store.add_run(db, started_at=at(7), distance_m=5000.0, duration_s=1800, rpe=5, notes="first",
                               aches=(Ache("knee", "left", "after", 3),), warmup_id=None, now=at(8))
    db.close()
    merge(work, home)  # the run and its ache are copied with their ids

    def edit(path: Path, distance_m: float, aches: tuple[Ache, ...], now: datetime, notes: str) -> None:
        db = open_store(path)
        assert run_store.update_run(db, run_id, started_at=at(7), distance_m=distance_m, duration_s=1800, rpe=5,
                                    notes=notes, aches=aches, warmup_id=None, now=now)
        db.close()

    def stored(path: Path) -> tuple:
        db = open_store(path)
        try:
            run = run_store.run_by_id(db, run_id)
            return run.distance_m, run.notes, run.aches
        finally:
            db.close()

    edit(home, 6000.0, (Ache("hip", "right", "after", 2),), at(12), "fixed at home")
    report = merge(work, home)
    assert report.updated == 1
    assert stored(work) == (6000.0, "fixed at home", (Ache("hip", "right", "after", 2),))
    assert len(rows(work)["aches"]) == 1  # the knee ache went with the old copy
    assert rows(work)["runs"] == rows(home)["runs"] and rows(work)["aches"] == rows(home)["aches"]

    # Edited here at 15:00, then at home at 14:00 (earlier): the later change, here, stays.
    edit(work, 7000.0, (Ache("calf", "both", "after", 1),), at(15), "fixed at work")
    edit(home, 6500.0, (Ache("knee", "right", "after", 5),), at(14), "fixed again at home")
    report = merge(work, home)
    assert report.updated == 0 and report.added_total == 0
    assert stored(work) == (7000.0, "fixed at work", (Ache("calf", "both", "after", 1),))


def test_only_one_posture_interval_is_open_after_a_merge(tmp_path):
    work, home = tmp_path / "work.db", tmp_path / "home.db"
    db = open_store(work)
    mine = posture.begin_state(db, "sitting", at(9), "auto")
    db.close()
    db = open_store(home)
    theirs = posture.begin_state(db, "standing", at(10), "auto")
    assert posture.touch(db, theirs.id, at(10, 45))  # the home app's last heartbeat
    db.close()
    merge(work, home)
    stored = rows(work)["posture"]
    db = open_store(work)
    try:
        assert posture.open_posture(db).id == mine.id
        assert db.execute("SELECT count(*) FROM posture WHERE ended_at IS NULL").fetchone() == (1,)
        assert db.execute("SELECT ended_at FROM posture WHERE id = ?", [theirs.id]).fetchone() == (
            "2026-11-18T10:45:00+00:00",)
    finally:
        db.close()
    assert set(stored) == {mine.id, theirs.id}


def test_an_open_interval_from_the_other_file_stays_open_when_none_is_open_here(tmp_path):
    work, home = tmp_path / "work.db", tmp_path / "home.db"
    db = open_store(work)
    posture.begin_state(db, "sitting", at(8), "auto")
    posture.end_open(db, at(9))
    db.close()
    db = open_store(home)
    theirs = posture.begin_state(db, "sitting", at(10), "auto")
    posture.touch(db, theirs.id, at(10, 45))
    db.close()
    merge(work, home)
    db = open_store(work)
    try:
        assert posture.open_posture(db).id == theirs.id
        assert db.execute("SELECT count(*) FROM posture WHERE ended_at IS NULL").fetchone() == (1,)
    finally:
        db.close()


def _newer(tmp_path: Path, home: Path) -> Path:
    copy = tmp_path / "newer.db"
    shutil.copy(home, copy)
    conn = sqlite3.connect(copy)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    return copy


def _foreign(tmp_path: Path, home: Path) -> Path:
    path = tmp_path / "other-program.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    return path


def _json(tmp_path: Path, home: Path) -> Path:
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"format": "glutetui-export", "tables": {}}), encoding="utf-8")
    return path


def _folder(tmp_path: Path, home: Path) -> Path:
    path = tmp_path / "a-folder"
    path.mkdir()
    return path


def _itself_by_a_link(tmp_path: Path, home: Path) -> Path:
    link = tmp_path / "link.db"
    link.symlink_to(tmp_path / "work.db")
    return link


def _itself_by_a_hard_link(tmp_path: Path, home: Path) -> Path:
    link = tmp_path / "hard-link.db"
    os.link(tmp_path / "work.db", link)
    return link


@pytest.mark.parametrize(("make", "words"), [
    (lambda tmp_path, home: tmp_path / "work.db", "is the database glutetui uses itself"),
    (_itself_by_a_link, "is the database glutetui uses itself"),
    (_itself_by_a_hard_link, "is the database glutetui uses itself"),
    (lambda tmp_path, home: tmp_path / "missing.db", "does not exist"),
    (_json, "is not a SQLite database"),
    (_folder, "is a folder"),
    (_newer, "newer glutetui"),
    (_foreign, "another program"),
], ids=["itself", "itself-by-a-link", "itself-by-a-hard-link", "missing", "json", "folder", "newer-schema", "foreign-sqlite"])
def test_a_file_that_cannot_be_merged_is_refused_in_one_line(tmp_path, work, home, make, words):
    other = make(tmp_path, home)
    before = rows(work)
    result = main_cli("merge", "--db", str(work), str(other))
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and str(other) in lines[0], result.stderr
    assert lines[0].startswith("glutetui: ") and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert rows(work) == before


def test_a_dry_run_says_what_it_would_add_and_writes_nothing(work, home):
    before = rows(work)
    result = main_cli("merge", "--dry-run", "--db", str(work), str(home))
    assert result.returncode == 0, result.stderr
    assert f"{home} (glutetui database): would add 2 posture intervals" in result.stdout
    assert "Dry run: nothing was written." in result.stdout
    assert rows(work) == before


def test_a_recovery_on_the_other_computer_does_not_cut_the_real_interval_short(tmp_path):
    # Work's interval is copied home while open; home's app later closes its copy at the old
    # heartbeat (a recovery, a later change); work's real end at 17:00 must survive a merge back.
    work, home, copy = tmp_path / "work.db", tmp_path / "home.db", tmp_path / "copy.db"
    db = open_store(work)
    interval = posture.begin_state(db, "sitting", at(9), "auto")
    posture.touch(db, interval.id, at(12))
    db.close()
    shutil.copy(work, copy)
    open_store(home).close()
    merge(home, copy)
    db = open_store(work)
    posture.touch(db, interval.id, at(17))
    posture.end_open(db, at(17))
    db.close()
    db = open_store(home)
    posture.recover_open(db, at(20), zone())
    db.close()
    report = merge(work, home)
    assert report.updated == 0
    assert rows(work)["posture"][interval.id][2:4] == ("2026-11-18T09:00:00+00:00", "2026-11-18T17:00:00+00:00")
    back = merge(home, work)  # and the other way round, home learns the real end
    assert back.updated == 1
    assert rows(home)["posture"][interval.id][3] == "2026-11-18T17:00:00+00:00"


def test_a_merge_checks_only_the_rows_it_would_add_or_update(work, home, monkeypatch):
    # Issue 21: a merge that adds nothing read and validated every row (2.6 s for five years).
    # Rows here in the same or a later version are counted as already here, unchecked.
    from glutetui.services import importing

    checked: list[tuple[str, str]] = []

    def spy(table: str, row: dict, now: datetime):
        checked.append((table, row["id"]))
        return importing_row_problem(table, row, now)

    importing_row_problem = importing.row_problem
    monkeypatch.setattr(importing, "row_problem", spy)
    merge(work, home)
    assert len(checked) == sum(counts(home).values())
    checked.clear()
    again = merge(work, home)
    assert (checked, again.added_total, again.duplicates) == ([], 0, sum(counts(home).values()))

    db = open_store(home)
    run_id = db.execute("SELECT id FROM runs").fetchone()[0]
    assert run_store.update_run(db, run_id, started_at=at(18), distance_m=10500.0, duration_s=3300, rpe=6,
                                notes="evening, measured again", aches=(Ache("hip", "right", "after", 2),),
                                warmup_id=None, now=at(21))
    ache_id = db.execute("SELECT id FROM aches WHERE run_id = ?", [run_id]).fetchone()[0]
    db.close()
    edited = merge(work, home)
    assert sorted(checked) == [("aches", ache_id), ("runs", run_id)]
    assert (edited.updated, edited.added["aches"]) == (1, 1)
    assert rows(work)["runs"][run_id] == rows(home)["runs"][run_id]


def test_a_database_of_the_first_schema_merges_and_then_is_all_here(tmp_path):
    from sqlite_utils import Database

    from glutetui.store.migrations import MIGRATION_NAMES, migrations

    old_path = tmp_path / "old.db"
    old = Database(old_path)
    migrations.apply(old, stop_before=MIGRATION_NAMES[1])  # no reminder_pauses, no morning_asked_at
    stamp = "2026-11-17T18:00:00+00:00"
    old.execute("INSERT INTO runs (id, started_at, distance_m, duration_s, notes, source, created_at) "
                "VALUES ('r1', ?, 5000.0, 1800, 'old', 'manual', ?)", [stamp, stamp])
    old.execute("INSERT INTO aches (id, run_id, body_part, side, phase, score, created_at) "
                "VALUES ('a1', 'r1', 'knee', 'left', 'after', 2, ?)", [stamp])
    old.conn.commit()
    old.close()
    work = tmp_path / "work.db"
    open_store(work).close()
    first = merge(work, old_path)
    assert (first.problem, first.added["runs"], first.added["aches"]) == (None, 1, 1)
    again = merge(work, old_path)
    assert (again.problem, again.added_total, again.duplicates) == (None, 0, 2)
