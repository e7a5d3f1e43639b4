"""The runner's day (services/session.py) on a real SQLite file and a fake clock, without Textual.

Scenario of issue 18: a pre-run warm-up at 09:37, then 35 minutes out running.
"""

from __future__ import annotations

import sqlite3
import threading
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

from glutetui.clock import FakeClock
from glutetui.config import Settings
from glutetui.domain.sitting import EXERCISE, OUT, SITTING, seconds_in
from glutetui.services.idle import IdleReading
from glutetui.services.session import CameBack, DaySession, Notice, ReminderDue, RunDraft, TodayChanged
from glutetui.services.storage import StorageThread
from glutetui.store import posture
from glutetui.store.db import open_store

ZONE = "UTC"
MONDAY_0900 = datetime(2026, 11, 16, 9, 0, tzinfo=timezone.utc)
SUMMARY = {"routine": "pre-run", "planned_s": 164, "done_s": 0, "steps_done": 0, "steps_total": 9, "completed": 0}
DONE = {**SUMMARY, "done_s": 164, "steps_done": 9, "completed": 1}


@pytest.fixture
def db(tmp_path):
    database = open_store(tmp_path / "day.db")
    yield database
    database.close()


def day(db, clock) -> DaySession:
    session = DaySession(db, clock, Settings(working_hours="always"))
    session.start()
    return session


def run(session: DaySession, clock: FakeClock, minutes: float, step: float = 1.0) -> list:
    events = []
    for _ in range(int(minutes * 60 / step)):
        clock.advance(step)
        events += session.tick()
    return events


def states(db) -> list[str]:
    return [row[0] for row in db.execute("SELECT state FROM posture ORDER BY started_at").fetchall()]


def sat_between(db, start: datetime, end: datetime) -> float:
    return seconds_in(posture.intervals_between(db, start, end, end), (SITTING,), (start, end))


def test_a_warm_up_is_movement_and_the_run_after_it_is_not_sitting(db):
    clock = FakeClock(MONDAY_0900, zone=ZONE)
    session = day(db, clock)
    run(session, clock, 37, step=5)
    warmup_start = clock.now()
    session.routine_started("pre-run", SUMMARY, clock.now())
    assert session.tracker.open.state == EXERCISE and session.tracker.open.warmup_id is not None
    run(session, clock, 164 / 60)
    warmup_end = clock.now()
    session.routine_ended(DONE, warmup_end, warmup_end)
    out_events = run(session, clock, 35, step=5)
    back_at = clock.now()
    events = session.set_state(SITTING, back_at)

    assert sat_between(db, warmup_start, warmup_end) == 0
    assert sat_between(db, warmup_end, back_at) == 0
    assert not [event for event in out_events if isinstance(event, ReminderDue)]
    assert states(db) == ["sitting", EXERCISE, OUT, "sitting"]
    warmup_id = db.execute("SELECT id FROM warmups").fetchone()[0]
    assert db.execute("SELECT warmup_id FROM posture WHERE state = 'out'").fetchone()[0] == warmup_id
    came_back = [event for event in events if isinstance(event, CameBack)]
    assert came_back == [CameBack(RunDraft(warmup_end, 35 * 60, warmup_id))]


def out_after_a_warm_up(db, clock: FakeClock) -> tuple[DaySession, datetime]:
    """A 2:30 pre-run warm-up from 09:00; returns the session and when the runner left."""
    session = day(db, clock)
    session.routine_started("pre-run", SUMMARY, clock.now())
    run(session, clock, 150 / 60)
    session.routine_ended(DONE, clock.now(), clock.now())
    return session, clock.now()


def test_typing_again_after_being_out_is_coming_back(db):
    clock = FakeClock(MONDAY_0900, zone=ZONE)
    session, left = out_after_a_warm_up(db, clock)
    run(session, clock, 40, step=10)
    # Keys 30 s after the end are the runner leaving; keys 40 min later are the runner back.
    early = session.observe_idle(IdleReading(idle_seconds=40 * 60 - 30, locked=False))
    assert not [event for event in early if isinstance(event, CameBack)] and session.out is not None
    events = session.observe_idle(IdleReading(idle_seconds=5, locked=False))
    [back] = [event for event in events if isinstance(event, CameBack)]
    assert back.run.started_at == left and back.run.duration_s == 40 * 60 - 5
    assert session.tracker.open.state == SITTING


def test_out_running_ends_after_four_hours_as_away(db):
    clock = FakeClock(MONDAY_0900, zone=ZONE)
    session, left = out_after_a_warm_up(db, clock)
    run(session, clock, 5 * 60, step=30)
    assert states(db)[-1] == "away"
    back = [event for event in session.set_state(SITTING, clock.now()) if isinstance(event, CameBack)]
    assert back[0].run.duration_s == 4 * 3600 and back[0].run.started_at == left


def test_a_routine_that_is_not_a_pre_run_warm_up_ends_back_in_the_chair(db):
    clock = FakeClock(MONDAY_0900, zone=ZONE)
    session = day(db, clock)
    session.routine_started("strength", {**SUMMARY, "routine": "strength"}, clock.now())
    run(session, clock, 10, step=5)
    session.routine_ended({**DONE, "routine": "strength"}, clock.now(), clock.now())
    assert session.out is None and session.tracker.open.state == SITTING
    assert states(db) == ["sitting", EXERCISE, "sitting"]


