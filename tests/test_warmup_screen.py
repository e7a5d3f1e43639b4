"""The Warm-up tab through Pilot on a frozen clock; time moves only when the test moves it."""

from __future__ import annotations

import sqlite3
import time

from app_factory import make_app
from helpers import run_from_palette, wait_until
from textual.widgets import ContentSwitcher, OptionList, Static, Switch

from glutetui.config import load_settings
from glutetui.domain.routines import total_seconds
from glutetui.domain.timefmt import from_utc_text
from glutetui.services.routines import load_routines
from glutetui.ui.screens.confirm import ConfirmScreen
from glutetui.ui.widgets.countdown import Countdown
from glutetui.ui.widgets.warmup_pane import WarmupPane


def warmup_rows(locations) -> list[dict]:
    conn = sqlite3.connect(locations.db)
    conn.row_factory = sqlite3.Row
    return [dict(row) for row in conn.execute("SELECT * FROM warmups ORDER BY started_at")]


def pane_of(app) -> WarmupPane:
    return app.main_screen.query_one(WarmupPane)


def view_of(app) -> str:
    return app.main_screen.query_one("#warmup-views", ContentSwitcher).current


async def let_time_pass(app, pilot, seconds: float, step: float = 0.5) -> None:
    """Advance the fake clock in frames, giving the pane the tick its timer would."""
    for _ in range(round(seconds / step)):
        app.clock.advance(step)
        pane_of(app)._tick()
    await pilot.pause()


def count_bells(app) -> list[int]:
    rung = [0]
    app.bell = lambda: rung.__setitem__(0, rung[0] + 1)
    return rung


