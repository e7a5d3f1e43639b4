"""Clock faults on the whole app: the nights the clocks change, a suspended laptop, a clock
set back, midnight with the app open.

The real app runs through Textual's Pilot on a real SQLite file. Time is the one fake:
a FakeClock in Europe/Berlin that the test moves by hand, ticking the tracker itself
after each move (the app's own one-second timer runs on real time and only repeats the
same fake moment). Ordinary time passes in steps of two minutes, the longest step the
tracker still takes as the app running (gap_after); a longer single step is a suspend.
What the user sees on Today, the rows stored, the reminders shown and `glutetui report`
(a real child process) are checked against each other.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from app_factory import make_app
from helpers import day_begun, poll, run_cli, tick

from glutetui.clock import FakeClock
from glutetui.domain.sitting import sitting_seconds_by_day
from glutetui.domain.timefmt import from_utc_text
from glutetui.store import posture
from glutetui.ui.screens.away_prompt import AwayPrompt
from glutetui.ui.screens.reminder import ReminderScreen
from glutetui.ui.widgets.today_pane import TodayPane

pytestmark = pytest.mark.reliability

ZONE = "Europe/Berlin"
STEP = 120  # seconds: gap_after is 2 min, so this is still the app running
SIZE = (100, 32)
# Reminders as toasts: these nights are about what is counted and when reminders come,
# not about the reminder window, which test_reminder_screen drives.
TOASTS = "remind_in_app = false\nremind_bell = false\nremind_desktop = false\n"
NIGHT_OWL = 'working_hours = "always"\n'  # the clocks change at night; the runner works through it


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


async def pass_minutes(app, pilot, minutes: float, step: float = STEP) -> None:
    """What the app's timers do while `minutes` of fake time go by."""
    await day_begun(pilot)
    for _ in range(round(minutes * 60 / step)):
        app.clock.advance(step)
        await tick(pilot)
    await pilot.pause()


def today(app, key: str) -> str:
    return app.main_screen.query_one(TodayPane).shown(key)


def rows(app) -> list[tuple]:
    return app.db.execute(
        "SELECT state, started_at, ended_at, source FROM posture ORDER BY started_at, created_at").fetchall()


def shown_reminders(app) -> list[tuple[str, str | None]]:
    found = app.db.execute("SELECT shown_at, outcome FROM reminders ORDER BY shown_at").fetchall()
    return [(from_utc_text(shown).strftime("%H:%M"), outcome) for shown, outcome in found]


def assert_sane(app) -> None:
    """No interval ends before it starts, and at most one is open."""
    stored = rows(app)
    assert all(end is None or from_utc_text(end) >= from_utc_text(start) for _, start, end, _ in stored), stored
    assert sum(1 for row in stored if row[2] is None) <= 1


def assert_back_to_back(app, first: str, last: str) -> None:
    """The intervals tile the time the app was open, with no gap, overlap or double."""
    stored = rows(app)
    assert stored[0][1] == first and stored[-1][2] == last
    for before, after in zip(stored, stored[1:]):
        assert before[2] == after[1], (before, after)


def assert_no_burst(app, every: timedelta = timedelta(minutes=10)) -> None:
    shown = [from_utc_text(row[0]) for row in app.db.execute("SELECT shown_at FROM reminders ORDER BY shown_at")]
    assert all(later - earlier >= every for earlier, later in zip(shown, shown[1:])), shown


def report_days(locations, day: str) -> dict[str, int]:
    """Sitting minutes by day from the real `glutetui report` for the week holding `day`."""
    result = run_cli("report", "--db", str(locations.db), "--config", str(locations.config), "--date", day,
                     "--json", env={"TZ": ZONE})
    assert result.returncode == 0, result.stderr
    return {item["date"]: item["sitting_minutes"] for item in json.loads(result.stdout)["days"]}


