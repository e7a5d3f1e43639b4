"""Opening the Runs tab against opening the Settings tab (issue 21).

The app runs in an 80x24 pseudo-terminal on a copy of a synthetic database (the
five-year runner of benchmarks/five_years.py over 1, 5 or 20 years). Once Today is
painted and the tabs made after it have had time to be built, the script presses `3`
(Runs) and `5` (Settings) in turn, each timed from the key to the first output holding
what that tab shows: the date of the newest run in the table's first row, or the
Settings tab's first label ("shown"). Right then it presses `1` (Today) and waits for
Today's tip: "answered" runs from the tab's key to that, so work a tab does after its
first paint (a table filled again), during which the screen takes no key, counts too.
The first opening of each tab (Runs reads its runs then) is kept apart from the later
ones; launches alternate which tab comes first. Target: Runs opens within 1.5x the time
Settings takes, on the five-year database.

With --src DIR (repeatable) it times glutetui from other source folders too, for
example a `git worktree` of main, launches interleaved so all see the same machine.

Usage: python -m benchmarks.runs_tab [--launches 5] [--rounds 4] [--years 1 5 20] [--src DIR ...]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from benchmarks import five_years
from benchmarks.first_open import copy_for_one_run
from benchmarks.terminal import Terminal, child_environment

TODAY_KEY, RUNS_KEY, SETTINGS_KEY = b"1", b"3", b"5"
SETTINGS_MARKER = b"Theme (also ctrl+t"
TODAY_MARKER = b"Tip of the day"
SETTLE_SECONDS = 3.0  # after Today's paint: the tabs made after it are built by then
BETWEEN_SECONDS = 0.6  # after a tab shows, before the next key: its repaints and the app's tick are over
CONFIG = 'working_hours = "always"\nbell = false\nremind_desktop = false\nremind_in_app = false\n'


def build(path: Path, years: int) -> dict[str, int]:
    """The five-year runner's habits over `years` years, ending where five_years ends."""
    return five_years.build(path, 52 * years if years != 5 else five_years.WEEKS)


def newest_run_marker(db: Path) -> bytes:
    """The newest run's date as the table's first row shows it (the day and hour this year)."""
    with sqlite3.connect(db) as conn:
        started = conn.execute("SELECT max(started_at) FROM runs").fetchone()[0]
    local = datetime.fromisoformat(started.replace("Z", "+00:00")).astimezone(five_years.ZONE)
    shown = f"{local:%d %b %H:%M}" if local.year == datetime.now(five_years.ZONE).year else f"{local:%d %b %Y}"
    return shown.encode()


def seconds_to(app: Terminal, key: bytes, marker: bytes, timeout: float = 30.0) -> float:
    """From pressing `key` to the first output, after it, holding `marker`."""
    mark = len(app.screen)
    pressed = time.perf_counter()
    app.press(key)
    deadline = time.monotonic() + timeout
    while marker not in app.screen[mark:]:
        if time.monotonic() > deadline:
            raise SystemExit(f"{marker.decode()!r} did not show within {timeout:.0f} s of {key!r}")
        time.sleep(0.001)
    return time.perf_counter() - pressed


def one_launch(source: Path, folder: Path, rounds: int, runs_first: bool, src: Path | None = None
               ) -> dict[str, list[float]]:
    """Seconds to open each tab in one app: "runs first" / "settings first" once, then "runs" / "settings"."""
    db = copy_for_one_run(source)
    config = folder / "config.toml"
    config.write_text(CONFIG)
    runs_marker = newest_run_marker(db)
    extra = {"TZ": five_years.ZONE_NAME} | ({"PYTHONPATH": str(src)} if src else {})
    tabs = [("runs", RUNS_KEY, runs_marker), ("settings", SETTINGS_KEY, SETTINGS_MARKER)]
    if not runs_first:
        tabs.reverse()
    times: dict[str, list[float]] = {}
    with Terminal("-m", "glutetui", "--db", str(db), "--config", str(config), env=child_environment(**extra)) as app:
        app.seconds_until(TODAY_MARKER)
        time.sleep(SETTLE_SECONDS)
        for round_number in range(rounds + 1):
            for name, key, marker in tabs:
                shown = seconds_to(app, key, marker)
                # At once back to Today: a tab that keeps the app busy after its first paint
                # (a table filled again) makes that key wait, and the wait counts.
                answered = shown + seconds_to(app, TODAY_KEY, TODAY_MARKER)
                label = f"{name} first" if round_number == 0 else name
                times.setdefault(label, []).append(shown)
                times.setdefault(f"{label}, answered", []).append(answered)
                time.sleep(BETWEEN_SECONDS)
    return times


def measure(source: Path, launches: int, rounds: int, sources: list[Path | None] = (None,)
            ) -> dict[Path | None, dict[str, list[float]]]:
    """Every opening of each tab, per source folder (None: the glutetui this Python imports)."""
    timings: dict[Path | None, dict[str, list[float]]] = {src: {} for src in sources}
    with tempfile.TemporaryDirectory() as folder:
        one_launch(source, Path(folder), 0, True, sources[0])  # unmeasured: fills the disk and bytecode caches
        for launch in range(launches):
            for src in sources:
                for name, seconds in one_launch(source, Path(folder), rounds, launch % 2 == 0, src).items():
                    timings[src].setdefault(name, []).extend(seconds)
    return timings


def ratios(times: dict[str, list[float]], suffix: str = "") -> tuple[float, float]:
    """Runs over Settings, medians: first openings, later openings. `suffix` ", answered": until
    the key after the tab's was answered."""
    def median(name: str) -> float:
        return statistics.median(times[f"{name}{suffix}"])

    return median("runs first") / median("settings first"), median("runs") / median("settings")


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms ({min(values) * 1000:.0f}-{max(values) * 1000:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=4, help="later openings of each tab per launch")
    parser.add_argument("--years", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--src", type=Path, action="append", help="time glutetui from this source folder")
    args = parser.parse_args()
    sources = args.src or [None]
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print("| source | years | runs | until | Runs, first | Settings, first | ratio | Runs, later | Settings, later "
          "| ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        for years in args.years:
            source = Path(folder) / f"{years}-years.db"
            counts = build(source, years)
            for src, times in measure(source, args.launches, args.rounds, sources).items():
                for until, suffix in (("shown", ""), ("answered", ", answered")):
                    first, later = ratios(times, suffix)
                    print(f"| {src or 'this'} | {years} | {counts['runs']:,} | {until} | "
                          f"{_ms(times['runs first' + suffix])} | {_ms(times['settings first' + suffix])} | "
                          f"{first:.2f}x | {_ms(times['runs' + suffix])} | {_ms(times['settings' + suffix])} | "
                          f"{later:.2f}x |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"\n{args.launches} launches, {args.rounds} later openings of each tab a launch: medians (range).")


if __name__ == "__main__":
    main()