def test_no_reminder_during_a_long_routine_and_the_bout_starts_again_after_it(db):
    clock = FakeClock(MONDAY_0900, zone=ZONE)
    session = day(db, clock)
    run(session, clock, 25, step=5)
    session.routine_started("strength", {**SUMMARY, "routine": "strength"}, clock.now())
    during = run(session, clock, 12, step=5)
    session.routine_ended({**DONE, "routine": "strength"}, clock.now(), clock.now())
    after = run(session, clock, 29, step=5)
    assert not [event for event in during + after if isinstance(event, ReminderDue)]
    assert [event for event in run(session, clock, 2, step=5) if isinstance(event, ReminderDue)]


def test_the_open_reminder_shows_now_on_today(db):
    clock = FakeClock(MONDAY_0900, zone=ZONE)
    session = day(db, clock)
    events = run(session, clock, 31, step=5)
    assert [event for event in events if isinstance(event, ReminderDue)]
    shown = [event for event in session.today() if isinstance(event, TodayChanged)]
    assert shown[0].reminder_open


@pytest.mark.parametrize(("break_seconds", "cut_short"), [(59, 1), (60, 0)])
def test_a_break_under_break_min_is_cut_short_and_leaves_the_bout_running(db, break_seconds, cut_short):
    clock = FakeClock(MONDAY_0900, zone=ZONE)
    session = day(db, clock)  # break_min: the default minute
    run(session, clock, 31, step=5)
    session.answer_reminder("taken")
    clock.advance(break_seconds)
    notices = [event.text for event in session.end_break() if isinstance(event, Notice)]
    clock.advance(60)
    today = session.tracker.summary()
    assert db.execute("SELECT outcome, cut_short FROM reminders").fetchall() == [("taken", cut_short)]
    assert today.reminders.cut_short == cut_short
    if cut_short:
        assert notices == ["Break cut short after 59 s: a break under 1 min does not end the "
                           "sitting bout, so it goes on."]
        assert (today.breaks, today.bout.start) == (0, MONDAY_0900)
    else:
        assert notices == [] and today.breaks == 1 and today.bout.start == clock.now() - timedelta(minutes=1)


HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def test_a_key_pressed_while_another_process_holds_the_lock_is_stored_afterwards(tmp_path):
    """A real second process holds the write lock for 6 s; the job waits its turn and is stored."""
    path = tmp_path / "locked.db"
    open_store(path).close()
    replies = []
    storage = StorageThread(path, lambda reply, value: reply(value))
    storage.start()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path), "6"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        given = time.monotonic()
        storage.submit(lambda db: posture.begin_state(db, "standing", MONDAY_0900, "manual"), replies.append,
                       replies.append)
        assert time.monotonic() - given < 0.1  # handing it over never waits for the file
        assert storage.wait_idle(timeout=30)
    finally:
        holder.wait(30)
        storage.stop()
    assert len(replies) == 1 and not isinstance(replies[0], Exception), replies
    check = sqlite3.connect(path)
    assert check.execute("SELECT state FROM posture").fetchall() == [("standing",)]
    check.close()


def test_jobs_given_before_the_thread_starts_run_first_and_in_order(tmp_path):
    """The app queues the day's start before the screen is painted and starts the thread after."""
    path = tmp_path / "later.db"
    open_store(path).close()
    replies = []
    storage = StorageThread(path, lambda reply, value: reply(value))
    storage.submit(lambda db: "first", replies.append)
    storage.submit(lambda db: "second", replies.append)
    storage.start()
    storage.start()  # again: nothing
    storage.submit(lambda db: "third", replies.append)
    assert storage.wait_idle(timeout=10)
    storage.stop()
    assert replies == ["first", "second", "third"]

    unstarted = StorageThread(path, lambda reply, value: reply(value))
    unstarted.submit(lambda db: posture.begin_state(db, "standing", MONDAY_0900, "manual"))
    unstarted.stop()  # quitting before the thread ever started still runs what was given
    check = sqlite3.connect(path)
    assert check.execute("SELECT state FROM posture").fetchall() == [("standing",)]
    check.close()


def test_starts_from_several_threads_at_once_run_one_thread(tmp_path):
    """The event loop starts the thread after the first paint while wait_idle may start it
    from another thread; both once saw no thread yet and ran the same Thread twice."""
    path = tmp_path / "race.db"
    open_store(path).close()
    problems: list[BaseException] = []
    for _ in range(30):
        replies = []
        storage = StorageThread(path, lambda reply, value: reply(value))
        storage.submit(lambda db: "done", replies.append)
        gate = threading.Barrier(4)

        def start() -> None:
            gate.wait()
            try:
                storage.start()
            except BaseException as error:  # noqa: BLE001 - collected for the assert
                problems.append(error)

        starters = [threading.Thread(target=start) for _ in range(4)]
        for starter in starters:
            starter.start()
        for starter in starters:
            starter.join()
        assert storage.wait_idle(timeout=10)
        storage.stop()
        assert replies == ["done"]
    assert problems == []
