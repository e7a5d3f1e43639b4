"""A command meets a database another process keeps busy, or a disk that refuses a write.

Both are the world's doing, not a bug: one line naming the file and what to do, the
exit status the README gives (3: busy, try again; 2: fix the disk or the limit), no crash
log, and every row stored before is still there and the file intact. Before, both ended
in "unexpected error (OperationalError: ...)", exit 1 and a crash log."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from glutetui import cli
from glutetui.paths import log_dir
from glutetui.store import db as store_db
from glutetui.store.db import open_store

HOLD_WRITE_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


def stored_runs(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return conn.execute("SELECT distance_m, notes FROM runs ORDER BY started_at").fetchall()


def no_crash_logs() -> bool:
    return not log_dir().exists() or not any(log_dir().iterdir())


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "g.db"
    open_store(path).close()
    assert cli.main(["run", "add", "--db", str(path), "--config", str(tmp_path / "none.toml"),
                     "--distance", "5k", "--time", "25", "--notes", "before"]) == 0
    return path


@pytest.mark.parametrize("command", [["stand"], ["run", "add", "--distance", "8k", "--time", "40"]],
                         ids=["stand", "run add"])
def test_a_write_lock_held_too_long_is_a_message_to_try_again(database, tmp_path, monkeypatch, capsys, command):
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_S", 0.5)  # the wait itself is SQLite's; half a second shows it
    capsys.readouterr()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITE_LOCK, str(database)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        code = cli.main([*command, "--db", str(database), "--config", str(tmp_path / "none.toml")])
    finally:
        holder.communicate("\n", timeout=10)
    err = capsys.readouterr().err
    assert code == 3, err
    assert err == (f"glutetui: {database}: another glutetui or program is writing to it and kept it busy for "
                   "more than 0.5 s, so this was not stored; try again in a moment.\n")
    assert no_crash_logs()
    assert stored_runs(database) == [(5000.0, "before")]
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM posture WHERE state = 'standing'").fetchone() == (0,)


@pytest.mark.skipif(sys.platform == "win32", reason="ulimit -f is POSIX")
def test_the_shells_file_size_limit_is_named_and_nothing_is_lost(database, tmp_path):
    import resource

    limit = 8 * 1024  # two pages of the -wal: one run with long notes needs more

    def under_limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    big_note = "hill repeats " * 700  # 9,100 characters: three pages of their own
    result = subprocess.run([sys.executable, "-m", "glutetui", "run", "add", "--db", str(database),
                             "--config", str(tmp_path / "none.toml"), "--distance", "8k", "--time", "40",
                             "--notes", big_note], capture_output=True, text=True, timeout=60,
                            preexec_fn=under_limit)
    # The interpreter ignores SIGXFSZ, so the write fails with EFBIG instead of killing the process.
    assert result.returncode == 2, result.stderr
    assert result.stderr == (f"glutetui: {database}: has reached the file size limit of this shell (8 KiB; "
                             "see ulimit -f). Raise the limit, then try again; what was stored is kept.\n")
    assert no_crash_logs()
    assert stored_runs(database) == [(5000.0, "before")]


def test_an_io_error_names_the_file_and_keeps_what_was_stored(database, tmp_path, monkeypatch, capsys):
    # EIO cannot be had from a healthy disk on demand; SQLite's own error for it is raised
    # where the command writes, as a failing disk would make it.
    from glutetui.store import posture

    def failing_disk(*args, **kwargs):
        error = sqlite3.OperationalError("disk I/O error")
        error.sqlite_errorname = "SQLITE_IOERR_WRITE"
        raise error

    monkeypatch.setattr(posture, "begin_state", failing_disk)
    capsys.readouterr()
    code = cli.main(["stand", "--db", str(database), "--config", str(tmp_path / "none.toml")])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (f"glutetui: {database}: the disk reported an error reading or writing it (disk I/O error). "
                   "What was stored is kept; check the disk (the system log says more), then try again.\n")
    assert no_crash_logs()
    assert stored_runs(database) == [(5000.0, "before")]


async def test_the_app_meets_an_io_error_with_a_message_and_keeps_running(locations, monkeypatch):
    from datetime import datetime, timezone

    from app_factory import make_app
    from helpers import settle

    from glutetui.clock import FakeClock
    from glutetui.store import posture

    locations.config.write_text('working_hours = "always"\nremind_desktop = false\n')
    app = make_app(locations, FakeClock(datetime(2026, 11, 18, 8, 0, tzinfo=timezone.utc), zone="Europe/Berlin"))
    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, **options: (said.append(str(message)), notify(message, **options))[1]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        def failing_disk(*args, **kwargs):
            error = sqlite3.OperationalError("disk I/O error")
            error.sqlite_errorname = "SQLITE_IOERR_WRITE"
            raise error

        monkeypatch.setattr(posture, "begin_state", failing_disk)
        await pilot.press("s")
        await settle(pilot)
        assert app.is_running
    assert [message for message in said if "disk I/O error" in message] == [
        f"Cannot use {locations.db}: the disk reported an error reading or writing it (disk I/O error). What was "
        "stored is kept; check the disk (the system log says more), then try again."], said
    assert no_crash_logs()
