"""The Settings tab and the keyboard: a saved field, a picked theme or escape give 1-5 back
to the tabs; a wrong value is red, in the field and under it."""

from __future__ import annotations

from app_factory import make_app
from helpers import settle, wait_until
from textual.color import Color
from textual.widgets import Input, Select, Static

from glutetui.config import load_settings


async def open_settings(pilot):
    app = pilot.app
    await pilot.press("5")
    await wait_until(pilot, lambda: any(pane.is_mounted for pane in app.screen.query("#settings-pane")),
                     "the Settings pane")
    await pilot.pause()
    return app.screen.query_one("#settings-pane")


def active_tab(app) -> str:
    return app.main_screen.active_tab


async def test_a_saved_field_gives_the_tab_keys_back(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        pane = await open_settings(pilot)
        field = pane.query_one("#quiet-input", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"12:00-13:00", "enter")
        await settle(pilot)
        assert app.focused is pane
        await pilot.press("1")
        assert active_tab(app) == "today"
        assert field.value == "12:00-13:00"
    assert load_settings(locations.config).quiet_hours == "12:00-13:00"


async def test_escape_leaves_a_field_unsaved_and_the_tab_keys_work(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        pane = await open_settings(pilot)
        field = pane.query_one("#remind-input", Input)
        field.focus()
        await pilot.press("end", "5", "escape")
        assert app.focused is pane
        assert field.value == "305"
        await pilot.press("2")
        assert active_tab(app) == "warmup"
        assert field.value == "305"
    assert load_settings(locations.config).remind_after == 30  # escape does not save


async def test_a_theme_picked_with_the_keyboard_gives_the_tab_keys_back(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        pane = await open_settings(pilot)
        select = pane.query_one("#theme-select", Select)
        select.focus()
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        picked = select.value
        assert app.theme == picked != "textual-dark"
        assert app.focused is pane
        await pilot.press("3")
        assert active_tab(app) == "runs"
        assert app.theme == picked  # the 3 did not search the list
    assert load_settings(locations.config).theme == picked


async def test_a_wrong_value_is_red_in_the_field_and_under_it(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        pane = await open_settings(pilot)
        field = pane.query_one("#goal-input", Input)
        note = pane.query_one("#goal-problem", Static)
        error, muted = Color.parse(app.theme_variables["error"]), note.styles.color
        field.focus()  # which selects the text: the x replaces it
        await pilot.press("x")
        await pilot.pause()
        assert field.has_class("-invalid")
        assert "is not a number of hours" in str(note.content)
        assert note.styles.color == error != muted
        await pilot.press("backspace", "5")
        await pilot.pause()
        assert not field.has_class("-invalid")
        assert str(note.content).startswith("Looks right.")
        assert note.styles.color == muted
