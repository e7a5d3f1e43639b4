"""Locked and idle beyond GNOME and X11: systemd-logind on a private bus standing in for the
system bus, and org.freedesktop.ScreenSaver (KDE, Xfce) on a private session bus. Both buses
are real dbus-daemons, one each for the module; the services on them are the test's own
(tests/login_server.py), as logind and Plasma cannot run here.
"""

from __future__ import annotations

import time

import pytest
from helpers import main_cli
from login_server import SESSION_ID, SESSION_PATH, FakeLogind
from servers import FakeBusService, private_session_bus

import glutetui.services.idle as idle
from glutetui.services.idle import IdleReading, ProbeError, WithSessionLock, find_probe, logind, screensaver

try:
    import jeepney
except ImportError:
    jeepney = None


@pytest.fixture(scope="module")
def system_bus():
    with private_session_bus() as bus:
        yield bus


@pytest.fixture(scope="module")
def session_bus():
    with private_session_bus() as bus:
        yield bus


@pytest.fixture
def login(system_bus):
    with FakeLogind(system_bus.address) as login:
        yield login


class FakeScreenSaver(FakeBusService):
    """KDE Plasma's org.freedesktop.ScreenSaver, at the path KDE serves it on (or the old one)."""

    def __init__(self, address: str, path: str = "/org/freedesktop/ScreenSaver", idle_time: bool = True):
        self.active = False
        self.idle_s = 0
        self.path = path
        self.idle_time = idle_time  # False: a screen saver that does not tell the idle time
        super().__init__(address, ("org.freedesktop.ScreenSaver",))

    def _reply_to(self, call):
        fields, header = call.header.fields, jeepney.HeaderFields
        path, member = fields.get(header.path), fields.get(header.member)
        if path == self.path and member == "GetActive":
            return jeepney.new_method_return(call, "b", (self.active,))
        if path == self.path and member == "GetSessionIdleTime" and self.idle_time:
            return jeepney.new_method_return(call, "u", (self.idle_s,))
        return jeepney.new_error(call, "org.freedesktop.DBus.Error.UnknownMethod")


def buses(session_bus=None, system_bus=None, **more) -> dict[str, str]:
    environ = dict(more)
    if session_bus is not None:
        environ["DBUS_SESSION_BUS_ADDRESS"] = session_bus.address
    if system_bus is not None:
        environ["DBUS_SYSTEM_BUS_ADDRESS"] = system_bus.address
    return environ


# ---------------------------------------------------------------- logind


def test_logind_reads_the_lock_and_the_idle_hint(system_bus, login):
    probe = logind.probe_for(buses(system_bus=system_bus), "linux")

    assert probe.read() == IdleReading(0.0, locked=False)
    login.locked = True
    assert probe.read() == IdleReading(0.0, locked=True)
    login.locked, login.idle, login.idle_since_us = False, True, int((time.time() - 600) * 1_000_000)
    reading = probe.read()
    assert not reading.locked and 600 <= reading.idle_seconds < 660
    login.idle_since_us = int((time.time() + 3600) * 1_000_000)  # the clock was set back since
    assert probe.read().idle_seconds == 0.0
    # logind resolves "auto" to the caller's session: no need to look the session up.
    assert {path for path, _member in login.calls} == {"/org/freedesktop/login1/session/auto"}


def test_without_auto_the_session_is_found_by_xdg_session_id(system_bus):
    with FakeLogind(system_bus.address, serve_auto=False) as login:
        login.locked = True
        found = logind.probe_for(buses(system_bus=system_bus, XDG_SESSION_ID=SESSION_ID), "linux").read()
        with pytest.raises(ProbeError):  # no session at all (a system service): no probe, no crash
            logind.probe_for(buses(system_bus=system_bus), "linux").read()

    assert found == IdleReading(0.0, locked=True)
    assert ("/org/freedesktop/login1", "GetSession") in login.calls and (SESSION_PATH, "GetAll") in login.calls


def test_find_probe_takes_logind_where_the_session_bus_has_no_idle_service(session_bus, system_bus, login):
    probe = find_probe(buses(session_bus, system_bus), platform="linux")

    assert isinstance(probe, logind.LogindProbe)
    assert find_probe(buses(session_bus, system_bus), platform="darwin") is None  # logind is Linux's
    assert find_probe(buses(session_bus), platform="linux") is None


def test_no_system_bus_means_no_logind_module_is_even_loaded(monkeypatch, tmp_path):
    monkeypatch.setattr(idle, "SYSTEM_BUS_SOCKET", str(tmp_path / "no-socket"))
    assert idle.system_bus_address({}) is None
    assert find_probe({}, platform="linux") is None
    (tmp_path / "no-socket").touch()  # where a system bus would be: tried, refused, no probe
    assert idle.system_bus_address({}) == f"unix:path={tmp_path}/no-socket"
    assert find_probe({}, platform="linux") is None


# ---------------------------------------------------------------- org.freedesktop.ScreenSaver


@pytest.mark.parametrize("path", ["/org/freedesktop/ScreenSaver", "/ScreenSaver"])
def test_screensaver_reads_active_and_idle_time(session_bus, path):
    with FakeScreenSaver(session_bus.address, path) as saver:
        probe = screensaver.probe_for(buses(session_bus), "linux")
        saver.idle_s = 42
        at_desk = probe.read()
        saver.active, saver.idle_s = True, 400
        locked = probe.read()

    assert at_desk == IdleReading(42.0, locked=False)
    assert locked == IdleReading(400.0, locked=True)


def test_a_screensaver_without_idle_time_still_tells_the_lock(session_bus):
    with FakeScreenSaver(session_bus.address, idle_time=False) as saver:
        saver.active = True
        assert screensaver.probe_for(buses(session_bus), "linux").read() == IdleReading(0.0, locked=True)


def test_kde_idle_time_with_the_lock_from_logind(session_bus, system_bus, login):
    with FakeScreenSaver(session_bus.address) as saver:
        probe = find_probe(buses(session_bus, system_bus), platform="linux")
        assert login.calls == [], "logind is left for the first read, after the app's first paint"
        saver.idle_s = 30
        at_desk = probe.read()
        login.locked = True  # a lock screen that tells logind but not the screen saver service
        locked = probe.read()

    assert isinstance(probe, WithSessionLock) and isinstance(probe.probe, screensaver.ScreenSaverProbe)
    assert probe.name.startswith("freedesktop ScreenSaver") and "systemd-logind" in probe.name
    assert (at_desk, locked) == (IdleReading(30.0, locked=False), IdleReading(30.0, locked=True))


def test_the_idle_probe_goes_on_alone_when_logind_stops_answering(session_bus, system_bus):
    with FakeScreenSaver(session_bus.address) as saver:
        with FakeLogind(system_bus.address):
            probe = find_probe(buses(session_bus, system_bus), platform="linux")
            probe.read()
        assert probe.session is not None
        saver.idle_s = 12
        assert probe.read() == IdleReading(12.0, locked=False)
        assert probe.session is None


def test_doctor_names_the_probe_in_use(session_bus, system_bus, login, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)  # the developer's X display would win
    result = main_cli("doctor", env=buses(session_bus, system_bus))
    assert f"\nidle probe  {logind.LogindProbe.name}\n" in result.stdout
    with FakeScreenSaver(session_bus.address):
        result = main_cli("doctor", env=buses(session_bus, system_bus))
    assert f"\nidle probe  {screensaver.ScreenSaverProbe.name}, with the lock from {logind.LogindProbe.name}\n" \
        in result.stdout
