"""Stand-up reminders in the app through Textual's Pilot, on a real SQLite file and a fake clock.

Desktop notifications are off here (remind_desktop = false); they are tested against a
real session bus in test_reminder_notifications.py.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from app_factory import make_app
from helpers import day_begun, poll, settle, tick
from textual.widgets import Input, Static

from glutetui.clock import FakeClock
from glutetui.config import load_settings
from glutetui.domain.run_input import duration_text
from glutetui.domain.timefmt import from_utc_text
from glutetui.store import posture
from glutetui.store.db import open_store
from glutetui.ui.screens.away_prompt import AwayPrompt
from glutetui.ui.screens.pause import PauseScreen
from glutetui.ui.screens.reminder import ReminderScreen
from glutetui.ui.screens.run_form import RunFormScreen
from glutetui.ui.widgets.countdown import Countdown
from glutetui.ui.widgets.today_pane import TodayPane

ZONE = "Europe/Berlin"
ARRIVE = datetime(2026, 11, 18, 8, 0, tzinfo=timezone.utc)  # Wednesday 09:00 in Berlin


@pytest.fixture
def app(locations):
    locations.config.write_text("remind_desktop = false\n")
    app = make_app(locations, FakeClock(ARRIVE, zone=ZONE))
    app.rings = 0

    def ring() -> None:
        app.rings += 1

    app.bell = ring
    return app


async def sit(app, pilot, minutes: float, step: float = 30) -> None:
    """What the app's one-second tick does over `minutes` of fake time."""
    await day_begun(pilot)
    for _ in range(round(minutes * 60 / step)):
        app.clock.advance(step)
        await tick(pilot)
    await pilot.pause()


async def move_for(app, pilot, seconds: float) -> None:
    """Time passing inside the reminder window's desk move, as its own timer sees it."""
    for _ in range(round(seconds)):
        app.clock.advance(1)
        if isinstance(app.screen, ReminderScreen):
            player = app.screen.player
            player.tick()
            if not player.running:
                # The break ends when the window hears the move is over: before the next
                # tick, as between the timer's ticks, not after the fake time moved on.
                await pilot.pause()
    await pilot.pause()


async def answer(app, pilot, key: str) -> None:
    """A key pressed a moment after the window opened (at once, it is not taken as an answer)."""
    app.clock.advance(1)
    await pilot.press(key)


def text(app, widget_id: str) -> str:
    return str(app.screen.query_one(f"#{widget_id}", Static).content)


def break_step(app) -> str:
    return str(app.screen.player.query_one(".routine-step", Static).content)


def today(app, key: str) -> str:
    return app.main_screen.query_one(TodayPane).shown(key)


def reminders(app) -> list[tuple]:
    return app.db.execute("SELECT outcome, bout_minutes, move FROM reminders ORDER BY shown_at").fetchall()


def states(app) -> list[tuple]:
    return app.db.execute("SELECT state, source FROM posture ORDER BY started_at").fetchall()


async def test_a_reminder_comes_at_remind_after_with_the_bell_and_a_desk_move(app):
    async with app.run_test(size=(100, 32)) as pilot:
        await sit(app, pilot, 29.5)
        assert not isinstance(app.screen, ReminderScreen) and app.rings == 0
        assert today(app, "today-reminder") == "1 min"
        await sit(app, pilot, 0.5)
        assert isinstance(app.screen, ReminderScreen)
        assert text(app, "reminder-bout") == "You have been sitting for 30 min."
        assert text(app, "reminder-move") == "Desk move: Glute squeezes"
        assert "t  take the break now (1:00)" in text(app, "reminder-keys")
        assert "z  snooze 5 min (3 left today)" in text(app, "reminder-keys")
        assert app.rings == 1
        assert reminders(app) == [(None, 30.0, "Glute squeezes")]


