"""The app while another process holds the database's write lock (an import, a merge, a
`run add`): a real file, a real second process, the real storage thread.

Here the order of things is checked, not wall-clock times: the screen answers while the
lock is still held, and every key is stored once it is free. The latency itself is
measured in benchmarks/busy_file.py."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone

from app_factory import make_app
from helpers import settle, wait_until

from glutetui.clock import FakeClock
from glutetui.ui.widgets.today_pane import TodayPane

ARRIVE = datetime(2026, 11, 18, 8, 0, tzinfo=timezone.utc)  # Wednesday 09:00 in Berlin
HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()  # held until the test says so
conn.execute("COMMIT")
"""


def hold_write_lock(path) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def release(holder: subprocess.Popen) -> None:
    holder.stdin.write("\n")
    holder.stdin.flush()
    assert holder.wait(10) == 0


async def test_keys_and_tabs_answer_while_another_process_writes_and_every_key_is_stored(locations):
    locations.config.write_text('working_hours = "always"\nremind_desktop = false\n')
    app = make_app(locations, FakeClock(ARRIVE, zone="Europe/Berlin"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.main_screen.query_one(TodayPane)
        holder = hold_write_lock(locations.db)
        try:
            app.clock.advance(60)
            await pilot.press("s")
            await wait_until(pilot, lambda: pane.shown("today-state") == "Standing since 09:01", "s shown")
            app.clock.advance(60)
            await pilot.press("3")
            await wait_until(pilot, lambda: app.main_screen.active_tab == "runs", "the Runs tab")
            await pilot.press("1")
            app.clock.advance(60)
            await pilot.press("b")
            await wait_until(pilot, lambda: pane.shown("today-state") == "On a break since 09:03", "b shown")
            assert holder.poll() is None, "the lock was let go before the screen answered"
            assert app.storage.pending() > 0  # the keys wait their turn on the storage thread
        finally:
            release(holder)
        await settle(pilot)
    rows = app.db.execute("SELECT state, started_at FROM posture ORDER BY started_at").fetchall()
    assert rows == [("sitting", "2026-11-18T08:00:00+00:00"), ("standing", "2026-11-18T08:01:00+00:00"),
                    ("break", "2026-11-18T08:03:00+00:00")]
