"""Issue 21: no read about today or a week touches the whole history, and `glutetui status`
loads only what it prints. Intervals longer than a day are stored as pieces (so reads can be
bounded on both ends) with every total unchanged; the day's streak count is cached and
never stale; the status line's own argument reading hands anything unusual to argparse."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlite_utils import Database

from glutetui.domain import sitting
from glutetui.domain.sitting import Interval
from glutetui.domain.timefmt import to_utc_text
from glutetui.domain.workhours import WorkingHours
from glutetui.entry import app_request, status_request
from glutetui.services.reminders import cached_past_streak, past_streak
from glutetui.store import exchange, posture, reading
from glutetui.store.db import open_store
from glutetui.store.migrations import MIGRATION_NAMES, SCHEMA_VERSION, migrations

UTC = timezone.utc
START = datetime(2026, 11, 9, 7, 30, tzinfo=UTC)  # a Monday morning
BREAK_MIN = timedelta(minutes=1)


def stored(db) -> list[tuple]:
    return db.execute("SELECT id, state, started_at, ended_at FROM posture ORDER BY started_at").fetchall()


def day_numbers(intervals: list[Interval], zone, days: list[date]) -> list[tuple]:
    numbers = []
    for day in days:
        window = sitting.day_bounds(day, zone)
        longest = sitting.longest_bout(intervals, BREAK_MIN, window)
        numbers.append((sitting.seconds_in(intervals, (sitting.SITTING,), window),
                        sitting.breaks_taken(intervals, BREAK_MIN, window),
                        len(sitting.active_hours(intervals, window)), longest.seconds if longest else None))
    return numbers


def test_an_interval_open_for_days_is_stored_as_day_pieces_and_every_total_stays(tmp_path):
    db = open_store(tmp_path / "g.db")
    zone = UTC  # days in UTC: the pieces cross its midnights
    posture.begin_state(db, "standing", START - timedelta(minutes=20), "manual")
    opened = posture.begin_state(db, "sitting", START, "cli")
    end = START + timedelta(days=3, hours=5, minutes=7)
    # Open while it lasts: read through its own index, whatever its length.
    assert [item.state for item in posture.intervals_between(db, end - timedelta(hours=1), end, end)] == ["sitting"]
    posture.begin_state(db, "break", end, "manual")

    rows = [row for row in stored(db) if row[1] == "sitting"]
    assert len(rows) == 4 and rows[0][0] == opened.id
    assert [row[2] for row in rows[1:]] == [row[3] for row in rows[:-1]]  # one after the other, no gap
    assert rows[0][2] == to_utc_text(START) and rows[-1][3] == to_utc_text(end)
    assert all(datetime.fromisoformat(row[3]) - datetime.fromisoformat(row[2]) <= posture.MAX_INTERVAL for row in rows)

    whole = [Interval("standing", START - timedelta(minutes=20), START), Interval("sitting", START, end)]
    days = [START.date() + timedelta(days=n) for n in range(-1, 5)]
    found = posture.intervals_between(db, START - timedelta(days=2), end + timedelta(days=2), None)
    assert day_numbers(found, zone, days) == day_numbers(whole, zone, days)
    # One day in the middle, asked for alone: the piece that began the day before is found.
    middle = sitting.day_bounds(START.date() + timedelta(days=2), zone)
    assert sitting.seconds_in(posture.intervals_between(db, *middle, None), ("sitting",), middle) == 86400

    posture.relabel(db, [opened.id], "away", "was away", end)
    assert {row[1] for row in stored(db) if row[2] >= to_utc_text(START) and row[2] < to_utc_text(end)} == {"away"}


def test_the_migration_splits_older_long_intervals_with_the_same_ids_everywhere(tmp_path):
    def old_file(name):
        db = Database(sqlite3.connect(tmp_path / name))
        migrations.apply(db, stop_before=MIGRATION_NAMES[6])
        for row_id, start, end in (("long", START, START + timedelta(days=2, hours=3)),
                                   ("short", START + timedelta(days=3), START + timedelta(days=3, hours=2))):
            db["posture"].insert({"id": row_id, "state": "sitting", "started_at": to_utc_text(start),
                                  "ended_at": to_utc_text(end), "last_seen_at": to_utc_text(end), "source": "auto",
                                  "created_at": to_utc_text(end)})
        db.close()
        return open_store(tmp_path / name)

    home, work = old_file("home.db"), old_file("work.db")
    assert stored(home) == stored(work)  # a merge of the two upgraded files adds nothing
    rows = stored(home)
    assert [row[0] for row in rows][:1] == ["long"] and len(rows) == 4
    assert rows[0][3] == rows[1][2] == to_utc_text(START + timedelta(days=1))
    assert rows[2][3] == to_utc_text(START + timedelta(days=2, hours=3))
    found = posture.intervals_between(home, START, START + timedelta(days=4), None)
    assert sitting.seconds_in(found, ("sitting",), (START, START + timedelta(days=4))) == (51 + 2) * 3600


def test_an_import_of_an_older_export_stores_its_long_interval_as_pieces(tmp_path):
    db = open_store(tmp_path / "g.db")
    writes = exchange.Writes.empty()
    writes.inserts["posture"].append({
        "id": "old", "state": "away", "started_at": to_utc_text(START), "ended_at": to_utc_text(START + timedelta(days=2)),
        "last_seen_at": to_utc_text(START), "source": "auto", "note": None, "created_at": to_utc_text(START),
        "updated_at": None, "warmup_id": None})
    exchange.apply(db, writes)
    rows = stored(db)
    assert [row[0] for row in rows] == ["old", posture.piece_id("old", 1)]
    assert rows[1][3] == to_utc_text(START + timedelta(days=2))


def add(db, state: str, start: datetime, minutes: float) -> None:
    with db.conn:
        posture._insert(db, state, start, start + timedelta(minutes=minutes), "auto", None)


def test_the_streak_is_counted_once_a_day_and_never_read_stale(tmp_path):
    db = open_store(tmp_path / "g.db")
    zone, hours = UTC, WorkingHours.parse("Mon-Fri 08:00-18:00")
    today = date(2026, 11, 20)  # a Friday
    for back in range(1, 12):
        day = datetime.combine(today - timedelta(days=back), datetime.min.time(), UTC)
        add(db, "sitting", day + timedelta(hours=9), 50)
        add(db, "break", day + timedelta(hours=9, minutes=50), 10)
    fresh = past_streak(db, hours, BREAK_MIN, today, zone)
    assert fresh == 9  # the weekdays of eleven days back
    assert cached_past_streak(db, hours, BREAK_MIN, today, zone) == fresh
    assert db.execute("SELECT streak FROM streak_cache").fetchall() == [(fresh,)]

    # Yesterday gains a two-hour bout (an import, a merge): the cached count goes with it.
    add(db, "sitting", datetime(2026, 11, 19, 13, 0, tzinfo=UTC), 120)
    assert db.execute("SELECT count(*) FROM streak_cache").fetchone()[0] == 0
    assert cached_past_streak(db, hours, BREAK_MIN, today, zone) == past_streak(db, hours, BREAK_MIN, today, zone) == 0

    # Today's rows cannot change the past: the count stays stored.
    add(db, "sitting", datetime(2026, 11, 20, 9, 0, tzinfo=UTC), 30)
    assert db.execute("SELECT streak FROM streak_cache").fetchall() == [(0,)]


def test_a_count_made_while_the_rows_changed_is_not_stored(tmp_path):
    from glutetui.store import streaks

    db = open_store(tmp_path / "g.db")
    day_start = datetime(2026, 11, 20, tzinfo=UTC)
    _, generation = streaks.cached(db, day_start.date(), "rules")
    add(db, "sitting", day_start - timedelta(hours=5), 30)  # written by another process meanwhile
    assert not streaks.remember(db, day_start.date(), "rules", day_start, 4, generation, day_start)
    _, generation = streaks.cached(db, day_start.date(), "rules")
    assert streaks.remember(db, day_start.date(), "rules", day_start, 4, generation, day_start)
    assert streaks.cached(db, day_start.date(), "rules")[0] == 4


@pytest.mark.parametrize(("words", "asked"), [
    (["status"], (None, None, False)),
    (["status", "--json"], (None, None, True)),
    (["--db", "a.db", "status", "--config=c.toml", "--json"], ("a.db", "c.toml", True)),
    (["--db", "a.db", "status", "--db", "b.db"], ("b.db", None, False)),  # argparse: the later one wins
    (["status", "--db="], ("", None, False)),
])
def test_a_plain_status_line_is_read_without_argparse(words, asked):
    assert status_request(words) == asked


@pytest.mark.parametrize("words", [
    [], ["report"], ["status", "--help"], ["--json", "status"], ["status", "--js"], ["status", "status"],
    ["status", "--db"], ["status", "--db", "--json"], ["status", "extra"],
])
def test_anything_else_goes_to_argparse(words):
    assert status_request(words) is None


@pytest.mark.parametrize(("words", "asked"), [
    ([], (None, None)),
    (["--db", "a.db"], ("a.db", None)),
    (["--config=c.toml", "--db", "a.db", "--db=b.db"], ("b.db", "c.toml")),
])
def test_opening_the_app_is_recognised_without_argparse(words, asked):
    assert app_request(words) == asked


@pytest.mark.parametrize("words", [["open"], ["warmup", "pre-run"], ["--db"], ["--db", "--config", "c"], ["--help"],
                                   ["--version"], ["--d", "a.db"], ["status"]])
def test_any_other_line_is_not_taken_for_opening_the_app(words):
    assert app_request(words) is None


def test_the_lean_reader_knows_the_schema_version():
    assert reading.SCHEMA_VERSION == SCHEMA_VERSION


LEFT_OUT_OF_STATUS = ("argparse", "sqlite_utils", "dateutil", "tomlkit", "textual", "typing", "dataclasses",
                      "inspect", "platformdirs", "tomllib")


@pytest.mark.parametrize("given", ["flags", "xdg defaults"])
def test_status_loads_only_what_it_prints(tmp_path, given, monkeypatch):
    data_home = tmp_path / "data"
    db_path = data_home / "glutetui" / "glutetui.db"
    db_path.parent.mkdir(parents=True)
    db = open_store(db_path)
    posture.begin_state(db, "sitting", datetime.now(UTC) - timedelta(minutes=5), "cli")
    db.close()
    config = tmp_path / "config" / "glutetui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('# as the Settings tab writes it\nworking_hours = "always"\nsitting_goal_hours = 5.5\n')
    words = ["status", "--json"]
    if given == "flags":
        words += ["--db", str(db_path), "--config", str(config)]
    else:  # the platform's folders, as a tmux line with no flags finds them
        monkeypatch.delenv("GLUTETUI_DB")
        monkeypatch.delenv("GLUTETUI_CONFIG")
        monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    script = ("import sys; from glutetui.entry import main; code = main(sys.argv[1:]); "
              f"print(sorted(name for name in {LEFT_OUT_OF_STATUS!r} if name in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script, *words], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    *shown, loaded = done.stdout.splitlines()
    said = json.loads("\n".join(shown))
    assert said["state"] == "sitting" and said["goal_minutes"] == 330  # the settings were read
    assert loaded == "[]"
