"""ChoiceCycle, the one-widget choice the run form uses for the warm-up link, sides and phases."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input

from glutetui.ui.widgets.choice_cycle import ChoiceCycle

PHASES = [("during the run", "during"), ("after the run", "after"), ("next morning", "next_morning")]


class ChoiceApp(App[None]):
    def __init__(self, options=PHASES, value: str = "after") -> None:
        super().__init__()
        self.options, self.start = options, value
        self.changes: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input(id="before")
        yield ChoiceCycle(self.options, self.start, id="phase")

    def on_choice_cycle_changed(self, event: ChoiceCycle.Changed) -> None:
        self.changes.append(event.value)


def shown(app: ChoiceApp) -> str:
    return "".join(segment.text for segment in app.screen.query_one(ChoiceCycle).render_line(0)).strip()


async def test_keys_step_through_the_choices_and_wrap_round():
    app = ChoiceApp()
    async with app.run_test(size=(40, 4)) as pilot:
        await pilot.press("tab")
        assert app.focused is app.query_one(ChoiceCycle)
        assert shown(app) == "◂ after the run ▸"
        for key in ("right", "right", "space", "left"):
            await pilot.press(key)
        await pilot.pause()
        assert app.changes == ["next_morning", "during", "after", "during"]
        assert app.query_one(ChoiceCycle).value == "during" and shown(app) == "◂ during the run ▸"


async def test_a_click_on_the_left_arrow_goes_back_and_elsewhere_goes_on():
    app = ChoiceApp()
    async with app.run_test(size=(40, 4)) as pilot:
        await pilot.click("#phase", offset=(0, 0))
        assert app.query_one(ChoiceCycle).value == "during"
        await pilot.click("#phase", offset=(6, 0))
        await pilot.click("#phase", offset=(6, 0))
        await pilot.pause()
        assert app.changes == ["during", "after", "next_morning"]
        assert app.focused is app.query_one(ChoiceCycle)


async def test_a_value_set_from_code_is_announced_once_and_an_unknown_one_refused():
    app = ChoiceApp()
    async with app.run_test(size=(40, 4)) as pilot:
        choice = app.query_one(ChoiceCycle)
        choice.value = "after"  # no change, no message
        choice.value = "next_morning"
        await pilot.pause()
        assert app.changes == ["next_morning"] and choice.choices == ("during", "after", "next_morning")
        with pytest.raises(ValueError, match="'later' is not one of"):
            choice.value = "later"
        assert choice.value == "next_morning"


async def test_labels_are_shown_as_text_not_markup():
    app = ChoiceApp(options=[("[b]left[/b]", "left"), ("[/]", "right")], value="left")
    async with app.run_test(size=(40, 4)) as pilot:
        assert shown(app) == "◂ [b]left[/b] ▸"
        app.query_one(ChoiceCycle).value = "right"
        await pilot.pause()
        assert shown(app) == "◂ [/] ▸"