def stored_by_day(app) -> dict[date, int]:
    intervals = posture.intervals_between(app.db, utc("2000-01-01T00:00"), utc("2100-01-01T00:00"), None)
    return {day: round(seconds / 60) for day, seconds in
            sitting_seconds_by_day(intervals, app.clock.local_zone()).items()}


async def test_the_night_the_clocks_go_forward_counts_a_23_hour_day(locations):
    """Sunday 29 March 2026: at 02:00 CET (01:00 UTC) the clocks jump to 03:00 CEST.

    The runner sits from 23:00 on Saturday, stands 00:30-00:40, sits again until 03:40
    CEST (two real hours, though the wall clock moved three), takes a break until 04:00
    and sits 20 more minutes. Quiet hours 01:40-02:30 end at the jump, 03:00 CEST.
    """
    locations.config.write_text(TOASTS + NIGHT_OWL + 'quiet_hours = "01:40-02:30"\n')
    app = make_app(locations, FakeClock(utc("2026-03-28T22:00"), zone=ZONE))
    async with app.run_test(size=SIZE) as pilot:
        await pass_minutes(app, pilot, 90)                 # 23:00-00:30 CET
        await pilot.press("s")
        await pass_minutes(app, pilot, 10)                 # standing to 00:40 CET
        await pilot.press("enter")
        await pass_minutes(app, pilot, 80)                 # to 02:00 CET, which is 03:00 CEST
        await poll(pilot)
        assert app.clock.now() == utc("2026-03-29T01:00")
        assert today(app, "today-date") == "Sunday 29 March 2026"
        assert today(app, "today-state") == "Sitting since 00:40"
        assert today(app, "today-sitting") == "Sitting today 1:50 of 6:00"  # 0:30 + 1:20, not 2:20
        assert today(app, "today-bout") == "1 h 20 min"
        await pass_minutes(app, pilot, 40)                 # to 03:40 CEST
        await pilot.press("b")
        await pass_minutes(app, pilot, 20)
        await pilot.press("enter")
        await pass_minutes(app, pilot, 20)                 # to 04:20 CEST
        summary = app.storage.run_now(lambda db: app.tracker.summary())  # on its thread
        assert summary.day_window[1] - summary.day_window[0] == timedelta(hours=23)
        assert today(app, "today-sitting") == "Sitting today 2:50 of 6:00"  # 0:30 + 2:00 + 0:20
        assert today(app, "today-longest") == "2 h 00 min"
        assert today(app, "today-breaks") == "2"
        assert_sane(app)
        await pilot.press("ctrl+q")

    assert rows(app) == [
        ("sitting", "2026-03-28T22:00:00+00:00", "2026-03-28T23:30:00+00:00", "auto"),
        ("standing", "2026-03-28T23:30:00+00:00", "2026-03-28T23:40:00+00:00", "manual"),
        ("sitting", "2026-03-28T23:40:00+00:00", "2026-03-29T01:40:00+00:00", "manual"),
        ("break", "2026-03-29T01:40:00+00:00", "2026-03-29T02:00:00+00:00", "manual"),
        ("sitting", "2026-03-29T02:00:00+00:00", "2026-03-29T02:20:00+00:00", "manual"),
    ]
    assert_back_to_back(app, "2026-03-28T22:00:00+00:00", "2026-03-29T02:20:00+00:00")
    assert stored_by_day(app) == {date(2026, 3, 28): 60, date(2026, 3, 29): 170}
    days = report_days(locations, "2026-03-29")
    assert (days["2026-03-28"], days["2026-03-29"]) == (60, 170)
    # In UTC. Every 10 min while ignored; standing up or a break takes the one on screen.
    # 00:40 UTC (01:40 CET) is quiet until the jump, 01:00 UTC: nothing in between.
    assert shown_reminders(app) == [
        ("22:30", "missed"), ("22:40", "missed"), ("22:50", "missed"), ("23:00", "missed"), ("23:10", "missed"),
        ("23:20", "missed"), ("23:30", "taken"),
        ("00:10", "missed"), ("00:20", "missed"), ("00:30", "missed"),
        ("01:00", "missed"), ("01:10", "missed"), ("01:20", "missed"), ("01:30", "missed"), ("01:40", "taken"),
    ]
    assert_no_burst(app)


