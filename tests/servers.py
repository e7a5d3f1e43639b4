"""Real servers for tests: a private D-Bus session bus, and the helpers that start, wait
for and stop a server; shared by the idle probe and the notification tests."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Self

import pytest

try:
    import jeepney
    from jeepney.io.blocking import open_dbus_connection
    from jeepney.wrappers import unwrap_msg
except ImportError:
    jeepney = None

START_TIMEOUT_S = 10


def require(found: object, what: str) -> None:
    """Skip a test whose tool is missing; but CI installs them all, so there a missing one
    is a broken setup that a skip would hide."""
    if found:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing, though CI should have installed it")
    pytest.skip(f"{what} is missing")


@dataclass
class Server:
    address: str
    process: subprocess.Popen


def first_line(fd: int, process: subprocess.Popen, what: str) -> str:
    """The line a starting server writes once it accepts clients."""
    deadline = time.monotonic() + START_TIMEOUT_S
    data = b""
    while not data.endswith(b"\n"):
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            pytest.fail(f"{what} was not ready within {START_TIMEOUT_S} s")
        chunk = os.read(fd, 1024)
        if not chunk:
            pytest.fail(f"{what} exited with status {process.wait()} before it was ready")
        data += chunk
    return data.decode().strip()


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


BUS_CONFIG = """<busconfig>
  <type>session</type>
  <listen>unix:dir={directory}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@contextmanager
def private_session_bus() -> Iterator[Server]:
    """A session bus of our own, so no test ever sends to the user's desktop."""
    require(shutil.which("dbus-daemon"), "the program dbus-daemon (apt package dbus)")
    require(jeepney, "the Python package jeepney")
    # Not pytest's tmp_path: a unix socket path must stay under 108 bytes.
    directory = tempfile.mkdtemp(prefix="glutetui-bus-")
    config = os.path.join(directory, "session.conf")
    with open(config, "w", encoding="utf-8") as file:
        file.write(BUS_CONFIG.format(directory=directory))
    process = subprocess.Popen(["dbus-daemon", "--config-file", config, "--nofork", "--print-address"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        yield Server(first_line(process.stdout.fileno(), process, "dbus-daemon"), process)
    finally:
        stop(process)
        process.stdout.close()
        shutil.rmtree(directory, ignore_errors=True)


class FakeBusService:
    """A service of the test's own on a real bus: it owns `names` and answers method calls
    from a thread while the `with` block runs. With answers=False it takes every call and
    never replies, like a desktop that hangs. Subclasses say what to answer in _reply_to."""

    def __init__(self, address: str, names: tuple[str, ...], answers: bool = True) -> None:
        self._answers = answers
        self._send_lock = threading.Lock()  # the serving thread replies while a test emits signals
        self._connection = open_dbus_connection(address)
        for name in names:
            self._own(name)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        self._connection.close()

    def _own(self, name: str) -> None:
        request = jeepney.message_bus.RequestName(name, jeepney.DBusNameFlags.do_not_queue)
        reply = self._connection.send_and_get_reply(request, timeout=5)
        assert unwrap_msg(reply) == (1,)  # DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                message = self._connection.receive(timeout=0.05)
            except TimeoutError:
                continue
            if message.header.message_type is not jeepney.MessageType.method_call:
                continue  # the bus's own signals, such as NameAcquired
            reply = self._reply_to(message)  # also records the call, answered or not
            if self._answers:
                self.send(reply)
                self._after_reply(message)

    def send(self, message) -> None:
        with self._send_lock:
            self._connection.send(message)

    def _after_reply(self, call) -> None:
        """What the service does once it has answered `call` (a signal, say)."""

    def _reply_to(self, call):
        raise NotImplementedError
