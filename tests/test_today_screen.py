"""The Today tab through Textual's Pilot: the tracker live, on a real SQLite file and a fake clock.

Keyboard and mouse idle time comes from `InputWatch`, a stand-in probe driven by
the fake clock: real idle time cannot follow a fake clock. The real probes are
tested against a real X server and a real D-Bus bus in test_idle_probes.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app_factory import make_app
from helpers import day_begun, settle, tick
from textual.widgets import Input, Static

from glutetui.clock import FakeClock
from glutetui.config import load_settings
from glutetui.services.idle import IdleReading, ProbeError
from glutetui.store import posture
from glutetui.store.db import open_store
from glutetui.ui.screens.away_prompt import ANSWER_SECONDS, AwayPrompt
from glutetui.ui.widgets.today_pane import TodayPane

ZONE = "Europe/Berlin"
ARRIVE = datetime(2026, 11, 18, 8, 0, tzinfo=timezone.utc)  # Wednesday 09:00 in Berlin


class InputWatch:
    name = "stand-in probe on the fake clock"

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.last_input = clock.now()
        self.locked = False

    def touch(self) -> None:
        self.last_input = self.clock.now()

    def read(self) -> IdleReading:
        return IdleReading((self.clock.now() - self.last_input).total_seconds(), self.locked)


class BrokenProbe:
    name = "stand-in probe that fails"

    def read(self) -> IdleReading:
        raise ProbeError("the display went away")


def today(app, key: str) -> str:
    return app.main_screen.query_one(TodayPane).shown(key)


async def run_minutes(app, pilot, minutes: float, step: float = 60, watch: InputWatch | None = None,
                      typing: bool = True) -> None:
    """What the app's timers do over `minutes` of fake time."""
    await day_begun(pilot)
    for _ in range(int(minutes * 60 / step)):
        app.clock.advance(step)
        if watch is not None and typing:
            watch.touch()
        await tick(pilot)
        if isinstance(app.screen, AwayPrompt):
            app.screen.check_time()  # what its own one-second timer does
        if watch is not None and not typing:
            await read_idle_now(app, pilot)
    if watch is not None and typing:
        await read_idle_now(app, pilot)  # while typing the probe changes nothing; once is enough to show it


async def read_idle_now(app, pilot) -> None:
    # The app's own 5 s timer may have a read under way; let it end, then read at this moment.
    while not app.poll_idle():
        await app.workers.wait_for_complete()
    await app.workers.wait_for_complete()
    await pilot.pause()


def stored(locations) -> list[tuple]:
    db = open_store(locations.db)
    try:
        return db.execute("SELECT state, source FROM posture ORDER BY started_at").fetchall()
    finally:
        db.close()


