"""Shared fixtures. Every test runs with its own data, config and log folders and
no session or system bus, so no test can touch the user's real files or desktop."""

from __future__ import annotations

import compileall
import gc
import os
import sys
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
        if config.getoption("numprocesses", None) and config.getoption("assertmode") == "rewrite":
            _rewrite_test_modules_once(config)


def _rewrite_test_modules_once(config: pytest.Config) -> None:
    """pytest rewrites the asserts of every test module as each worker imports it, 2.5 s of
    CPU a worker, and caches the result in __pycache__ only where bytecode may be written;
    even then the workers of a fresh clone all start at once and each rewrites for itself.
    Rewritten here once, before the workers start, each worker reads the cache instead.
    pytest's own rewriting, through its private helpers: if they change, this does
    nothing and the workers rewrite as before."""
    try:
        from _pytest.assertion.rewrite import (
            PYC_TAIL,
            _read_pyc,
            _rewrite_test,
            _write_pyc,
            assertstate_key,
            get_cache_dir,
        )

        state = config.stash[assertstate_key]
        for source in sorted(Path(__file__).parent.glob("*.py")):
            if source.name != "conftest.py" and not source.name.startswith("test_"):
                continue  # pytest leaves helpers' asserts as written
            cache = get_cache_dir(source)
            pyc = cache / (source.stem + PYC_TAIL)
            if _read_pyc(source, pyc) is None:
                cache.mkdir(exist_ok=True)
                stat, code = _rewrite_test(source, config)
                _write_pyc(state, code, stat, pyc)
    except (ImportError, AttributeError, KeyError, TypeError, OSError):
        return


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


# The longest tests, slowest first (each took 10-25 s in a full run on 2 loaded cores,
# 2026-12-07). A test missing from here only runs in its usual place.
SLOW_FIRST = (
    "test_reliability_crash.py::test_app_and_commands_writing_at_once_lose_nothing_and_never_say_locked",
    "test_real_terminal.py::test_starts_on_a_clock_sixty_times_fast_never_die",
    "test_packaging.py::test_the_sdist_carries_what_its_tests_need_and_they_collect_from_it",
    "test_today_screen.py::test_the_workday_shows_on_today_and_in_the_database",
    "test_keys.py::test_question_mark_and_the_footer_on_every_tab",
    "test_keys.py::test_the_posture_and_pause_commands_do_what_the_keys_do",
    "test_reliability_fuzz.py::test_distance_field_gives_metres_or_a_message",
    "test_reliability_crash.py::test_kill_9_while_the_app_writes_keeps_every_committed_row_and_recovers_the_open_interval",
    "test_snapshots.py::test_desk_break_80x24",
    "test_keys.py::test_the_week_commands_move_progress_as_the_keys_do",
    "test_reminder_screen.py::test_no_reminder_during_the_warm_up_or_the_run_after_it_and_the_run_form_on_return",
    "test_runs_screen.py::test_delete_asks_first_and_undo_brings_the_run_back",
    "test_config_and_paths.py::test_any_text_either_loads_or_says_why",
    "test_reliability_fuzz.py::test_write_commands_one_after_another_leave_a_sound_database",
    "test_import_screen.py::test_runs_imported_elsewhere_show_on_runs_and_progress",
    "test_reliability_fuzz.py::test_the_run_form_refuses_bad_text_in_every_field_and_stores_nothing",
    "test_run_start.py::test_the_run_come_back_from_starts_when_the_warm_up_ended",
    "test_ache_colours.py::test_every_offered_theme_keeps_the_ache_bands_apart",
    "test_reliability_files.py::test_commands_on_a_full_disk_say_so_and_lose_nothing",
    "test_reliability_fuzz.py::test_the_settings_fields_refuse_bad_text_and_leave_the_file_as_it_was",
    "test_reliability_fuzz.py::test_a_settings_field_gives_what_the_settings_file_accepts_or_a_message",
    "test_reliability_fuzz.py::test_effort_field_gives_one_to_ten_or_a_message",
    "test_snapshots.py::test_reminder_80x24",
    "test_reliability_files.py::test_the_app_on_a_full_disk_warns_keeps_running_and_saves_again_when_there_is_room",
    "test_desktop_terminal.py::test_answered_from_the_notification_and_a_locked_session_is_away",
    "test_snapshots.py::test_today_120x40",
    "test_real_terminal.py::test_ctrl_q_at_the_first_paint_quits_cleanly",
    "test_reminder_screen.py::test_z_snoozes_five_minutes_up_to_the_daily_cap_then_only_take_or_skip",
    "test_warmup_screen.py::test_picker_starts_a_chosen_routine_and_returns_after",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # `--dist worksteal` hands each worker one contiguous share of this list and lets an idle
    # worker take the end of another's share. A 25 s test near the end of a share ran while
    # the others had nothing left: the run's tail. So each share begins with its part of
    # the longest tests, dealt in turn, and what is left to steal at the end is short.
    # Every worker orders the same collection the same way, as xdist requires.
    rank = {name: index for index, name in enumerate(SLOW_FIRST)}

    def name(item: pytest.Item) -> str:
        return item.nodeid.removeprefix("tests/")

    slow = sorted((item for item in items if name(item) in rank), key=lambda item: rank[name(item)])
    if not slow:
        return
    rest = [item for item in items if name(item) not in rank]
    workers = max(1, int(getattr(config, "workerinput", {}).get("workercount", 1)))
    ordered, left = [], len(items)
    for share in range(workers):
        size = left // (workers - share)  # as xdist's worksteal scheduler splits the list
        mine = slow[share::workers]
        ordered += mine + rest[:max(0, size - len(mine))]
        del rest[:max(0, size - len(mine))]
        left -= size
    items[:] = ordered + rest


@pytest.fixture(autouse=True)
def apps_let_go():
    yield
    factory = sys.modules.get("app_factory")  # imported by the tests that make apps
    if factory is not None:
        factory.stop_made_apps()


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
    # Nor may the idle probe read the machine's real logind: its lock would be the developer's.
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", f"unix:path={home}/no-system-bus")
    return home


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(FROZEN_NOW, zone=ZONE)


@pytest.fixture
def locations(tmp_path) -> Locations:
    return Locations(db=tmp_path / "glutetui.db", config=tmp_path / "config.toml",
                     db_is_default=False)

