"""Time and peak memory of `glutetui import` of one large GPX file (issue 20).

Usage: python -m benchmarks.large_gpx [--mb 20] [--src PATH]

Writes, in a temporary folder, one track of points one second apart, each with an
elevation, a time and a heart-rate extension as a watch writes them (about 190 bytes a
point), until the file is --mb megabytes; then imports it into a new database with the
real command in a child process, whose wall time and peak resident memory (ru_maxrss)
are printed. --src puts another checkout's src first on the child's PYTHONPATH, to
measure another version (e.g. main) on the same file.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

START = datetime(2026, 11, 1, 6, 0, tzinfo=timezone.utc)
SRC = Path(__file__).resolve().parents[1] / "src"


def write_gpx(path: Path, megabytes: float, most_points: int | None = None) -> int:
    """The file, and how many points it holds: --mb megabytes, or `most_points` if that comes first."""
    target = int(megabytes * 2**20)
    points = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="bench" '
                     'xmlns="http://www.topografix.com/GPX/1/1" '
                     'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
                     "<trk><name>Long one</name><trkseg>\n")
        while handle.tell() < target and (most_points is None or points < most_points):
            moment = START + timedelta(seconds=points)
            # Back and forth along a line, about 1.3 m a second, never a jump.
            step = abs(points % 6000 - 3000)
            handle.write(f'<trkpt lat="{51.47 + step * 0.00001:.6f}" lon="{-0.046 + step * 0.00001:.6f}">'
                         f"<ele>{20 + points % 7}.4</ele>"
                         f"<time>{moment:%Y-%m-%dT%H:%M:%SZ}</time><extensions><gpxtpx:TrackPointExtension>"
                         f"<gpxtpx:hr>{130 + points % 30}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>"
                         "</trkpt>\n")
            points += 1
        handle.write("</trkseg></trk></gpx>\n")
    return points


def import_once(gpx: Path, db: Path, src: Path) -> tuple[float, float, str]:
    """Wall seconds, peak resident MB and the last line the command printed."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "glutetui", "import", "--db", str(db), str(gpx)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    output = child.stdout.read()
    _, _, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - began
    return seconds, usage.ru_maxrss / 1024, output.strip().splitlines()[-1] if output.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--src", type=Path, default=SRC)
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, src {args.src}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        points = write_gpx(folder / "long.gpx", args.mb)
        size = (folder / "long.gpx").stat().st_size / 2**20
        seconds, peak_mb, last = import_once(folder / "long.gpx", folder / "g.db", args.src.resolve())
        print(f"{size:.1f} MB, {points:,} points: {seconds:.1f} s, peak {peak_mb:.0f} MB RSS")
        print(f"  {last}")


if __name__ == "__main__":
    main()
