"""The desktop notifier, against the real notify-send on a real private D-Bus session bus
with a notification server of our own (tests/notification_server.py).

plyer is faked where a test needs it to succeed, raise or hang: a real plyer cannot be
made to do those on demand, and its in-process backend needs dbus-python, absent here.
Where a test needs plyer to have no backend, it gets plyer's own objects for that case.
macOS cannot run here: its argv is checked as data, and run through a stand-in script.
"""

from __future__ import annotations

import os
import shutil
import stat
import threading
import time
import warnings

import pytest
from helpers import run_cli
from notification_server import NotificationServer, private_session_bus, require
from plyer.facades import Notification as PlyerFacade
from plyer.platforms.linux.notification import (
    NotifyDesktopPortals,
    NotifySendNotification,
)

from glutetui.services import notifier as notifier_module
from glutetui.services.notifier import (
    APP_NAME,
    NO_NOTIFY_SEND,
    TEST_BODY,
    TEST_TITLE,
    Delivery,
    Notifier,
    notify_send_argv,
    osascript_argv,
)

TITLE = '-u critical: "Stand up" now'  # a leading "-" must stay text, not become an option
BODY = 'Walk to the window.\nThen say "ça va" ☕ \\n stays, <b>not bold</b> & done'
BODY_AS_SERVER_GETS_IT = BODY.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.fixture(autouse=True)
def no_way_to_the_users_desktop(monkeypatch, tmp_path):
    """If anything here ever sends through this process's own environment, it must reach
    no real desktop: no session bus, and no X display from which to start one."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus")
    monkeypatch.delenv("DISPLAY", raising=False)


@pytest.fixture
def bus():
    with private_session_bus() as bus:
        yield bus


@pytest.fixture
def server(bus):
    with NotificationServer(bus.address) as server:
        yield server


@pytest.fixture
def notify_send() -> str:
    path = shutil.which("notify-send")
    require(path, "the program notify-send (apt package libnotify-bin)")
    return path


def on_bus(address: str) -> dict[str, str]:
    return {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address}


def plyer_without_backend():
    """What the real plyer gives on Linux without dbus-python and without notify-send."""
    return PlyerFacade().notify


class OddBaseException(BaseException):
    """Neither KeyboardInterrupt nor SystemExit, so the notifier must catch it too."""


class FakePlyerBackend:
    """Stands in for one of plyer's in-process backends (such as NotifyDbus)."""

    def __init__(self, behaviour: str = "succeed") -> None:
        self.behaviour = behaviour
        self.calls: list[dict] = []
        self.release = threading.Event()  # ends a hang, so no thread outlives the test for long

    def notify(self, **kwargs) -> None:
        self.calls.append(kwargs)
        if self.behaviour == "raise":
            raise RuntimeError("org.freedesktop.DBus.Error.NoReply: no reply")
        if self.behaviour == "raise-base":
            raise OddBaseException("raised from deep inside a backend")
        if self.behaviour == "hang":
            self.release.wait(10)


# ---------------------------------------------------------------- notify-send on the real bus


def test_notify_send_delivers_the_exact_text_with_markup_escaped(bus, server, notify_send):
    notifier = Notifier(platform="linux", plyer_notify=plyer_without_backend(), environ=on_bus(bus.address))

    delivery = notifier.send(TITLE, BODY)

    assert delivery == Delivery(sent=True, backend="notify-send", problem=None)
    assert server.wait_for(1) == [(APP_NAME, TITLE, BODY_AS_SERVER_GETS_IT)]


def test_a_bus_without_a_notification_service_is_a_problem_not_an_error(bus, notify_send, capfd):
    notifier = Notifier(platform="linux", plyer_notify=plyer_without_backend(), environ=on_bus(bus.address))

    delivery = notifier.send(TITLE, BODY)

    assert not delivery.sent and delivery.backend == "notify-send"
    assert "org.freedesktop.Notifications" in delivery.problem and "notification service" in delivery.problem
    assert "\n" not in delivery.problem
    assert capfd.readouterr() == ("", "")


def test_no_session_bus_at_all_is_a_problem_not_an_error(tmp_path, notify_send, capfd):
    notifier = Notifier(platform="linux", plyer_notify=plyer_without_backend(),
                        environ=on_bus(f"unix:path={tmp_path}/gone"))

    delivery = notifier.send(TITLE, BODY)

    assert not delivery.sent and delivery.problem.startswith("notify-send could not show the notification (")
    assert capfd.readouterr() == ("", "")


