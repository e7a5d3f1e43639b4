"""The idle probes, each against the real thing where it can run here.

X11 runs against a real Xvfb server that xdotool and xset drive; Mutter against a real
private D-Bus session bus; the macOS parser on a sample of ioreg's output. The Windows
probe cannot run here: only its tick arithmetic and its platform check are tested.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from servers import (
    FakeBusService,
    Server,
    first_line,
    private_session_bus,
    require,
    stop,
)

import glutetui.services.idle as idle
from glutetui.services.idle import (
    IdleReading,
    ProbeError,
    find_probe,
    macos,
    mutter,
    windows,
    x11,
)

try:
    import jeepney
except ImportError:
    jeepney = None

# ---------------------------------------------------------------- X11, on a real Xvfb


@contextmanager
def running_xvfb() -> Iterator[Server]:
    require(shutil.which("Xvfb"), "the program Xvfb (apt package xvfb)")
    require(x11.load_libraries(), "libX11 or libXss (apt packages libx11-6, libxss1)")
    read_end, write_end = os.pipe()
    # -displayfd: the server picks a free display and writes its number once it is ready.
    # -noreset: an X server resets itself, idle time and screen saver included, whenever its
    # last client leaves; on a desktop the window manager always stays, here nobody does.
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "640x480x24", "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_end,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        yield Server(":" + first_line(read_end, process, "Xvfb"), process)
    finally:
        os.close(read_end)
        stop(process)


@pytest.fixture(scope="module")
def x_server() -> Iterator[Server]:
    with running_xvfb() as server:
        yield server


def x_client(server: Server, *command: str) -> None:
    require(shutil.which(command[0]), f"the program {command[0]} (apt package {X_TOOL_PACKAGES[command[0]]})")
    subprocess.run(command, env={**os.environ, "DISPLAY": server.address}, check=True, timeout=10,
                   stdin=subprocess.DEVNULL, capture_output=True)


X_TOOL_PACKAGES = {"xdotool": "xdotool", "xset": "x11-xserver-utils"}


def x11_probe(display: str) -> x11.X11Probe:
    probe = x11.probe_for({"DISPLAY": display}, "linux")
    assert probe is not None
    return probe


def test_x11_idle_time_grows_and_input_resets_it(x_server):
    probe = x11_probe(x_server.address)
    # Two moves, so the pointer really moves even if it already sat at one of the spots.
    x_client(x_server, "xdotool", "mousemove", "10", "10", "mousemove", "20", "30")
    after_move = probe.read()
    time.sleep(1.2)  # the X server keeps its own clock; there is no fake one to move
    later = probe.read()
    x_client(x_server, "xdotool", "key", "shift")
    after_key = probe.read()

    assert after_move.idle_seconds < 0.5
    assert 1.15 <= later.idle_seconds - after_move.idle_seconds < 2.5
    assert after_key.idle_seconds < 0.5
    assert not later.locked


def test_x11_screen_saver_on_reads_as_locked(x_server):
    probe = x11_probe(x_server.address)
    x_client(x_server, "xset", "s", "activate")
    saver_on = probe.read()
    x_client(x_server, "xset", "s", "reset")
    saver_off = probe.read()

    assert saver_on.locked
    assert not saver_off.locked


def test_find_probe_picks_x11_where_display_is_set(x_server):
    probe = find_probe({"DISPLAY": x_server.address}, platform="linux")

    assert isinstance(probe, x11.X11Probe)
    assert probe.name == f"X11 XScreenSaver on display {x_server.address}"


def test_doctor_names_the_probe_in_use(x_server, tmp_path):
    from helpers import run_cli

    env = {"DISPLAY": x_server.address, "WAYLAND_DISPLAY": "", "DBUS_SESSION_BUS_ADDRESS": ""}
    with_x = run_cli("doctor", "--db", str(tmp_path / "g.db"), env=env)
    assert f"idle probe  X11 XScreenSaver on display {x_server.address}" in with_x.stdout
    without = run_cli("doctor", "--db", str(tmp_path / "g.db"), env={**env, "DISPLAY": ""})
    assert "idle probe  none found: only suspend gaps and the keys count as away" in without.stdout


def test_x11_is_not_asked_under_wayland(x_server):
    # Xwayland would answer, but it never sees the input that goes to Wayland windows.
    assert find_probe({"DISPLAY": x_server.address, "WAYLAND_DISPLAY": "wayland-0"}, platform="linux") is None


def test_x11_is_not_asked_on_macos_where_display_means_xquartz(x_server):
    assert x11.probe_for({"DISPLAY": x_server.address}, "darwin") is None


def test_a_display_nobody_serves_raises_probe_error_quietly(capfd):
    require(x11.load_libraries(), "libX11 or libXss (apt packages libx11-6, libxss1)")
    probe = x11_probe(unused_display())

    with pytest.raises(ProbeError):
        probe.read()
    assert capfd.readouterr() == ("", "")


def unused_display() -> str:
    for number in range(500, 600):
        if not any(os.path.exists(path) for path in (f"/tmp/.X11-unix/X{number}", f"/tmp/.X{number}-lock")):
            return f":{number}"
    pytest.fail("no free X display number in 500-599")


def test_a_server_gone_mid_way_raises_probe_error_and_the_process_lives_on(capfd):
    # If Xlib called exit() here, pytest itself would vanish: surviving is the test.
    with running_xvfb() as server:
        probe = x11_probe(server.address)
        assert probe.read().idle_seconds >= 0
        stop(server.process)

        with pytest.raises(ProbeError):
            probe.read()
    assert capfd.readouterr() == ("", "")


# ---------------------------------------------------------------- Mutter, on a real private D-Bus

@pytest.fixture
def session_bus() -> Iterator[Server]:
    with private_session_bus() as bus:
        yield bus


IDLE_MONITOR_NAME = "org.gnome.Mutter.IdleMonitor"
SCREEN_SAVER_NAME = "org.gnome.ScreenSaver"
METHODS = {
    ("/org/gnome/Mutter/IdleMonitor/Core", "org.gnome.Mutter.IdleMonitor", "GetIdletime"): ("t", "idle_ms"),
    ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "GetActive"): ("b", "screen_saver_active"),
}


class FakeGnomeShell(FakeBusService):
    """Stands in for GNOME Shell, which cannot run here: it owns the bus names of Mutter's
    IdleMonitor and of GNOME's screen saver and answers with the values the test sets."""

    def __init__(self, address: str, names=(IDLE_MONITOR_NAME, SCREEN_SAVER_NAME), answers: bool = True):
        self.idle_ms = 0
        self.screen_saver_active = False
        self.call_flags = []
        super().__init__(address, names, answers)

    def _reply_to(self, call):
        self.call_flags.append(call.header.flags)
        fields, header = call.header.fields, jeepney.HeaderFields
        method = METHODS.get((fields.get(header.path), fields.get(header.interface), fields.get(header.member)))
        if method is None:
            return jeepney.new_error(call, "org.freedesktop.DBus.Error.UnknownMethod")
        signature, attribute = method
        return jeepney.new_method_return(call, signature, (getattr(self, attribute),))


