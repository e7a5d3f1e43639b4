"""One app per database: an OS file lock beside the database file.

The OS drops the lock when the process dies, even by kill -9, so a crash
never leaves a stale lock behind; the pid inside is only for the message.
A clean quit also removes the file. Another app may have opened the file
just before it went, so whoever wins the lock checks that the locked file
is still the one at the path, and starts again if not.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from glutetui.errors import AlreadyRunning, StoreError

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def app_is_running(db_path: Path) -> bool:
    """Whether a glutetui app holds this database open right now."""
    try:
        fd = os.open(lock_path_for(db_path), os.O_RDWR)
    except OSError:
        return False  # no lock file: no app has opened this database here
    try:
        if _try_lock(fd):
            _unlock(fd)  # held for microseconds; an app starting right then retries (_lock_soon)
            return False
        return True
    finally:
        os.close(fd)


class InstanceLock:
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.path = lock_path_for(db_path)
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        for _ in range(_UNLINKED_RETRIES):
            fd = self._open()
            if not _lock_soon(fd):
                pid = _read_pid(fd)
                os.close(fd)
                raise AlreadyRunning(self.db_path, pid)
            if _is_at(fd, self.path):
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                self._fd = fd
                return self
            os.close(fd)  # the app that held it quit and removed the file: lock the new one
        raise AlreadyRunning(self.db_path, None)

    def release(self) -> None:
        """Remove the lock file, then let go: a clean quit leaves nothing behind."""
        if self._fd is None:
            return
        if _is_at(self._fd, self.path):
            try:
                self.path.unlink()
            except OSError:
                pass  # a read-only folder now: the file stays, and the next start still locks it
        os.close(self._fd)
        self._fd = None

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise StoreError(
                f"{self.db_path}: cannot make its lock file {self.path} ({error.strerror}). "
                "Check that the folder exists and can be written."
            ) from None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


_UNLINKED_RETRIES = 20


def _is_at(fd: int, path: Path) -> bool:
    """Whether the open file `fd` is still the file at `path` (not removed or replaced)."""
    try:
        held, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def _lock_soon(fd: int, attempts: int = 5) -> bool:
    for attempt in range(attempts):
        if _try_lock(fd):
            return True
        if attempt < attempts - 1:
            time.sleep(0.05)
    return False


def _read_pid(fd: int) -> int | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None