def test_a_service_that_never_answers_costs_only_the_timeout(bus, notify_send, capfd):
    notifier = Notifier(platform="linux", plyer_notify=plyer_without_backend(), environ=on_bus(bus.address),
                        timeout=1)
    with NotificationServer(bus.address, answers=False):
        started = time.monotonic()
        delivery = notifier.send(TITLE, BODY)
        waited = time.monotonic() - started

    assert waited < 1 + 3  # bounded by the timeout, with room for a loaded machine
    assert delivery == Delivery(False, "notify-send", "the notification service did not answer notify-send "
                                "within 1 s; " + notifier_module.CHECK_SERVICE)
    assert capfd.readouterr() == ("", "")


# ---------------------------------------------------------------- plyer first, then notify-send


@pytest.mark.parametrize("plyer_notify", [
    plyer_without_backend(),
    # Both run a program of their own that prints on the terminal; they must not be called.
    NotifySendNotification().notify,
    NotifyDesktopPortals().notify,
], ids=["no backend", "its notify-send", "its flatpak portal"])
def test_plyer_without_an_in_process_backend_leaves_it_to_notify_send(bus, server, notify_send, plyer_notify):
    notifier = Notifier(platform="linux", plyer_notify=plyer_notify, environ=on_bus(bus.address))

    assert notifier.send(TITLE, BODY) == Delivery(True, "notify-send", None)
    assert len(server.wait_for(2, timeout=0.5)) == 1


@pytest.mark.parametrize("behaviour", ["raise", "raise-base"])
def test_a_plyer_that_raises_falls_back_to_notify_send(bus, server, notify_send, behaviour, capfd):
    plyer = FakePlyerBackend(behaviour)
    notifier = Notifier(platform="linux", plyer_notify=plyer.notify, environ=on_bus(bus.address))

    first, second = notifier.send(TITLE, BODY), notifier.send(TITLE, BODY)

    assert first == second == Delivery(True, "notify-send", None)
    assert server.wait_for(2) == [(APP_NAME, TITLE, BODY_AS_SERVER_GETS_IT)] * 2
    assert len(plyer.calls) == 1  # once failed, not asked again
    assert capfd.readouterr() == ("", "")


def test_a_plyer_that_hangs_is_left_after_the_timeout(bus, server, notify_send):
    plyer = FakePlyerBackend("hang")
    # 2 s, not less: under a loaded CI machine notify-send's first start alone can take a second.
    notifier = Notifier(platform="linux", plyer_notify=plyer.notify, environ=on_bus(bus.address), timeout=2)
    try:
        started = time.monotonic()
        first = notifier.send(TITLE, BODY)
        waited = time.monotonic() - started
        second = notifier.send(TITLE, BODY)
    finally:
        plyer.release.set()

    assert first == second == Delivery(True, "notify-send", None)
    assert 2 <= waited < 2 + 3  # plyer's timeout, then one notify-send
    assert len(server.wait_for(2)) == 2
    assert len(plyer.calls) == 1
    assert notifier.backend() == f"notify-send ({notify_send})"


def test_when_plyer_and_notify_send_both_fail_the_problem_names_both(bus, notify_send):
    notifier = Notifier(platform="linux", plyer_notify=FakePlyerBackend("raise").notify,
                        environ=on_bus(bus.address))

    delivery = notifier.send(TITLE, BODY)

    assert not delivery.sent
    assert delivery.problem.startswith("plyer (FakePlyerBackend) failed (RuntimeError: org.freedesktop")
    assert "; then notify-send could not show the notification" in delivery.problem


def test_a_working_plyer_is_used_and_notify_send_is_not(bus, server):
    plyer = FakePlyerBackend("succeed")
    asked_for: list[str] = []
    notifier = Notifier(platform="linux", plyer_notify=plyer.notify, environ=on_bus(bus.address),
                        which=lambda name: asked_for.append(name) or "/usr/bin/notify-send")

    delivery = notifier.send(TITLE, BODY)

    assert delivery == Delivery(True, "plyer (FakePlyerBackend)", None)
    assert plyer.calls == [{"title": TITLE, "message": BODY_AS_SERVER_GETS_IT, "app_name": APP_NAME,
                            "timeout": notifier_module.PLYER_SHOW_SECONDS}]
    assert asked_for == []
    assert server.wait_for(1, timeout=0.3) == []


def test_with_neither_plyer_nor_notify_send_there_is_none_and_a_fix():
    notifier = Notifier(platform="linux", plyer_notify=plyer_without_backend(), which=lambda name: None)

    assert notifier.send(TITLE, BODY) == Delivery(False, "none", NO_NOTIFY_SEND)
    assert notifier.backend() == ("none: notify-send is not installed; install libnotify-bin "
                                  "(sudo apt install libnotify-bin) or dbus-python")


