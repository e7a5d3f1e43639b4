"""The morning after a run with aches, through Textual's Pilot on a real SQLite file."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app_factory import make_app
from helpers import poll
from textual.widgets import Input, Static

from glutetui.clock import FakeClock
from glutetui.services.runs import list_runs, log_run
from glutetui.store.db import open_store
from glutetui.ui.screens.morning_check import MorningCheckScreen

ZONE = "Europe/Berlin"
EVENING = datetime(2026, 11, 17, 17, 30, tzinfo=timezone.utc)  # Tuesday 18:30 in Berlin
MORNING = datetime(2026, 11, 18, 5, 30, tzinfo=timezone.utc)   # Wednesday 06:30


def log_yesterdays_run(locations, clock) -> None:
    db = open_store(locations.db)
    log_run(db, EVENING, clock.local_zone(), distance="12k", duration="1:05:00",
            aches=["knee:left:4", "lower_back:centre:3"])
    db.close()


async def test_the_morning_after_asks_once_and_stores_next_morning_aches(locations):
    clock = FakeClock(MORNING, zone=ZONE)
    log_yesterdays_run(locations, clock)
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await poll(pilot)
        await pilot.pause()
        assert isinstance(app.screen, MorningCheckScreen)
        inputs = list(app.screen.query(Input))
        assert len(inputs) == 2
        inputs[0].value = "11"
        await pilot.press("enter")
        assert "'11' is not a whole number from 0 to 10" in str(app.screen.query_one("#morning-problem", Static).content)
        inputs[0].value, inputs[1].value = "6", "1"
        await pilot.press("enter")
        assert not isinstance(app.screen, MorningCheckScreen)
        clock.advance(120)
        await poll(pilot)
        await pilot.pause()
        assert not isinstance(app.screen, MorningCheckScreen)  # asked once
    [shown] = list_runs(app.db)
    assert {(a.body_part, a.score) for a in shown.run.aches if a.phase == "next_morning"} == {("knee", 6),
                                                                                            ("lower_back", 1)}
    assert "worse_next_morning" in {flag.kind for flag in shown.flags}


async def test_not_before_six_and_escape_means_not_again(locations):
    clock = FakeClock(MORNING - timedelta(minutes=31), zone=ZONE)  # 05:59
    log_yesterdays_run(locations, clock)
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await poll(pilot)
        await pilot.pause()
        assert not isinstance(app.screen, MorningCheckScreen)
        clock.advance(60)
        await poll(pilot)
        await pilot.pause()
        assert isinstance(app.screen, MorningCheckScreen)
        await pilot.press("escape")
        clock.advance(120)
        await poll(pilot)
        await pilot.pause()
        assert not isinstance(app.screen, MorningCheckScreen)
    assert app.db.execute("SELECT count(*) FROM aches WHERE phase = 'next_morning'").fetchone()[0] == 0
