"""SVG snapshots of the shell at the smallest size we promise (80x24).

Update after an intended change with: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

from app_factory import make_app as make_real_app
from helpers import settle, tick

from glutetui.services.notifier import Delivery, Notifier

from glutetui.paths import Locations
from glutetui.services.demo import fill_demo
from glutetui.store.db import open_store

# Shown on the Settings tab; fixed so the picture does not depend on the temp folder.
SHOWN = Locations(db=Path("/home/runner/.local/share/glutetui/glutetui.db"),
                  config=Path("/home/runner/.config/glutetui/config.toml"),
                  db_is_default=True)


class DesktopStandIn(Notifier):
    """A desktop notification that always arrives at once. The real notifier answers from a
    thread at a moment of its own, which would put a toast in some pictures and not in
    others; it is tested against a real bus in test_reminder_notifications.py."""

    def send(self, title: str, body: str, actions: tuple = ()) -> Delivery:
        return Delivery(True, "stand-in", None)


def make_app(*args, **kwargs):
    return make_real_app(*args, notifier=DesktopStandIn(), **kwargs)


def demo_db(path: Path, clock) -> Path:
    db = open_store(path)
    fill_demo(db, until=clock.now(), zone=clock.local_zone(), weeks=1, seed=1)
    db.close()
    return path


async def first_tick(pilot) -> None:
    await settle(pilot)
    await tick(pilot)  # the one-second timer's work, done now so the picture is fixed
    await settle(pilot)


async def picture_ready(pilot) -> None:
    """The last step before a picture: the footer fits its keys a refresh or two after they change."""
    for _ in range(3):
        await pilot.pause()


async def twenty_minutes_on(pilot) -> None:
    await first_tick(pilot)
    for _ in range(20):
        pilot.app.clock.advance(60)
        await first_tick(pilot)
    await picture_ready(pilot)


def test_today_80x24(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=demo_db(tmp_path / "g.db", clock))
    assert snap_compare(app, terminal_size=(80, 24), run_before=twenty_minutes_on)


def test_today_120x40(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=demo_db(tmp_path / "g.db", clock))
    assert snap_compare(app, terminal_size=(120, 40), run_before=twenty_minutes_on)


async def ask_about_a_lunch_nap(pilot) -> None:
    await first_tick(pilot)
    pilot.app.clock.jump_wall(40 * 60)
    await first_tick(pilot)
    await picture_ready(pilot)


def test_away_question_80x24(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=demo_db(tmp_path / "g.db", clock))
    assert snap_compare(app, terminal_size=(80, 24), run_before=ask_about_a_lunch_nap)


def test_shell_settings_80x24(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=tmp_path / "g.db")
    assert snap_compare(app, terminal_size=(80, 24), press=["5"])


async def start_pre_run_and_wait(pilot) -> None:
    from glutetui.ui.widgets.warmup_pane import WarmupPane

    app = pilot.app
    await pilot.press("w")
    app.clock.advance(27.4)  # into the first leg swing, mid-second
    app.main_screen.query_one(WarmupPane).player.tick()
    await settle(pilot)
    await picture_ready(pilot)


def test_running_warmup_80x24(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=tmp_path / "g.db")
    assert snap_compare(app, terminal_size=(80, 24), run_before=start_pre_run_and_wait)


def test_running_warmup_100x32(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=tmp_path / "g.db")
    assert snap_compare(app, terminal_size=(100, 32), run_before=start_pre_run_and_wait)


async def sit_until_reminded(pilot) -> None:
    from glutetui.ui.screens.reminder import ReminderScreen

    await first_tick(pilot)
    for _ in range(120):
        if isinstance(pilot.app.screen, ReminderScreen):
            break
        pilot.app.clock.advance(60)
        await first_tick(pilot)
    await settle(pilot)
    await picture_ready(pilot)


async def take_the_break(pilot) -> None:
    await sit_until_reminded(pilot)
    pilot.app.clock.advance(1)  # the keys answer a moment after the window opens
    await pilot.press("t")
    for _ in range(7):
        pilot.app.clock.advance(1)
        pilot.app.screen.player.tick()  # the window's own player, which drives the move
    await settle(pilot)
    await picture_ready(pilot)


def test_reminder_80x24(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=demo_db(tmp_path / "g.db", clock))
    assert snap_compare(app, terminal_size=(80, 24), run_before=sit_until_reminded)


def test_desk_break_80x24(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=demo_db(tmp_path / "g.db", clock))
    assert snap_compare(app, terminal_size=(80, 24), run_before=take_the_break)


async def show_runs(pilot) -> None:
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)  # the runs are read on the reader thread
    await picture_ready(pilot)


def test_runs_80x24(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=demo_db(tmp_path / "g.db", clock))
    assert snap_compare(app, terminal_size=(80, 24), run_before=show_runs)


def twelve_weeks_db(path: Path, clock) -> Path:
    db = open_store(path)
    fill_demo(db, until=clock.now(), zone=clock.local_zone(), weeks=12, seed=1)
    db.close()
    return path


async def show_progress(pilot) -> None:
    await first_tick(pilot)
    await pilot.press("4")
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)
    await picture_ready(pilot)


def test_progress_80x24(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=twelve_weeks_db(tmp_path / "demo.db", clock))
    assert snap_compare(app, terminal_size=(80, 24), run_before=show_progress)


def test_progress_120x40(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=twelve_weeks_db(tmp_path / "demo.db", clock))
    assert snap_compare(app, terminal_size=(120, 40), run_before=show_progress)


async def show_pain_timeline(pilot) -> None:
    """The Progress tab scrolled down to the pain timeline under the weekly charts."""
    from glutetui.ui.widgets.progress_pane import ProgressPane

    await show_progress(pilot)
    pane = pilot.app.main_screen.query_one(ProgressPane)
    pane.scroll_to_widget(pane.query_one("#pain-title"), top=True, animate=False)
    await settle(pilot)
    await picture_ready(pilot)


def test_progress_pain_timeline_80x24(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=twelve_weeks_db(tmp_path / "demo.db", clock))
    assert snap_compare(app, terminal_size=(80, 24), run_before=show_pain_timeline)
