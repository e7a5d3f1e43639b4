"""A stand-in for systemd-logind, on a private bus that stands in for the system bus.

logind itself cannot run here (it needs to be PID 1's systemd, with root and cgroups). This
owns org.freedesktop.login1 and serves one session's properties, as logind serves them to
org.freedesktop.DBus.Properties.GetAll, at the session object path logind resolves for the
caller ("auto") and at the session's own path, which Manager.GetSession gives for its id.
The test sets `locked` (LockedHint), `idle` (IdleHint) and `idle_since_us` (IdleSinceHint).
"""

from __future__ import annotations

from servers import FakeBusService

try:
    import jeepney
except ImportError:
    jeepney = None

BUS_NAME = "org.freedesktop.login1"
SESSION_ID = "c2"
SESSION_PATH = f"/org/freedesktop/login1/session/{SESSION_ID}"
AUTO_PATH = "/org/freedesktop/login1/session/auto"


class FakeLogind(FakeBusService):
    def __init__(self, address: str, serve_auto: bool = True) -> None:
        self.locked = False
        self.idle = False
        self.idle_since_us = 0
        self.serve_auto = serve_auto  # False: a systemd older than 243, which has no "auto"
        self.calls: list[tuple[str, str]] = []  # (path, member)
        super().__init__(address, (BUS_NAME,))

    def _reply_to(self, call):
        fields, header = call.header.fields, jeepney.HeaderFields
        path, member = fields.get(header.path), fields.get(header.member)
        self.calls.append((path, member))
        if path == "/org/freedesktop/login1" and member == "GetSession":
            if call.body != (SESSION_ID,):
                return jeepney.new_error(call, "org.freedesktop.login1.NoSuchSession")
            return jeepney.new_method_return(call, "o", (SESSION_PATH,))
        sessions = (SESSION_PATH, AUTO_PATH) if self.serve_auto else (SESSION_PATH,)
        if path in sessions and member == "GetAll" and call.body == ("org.freedesktop.login1.Session",):
            properties = {"Id": ("s", SESSION_ID), "Active": ("b", True), "LockedHint": ("b", self.locked),
                          "IdleHint": ("b", self.idle), "IdleSinceHint": ("t", self.idle_since_us)}
            return jeepney.new_method_return(call, "a{sv}", (properties,))
        return jeepney.new_error(call, "org.freedesktop.DBus.Error.UnknownObject")
