"""Real servers for tests: a private D-Bus session bus, and the helpers that start, wait
for and stop a server; shared by the idle probe and the notification tests."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

try:
    import jeepney
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
