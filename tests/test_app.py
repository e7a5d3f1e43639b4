"""The app shell through Textual's Pilot, on a real SQLite file and a frozen clock."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import pytest
from app_factory import TEST_TIPS, make_app
from helpers import day_begun, poll, run_cli, run_from_palette, tick, wait_until
from textual.app import App
from textual.containers import Vertical
from textual.widgets import Select, Static

from glutetui.config import load_settings
from glutetui.store.lock import InstanceLock
from glutetui.ui.app import GlutetuiApp
from glutetui.ui.screens.main import TABS, DeferredPane
from glutetui.ui.widgets.footer import KeyFooter
from glutetui.ui.widgets.today_pane import TodayPane


def shown(app, selector: str) -> str:
    return str(app.main_screen.query_one(selector, Static).content)


def today_pane(app) -> TodayPane:
    return app.main_screen.query_one(TodayPane)


async def test_every_tab_by_key_then_ctrl_q_exits_0(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for number, tab_id in enumerate(TABS, start=1):
            await pilot.press(str(number))
            assert app.main_screen.active_tab == tab_id
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_a_posture_key_handled_after_ctrl_q_opens_no_interval(locations, clock):
    """ctrl+q is handled at once by the app, while a key typed just before it may still
    wait in the screen's queue: that key must not open an interval nobody will close
    (seen with three writers on a busy machine; the next start called it a crash)."""
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)):
        await app.action_quit()
        app.main_screen.action_posture("break")
    conn = sqlite3.connect(locations.db)
    still_open = conn.execute("SELECT state, source FROM posture WHERE ended_at IS NULL").fetchall()
    conn.close()
    assert still_open == []


def footer_keys(footer: KeyFooter) -> list[str]:
    return [key.key for item in footer.shown() for key in item.keys]


async def test_the_footer_is_repainted_only_when_its_keys_change(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        footer = app.main_screen.query_one(KeyFooter)
        assert "s" in footer_keys(footer)
        repaints = []
        footer.refresh = lambda *args, **kwargs: repaints.append(1) or KeyFooter.refresh(footer, *args, **kwargs)
        app.main_screen.refresh_bindings()  # what each focus move and tab switch sets off
        await pilot.pause()
        assert repaints == [], "the same keys were drawn again"
        await pilot.press("w")  # a running warm-up has keys of its own
        await wait_until(pilot, lambda: "space" in footer_keys(footer), "the warm-up's keys in the footer")
        assert "n" in footer_keys(footer) and repaints


async def test_today_shows_the_local_date_and_the_tip_of_the_day(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)):
        assert today_pane(app).shown("today-date") == "Wednesday 18 November 2026"
        tip = shown(app, "#today-tip")
        assert tip.startswith("Tip of the day") and any(t in tip for t in TEST_TIPS)


async def test_midnight_brings_a_new_day_and_a_new_tip(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        first_tip = shown(app, "#today-tip")
        clock.advance(12 * 3600)  # 14:30 UTC + 12 h is after midnight in Berlin
        await poll(pilot)
        await pilot.pause()
        assert today_pane(app).shown("today-date") == "Thursday 19 November 2026"
        assert shown(app, "#today-tip") != first_tip


async def test_a_state_said_by_another_process_appears(locations, clock):
    app = make_app(locations, clock)
    with InstanceLock(locations.db):  # as `glutetui` holds it, so the command knows the app is open
        async with app.run_test(size=(80, 24)) as pilot:
            await tick(pilot)
            assert today_pane(app).shown("today-state").startswith("Sitting since 15:30")
            result = run_cli("stand", "--db", str(locations.db))
            assert result.returncode == 0, result.stderr
            assert "the open app shows it" in result.stdout
            # The interval timer calls this every DATA_POLL_SECONDS; call it now instead of sleeping.
            await poll(pilot)
            await pilot.pause()
            assert today_pane(app).shown("today-state").startswith("Standing (command)")
    assert GlutetuiApp.DATA_POLL_SECONDS <= 2


async def test_theme_choice_is_saved_and_used_next_time(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await wait_until(pilot, lambda: app.screen.query("#theme-select"), "the Settings pane")
        app.screen.query_one("#theme-select", Select).value = "gruvbox"
        await pilot.pause()
        assert app.theme == "gruvbox"
    assert load_settings(locations.config).theme == "gruvbox"

    again = make_app(locations, clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await wait_until(pilot, lambda: any(select.is_mounted for select in again.screen.query("#theme-select")),
                         "the Settings pane")
        assert again.theme == "gruvbox"
        assert again.screen.query_one("#theme-select", Select).value == "gruvbox"


async def test_theme_picked_from_the_palette_is_saved(locations, clock):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert load_settings(locations.config).theme == "nord"


async def test_unknown_theme_in_config_warns_and_falls_back(locations, clock):
    locations.config.write_text('theme = "no-such-theme"\n')
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24), notifications=True):
        messages = [n.message for n in app._notifications]
        assert any("no-such-theme" in m and "Settings tab" in m for m in messages)
        assert app.theme == "textual-dark"
    assert 'no-such-theme' in locations.config.read_text()  # not overwritten until the user picks


@pytest.mark.parametrize("title", ["Runs", "Progress", "Settings"])
async def test_command_palette_lists_the_tabs(locations, clock, title):
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_from_palette(pilot, title)
        assert app.main_screen.active_tab == title.lower()


class BrokenApp(GlutetuiApp):
    BINDINGS = [("f9", "break", "Break")]

    def action_break(self) -> None:
        raise RuntimeError("a bug")


async def test_an_unexpected_error_shows_a_line_and_a_log_not_a_traceback(locations, clock, isolated_dirs, capfd):
    app = make_app(locations, clock, app_class=BrokenApp)
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f9")
            await pilot.pause()
    assert app.return_code == 1
    logs = list(isolated_dirs.rglob("crash-*.log"))
    assert len(logs) == 1 and "RuntimeError: a bug" in logs[0].read_text()
    printed = "".join(capfd.readouterr().err.split())  # undo the console's line wrapping
    assert "glutetuistoppedafteranunexpectederror(RuntimeError:abug)" in printed
    assert logs[0].name in printed and "Traceback" not in printed


DEFERRED_MODULES = ("glutetui.ui.widgets.warmup_pane", "glutetui.ui.widgets.runs_pane",
                    "glutetui.ui.widgets.progress_pane", "glutetui.ui.widgets.settings_pane",
                    "glutetui.services.progress", "glutetui.domain.progress", "glutetui.services.runs",
                    "glutetui.ui.screens.morning_check", "glutetui.ui.screens.reminder",
                    "glutetui.ui.screens.pause", "glutetui.ui.screens.away_prompt", "glutetui.ui.widgets.bar_chart",
                    "glutetui.ui.widgets.routine_player", "glutetui.domain.pain_timeline",
                    "glutetui.ui.widgets.pain_timeline", "glutetui.services.report_page",
                    "glutetui.services.report_html")


def test_opening_imports_the_other_tabs_only_after_the_first_paint():
    """Start-up pays for Today alone (benchmarks/startup.py measures it)."""
    loaded = subprocess.run([sys.executable, "-c", "import sys, glutetui.cli, glutetui.ui.app; print(*sys.modules)"],
                            capture_output=True, text=True, check=True).stdout.split()
    assert "glutetui.ui.widgets.today_pane" in loaded
    assert not set(DEFERRED_MODULES) & set(loaded)


# Each was loaded before Today's first paint and is not needed for it (issue 21): argparse
# parses the other commands (the app's line is read by glutetui.entry), tomlkit
# writes settings, sqlite-utils (with click, pluggy, dateutil's parser) creates and migrates
# files, jeepney and the probe modules read idle time where the environment has a way to.
NOT_AT_START = ("argparse", "tomlkit", "sqlite_utils", "click", "pluggy", "dateutil", "jeepney",
                "glutetui.services.idle.x11", "glutetui.services.idle.mutter",
                "glutetui.services.idle.screensaver", "glutetui.services.idle.logind",
                "glutetui.services.idle.bus", "glutetui.services.notify_actions",
                "glutetui.services.idle.macos", "glutetui.services.idle.windows")

START_PATH = """
import sys
from pathlib import Path
from glutetui.entry import app_request
import glutetui.launch
from glutetui.config import load_settings
import glutetui.services.idle
from glutetui.services.idle import find_probe
from glutetui.store.db import open_connection
import glutetui.ui.app
app_request(["--db", sys.argv[2]])
load_settings(Path(sys.argv[1]))
open_connection(Path(sys.argv[2])).close()
glutetui.services.idle.SYSTEM_BUS_SOCKET = sys.argv[3]  # where this machine's system bus would be
find_probe()
print(*sys.modules)
"""


def test_the_start_path_leaves_out_what_the_first_paint_does_not_need(tmp_path, monkeypatch):
    """What `glutetui` does before its first paint (entry.run_app, launch.open_app), on an up-to-date file,
    with no X display and no session or system bus, in a fresh interpreter."""
    from glutetui.store.db import open_store

    open_store(tmp_path / "g.db").close()  # created and migrated here: the start only opens it
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "DBUS_SYSTEM_BUS_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    loaded = subprocess.run([sys.executable, "-c", START_PATH, str(tmp_path / "none.toml"), str(tmp_path / "g.db"),
                             str(tmp_path / "no-system-bus")],
                            capture_output=True, text=True, check=True).stdout.split()
    assert "glutetui.ui.widgets.today_pane" in loaded and "glutetui.store.db" in loaded
    assert [name for name in loaded if name.split(".")[0] in NOT_AT_START or name in NOT_AT_START] == []


async def test_a_deferred_pane_taken_down_before_its_turn_is_never_made():
    """ctrl+q straight after start removes the tabs while the deferred panes still wait
    for the first paint's callbacks; that used to crash quitting with a MountError
    (1 start in 3 in the full-disk reliability test)."""
    made = []

    class Holder(App):
        def compose(self):
            with Vertical(id="holder"):
                yield DeferredPane(lambda: made.append(1) or Static("made"), "late")

    app = Holder()
    async with app.run_test() as pilot:
        holder = app.query_one("#holder")
        await holder.remove()  # before the refresh that would make the pane
        await pilot.pause()
        assert made == [] and not app.query("DeferredPane")


async def test_the_deferred_tabs_are_there_once_the_app_has_painted(locations, clock):
    app = make_app(locations, clock, build_ahead=True)  # as shipped
    async with app.run_test(size=(80, 24)) as pilot:
        # Made in the first paint's callbacks: on a busy machine that is more than one pause away.
        await wait_until(pilot, lambda: not app.screen.query("DeferredPane"), "the deferred panes made")
        for pane_id in ("warmup-pane", "runs-pane", "progress-pane", "settings-pane"):
            assert len(app.screen.query(f"#{pane_id}")) == 1, pane_id
        await pilot.press("4", "left_square_bracket")  # a week key reaches the mounted Progress pane
        await pilot.pause()
        assert app.screen.query_one("#progress-pane").start is not None  # a week back


async def test_without_building_ahead_a_tab_is_made_when_shown(locations, clock):
    """What a key pressed before the app has made its tabs meets: the tab is made then."""
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert len(app.screen.query(DeferredPane)) == 4
        await pilot.press("4")
        await wait_until(pilot, lambda: app.screen.query("#progress-pane"), "the Progress pane made when shown")
        await wait_until(pilot, lambda: app.focused is app.screen.query_one("#progress-pane"), "Progress focused")
        assert {pane.id for pane in app.screen.query(DeferredPane)} == {
            "warmup-pane-deferred", "runs-pane-deferred", "settings-pane-deferred"}


async def test_routines_are_read_once_by_the_days_start_on_the_storage_thread(locations, clock, monkeypatch):
    """Not on the event loop before the first paint: the day's start needs the desk moves
    and reads them there, and the Warm-up tab then finds them read."""
    import glutetui.ui.app as app_module

    readers = []
    real = app_module.load_routines

    def load(user_dir):
        readers.append(threading.current_thread().name)
        return real(user_dir)

    monkeypatch.setattr(app_module, "load_routines", load)
    app = make_app(locations, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await day_begun(pilot)
        assert app.storage.wait_idle()
        assert readers == ["glutetui-storage"]
        assert app.session.reminders.moves  # the desk-break routine's moves, for the reminder window
        await pilot.press("2")
        await wait_until(pilot, lambda: app.main_screen.query("#warmup-pane"), "the Warm-up tab")
        assert readers == ["glutetui-storage"]
