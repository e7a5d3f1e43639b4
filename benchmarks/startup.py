"""Start-up: process start to the first painted Today screen, against a bare Textual app.

Both programs start the same way, `python -m ...` in an 80x24 pseudo-terminal, and the
clock runs from the fork to the first output holding a marker: the Today pane's
"Sitting today" line for glutetui (painted once the day is read from the database),
the line between header and footer for the bare app (benchmarks/bare_app.py). Runs alternate between the two so both see the
same machine. glutetui opens a copy of the five-year database each run, since an open
app writes to its file.

With --src DIR (repeatable) it compares glutetui from other source folders instead,
for example a `git worktree` of an older commit: runs interleave, so all see the same
machine. That is how the before/after table in RESULTS.md was made. The bare app without
header and footer (the yardstick before issue 21) is timed beside it.

Usage: python -m benchmarks.startup [--runs 7] [--db five-years.db] [--src DIR ...]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from benchmarks import five_years
from benchmarks.terminal import Terminal, child_environment

TODAY_MARKER = b"Sitting today"
BARE_MARKER = b"is ready"


def glutetui_seconds(source: Path, folder: Path, src: Path | None = None) -> float:
    """Seconds to painted Today; `src` is another source folder of glutetui to run."""
    db = folder / "run.db"
    five_years.fresh_copy(source, db)
    config = folder / "config.toml"
    config.write_text('working_hours = "always"\nbell = false\n')
    env = child_environment(PYTHONPATH=str(src)) if src else None
    with Terminal("-m", "glutetui", "--db", str(db), "--config", str(config), env=env) as app:
        return app.seconds_until(TODAY_MARKER)


def bare_seconds(*options: str) -> float:
    with Terminal("-m", "benchmarks.bare_app", *options) as app:
        return app.seconds_until(BARE_MARKER)


def measure(source: Path, runs: int) -> tuple[list[float], list[float], list[float]]:
    """Seconds to the first paint: glutetui, the bare app, and the bare app after glutetui's imports."""
    ours, bare, imports = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        glutetui_seconds(source, Path(folder))  # one unmeasured start each: fills the disk and bytecode caches
        bare_seconds()
        for _ in range(runs):
            ours.append(glutetui_seconds(source, Path(folder)))
            bare.append(bare_seconds())
            imports.append(bare_seconds("--with-glutetui-imports"))
    return ours, bare, imports


def compare(source: Path, runs: int, sources: list[Path]) -> dict[str, list[float]]:
    """Seconds to painted Today for glutetui from each source folder, and the bare app."""
    timings: dict[str, list[float]] = {str(src): [] for src in sources} | {"bare Textual app": [],
                                                                            "bare app, Static only": []}
    with tempfile.TemporaryDirectory() as folder:
        for src in sources:
            glutetui_seconds(source, Path(folder), src)  # unmeasured: caches
        for _ in range(runs):
            for src in sources:
                timings[str(src)].append(glutetui_seconds(source, Path(folder), src))
            timings["bare Textual app"].append(bare_seconds())
            timings["bare app, Static only"].append(bare_seconds("--static-only"))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    five_years.add_db_option(parser)
    parser.add_argument("--src", type=Path, action="append", help="compare glutetui from this source folder")
    args = parser.parse_args()
    with five_years.given_or_made(args.db) as source:
        if args.src:
            timings = compare(source, args.runs, args.src)
            bare_median = statistics.median(timings["bare Textual app"])
            for name, seconds in timings.items():
                print(f"{name}: median {statistics.median(seconds):.3f} s, "
                      f"{statistics.median(seconds) / bare_median:.2f} x the bare app")
            return
        ours, bare, imports = measure(source, args.runs)
    print("glutetui to Today: " + ", ".join(f"{s:.3f}" for s in ours) + " s")
    print("bare Textual app:  " + ", ".join(f"{s:.3f}" for s in bare) + " s")
    print("bare app after glutetui's imports: " + ", ".join(f"{s:.3f}" for s in imports) + " s")
    ratio = statistics.median(ours) / statistics.median(bare)
    print(f"median {statistics.median(ours):.3f} s against {statistics.median(bare):.3f} s: "
          f"ratio {ratio:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
