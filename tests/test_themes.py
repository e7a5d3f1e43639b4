"""Every theme the app offers draws the day bar and the run log: the ANSI themes name
colours Rich cannot read ("ansi_red"), and one such colour in a Text span stops the app."""

from __future__ import annotations

from datetime import datetime

import pytest
from app_factory import make_app
from dateutil import tz
from helpers import settle, wait_until
from rich.style import Style
from textual.app import App

from glutetui.clock import FakeClock
from glutetui.services.demo import fill_demo
from glutetui.store.db import open_store
from glutetui.ui.widgets.day_timeline import state_colours
from glutetui.ui.widgets.runs_pane import run_colours

ZONE = tz.gettz("Europe/Berlin")
NOW = datetime(2026, 11, 18, 15, 30, tzinfo=ZONE)


def offered_themes() -> list[str]:
    return sorted(App().available_themes)  # the app offers every theme Textual has


@pytest.mark.parametrize("theme", offered_themes())
def test_each_theme_gives_colours_rich_can_draw(theme):
    variables = App().get_theme(theme).to_color_system().generate()
    for colour in [*state_colours(variables).values(), *run_colours(variables, theme).values()]:
        Style.parse(colour)  # raises for a colour Rich cannot draw


async def test_the_app_draws_today_and_runs_in_an_ansi_theme(locations):
    db = open_store(locations.db)
    fill_demo(db, until=NOW, zone=ZONE, weeks=1, seed=1)  # runs with aches in every zone, a day of states
    db.close()
    locations.config.write_text('theme = "ansi-light"\n')
    app = make_app(locations, FakeClock(NOW, zone="Europe/Berlin"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert app.theme == "ansi-light"
        await pilot.press("3")
        await wait_until(pilot, lambda: app.main_screen.query("#runs-pane DataTable"), "the Runs tab")
        await settle(pilot)
        assert app.is_running and app.return_code is None
