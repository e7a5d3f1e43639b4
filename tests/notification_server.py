"""A real private D-Bus session bus with a notification server on it, for tests.

The bus is a real dbus-daemon, so notify-send and plyer talk to it exactly as they talk to
a desktop's bus. The server stands in for the desktop's notification daemon (GNOME Shell,
dunst, mako...), which cannot run here: it owns org.freedesktop.Notifications, answers the
calls of the Desktop Notifications spec and records every notification it is sent.

    with private_session_bus() as bus, NotificationServer(bus.address) as server:
        ... send with DBUS_SESSION_BUS_ADDRESS=bus.address ...
        assert server.wait_for(1) == [("glutetui", "title", "body")]
"""

from __future__ import annotations

import threading
import time
from typing import NamedTuple

from servers import FakeBusService, private_session_bus, require  # noqa: F401 (re-exported for the tests)

try:
    import jeepney
except ImportError:
    jeepney = None

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
CAPABILITIES = ["body", "body-markup"]
SERVER_INFORMATION = ("glutetui-test-server", "glutetui", "1.0", "1.2")


class Received(NamedTuple):
    """One notification as the server got it; equal to a plain (app_name, summary, body) tuple."""

    app_name: str
    summary: str
    body: str


class NotificationServer(FakeBusService):
    """A notification daemon on the bus at `address`, serving while the `with` block runs.

    With answers=False it takes every call and never replies, like a desktop that hangs.
    """

    def __init__(self, address: str, answers: bool = True) -> None:
        self.received: list[Received] = []
        self.methods_called: list[str] = []
        self._changed = threading.Condition()
        self._next_id = 1
        super().__init__(address, (BUS_NAME,), answers)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        """The notifications so far, once there are `count` of them or `timeout` has passed."""
        deadline = time.monotonic() + timeout
        with self._changed:
            self._changed.wait_for(lambda: len(self.received) >= count, max(0.0, deadline - time.monotonic()))
            return list(self.received)

    def _reply_to(self, call):
        fields = call.header.fields
        member = fields.get(jeepney.HeaderFields.member)
        self.methods_called.append(member)
        if fields.get(jeepney.HeaderFields.path) != OBJECT_PATH:
            return jeepney.new_error(call, "org.freedesktop.DBus.Error.UnknownObject")
        if member == "Notify":
            return jeepney.new_method_return(call, "u", (self._record(call.body),))
        if member == "GetCapabilities":
            return jeepney.new_method_return(call, "as", (CAPABILITIES,))
        if member == "GetServerInformation":
            return jeepney.new_method_return(call, "ssss", SERVER_INFORMATION)
        if member == "CloseNotification":
            return jeepney.new_method_return(call)
        return jeepney.new_error(call, "org.freedesktop.DBus.Error.UnknownMethod")

    def _record(self, body: tuple) -> int:
        # Notify(app_name s, replaces_id u, app_icon s, summary s, body s, actions as, hints a{sv}, expire i)
        app_name, _replaces_id, _icon, summary, text = body[:5]
        with self._changed:
            self.received.append(Received(app_name, summary, text))
            self._changed.notify_all()
            self._next_id += 1
            return self._next_id - 1
