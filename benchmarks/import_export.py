"""Import, merge and export with years of data (issue 21): each the real command in a child process.

Usage: python -m benchmarks.import_export [--runs 5] [--points 50000] [--export-weeks 520] [--src DIR ...]

- GPX again: `glutetui import` of one --points GPX file (benchmarks.large_gpx writes it)
  into an empty database, then the same command again. Target: the second at most 0.2x
  the first (the whole command, median).
- A merge that adds nothing: `glutetui merge` of the five-year database into a copy of
  itself, against the merge of it into an empty database (the baseline: every row added).
- Export: peak resident memory (the child's ru_maxrss) of `glutetui export` of a
  --export-weeks database (520: ten years), JSON and CSV. Target: < 150 MB.

With --src DIR (repeatable) it measures glutetui from other source folders, e.g. main's
worktree and this one; rounds interleave, so every version sees the same machine. Each
version gets databases made by its own code (the same seed, so the same rows).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.large_gpx import write_gpx

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
TEN_YEARS = 520
EXPORT_TARGET_MB = 150
REIMPORT_TARGET = 0.2


@dataclass
class Child:
    seconds: float
    peak_mb: float
    output: str


# The child prints its own peak (VmHWM) as it exits. ru_maxrss from wait4 is no use here:
# Linux carries the parent's resident size at the fork into it, so under `python -m
# benchmarks`, whose process had grown to 150 MB, every child "peaked" at 150 MB.
PEAK_MARK = "glutetui-benchmark-peak-kb:"
WITH_PEAK = (
    "import atexit, runpy, sys\n"
    "def peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    f"            print('{PEAK_MARK}', line.split()[1], file=sys.stderr)\n"
    "atexit.register(peak)\n"
    "how, what, *rest = sys.argv[1:]\n"
    "if how == '-m':\n"
    "    sys.argv = [what, *rest]\n"
    "    runpy.run_module(what, run_name='__main__', alter_sys=True)\n"
    "else:\n"
    "    sys.argv = ['-c', *rest]\n"
    "    exec(compile(what, '<benchmark>', 'exec'), {'__name__': '__main__'})\n"
)


def run_child(src: Path, *args: str) -> Child:
    """`python -m MODULE ARGS` or `python -c CODE ARGS` with glutetui from `src`: wall time and peak RSS."""
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{ROOT}"}
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WITH_PEAK, *args], capture_output=True, env=env, text=True,
                          check=False)
    seconds = time.perf_counter() - began
    output = (done.stdout + done.stderr).replace("\r", "")
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed with glutetui from {src}:\n{output}")
    kept = [line for line in output.splitlines() if not line.startswith(PEAK_MARK)]
    peak_kb = [int(line.split()[1]) for line in output.splitlines() if line.startswith(PEAK_MARK)]
    return Child(seconds, peak_kb[-1] / 1024, "\n".join(kept).strip())


def glutetui(src: Path, *args: str) -> Child:
    return run_child(src, "-m", "glutetui", *args)


def copy_db(source: Path, target: Path) -> Path:
    """A copy through SQLite's backup, so nothing left in a -wal file is missed."""
    for leftover in (target, target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)
    with sqlite3.connect(source) as old, sqlite3.connect(target) as new:
        old.backup(new)
    old.close()
    new.close()
    return target