async def test_the_night_the_clocks_go_back_counts_a_25_hour_day(locations):
    """Sunday 25 October 2026: at 03:00 CEST (01:00 UTC) the clocks go back to 02:00 CET.

    The runner sits from 23:30 CEST on Saturday, stands 00:30-00:40, sits until 03:30 CET
    (3 h 50 min of real time, though the wall clock moved 2 h 50 min), takes a break and
    sits 20 more minutes. Quiet hours 02:00-02:30 come twice that night and hold both times.
    """
    locations.config.write_text(TOASTS + NIGHT_OWL + 'quiet_hours = "02:00-02:30"\n')
    app = make_app(locations, FakeClock(utc("2026-10-24T21:30"), zone=ZONE))
    async with app.run_test(size=SIZE) as pilot:
        await pass_minutes(app, pilot, 60)                 # 23:30-00:30 CEST
        await pilot.press("s")
        await pass_minutes(app, pilot, 10)
        await pilot.press("enter")
        await pass_minutes(app, pilot, 138)                # to 02:58 CEST
        before = today(app, "today-sitting")
        await pass_minutes(app, pilot, 2)                  # 03:00 CEST is 02:00 CET again
        await poll(pilot)
        assert app.clock.now() == utc("2026-10-25T01:00")
        assert (before, today(app, "today-sitting")) == ("Sitting today 2:48 of 6:00", "Sitting today 2:50 of 6:00")
        assert today(app, "today-state") == "Sitting since 00:40"
        assert today(app, "today-bout") == "2 h 20 min"
        await pass_minutes(app, pilot, 90)                 # to 03:30 CET
        await pilot.press("b")
        await pass_minutes(app, pilot, 20)
        await pilot.press("enter")
        await pass_minutes(app, pilot, 20)                 # to 04:10 CET
        summary = app.storage.run_now(lambda db: app.tracker.summary())  # on its thread
        assert summary.day_window[1] - summary.day_window[0] == timedelta(hours=25)
        assert today(app, "today-date") == "Sunday 25 October 2026"
        assert today(app, "today-sitting") == "Sitting today 4:40 of 6:00"  # 0:30 + 3:50 + 0:20
        assert today(app, "today-longest") == "3 h 50 min"
        assert today(app, "today-breaks") == "2"
        assert_sane(app)
        await pilot.press("ctrl+q")

    assert rows(app) == [
        ("sitting", "2026-10-24T21:30:00+00:00", "2026-10-24T22:30:00+00:00", "auto"),
        ("standing", "2026-10-24T22:30:00+00:00", "2026-10-24T22:40:00+00:00", "manual"),
        ("sitting", "2026-10-24T22:40:00+00:00", "2026-10-25T02:30:00+00:00", "manual"),
        ("break", "2026-10-25T02:30:00+00:00", "2026-10-25T02:50:00+00:00", "manual"),
        ("sitting", "2026-10-25T02:50:00+00:00", "2026-10-25T03:10:00+00:00", "manual"),
    ]
    assert_back_to_back(app, "2026-10-24T21:30:00+00:00", "2026-10-25T03:10:00+00:00")
    assert stored_by_day(app) == {date(2026, 10, 24): 30, date(2026, 10, 25): 280}
    days = report_days(locations, "2026-10-25")
    assert (days["2026-10-24"], days["2026-10-25"]) == (30, 280)
    # In UTC. Quiet 02:00-02:30 is 00:00-00:30 UTC (CEST) and again 01:00-01:30 UTC (CET):
    # the reminders due at 00:00 and 01:00 wait for each end.
    assert shown_reminders(app) == [
        ("22:00", "missed"), ("22:10", "missed"), ("22:20", "missed"), ("22:30", "taken"),
        ("23:10", "missed"), ("23:20", "missed"), ("23:30", "missed"), ("23:40", "missed"), ("23:50", "missed"),
        ("00:30", "missed"), ("00:40", "missed"), ("00:50", "missed"),
        ("01:30", "missed"), ("01:40", "missed"), ("01:50", "missed"), ("02:00", "missed"), ("02:10", "missed"),
        ("02:20", "missed"), ("02:30", "taken"),
    ]
    assert_no_burst(app)


