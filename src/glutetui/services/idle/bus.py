"""What the D-Bus probes share: one short connection per read, calls with a time limit,
and every way a bus can fail turned into ProbeError.

Imported only by the D-Bus probe modules, and only where their bus is there, so jeepney
costs nothing at start-up on a system that has no D-Bus."""

from __future__ import annotations

import struct

from glutetui.services.idle import ProbeError

try:
    import jeepney
    import jeepney.io.blocking
    import jeepney.wrappers
except ImportError:
    jeepney = None

# How jeepney reports a bus that is gone, slow or odd: OSError (refused, reset, TimeoutError),
# ValueError (a malformed address, failed authentication, a bad message), RuntimeError
# (an address with no unix socket), struct.error (a truncated message), and
# DBusErrorResponse when the service is missing or refuses the call.
BUS_FAILURES: tuple[type[BaseException], ...] = (OSError, ValueError, RuntimeError, struct.error)
if jeepney is not None:
    BUS_FAILURES += (jeepney.DBusErrorResponse,)


def connect(address: str, timeout: float, which: str) -> jeepney.io.blocking.DBusConnection:
    try:
        return jeepney.io.blocking.open_dbus_connection(address, auth_timeout=timeout)
    except BUS_FAILURES as error:
        raise ProbeError(f"cannot connect to the D-Bus {which} bus: {error}") from error


def call(connection: jeepney.io.blocking.DBusConnection, target: tuple[str, str, str], method: str,
         timeout: float, signature: str | None = None, body: tuple = ()) -> tuple:
    """The reply's values; ProbeError when the service is missing, refuses or is slow."""
    path, bus_name, interface = target
    message = jeepney.new_method_call(jeepney.DBusAddress(path, bus_name, interface), method, signature, body)
    # Asked every few seconds: where the service is missing, the bus must not try to start it.
    message.header.flags |= jeepney.MessageFlag.no_auto_start
    try:
        reply = connection.send_and_get_reply(message, timeout=timeout)
        return jeepney.wrappers.unwrap_msg(reply)
    except BUS_FAILURES as error:
        raise ProbeError(f"{bus_name}.{method}: {str(error) or type(error).__name__}") from error


def one_value(answer: tuple, what: str) -> object:
    if len(answer) != 1:
        raise ProbeError(f"{what} answered {answer!r}")
    return answer[0]
