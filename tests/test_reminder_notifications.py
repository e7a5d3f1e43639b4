"""A due reminder reaches the desktop: the real app, a real private session bus (dbus-daemon),
the real notify-send, and a notification server of the test's own on
org.freedesktop.Notifications standing in for the desktop's daemon (see notification_server).
Time comes from a fake clock; everything else is real.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import datetime, timezone

import pytest
from app_factory import make_app
from helpers import day_begun, tick
from notification_server import NotificationServer, private_session_bus, require

from glutetui.clock import FakeClock
from glutetui.services.notifier import APP_NAME, Notifier
from glutetui.ui.app import REMINDER_TITLE
from glutetui.ui.screens.reminder import ReminderScreen

ARRIVE = datetime(2026, 11, 18, 8, 0, tzinfo=timezone.utc)  # Wednesday 09:00 in Berlin


@pytest.fixture
def bus():
    require(shutil.which("notify-send"), "the program notify-send (apt package libnotify-bin)")
    with private_session_bus() as bus:
        yield bus


def notifier_on(bus) -> Notifier:
    return Notifier(environ={**os.environ, "DBUS_SESSION_BUS_ADDRESS": bus.address}, timeout=5)


async def sit_minutes(app, pilot, minutes: int) -> None:
    await day_begun(pilot)
    for _ in range(minutes * 2):
        app.clock.advance(30)
        await tick(pilot)
    await pilot.pause()
    await app.workers.wait_for_complete()  # the notification is sent in a thread


async def test_a_due_reminder_sends_exactly_one_desktop_notification(bus, locations):
    locations.config.write_text("remind_bell = false\n")
    app = make_app(locations, FakeClock(ARRIVE, zone="Europe/Berlin"), notifier=notifier_on(bus))
    with NotificationServer(bus.address) as server:
        async with app.run_test(size=(100, 32)) as pilot:
            await sit_minutes(app, pilot, 29)
            assert server.received == []
            await sit_minutes(app, pilot, 1)
            assert isinstance(app.screen, ReminderScreen)
            got = server.wait_for(1, timeout=10)
            time.sleep(0.5)  # room for a second one to arrive, if one were wrongly sent
            assert server.received == got == [
                (APP_NAME, REMINDER_TITLE, "You have been sitting for 30 min. Desk move: Glute squeezes.")]
            app.clock.advance(1)  # the keys answer a moment after the window opens
            await pilot.press("k")
    assert app.db.execute("SELECT outcome FROM reminders").fetchall() == [("skipped",)]


async def test_without_a_notification_daemon_the_app_says_so_once_and_reminds_in_the_app(bus, locations):
    locations.config.write_text("remind_bell = false\n")
    app = make_app(locations, FakeClock(ARRIVE, zone="Europe/Berlin"), notifier=notifier_on(bus))
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await sit_minutes(app, pilot, 30)
        assert isinstance(app.screen, ReminderScreen)
        await sit_minutes(app, pilot, 10)  # asked again, sent again, failed again
        await pilot.pause()
        warnings = [toast.message for toast in app._notifications if "No desktop notification" in toast.message]
        assert len(warnings) == 1
        assert "notification service" in warnings[0]
        assert isinstance(app.screen, ReminderScreen)