async def test_a_suspend_of_three_hours_is_away_and_brings_no_burst_of_reminders(locations):
    """Wednesday 18 November 2026, 09:00 CET: 40 min of sitting with the reminder window up,
    then the lid closes for three hours (the wall clock jumps, monotonic time stands still)."""
    locations.config.write_text("remind_bell = false\nremind_desktop = false\n")
    app = make_app(locations, FakeClock(utc("2026-11-18T08:00"), zone=ZONE))
    async with app.run_test(size=SIZE) as pilot:
        await pass_minutes(app, pilot, 40)
        assert isinstance(app.screen, ReminderScreen)
        assert today(app, "today-sitting") == "Sitting today 0:40 of 6:00"
        app.clock.jump_wall(3 * 3600)                      # asleep 09:40-12:40
        await tick(pilot)
        await pilot.pause()
        assert isinstance(app.screen, AwayPrompt)
        # Getting up answered the window; it goes once the question over it is answered.
        assert shown_reminders(app) == [("08:30", "missed"), ("08:40", "taken")]  # none for the hours asleep
        await pilot.press("y")
        await pilot.pause()
        assert not any(isinstance(screen, ReminderScreen) for screen in app.screen_stack)
        assert today(app, "today-state") == "Sitting since 12:40"
        assert today(app, "today-sitting") == "Sitting today 0:40 of 6:00"
        assert today(app, "today-bout") == "0 min"
        assert today(app, "today-reminder") == "30 min"
        assert today(app, "today-breaks") == "1"
        await pass_minutes(app, pilot, 28)
        assert not isinstance(app.screen, ReminderScreen)
        await pass_minutes(app, pilot, 2)
        assert isinstance(app.screen, ReminderScreen)      # one, a whole remind_after after the return
        assert today(app, "today-sitting") == "Sitting today 1:10 of 6:00"
        assert_sane(app)
        await pilot.press("ctrl+q")

    assert rows(app) == [
        ("sitting", "2026-11-18T08:00:00+00:00", "2026-11-18T08:40:00+00:00", "auto"),
        ("away", "2026-11-18T08:40:00+00:00", "2026-11-18T11:40:00+00:00", "suspend"),
        ("sitting", "2026-11-18T11:40:00+00:00", "2026-11-18T12:10:00+00:00", "auto"),
    ]
    # The window up when the lid closed was answered by getting up; quitting misses the last.
    assert shown_reminders(app) == [("08:30", "missed"), ("08:40", "taken"), ("12:10", "missed")]
    assert stored_by_day(app) == {date(2026, 11, 18): 70}


