"""Keys everywhere: `?` shows them, the palette does what they do, the footer shows them whole."""

from __future__ import annotations

from datetime import date

from app_factory import make_app
from helpers import run_from_palette, settle, stored_states, wait_until
from textual.widgets import HelpPanel, Input

from glutetui.ui.screens.main import TABS
from glutetui.ui.screens.pause import PauseScreen
from glutetui.ui.screens.run_form import RunFormScreen
from glutetui.ui.widgets.footer import KeyFooter

THIS_WEEK = date(2026, 11, 16)  # the Monday of the conftest clock's Wednesday


def keys_shown(app) -> bool:
    return bool(app.screen.query(HelpPanel))


def active_tab(app) -> str:
    return app.main_screen.active_tab


async def test_the_keys_on_top_of_a_dialog_and_escape_closes_them_first(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        assert isinstance(app.screen, PauseScreen)
        await pilot.press("?")
        assert keys_shown(app)
        await pilot.press("escape")
        assert not keys_shown(app) and isinstance(app.screen, PauseScreen)
        await pilot.press("escape")  # the dialog's own escape again
        assert app.screen is app.main_screen


async def test_log_a_run_from_the_palette_opens_the_form_where_a_question_mark_is_text(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_from_palette(pilot, "Log a run")
        await wait_until(pilot, lambda: isinstance(app.screen, RunFormScreen), "the run form")
        assert active_tab(app) == "runs"
        notes = app.screen.query_one("#notes-input", Input)
        notes.focus()
        await pilot.press("h", "i", "l", "l", "s", "?")
        assert notes.value == "hills?"
        assert not keys_shown(app)


async def test_the_posture_and_pause_commands_do_what_the_keys_do(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")  # away from Today, where the keys themselves work
        for title in ("Stand", "Break", "Away", "Sit"):
            await run_from_palette(pilot, title)
            await settle(pilot)
            assert active_tab(app) == "today"
            await pilot.press("3")
        await run_from_palette(pilot, "Pause reminders")
        await wait_until(pilot, lambda: isinstance(app.screen, PauseScreen), "the pause question")
    assert stored_states(locations.db) == ["sitting", "standing", "break", "away", "sitting"]


async def test_the_week_commands_move_progress_as_the_keys_do(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_from_palette(pilot, "Week back")
        await settle(pilot)
        assert active_tab(app) == "progress"
        pane = app.main_screen.query_one("#progress-pane")
        await wait_until(pilot, lambda: pane.start == date(2026, 11, 9), "the week before")
        await pilot.press("1")
        await run_from_palette(pilot, "Week back")
        await wait_until(pilot, lambda: pane.start == date(2026, 11, 2), "two weeks back")
        await run_from_palette(pilot, "Week on")
        await wait_until(pilot, lambda: pane.start == date(2026, 11, 9), "a week on")
        await run_from_palette(pilot, "This week")
        await wait_until(pilot, lambda: pane.start is None, "this week")
        await pilot.press("left_square_bracket")  # the key, for comparison
        await wait_until(pilot, lambda: pane.start == date(2026, 11, 9), "the key's week back")


def footer_line(app) -> str:
    # What the terminal shows: the screen's composited bottom row.
    return app.screen._compositor.render_strips()[-1].text


async def footer_settled(pilot) -> KeyFooter:
    await settle(pilot)
    for _ in range(5):
        await pilot.pause()
    return pilot.app.main_screen.query_one(KeyFooter)


def assert_every_key_whole(app, footer: KeyFooter) -> None:
    line = footer_line(app)
    *shown, palette = footer.shown()
    for item in [*shown, palette]:
        assert item.text() in line, (item.description, line)
    assert line.rstrip().endswith(f"▏{palette.text().rstrip()}"), line  # at the right end, apart
    assert line.index("▏") >= len("".join(item.text() for item in shown)), line
    assert "? Keys" in line, line


async def test_question_mark_and_the_footer_on_every_tab(locations, clock):
    """On every tab `?` shows the keys and escape hides them, and the footer shows each key
    it has room for whole at 80x24, where it is tightest (wider, every key fits)."""
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for number, tab_id in enumerate(TABS, start=1):
            await pilot.press(str(number))
            assert_every_key_whole(app, await footer_settled(pilot))
            await pilot.press("?")
            assert keys_shown(app), tab_id
            await pilot.press("escape")
            assert not keys_shown(app) and active_tab(app) == tab_id
        await pilot.press("?", "?")  # a toggle
        assert not keys_shown(app)
        await pilot.press("2", "w")  # a warm-up: the most keys
        footer = await footer_settled(pilot)
        assert "space Pause" in footer_line(app)
        assert_every_key_whole(app, footer)
        await pilot.press("q", "y")
        assert_every_key_whole(app, await footer_settled(pilot))
        assert "^t Theme" not in footer_line(app)  # left out where there is no room
        await pilot.resize_terminal(200, 60)
        footer = await footer_settled(pilot)
        assert "^t Theme" in footer_line(app)  # and back once there is
        assert_every_key_whole(app, footer)


async def test_a_click_on_a_key_in_the_footer_presses_it(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        footer = await footer_settled(pilot)
        line = footer_line(app)
        assert footer.key_at(line.index("b Break")).key == "b"
        assert footer.key_at(line.index("Break")).key == "b"  # the words press the key too
        assert footer.key_at(line.index("12345") + 2).key == "3"  # in a group, each key its own
        assert footer.key_at(line.index("▏") - 1) is None  # the gap before the palette's key
        await pilot.click(KeyFooter, offset=(line.index("b Break"), 0))
        await wait_until(pilot, lambda: stored_states(locations.db)[-1:] == ["break"], "a break from the click")
        await pilot.hover(KeyFooter, offset=(line.index("s Stand"), 0))
        assert footer.tooltip == "Stand"
        await pilot.click(KeyFooter, offset=(line.index("12345") + 2, 0))
        await wait_until(pilot, lambda: active_tab(app) == "runs", "the Runs tab from a click on its number")
