"""Locked and idle from systemd-logind on the D-Bus system bus.

Desktops tell logind about their session: the lock screens of GNOME, KDE and others set
the session's LockedHint, and a desktop that tracks idleness sets IdleHint with the
moment in IdleSinceHint. So this probe sees a locked screen on desktops with no idle
service of their own (sway, Hyprland and other Wayland compositors, where the locker
tells logind). Without IdleHint the time since input reads as none: only the lock counts.

Which session: the object path /org/freedesktop/login1/session/auto, which logind
resolves to the session this process belongs to, or, for a process outside any session
(a tmux server that systemd --user started), to the user's graphical session. systemd
before version 243 has no "auto"; there XDG_SESSION_ID names the session. A process
with neither (a system service) has no session, and so no probe.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from glutetui.services.idle import IdleReading, ProbeError, system_bus_address
from glutetui.services.idle.bus import call, connect, jeepney

TIMEOUT_S = 2.0
BUS_NAME = "org.freedesktop.login1"
MANAGER = ("/org/freedesktop/login1", BUS_NAME, "org.freedesktop.login1.Manager")
AUTO_SESSION = "/org/freedesktop/login1/session/auto"
SESSION_INTERFACE = "org.freedesktop.login1.Session"


def probe_for(environ: Mapping[str, str], platform: str) -> LogindProbe | None:
    address = system_bus_address(environ)
    if jeepney is None or address is None or not platform.startswith("linux"):
        return None
    return LogindProbe(address, environ.get("XDG_SESSION_ID") or None)


class LogindProbe:
    name = "systemd-logind session over D-Bus (LockedHint, IdleHint)"

    def __init__(self, address: str, session_id: str | None = None, timeout: float = TIMEOUT_S) -> None:
        self._address = address
        self._session_id = session_id
        self._timeout = timeout
        self._path: str | None = None  # the session object that answered

    def read(self) -> IdleReading:
        connection = connect(self._address, self._timeout / 4, "system")
        try:
            properties = self._properties(connection)
        finally:
            connection.close()
        locked = properties.get("LockedHint")
        idle = properties.get("IdleHint")
        since_us = properties.get("IdleSinceHint")
        if not isinstance(locked, bool) or not isinstance(idle, bool):
            raise ProbeError(f"the logind session has no LockedHint or IdleHint ({sorted(properties)})")
        seconds = 0.0
        if idle and isinstance(since_us, int) and since_us > 0:
            # IdleSinceHint is wall-clock microseconds; a clock set back must not give a negative idle time.
            seconds = max(0.0, time.time() - since_us / 1_000_000)
        return IdleReading(seconds, locked=locked)

    def _properties(self, connection) -> dict[str, object]:
        if self._path is not None:
            return self._get_all(connection, self._path)
        try:
            properties = self._get_all(connection, AUTO_SESSION)
            self._path = AUTO_SESSION
        except ProbeError:
            if self._session_id is None:
                raise
            path = call(connection, MANAGER, "GetSession", self._timeout / 4, "s", (self._session_id,))[0]
            properties = self._get_all(connection, path)
            self._path = path
        return properties

    def _get_all(self, connection, path: str) -> dict[str, object]:
        answer = call(connection, (path, BUS_NAME, "org.freedesktop.DBus.Properties"), "GetAll", self._timeout / 2,
                      "s", (SESSION_INTERFACE,))
        if len(answer) != 1 or not isinstance(answer[0], dict):
            raise ProbeError(f"{SESSION_INTERFACE} properties answered {answer!r}")
        return {name: value for name, (_signature, value) in answer[0].items()}
