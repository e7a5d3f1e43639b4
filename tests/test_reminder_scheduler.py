"""The reminder scheduler and the streak on a real SQLite file and a fake clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from glutetui.clock import FakeClock
from glutetui.config import Settings
from glutetui.domain.reminders import MISSED, SNOOZED, TAKEN
from glutetui.domain.routines import Step
from glutetui.paths import Locations
from glutetui.services.reminders import ReminderScheduler, past_streak, rules_from_settings
from glutetui.services.status import read_status, status_json
from glutetui.services.tracker import SittingTracker, TrackerRules
from glutetui.store import posture
from glutetui.store.db import open_store

ZONE = "Europe/Berlin"
ARRIVE = datetime(2026, 11, 18, 8, 0, tzinfo=timezone.utc)  # Wednesday 09:00 in Berlin
MOVES = (Step("Squeeze", "Squeeze.", 20.0), Step("Opener", "Open.", 15.0), Step("Balance", "Balance.", 15.0))


@pytest.fixture
def db(tmp_path):
    database = open_store(tmp_path / "remind.db")
    yield database
    database.close()


def scheduler(db, clock, **settings) -> ReminderScheduler:
    return ReminderScheduler(db, clock, rules_from_settings(Settings(**settings)), MOVES)


def sit_for(tracker: SittingTracker, clock: FakeClock, minutes: int) -> None:
    for _ in range(minutes * 2):
        clock.advance(30)
        tracker.tick()


def check(reminders: ReminderScheduler, tracker: SittingTracker):
    summary = tracker.summary()
    return reminders.check(bout=summary.bout, state=summary.state, warmup_running=False)


def test_a_restart_misses_what_waited_and_keeps_the_moves_turning(db):
    clock = FakeClock(ARRIVE, zone=ZONE)
    tracker = SittingTracker(db, clock, TrackerRules.from_settings(Settings()))
    tracker.start()
    reminders = scheduler(db, clock)
    sit_for(tracker, clock, 30)
    assert check(reminders, tracker).move.name == "Squeeze"
    # The app is killed; a new one starts and sees a reminder nobody answered.
    again = scheduler(db, clock)
    again.start()
    assert db.execute("SELECT outcome, responded_at FROM reminders").fetchall() == [(MISSED, None)]
    sit_for(tracker, clock, 10)
    assert check(again, tracker).move.name == "Opener"


def test_the_snooze_cap_counts_the_whole_local_day_and_starts_again_tomorrow(db):
    clock = FakeClock(ARRIVE, zone=ZONE)
    tracker = SittingTracker(db, clock, TrackerRules.from_settings(Settings(snooze_cap=2)))
    tracker.start()
    reminders = scheduler(db, clock, snooze_cap=2)
    sit_for(tracker, clock, 30)
    for left in (2, 1):
        assert check(reminders, tracker).snoozes_left == left
        assert reminders.answer(SNOOZED)
        sit_for(tracker, clock, 5)
    assert check(reminders, tracker).snoozes_left == 0
    assert not reminders.answer(SNOOZED)  # refused: only take or skip now
    assert reminders.answer(TAKEN)
    clock.advance(timedelta(days=1).total_seconds())
    assert reminders.snoozes_left() == 2


def test_a_pause_outlives_a_restart_and_resume_ends_it(db):
    clock = FakeClock(ARRIVE, zone=ZONE)
    reminders = scheduler(db, clock)
    until = reminders.pause(None)
    assert until == datetime(2026, 11, 18, 23, 0, tzinfo=timezone.utc)  # Berlin midnight
    clock.advance(600)
    assert scheduler(db, clock).paused_until() == until
    scheduler(db, clock).resume()
    assert reminders.paused_until() is None


def test_status_json_tells_the_reminders_and_the_streak(db, tmp_path):
    clock = FakeClock(ARRIVE, zone=ZONE)
    tracker = SittingTracker(db, clock, TrackerRules.from_settings(Settings()))
    tracker.start()
    reminders = scheduler(db, clock)
    sit_for(tracker, clock, 30)
    check(reminders, tracker)
    reminders.answer(SNOOZED)
    where = Locations(db=tmp_path / "remind.db", config=tmp_path / "c.toml", db_is_default=False)
    data = status_json(read_status(where, Settings(), clock))
    assert data["reminders_today"] == {"taken": 0, "snoozed": 1, "skipped": 0, "missed": 0}
    assert data["streak_workdays"] == 1  # today so far: no bout over an hour
    assert data["reminders_paused_until"] is None


def add_day(db, day: datetime, bout_minutes: list[int]) -> None:
    """A workday from 09:00 local: bouts of the given lengths with 5 min standing between."""
    moment = day
    for minutes in bout_minutes:
        posture.begin_state(db, "sitting", moment, "auto")
        moment += timedelta(minutes=minutes)
        posture.begin_state(db, "standing", moment, "manual")
        moment += timedelta(minutes=5)
    posture.end_open(db, moment)


def test_the_streak_skips_weekends_and_days_off_and_stops_at_a_long_bout(db):
    zone = FakeClock(ARRIVE, zone=ZONE).local_zone()
    hours = Settings().hours
    nine = lambda day: datetime(2026, 11, day, 8, 0, tzinfo=timezone.utc)  # noqa: E731
    add_day(db, nine(9), [50, 40])     # Monday: fine, but before the long day
    add_day(db, nine(10), [30, 75])    # Tuesday: a bout over an hour ends the streak
    add_day(db, nine(11), [60, 60])    # Wednesday: exactly an hour is not over it
    add_day(db, nine(12), [45])        # Thursday
    # Friday the 13th: a day off, nothing recorded; then the weekend, with a long Saturday.
    add_day(db, nine(14), [120])
    add_day(db, nine(16), [55, 20])    # Monday
    streak = past_streak(db, hours, timedelta(minutes=1), datetime(2026, 11, 17).date(), zone)
    assert streak == 3  # Monday 16th, Thursday 12th, Wednesday 11th
    assert past_streak(db, hours, timedelta(minutes=1), datetime(2026, 11, 10).date(), zone) == 1
    assert past_streak(db, hours, timedelta(minutes=1), datetime(2026, 11, 9).date(), zone) == 0
