"""The sitting tracker on a real SQLite file and a fake clock.

The idle probe's readings are handed in by the test (`IdleReading`), like the
time: the real probes are tested against a real X server in test_idle_probes.
"""

from __future__ import annotations

from glutetui.domain.record import replace
from datetime import datetime, timedelta, timezone

import pytest

from glutetui.clock import FakeClock
from glutetui.config import Settings
from glutetui.domain.sitting import day_bounds
from glutetui.services.idle import IdleReading
from glutetui.services.tracker import SittingTracker, TrackerRules
from glutetui.store import posture
from glutetui.store.db import open_store

ZONE = "Europe/Berlin"
# Wednesday 2026-11-18, 09:00 in Berlin (UTC+1).
ARRIVE = datetime(2026, 11, 18, 8, 0, tzinfo=timezone.utc)


def local(hour: int, minute: int = 0, day: int = 18) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.utc) - timedelta(hours=1)


@pytest.fixture
def db(tmp_path):
    database = open_store(tmp_path / "track.db")
    yield database
    database.close()


def make_tracker(db, clock, **settings) -> SittingTracker:
    return SittingTracker(db, clock, TrackerRules.from_settings(Settings(**settings)))


def run_for(tracker: SittingTracker, clock: FakeClock, minutes: float, step: float = 10.0, idle_from=None):
    """Tick as the app does; with `idle_from`, the probe reports no input since then."""
    answers = []
    for _ in range(int(minutes * 60 / step)):
        clock.advance(step)
        back = tracker.tick()
        if idle_from is not None:
            idle = (clock.now() - idle_from).total_seconds()
            back = tracker.observe_idle(IdleReading(idle_seconds=idle)) or back
        if back:
            answers.append(back)
    return answers


def stored(db) -> list[tuple]:
    return db.execute("SELECT state, started_at, ended_at, source FROM posture ORDER BY started_at").fetchall()


def minutes(seconds: float) -> float:
    return round(seconds / 60, 2)


def test_a_simulated_workday_gives_exact_minutes_bouts_and_active_hours(db):
    clock = FakeClock(ARRIVE, zone=ZONE)
    tracker = make_tracker(db, clock)
    tracker.start()
    run_for(tracker, clock, 90)                        # 09:00-10:30 sitting
    tracker.set_state("standing")
    run_for(tracker, clock, 5)                         # 10:30-10:35 standing
    tracker.back_to_sitting()
    run_for(tracker, clock, 85)                        # 10:35-12:00 sitting
    clock.jump_wall(3600)                              # laptop asleep over lunch
    back = tracker.tick()
    assert back is not None and back.minutes == 60
    tracker.answer_return(back, was_up=True)
    run_for(tracker, clock, 60)                        # 13:00-14:00 sitting
    meeting_returns = run_for(tracker, clock, 45, step=5, idle_from=local(14))  # walks to a meeting
    back = tracker.observe_idle(IdleReading(idle_seconds=0))  # 14:45 moves the mouse
    assert meeting_returns == [] and back is not None and back.minutes == 45
    run_for(tracker, clock, 45)                        # 14:45-15:30 sitting; prompt not answered
    tracker.set_state("standing")
    run_for(tracker, clock, 60)                        # 15:30-16:30 standing hour
    tracker.back_to_sitting()
    run_for(tracker, clock, 60)                        # 16:30-17:30 sitting
    today = tracker.summary()
    tracker.stop()

    assert minutes(today.sitting_seconds) == 340
    assert minutes(today.longest.seconds) == 90
    assert today.longest.start == local(9)
    assert today.breaks == 4
    assert today.active_hours == 5
    assert [row[0] for row in stored(db)] == [
        "sitting", "standing", "sitting", "away", "sitting", "away", "sitting", "standing", "sitting"]
    assert [row[3] for row in stored(db)] == [
        "auto", "manual", "manual", "suspend", "auto", "idle", "auto", "manual", "manual"]
    assert stored(db)[5][1:3] == ("2026-11-18T13:00:00+00:00", "2026-11-18T13:45:00+00:00")
    assert db.execute("SELECT count(*) FROM posture WHERE ended_at IS NULL").fetchone()[0] == 0


