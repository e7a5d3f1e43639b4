"""The first opening of the run form costs what later ones cost (issue 19).

Seconds are measured in benchmarks/first_open.py and first_open_work.py; here the work
behind them is counted in widgets made, which does not move with the machine's load."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest
from app_factory import make_app
from textual.widget import Widget

from glutetui.clock import FakeClock
from glutetui.ui.screens.main import KEYS_RESTED_S, DeferredPane
from glutetui.ui.screens.run_form import RunFormScreen
from glutetui.ui.widgets.footer import KeyFooter

NOW = datetime(2026, 11, 18, 15, 30, tzinfo=timezone.utc)


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The class name of every widget composed from now on."""
    names: list[str] = []
    compose = Widget._compose

    async def counted(self):
        names.append(type(self).__name__)
        return await compose(self)

    monkeypatch.setattr(Widget, "_compose", counted)
    return names


async def open_and_close_form(pilot) -> None:
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RunFormScreen)
    await pilot.press("escape")
    await pilot.pause()


async def test_the_first_run_form_makes_only_itself_and_no_more_than_later_ones(locations, made):
    # Nothing made ahead meanwhile (that waits for resting keys, which a slow machine gives).
    app = make_app(locations, FakeClock(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        made.clear()
        await open_and_close_form(pilot)
        first = sorted(made)
        made.clear()
        await open_and_close_form(pilot)
        assert first == sorted(made)
        assert "FooterKey" not in first
        # One widget for each choice: the six Selects were 42 widgets of 79, most of the work.
        assert first.count("ChoiceCycle") == 6 and "Select" not in first
        assert len(first) <= 55


async def test_a_burst_of_key_changes_rebuilds_the_key_bar_once(locations):
    app = make_app(locations, FakeClock(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        repaints = []
        footer.refresh = lambda *args, **kwargs: repaints.append(1) or KeyFooter.refresh(footer, *args, **kwargs)
        footer._items = ()  # as when the keys did change
        for _ in range(3):  # a tab switch, then focus moving into the tab, ...
            footer.call_later(footer.bindings_changed, app.screen)  # as the screen's signal does
        await pilot.pause()
        assert repaints == [1]
        footer.call_later(footer.bindings_changed, app.screen)  # the same keys again: nothing to repaint
        await pilot.pause()
        assert repaints == [1]


async def test_the_tabs_not_yet_made_wait_until_the_keys_rest(locations):
    """Made while the runner is at the keys, a tab's making holds back what they asked for."""
    app = make_app(locations, FakeClock(NOW))  # nothing made ahead unless asked, as below
    async with app.run_test(size=(80, 24)) as pilot:
        deferred = lambda: len(app.screen.query(DeferredPane))  # noqa: E731
        waiting = deferred()
        assert waiting >= 3
        await pilot.press("1")
        assert app.seconds_since_input() < 5
        # Held at "a key just now" (the real rest is 0.5 s, too short for a slow machine's test).
        app.seconds_since_input = lambda: 0.0
        app.main_screen.build_ahead()
        await asyncio.sleep(3 * KEYS_RESTED_S)
        await pilot.pause()
        assert deferred() == waiting
        app.seconds_since_input = lambda: 10.0  # the keys rest: each tab made in turn
        for _ in range(100):
            await asyncio.sleep(0.1)
            if not deferred():
                break
        assert deferred() == 0


async def test_keys_typed_in_one_go_land_in_the_fields_they_were_typed_for(locations):
    """A burst, as a fast typist or an ssh link sends it: the keys after a tab belong to
    the next field, even when they arrive before the field has passed the tab on."""
    from textual import events
    from textual.widgets import Input

    app = make_app(locations, FakeClock(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await open_and_close_form(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        for key, character in (("7", "7"), ("k", "k"), ("tab", None), ("3", "3"), ("0", "0"),
                               ("tab", None), ("6", "6")):
            app.post_message(events.Key(key, character))  # all queued before any is handled
        await pilot.pause()
        values = [form.query_one(f"#{field}-input", Input).value for field in ("distance", "time", "rpe")]
        assert values == ["7k", "30", "6"]
