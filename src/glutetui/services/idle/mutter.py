"""Idle time from GNOME's compositor (Mutter) over the D-Bus session bus.

This is the probe that works on GNOME under Wayland, where no X server sees the input.
jeepney speaks D-Bus in pure Python; it is optional, and without it there is no probe.
Every read uses its own short connection, so a bus that restarted is simply found again.
"""

from __future__ import annotations

from collections.abc import Mapping

from glutetui.services.idle import IdleReading, ProbeError
from glutetui.services.idle.bus import call, connect, jeepney, one_value

TIMEOUT_S = 2.0

IDLE_MONITOR = ("/org/gnome/Mutter/IdleMonitor/Core", "org.gnome.Mutter.IdleMonitor", "org.gnome.Mutter.IdleMonitor")
SCREEN_SAVER = ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "org.gnome.ScreenSaver")


def probe_for(environ: Mapping[str, str], platform: str) -> MutterProbe | None:
    """A probe for the session bus in DBUS_SESSION_BUS_ADDRESS, or None without bus or jeepney."""
    address = environ.get("DBUS_SESSION_BUS_ADDRESS")
    if jeepney is None or not address:
        return None
    return MutterProbe(address)


class MutterProbe:
    name = "GNOME Mutter IdleMonitor over D-Bus"

    def __init__(self, address: str, timeout: float = TIMEOUT_S) -> None:
        self._address = address
        self._timeout = timeout

    def read(self) -> IdleReading:
        # The time limit is shared: the bus itself answers the handshake at once, the
        # shell answers the calls, and the lock state is only a bonus.
        connection = connect(self._address, self._timeout / 4, "session")
        try:
            idle_ms = one_value(call(connection, IDLE_MONITOR, "GetIdletime", self._timeout / 2),
                                "org.gnome.Mutter.IdleMonitor.GetIdletime")
            return IdleReading(_as_ms(idle_ms) / 1000, locked=_screen_locked(connection, self._timeout / 4))
        finally:
            connection.close()


def _as_ms(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProbeError(f"GetIdletime answered {value!r}, not a number of milliseconds")
    return value


def _screen_locked(connection, timeout: float) -> bool:
    # Not every desktop that runs Mutter runs GNOME's screen saver service: no answer means unknown.
    try:
        active = call(connection, SCREEN_SAVER, "GetActive", timeout)
    except ProbeError:
        return False
    return active == (True,)
