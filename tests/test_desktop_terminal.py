"""The issue's end-to-end check, in a real terminal: the real `glutetui` in a pty on a fake
clock (libfaketime) that the test moves ahead, a private session bus with a notification
server that offers buttons, and a second private bus standing in for the system bus with a
logind of the test's own. The app never sees the machine's own buses.

The clock jumps rather than runs fast: a clock sped up 60 times cuts the app's time limits
on the bus 60 times too, and a loaded machine then misses them. The app looks at its idle
probe every 5 s of real time, so the lock and the unlock each wait up to that.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta

import pytest
from helpers import stored_states
from login_server import FakeLogind
from notification_server import NotificationServer, private_session_bus, require
from terminal_app import TerminalApp

from glutetui.ui.screens.reminder import ANSWER_GRACE_SECONDS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

BUTTONS = ["take", "Take", "snooze", "Snooze 5 min", "skip", "Skip"]
# gap_after: a clock moved ahead by the test is time the app saw pass, not a suspend.
CONFIG = 'working_hours = "always"\nremind_bell = false\ngap_after = 60\n'


def outcomes(db) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return [row[0] for row in conn.execute("SELECT outcome FROM reminders ORDER BY shown_at")]


def open_row(db) -> tuple[str, datetime, datetime] | None:
    """The open interval: state, start and last heartbeat, as the app stored them."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT state, started_at, last_seen_at FROM posture WHERE ended_at IS NULL").fetchone()
    return (row[0], datetime.fromisoformat(row[1]), datetime.fromisoformat(row[2])) if row else None


def wait(condition, what: str, app: TerminalApp, timeout: float = 30.0) -> None:
    try:
        app.wait_for(condition, timeout=timeout)
    except AssertionError:
        raise AssertionError(f"{what} did not happen; the screen ended with {app.tail()!r}") from None


def test_answered_from_the_notification_and_a_locked_session_is_away(tmp_path, monkeypatch):
    require(shutil.which("faketime"), "the program faketime (apt package faketime)")
    db, config = tmp_path / "g.db", tmp_path / "c.toml"
    config.write_text(CONFIG)
    clock = tmp_path / "clock"
    clock.write_text("+0\n")
    with private_session_bus() as session, private_session_bus() as system, \
            NotificationServer(session.address, actions=True) as server, FakeLogind(system.address) as login:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session.address)
        monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", system.address)
        for variable in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_ID"):
            monkeypatch.delenv(variable, raising=False)  # no X server's idle time: logind's is the one
        # Sat down 30 minutes ago, by the command: the 30-minute reminder is due as the app opens.
        subprocess.run(["faketime", "-f", "-30m", sys.executable, "-m", "glutetui", "sit", "--db", str(db),
                        "--config", str(config)], check=True, capture_output=True, timeout=60)

        with TerminalApp("--db", str(db), "--config", str(config), clock_file=str(clock)) as app:
            assert server.wait_until(lambda: server.shown, timeout=30), app.tail()
            first = server.shown[0]
            assert (first.summary, first.actions) == ("Time to stand up", BUTTONS)
            wait(b"snooze 5 min", "the reminder window", app)

            server.press(first.id, "snooze")
            wait(lambda: outcomes(db) == ["snoozed"], "the snooze being stored", app)

            shown_so_far = len(app.output)
            clock.write_text("+5m\n")
            assert server.wait_until(lambda: len(server.shown) == 2, timeout=30), "the snoozed reminder is back"
            assert server.shown[1].replaces_id == first.id
            wait(lambda: b"skip this one" in app.output[shown_so_far:], "the window again", app)
            time.sleep(ANSWER_GRACE_SECONDS + 0.2)  # a key answers only once the window has been up a second
            app.press(b"k")
            wait(lambda: outcomes(db) == ["snoozed", "skipped"], "the skip being stored", app)
            assert server.wait_until(lambda: server.closed_by_client == [first.id]), "skipped here: closed there"

            login.locked = True
            wait(lambda: (open_row(db) or ("",))[0] == "away", "the lock counting as away", app)
            _, away_from, _ = open_row(db)
            clock.write_text("+15m\n")
            wait(lambda: open_row(db)[2] - away_from >= timedelta(minutes=10), "ten minutes locked", app)
            login.locked = False
            wait(b"were you up?", "the question on return", app)
            app.press(b"y")
            wait(lambda: stored_states(db)[-1] == "sitting", "back to sitting", app)
            app.press(b"\x11")
            assert app.exit_status() == 0
    assert b"Traceback" not in app.output

    with sqlite3.connect(db) as conn:
        started, ended, source = conn.execute(
            "SELECT started_at, ended_at, source FROM posture WHERE state = 'away'").fetchone()
    assert source == "idle"
    assert datetime.fromisoformat(ended) - datetime.fromisoformat(started) >= timedelta(minutes=10)
