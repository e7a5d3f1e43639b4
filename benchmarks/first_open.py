"""The first opening of a window against later ones (issue 19).

The app runs in an 80x24 pseudo-terminal on a copy of the demo database (`glutetui
demo`, 12 weeks) and of the five-year one (benchmarks/five_years.py). This process goes
to Runs right after the first paint, while the deferred tabs are still being made and
Progress reads its week, waits for the table (and, in a second series, 3 s more), and
times two openings each of the run form (`n`, closed with
escape) and the delete question (`d`, answered n), from the key to the first output
holding the window's text. Target: the first opening no slower than the later ones.

Usage: python -m benchmarks.first_open [--runs 5] [--demo-only]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import five_years
from benchmarks.terminal import Terminal

WINDOWS = ((b"n", b"Aches: score", b"\x1b"), (b"d", b"Delete the run", b"n"))


def one_run(db: Path, config: Path, settle_s: float) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    with Terminal("-m", "glutetui", "--db", str(db), "--config", str(config)) as app:
        app.seconds_until(b"Tip of the day")
        app.press(b"3")
        app.seconds_until(b"Date")  # the Runs tab shows its table
        time.sleep(settle_s)
        for key, marker, close in WINDOWS + WINDOWS:
            mark = len(app.screen)
            pressed = time.perf_counter()
            app.press(key)
            deadline = time.monotonic() + 20
            while marker not in app.screen[mark:]:
                if time.monotonic() > deadline:
                    raise SystemExit(f"{marker.decode()!r} did not show after {key!r}")
                time.sleep(0.002)
            times.setdefault(key.decode(), []).append(time.perf_counter() - pressed)
            time.sleep(0.5)
            app.press(close)
            time.sleep(0.8)
    return times


def demo_database(folder: Path) -> tuple[Path, Path]:
    """`glutetui demo` (12 weeks) in `folder`, with a config that keeps reminders quiet."""
    demo, config = folder / "demo.db", folder / "config.toml"
    config.write_text('working_hours = "always"\nbell = false\nremind_desktop = false\n')
    subprocess.run([sys.executable, "-m", "glutetui", "demo", "--db", str(demo), "--config", str(config)],
                   check=True, capture_output=True)
    return demo, config


def copy_for_one_run(source: Path) -> Path:
    """A fresh copy of `source` beside it, for one run to change."""
    db = source.with_name("run.db")
    for leftover in source.parent.glob("run.db*"):
        leftover.unlink()
    with sqlite3.connect(source) as original, sqlite3.connect(db) as copy:
        original.backup(copy)  # with what is still in the WAL file
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--demo-only", action="store_true", help="leave out the five-year database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        demo, config = demo_database(Path(folder))
        five = Path(folder) / "five.db"
        if not args.demo_only:
            five_years.build(five)
        print("| database | first key | window | first opening | second opening |")
        print("| --- | --- | --- | --- | --- |")
        databases = (("demo, 12 weeks", demo),) + (() if args.demo_only else (("five years", five),))
        for name, source in databases:
            for settle_s in (0.0, 3.0):
                openings: dict[tuple[str, int], list[float]] = {}
                for _ in range(args.runs):
                    for key, seconds in one_run(copy_for_one_run(source), config, settle_s).items():
                        for index, value in enumerate(seconds):
                            openings.setdefault((key, index), []).append(value)
                when = "as Runs shows" if not settle_s else f"{settle_s:.0f} s later"
                for key, window in (("n", "run form (n)"), ("d", "delete question (d)")):
                    first, second = openings[(key, 0)], openings[(key, 1)]
                    print(f"| {name} | {when} | {window} | {statistics.median(first):.3f} s "
                          f"({min(first):.3f}-{max(first):.3f}) | {statistics.median(second):.3f} s "
                          f"({min(second):.3f}-{max(second):.3f}) |")
    print(f"\n{args.runs} runs each: medians (range).")


if __name__ == "__main__":
    main()
