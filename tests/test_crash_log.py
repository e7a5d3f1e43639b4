"""A crash log quotes the traceback, which can hold notes and paths: private like the database."""

from __future__ import annotations

import os
import stat
import sys
from datetime import datetime, timezone

import pytest

from glutetui.crashlog import write_crash_log
from glutetui.paths import log_dir

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
CRASHED_AT = datetime(2026, 11, 18, 14, 30, tzinfo=timezone.utc)


def _raised() -> ValueError:
    try:
        raise ValueError("note: knee hurt after the hill")
    except ValueError as error:
        return error


def test_crash_logs_and_the_folder_made_for_them_are_readable_by_the_user_only():
    previous = os.umask(0o022)  # the usual umask, which left logs 0644 before
    try:
        first = write_crash_log(_raised(), CRASHED_AT)
        second = write_crash_log(_raised(), CRASHED_AT)  # same process, same second
    finally:
        os.umask(previous)
    assert first is not None and second is not None and first != second
    assert "knee hurt" in first.read_text() and "knee hurt" in second.read_text()
    for log in (first, second):
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert first.parent == log_dir()
    assert stat.S_IMODE(log_dir().stat().st_mode) == 0o700


def test_a_link_planted_at_the_logs_name_is_not_followed(tmp_path):
    target = tmp_path / "somewhere-else"
    log_dir().mkdir(parents=True)
    planted = log_dir() / f"crash-{CRASHED_AT:%Y%m%d-%H%M%S}-{os.getpid()}.log"
    planted.symlink_to(target)
    log = write_crash_log(_raised(), CRASHED_AT)
    assert log is not None and log != planted
    assert not target.exists()