def test_saying_n_on_return_turns_the_away_time_into_sitting(db):
    clock = FakeClock(ARRIVE, zone=ZONE)
    tracker = make_tracker(db, clock)
    tracker.start()
    run_for(tracker, clock, 30)
    quiet_since = clock.now()
    run_for(tracker, clock, 20, step=5, idle_from=quiet_since)  # a call, hands off the keyboard
    back = tracker.observe_idle(IdleReading(idle_seconds=0))
    tracker.answer_return(back, was_up=False)
    run_for(tracker, clock, 10)
    today = tracker.summary()
    assert minutes(today.sitting_seconds) == 60
    assert minutes(today.bout.seconds) == 60
    assert today.breaks == 0


def test_the_workday_ends_at_its_boundary_when_the_tick_comes_late(db):
    """A tick that lands 30 s past 18:00 (a busy machine, a slow tick) still ends the day at 18:00."""
    clock = FakeClock(local(17, 50), zone=ZONE)
    tracker = make_tracker(db, clock)
    tracker.start()
    run_for(tracker, clock, 20, step=90)
    assert stored(db) == [("sitting", "2026-11-18T16:50:00+00:00", "2026-11-18T17:00:00+00:00", "auto")]


def test_the_workday_ends_at_the_end_of_working_hours(db):
    clock = FakeClock(local(17, 50), zone=ZONE)
    tracker = make_tracker(db, clock)
    tracker.start()
    run_for(tracker, clock, 20, step=1)
    assert tracker.open is None
    assert stored(db) == [("sitting", "2026-11-18T16:50:00+00:00", "2026-11-18T17:00:00+00:00", "auto")]
    # Left open overnight: the next morning starts at 08:00 sharp, nothing in between.
    run_for(tracker, clock, 14 * 60 - 10 + 5, step=60)
    rows = stored(db)
    assert len(rows) == 2 and rows[1][1] == "2026-11-19T07:00:00+00:00" and rows[1][0] == "sitting"


def test_a_state_said_outside_working_hours_is_recorded(db):
    clock = FakeClock(local(20), zone=ZONE)
    tracker = make_tracker(db, clock)
    tracker.start()
    assert tracker.open is None
    tracker.set_state("standing")
    run_for(tracker, clock, 15)
    tracker.stop()
    assert stored(db) == [("standing", "2026-11-18T19:00:00+00:00", "2026-11-18T19:15:00+00:00", "manual")]


@pytest.mark.parametrize(("now", "said", "window"), [
    (local(1), None, (local(9), local(18))),  # a look at 01:00: the workday ahead, not 01:00-18:00
    (local(1), "standing", (local(1), local(18))),  # a record at 01:00 widens it to that hour
    (local(19, 30), None, (local(9), local(18))),
    (local(19, 30), "standing", (local(9), local(20))),
])
def test_the_day_bar_spans_the_working_hours_and_the_records_outside_them(db, now, said, window):
    clock = FakeClock(now, zone=ZONE)
    tracker = make_tracker(db, clock, working_hours="Mon-Fri 09:00-18:00")
    tracker.start()
    if said:
        tracker.set_state(said)
    run_for(tracker, clock, 5)
    assert tracker.summary().timeline_window == window


def test_a_suspend_overnight_records_only_the_evening_part(db):
    clock = FakeClock(local(17, 30), zone=ZONE)
    tracker = make_tracker(db, clock)
    tracker.start()
    run_for(tracker, clock, 10)
    clock.jump_wall(15 * 3600)                          # lid closed 17:40, opened 08:40 the next day
    assert tracker.tick() is None                       # no question about a night at home
    states = [(row[0], row[1], row[2]) for row in stored(db)]
    assert states == [
        ("sitting", "2026-11-18T16:30:00+00:00", "2026-11-18T16:40:00+00:00"),
        ("away", "2026-11-18T16:40:00+00:00", "2026-11-18T17:00:00+00:00"),
        ("sitting", "2026-11-19T07:40:00+00:00", None),  # the day begins when the runner arrives
    ]
    today = tracker.summary()
    assert today.breaks == 0 and today.active_hours == 0


