"""The Warm-up tab through Pilot on a frozen clock; time moves only when the test moves it."""

from __future__ import annotations

import sqlite3
import time
from datetime import timedelta

import pytest

from app_factory import make_app
from helpers import day_begun, run_from_palette, settle, wait_until
from textual.app import App
from textual.widgets import ContentSwitcher, OptionList, Static, Switch

from glutetui.config import Settings, load_settings
from glutetui.domain.routines import TimedStep, total_seconds
from glutetui.domain.timefmt import from_utc_text
from glutetui.domain.warmup import WarmupSession
from glutetui.services.routines import load_routines
from glutetui.ui.app import GlutetuiApp
from glutetui.ui.screens.confirm import ConfirmScreen
from glutetui.ui.widgets.countdown import Countdown
from glutetui.ui.widgets.footer import KeyFooter
from glutetui.ui.widgets.routine_player import RoutinePlayer
from glutetui.ui.widgets.tab_strip import TabStrip
from glutetui.ui.widgets.warmup_pane import WarmupPane


def warmup_rows(locations) -> list[dict]:
    conn = sqlite3.connect(locations.db)
    conn.row_factory = sqlite3.Row
    return [dict(row) for row in conn.execute("SELECT * FROM warmups ORDER BY started_at")]


def pane_of(app) -> WarmupPane:
    return app.main_screen.query_one(WarmupPane)


def player_of(app) -> RoutinePlayer:
    return app.main_screen.query_one("#warmup-running", RoutinePlayer)


def shown(app, part: str) -> str:
    """What the routine player shows as `part`: title, step, cue, next or left."""
    return str(player_of(app).query_one(f".routine-{part}", Static).content)


def view_of(app) -> str:
    return app.main_screen.query_one("#warmup-views", ContentSwitcher).current


async def let_time_pass(app, pilot, seconds: float, step: float = 0.5) -> None:
    """Advance the fake clock in frames, giving the player the tick its timer would."""
    for _ in range(round(seconds / step)):
        app.clock.advance(step)
        player_of(app).tick()
    await pilot.pause()


def footer_keys(app) -> dict[str, str]:
    """The keys the footer shows: key -> what it says (empty for a key in a group)."""
    return {key.key: item.description if len(item.keys) == 1 else ""
            for item in app.main_screen.query_one(KeyFooter).shown() for key in item.keys}


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
        assert shown(app, "step") == "March with high knees"
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


