"""The units setting on the Settings tab: chosen there, kept in the settings file."""

from __future__ import annotations

from app_factory import make_app
from textual.widgets import Select

from glutetui.config import load_settings


async def test_units_are_chosen_on_settings_and_saved(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("5")
        select = app.main_screen.query_one("#units-select", Select)
        assert select.value == "km"
        select.value = "mi"
        await pilot.pause()
        assert app.settings.units == "mi"
    assert load_settings(locations.config).units == "mi"
