"""`glutetui status` and Today's numbers: what a status line costs, and that neither grows with the history.

Issue 21 asks for two things, each measured against a baseline in the same run, runs
interleaved, medians:

- `glutetui status` and `glutetui status --json`, whole processes, within 3x
  `python -c "import sqlite3"` (Python's own start plus the one module a reader needs),
  on the five-year database;
- `glutetui status` (the whole process, and its reading alone in this process), and in
  this process Today's data load (the tracker's `summarise`, as the app calls it every
  second, with its streak counted once), the same on 1 and 10 years of history: within 1.2x.

The databases are the five-year runner's (benchmarks/five_years.py) over 52, 260 and 520
weeks, ending now, so "today" holds a day of data as it does for a real user. The child
processes run in that runner's zone (Europe/Berlin). Each status database is used once
before timing, as a status line's first call of the day would: that call counts the
workday streak and stores it for the day.

Usage: python -m benchmarks.status_speed [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks import five_years

YEARS = {"1 year": 52, "5 years": 260, "10 years": 520}
BASELINE = ("-c", "import sqlite3")
# What pip writes as the `glutetui` command (pyproject's [project.scripts]), which a status
# line runs; `python -m glutetui` also loads runpy. Before issue 21 the command was cli.main,
# so the same benchmark measures an older source folder (PYTHONPATH) as it was installed.
CONSOLE_SCRIPT = """\
import re
import sys
try:
    from glutetui.entry import main
