"""The real `glutetui` in an 80x24 pseudo-terminal, as a runner's terminal runs it."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import sys
import termios
import threading
import time
from collections.abc import Callable


class TerminalApp:
    """`glutetui ARGS...` in a pty; everything it draws is kept in `output` as bytes.

    With `faketime` (a libfaketime spec such as "-10m x6") the app lives on that clock,
    wall and monotonic alike, as `faketime -f SPEC glutetui` would run it.

    With `clock_file`, the app's wall clock is the libfaketime spec in that file, read anew
    at each look ("+5m" moves it five minutes ahead), while its monotonic clock and every
    time limit stay real. A sped-up clock shortens time limits too: a bus call's 2 s becomes
    33 ms at x60, which a loaded machine misses."""

    def __init__(self, *args: str, faketime: str | None = None, clock_file: str | None = None) -> None:
        self.output = bytearray()
        command = [sys.executable, "-m", "glutetui", *args]
        environment = {**os.environ, "TERM": "xterm-256color"}
        if faketime is not None:
            command = ["faketime", "-f", faketime, *command]
        elif clock_file is not None:
            # faketime preloads its library; FAKETIME is dropped so the library reads the file.
            command = ["faketime", "-f", "+0", "env", "-u", "FAKETIME", *command]
            environment.update(FAKETIME_TIMESTAMP_FILE=clock_file, FAKETIME_NO_CACHE="1",
                               FAKETIME_DONT_FAKE_MONOTONIC="1")
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
                os.execvpe(command[0], command, environment)
            finally:
                os._exit(127)  # a failed exec must not go on running pytest in the child
        self.alive = True
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def wait_for(self, shown: bytes | Callable[[], bool], timeout: float = 30.0) -> None:
        """Until the screen holds `shown` (or the condition holds)."""
        condition = shown if callable(shown) else lambda: shown in self.output
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {shown!r}; the screen so far: {self.tail()!r}")
            time.sleep(0.02)

    def tail(self) -> bytes:
        return bytes(self.output[-2000:])

    def press(self, data: bytes) -> None:
        os.write(self.fd, data)

    def running(self) -> bool:
        """Whether the app is still up (an exit it made is collected here)."""
        if self.alive:
            pid, _status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.alive = False
                self._close()
        return self.alive

    def kill(self) -> None:
        """kill -9, and wait for it to be gone."""
        os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def exit_status(self, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.alive = False
                self._close()
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.05)
        raise AssertionError(f"the app did not exit within {timeout} s; its screen: {self.tail()!r}")

    def _reap(self) -> None:
        if self.alive:
            os.waitpid(self.pid, 0)
            self.alive = False
        self._close()

    def _close(self) -> None:
        # The reader sees EIO once the child is gone; only then may its fd number be reused.
        self._reader.join(timeout=5)
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> TerminalApp:
        return self

    def __exit__(self, *exc) -> None:
        if self.alive:  # never leave an app behind when a test fails
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._reap()