async def test_the_workday_shows_on_today_and_in_the_database(locations):
    # Reminders only as toasts here: this day is about what the tracker counts.
    locations.config.write_text("remind_in_app = false\nremind_bell = false\nremind_desktop = false\n")
    clock = FakeClock(ARRIVE, zone=ZONE)
    watch = InputWatch(clock)
    app = make_app(locations, clock, idle_probe=watch)
    async with app.run_test(size=(100, 32)) as pilot:
        await run_minutes(app, pilot, 90, watch=watch)              # 09:00-10:30
        await pilot.press("s")
        await run_minutes(app, pilot, 5, watch=watch)               # standing
        await pilot.press("enter")
        await run_minutes(app, pilot, 85, watch=watch)              # 10:35-12:00
        clock.jump_wall(3600)                                       # asleep over lunch
        await tick(pilot)
        await pilot.pause()
        assert isinstance(app.screen, AwayPrompt)
        await pilot.press("y")
        watch.touch()
        await run_minutes(app, pilot, 60, watch=watch)              # 13:00-14:00
        await run_minutes(app, pilot, 45, watch=watch, typing=False)  # off to a meeting
        assert today(app, "today-state") == "Away from the desk (idle) since 14:00"
        watch.touch()                                               # back at 14:45
        await read_idle_now(app, pilot)
        assert isinstance(app.screen, AwayPrompt)
        assert "Away 45 min (14:00-14:45): were you up?" in str(app.screen.query_one("#away-question", Static).content)
        await run_minutes(app, pilot, 45, watch=watch)              # no answer; 14:45-15:30
        assert not isinstance(app.screen, AwayPrompt)
        await pilot.press("s")
        await run_minutes(app, pilot, 60, watch=watch)              # the standing hour
        await pilot.press("enter")
        await run_minutes(app, pilot, 60, watch=watch)              # 16:30-17:30
        assert today(app, "today-sitting") == "Sitting today 5:40 of 6:00"
        assert today(app, "today-bout") == "1 h 00 min"
        assert today(app, "today-longest") == "1 h 30 min"
        assert today(app, "today-breaks") == "4"
        assert today(app, "today-active") == "5"
        assert today(app, "today-reminder") == "now"  # due 17:00, unanswered, asked every 10 min since
        # Taken: the four times the runner got up (s twice, asleep, idle); the rest went by.
        assert today(app, "today-reminders") == "Reminders today: 4 taken · 0 snoozed · 0 skipped · 18 missed"
        assert today(app, "today-streak") == "Streak: 0 workdays in a row with no bout over an hour"
        await pilot.press("ctrl+q")
    assert stored(locations) == [
        ("sitting", "auto"), ("standing", "manual"), ("sitting", "manual"), ("away", "suspend"),
        ("sitting", "auto"), ("away", "idle"), ("sitting", "auto"), ("standing", "manual"), ("sitting", "manual")]
    db = open_store(locations.db)
    assert db.execute("SELECT count(*) FROM posture WHERE ended_at IS NULL").fetchone()[0] == 0
    db.close()


async def test_the_posture_keys_work_on_today_only(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for key, shown in [("s", "Standing"), ("b", "On a break"), ("a", "Away from the desk"), ("enter", "Sitting")]:
            await pilot.press(key)
            assert today(app, "today-state").startswith(shown)
        await pilot.press("5")
        await pilot.press("s")
        assert today(app, "today-state").startswith("Sitting")
    assert [state for state, _ in stored(locations)] == ["sitting", "standing", "break", "away", "sitting"]


async def test_saying_n_counts_the_away_time_as_sitting(locations):
    clock = FakeClock(ARRIVE, zone=ZONE)
    watch = InputWatch(clock)
    app = make_app(locations, clock, idle_probe=watch)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_minutes(app, pilot, 20, watch=watch)
        await run_minutes(app, pilot, 10, watch=watch, typing=False)
        watch.touch()
        await read_idle_now(app, pilot)
        await pilot.press("n")
        await settle(pilot)
        assert today(app, "today-sitting") == "Sitting today 0:30 of 6:00"
        assert today(app, "today-bout") == "30 min"


async def test_an_unanswered_question_keeps_away_after_a_minute(locations):
    clock = FakeClock(ARRIVE, zone=ZONE)
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_minutes(app, pilot, 10)
        clock.advance(900)  # ctrl+z for a quarter of an hour
        await tick(pilot)
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, AwayPrompt)
        clock.advance(ANSWER_SECONDS - 1)
        prompt.check_time()
        await pilot.pause()
        assert app.screen is prompt
        assert "No answer in 1 s" in str(prompt.query_one("#away-countdown", Static).content)
        clock.advance(1)
        prompt.check_time()
        await pilot.pause()
        assert app.screen is not prompt
        await tick(pilot)
        assert today(app, "today-sitting") == "Sitting today 0:11 of 6:00"
    assert [state for state, _ in stored(locations)][:3] == ["sitting", "away", "sitting"]


