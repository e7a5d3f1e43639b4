"""The morning after a run with aches, through Textual's Pilot on a real SQLite file."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from datetime import datetime, timedelta, timezone

import pytest
from app_factory import make_app
from dateutil import tz
from helpers import poll
from servers import require
from terminal_app import TerminalApp
from textual import events
from textual.widgets import Input, Static

from glutetui.clock import FakeClock
from glutetui.services.runs import list_runs, log_run
from glutetui.store.db import open_store
from glutetui.ui.screens.confirm import ConfirmScreen
from glutetui.ui.screens.morning_check import MorningCheckScreen

ZONE = "Europe/Berlin"
EVENING = datetime(2026, 11, 17, 17, 30, tzinfo=timezone.utc)  # Tuesday 18:30 in Berlin
MORNING = datetime(2026, 11, 18, 5, 30, tzinfo=timezone.utc)   # Wednesday 06:30


def log_yesterdays_run(locations, clock) -> None:
    log_run_with_aches(locations.db, EVENING, clock.local_zone())


def log_run_with_aches(path, started_at, zone) -> None:
    db = open_store(path)
    log_run(db, started_at, zone, distance="12k", duration="1:05:00", aches=["knee:left:4", "lower_back:centre:3"])
    db.close()


def next_morning_scores(db) -> dict[str, int]:
    return dict(db.execute("SELECT body_part, score FROM aches WHERE phase = 'next_morning'").fetchall())


def asked_at(db) -> str | None:
    return db.execute("SELECT morning_asked_at FROM runs").fetchone()[0]


async def asked_now(pilot) -> bool:
    await poll(pilot)
    await pilot.pause()
    return isinstance(pilot.app.screen, MorningCheckScreen)


def type_in_one_write(app, *keys: tuple[str, str]) -> None:
    """Keys as one read from the terminal brings them (fast typing, a laggy ssh link):
    all queued before the app handles the first."""
    for key, character in keys:
        app._driver.send_message(events.Key(key, character))


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
    assert asked_at(app.db) is not None


@pytest.mark.parametrize("typing", ["one pilot.press", "one write"])
async def test_a_score_typed_with_its_enter_at_once_is_stored(locations, typing):
    """Once the enter ran before the field had the 3: nothing stored, never asked again."""
    clock = FakeClock(MORNING, zone=ZONE)
    log_yesterdays_run(locations, clock)
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await asked_now(pilot)
        if typing == "one write":
            type_in_one_write(app, ("3", "3"), ("enter", "\r"))
        else:
            await pilot.press("3", "enter")
        await poll(pilot)
        assert not isinstance(app.screen, MorningCheckScreen)
    assert next_morning_scores(app.db) == {"knee": 3}  # the blank lower back is not rated
    assert asked_at(app.db) is not None


async def test_a_bare_enter_asks_and_yes_asks_again_in_an_hour(locations):
    clock = FakeClock(MORNING, zone=ZONE)
    log_yesterdays_run(locations, clock)
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        assert await asked_now(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert "No score typed. Ask again in an hour?" in str(app.screen.query_one(Static).content)
        await pilot.press("y")
        assert not await asked_now(pilot)
        assert asked_at(app.db) is None
        clock.advance(59 * 60)
        assert not await asked_now(pilot)
        clock.advance(60)
        assert await asked_now(pilot)
        await pilot.press("2", "tab", "0", "enter")
        await poll(pilot)
    assert next_morning_scores(app.db) == {"knee": 2, "lower_back": 0}


async def test_a_bare_enter_then_no_means_not_again(locations):
    clock = FakeClock(MORNING, zone=ZONE)
    log_yesterdays_run(locations, clock)
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await asked_now(pilot)
        await pilot.press("enter", "n")
        assert not await asked_now(pilot)
        assert asked_at(app.db) == "2026-11-18T05:30:00+00:00"
        clock.advance(2 * 60 * 60)
        assert not await asked_now(pilot)
    assert next_morning_scores(app.db) == {}


async def test_quitting_with_the_question_open_asks_it_next_time(locations):
    clock = FakeClock(MORNING, zone=ZONE)
    log_yesterdays_run(locations, clock)
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await asked_now(pilot)
        await pilot.press("ctrl+q")
    assert asked_at(open_store(locations.db)) is None


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_in_a_real_terminal_3_and_enter_in_one_write_store_the_3(tmp_path, monkeypatch):
    require(shutil.which("faketime"), "the program faketime (apt package faketime)")
    monkeypatch.setenv("TZ", "UTC")
    db, config = tmp_path / "g.db", tmp_path / "c.toml"
    log_run_with_aches(db, datetime(2026, 11, 17, 18, 0, tzinfo=timezone.utc), tz.UTC)
    # The app's clock starts at 07:00 the next morning and runs on from there.
    with TerminalApp("--db", str(db), "--config", str(config), faketime="@2026-11-18 07:00:00") as app:
        app.wait_for(lambda: b"this morning?" in app.output)
        app.press(b"3\r")
        app.wait_for(lambda: b"Saved." in app.output)
        app.press(b"\x11")
        assert app.exit_status() == 0
    with sqlite3.connect(db) as conn:
        assert next_morning_scores(conn) == {"knee": 3}
        assert asked_at(conn) is not None
