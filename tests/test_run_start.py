"""Where a logged run starts, through Pilot on a real file and a frozen clock (issue 19): a run
after a warm-up set off when the warm-up ended, not when the runner came back to log it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from app_factory import make_app
from helpers import settle, tick, wait_until
from textual.widgets import Input

from glutetui.clock import FakeClock
from glutetui.domain.run_input import when_text
from glutetui.domain.timefmt import to_utc_text
from glutetui.ui.screens.run_form import RunFormScreen
from glutetui.ui.widgets.choice_cycle import ChoiceCycle

ZONE = "Europe/Berlin"
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=timezone.utc)  # Wednesday 15:30 in Berlin
# Seconds past the minute: the form shows 14:49 (Berlin), the run must start at 14:49:43.
SET_OFF = NOW - timedelta(minutes=40, seconds=17)


@pytest.fixture
def app(locations):
    locations.config.write_text("remind_desktop = false\nremind_in_app = false\nremind_bell = false\n")
    return make_app(locations, FakeClock(NOW, zone=ZONE))


def add_warmup(app, warmup_id: str, ended: datetime, completed: bool = True) -> None:
    app.db["warmups"].insert({"id": warmup_id, "routine": "pre-run", "started_at": to_utc_text(ended - timedelta(minutes=3)),
                              "ended_at": to_utc_text(ended), "planned_s": 164, "done_s": 164 if completed else 60,
                              "steps_done": 9 if completed else 2, "steps_total": 9, "completed": int(completed),
                              "created_at": to_utc_text(ended)})


def stored_run(app) -> tuple:
    return app.db.execute("SELECT started_at, warmup_id, distance_m, duration_s FROM runs").fetchone()


def shown(moment: datetime) -> str:
    return when_text(moment, FakeClock(NOW, zone=ZONE).local_zone())


async def open_form(pilot) -> RunFormScreen:
    await pilot.press("3")
    await pilot.pause()
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RunFormScreen), "the run form")
    await pilot.pause()
    return pilot.app.screen


async def pick(pilot, form: RunFormScreen, link: str) -> None:
    form.query_one("#warmup-link", ChoiceCycle).value = link
    await pilot.pause()


def when(form: RunFormScreen) -> str:
    return form.query_one("#when-input", Input).value


async def save(pilot, form: RunFormScreen, **values: str) -> None:
    for field, text in values.items():
        form.query_one(f"#{field}-input", Input).value = text
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert not isinstance(pilot.app.screen, RunFormScreen), form.problem("when") or form.problem("distance")


async def test_a_run_logged_after_a_warm_up_starts_when_the_warm_up_ended(app):
    add_warmup(app, "warm-up", SET_OFF)
    async with app.run_test(size=(80, 30)) as pilot:
        form = await open_form(pilot)
        assert form.query_one("#warmup-link", ChoiceCycle).value == "auto"
        assert when(form) == shown(SET_OFF) == "2026-11-18 14:49"
        await save(pilot, form, distance="10", time="25")
    assert stored_run(app) == (to_utc_text(SET_OFF), "warm-up", 10_000.0, 1500)


async def test_the_start_follows_the_warm_up_picked_until_the_runner_types_one(app):
    add_warmup(app, "done", SET_OFF - timedelta(minutes=50))
    add_warmup(app, "stopped", SET_OFF, completed=False)  # never linked by itself
    async with app.run_test(size=(80, 30)) as pilot:
        form = await open_form(pilot)
        assert when(form) == shown(SET_OFF - timedelta(minutes=50))  # "automatic" links the one done in full
        await pick(pilot, form, "stopped")
        assert when(form) == shown(SET_OFF)
        await pick(pilot, form, "none")
        assert when(form) == "now"
        form.query_one("#when-input", Input).value = "today 15:20"
        await pick(pilot, form, "stopped")
        assert when(form) == "today 15:20"  # typed: kept
        await save(pilot, form, distance="5 km", time="24:00")
    assert stored_run(app) == ("2026-11-18T14:20:00+00:00", "stopped", 5000.0, 1440)


async def test_without_a_warm_up_before_it_a_new_run_starts_now(app):
    add_warmup(app, "yesterday", NOW - timedelta(days=1))
    async with app.run_test(size=(80, 30)) as pilot:
        form = await open_form(pilot)
        assert when(form) == "now"
        await save(pilot, form, distance="6.2 mi", time="1:02:15")
    assert stored_run(app) == (to_utc_text(NOW), None, pytest.approx(6.2 * 1609.344), 3735)


async def test_the_run_come_back_from_starts_when_the_warm_up_ended(app):
    """The whole way: warm-up, 30 minutes out, back at the desk, the form the session opens."""
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        player = app.main_screen.query_one("#warmup-running")
        for _ in range(170):  # the 164 s pre-run routine, a second at a time
            app.clock.advance(1)
            player.tick()
            await tick(pilot)
        await settle(pilot)
        [(warmup_end,)] = app.db.execute("SELECT ended_at FROM warmups WHERE completed = 1").fetchall()
        for _ in range(30):  # out running, the app ticking on
            app.clock.advance(60)
            await tick(pilot)
        await pilot.press("1")
        await pilot.press("enter")  # back in the chair
        await settle(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, RunFormScreen), "the run form after the run")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#time-input", Input).value.startswith("3")  # about 30 minutes out
        await save(pilot, form, distance="5")
    started_at, warmup_id, distance_m, _ = stored_run(app)
    assert started_at == warmup_end and warmup_id is not None and distance_m == 5000.0


async def test_a_run_that_started_as_its_warm_up_ended_can_be_changed_as_shown(app):
    add_warmup(app, "warm-up", SET_OFF)
    async with app.run_test(size=(80, 30)) as pilot:
        form = await open_form(pilot)
        await save(pilot, form, distance="10", time="25")
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, RunFormScreen), "the form to change the run")
        await pilot.pause()
        form = app.screen
        assert when(form) == shown(SET_OFF) and form.query_one("#warmup-link", ChoiceCycle).value == "warm-up"
        await save(pilot, form, time="26")  # the start left as shown: 14:49, before the warm-up's end at 14:49:43
    assert stored_run(app) == (to_utc_text(SET_OFF), "warm-up", 10_000.0, 1560)
