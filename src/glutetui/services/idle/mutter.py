"""Idle time from GNOME's compositor (Mutter) over the D-Bus session bus.

This is the probe that works on GNOME under Wayland, where no X server sees the input.
jeepney speaks D-Bus in pure Python; it is optional, and without it there is no probe.
Every read uses its own short connection, so a bus that restarted is simply found again.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

from glutetui.services.idle import IdleReading, ProbeError

try:
    import jeepney
    import jeepney.io.blocking
    import jeepney.wrappers
except ImportError:
    jeepney = None

TIMEOUT_S = 2.0

IDLE_MONITOR = ("/org/gnome/Mutter/IdleMonitor/Core", "org.gnome.Mutter.IdleMonitor", "org.gnome.Mutter.IdleMonitor")
SCREEN_SAVER = ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "org.gnome.ScreenSaver")

# How jeepney reports a bus that is gone, slow or odd: OSError (refused, reset, TimeoutError),
# ValueError (a malformed address, failed authentication, a bad message), RuntimeError
# (an address with no unix socket), struct.error (a truncated message), and
# DBusErrorResponse when the service is missing or refuses the call.
_BUS_FAILURES: tuple[type[BaseException], ...] = (OSError, ValueError, RuntimeError, struct.error)
if jeepney is not None:
    _BUS_FAILURES += (jeepney.DBusErrorResponse,)


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
        try:
            connection = jeepney.io.blocking.open_dbus_connection(self._address, auth_timeout=self._timeout / 4)
        except _BUS_FAILURES as error:
            raise ProbeError(f"cannot connect to the D-Bus session bus: {error}") from error
        try:
            idle_ms = _call(connection, IDLE_MONITOR, "GetIdletime", self._timeout / 2)
            return IdleReading(_as_ms(idle_ms) / 1000, locked=_screen_locked(connection, self._timeout / 4))
        finally:
            connection.close()


def _call(connection: jeepney.io.blocking.DBusConnection, target: tuple[str, str, str], method: str,
          timeout: float) -> object:
    path, bus_name, interface = target
    message = jeepney.new_method_call(jeepney.DBusAddress(path, bus_name, interface), method)
    # Asked every few seconds: where the service is missing, the bus must not try to start it.
    message.header.flags |= jeepney.MessageFlag.no_auto_start
    try:
        reply = connection.send_and_get_reply(message, timeout=timeout)
        body = jeepney.wrappers.unwrap_msg(reply)
    except _BUS_FAILURES as error:
        raise ProbeError(f"{bus_name}.{method}: {str(error) or type(error).__name__}") from error
    if len(body) != 1:
        raise ProbeError(f"{bus_name}.{method} answered {body!r}")
    return body[0]


def _as_ms(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProbeError(f"GetIdletime answered {value!r}, not a number of milliseconds")
    return value


def _screen_locked(connection: jeepney.io.blocking.DBusConnection, timeout: float) -> bool:
    # Not every desktop that runs Mutter runs GNOME's screen saver service: no answer means unknown.
    try:
        active = _call(connection, SCREEN_SAVER, "GetActive", timeout)
    except ProbeError:
        return False
    return active is True
