"""Locked and idle from org.freedesktop.ScreenSaver on the D-Bus session bus.

KDE Plasma serves it (X11 and Wayland alike), and so do Xfce's and other screen savers:
GetActive says whether the screen saver or the lock screen is on, GetSessionIdleTime how
many seconds the session has had no input. A service that answers GetActive but not the
idle time still tells a locked screen; its idle time then reads as none.
"""

from __future__ import annotations

from collections.abc import Mapping

from glutetui.services.idle import IdleReading, ProbeError
from glutetui.services.idle.bus import call, connect, jeepney, one_value

TIMEOUT_S = 2.0
BUS_NAME = INTERFACE = "org.freedesktop.ScreenSaver"
# KDE serves both paths; the first is the one the freedesktop proposal names, the second
# the one older KDE and Xfce's screen saver have always used.
PATHS = ("/org/freedesktop/ScreenSaver", "/ScreenSaver")


def probe_for(environ: Mapping[str, str], platform: str) -> ScreenSaverProbe | None:
    address = environ.get("DBUS_SESSION_BUS_ADDRESS")
    if jeepney is None or not address:
        return None
    return ScreenSaverProbe(address)


class ScreenSaverProbe:
    name = "freedesktop ScreenSaver over D-Bus (KDE, Xfce)"

    def __init__(self, address: str, timeout: float = TIMEOUT_S) -> None:
        self._address = address
        self._timeout = timeout
        self._path: str | None = None  # the path that answered, asked first from then on

    def read(self) -> IdleReading:
        connection = connect(self._address, self._timeout / 4, "session")
        try:
            active = self._active(connection)
            try:
                seconds = one_value(call(connection, (self._path, BUS_NAME, INTERFACE), "GetSessionIdleTime",
                                         self._timeout / 4), "GetSessionIdleTime")
            except ProbeError:
                seconds = 0  # KDE answers it; a service that does not still tells the lock
            if isinstance(seconds, bool) or not isinstance(seconds, int):
                raise ProbeError(f"GetSessionIdleTime answered {seconds!r}, not a number of seconds")
            return IdleReading(float(seconds), locked=active)
        finally:
            connection.close()

    def _active(self, connection) -> bool:
        paths = (self._path,) if self._path else PATHS
        problem = None
        for path in paths:
            try:
                active = one_value(call(connection, (path, BUS_NAME, INTERFACE), "GetActive", self._timeout / 2),
                                   "org.freedesktop.ScreenSaver.GetActive")
            except ProbeError as error:
                problem = problem or error
                continue
            if not isinstance(active, bool):
                raise ProbeError(f"GetActive answered {active!r}, not true or false")
            self._path = path
            return active
        raise problem
