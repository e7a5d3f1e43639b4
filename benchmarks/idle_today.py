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


def one_run(source: Path | None, folder: Path, seconds: float) -> tuple[float, float]:
    """CPU as a percentage of one core over `seconds`, and peak RSS in MB."""
    db = folder / "bench.db"
    db.unlink(missing_ok=True)
    if source is not None:
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


def measure(source: Path | None, seconds: float, runs: int) -> list[tuple[float, float]]:
    with tempfile.TemporaryDirectory() as folder:
        return [one_run(source, Path(folder), seconds) for _ in range(runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path, help="a five-year database (made in a temporary folder if not given)")
    parser.add_argument("--empty", action="store_true", help="start on a new, empty database instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = args.db
        if source is None and not args.empty:
            source = Path(folder) / "five-years.db"
            print(five_years.describe(source, five_years.build(source)))
        results = measure(None if args.empty else source, args.seconds, args.runs)
    for number, (cpu, rss) in enumerate(results, start=1):
        print(f"run {number}: {cpu:.2f} % of one core over {args.seconds:.0f} s, peak RSS {rss:.1f} MB")
    print(f"median: {statistics.median(r[0] for r in results):.2f} % CPU (target < 0.5 %), "
          f"{statistics.median(r[1] for r in results):.1f} MB peak RSS (target < 80 MB)")


if __name__ == "__main__":
    main()
