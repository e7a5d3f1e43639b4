"""What the open app costs while it only tracks: CPU and memory on the Today tab.

Starts the real `glutetui` in an 80x24 pseudo-terminal on a copy of the five-year
database, with working hours "always" (so the tracker ticks whatever the time), waits
for Today to show the tracker, lets start-up settle, then reads the process's CPU
time over a quiet stretch and its peak memory (VmHWM) from /proc. Linux only.

Usage: python -m benchmarks.idle_today [--seconds 60] [--runs 3] [--db five-years.db]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import five_years
from benchmarks.terminal import Terminal

SETTLE_S = 2.0  # start-up work (the deferred tabs, the first reads) is not idling


def one_run(source: Path, folder: Path, seconds: float) -> tuple[float, float]:
    """CPU as a percentage of one core over `seconds`, and peak RSS in MB."""
    db = folder / "bench.db"
    shutil.copyfile(source, db)
    config = folder / "config.toml"
    config.write_text('working_hours = "always"\nbell = false\n')
    with Terminal("-m", "glutetui", "--db", str(db), "--config", str(config)) as app:
        app.seconds_until(b"Sitting since")
        time.sleep(SETTLE_S)
        before, started = app.cpu_seconds(), time.monotonic()
        time.sleep(seconds)
        used, elapsed = app.cpu_seconds() - before, time.monotonic() - started
        return 100 * used / elapsed, app.peak_rss_mb()


def measure(source: Path, seconds: float, runs: int) -> list[tuple[float, float]]:
    with tempfile.TemporaryDirectory() as folder:
        return [one_run(source, Path(folder), seconds) for _ in range(runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=3)
    five_years.add_db_option(parser)
    args = parser.parse_args()
    with five_years.given_or_made(args.db) as source:
        results = measure(source, args.seconds, args.runs)
    for number, (cpu, rss) in enumerate(results, start=1):
        print(f"run {number}: {cpu:.2f} % of one core over {args.seconds:.0f} s, peak RSS {rss:.1f} MB")
    print(f"median: {statistics.median(r[0] for r in results):.2f} % CPU (target < 0.5 %), "
          f"{statistics.median(r[1] for r in results):.1f} MB peak RSS (target < 80 MB)")


if __name__ == "__main__":
    main()