@pytest.mark.parametrize(("size", "least_rows"), [((80, 24), 5), ((100, 32), 10), ((200, 60), 30)])
async def test_the_countdown_grows_with_the_terminal_and_sits_centred(locations, clock, size, least_rows):
    app = make_app(locations, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.press("w")
        await settle(pilot)
        countdown = app.main_screen.query_one(Countdown)
        region = countdown.content_region
        lines = [line.rstrip() for line in countdown.render().plain.split("\n")]
        drawn = [index for index, line in enumerate(lines) if line.strip()]
        assert len(drawn) >= least_rows, f"{size}: only {len(drawn)} rows tall"
        assert len(lines) <= region.height and max(map(len, lines)) <= region.width  # it all fits
        assert region.right <= size[0] and region.bottom <= size[1]
        left = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
        right = region.width - max(len(line) for line in lines)
        top, bottom = drawn[0], region.height - 1 - drawn[-1]
        assert abs(left - right) <= 1 and abs(top - bottom) <= 1, f"{size}: not centred"
        # The step and what comes next are still on screen below it.
        assert app.main_screen.query_one(".routine-next").region.bottom <= size[1]


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
        assert countdown.value == "0:15" and "paused" in shown(app, "title")
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
        assert "Log the run when you are back" in str(app.main_screen.query_one("#warmup-summary", Static).content)
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
    async with app.run_test(size=(80, 24)) as pilot:
        await day_begun(pilot)  # the start runs on the storage thread once Today is painted
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
        await pilot.press("2")  # back on the Warm-up tab: the routines, with no r for a logged run
        await wait_until(pilot, lambda: view_of(app) == "warmup-picker", "the routine list")
        assert "r" not in footer_keys(app)
    [(warmup_id,)] = app.db.execute("SELECT warmup_id FROM runs").fetchall()
    assert warmup_id == warmup_rows(locations)[0]["id"]


# ---- the keys belong to the routine view, whatever has focus -----------------------------

WARMUP_FOOTER = {"space", "b", "n", "plus", "minus", "q"}


async def test_warm_up_keys_work_after_switching_tabs_and_after_w_again(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await let_time_pass(app, pilot, 5)
        countdown = app.main_screen.query_one(Countdown)
        await pilot.press("1")  # Today keeps its own keys meanwhile: b is Break there, not Back
        await wait_until(pilot, lambda: footer_keys(app).get("b") == "Break", "Today's keys in the footer")
        assert not {"space", "n", "q"} & set(footer_keys(app))
        await pilot.press("2")
        await wait_until(pilot, lambda: WARMUP_FOOTER <= set(footer_keys(app)), "the warm-up's keys in the footer")
        assert countdown.value == "0:15"  # b on Today did not take the warm-up back
        await pilot.press("space")
        assert player_of(app).paused
        await pilot.press("1", "w")  # w from another tab shows the routine running, not a new one
        assert view_of(app) == "warmup-running" and pane_of(app).session.index == 0
        await wait_until(pilot, lambda: WARMUP_FOOTER <= set(footer_keys(app)), "the warm-up's keys in the footer")
        await pilot.press("space", "n")
        assert not player_of(app).paused and pane_of(app).session.index == 1
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)


async def test_warm_up_keys_work_after_clicking_the_tab_and_the_routine(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w", "1")
        strip = app.main_screen.query_one(TabStrip)
        start, end = next((start, end) for tab_id, start, end in strip.spans() if tab_id == "warmup")
        await pilot.click(TabStrip, offset=((start + end) // 2, 0))
        assert app.main_screen.active_tab == "warmup"
        assert strip.has_focus  # the click moved focus off the pane: the keys must work all the same
        await wait_until(pilot, lambda: WARMUP_FOOTER <= set(footer_keys(app)), "the warm-up's keys in the footer")
        await pilot.press("n")
        assert pane_of(app).session.index == 1
        await pilot.click(Countdown)
        await pilot.press("space")
        assert player_of(app).paused
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)


# ---- what the pane tells the app ---------------------------------------------------------

class Listening(GlutetuiApp):
    """The real app, also noting what the Warm-up tab tells it (its own handlers run as well)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.told: list = []

    def on_warmup_pane_started(self, message: WarmupPane.Started) -> None:
        self.told.append(message)

    def on_warmup_pane_saved(self, message: WarmupPane.Saved) -> None:
        self.told.append(message)

    def on_warmup_pane_paused(self, message: WarmupPane.Paused) -> None:
        self.told.append(message)

    def on_warmup_pane_ended(self, message: WarmupPane.Ended) -> None:
        self.told.append(message)

    def heard(self, kind: type) -> list:
        return [message for message in self.told if isinstance(message, kind)]


def pre_run_summary(**fields) -> dict:
    return {"routine": "pre-run", "planned_s": 164, "done_s": 0, "steps_done": 0, "steps_total": 10,
            "completed": 0, **fields}


async def test_the_pane_tells_the_app_each_start_step_pause_and_end(locations, clock):
    began = clock.now()
    app = make_app(locations, clock, app_class=Listening)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await wait_until(pilot, lambda: app.heard(WarmupPane.Saved), "the first step saved")
        [started] = app.heard(WarmupPane.Started)
        assert (started.routine, started.summary, started.started_at) == ("pre-run", pre_run_summary(), began)
        await let_time_pass(app, pilot, 20)  # into the second step
        await wait_until(pilot, lambda: len(app.heard(WarmupPane.Saved)) == 2, "the second step saved")
        saved = app.heard(WarmupPane.Saved)[-1]
        assert (saved.routine, saved.summary, saved.at) == (
            "pre-run", pre_run_summary(done_s=20, steps_done=1), began + timedelta(seconds=20))

        await pilot.press("space")
        clock.advance(30)
        await pilot.press("space")
        await wait_until(pilot, lambda: len(app.heard(WarmupPane.Paused)) == 2, "the pause and the resume")
        assert [(m.routine, m.paused, m.at) for m in app.heard(WarmupPane.Paused)] == [
            ("pre-run", True, began + timedelta(seconds=20)), ("pre-run", False, began + timedelta(seconds=50))]

        await let_time_pass(app, pilot, 5)
        await pilot.press("q", "y")
        await wait_until(pilot, lambda: app.heard(WarmupPane.Ended), "the end")
        clock.advance(3)  # a late look must not move the end
        [ended] = app.heard(WarmupPane.Ended)
        assert ended.routine == "pre-run" and ended.summary == pre_run_summary(done_s=25, steps_done=1)
        assert ended.ended_at == ended.at == began + timedelta(seconds=55)
        assert isinstance(app.told[0], WarmupPane.Started) and app.told[-1] is ended


async def test_the_end_is_noticed_at_the_moment_it_came_not_when_a_tick_saw_it(locations, clock):
    began = clock.now()
    app = make_app(locations, clock, app_class=Listening)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await let_time_pass(app, pilot, 165)  # a frame after the 164 s routine ended
        await wait_until(pilot, lambda: app.heard(WarmupPane.Ended), "the end")
        [ended] = app.heard(WarmupPane.Ended)
        assert ended.summary == pre_run_summary(done_s=164 - 4 * 3, steps_done=10, completed=1)
        assert ended.ended_at == began + timedelta(seconds=164) and ended.at == began + timedelta(seconds=165)


async def test_abandon_returns_the_end_for_the_closing_app_instead_of_telling_it(locations, clock):
    app = make_app(locations, clock, app_class=Listening)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await let_time_pass(app, pilot, 40)
        pane = pane_of(app)
        ended = pane.abandon()
        assert isinstance(ended, WarmupPane.Ended)
        assert ended.summary == pre_run_summary(done_s=40 - 3, steps_done=2)
        assert ended.ended_at == ended.at == clock.now()
        assert pane.abandon() is ended  # the same end again, never a second one
        await pilot.pause()
        assert not app.heard(WarmupPane.Ended)


async def test_quitting_while_the_stopped_warm_ups_end_is_on_its_way_still_stores_it(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await let_time_pass(app, pilot, 10)
        pane = pane_of(app)
        pane.player.stop()  # as q then y do; its Finished, then the pane's Ended, are now on their way
        pane.on_routine_player_finished(RoutinePlayer.Finished(pane.player, pane.session))
        await app.action_quit()  # ctrl+q before the app has read the Ended
    [row] = warmup_rows(locations)
    assert row["completed"] == 0 and row["ended_at"] is not None and row["done_s"] == 10


async def test_abandon_in_the_instant_the_routine_finished_still_returns_its_end_once(locations, clock):
    began = clock.now()
    app = make_app(locations, clock, app_class=Listening)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        clock.advance(164)
        player_of(app).tick()  # the player saw the end; the pane has not read its message yet
        ended = pane_of(app).abandon()
        assert ended.summary["completed"] == 1 and ended.ended_at == began + timedelta(seconds=164)
        await pilot.pause()
        assert not app.heard(WarmupPane.Ended)


async def test_after_the_pre_run_warm_up_the_runner_is_out_running_until_back(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await let_time_pass(app, pilot, 164)
        assert view_of(app) == "warmup-done"
        said = " ".join(str(app.main_screen.query_one("#warmup-summary", Static).content).split())
        assert said.startswith("Warm-up done: 2:32 of moving, 10 of 10 moves done in full.")
        for words in ("out running", "counts as sitting until you are back", "posture key on Today",
                      "enter", "typing again", "glutetui sit", "run form then opens"):
            assert words in said, words


# ---- the routine player on its own -------------------------------------------------------

class PlayerHost(App):
    """Just what the player asks of its app: a clock, the bell setting and the bell."""

    def __init__(self, clock, bell: bool = True) -> None:
        super().__init__()
        self.clock = clock
        self.settings = Settings(bell=bell)
        self.rings = 0
        self.heard: list[tuple] = []

    def compose(self):
        yield RoutinePlayer(after_last="next: back to the chair")

    def bell(self) -> None:
        self.rings += 1

    def on_routine_player_step_changed(self, message: RoutinePlayer.StepChanged) -> None:
        self.heard.append(("step", message.index, message.step.label))

    def on_routine_player_finished(self, message: RoutinePlayer.Finished) -> None:
        self.heard.append(("finished", message.completed))


# Brackets as a routine file may hold them: shown as typed, never read as markup.
STEPS = [TimedStep("Squat [deep]", "Feet [b]wide[/b]", 5, reps=5), TimedStep("Walk", "Easy does it.", 3)]


def part(player: RoutinePlayer, name: str) -> str:
    return str(player.query_one(f".routine-{name}", Static).content)


async def test_the_player_shows_and_drives_a_session_and_says_what_happened(clock):
    app = PlayerHost(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        player = app.query_one(RoutinePlayer)
        countdown = player.query_one(Countdown)
        player.play(WarmupSession("test", STEPS, clock.monotonic()), "Test")
        await pilot.pause()
        assert app.heard == [("step", 0, "Squat [deep]")] and app.rings == 1
        assert [part(player, name) for name in ("title", "step", "cue", "next", "left")] == [
            "Test · step 1 of 2", "Squat [deep]  (5 reps)", "Feet [b]wide[/b]", "next: Walk", "0:08 left"]
        assert countdown.value == "0:05"

        clock.advance(2.5)  # its own timer notices, not the test
        await wait_until(pilot, lambda: countdown.value == "0:03", "the player's own tick")
        assert app.rings == 2  # the countdown's beep at 3 s left

        player.toggle_pause()
        clock.advance(60)
        player.tick()
        assert countdown.value == "0:03" and part(player, "title") == "Test · step 1 of 2 · paused"
        assert countdown.has_class("-paused")
        player.toggle_pause()
        player.adjust(10)
        assert countdown.value == "0:13" and not countdown.has_class("-paused")
        player.skip()
        await pilot.pause()
        assert app.heard[-1] == ("step", 1, "Walk") and part(player, "next") == "next: back to the chair"
        player.back()  # at once: back to the squat
        player.skip()
        player.skip()
        await pilot.pause()
        assert app.heard[-3:] == [("step", 0, "Squat [deep]"), ("step", 1, "Walk"), ("finished", True)]
        assert not player.running


async def test_a_stopped_player_finishes_uncompleted_and_the_bell_setting_silences_it(clock):
    app = PlayerHost(clock, bell=False)
    async with app.run_test(size=(80, 24)) as pilot:
        player = app.query_one(RoutinePlayer)
        player.play(WarmupSession("test", STEPS, clock.monotonic()), "Test")
        clock.advance(4)
        player.tick()
        player.stop()
        player.stop()  # said once
        await pilot.pause()
        assert app.heard == [("step", 0, "Squat [deep]"), ("finished", False)] and app.rings == 0
