"""A synthetic five-year database: the data every benchmark of issue 9 runs on.

A desk runner over 260 weeks: about 1,250 workdays (ten weekdays off a year),
25k posture intervals, 15k stand-up reminders, 1.3k runs with their aches and 1.2k
warm-ups. It is the app's own demo builder with busier habits, so the rows obey
the same rules as real ones; the same seed gives the same file byte for byte.

Usage: python -m benchmarks.five_years [--out five-years.db] [--weeks 260]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from dateutil import tz

from glutetui.services.demo import DAY_STYLES, DemoBuilder, fill_demo
from glutetui.store.db import open_store

ZONE_NAME = "Europe/Berlin"
ZONE = tz.gettz(ZONE_NAME)
# A Friday evening: the week of the benchmarks is complete up to it.
UNTIL = datetime(2026, 11, 20, 17, 0, tzinfo=ZONE)
WEEKS = 260
SEED = 2026
HOLIDAY_EVERY = 26  # every 26th day of the year, if it is a weekday: ten a year


class FiveYearRunner(DemoBuilder):
    """Runs four weekdays plus a long run, warms up before most runs, takes more breaks."""

    weekday_runs = (4,)
    warmup_before_run = 0.85
    # Takes more breaks and has fewer deadline bouts than the demo's runner: fewer
    # reminders repeated in one bout.
    day_styles = tuple(
        replace(style, take_chance=min(0.95, style.take_chance + 0.15), focus_chance=style.focus_chance / 2)
        for style in DAY_STYLES
    )

    def is_day_off(self, day: date) -> bool:
        return day.timetuple().tm_yday % HOLIDAY_EVERY == 0


def build(path: Path, weeks: int = WEEKS, until: datetime = UNTIL) -> dict[str, int]:
    """Write the database to `path` (a new file) and return the rows per table; `weeks` and
    `until` make the same runner's history longer or shorter (1 or 10 years for issue 21),
    or end it on another day."""
    db = open_store(path)
    try:
        return fill_demo(db, until=until, zone=ZONE, weeks=weeks, seed=SEED, builder=FiveYearRunner)
    finally:
        db.close()


def workdays(path: Path) -> int:
    """Local days with any sitting: what the issue calls workdays."""
    with sqlite3.connect(path) as conn:
        starts = [row[0] for row in conn.execute("SELECT started_at FROM posture WHERE state = 'sitting'")]
    return len({datetime.fromisoformat(start).astimezone(ZONE).date() for start in starts})


def describe(path: Path, counts: dict[str, int], weeks: int = WEEKS) -> str:
    tables = ", ".join(f"{n:,} {table}" for table, n in counts.items() if n)
    return f"{weeks} weeks to {UNTIL:%Y-%m-%d}, seed {SEED}: {workdays(path):,} workdays, {tables}"


def fresh_copy(source: Path, target: Path) -> None:
    """`source` copied to `target` for one run, without the WAL a killed earlier run left
    beside `target`: SQLite would apply it to the fresh copy."""
    for leftover in target.parent.glob(f"{target.name}?*"):  # -wal, -shm, .lock
        leftover.unlink()
    shutil.copyfile(source, target)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help="a five-year database (made in a temporary folder if not given)")


def _refuse_an_old_schema(path: Path) -> None:
    """Each timed run opens a fresh copy: one made by an older glutetui would be migrated
    every time, and the migration timed with the start (a schema-6 file added 80 ms)."""
    from glutetui.store.migrations import SCHEMA_VERSION

    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    finally:
        connection.close()
    if version < SCHEMA_VERSION:
        raise SystemExit(f"{path}: made by an older glutetui (schema {version}, now {SCHEMA_VERSION}), so every "
                         f"timed start would migrate it. Make a new one: python -m benchmarks.five_years --out {path}")


@contextmanager
def given_or_made(path: Path | None) -> Iterator[Path]:
    """`path`, or a five-year database made in a temporary folder for the block."""
    if path is not None:
        _refuse_an_old_schema(path)
        yield path
        return
    with tempfile.TemporaryDirectory() as folder:
        made = Path(folder) / "five-years.db"
        print(describe(made, build(made)))
        yield made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("five-years.db"))
    parser.add_argument("--weeks", type=int, default=WEEKS, help=f"how much history (default {WEEKS}, five years)")
    args = parser.parse_args()
    if args.out.exists():
        raise SystemExit(f"{args.out} exists; pass a new path with --out")
    print(describe(args.out, build(args.out, args.weeks), args.weeks))


if __name__ == "__main__":
    main()
