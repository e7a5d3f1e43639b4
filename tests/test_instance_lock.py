"""The lock beside the database: one app per file, gone after a clean quit, harmless after a crash."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from glutetui.errors import AlreadyRunning
from glutetui.store.lock import InstanceLock, app_is_running, lock_path_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock and unlinking an open file are POSIX")


def test_a_clean_release_removes_the_file(tmp_path):
    db = tmp_path / "g.db"
    lock = InstanceLock(db).acquire()
    assert lock_path_for(db).read_text() == f"{os.getpid()}\n"
    with pytest.raises(AlreadyRunning):
        InstanceLock(db).acquire()
    lock.release()
    assert not lock_path_for(db).exists()
    assert not app_is_running(db)


def test_a_killed_holder_leaves_a_file_the_next_start_takes_over(tmp_path):
    db = tmp_path / "g.db"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from glutetui.store.lock import InstanceLock; "
         "InstanceLock(Path(sys.argv[1])).acquire(); print('held', flush=True); time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        assert app_is_running(db)
        holder.kill()
        holder.wait()
    finally:
        holder.kill()
    assert lock_path_for(db).exists(), "kill -9 cannot remove the file"
    assert not app_is_running(db)
    lock = InstanceLock(db).acquire()  # the dead pid inside does not count: the OS lock went with it
    assert lock_path_for(db).read_text() == f"{os.getpid()}\n"
    lock.release()


def test_a_start_that_opened_the_file_just_before_it_was_removed_locks_the_new_one(tmp_path, monkeypatch):
    # The interleaving (open, then the holder quits and removes the file, then lock) cannot be
    # scheduled between two real processes, so the starting app's first open is handed the
    # file descriptor it would have had.
    db = tmp_path / "g.db"
    first = InstanceLock(db).acquire()
    stale = os.open(lock_path_for(db), os.O_RDWR)
    first.release()

    starting = InstanceLock(db)
    opens = iter([stale])
    real_open = starting._open
    monkeypatch.setattr(starting, "_open", lambda: next(opens, None) or real_open())
    starting.acquire()
    assert lock_path_for(db).read_text() == f"{os.getpid()}\n"
    assert app_is_running(db), "the lock is held on the file that is at the path now"
    with pytest.raises(AlreadyRunning):
        InstanceLock(db).acquire()
    starting.release()
    assert not lock_path_for(db).exists()
