"""Idle time on macOS from the HID system's HIDIdleTime, as the stock `ioreg` tool shows it.

A subprocess rather than IOKit through ctypes: ioreg ships with every macOS, and its text
is stable enough that one regular expression reads it.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping

from glutetui.services.idle import IdleReading, ProbeError

TIMEOUT_S = 2.0
IOREG_COMMAND = ("ioreg", "-c", "IOHIDSystem", "-d", "4", "-r")

_HID_IDLE_TIME = re.compile(r'"HIDIdleTime"\s*=\s*(\d+)')


def probe_for(environ: Mapping[str, str], platform: str) -> MacOSProbe | None:
    return MacOSProbe() if platform == "darwin" else None


def parse_hid_idle_seconds(ioreg_text: str) -> float:
    """Seconds since the last input, from `ioreg -c IOHIDSystem` output (HIDIdleTime is in ns)."""
    # Some Macs list more than one IOHIDSystem; the freshest input is the one that counts.
    nanoseconds = [int(value) for value in _HID_IDLE_TIME.findall(ioreg_text)]
    if not nanoseconds:
        raise ProbeError("ioreg printed no HIDIdleTime")
    return min(nanoseconds) / 1e9


class MacOSProbe:
    name = "macOS HIDIdleTime (ioreg)"

    def read(self) -> IdleReading:
        # macOS does not say here whether the screen is locked, so locked stays False.
        return IdleReading(parse_hid_idle_seconds(_run_ioreg()))


def _run_ioreg() -> str:
    try:
        finished = subprocess.run(IOREG_COMMAND, capture_output=True, encoding="utf-8", errors="replace",
                                  stdin=subprocess.DEVNULL, timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        raise ProbeError(f"ioreg failed: {error}") from error
    if finished.returncode != 0:
        raise ProbeError(f"ioreg exited with status {finished.returncode}")
    return finished.stdout
