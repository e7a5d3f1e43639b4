"""How closely a real warm-up ends on its planned length plus pauses.

Runs the real app headless with the real clock, starts a routine, pauses it
once, and waits for the end. Two numbers per run:
- stored: ended_at - started_at in the database, minus planned length and pause;
- noticed: when the screen switched to "done", minus the same (the tick's lag).

Runs on a new database unless --db names one to copy (the five-year one in
`python -m benchmarks`).

Usage: python -m benchmarks.warmup_timer [--routine pre-run] [--runs 3] [--pause 5] [--db FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import five_years
from glutetui.clock import SystemClock
from glutetui.config import Settings
from glutetui.domain.timefmt import from_utc_text
from glutetui.paths import Locations
from glutetui.store.db import open_store
from glutetui.ui.app import GlutetuiApp
from glutetui.ui.widgets.warmup_pane import WarmupPane


async def one_run(folder: Path, routine: str, pause_s: float, source: Path | None) -> tuple[float, float, float]:
    locations = Locations(db=folder / "bench.db", config=folder / "config.toml",
                          db_is_default=False)
    if source is not None:
        five_years.fresh_copy(source, locations.db)
    db = open_store(locations.db)
    app = GlutetuiApp(db=db, locations=locations, settings=Settings(bell=False), clock=SystemClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()  # the Warm-up tab is made just after the first paint
        pane = app.main_screen.query_one(WarmupPane)
        app.action_warmup(routine)
        started = time.monotonic()
        planned = pane.session.planned_seconds
        await asyncio.sleep(min(20.0, planned / 3))
        paused_at = time.monotonic()
        pane.action_toggle_pause()
        await asyncio.sleep(pause_s)
        pane.action_toggle_pause()
        pause = time.monotonic() - paused_at
        while not pane.session.is_over:
            await asyncio.sleep(0.005)
        noticed = time.monotonic() - started - pause - planned
        await pilot.pause()
    row = db.execute("SELECT started_at, ended_at FROM warmups ORDER BY started_at DESC LIMIT 1").fetchone()
    stored = (from_utc_text(row[1]) - from_utc_text(row[0])).total_seconds() - pause - planned
    db.close()
    return planned, stored, noticed


def measure(routine: str, runs: int, pause_s: float, source: Path | None = None) -> list[tuple[float, float, float]]:
    """(planned seconds, stored end error, noticed end error) for each run."""
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            results.append(asyncio.run(one_run(Path(folder), routine, pause_s, source)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routine", default="pre-run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pause", type=float, default=5.0)
    parser.add_argument("--db", type=Path, help="a database to copy for each run")
    args = parser.parse_args()
    stored, noticed = [], []
    for number, (planned, stored_error, noticed_error) in enumerate(
            measure(args.routine, args.runs, args.pause, args.db), start=1):
        stored.append(stored_error)
        noticed.append(noticed_error)
        print(f"run {number}: planned {planned:.0f} s + pause {args.pause:.0f} s; "
              f"stored end {stored_error:+.3f} s, noticed end {noticed_error:+.3f} s")
    print(f"{args.routine}, {args.runs} runs on {platform.processor() or platform.machine()}, "
          f"{platform.python_implementation()} {platform.python_version()}: "
          f"median stored {statistics.median(stored):+.3f} s (worst {max(stored, key=abs):+.3f}), "
          f"median noticed {statistics.median(noticed):+.3f} s (worst {max(noticed, key=abs):+.3f})")


if __name__ == "__main__":
    main()