def test_a_command_given_while_the_app_was_stopped_stands(db):
    clock = FakeClock(ARRIVE, zone=ZONE)
    tracker = make_tracker(db, clock)
    tracker.start()
    run_for(tracker, clock, 30)
    clock.advance(600)                                  # ctrl+z at 09:30 ...
    posture.begin_state(db, "standing", clock.now(), posture.CLI)  # ... `glutetui stand` at 09:40
    clock.advance(1200)                                 # ... fg at 10:00
    assert tracker.tick() is None
    assert tracker.open.state == "standing"
    assert [(row[0], row[3]) for row in stored(db)] == [("sitting", "auto"), ("standing", "cli")]
    assert minutes(tracker.summary().sitting_seconds) == 40


def test_working_hours_changed_under_an_open_interval_end_it_now(db):
    clock = FakeClock(local(10, 30), zone=ZONE)
    tracker = make_tracker(db, clock)
    tracker.start()
    run_for(tracker, clock, 30)
    tracker.rules = TrackerRules.from_settings(Settings(working_hours="Mon-Fri 08:00-09:00"))
    tracker.tick()
    assert tracker.open is None
    assert stored(db) == [("sitting", "2026-11-18T09:30:00+00:00", "2026-11-18T10:00:00+00:00", "auto")]
    run_for(tracker, clock, 60)
    assert minutes(tracker.summary().sitting_seconds) == 30


def test_a_glance_at_a_locked_screen_asks_nothing(db):
    clock = FakeClock(ARRIVE, zone=ZONE)
    tracker = make_tracker(db, clock)
    tracker.start()
    run_for(tracker, clock, 10)
    tracker.observe_idle(IdleReading(idle_seconds=1, locked=True))
    clock.advance(20)
    assert tracker.observe_idle(IdleReading(idle_seconds=0, locked=False)) is None
    assert tracker.open.state == "sitting"


def test_ctrl_z_for_a_while_is_a_gap_too(db):
    clock = FakeClock(ARRIVE, zone=ZONE)
    tracker = make_tracker(db, clock)
    tracker.start()
    run_for(tracker, clock, 5)
    clock.advance(600)  # stopped process: both clocks moved, no ticks
    back = tracker.tick()
    assert back.minutes == 10
    assert minutes(tracker.summary().sitting_seconds) == 5


def test_a_clock_set_back_never_makes_negative_time(db):
    clock = FakeClock(ARRIVE, zone=ZONE)
    tracker = make_tracker(db, clock)
    tracker.start()
    run_for(tracker, clock, 60)
    clock.jump_wall(-3600)
    assert tracker.tick() is None
    run_for(tracker, clock, 30)
    tracker.stop()
    rows = db.execute("SELECT started_at, ended_at FROM posture ORDER BY created_at").fetchall()
    assert rows == [("2026-11-18T08:00:00+00:00", "2026-11-18T09:00:00+00:00"),
                    ("2026-11-18T08:00:00+00:00", "2026-11-18T08:30:00+00:00")]
    assert all(end >= start for start, end in rows)
    window = day_bounds(ARRIVE.astimezone(clock.local_zone()).date(), clock.local_zone())
    assert minutes(sum(i.seconds for i in posture.intervals_between(db, *window, None))) == 90
    # The hour seen twice counts once.
    assert minutes(tracker.summary().sitting_seconds) == 60


def test_midnight_splits_the_day_while_the_app_runs(db):
    clock = FakeClock(local(23, 30, day=18), zone=ZONE)
    tracker = make_tracker(db, clock, working_hours="always")
    tracker.start()
    run_for(tracker, clock, 60)
    today = tracker.summary()
    assert today.day_window[0] == local(0, day=19)
    assert minutes(today.sitting_seconds) == 30
    assert minutes(today.bout.seconds) == 60
    assert len(stored(db)) == 1