async def test_t_runs_the_move_then_walking_for_the_minimum_break_then_back_to_sitting(app):
    async with app.run_test(size=(100, 32)) as pilot:
        await sit(app, pilot, 30)
        await answer(app, pilot, "t")
        assert reminders(app) == [("taken", 30.0, "Glute squeezes")]
        assert app.tracker.open.state == "break"
        assert break_step(app) == "Glute squeezes  (10 reps)"
        await move_for(app, pilot, 21)
        assert break_step(app) == "Keep moving"  # the move was 20 s; the break lasts a minute
        await move_for(app, pilot, 40)
        assert not isinstance(app.screen, ReminderScreen)
        assert app.tracker.open.state == "sitting"
        assert states(app) == [("sitting", "auto"), ("break", "manual"), ("sitting", "manual")]
        start, end = app.db.execute("SELECT started_at, ended_at FROM posture WHERE state = 'break'").fetchone()
        assert (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() == 60
        await sit(app, pilot, 1)
        assert today(app, "today-bout") == "1 min"  # a new bout
        assert today(app, "today-reminder") == "29 min"
        assert today(app, "today-breaks") == "1"
        assert today(app, "today-reminders") == "Reminders today: 1 taken · 0 snoozed · 0 skipped · 0 missed"


def break_title(app) -> str:
    return str(app.screen.player.query_one(".routine-title", Static).content)


async def test_q_stops_the_move_and_the_walk_still_makes_the_break_long_enough(app):
    async with app.run_test(size=(100, 32)) as pilot:
        await sit(app, pilot, 30)
        await answer(app, pilot, "t")
        assert break_title(app) == "Desk break · step 1 of 2"
        assert text(app, "break-keys") == "q  stop the move; walk until the break has lasted 1 min"
        await move_for(app, pilot, 10)
        await pilot.press("q")
        assert break_step(app) == "Keep moving"
        assert break_title(app) == "Desk break · step 2 of 2"  # the walk is the last step: no new count
        assert app.screen.player.query_one(Countdown).value == "0:50"  # the minute, counted from t
        assert text(app, "break-keys") == "q  sit down now: cut short (under 1 min), the sitting bout goes on"
        await move_for(app, pilot, 51)
        assert not isinstance(app.screen, ReminderScreen)
        await sit(app, pilot, 1)
        assert today(app, "today-breaks") == "1" and today(app, "today-bout") == "1 min"
        assert today(app, "today-reminders") == "Reminders today: 1 taken · 0 snoozed · 0 skipped · 0 missed"
    assert app.db.execute("SELECT cut_short FROM reminders").fetchall() == [(0,)]


async def test_q_twice_cuts_the_break_short_and_every_count_says_so(app):
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await sit(app, pilot, 30)
        await answer(app, pilot, "t")
        await move_for(app, pilot, 10)
        await pilot.press("q")
        await move_for(app, pilot, 34)
        await pilot.press("q")  # 44 s into a one-minute break
        await settle(pilot)
        assert not isinstance(app.screen, ReminderScreen)
        assert app.tracker.open.state == "sitting"
        assert [n.message for n in app._notifications] == [
            "Break cut short after 44 s: a break under 1 min does not end the sitting bout, so it goes on."]
        await sit(app, pilot, 1)
        assert today(app, "today-breaks") == "0"
        assert today(app, "today-bout") == "31 min"  # 30 sitting + the short break + 1: one bout
        assert today(app, "today-reminders") == (
            "Reminders today: 1 taken, 1 cut short · 0 snoozed · 0 skipped · 0 missed")
    assert app.db.execute("SELECT outcome, cut_short FROM reminders").fetchall() == [("taken", 1)]


async def test_z_snoozes_five_minutes_up_to_the_daily_cap_then_only_take_or_skip(app):
    async with app.run_test(size=(100, 32)) as pilot:
        await sit(app, pilot, 30)
        for left in (3, 2, 1):
            assert f"z  snooze 5 min ({left} left today)" in text(app, "reminder-keys")
            await answer(app, pilot, "z")
            assert not isinstance(app.screen, ReminderScreen)
            await sit(app, pilot, 4.5)
            assert not isinstance(app.screen, ReminderScreen)
            await sit(app, pilot, 0.5)
            assert isinstance(app.screen, ReminderScreen)
        assert "no snoozes left today: take it or skip it" in text(app, "reminder-keys")
        await answer(app, pilot, "z")
        assert isinstance(app.screen, ReminderScreen)  # no snooze left: the key does nothing
        await answer(app, pilot, "k")
        assert not isinstance(app.screen, ReminderScreen)
        await sit(app, pilot, 29.5)
        assert not isinstance(app.screen, ReminderScreen)  # a skip waits a whole remind_after
        await sit(app, pilot, 0.5)
        assert isinstance(app.screen, ReminderScreen)
    assert [(outcome, round(minutes)) for outcome, minutes, _ in reminders(app)] == [
        ("snoozed", 30), ("snoozed", 35), ("snoozed", 40), ("skipped", 45), (None, 75)]


async def test_an_ignored_reminder_asks_again_with_the_longer_bout_and_the_next_move(app):
    async with app.run_test(size=(100, 32)) as pilot:
        await sit(app, pilot, 30)
        first = app.screen
        await sit(app, pilot, 10)
        assert app.screen is first  # the same window, brought up to date
        assert text(app, "reminder-bout") == "You have been sitting for 40 min."
        assert text(app, "reminder-move") == "Desk move: Hip opener, standing"
        assert app.rings == 2
        assert reminders(app) == [("missed", 30.0, "Glute squeezes"), (None, 40.0, "Hip opener, standing")]
        await pilot.press("ctrl+q")
    assert reminders(app)[-1][0] == "missed"  # quitting leaves nothing waiting


async def test_the_open_window_shows_the_bout_as_it_grows(app):
    async with app.run_test(size=(100, 32)) as pilot:
        await sit(app, pilot, 30)
        window = app.screen
        for minutes, said in ((34, "34 min"), (75, "1 h 15 min")):
            window.show_bout_minutes(minutes)  # what the app does each minute while the window is open
            assert text(app, "reminder-bout") == f"You have been sitting for {said}."
        assert app.screen is window and window.asking


async def test_s_in_the_window_stands_you_up_and_counts_as_taken(app):
    async with app.run_test(size=(100, 32)) as pilot:
        await sit(app, pilot, 30)
        await answer(app, pilot, "s")
        assert not isinstance(app.screen, ReminderScreen)
        assert app.tracker.open.state == "standing"
    assert reminders(app)[0][0] == "taken"


async def test_standing_up_by_command_or_sleeping_answers_a_waiting_reminder(app, locations):
    async with app.run_test(size=(100, 32)) as pilot:
        await sit(app, pilot, 30)
        other = open_store(locations.db)  # `glutetui stand` in another process
        posture.begin_state(other, "standing", app.clock.now(), posture.CLI)
        other.close()
        await poll(pilot)
        await tick(pilot)
        await pilot.pause()
        assert not isinstance(app.screen, ReminderScreen)
        app.set_posture("sitting")
        await sit(app, pilot, 30)
        assert isinstance(app.screen, ReminderScreen)
        app.clock.jump_wall(3600)  # the laptop sleeps through lunch
        await tick(pilot)
        await pilot.pause()
        assert isinstance(app.screen, AwayPrompt)
        await pilot.press("y")
        assert not isinstance(app.screen, ReminderScreen)
    assert [row[0] for row in reminders(app)] == ["taken", "taken"]


async def test_p_in_the_window_pauses_reminders_for_an_hour(app):
    async with app.run_test(size=(100, 32)) as pilot:
        await sit(app, pilot, 30)
        await answer(app, pilot, "p")
        assert not isinstance(app.screen, ReminderScreen)
        await sit(app, pilot, 0.5)
        assert today(app, "today-reminder") == "paused"
        assert today(app, "today-reminders") == "Paused until 10:30 · 0 taken · 0 snoozed · 1 skipped · 0 missed today"
        await sit(app, pilot, 59)
        assert not isinstance(app.screen, ReminderScreen)
        await sit(app, pilot, 0.5)
        assert isinstance(app.screen, ReminderScreen)
        assert text(app, "reminder-bout") == "You have been sitting for 1 h 30 min."
    assert [row[0] for row in reminders(app)] == ["skipped", None]  # still on screen


async def test_p_on_today_pauses_until_tomorrow_and_r_resumes(app):
    async with app.run_test(size=(100, 32)) as pilot:
        await answer(app, pilot, "p")
        assert isinstance(app.screen, PauseScreen)
        await answer(app, pilot, "t")
        await sit(app, pilot, 0.5)
        assert today(app, "today-reminder") == "paused"
        assert today(app, "today-reminders").startswith("Paused until midnight · ")
        await sit(app, pilot, 60)
        assert not isinstance(app.screen, ReminderScreen)
        await answer(app, pilot, "p")
        assert "paused until midnight" in str(app.screen.query_one("#pause-title", Static).content)
        await pilot.press("r")
        await sit(app, pilot, 0.5)
        assert isinstance(app.screen, ReminderScreen)  # due long ago; back on, it comes at once
    assert app.db.execute("SELECT count(*) FROM reminder_pauses").fetchone()[0] == 1


async def test_no_reminder_during_the_warm_up_or_the_run_after_it_and_the_run_form_on_return(app):
    async with app.run_test(size=(100, 32)) as pilot:
        await sit(app, pilot, 29)
        await pilot.press("w")
        await settle(pilot)
        pane = app.main_screen.query_one("#warmup-pane")
        await sit(app, pilot, 1.5)
        assert pane.running and not isinstance(app.screen, ReminderScreen)
        for _ in range(180):
            app.clock.advance(1)
            pane.player.tick()  # the warm-up's own timer, which notices its end
            await tick(pilot)
        await settle(pilot)
        assert not pane.running and not isinstance(app.screen, ReminderScreen)
        assert today(app, "today-state").startswith("Out running since")
        await sit(app, pilot, 35)  # out running: no reminder, no sitting
        assert not isinstance(app.screen, ReminderScreen)
        await pilot.press("1", "enter")  # back at the desk
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RunFormScreen)
        [(warmup_id, ended)] = app.db.execute("SELECT id, ended_at FROM warmups").fetchall()
        out = (app.clock.now() - from_utc_text(ended)).total_seconds()
        assert form.query_one("#time-input", Input).value == duration_text(round(out))
        assert form.query_one("#warmup-link").value == warmup_id
        form.query_one("#distance-input", Input).value = "5k"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RunFormScreen)
    assert app.db.execute("SELECT warmup_id, started_at FROM runs").fetchall() == [(warmup_id, ended)]
    states = [row[0] for row in app.db.execute("SELECT state FROM posture ORDER BY started_at")]
    assert states == ["sitting", "exercise", "out", "sitting"]


