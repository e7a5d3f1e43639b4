"""One app per database: an OS file lock beside the database file.

The OS drops the lock when the process dies, even by kill -9, so a crash
never leaves a stale lock behind; the pid inside is only for the message.
A clean quit also removes the file. Another app may have opened the file
just before it went, so whoever wins the lock checks that the locked file
is still the one at the path, and starts again if not.

One file has one app however it is named: the lock sits beside the real file
(symlinks, `..` and relative paths resolved), and a second lock, named by the
file's device and inode in the user's state folder, catches a hard link, which
is the same file under a name in another folder.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from glutetui.errors import AlreadyRunning, StoreError
from glutetui.paths import lock_dir

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


def real_path(db_path: Path) -> Path:
    """The file a path names: `link.db` and `real/g.db` are one database, so they have one lock."""
    return Path(os.path.realpath(db_path))


def lock_path_for(db_path: Path) -> Path:
    real = real_path(db_path)
    return real.with_name(real.name + ".lock")


def inode_lock_path_for(db_path: Path) -> Path | None:
    """The lock named by the file itself, for hard links; None while there is no file yet
    (a new file has no other names) or where the system has no inode numbers."""
    try:
        info = os.stat(db_path)
    except OSError:
        return None
    if not info.st_ino:
        return None
    # The host too: a state folder shared over the network must not mix two machines' inodes.
    return lock_dir() / f"{_host()}-{info.st_dev}-{info.st_ino}.lock"


def _host() -> str:
    """The host's name. Where there is uname it is the very name gethostname() gives, without
    loading the socket module: `glutetui status` asks app_is_running every few seconds."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def app_is_running(db_path: Path) -> bool:
    """Whether a glutetui app holds this database open right now, under any of its names."""
    return any(_is_held(path) for path in (lock_path_for(db_path), inode_lock_path_for(db_path)) if path)


def _is_held(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDWR)
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
        self._held: list[tuple[int, Path]] = []
        self._inode_lock: Path | None = None

    def acquire(self) -> InstanceLock:
        try:
            self._take(self.path, self._open)
        except BaseException:
            self.release()
            raise
        self.cover_hard_links()
        return self

    def cover_hard_links(self) -> None:
        """Take the lock named by the file's inode, once there is a file: the app that creates
        the database calls this again after creating it, or a hard link made to the new file
        would let a second app in."""
        if self._inode_lock is not None:
            return
        inode_lock = inode_lock_path_for(self.db_path)
        if inode_lock is None:
            return
        try:
            self._take(inode_lock, lambda: _open_in_state_folder(inode_lock))
        except BaseException:
            self.release()
            raise
        self._inode_lock = inode_lock
        _sweep_stale(inode_lock)

    def release(self) -> None:
        """Remove the lock files, then let go: a clean quit leaves nothing behind."""
        for fd, path in reversed(self._held):
            if _is_at(fd, path):
                try:
                    path.unlink()
                except OSError:
                    pass  # a read-only folder now: the file stays, and the next start still locks it
            os.close(fd)
        self._held = []
        self._inode_lock = None

    def _take(self, path: Path, open_lock_file) -> None:
        for _ in range(_UNLINKED_RETRIES):
            fd = open_lock_file()
            if fd is None:
                return  # the state folder cannot be written: the lock beside the file still holds
            if not _lock_soon(fd):
                pid = _read_pid(fd)
                os.close(fd)
                raise AlreadyRunning(self.db_path, pid)
            if _is_at(fd, path):
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                self._held.append((fd, path))
                return
            os.close(fd)  # the app that held it quit and removed the file: lock the new one
        raise AlreadyRunning(self.db_path, None)

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


def _sweep_stale(kept: Path) -> None:
    """Remove the inode locks that apps killed on this host left behind, so the folder does
    not fill up over the years. One nobody holds is free to go: an app that opened it just
    now finds it gone (_is_at) and locks a new file, as with the lock beside the database."""
    try:
        others = [path for path in kept.parent.glob(f"{_host()}-*.lock") if path != kept]
    except OSError:
        return
    for path in others:
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            continue
        try:
            if _try_lock(fd):
                if _is_at(fd, path):
                    path.unlink()
                _unlock(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def _open_in_state_folder(path: Path) -> int | None:
    """The hard-link lock is a second line; a state folder that cannot be written skips it
    rather than keeping the app from opening."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None


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
