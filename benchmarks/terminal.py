"""A program in an 80x24 pseudo-terminal, as a user's terminal runs it, plus /proc readings.

Linux only: the benchmarks read CPU time and memory from /proc.
"""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import sys
import termios
import threading
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def child_environment(**extra: str) -> dict[str, str]:
    """The caller's environment for a user's terminal. Bytecode may be written: an
    installed package has it (pip compiles on install), and a run without it would
    time the compiler, not the app."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**environment, "TERM": "xterm-256color", **extra}


class Terminal:
    """Starts `python ARGS...` in a pty and collects what it paints.

    `started` is taken just before the fork, so a time measured from it includes the
    interpreter's own start-up, the imports and the first paint.
    """

    def __init__(self, *args: str, columns: int = 80, lines: int = 24, env: dict[str, str] | None = None) -> None:
        self.screen = bytearray()
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child becomes the program
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
            os.execvpe(sys.executable, [sys.executable, *args], env or child_environment())
        self.seen: dict[bytes, float] = {}
        self._wanted: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            now = time.perf_counter()
            self.screen.extend(chunk)
            for marker in self._wanted:
                # Only the tail can hold a marker that was not there before this chunk.
                if marker not in self.seen and marker in self.screen[-(len(chunk) + len(marker)):]:
                    self.seen[marker] = now

    def seconds_until(self, marker: bytes, timeout: float = 60.0) -> float:
        """Seconds from the fork to the first output holding `marker`."""
        self._wanted.append(marker)
        if marker in self.screen and marker not in self.seen:
            self.seen[marker] = time.perf_counter()  # painted before we asked: a late, safe reading
        deadline = time.monotonic() + timeout
        while marker not in self.seen:
            if time.monotonic() > deadline:
                raise SystemExit(f"{marker.decode()!r} did not appear within {timeout:.0f} s; "
                                 f"the screen ended with {bytes(self.screen[-400:])!r}")
            time.sleep(0.002)
        return self.seen[marker] - self.started

    def press(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
