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
                  db_is_default=True, config_is_default=True)


def test_shell_today_80x24(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=tmp_path / "g.db")
    assert snap_compare(app, terminal_size=(80, 24))


def test_shell_settings_80x24(snap_compare, clock, tmp_path):
    app = make_app(SHOWN, clock, db_path=tmp_path / "g.db")
    assert snap_compare(app, terminal_size=(80, 24), press=["5"])