def mutter_probe(bus: Server) -> mutter.MutterProbe:
    probe = mutter.probe_for({"DBUS_SESSION_BUS_ADDRESS": bus.address}, "linux")
    assert probe is not None
    return probe


def test_mutter_reads_idle_time_and_screen_saver(session_bus):
    probe = mutter_probe(session_bus)
    with FakeGnomeShell(session_bus.address) as shell:
        shell.idle_ms = 73_500
        at_desk = probe.read()
        shell.idle_ms, shell.screen_saver_active = 301_250, True
        locked = probe.read()

    assert at_desk == IdleReading(idle_seconds=73.5, locked=False)
    assert locked == IdleReading(idle_seconds=301.25, locked=True)
    # Where GNOME is missing, the bus must not be asked every few seconds to start it.
    assert len(shell.call_flags) == 4
    assert all(flags & jeepney.MessageFlag.no_auto_start for flags in shell.call_flags)


def test_find_probe_picks_mutter_on_the_session_bus_without_display(session_bus):
    with FakeGnomeShell(session_bus.address):
        probe = find_probe({"DBUS_SESSION_BUS_ADDRESS": session_bus.address}, platform="linux")

    assert isinstance(probe, mutter.MutterProbe)
    assert "Mutter" in probe.name


def test_mutter_without_gnome_screen_saver_reads_unlocked(session_bus):
    with FakeGnomeShell(session_bus.address, names=(IDLE_MONITOR_NAME,)) as shell:
        shell.idle_ms = 42_000
        reading = mutter_probe(session_bus).read()

    assert reading == IdleReading(idle_seconds=42.0, locked=False)


