"""Shared fixtures. Every test runs with its own data, config and log folders and
no session bus, so no test can touch the user's real files or desktop."""

from __future__ import annotations

import compileall
import gc
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import settings

from glutetui.clock import FakeClock
from glutetui.paths import Locations

# A Wednesday afternoon in late November, in a zone with daylight saving.
FROZEN_NOW = datetime(2026, 11, 18, 14, 30, tzinfo=timezone.utc)
ZONE = "Europe/Berlin"
SRC = Path(__file__).resolve().parents[1] / "src"

# CI replays the same examples every run, so a red CI can be reproduced; a local run
# keeps exploring and remembers what failed in .hypothesis/.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # once, in the process that starts the workers
        # Every `glutetui` the tests start (commands, the app in a pty) imports src/ again.
        # Where PYTHONDONTWRITEBYTECODE is set, nothing would cache the compiled modules and
        # each child would compile all of them anew; compile them once here instead.
        compileall.compile_dir(SRC, quiet=1)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    # `-n auto` (pyproject's addopts): one worker more than there are cores. Many tests
    # wait on a child process (the app in a pty, a command), and the spare worker uses
    # that core meanwhile: on 2 cores, 3 workers took 194 s where 2 took 205-215 s.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1


def pytest_collection_finish(session: pytest.Session) -> None:
    # Each Pilot test builds a whole Textual app: hundreds of thousands of short-lived
    # objects. With the default thresholds the collector ran thousands of times a file,
    # walking every module and test object each time (a fifth of the Pilot tests' time).
    # What exists after collection lives to the end, so it is frozen out of those walks,
    # and the young generation is collected less often. Memory stays bounded: every
    # generation is still collected.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 1000)


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

