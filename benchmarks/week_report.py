"""How long a week's report takes on five years of data, in-process and as a whole command.

In-process: `load_progress` reads the week, the week before, the 12-week trends and
the three insights, for weeks spread over the five years (what the Progress tab does
on `[` and `]`). Whole process: `glutetui report --json` from the fork to its exit,
interpreter start and imports included (what a script or a status bar pays).

Usage: python -m benchmarks.week_report [--runs 20] [--db five-years.db]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from benchmarks import five_years
from benchmarks.terminal import child_environment
from glutetui.config import Settings
from glutetui.services.progress import load_progress
from glutetui.store.db import open_readonly

NOW = five_years.UNTIL


def in_process_ms(path: Path, runs: int) -> list[float]:
    db = open_readonly(path)
    timings = []
    try:
        step = max(1, five_years.WEEKS // runs)  # weeks spread evenly back through the five years
        for index in range(runs):
            day = (NOW - timedelta(weeks=index * step)).date()
            began = time.perf_counter()
            load_progress(db, now=NOW, zone=five_years.ZONE, settings=Settings(),
                          start=day - timedelta(days=day.weekday()), open_until=None)
            timings.append((time.perf_counter() - began) * 1000)
    finally:
        db.close()
    return timings


def whole_process_ms(path: Path, runs: int) -> list[float]:
    env = {**child_environment(), "TZ": five_years.ZONE_NAME}
    command = [sys.executable, "-m", "glutetui", "report", "--json", "--week", "2026-W46", "--db", str(path)]
    timings = []
    for _ in range(runs + 1):
        began = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        timings.append((time.perf_counter() - began) * 1000)
    return timings[1:]  # the first run fills the disk cache


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    five_years.add_db_option(parser)
    args = parser.parse_args()
    with five_years.given_or_made(args.db) as path:
        inside = in_process_ms(path, args.runs)
        whole = whole_process_ms(path, max(3, args.runs // 4))
    print(f"week + previous + 12-week trends + insights: median {statistics.median(inside):.1f} ms, "
          f"worst {max(inside):.1f} ms over {len(inside)} weeks (target < 100 ms)")
    print(f"glutetui report --json, whole process: median {statistics.median(whole):.0f} ms, "
          f"worst {max(whole):.0f} ms over {len(whole)} runs")


if __name__ == "__main__":
    main()
