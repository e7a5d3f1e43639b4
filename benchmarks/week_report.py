"""How long one week's Progress numbers take to read: the week, the one before, the
12-week trends and the insights, from a demo database of many weeks.

Usage: python -m benchmarks.week_report [--weeks 260] [--runs 20]
The database is made once in a temporary folder (seed 1, ending on 2026-11-20).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from dateutil import tz

from glutetui.config import Settings
from glutetui.services.demo import fill_demo
from glutetui.services.progress import load_progress
from glutetui.store.db import open_readonly, open_store

ZONE = tz.gettz("Europe/Berlin")
NOW = datetime(2026, 11, 20, 17, 0, tzinfo=ZONE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--weeks", type=int, default=260)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.db"
        db = open_store(path)
        counts = fill_demo(db, until=NOW, zone=ZONE, weeks=args.weeks, seed=1)
        db.close()
        print(f"{args.weeks} demo weeks: " + ", ".join(f"{n} {table}" for table, n in counts.items()))
        db = open_readonly(path)
        timings = []
        for index in range(args.runs):
            start = (NOW - timedelta(weeks=index * 7)).date()  # weeks spread over the years
            began = time.perf_counter()
            load_progress(db, now=NOW, zone=ZONE, settings=Settings(), start=start - timedelta(days=start.weekday()),
                          open_until=None)
            timings.append((time.perf_counter() - began) * 1000)
        db.close()
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}")
    print(f"week + previous + 12-week trends + insights: median {statistics.median(timings):.1f} ms, "
          f"worst {max(timings):.1f} ms over {args.runs} weeks")


if __name__ == "__main__":
    main()
