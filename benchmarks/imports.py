"""How long import, export and merge take on years of data.

Usage: python -m benchmarks.imports [--runs 1300] [--gpx 200] [--weeks 260]
Made in a temporary folder: a Strava activities.csv of --runs runs (and as many
rides) with the real 94-column header, --gpx GPX files of 360 points each, and two
demo databases of --weeks weeks (seeds 1 and 2) for export and merge.
"""

from __future__ import annotations

import argparse
import csv
import platform
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from dateutil import tz

from glutetui.services.demo import fill_demo
from glutetui.services.export import export
from glutetui.services.importing import Importer, open_other
from glutetui.store.db import open_store
from glutetui.store.exchange import dump

HEADER = (Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "imports" / "strava_activities.csv")
ZONE = tz.gettz("Europe/Berlin")
NOW = datetime(2026, 11, 20, 17, 0, tzinfo=timezone.utc)


def strava_csv(path: Path, runs: int) -> None:
    with HEADER.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    rows = []
    for index in range(runs * 2):
        started = NOW - timedelta(days=index * 1.3, hours=index % 7)
        row = [""] * len(header)
        row[0], row[1] = str(9_000_000_000 + index), f"{started:%b} {started.day}, {started:%Y, %I:%M:%S %p}"
        row[2], row[3] = f"Activity {index}", "Run" if index % 2 else "Ride"
        row[5], row[15], row[16] = "2400", "2400.0", "2300.0"
        row[6], row[17] = "8.00", f"{8000 + index % 500}.5"
        rows.append(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def gpx_file(path: Path, started: datetime) -> None:
    points = "".join(
        f'<trkpt lat="{51.47 + i * 0.0002:.5f}" lon="{-0.046 + (i % 40) * 0.0001:.5f}">'
        f"<time>{started + timedelta(seconds=10 * i):%Y-%m-%dT%H:%M:%SZ}</time></trkpt>"
        for i in range(360))
    path.write_text('<?xml version="1.0"?><gpx version="1.1" creator="bench" '
                    'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Bench</name><trkseg>'
                    f"{points}</trkseg></trk></gpx>", encoding="utf-8")


def timed(label: str, action) -> float:
    began = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - began
    print(f"{label}: {seconds:.2f} s" + (f" ({result})" if result not in (None, "") else ""))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1300)
    parser.add_argument("--gpx", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=260)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        strava_csv(folder / "activities.csv", args.runs)
        (folder / "gpx").mkdir()
        for index in range(args.gpx):
            gpx_file(folder / "gpx" / f"{index:04d}.gpx", NOW - timedelta(days=index * 2 + 0.5))
        db = open_store(folder / "new.db")
        importer = Importer(db, NOW)
        timed(f"import Strava CSV, {args.runs} runs + {args.runs} rides",
              lambda: importer.import_paths([str(folder / "activities.csv")]).files[0].added["runs"])
        timed(f"import {args.gpx} GPX files of 360 points",
              lambda: sum(r.added["runs"] for r in importer.import_paths([str(folder / "gpx")]).files))
        timed("the same files again (all duplicates)",
              lambda: Importer(db, NOW).import_paths([str(folder / "activities.csv"), str(folder / "gpx")]).total(
                  "duplicates"))
        db.close()
        for seed in (1, 2):
            demo = open_store(folder / f"demo{seed}.db")
            fill_demo(demo, until=NOW, zone=ZONE, weeks=args.weeks, seed=seed)
            demo.close()
        demo = open_store(folder / "demo1.db")
        rows = sum(len(rows) for rows in dump(demo).values())
        print(f"{args.weeks} demo weeks: {rows} rows")
        timed("export JSON", lambda: sum(export(demo, "json", folder / "all.json", NOW).counts.values()))
        timed("export CSV", lambda: sum(export(demo, "csv", folder / "all-csv", NOW).counts.values()))
        empty = open_store(folder / "empty.db")
        timed("import the JSON export into an empty database",
              lambda: Importer(empty, NOW).import_paths([str(folder / "all.json")]).files[0].added_total)
        empty.close()
        other = open_other(folder / "demo2.db", folder / "demo1.db")
        timed("merge the other demo database", lambda: Importer(demo, NOW).merge(other, "demo2.db").added_total)
        other.close()
        demo.close()
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}")


if __name__ == "__main__":
    main()