async def test_an_interval_left_open_by_a_crash_is_closed_and_said(locations):
    clock = FakeClock(ARRIVE, zone=ZONE)
    db = open_store(locations.db)
    left = posture.begin_state(db, "sitting", clock.now() - timedelta(hours=3), "auto")
    posture.touch(db, left.id, clock.now() - timedelta(hours=2))
    db.close()
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert any("did not close cleanly" in note.message and "07:00" in note.message
                   for note in app._notifications)
    rows = stored(locations)
    assert rows[0] == ("sitting", "recovered")


async def test_a_probe_that_stops_working_says_so_once_and_tracking_goes_on(locations, clock):
    app = make_app(locations, clock, idle_probe=BrokenProbe())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await read_idle_now(app, pilot)
        assert app.poll_idle() is False  # no probe left to ask
        await pilot.pause()
        warnings = [note.message for note in app._notifications if "Stopped watching" in note.message]
        assert len(warnings) == 1 and "the display went away" in warnings[0]
        assert app.idle_probe is None
        await tick(pilot)
        assert today(app, "today-state").startswith("Sitting")


async def test_working_hours_and_goal_are_checked_and_saved_from_settings(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("5")
        hours = app.screen.query_one("#hours-input", Input)
        hours.value = "Fri-Mon 8:00-18:00"
        await pilot.pause()
        problem = str(app.screen.query_one("#hours-problem", Static).content)
        assert "runs backwards" in problem
        hours.focus()
        await pilot.press("enter")
        assert load_settings(locations.config).working_hours == "Mon-Fri 08:00-18:00"
        assert hours.value == "Fri-Mon 8:00-18:00"  # the text stays for mending
        hours.value = "mon-thu 7:30-16:00"
        await pilot.press("enter")
        await pilot.pause()
        assert load_settings(locations.config).working_hours == "Mon-Thu 07:30-16:00"
        assert str(app.tracker.rules.hours) == "Mon-Thu 07:30-16:00"

        goal = app.screen.query_one("#goal-input", Input)
        goal.focus()
        goal.value = "lots"
        await pilot.press("enter")
        assert "not a number of hours" in str(app.screen.query_one("#goal-problem", Static).content)
        goal.value = "5,5"
        await pilot.press("enter")
        await pilot.pause()
        assert load_settings(locations.config).sitting_goal_hours == 5.5
        await pilot.press("1")
        await tick(pilot)
        assert today(app, "today-sitting").endswith("of 5:30")


async def test_a_tick_answered_before_today_is_composed_shows_nothing_and_breaks_nothing(locations):
    """A timer's answer used to reach Today before its widgets existed: NoMatches '#today-date'."""
    from glutetui.services.session import DaySession

    db = open_store(locations.db)
    clock = FakeClock(ARRIVE, zone=ZONE)
    session = DaySession(db, clock, load_settings(locations.config))
    [today_changed] = [event for event in session.start() if type(event).__name__ == "TodayChanged"]
    pane = TodayPane(("a tip",))  # made, not yet composed
    pane.show_day(today_changed.summary.day)
    pane.show_summary(today_changed.summary, clock.local_zone(), today_changed.since)
    assert pane.shown("today-state") == ""
    db.close()


async def test_the_first_paint_shows_the_day_before_the_storage_thread_answers(locations):
    """The day is read on the app's own thread before the screen is made (`first_look`), so
    Today's first paint has its numbers; here the storage thread's start is held back."""
    db = open_store(locations.db)
    clock = FakeClock(ARRIVE, zone=ZONE)
    posture.begin_state(db, "sitting", ARRIVE - timedelta(minutes=50), posture.CLI)
    db.close()
    app = make_app(locations, clock)
    held = []
    app.store = lambda job, done=None, failed=None: held.append(job)  # nothing reaches the storage thread
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.main_screen.query_one(TodayPane)
        assert held, "the session's start was asked for"
        assert pane.shown("today-sitting").startswith("Sitting today 0:50 of")
        assert pane.shown("today-state").startswith("Sitting")
        assert pane.shown("today-bout") == "50 min"
