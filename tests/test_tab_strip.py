"""The tab strip: names, the shown tab's underline, clicks and arrow keys."""

from __future__ import annotations

from app_factory import make_app
from helpers import day_begun, wait_until
from textual.app import App, ComposeResult

from glutetui.ui.screens.main import TABS
from glutetui.ui.widgets.tab_strip import BAR, TabStrip


class StripApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        yield TabStrip(TABS, "runs")

    def on_tab_strip_chosen(self, message: TabStrip.Chosen) -> None:
        self.chosen.append(message.tab_id)


def drawn(strip: TabStrip, y: int) -> str:
    return "".join(segment.text for segment in strip.render_line(y))


def middle_of(strip: TabStrip, tab_id: str) -> int:
    start, end = next((start, end) for found, start, end in strip.spans() if found == tab_id)
    return (start + end) // 2


async def test_names_in_order_with_the_shown_one_underlined():
    app = StripApp()
    async with app.run_test(size=(60, 4)) as pilot:
        await pilot.pause()
        strip = app.query_one(TabStrip)
        assert drawn(strip, 0).rstrip() == " Today  Warm-up  Runs  Progress  Settings"
        assert drawn(strip, 1) == BAR * 60
        line = list(strip.render_line(1))
        runs = [segment for segment in line if segment.style.color != line[0].style.color]
        start, end = next((start, end) for tab_id, start, end in strip.spans() if tab_id == "runs")
        assert [segment.text for segment in runs] == [BAR * (end - start)]  # the lit part is under " Runs " only


async def test_a_click_on_a_name_chooses_it_and_a_click_beside_the_names_nothing():
    app = StripApp()
    async with app.run_test(size=(60, 4)) as pilot:
        strip = app.query_one(TabStrip)
        await pilot.click(TabStrip, offset=(middle_of(strip, "progress"), 0))
        await pilot.click(TabStrip, offset=(middle_of(strip, "today"), 1))  # the underline counts too
        await pilot.click(TabStrip, offset=(58, 0))
        await pilot.pause()
        assert app.chosen == ["progress", "today"]


async def test_arrows_step_through_the_tabs_and_wrap():
    app = StripApp()
    async with app.run_test(size=(60, 4)) as pilot:
        app.query_one(TabStrip).focus()
        await pilot.press("right", "left", "left")
        await pilot.pause()
        assert app.chosen == ["progress", "warmup", "warmup"]  # the app did not move `active`: still runs
        app.query_one(TabStrip).active = "today"
        await pilot.press("left")
        await pilot.pause()
        assert app.chosen[-1] == "settings"


async def test_clicking_a_name_in_the_app_shows_its_tab_and_marks_it(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await day_begun(pilot)
        strip = app.main_screen.query_one(TabStrip)
        await pilot.click(TabStrip, offset=(middle_of(strip, "settings"), 0))
        await wait_until(pilot, lambda: app.main_screen.active_tab == "settings", "the Settings tab")
        assert strip.active == "settings"
        assert app.main_screen.query_one("#settings").display and not app.main_screen.query_one("#today").display
        await pilot.press("1")
        assert (app.main_screen.active_tab, strip.active) == ("today", "today")