@dataclass
class Version:
    """One source folder's databases and measurements."""

    src: Path
    folder: Path
    first_import: list[float] = field(default_factory=list)
    reimport: list[float] = field(default_factory=list)
    full_merge: list[float] = field(default_factory=list)
    noop_merge: list[float] = field(default_factory=list)
    json_peak: list[float] = field(default_factory=list)
    csv_peak: list[float] = field(default_factory=list)
    json_seconds: list[float] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # what the commands said, once

    def prepare(self, export_weeks: int) -> None:
        self.folder.mkdir()
        code = ("import sys; from pathlib import Path; from benchmarks import five_years; "
                "from glutetui.store.db import open_store; "
                "five_years.build(Path(sys.argv[1])); five_years.build(Path(sys.argv[2]), int(sys.argv[3])); "
                "open_store(Path(sys.argv[4])).close()")
        run_child(self.src, "-c", code, str(self.five), str(self.many_years), str(export_weeks), str(self.empty))

    @property
    def five(self) -> Path:
        return self.folder / "five-years.db"

    @property
    def many_years(self) -> Path:
        return self.folder / "many-years.db"

    @property
    def empty(self) -> Path:
        return self.folder / "empty.db"

    def round(self, gpx: Path) -> None:
        target = copy_db(self.empty, self.folder / "gpx.db")
        first = glutetui(self.src, "import", "--db", str(target), str(gpx))
        again = glutetui(self.src, "import", "--db", str(target), str(gpx))
        self.first_import.append(first.seconds)
        self.reimport.append(again.seconds)

        target = copy_db(self.empty, self.folder / "merge.db")
        full = glutetui(self.src, "merge", "--db", str(target), str(self.five))
        target = copy_db(self.five, self.folder / "merge.db")
        noop = glutetui(self.src, "merge", "--db", str(target), str(self.five))
        self.full_merge.append(full.seconds)
        self.noop_merge.append(noop.seconds)

        out = self.folder / "export.json"
        out.unlink(missing_ok=True)
        as_json = glutetui(self.src, "export", "--db", str(self.many_years), "--out", str(out))
        shutil.rmtree(self.folder / "export-csv", ignore_errors=True)
        as_csv = glutetui(self.src, "export", "--db", str(self.many_years), "--format", "csv",
                          "--out", str(self.folder / "export-csv"))
        self.json_peak.append(as_json.peak_mb)
        self.json_seconds.append(as_json.seconds)
        self.csv_peak.append(as_csv.peak_mb)
        if not self.lines:
            self.lines = [first.output, again.output, full.output, noop.output, as_json.output]

    def numbers(self) -> dict[str, float]:
        median = statistics.median
        return {
            "first_import_s": median(self.first_import), "reimport_s": median(self.reimport),
            "reimport_ratio": median(self.reimport) / median(self.first_import),
            "full_merge_s": median(self.full_merge), "noop_merge_s": median(self.noop_merge),
            "noop_merge_ratio": median(self.noop_merge) / median(self.full_merge),
            "json_export_peak_mb": median(self.json_peak), "csv_export_peak_mb": median(self.csv_peak),
            "json_export_s": median(self.json_seconds),
        }


def measure(srcs: list[Path], runs: int, points: int, export_weeks: int) -> dict[Path, dict[str, float]]:
    """The medians of `runs` interleaved rounds, per source folder."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        gpx = folder / "long.gpx"
        write_gpx(gpx, 1000.0, most_points=points)
        versions = [Version(src, folder / f"v{index}") for index, src in enumerate(srcs)]
        for version in versions:
            print(f"making the databases for {version.src} ...", file=sys.stderr)
            version.prepare(export_weeks)
        for version in versions:  # unmeasured: fills the disk and bytecode caches
            glutetui(version.src, "--version")
        for number in range(runs):
            print(f"round {number + 1} of {runs} ...", file=sys.stderr)
            for version in versions:
                version.round(gpx)
        for version in versions:
            print(f"\n{version.src} said:\n  " + "\n  ".join(version.lines), file=sys.stderr)
        return {version.src: version.numbers() for version in versions}


def table(results: dict[Path, dict[str, float]], runs: int) -> list[str]:
    lines = [f"| what | target | {' | '.join(str(src) for src in results)} |",
             f"| --- | --- | {' | '.join('---' for _ in results)} |"]
    rows = [
        ("GPX: first import (s)", "", "first_import_s", "{:.2f}"),
        ("GPX: the same file again (s)", "", "reimport_s", "{:.2f}"),
        ("GPX: again / first", f"<= {REIMPORT_TARGET}", "reimport_ratio", "**{:.2f}**"),
        ("merge: into an empty database (s)", "", "full_merge_s", "{:.2f}"),
        ("merge: adding nothing (s)", "", "noop_merge_s", "{:.2f}"),
        ("merge: nothing / everything", "", "noop_merge_ratio", "**{:.2f}**"),
        ("export JSON: peak RSS (MB)", f"< {EXPORT_TARGET_MB}", "json_export_peak_mb", "**{:.0f}**"),
        ("export CSV: peak RSS (MB)", f"< {EXPORT_TARGET_MB}", "csv_export_peak_mb", "**{:.0f}**"),
        ("export JSON: time (s)", "", "json_export_s", "{:.2f}"),
    ]
    for what, target, key, shape in rows:
        lines.append(f"| {what} | {target} | {' | '.join(shape.format(n[key]) for n in results.values())} |")
    lines.append(f"\nMedians of {runs} interleaved rounds.")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--points", type=int, default=50_000, help="points in the GPX file")
    parser.add_argument("--export-weeks", type=int, default=TEN_YEARS, help="history of the exported database")
    parser.add_argument("--src", type=Path, action="append", help="a glutetui source folder (repeatable)")
    args = parser.parse_args()
    srcs = [src.resolve() for src in args.src or [SRC]]
    print("\n".join(table(measure(srcs, args.runs, args.points, args.export_weeks), args.runs)))


if __name__ == "__main__":
    main()
