"""How long the user has not touched keyboard or mouse, and whether the screen is locked.

The sitting tracker asks every few seconds, so time away from the desk is not counted as
sitting. Each system has its own way to tell; the first probe that answers here wins, and
without one the tracker works from suspend gaps and the user's keys alone.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

NO_PROBE_TEXT = "none found: only suspend gaps and the keys count as away"


@dataclass(frozen=True)
class IdleReading:
    idle_seconds: float      # seconds since the last keyboard or mouse input
    locked: bool = False     # screen locked or screen saver on, where the system reports it


class ProbeError(Exception):
    """A probe that worked stopped working (display gone, bus gone, timeout)."""


class IdleProbe(Protocol):
    name: str

    def read(self) -> IdleReading:
        """Raises ProbeError only, and returns within about 2 s."""


# Each probe module, in the order they are tried, with what the environment must have for
# it to have a chance. Only those modules are imported: ctypes, jeepney or subprocess cost
# the app's start-up time even where the probe could never answer. probe_for decides the rest.
_PROBES = (
    ("x11", lambda environ, platform: bool(environ.get("DISPLAY"))),
    ("mutter", lambda environ, platform: bool(environ.get("DBUS_SESSION_BUS_ADDRESS"))),
    ("macos", lambda environ, platform: platform == "darwin"),
    ("windows", lambda environ, platform: platform == "win32"),
)


def find_probe(environ: Mapping[str, str] | None = None, platform: str | None = None) -> IdleProbe | None:
    """The first probe that works here (tries a real read), or None."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    for name, possible in _PROBES:
        if not possible(environ, platform):
            continue
        # Imported here, not at the top: each probe module imports the types above.
        module = importlib.import_module(f"{__name__}.{name}")
        probe = module.probe_for(environ, platform)
        if probe is not None and _answers(probe):
            return probe
    return None


def _answers(probe: IdleProbe) -> bool:
    try:
        probe.read()
    except ProbeError:
        return False
    return True