async def test_w_runs_the_whole_pre_run_routine_and_stores_it(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        rung = count_bells(app)
        await pilot.press("w")
        assert view_of(app) == "warmup-running"
        assert str(app.main_screen.query_one("#warmup-step", Static).content) == "March with high knees"
        assert warmup_rows(locations)[0]["completed"] == 0  # stored from the first second

        await let_time_pass(app, pilot, 163.5)
        assert view_of(app) == "warmup-running"
        await let_time_pass(app, pilot, 0.5)
        assert view_of(app) == "warmup-done"
        assert "Warm-up done" in str(app.main_screen.query_one("#warmup-summary", Static).content)

    [row] = warmup_rows(locations)
    assert row["routine"] == "pre-run" and row["completed"] == 1
    assert (row["planned_s"], row["steps_done"], row["steps_total"]) == (164, 10, 10)
    assert row["done_s"] == 164 - 4 * 3  # the four switch-sides pauses are not moving
    length = from_utc_text(row["ended_at"]) - from_utc_text(row["started_at"])
    assert length.total_seconds() == 164
    # a ring at the start, at each of 13 changes and at the end, plus the countdowns
    assert rung[0] >= 15


async def test_keys_pause_skip_back_adjust(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        pane = pane_of(app)
        countdown = app.main_screen.query_one(Countdown)
        await let_time_pass(app, pilot, 5)
        assert countdown.value == "0:15"

        await pilot.press("space")
        await let_time_pass(app, pilot, 30)
        assert countdown.value == "0:15" and "paused" in str(app.main_screen.query_one("#warmup-title", Static).content)
        await pilot.press("space")
        await pilot.press("plus")
        assert countdown.value == "0:25"
        await pilot.press("minus", "minus")
        assert countdown.value == "0:05"

        await pilot.press("n")
        assert pane.session.index == 1 and countdown.value == "0:12"
        await pilot.press("b")
        assert pane.session.index == 0 and countdown.value == "0:20"
        await let_time_pass(app, pilot, 5)
        await pilot.press("b")  # well into the step: back restarts it
        assert pane.session.index == 0 and countdown.value == "0:20"


async def test_q_asks_first_and_stops_only_on_yes(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await let_time_pass(app, pilot, 25)  # into the second step
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert view_of(app) == "warmup-running"
        await pilot.press("q")
        await pilot.press("y")
        assert view_of(app) == "warmup-done"
    [row] = warmup_rows(locations)
    assert row["completed"] == 0 and row["steps_done"] == 1 and row["done_s"] == 25
    assert (from_utc_text(row["ended_at"]) - from_utc_text(row["started_at"])).total_seconds() == 25


async def test_quitting_mid_routine_keeps_what_was_done(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await let_time_pass(app, pilot, 40)
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    [row] = warmup_rows(locations)
    assert row["ended_at"] is not None and row["completed"] == 0 and row["done_s"] == 40 - 3


async def test_picker_starts_a_chosen_routine_and_returns_after(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        options = app.main_screen.query_one("#routine-list", OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == \
            ["pre-run", "desk-break", "strength"]
        options.focus()
        await pilot.press("down", "enter")
        assert pane_of(app).session.routine_key == "desk-break"
        await let_time_pass(app, pilot, total_seconds(app.routines.routines["desk-break"]))
        assert view_of(app) == "warmup-done"
        await pilot.press("escape")
        assert view_of(app) == "warmup-picker"
    assert [row["routine"] for row in warmup_rows(locations)] == ["desk-break"]


async def test_the_bell_setting_silences_and_is_saved(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        rung = count_bells(app)
        await pilot.press("5")
        app.main_screen.query_one("#bell-switch", Switch).value = False
        await pilot.pause()
        await pilot.press("w")
        await let_time_pass(app, pilot, 30)
        assert rung[0] == 0
    assert load_settings(locations.config).bell is False


async def test_a_bad_user_routine_is_shown_and_the_rest_still_work(locations, clock):
    folder = locations.user_routines
    folder.mkdir(parents=True)
    (folder / "hills.toml").write_text('[[steps]]\nname = "Skips"\nseconds = 30\n')
    app = make_app(locations, clock, routines=load_routines(folder))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        problems = str(app.main_screen.query_one("#routine-problems", Static).content)
        assert "hills.toml" in problems and "missing 'cue'" in problems
        await pilot.press("w")
        assert view_of(app) == "warmup-running"


async def test_palette_starts_the_strength_routine(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_from_palette(pilot, "Start: Glute strength")
        assert pane_of(app).session.routine_key == "strength"


async def test_voice_speaks_each_new_step_when_on(locations, clock, tmp_path):
    # A stand-in speech program that writes what it was asked to say: no speaker here.
    said = tmp_path / "said.txt"
    program = tmp_path / "say-to-file"
    program.write_text(f"#!/bin/sh\necho \"$1\" >> {said}\n")
    program.chmod(0o755)
    locations.config.write_text("voice = true\n")
    app = make_app(locations, clock, voice_program=str(program))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await let_time_pass(app, pilot, 21)
        await app.workers.wait_for_complete()
    for _ in range(50):  # the speech program runs on its own; give it up to 5 s to write
        if said.exists() and len(said.read_text().splitlines()) >= 2:
            break
        time.sleep(0.1)
    assert said.read_text().splitlines()[:2] == ["March with high knees", "Leg swings, front to back (left)"]


async def test_a_session_left_open_by_a_crash_is_closed_at_its_last_progress(locations, clock):
    from glutetui.store.db import open_store

    db = open_store(locations.db)
    db["warmups"].insert({"id": "w1", "routine": "pre-run", "started_at": "2026-11-18T06:00:00+00:00",
                          "ended_at": None, "planned_s": 164, "done_s": 47, "steps_done": 2, "steps_total": 10,
                          "completed": 0, "created_at": "2026-11-18T06:00:00+00:00"})
    db.close()
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)):
        pass
    [row] = warmup_rows(locations)
    assert row["ended_at"] == "2026-11-18T06:00:47+00:00" and row["completed"] == 0


async def test_r_after_a_warm_up_logs_the_run_linked_to_it(locations, clock):
    from textual.widgets import Input

    from glutetui.ui.screens.run_form import RunFormScreen

    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        for _ in range(int(total_seconds(app.routines.routines["pre-run"]) // 10) + 2):
            await let_time_pass(app, pilot, 10)
            app.tick_tracker()  # the tracker's own tick, so the fake minutes are not a gap
        assert view_of(app) == "warmup-done"
        await pilot.press("r")
        assert isinstance(app.screen, RunFormScreen)
        await wait_until(pilot, lambda: app.screen.query("#distance-input"), "the run form's fields")
        app.screen.query_one("#distance-input", Input).value = "5k"
        app.screen.query_one("#time-input", Input).value = "27:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
    [(warmup_id,)] = app.db.execute("SELECT warmup_id FROM runs").fetchall()
    assert warmup_id == warmup_rows(locations)[0]["id"]
