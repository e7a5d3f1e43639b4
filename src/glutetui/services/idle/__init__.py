"""How long the user has not touched keyboard or mouse, and whether the screen is locked.

The sitting tracker asks every few seconds, so time away from the desk is not counted as
sitting. Each system has its own way to tell; the first probe that answers here wins, and
without one the tracker works from suspend gaps and the user's keys alone. The order:

1. x11: the X server's XScreenSaver idle time and state (DISPLAY set, not under Wayland);
2. mutter: GNOME's IdleMonitor and screen saver on the session bus (GNOME on Wayland);
3. screensaver: org.freedesktop.ScreenSaver on the session bus (KDE Plasma, Xfce);
4. logind: the session's LockedHint and IdleHint from systemd-logind on the system bus
   (sway, Hyprland and other desktops whose locker tells logind);
5. macos, 6. windows: the system's own idle time.

A locked screen is away at once. Many X11 and some KDE lock screens tell logind but not
the first probe, so when one of 1-3 wins and logind answers too, logind's LockedHint is
asked as well: locked when either says so.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Mapping
from typing import Protocol

from glutetui.domain.record import record

NO_PROBE_TEXT = "none found: only suspend gaps and the keys count as away"


@record
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
    ("screensaver", lambda environ, platform: bool(environ.get("DBUS_SESSION_BUS_ADDRESS"))),
    ("logind", lambda environ, platform: platform.startswith("linux") and system_bus_address(environ) is not None),
    ("macos", lambda environ, platform: platform == "darwin"),
    ("windows", lambda environ, platform: platform == "win32"),
)
# The probes whose lock state logind's LockedHint may complete.
_LOCK_FROM_LOGIND = ("x11", "mutter", "screensaver")
SYSTEM_BUS_SOCKET = "/run/dbus/system_bus_socket"  # the system bus when DBUS_SYSTEM_BUS_ADDRESS is unset


def system_bus_address(environ: Mapping[str, str]) -> str | None:
    """Where the D-Bus system bus is, or None where there is none."""
    address = environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    if address:
        return address
    return f"unix:path={SYSTEM_BUS_SOCKET}" if os.path.exists(SYSTEM_BUS_SOCKET) else None


def find_probe(environ: Mapping[str, str] | None = None, platform: str | None = None) -> IdleProbe | None:
    """The first probe that works here (tries a real read), or None."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    for name, possible in _PROBES:
        probe = _probe(name, possible, environ, platform)
        if probe is None:
            continue
        if name in _LOCK_FROM_LOGIND and dict(_PROBES)["logind"](environ, platform):
            # logind is looked up at the first read, on the probe's thread: at start-up it
            # would cost jeepney's import and a round trip before the first paint.
            return WithSessionLock(probe, lambda: _probe("logind", dict(_PROBES)["logind"], environ, platform))
        return probe
    return None


def _probe(name: str, possible, environ: Mapping[str, str], platform: str) -> IdleProbe | None:
    if not possible(environ, platform):
        return None
    # Imported here, not at the top: each probe module imports the types above.
    module = importlib.import_module(f"{__name__}.{name}")
    probe = module.probe_for(environ, platform)
    return probe if probe is not None and _answers(probe) else None


class WithSessionLock:
    """An idle probe whose lock state logind's LockedHint completes. logind is looked up at
    the first read; where it does not answer, or once it stops, the idle probe goes on alone."""

    def __init__(self, probe: IdleProbe, find_session: Callable[[], IdleProbe | None]) -> None:
        self.probe = probe
        self.session: IdleProbe | None = None
        self._find_session: Callable[[], IdleProbe | None] | None = find_session

    @property
    def name(self) -> str:
        if self.session is None:
            return self.probe.name
        return f"{self.probe.name}, with the lock from {self.session.name}"

    def read(self) -> IdleReading:
        reading = self.probe.read()
        if self._find_session is not None:
            find, self._find_session = self._find_session, None
            self.session = find()
        if reading.locked or self.session is None:
            return reading
        try:
            locked = self.session.read().locked
        except ProbeError:
            self.session = None
            return reading
        return IdleReading(reading.idle_seconds, locked=locked)


def _answers(probe: IdleProbe) -> bool:
    try:
        probe.read()
    except ProbeError:
        return False
    return True
