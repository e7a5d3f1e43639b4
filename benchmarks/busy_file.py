"""The screen while another process holds the database's write lock for 6 s (issue 18).

The app runs in an 80x24 pseudo-terminal. This process takes the write lock (BEGIN
IMMEDIATE, as an import or a merge does), then presses `s` (stand), `3` (the Runs tab),
`1` and `b` (break), each once the last one showed, and times each key from the press to
the first output holding what it should show. After 6 s it lets the lock go and checks
that both states were stored. Target: every answer within 0.3 s, no key lost.

Usage: python -m benchmarks.busy_file [--runs 5]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.terminal import Terminal

HOLD_S = 6.0
KEYS = ((b"s", b"Standing since"), (b"3", b"Date"), (b"1", b"Tip of the day"), (b"b", b"On a break since"))


def one_run(folder: Path) -> dict[str, float]:
    db, config = folder / "busy.db", folder / "config.toml"
    db.unlink(missing_ok=True)
    config.write_text('working_hours = "always"\nbell = false\nremind_desktop = false\n')
    answers = {}
    with Terminal("-m", "glutetui", "--db", str(db), "--config", str(config)) as app:
        app.seconds_until(b"Sitting since")
        time.sleep(1.0)  # the deferred tabs are made after the first paint
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        locked_at = time.perf_counter()
        for key, marker in KEYS:
            mark = len(app.screen)
            pressed = time.perf_counter()
            app.press(key)
            while marker not in app.screen[mark:]:
                if time.perf_counter() - pressed > HOLD_S:
                    raise SystemExit(f"{key!r} showed nothing within {HOLD_S} s")
                time.sleep(0.001)
            answers[key.decode()] = time.perf_counter() - pressed
        if time.perf_counter() - locked_at > HOLD_S:
            raise SystemExit("the keys took longer than the lock was held: the run measured nothing")
        time.sleep(HOLD_S - (time.perf_counter() - locked_at))
        holder.execute("COMMIT")
        holder.close()
        time.sleep(1.5)  # the storage thread's turn
        app.press(b"\x11")
        time.sleep(1.0)
    stored = [row[0] for row in sqlite3.connect(db).execute("SELECT state FROM posture ORDER BY started_at")]
    if stored[-2:] != ["standing", "break"] and stored[-3:-1] != ["standing", "break"]:
        raise SystemExit(f"a key was lost: stored {stored}")
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        results = [one_run(Path(folder)) for _ in range(runs)]
    print(f"{runs} runs, the write lock held {HOLD_S:.0f} s by another process; key to screen, ms:")
    for key, _ in KEYS:
        times = sorted(result[key.decode()] * 1000 for result in results)
        print(f"  {key.decode()!r}: median {statistics.median(times):.0f}, worst {times[-1]:.0f}")
    print("every key stored after the lock was let go: yes")


if __name__ == "__main__":
    main()