async def test_a_clock_set_back_an_hour_never_makes_time_run_backwards(locations):
    """Wednesday 18 November 2026: sitting 09:00-10:00 CET, then the system clock is set back
    to 09:00 and the runner sits on for 90 real minutes.

    The expectation, from DESIGN (Time, Sitting) and the sitting math: the open interval
    ends at the last tick and a new one starts at the new time, so no interval is negative;
    the two overlap and every total is over their union, so the hour the wall clock shows
    twice counts once. Today's total therefore never goes down at all: it stays at 1:00
    while the clock replays the hour, then grows again, ending the set-back amount short
    of the real sitting time (1:30 shown for 2:30 sat). Reminders follow the wall clock:
    the next one is 10 min after the last shown (10:10 by the clock), none comes at the jump.
    """
    locations.config.write_text(TOASTS)
    app = make_app(locations, FakeClock(utc("2026-11-18T08:00"), zone=ZONE))
    async with app.run_test(size=SIZE) as pilot:
        await pass_minutes(app, pilot, 60)
        assert today(app, "today-sitting") == "Sitting today 1:00 of 6:00"
        assert len(shown_reminders(app)) == 4              # 09:30, 09:40, 09:50, 10:00
        app.clock.jump_wall(-3600)
        await tick(pilot)
        await pilot.pause()
        assert not isinstance(app.screen, AwayPrompt)      # nothing was missed: no question
        assert today(app, "today-state") == "Sitting since 09:00"
        assert today(app, "today-reminder") == "now"  # the 10:00 one is still open, waiting for an answer
        assert len(shown_reminders(app)) == 4
        totals = []
        for _ in range(45):                                # 90 real minutes
            await pass_minutes(app, pilot, 2)
            totals.append(today(app, "today-sitting"))
            assert_sane(app)
        minutes = [int(text.split()[2].split(":")[0]) * 60 + int(text.split()[2].split(":")[1]) for text in totals]
        assert all(later >= earlier for earlier, later in zip(minutes, minutes[1:])), totals
        assert minutes[:30] == [60] * 30                   # the replayed hour adds nothing
        assert minutes[-1] == 90
        assert today(app, "today-bout") == "1 h 30 min"
        await pilot.press("ctrl+q")

    assert rows(app) == [
        ("sitting", "2026-11-18T08:00:00+00:00", "2026-11-18T09:00:00+00:00", "auto"),
        ("sitting", "2026-11-18T08:00:00+00:00", "2026-11-18T09:30:00+00:00", "auto"),
    ]
    assert [time for time, _ in shown_reminders(app)] == ["08:30", "08:40", "08:50", "09:00", "09:10", "09:20",
                                                          "09:30"]
    assert_no_burst(app)
    assert stored_by_day(app) == {date(2026, 11, 18): 90}


async def test_midnight_with_the_app_open_starts_a_new_day_at_zero(locations):
    """Tuesday 10 November 2026, 23:00 CET, sitting past midnight until 00:30."""
    locations.config.write_text(TOASTS + NIGHT_OWL)
    app = make_app(locations, FakeClock(utc("2026-11-10T22:00"), zone=ZONE))
    async with app.run_test(size=SIZE) as pilot:
        await pass_minutes(app, pilot, 58)
        await poll(pilot)
        assert today(app, "today-date") == "Tuesday 10 November 2026"
        assert today(app, "today-sitting") == "Sitting today 0:58 of 6:00"
        await pass_minutes(app, pilot, 2)                  # midnight
        await poll(pilot)
        assert today(app, "today-date") == "Wednesday 11 November 2026"
        assert today(app, "today-sitting") == "Sitting today 0:00 of 6:00"
        assert today(app, "today-bout") == "1 h 00 min"    # the bout goes on across midnight
        # Yesterday's three reminders are yesterday's; the one at 00:00 waits for an answer.
        assert today(app, "today-reminders") == "Reminders today: 0 taken · 0 snoozed · 0 skipped · 0 missed"
        await pass_minutes(app, pilot, 30)
        assert today(app, "today-sitting") == "Sitting today 0:30 of 6:00"
        assert today(app, "today-bout") == "1 h 30 min"
        assert today(app, "today-longest") == "30 min"     # today's part of it
        assert today(app, "today-reminders") == "Reminders today: 0 taken · 0 snoozed · 0 skipped · 3 missed"
        await pilot.press("ctrl+q")

    # One row across midnight: the day is split when it is read, not by writing twice.
    assert rows(app) == [("sitting", "2026-11-10T22:00:00+00:00", "2026-11-10T23:30:00+00:00", "auto")]
    assert stored_by_day(app) == {date(2026, 11, 10): 60, date(2026, 11, 11): 30}
    days = report_days(locations, "2026-11-10")
    assert (days["2026-11-10"], days["2026-11-11"]) == (60, 30)
