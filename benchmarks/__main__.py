"""Every issue 9 and issue 21 benchmark, with a verdict against each target.

Usage: python -m benchmarks [--runs 7] [--idle-seconds 60] [--warmup-runs 3] [--write]

Most run on one five-year database; the status line's also on 1 and 10 years, the export
on 10. It takes about 20 minutes with the defaults (the idle stretches, the status and
import rounds, and three real 164 s warm-ups are most of it). `--write` puts the table into benchmarks/RESULTS.md between
its markers; the rest of that file is written by hand. Linux only (pty and /proc).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path

import textual

from benchmarks import five_years, idle_today, import_export, runs_tab, startup, status_speed, warmup_timer, week_report

RESULTS = Path(__file__).with_name("RESULTS.md")
BEGIN = "<!-- python -m benchmarks: begin -->"
END = "<!-- python -m benchmarks: end -->"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores ({cpu}), {memory_gib:.0f} GiB, {platform.system()} {platform.release()}, "
            f"{platform.python_implementation()} {platform.python_version()}, Textual {textual.__version__}")


def row(what: str, values: list[float], unit: str, digits: int, target: str = "", met: bool | None = None,
        median: float | None = None) -> str:
    """A table row; `met` None is a measurement with no target of its own."""
    middle = statistics.median(values) if median is None else median
    spread = f"{min(values):.{digits}f}-{max(values):.{digits}f}"
    verdict = "" if met is None else "met" if met else "**missed**"
    return f"| {what} | {target} | **{middle:.{digits}f} {unit}** | {spread} | {len(values)} | {verdict} |"


def run_all(args: argparse.Namespace) -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "five-years.db"
        lines.append(f"Database: {five_years.describe(db, five_years.build(db))}.")
        lines.append(f"Machine: {machine()}.")
        lines += ["", "| what | target | median | range | runs | verdict |", "| --- | --- | --- | --- | --- | --- |"]

        print("start-up ...", file=sys.stderr)
        ours, bare, imports = startup.measure(db, args.runs)
        ratios = [o / b for o, b in zip(ours, bare)]
        ratio = statistics.median(ours) / statistics.median(bare)
        lines.append(row("start-up to painted Today", [s * 1000 for s in ours], "ms", 0))
        lines.append(row("start-up of a bare Textual app", [s * 1000 for s in bare], "ms", 0))
        lines.append(row("the bare app after importing what glutetui imports", [s * 1000 for s in imports], "ms", 0))
        lines.append(row("start-up ratio (median over median; range: run by run)", ratios, "x", 2, "<= 1.5",
                         ratio <= 1.5, median=ratio))

        print("week report ...", file=sys.stderr)
        inside = week_report.in_process_ms(db, args.runs * 3)
        lines.append(row("week + 12-week trends + insights, in-process", inside, "ms", 1, "< 100 ms",
                         statistics.median(inside) < 100))
        whole = week_report.whole_process_ms(db, args.runs)
        lines.append(row("`glutetui report --json`, whole process", whole, "ms", 0))

        print(f"idle for {args.idle_seconds:.0f} s x {args.runs // 2 or 1} ...", file=sys.stderr)
        idle, bare_idle = idle_today.measure_against_bare(db, args.idle_seconds, max(1, args.runs // 2))
        cpu, rss = [r[0] for r in idle], [r[1] for r in idle]
        lines.append(row(f"CPU, open on Today for {args.idle_seconds:.0f} s", cpu, "%", 2, "< 0.5 % of a core",
                         statistics.median(cpu) < 0.5))
        lines.append(row("CPU of the bare app, the same time", bare_idle, "%", 2))
        idle_ratio = statistics.median(cpu) / statistics.median(bare_idle)
        lines.append(row("idle CPU ratio (median over median)", [c / b for c, b in zip(cpu, bare_idle)], "x", 2,
                         "<= 2", idle_ratio <= 2, median=idle_ratio))
        lines.append(row("peak RSS (VmHWM) of those runs", rss, "MB", 1, "< 80 MB", max(rss) < 80))

        print("Runs tab against Settings ...", file=sys.stderr)
        tabs = runs_tab.measure(db, max(1, args.runs // 2), 4)[None]
        first, later = runs_tab.ratios(tabs)
        lines.append(row("Runs tab, first opening", [t * 1000 for t in tabs["runs first"]], "ms", 0))
        lines.append(row("Settings tab, first opening", [t * 1000 for t in tabs["settings first"]], "ms", 0))
        lines.append(row("Runs / Settings, first opening (median over median)", [first], "x", 2, "<= 1.5",
                         first <= 1.5, median=first))
        lines.append(row("Runs / Settings, later openings", [later], "x", 2, "<= 1.5", later <= 1.5,
                         median=later))

        if args.warmup_runs:
            print(f"warm-up x {args.warmup_runs} ...", file=sys.stderr)
            results = warmup_timer.measure("pre-run", args.warmup_runs, 5.0, db)
            noticed = [abs(r[2]) for r in results]
            stored = [abs(r[1]) for r in results]
            planned = results[0][0]
            lines.append(row(f"warm-up end as shown, off by (pre-run, {planned:.0f} s + a 5 s pause)", noticed, "s",
                             3, "within 0.2 s", max(noticed) <= 0.2))
            lines.append(row("warm-up end as stored, off by", stored, "s", 3, "within 0.2 s", max(stored) <= 0.2))

    print("status line ...", file=sys.stderr)
    status = status_speed.measure(args.runs)
    spent, ratios = status["processes_ms"], status["ratios"]
    lines.append(row('`python -c "import sqlite3"`', [spent['python -c "import sqlite3"']], "ms", 0))
    lines.append(row("`glutetui status`, whole process, 5 years", [spent["status, 5 years"]], "ms", 0))
    for what, key, target in (("status / import sqlite3", "status / import sqlite3 (5 years)", 3.0),
                              ("status, 10 years / 1 year", "status 10 years / 1 year", 1.2),
                              ("status read in-process, 10 years / 1 year",
                               "status read in-process 10 years / 1 year", 1.2),
                              ("Today's load, 10 years / 1 year", "Today's load 10 years / 1 year", 1.2)):
        lines.append(row(what, [ratios[key]], "x", 2, f"<= {target}", ratios[key] <= target))

    print("import, merge and export ...", file=sys.stderr)
    moved = import_export.measure([import_export.SRC], max(3, args.runs // 2), 50_000,
                                  import_export.TEN_YEARS)[import_export.SRC]
    lines.append(row("GPX of 50,000 points: the same file again / first", [moved["reimport_ratio"]], "x", 2,
                     f"<= {import_export.REIMPORT_TARGET}", moved["reimport_ratio"] <= import_export.REIMPORT_TARGET))
    lines.append(row("merge adding nothing / adding everything", [moved["noop_merge_ratio"]], "x", 2))
    peak = max(moved["json_export_peak_mb"], moved["csv_export_peak_mb"])
    lines.append(row("export of 10 years, peak RSS (JSON or CSV)", [peak], "MB", 0,
                     f"< {import_export.EXPORT_TARGET_MB} MB", peak < import_export.EXPORT_TARGET_MB))

    command = " ".join(["python -m benchmarks", *sys.argv[1:]])
    lines += ["", f"Made on {date.today():%Y-%m-%d} by `{command}`."]
    return lines


def write_results(lines: list[str]) -> None:
    text = RESULTS.read_text()
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    RESULTS.write_text(head + BEGIN + "\n" + "\n".join(lines) + "\n" + END + tail)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each start-up and report measurement")
    parser.add_argument("--idle-seconds", type=float, default=60.0)
    parser.add_argument("--warmup-runs", type=int, default=3, help="0 leaves the 3-minute warm-ups out")
    parser.add_argument("--write", action="store_true", help=f"put the table into {RESULTS.name}")
    args = parser.parse_args()
    lines = run_all(args)
    print("\n".join(lines))
    if args.write:
        if BEGIN not in RESULTS.read_text():
            raise SystemExit(f"{RESULTS} has no {BEGIN} marker; add the two markers where the table goes")
        write_results(lines)


if __name__ == "__main__":
    main()
