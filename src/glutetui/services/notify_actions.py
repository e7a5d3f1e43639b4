"""The reminder's desktop notification with buttons: org.freedesktop.Notifications over the
D-Bus session bus, spoken with jeepney.

Where the notification service lists the "actions" capability (GNOME, KDE, Xfce, dunst,
mako, swaync...), the reminder offers Take, Snooze 5 min and Skip, and the runner can answer
without finding the terminal. One connection stays open while the app runs: services
send ActionInvoked and NotificationClosed to the connection that sent Notify (GNOME Shell
sends them to it alone), so the listening must happen on the sending connection. jeepney's
thread-safe connection lets the sending thread and the listening thread share it; the
listener hands each answer to a callback and never touches the app itself.

One notification per reminder: each reminder replaces the one before (replaces_id), and
`withdraw` closes the one on show when the runner answered in the app or quit.
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

import jeepney
from jeepney.bus_messages import MatchRule, message_bus
from jeepney.io.common import ReplyMatcher, RouterClosed
from jeepney.io.threading import DBusConnection, ReceiveStopped, open_dbus_connection
from jeepney.wrappers import unwrap_msg

from glutetui.services.notifier import _describe

BUS_NAME = INTERFACE = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
NOTIFICATIONS = jeepney.DBusAddress(OBJECT_PATH, BUS_NAME, INTERFACE)
ACTIONS_CAPABILITY = "actions"
# The spec's "expire_timeout": -1 leaves how long it stays to the desktop's own setting.
DESKTOP_DEFAULT_EXPIRY = -1

# As in idle/bus.py: how jeepney reports a bus that is gone, slow or odd, plus a reply that
# never came (TimeoutError) and a connection whose listener has ended (RouterClosed).
BUS_FAILURES: tuple[type[BaseException], ...] = (OSError, ValueError, RuntimeError, struct.error,
                                                 jeepney.DBusErrorResponse, FutureTimeout, RouterClosed)

AnswerCallback = Callable[[str], None]


class NoActions(Exception):
    """The session bus or its notification service cannot show buttons: send the plain way."""


class ActionNotifications:
    """An open connection to the notification service, which lists "actions".

    `on_answer(key)` runs on a background thread (the listening one, or the sending one for
    a press heard before Notify's reply was taken in) with the key of the button the runner
    pressed on the notification last shown; the caller passes it on to its own thread."""

    def __init__(self, address: str, on_answer: AnswerCallback, timeout: float = 5.0) -> None:
        self._timeout = timeout
        self._on_answer = on_answer
        self._lock = threading.Lock()
        self._shown: int | None = None  # the id of the notification on show; None when it is closed
        self._last_id = 0  # the id the next one replaces: one notification per reminder
        self._asked = 0  # counts shows and withdrawals, to catch a withdrawal during a show
        # A Notify sent and its id not yet taken in: a button pressed at once can be heard
        # (on the listening thread) before `show` has the id; such answers wait here for it.
        self._showing = False
        self._early: list[tuple[int, str]] = []
        self.server = "unknown service"
        self._service_name: str | None = None  # the unique bus name of the service that answered
        try:
            self._connection: DBusConnection = open_dbus_connection(address, auth_timeout=timeout)
        except BUS_FAILURES as error:
            raise NoActions(f"cannot connect to the D-Bus session bus ({_describe(error)})") from error
        self._replies = ReplyMatcher()
        self._listener = threading.Thread(target=self._listen, name="glutetui-notification-answers", daemon=True)
        self._listener.start()
        try:
            self._ask_for_actions()
        except BUS_FAILURES as error:
            self.close()
            raise NoActions(f"the notification service did not answer ({_describe(error)})") from error
        except BaseException:
            self.close()
            raise

    def _ask_for_actions(self) -> None:
        reply = self._send_and_wait(jeepney.new_method_call(NOTIFICATIONS, "GetCapabilities"), raw=True)
        # Signals are taken from this sender only: any client on the bus can send one to us.
        self._service_name = reply.header.fields.get(jeepney.HeaderFields.sender)
        capabilities = unwrap_msg(reply)[0]
        if ACTIONS_CAPABILITY not in capabilities:
            raise NoActions(f"the notification service does not list the {ACTIONS_CAPABILITY!r} capability")
        name, vendor, version, _spec = self._call("GetServerInformation")
        self.server = " ".join(part for part in (name, version) if part) or vendor or self.server
        # The bus passes the service's signals to this connection only once asked to.
        for member in ("ActionInvoked", "NotificationClosed"):
            rule = MatchRule(type="signal", sender=BUS_NAME, interface=INTERFACE, path=OBJECT_PATH, member=member)
            self._send_and_wait(message_bus.AddMatch(rule))

    @property
    def alive(self) -> bool:
        return self._listener.is_alive()

    def show(self, title: str, body: str, actions: Sequence[tuple[str, str]]) -> int:
        """Show the notification with a button for each (key, label); returns its id."""
        flat = [part for key, label in actions for part in (key, label)]
        with self._lock:
            self._asked += 1
            asked, replaces = self._asked, self._last_id
            self._showing = True
        try:
            # Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout)
            reply = self._send_and_wait(jeepney.new_method_call(
                NOTIFICATIONS, "Notify", "susssasa{sv}i",
                ("glutetui", replaces, "", title, body, flat, {}, DESKTOP_DEFAULT_EXPIRY)), raw=True)
            notification_id = unwrap_msg(reply)[0]
        except BaseException:
            with self._lock:
                self._showing = False
                self._early.clear()
            raise
        with self._lock:
            self._showing = False
            early, self._early = self._early, []
            # The service that answered: the desktop's daemon may have been restarted since
            # the connection opened, and its signals come from its new name.
            self._service_name = reply.header.fields.get(jeepney.HeaderFields.sender, self._service_name)
            self._last_id = notification_id
            pressed = [key for pressed_id, key in early if pressed_id == notification_id]
            self._shown = None if pressed else notification_id  # a pressed one is gone, as in _signal
            withdrawn_meanwhile = self._asked != asked
        for key in pressed:
            self._on_answer(key)
        if withdrawn_meanwhile:  # answered in the app while the service was still showing it
            self.withdraw()
        return notification_id

    def withdraw(self) -> None:
        """Close the notification on show, if any. Does not wait for the service: the app
        calls it from its own thread, and quitting must not hang on a slow desktop."""
        with self._lock:
            self._asked += 1
            shown, self._shown = self._shown, None
        if shown is None:
            return
        try:
            self._connection.send(jeepney.new_method_call(NOTIFICATIONS, "CloseNotification", "u", (shown,)))
        except BUS_FAILURES:
            pass  # the bus is gone, and the notification with it

    def close(self) -> None:
        """Close the notification on show and the connection."""
        self.withdraw()
        try:
            self._connection.close()  # also ends the listener (ReceiveStopped)
        except OSError:
            pass
        self._listener.join(timeout=self._timeout)

    # ---- the listening thread -------------------------------------------------------

    def _listen(self) -> None:
        try:
            while True:
                message = self._connection.receive()
                if not self._replies.dispatch(message):
                    self._signal(message)
        except ReceiveStopped:
            pass  # close() from another thread
        except BUS_FAILURES:
            pass  # the bus went away: `alive` is now False and the next reminder connects again
        finally:
            self._replies.drop_all()

    def _signal(self, message: jeepney.Message) -> None:
        fields = message.header.fields
        if (message.header.message_type is not jeepney.MessageType.signal
                or fields.get(jeepney.HeaderFields.interface) != INTERFACE
                or fields.get(jeepney.HeaderFields.sender) != self._service_name):
            return
        member = fields.get(jeepney.HeaderFields.member)
        if member == "ActionInvoked" and len(message.body) == 2:
            notification_id, key = message.body
            with self._lock:
                # The last one shown, even when its NotificationClosed came first.
                ours = notification_id == self._last_id
                if ours and self._shown == notification_id:
                    # Gone from the desktop once pressed (it is not sent "resident"): the app's
                    # withdrawal after this answer has nothing to close.
                    self._shown = None
                if not ours and self._showing:
                    self._early.append((notification_id, key))  # perhaps the one being shown: `show` decides
            if ours:
                self._on_answer(key)
        elif member == "NotificationClosed" and message.body:
            with self._lock:
                if message.body[0] == self._shown:
                    self._shown = None  # dismissed or expired: nothing left to close

    # ---- calls ----------------------------------------------------------------------

    def _call(self, method: str, signature: str | None = None, body: tuple = ()) -> tuple:
        return self._send_and_wait(jeepney.new_method_call(NOTIFICATIONS, method, signature, body))

    def _send_and_wait(self, message: jeepney.Message, raw: bool = False):
        """The reply's values (the whole reply with `raw`); DBusErrorResponse for an error."""
        if not self._listener.is_alive():
            raise RouterClosed("the connection to the session bus has closed")
        serial = next(self._connection.outgoing_serial)
        with self._replies.catch(serial, Future()) as reply:
            self._connection.send(message, serial=serial)
            answer = reply.result(timeout=self._timeout)
        if raw and answer.header.message_type is not jeepney.MessageType.error:
            return answer
        return unwrap_msg(answer)
