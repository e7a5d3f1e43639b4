"""One database file has one app, whatever name it is opened by: a symlink, a path with
`..` in it, a relative path or a hard link. Before, the lock sat beside the name typed, so
an app opened as link.db and another as real/g.db both ran, and the second (or a `stand`
through the other name) took the first's live interval for a crashed one and closed it."""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from glutetui import cli
from glutetui.domain.timefmt import to_utc_text
from glutetui.errors import AlreadyRunning
from glutetui.store.db import open_store
from glutetui.store.lock import InstanceLock, app_is_running, lock_path_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symlinks, hard links and flock are POSIX here")


@pytest.fixture(autouse=True)
def refuse_at_once(monkeypatch):
    """A refused lock is retried for 0.2 s against an app that is just quitting; nobody quits
    here, and the test refuses many times."""
    from functools import partial

    from glutetui.store import lock

    monkeypatch.setattr(lock, "_lock_soon", partial(lock._lock_soon, attempts=1))


@pytest.fixture
def real_db(tmp_path) -> Path:
    (tmp_path / "real").mkdir()
    path = tmp_path / "real" / "g.db"
    open_store(path).close()
    return path


def other_names(real_db: Path, tmp_path: Path) -> dict[str, Path]:
    link = tmp_path / "link.db"
    link.symlink_to(real_db)
    (tmp_path / "elsewhere").mkdir()
    hard = tmp_path / "elsewhere" / "hard.db"
    os.link(real_db, hard)
    return {"symlink": link, "dotdot": tmp_path / "elsewhere" / ".." / "real" / "g.db", "hard link": hard}


def test_every_name_of_the_file_meets_the_app_that_holds_it(real_db, tmp_path):
    names = other_names(real_db, tmp_path)
    for opened_as in [real_db, *names.values()]:
        with InstanceLock(opened_as):
            for name, path in {"real": real_db, **names}.items():
                assert app_is_running(path), f"opened as {opened_as}, seen as free through the {name}"
            for path in {real_db, *names.values()} - {opened_as}:
                with pytest.raises(AlreadyRunning, match=f"pid {os.getpid()}"):
                    InstanceLock(path).acquire()
        assert not any(app_is_running(path) for path in [real_db, *names.values()])
    assert lock_path_for(names["symlink"]) == real_db.with_name("g.db.lock"), "the lock sits beside the real file"


def test_a_relative_path_is_the_same_file(real_db, monkeypatch):
    monkeypatch.chdir(real_db.parent)
    with InstanceLock(real_db):
        assert app_is_running(Path("g.db"))
        with pytest.raises(AlreadyRunning):
            InstanceLock(Path("g.db")).acquire()


def test_a_second_app_through_a_symlink_is_refused_before_it_touches_the_file(real_db, tmp_path, capsys):
    link = tmp_path / "link.db"
    link.symlink_to(real_db)
    before = real_db.read_bytes()
    with InstanceLock(real_db):  # the first app, opened as real/g.db
        code = cli.main(["--db", str(link), "--config", str(tmp_path / "none.toml")])
    assert code == 1
    assert f"already open on {link} in another terminal (pid {os.getpid()})" in capsys.readouterr().err
    assert real_db.read_bytes() == before


def test_a_state_command_through_a_symlink_leaves_the_open_apps_interval_alone(real_db, tmp_path, capsys):
    started = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=20)
    db = open_store(real_db)
    db["posture"].insert({"id": "live", "state": "sitting", "started_at": to_utc_text(started), "ended_at": None,
                          "last_seen_at": to_utc_text(started), "source": "auto",
                          "created_at": to_utc_text(started)})  # its heartbeat is old: a closed app's would be
    db.close()
    link = tmp_path / "link.db"
    link.symlink_to(real_db)
    with InstanceLock(real_db):
        assert cli.main(["stand", "--db", str(link), "--config", str(tmp_path / "none.toml")]) == 0
    assert "the open app shows it within 2 s" in capsys.readouterr().out
    with sqlite3.connect(real_db) as conn:
        live = conn.execute("SELECT source, ended_at > started_at FROM posture WHERE id = 'live'").fetchone()
    assert live == ("auto", 1), "ended now by the new state, not cut back to its last heartbeat as recovered"


def test_inode_locks_left_by_killed_apps_are_swept_and_held_ones_kept(tmp_path):
    import socket

    from glutetui.store.lock import inode_lock_path_for

    first, second = tmp_path / "first.db", tmp_path / "second.db"
    open_store(first).close()
    open_store(second).close()
    with InstanceLock(first):
        held = inode_lock_path_for(first)
        left_by_a_killed_app = held.with_name(f"{socket.gethostname()}-1-2.lock")
        left_by_a_killed_app.write_text("4242\n")  # its pid, with no lock on it any more
        other_host = held.with_name("another-host-1-2.lock")
        other_host.write_text("4242\n")
        with InstanceLock(second):
            assert held.exists() and not left_by_a_killed_app.exists()
            assert other_host.exists(), "another computer's locks (a shared home) are its own business"
        assert app_is_running(first)
