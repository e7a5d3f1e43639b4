"""What the open app costs while it only tracks: CPU and memory on the Today tab.

Starts the real `glutetui` in an 80x24 pseudo-terminal with working hours
"always" (so the tracker ticks whatever the time), waits for Today to show the
tracker, then reads the process's CPU time and peak memory from /proc over a
quiet stretch. Linux only (it reads /proc).

Usage: python -m benchmarks.idle_today [--seconds 60] [--runs 1]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import statistics
import struct
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_run(folder: Path, seconds: float) -> tuple[float, float]:
    config = folder / "config.toml"
    config.write_text('working_hours = "always"\nbell = false\n')
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execvpe(sys.executable, [sys.executable, "-m", "glutetui", "--db", str(folder / "bench.db"),
                                    "--config", str(config)], {**os.environ, "TERM": "xterm-256color"})
    screen = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            screen.extend(chunk)

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + 30
        while b"Sitting since" not in screen:
            if time.monotonic() > deadline:
                raise SystemExit("the app did not show the tracker within 30 s")
            time.sleep(0.1)
        time.sleep(2)  # let start-up work settle before measuring the quiet stretch
        before, started = cpu_seconds(pid), time.monotonic()
        time.sleep(seconds)
        used, elapsed = cpu_seconds(pid) - before, time.monotonic() - started
        return 100 * used / elapsed, peak_rss_mb(pid)
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    results = []
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as folder:
            cpu, rss = one_run(Path(folder), args.seconds)
        results.append((cpu, rss))
        print(f"run {run}: {cpu:.2f} % of one core over {args.seconds:.0f} s, peak RSS {rss:.1f} MB")
    print(f"median: {statistics.median(r[0] for r in results):.2f} % CPU, "
          f"{statistics.median(r[1] for r in results):.1f} MB peak RSS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
