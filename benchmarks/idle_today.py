"""What the open app costs while it only tracks: CPU and memory on the Today tab.

Starts the real `glutetui` in an 80x24 pseudo-terminal on a copy of the five-year
database, with working hours "always" (so the tracker ticks whatever the time), waits
for Today to show the tracker, lets start-up settle, then reads the process's CPU
time over a quiet stretch and its peak memory (VmHWM) from /proc. Linux only.

The baseline, in the same run and interleaved with glutetui's runs, is the bare Textual
app of benchmarks/bare_app.py (header, one line, footer) left open as long: the target
of issue 21 is a ratio to it (<= 2x).

Usage: python -m benchmarks.idle_today [--seconds 60] [--runs 3] [--db five-years.db]
"""

from __future__ import annotations

import argparse
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
    five_years.fresh_copy(source, db)
    config = folder / "config.toml"
    config.write_text('working_hours = "always"\nbell = false\n')
    with Terminal("-m", "glutetui", "--db", str(db), "--config", str(config)) as app:
        app.seconds_until(b"Sitting since")
        time.sleep(SETTLE_S)
        before, started = app.cpu_seconds(), time.monotonic()
        time.sleep(seconds)
        used, elapsed = app.cpu_seconds() - before, time.monotonic() - started
        return 100 * used / elapsed, app.peak_rss_mb()


def bare_run(seconds: float) -> float:
    """The bare app's CPU as a percentage of one core over `seconds`, measured as glutetui's is."""
    with Terminal("-m", "benchmarks.bare_app") as app:
        app.seconds_until(b"is ready")
        time.sleep(SETTLE_S)
        before, started = app.cpu_seconds(), time.monotonic()
        time.sleep(seconds)
        return 100 * (app.cpu_seconds() - before) / (time.monotonic() - started)


def measure(source: Path, seconds: float, runs: int) -> list[tuple[float, float]]:
    with tempfile.TemporaryDirectory() as folder:
        return [one_run(source, Path(folder), seconds) for _ in range(runs)]


def measure_against_bare(source: Path, seconds: float, runs: int) -> tuple[list[tuple[float, float]], list[float]]:
    """glutetui's (CPU %, peak RSS MB) and the bare app's CPU %, runs interleaved."""
    ours, bare = [], []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            ours.append(one_run(source, Path(folder), seconds))
            bare.append(bare_run(seconds))
    return ours, bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=3)
    five_years.add_db_option(parser)
    args = parser.parse_args()
    with five_years.given_or_made(args.db) as source:
        results, bare = measure_against_bare(source, args.seconds, args.runs)
    for number, ((cpu, rss), bare_cpu) in enumerate(zip(results, bare), start=1):
        print(f"run {number}: {cpu:.2f} % of one core over {args.seconds:.0f} s, peak RSS {rss:.1f} MB; "
              f"bare app {bare_cpu:.2f} %")
    ours_cpu, bare_cpu = statistics.median(r[0] for r in results), statistics.median(bare)
    print(f"median: {ours_cpu:.2f} % CPU (target < 0.5 %), "
          f"{statistics.median(r[1] for r in results):.1f} MB peak RSS (target < 80 MB)")
    print(f"bare Textual app: {bare_cpu:.2f} % CPU; ratio {ours_cpu / bare_cpu:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