async def test_in_app_window_off_shows_a_toast_instead(locations):
    locations.config.write_text("remind_desktop = false\nremind_in_app = false\nremind_bell = false\n")
    app = make_app(locations, FakeClock(ARRIVE, zone=ZONE))
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await sit(app, pilot, 30)
        assert not isinstance(app.screen, ReminderScreen)
        assert any("Time to stand up" in toast.message for toast in app._notifications)


async def test_settings_change_reminders_now_and_keep_them_for_next_time(app, locations):
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("5")
        quiet = app.main_screen.query_one("#quiet-input", Input)
        quiet.focus()
        await pilot.press(*"12-13", "enter")
        assert "is not a span like" in str(app.main_screen.query_one("#quiet-problem", Static).content)
        assert quiet.value == "12-13"  # the text is kept to mend
        assert "quiet_hours" not in locations.config.read_text()
        quiet.value = ""
        await pilot.press(*"09:20-09:40", "enter")
        remind = app.main_screen.query_one("#remind-input", Input)
        remind.value = ""
        remind.focus()
        await pilot.press("5", "enter")
        assert "from 10 to 120" in str(app.main_screen.query_one("#remind-problem", Static).content)
        remind.value = ""
        await pilot.press("1", "5", "enter")
        app.main_screen.query_one("#remind_in_app-switch").toggle()
        await pilot.pause()
        settings = load_settings(locations.config)
        assert (settings.quiet_hours, settings.remind_after, settings.remind_in_app) == ("09:20-09:40", 15, False)
        await pilot.press("1")
        await sit(app, pilot, 15)
        # Asked at 09:15 with a toast (the window is off) and not answered: standing up is due now.
        assert today(app, "today-reminder") == "now"
        assert [due for due, _ in app.db.execute("SELECT due_at, outcome FROM reminders")] == ["2026-11-18T08:15:00+00:00"]
        await sit(app, pilot, 10)
        assert len(app.db.execute("SELECT id FROM reminders").fetchall()) == 1  # 09:25 is in quiet hours


