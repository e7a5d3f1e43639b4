"""Shared fixtures. Every test runs with its own data, config and log folders and
no session bus, so no test can touch the user's real files or desktop."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from glutetui.clock import FakeClock
from glutetui.paths import Locations

# A Wednesday afternoon in late November, in a zone with daylight saving.
FROZEN_NOW = datetime(2026, 11, 18, 14, 30, tzinfo=timezone.utc)
ZONE = "Europe/Berlin"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory, monkeypatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    monkeypatch.setenv("GLUTETUI_DB", str(home / "env.db"))
    monkeypatch.setenv("GLUTETUI_CONFIG", str(home / "env-config.toml"))
    # A reminder that fires in a test must never pop up on the developer's desktop:
    # this bus does not exist. Tests that want notifications start their own bus.
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={home}/no-session-bus")
    return home


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(FROZEN_NOW, zone=ZONE)


@pytest.fixture
def locations(tmp_path) -> Locations:
    return Locations(db=tmp_path / "glutetui.db", config=tmp_path / "config.toml",
                     db_is_default=False)