def test_a_crash_loses_at_most_the_heartbeat(db):
    clock = FakeClock(ARRIVE, zone=ZONE)
    tracker = make_tracker(db, clock)
    tracker.start()
    run_for(tracker, clock, 10, step=1)
    clock.advance(29)  # the last 29 s before the kill were never written
    tracker.tick = None  # kill -9: nothing more runs
    clock.advance(7200)
    again = make_tracker(db, clock)
    recovered = again.start()
    assert recovered is not None and recovered.state == "sitting"
    first = stored(db)[0]
    assert first == ("sitting", "2026-11-18T08:00:00+00:00", "2026-11-18T08:10:00+00:00", "recovered")
    assert stored(db)[1][0] == "sitting" and stored(db)[1][2] is None


def test_a_command_while_the_app_runs_is_adopted(db):
    clock = FakeClock(ARRIVE, zone=ZONE)
    tracker = make_tracker(db, clock)
    tracker.start()
    run_for(tracker, clock, 10)
    posture.begin_state(db, "standing", clock.now(), posture.CLI)  # `glutetui stand` in a script
    tracker.sync()
    assert tracker.open.state == "standing"
    run_for(tracker, clock, 5)
    assert tracker.summary().state == "standing"
    assert db.execute("SELECT count(*) FROM posture WHERE ended_at IS NULL").fetchone()[0] == 1


def test_a_command_before_the_app_opened_stands(db):
    clock = FakeClock(ARRIVE, zone=ZONE)
    posture.begin_state(db, "standing", clock.now(), posture.CLI)
    clock.advance(600)
    tracker = make_tracker(db, clock)
    assert tracker.start() is None
    assert tracker.open.state == "standing"
    run_for(tracker, clock, 5)
    assert minutes(tracker.summary().sitting_seconds) == 0


def test_a_locked_screen_is_away_at_once(db):
    clock = FakeClock(ARRIVE, zone=ZONE)
    tracker = make_tracker(db, clock)
    tracker.start()
    run_for(tracker, clock, 20)
    tracker.observe_idle(IdleReading(idle_seconds=2, locked=True))
    assert tracker.open.state == "away"
    clock.advance(600)
    assert tracker.observe_idle(IdleReading(idle_seconds=600, locked=True)) is None
    back = tracker.observe_idle(IdleReading(idle_seconds=1, locked=False))
    assert back is not None and back.minutes == 10
    assert tracker.open.state == "sitting"


def test_idle_before_a_suspend_is_one_away_stretch(db):
    clock = FakeClock(ARRIVE, zone=ZONE)
    tracker = make_tracker(db, clock)
    tracker.start()
    run_for(tracker, clock, 30)
    run_for(tracker, clock, 10, step=5, idle_from=clock.now())  # away from 09:30
    clock.jump_wall(1800)                                       # then the laptop slept
    back = tracker.tick()
    assert back.started == local(9, 30) and back.minutes == 40
    tracker.answer_return(back, was_up=False)
    assert minutes(tracker.summary().sitting_seconds) == 70


def test_next_reminder_follows_the_bout(db):
    clock = FakeClock(ARRIVE, zone=ZONE)
    tracker = make_tracker(db, clock, remind_after=45)
    tracker.start()
    run_for(tracker, clock, 20)
    assert tracker.summary().next_reminder_at == local(9, 45)
    tracker.set_state("standing")
    assert tracker.summary().next_reminder_at is None


def test_settings_reach_the_rules():
    rules = TrackerRules.from_settings(replace(Settings(), break_min=3, gap_after=5, sitting_goal_hours=5.5))
    assert rules.break_min == timedelta(minutes=3)
    assert rules.gap_after == timedelta(minutes=5)
    assert rules.goal == timedelta(hours=5, minutes=30)
