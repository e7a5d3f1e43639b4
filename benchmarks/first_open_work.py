"""The work, in Python function calls, of the first and second opening of the run form.

A count of calls does not move with the machine's load the way seconds do, so it tells a
change that saves work from noise (benchmarks/first_open.py times the same in a pty). The
app runs headless (Textual's run_test) at 80x24 on a copy of the demo database; keys are
posted as a terminal sends them: `3`, then `n` at one of three moments: typed ahead (as
soon as the Runs table has rows, before Runs is painted: the work `3` set going is still
to do), once the app has handled every message (Runs painted, its keys in the footer), or
3 s later. Counted until the form's Distance field has a place on screen and 50 ms more;
escape, 1.5 s, and `n` again.

Usage: python -m benchmarks.first_open_work [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import tempfile
from pathlib import Path

from textual import events

from benchmarks.first_open import copy_for_one_run, demo_database
from glutetui.clock import SystemClock
from glutetui.config import load_settings
from glutetui.paths import resolve
from glutetui.store.db import open_store
from glutetui.ui.app import GlutetuiApp


async def _form_painted(app: GlutetuiApp) -> None:
    while True:
        fields = app.screen.query("#distance-input")
        if type(app.screen).__name__ == "RunFormScreen" and fields and fields.first().region.width:
            return
        await asyncio.sleep(0.001)


async def _runs_shown(app: GlutetuiApp) -> None:
    while not (tables := app.screen.query("#runs-table")) or not tables.first().row_count:
        await asyncio.sleep(0.002)


MOMENTS = ("typed ahead", "as Runs is painted", "3 s later")


async def openings(db: Path, config: Path, moment: str) -> list[int]:
    """Calls made by the first and the second opening."""
    locations = resolve(db=str(db), config=str(config))
    app = GlutetuiApp(db=open_store(locations.db), locations=locations, settings=load_settings(locations.config),
                      clock=SystemClock())
    calls = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(events.Key("3", "3"))
        await _runs_shown(app)
        if moment != "typed ahead":
            await pilot.pause()
        if moment == "3 s later":
            await asyncio.sleep(3)
        for _ in range(2):
            profile = cProfile.Profile()
            profile.enable()
            app.post_message(events.Key("n", "n"))
            await _form_painted(app)
            await asyncio.sleep(0.05)
            profile.disable()
            calls.append(pstats.Stats(profile).total_calls)
            app.post_message(events.Key("escape", None))
            await asyncio.sleep(1.5)
    return calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        demo, config = demo_database(Path(folder))
        print("| n pressed | first opening | second opening |")
        print("| --- | --- | --- |")
        for when in MOMENTS:
            counts = []
            for _ in range(args.runs):
                counts.append(asyncio.run(openings(copy_for_one_run(demo), config, when)))
            first = ", ".join(f"{c[0] / 1e6:.2f}" for c in counts)
            second = ", ".join(f"{c[1] / 1e6:.2f}" for c in counts)
            print(f"| {when} | {first} M calls | {second} M calls |")


if __name__ == "__main__":
    main()