except ImportError:
    from glutetui.cli import main
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit(main())
"""


def child_environment() -> dict[str, str]:
    # Bytecode may be written, as for an installed package; the runner's zone, as in the file.
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**environment, "TZ": five_years.ZONE_NAME}


def process_seconds(args: tuple[str, ...], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.decode(errors='replace')}")
    return elapsed


def build_all(folder: Path) -> dict[str, Path]:
    until = datetime.now(five_years.ZONE)
    made = {}
    for label, weeks in YEARS.items():
        path = folder / f"{weeks}-weeks.db"
        five_years.build(path, weeks=weeks, until=until)
        made[label] = path
    return made


def status_processes(dbs: dict[str, Path], config: Path, script: Path, runs: int) -> dict[str, list[float]]:
    """Seconds per whole process, interleaved: the baseline, then status on each database."""
    env = child_environment()
    commands = {'python -c "import sqlite3"': BASELINE}
    for label, path in dbs.items():
        commands[f"status, {label}"] = ("-m", "glutetui", "status", "--db", str(path), "--config", str(config))
    commands["status --json, 5 years"] = (*commands["status, 5 years"], "--json")
    commands["glutetui status (script), 5 years"] = (str(script), *commands["status, 5 years"][2:])
    commands["glutetui status --json (script), 5 years"] = (*commands["glutetui status (script), 5 years"], "--json")
    for args in commands.values():  # unmeasured: bytecode and disk caches, and the day's streak stored
        process_seconds(args, env)
    timings: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, args in commands.items():
            timings[label].append(process_seconds(args, env))
    return timings


def today_loads(dbs: dict[str, Path], runs: int, calls: int = 20) -> dict[str, list[float]]:
    """Seconds of one `summarise` (Today's numbers) per database, as the app makes it each
    second: on its own connection, the streak's past counted once before timing."""
    from glutetui.clock import SystemClock
    from glutetui.config import Settings
    from glutetui.services.reminders import StreakCounter
    from glutetui.services.tracker import TrackerRules, summarise
    from glutetui.store import posture
    from glutetui.store.db import open_readonly

    rules = TrackerRules.from_settings(Settings(working_hours="always"))
    clock = SystemClock(five_years.ZONE)
    opened = {label: (open_readonly(path), StreakCounter()) for label, path in dbs.items()}
    try:
        def once(label: str) -> float:
            db, streaks = opened[label]
            now = clock.now()
            started = time.perf_counter()
            for _ in range(calls):
                summarise(db, rules, now, clock.local_zone(), posture.open_posture(db), now, streaks)
            return (time.perf_counter() - started) / calls

        for label in opened:
            once(label)
        timings: dict[str, list[float]] = {label: [] for label in opened}
        for _ in range(runs):
            for label in opened:
                timings[label].append(once(label))
        return timings
    finally:
        for db, _ in opened.values():
            db.close()


def status_reads(dbs: dict[str, Path], config: Path, runs: int, calls: int = 20) -> dict[str, list[float]]:
    """Seconds of one `read_status` per database in this process: what a status call does
    after its imports (the lock check, the open, the day's rows, the stored streak), without
    the process start that the machine's load moves by tens of milliseconds."""
    from glutetui.clock import SystemClock
    from glutetui.config import load_settings
    from glutetui.paths import resolve
    from glutetui.services.status import read_status

    settings, clock = load_settings(config), SystemClock(five_years.ZONE)

    def once(path: Path) -> float:
        locations = resolve(path, config)
        started = time.perf_counter()
        for _ in range(calls):
            read_status(locations, settings, clock)
        return (time.perf_counter() - started) / calls

    for path in dbs.values():
        once(path)
    timings: dict[str, list[float]] = {label: [] for label in dbs}
    for _ in range(runs):
        for label, path in dbs.items():
            timings[label].append(once(path))
    return timings


def measure(runs: int) -> dict[str, dict[str, float]]:
    """Medians in milliseconds, and the ratios issue 21 sets targets for."""
    with tempfile.TemporaryDirectory() as folder:
        dbs = build_all(Path(folder))
        config = Path(folder) / "config.toml"
        config.write_text('working_hours = "always"\n')
        script = Path(folder) / "glutetui"
        script.write_text(CONSOLE_SCRIPT)
        processes = {label: statistics.median(times) * 1000 for label, times in
                     status_processes(dbs, config, script, runs).items()}
        today = {label: statistics.median(times) * 1000 for label, times in today_loads(dbs, runs).items()}
        reads = {label: statistics.median(times) * 1000 for label, times in
                 status_reads(dbs, config, runs).items()}
    baseline = processes['python -c "import sqlite3"']
    ratios = {
        "status / import sqlite3 (5 years)": processes["status, 5 years"] / baseline,
        "status --json / import sqlite3 (5 years)": processes["status --json, 5 years"] / baseline,
        "glutetui status (script) / import sqlite3": processes["glutetui status (script), 5 years"] / baseline,
        "glutetui status --json (script) / import sqlite3":
            processes["glutetui status --json (script), 5 years"] / baseline,
        "status 10 years / 1 year": processes["status, 10 years"] / processes["status, 1 year"],
        "status read in-process 10 years / 1 year": reads["10 years"] / reads["1 year"],
        "Today's load 10 years / 1 year": today["10 years"] / today["1 year"],
    }
    return {"processes_ms": processes, "status_read_ms": reads, "today_load_ms": today, "ratios": ratios}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    numbers = measure(args.runs)
    print(f"load average {os.getloadavg()[0]:.2f}, {args.runs} interleaved runs, medians")
    for label, ms in numbers["processes_ms"].items():
        print(f"  {label:<42} {ms:8.1f} ms")
    for label, ms in numbers["status_read_ms"].items():
        print(f"  status read in-process, {label:<18} {ms:8.2f} ms")
    for label, ms in numbers["today_load_ms"].items():
        print(f"  Today's load, {label:<18} {ms:8.2f} ms")
    targets = {"status / import sqlite3 (5 years)": 3.0, "status --json / import sqlite3 (5 years)": 3.0,
               "glutetui status (script) / import sqlite3": 3.0,
               "glutetui status --json (script) / import sqlite3": 3.0,
               "status 10 years / 1 year": 1.2, "status read in-process 10 years / 1 year": 1.2,
               "Today's load 10 years / 1 year": 1.2}
    for label, ratio in numbers["ratios"].items():
        verdict = "met" if ratio <= targets[label] else "NOT met"
        print(f"  {label:<48} {ratio:5.2f}x (target <= {targets[label]}x: {verdict})")


if __name__ == "__main__":
    main()
