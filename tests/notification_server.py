"""A real private D-Bus session bus with a notification server on it, for tests.

The bus is a real dbus-daemon, so notify-send, plyer and the app's own jeepney connection
talk to it exactly as they talk to a desktop's bus. The server stands in for the desktop's
notification daemon (GNOME Shell, KDE Plasma, dunst, mako...), which cannot run here: it
owns org.freedesktop.Notifications, answers the calls of the Desktop Notifications spec
and records every notification it is sent.

    with private_session_bus() as bus, NotificationServer(bus.address) as server:
        ... send with DBUS_SESSION_BUS_ADDRESS=bus.address ...
        assert server.wait_for(1) == [("glutetui", "title", "body")]

With actions=True it lists the "actions" capability, as most desktops do; `press` then
does what a click on a button does: ActionInvoked, then NotificationClosed (reason 2).
Like GNOME Shell, it sends those signals to the connection that sent Notify alone; with
broadcast=True, like dunst and Plasma, to every connection that asked for them.
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
EXPIRED, DISMISSED, CLOSED_BY_CALL = 1, 2, 3  # NotificationClosed's reasons


class Received(NamedTuple):
    """One notification as the server got it; equal to a plain (app_name, summary, body) tuple."""

    app_name: str
    summary: str
    body: str


class Shown(NamedTuple):
    """All of one Notify call, and the id the server gave back."""

    id: int
    replaces_id: int
    summary: str
    body: str
    actions: list[str]  # key, label, key, label... as the spec flattens them
    sender: str


class NotificationServer(FakeBusService):
    """A notification daemon on the bus at `address`, serving while the `with` block runs.

    With answers=False it takes every call and never replies, like a desktop that hangs.
    """

    def __init__(self, address: str, answers: bool = True, actions: bool = False, broadcast: bool = False,
                 press_at_once: str | None = None) -> None:
        self.broadcast = broadcast
        self.press_at_once = press_at_once  # a button pressed the moment a notification shows
        self.received: list[Received] = []
        self.shown: list[Shown] = []
        self.closed_by_client: list[int] = []  # the ids CloseNotification asked to close
        self.methods_called: list[str] = []
        self.capabilities = CAPABILITIES + (["actions"] if actions else [])
        self._changed = threading.Condition()
        self._next_id = 1
        self._open: dict[int, str] = {}  # id -> the connection that sent it
        self._to_signal: list[tuple[str, tuple, str]] = []  # after the reply: (member, body, destination)
        super().__init__(address, (BUS_NAME,), answers)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        """The notifications so far, once there are `count` of them or `timeout` has passed."""
        self.wait_until(lambda: len(self.received) >= count, timeout)
        return list(self.received)

    def wait_until(self, condition, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._changed:
            return self._changed.wait_for(condition, max(0.0, deadline - time.monotonic()))

    def press(self, notification_id: int, key: str) -> None:
        """The runner clicks the button `key` on notification `notification_id`."""
        destination = self._open.pop(notification_id)
        self._signal("ActionInvoked", "us", (notification_id, key), destination)
        self._signal("NotificationClosed", "uu", (notification_id, DISMISSED), destination)

    def _signal(self, member: str, signature: str, body: tuple, destination: str) -> None:
        message = jeepney.new_signal(jeepney.DBusAddress(OBJECT_PATH, interface=BUS_NAME), member, signature, body)
        if not self.broadcast:
            message.header.fields[jeepney.HeaderFields.destination] = destination
        self.send(message)

    def _reply_to(self, call):
        fields = call.header.fields
        member = fields.get(jeepney.HeaderFields.member)
        self.methods_called.append(member)
        if fields.get(jeepney.HeaderFields.path) != OBJECT_PATH:
            return jeepney.new_error(call, "org.freedesktop.DBus.Error.UnknownObject")
        if member == "Notify":
            return jeepney.new_method_return(call, "u", (self._record(call),))
        if member == "GetCapabilities":
            return jeepney.new_method_return(call, "as", (self.capabilities,))
        if member == "GetServerInformation":
            return jeepney.new_method_return(call, "ssss", SERVER_INFORMATION)
        if member == "CloseNotification":
            self._close(call)
            return jeepney.new_method_return(call)
        return jeepney.new_error(call, "org.freedesktop.DBus.Error.UnknownMethod")

    def _after_reply(self, call) -> None:
        if self.press_at_once and call.header.fields.get(jeepney.HeaderFields.member) == "Notify":
            self.press(self.shown[-1].id, self.press_at_once)
        pending, self._to_signal = self._to_signal, []
        for member, body, destination in pending:
            self._signal(member, "uu", body, destination)

    def _record(self, call) -> int:
        # Notify(app_name s, replaces_id u, app_icon s, summary s, body s, actions as, hints a{sv}, expire i)
        app_name, replaces_id, _icon, summary, text, actions = call.body[:6]
        sender = call.header.fields.get(jeepney.HeaderFields.sender)
        with self._changed:
            # As the spec says: a replacement keeps the id it replaces.
            notification_id = replaces_id or self._next_id
            if not replaces_id:
                self._next_id += 1
            self._open[notification_id] = sender
            self.received.append(Received(app_name, summary, text))
            self.shown.append(Shown(notification_id, replaces_id, summary, text, list(actions), sender))
            self._changed.notify_all()
            return notification_id

    def _close(self, call) -> None:
        (notification_id,) = call.body
        with self._changed:
            self.closed_by_client.append(notification_id)
            destination = self._open.pop(notification_id, None)
            if destination is not None:  # the spec: closing one that is open says so
                self._to_signal.append(("NotificationClosed", (notification_id, CLOSED_BY_CALL), destination))
            self._changed.notify_all()