async def test_a_key_pressed_as_the_window_opens_is_not_an_answer(app):
    async with app.run_test(size=(100, 32)) as pilot:
        await sit(app, pilot, 30)
        await pilot.press("s")  # typed in the same instant the window came up
        assert isinstance(app.screen, ReminderScreen) and app.tracker.open.state == "sitting"
        await answer(app, pilot, "s")
        assert app.tracker.open.state == "standing"


async def test_saying_you_sat_through_an_away_undoes_the_taken_reminder(app):
    async with app.run_test(size=(100, 32)) as pilot:
        await sit(app, pilot, 30)
        app.clock.jump_wall(20 * 60)  # the screen slept; the runner was on a call
        await tick(pilot)
        await pilot.pause()
        assert isinstance(app.screen, AwayPrompt)
        await pilot.press("n")
        assert reminders(app)[0][0] == "missed"
        await sit(app, pilot, 0.5)
        assert isinstance(app.screen, ReminderScreen)  # due again at once: 10 min since it was shown
        assert text(app, "reminder-bout") == "You have been sitting for 50 min."


async def test_a_paused_warm_up_does_not_hold_reminders_back(app):
    async with app.run_test(size=(100, 32)) as pilot:
        await sit(app, pilot, 5)
        await pilot.press("w")
        await pilot.press("space")  # paused, then forgotten
        await sit(app, pilot, 25)
        assert isinstance(app.screen, ReminderScreen)


async def test_a_digit_that_is_not_ascii_is_refused_on_settings(app, locations):
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("5")
        remind = app.main_screen.query_one("#remind-input", Input)
        remind.value = ""
        remind.focus()
        await pilot.press("²", "enter")
        assert "is not a whole number of minutes" in str(app.main_screen.query_one("#remind-problem", Static).content)
        assert not locations.config.read_text().count("remind_after")
