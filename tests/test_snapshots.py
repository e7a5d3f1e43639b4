"""SVG snapshots of the shell at the smallest size we promise (80x24).

Update after an intended change with: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

from app_factory import make_app

from glutetui.paths import Locations

# Shown on the Settings tab; fixed so the picture does not depend on the temp folder.
SHOWN = Locations(db=Path("/home/runner/.local/share/glutetui/glutetui.db"),
                  config=Path("/home/runner/.config/glutetui/config.toml"),
                  db_is_default=True)


def test_shell_today_80x24(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=tmp_path / "g.db")
    assert snap_compare(app, terminal_size=(80, 24))


def test_shell_settings_80x24(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=tmp_path / "g.db")
    assert snap_compare(app, terminal_size=(80, 24), press=["5"])


async def start_pre_run_and_wait(pilot) -> None:
    from glutetui.ui.widgets.warmup_pane import WarmupPane

    app = pilot.app
    await pilot.press("w")
    app.clock.advance(27.4)  # into the first leg swing, mid-second
    app.main_screen.query_one(WarmupPane)._tick()
    await pilot.pause()


def test_running_warmup_80x24(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=tmp_path / "g.db")
    assert snap_compare(app, terminal_size=(80, 24), run_before=start_pre_run_and_wait)


def test_running_warmup_100x32(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=tmp_path / "g.db")
    assert snap_compare(app, terminal_size=(100, 32), run_before=start_pre_run_and_wait)