def test_send_never_raises_even_when_finding_a_backend_fails():
    def broken_which(name):
        raise OSError("the PATH is unreadable")

    notifier = Notifier(platform="linux", plyer_notify=plyer_without_backend(), which=broken_which)

    delivery = notifier.send(TITLE, BODY)

    assert not delivery.sent and "OSError: the PATH is unreadable" in delivery.problem
    assert notifier.backend().startswith("none: ")


def test_keyboard_interrupt_still_reaches_the_app():
    def interrupted_which(name):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Notifier(platform="linux", plyer_notify=plyer_without_backend(), which=interrupted_which).send("a", "b")


# ---------------------------------------------------------------- backend(): what doctor prints


def test_backend_names_what_would_be_used_without_sending(bus, server):
    plyer = FakePlyerBackend("succeed")
    with_plyer = Notifier(platform="linux", plyer_notify=plyer.notify)
    command_only = Notifier(platform="linux", plyer_notify=plyer_without_backend(),
                            which=lambda name: f"/usr/bin/{name}")

    assert with_plyer.backend() == "plyer (FakePlyerBackend)"
    assert command_only.backend() == "notify-send (/usr/bin/notify-send)"
    assert plyer.calls == [] and server.wait_for(1, timeout=0.2) == []


def test_backend_on_macos_and_windows():
    no_plyer = plyer_without_backend()

    assert Notifier(platform="darwin", plyer_notify=no_plyer, which=lambda name: f"/usr/bin/{name}").backend() \
        == "osascript (/usr/bin/osascript)"
    assert Notifier(platform="darwin", plyer_notify=no_plyer, which=lambda name: None).backend() \
        == f"none: {notifier_module.NO_OSASCRIPT}"
    assert Notifier(platform="win32", plyer_notify=no_plyer, which=lambda name: f"C:/{name}").backend() \
        == f"none: {notifier_module.NO_WINDOWS_BACKEND}"


def test_the_real_plyer_is_found_without_a_word_on_stderr(capfd):
    try:
        import dbus  # noqa: F401
        pytest.skip("dbus-python is installed, so plyer has an in-process backend here")
    except ImportError:
        pass
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning plyer let through would fail here
        found = notifier_module._find_real_plyer()

    assert found.name in {"NotifySendNotification", "Notification"}
    assert Notifier(platform="linux", which=lambda name: None).backend() == f"none: {NO_NOTIFY_SEND}"
    assert capfd.readouterr() == ("", "")


# ---------------------------------------------------------------- macOS: osascript


def test_osascript_gets_the_text_as_arguments_never_as_script():
    title, body = '"; do shell script "rm -rf ~" --', 'say \\"hi\\" <b>'

    argv = osascript_argv("/usr/bin/osascript", title, body)

    assert argv == ["/usr/bin/osascript",
                    "-e", "on run argv",
                    "-e", "display notification (item 2 of argv) with title (item 1 of argv)",
                    "-e", "end run",
                    "--", title, body]


def test_on_macos_osascript_runs_with_the_text_unescaped(tmp_path):
    # A stand-in osascript that writes out the arguments it got, one per line.
    received = tmp_path / "argv"
    fake = tmp_path / "osascript"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{received}"\n', encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    notifier = Notifier(platform="darwin", plyer_notify=plyer_without_backend(), which=lambda name: str(fake))

    delivery = notifier.send("Stand up", "<b>now</b> & stretch")

    assert delivery == Delivery(True, "osascript", None)
    assert received.read_text(encoding="utf-8").splitlines()[-3:] == ["--", "Stand up", "<b>now</b> & stretch"]


def test_notify_send_argv_keeps_the_title_as_text():
    assert notify_send_argv("/usr/bin/notify-send", "-t 0", "a\\b") \
        == ["/usr/bin/notify-send", "--app-name=glutetui", "--", "-t 0", "a\\\\b"]


# ---------------------------------------------------------------- the command and doctor


def test_notify_test_sends_one_notification(bus, server, notify_send):
    result = run_cli("notify-test", env={"DBUS_SESSION_BUS_ADDRESS": bus.address})

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Sent through ") and result.stderr == ""
    assert server.wait_for(2, timeout=0.5) == [(APP_NAME, TEST_TITLE, TEST_BODY)]


def test_notify_test_without_a_bus_says_why_in_one_line(tmp_path, notify_send):
    result = run_cli("notify-test", env={"DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path}/gone"})

    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("glutetui: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_doctor_names_the_notifier(tmp_path, notify_send):
    result = run_cli("doctor", "--db", str(tmp_path / "g.db"))

    assert f"\nnotifier    {Notifier().backend()}\n" in result.stdout