def test_a_bus_without_gnome_finds_no_probe(session_bus):
    with pytest.raises(ProbeError, match="GetIdletime"):
        mutter_probe(session_bus).read()
    assert find_probe({"DBUS_SESSION_BUS_ADDRESS": session_bus.address}, platform="linux") is None


def test_a_shell_that_never_answers_raises_probe_error_within_the_timeout(session_bus):
    probe = mutter.MutterProbe(session_bus.address, timeout=0.4)
    with FakeGnomeShell(session_bus.address, answers=False):
        started = time.monotonic()
        with pytest.raises(ProbeError):
            probe.read()
        waited = time.monotonic() - started

    assert waited < 0.4 + 0.3


def test_a_bus_that_went_away_raises_probe_error(session_bus):
    probe = mutter_probe(session_bus)
    stop(session_bus.process)

    with pytest.raises(ProbeError):
        probe.read()


@pytest.mark.parametrize("address", ["tcp:host=localhost,port=1", "not an address", ""])
def test_an_address_jeepney_cannot_use_raises_probe_error(address):
    require(jeepney, "the Python package jeepney")
    with pytest.raises(ProbeError):
        mutter.MutterProbe(address).read()


def test_without_jeepney_there_is_no_mutter_probe(monkeypatch):
    monkeypatch.setattr(mutter, "jeepney", None)
    assert mutter.probe_for({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"}, "linux") is None


def test_with_nothing_to_ask_there_is_no_probe(monkeypatch, tmp_path):
    # No system bus either: on a developer's machine the real one would be asked.
    monkeypatch.setattr(idle, "SYSTEM_BUS_SOCKET", str(tmp_path / "no-system-bus"))
    assert find_probe({}, platform="linux") is None


# ---------------------------------------------------------------- macOS and Windows

IOREG_SAMPLE = """\
+-o IOHIDSystem  <class IOHIDSystem, id 0x100000539, registered, matched, active, busy 0 (0 ms), retain 29>
  | {
  |   "IOClass" = "IOHIDSystem"
  |   "CFBundleIdentifier" = "com.apple.iokit.IOHIDFamily"
  |   "IOProviderClass" = "IOResources"
  |   "HIDScrollCountBootTime" = 1
  |   "IOMatchCategory" = "IOHID"
  |   "HIDIdleTime" = 73512345678
  |   "HIDParameters" = {"HIDClickTime"=500000000,"HIDAutoDimThreshold"=300000000000}
  |   "IOResourceMatch" = "IOKit"
  | }
  |
  +-o IOHIDUserClient  <class IOHIDUserClient, id 0x10000070e, !registered, !matched, active, busy 0, retain 6>
"""


def test_macos_idle_time_is_read_from_ioreg_in_nanoseconds():
    assert macos.parse_hid_idle_seconds(IOREG_SAMPLE) == pytest.approx(73.512345678)


def test_macos_takes_the_freshest_of_several_hid_systems():
    assert macos.parse_hid_idle_seconds(IOREG_SAMPLE + '  |   "HIDIdleTime" = 2000000000\n') == 2.0


def test_macos_text_without_idle_time_raises_probe_error():
    with pytest.raises(ProbeError):
        macos.parse_hid_idle_seconds('+-o IOHIDSystem\n  |   "IOClass" = "IOHIDSystem"\n')


def test_macos_probe_without_ioreg_raises_probe_error(monkeypatch):
    monkeypatch.setattr(macos, "IOREG_COMMAND", ("glutetui-no-such-ioreg",))
    with pytest.raises(ProbeError):
        macos.MacOSProbe().read()


def test_macos_probe_is_offered_only_on_macos():
    assert isinstance(macos.probe_for({}, "darwin"), macos.MacOSProbe)
    assert macos.probe_for({}, "linux") is None


@pytest.mark.parametrize(("now", "last_input", "idle_ms"), [
    (5_000, 3_000, 2_000),
    (2**32 + 1_500, 1_000, 500),              # the 32-bit count has wrapped once since boot
    (2**32 + 200, 2**32 - 300, 500),          # and wrapped between the input and now
    (3 * 2**32 + 10, 2**32 - 5, 15),
])
def test_windows_idle_time_survives_the_32_bit_tick_wrap(now, last_input, idle_ms):
    assert windows.idle_ms_since(now, last_input) == idle_ms


def test_windows_probe_is_offered_only_on_windows():
    # GetLastInputInfo cannot run here; on Windows the probe is the only one asked.
    assert windows.probe_for({}, "linux") is None
    assert windows.probe_for({}, "darwin") is None
