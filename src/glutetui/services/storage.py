"""One thread for every read and write the app makes, so the screen never waits on the file.

The connection is made in that thread and used only there. Jobs run one after the
other, in the order they were given, so a key pressed while another process holds
the write lock waits its turn and is stored when the file is free: never dropped.
Results and problems go back through `deliver`, which the app points at its own
message queue.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from glutetui.errors import UserFacingError
from glutetui.store.db import Connection, connect_reader, connect_writer, storage_problem

# What a job receives, under the name the UI's type hints use. A Connection, not sqlite-utils'
# Database: the app never imports sqlite-utils unless a file needs migrating.
Database = Connection

__all__ = ["Database", "StorageError", "StorageThread"]

Job = Callable[[Database], Any]

# What a job returns when there is nothing to answer: `done` is not called, so the app's
# event loop is not woken for it (a tick that found nothing new, 59 times a minute).
NO_REPLY = object()
Reply = Callable[[Any], None]


class StorageError(UserFacingError):
    """The file could not be used; `str()` is the sentence for the screen, naming the file and the fix."""


class _Crash:
    def __init__(self, error: Exception) -> None:
        self.error = error


class StorageThread:
    def __init__(self, path: Path, deliver: Callable[[Reply, Any], None],
                 crashed: Callable[[BaseException], None] | None = None, *, read_only: bool = False) -> None:
        """`read_only`: a reader beside the writer. In WAL mode a read never waits for a
        write lock, so what the screen shows need not queue behind a key waiting for one."""
        self.path = path
        self.read_only = read_only
        self._deliver = deliver
        self._crashed = crashed
        self._jobs: queue.Queue = queue.Queue()
        name = "glutetui-reader" if read_only else "glutetui-storage"
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._starting = threading.Lock()
        self.failing = False  # a job failed on the file and no write has gone through since

    def start(self) -> None:
        """Start serving the jobs submitted so far and after; again, it does nothing.

        Locked: the event loop starts it after the first paint while a test or the way out
        may call wait_idle from another thread, and two unguarded starts both saw no thread
        yet and ran the one Thread twice."""
        with self._starting:
            if self._thread.ident is None:
                self._thread.start()

    def submit(self, job: Job, done: Reply | None = None, failed: Reply | None = None) -> None:
        """Run `job(db)` on the thread; `done(result)` or `failed(StorageError)` is delivered back."""
        self._jobs.put((job, done, failed))

    def pending(self) -> int:
        return self._jobs.unfinished_tasks

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every job given so far has run; for quitting and for tests."""
        self.start()  # jobs given before the thread started still run
        deadline = time.monotonic() + timeout
        with self._jobs.all_tasks_done:
            while self._jobs.unfinished_tasks:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._thread.is_alive():
                    return False
                self._jobs.all_tasks_done.wait(min(remaining, 0.1))
        return True

    def stop(self, timeout: float = 10.0) -> None:
        self._jobs.put(None)
        self.start()  # the jobs before the stop run first, as always
        self._thread.join(timeout)

    def run_now(self, job: Job, timeout: float = 10.0) -> Any:
        """Run `job` on the thread and wait for it: only on the way out, when nothing else will."""
        answer: list = []
        finished = threading.Event()

        def keep(result: Any) -> None:
            answer.append(result)
            finished.set()

        self._jobs.put((job, None, None, keep))
        self.start()
        if not finished.wait(timeout):
            raise StorageError(f"Cannot use {self.path}: it stayed busy for {timeout:.0f} s; "
                               "what was not saved is closed at its last heartbeat next time")
        result = answer[0]
        if isinstance(result, _Crash):
            raise result.error
        if isinstance(result, UserFacingError):
            raise result
        return result

    def _serve(self) -> None:
        db: Database | None = None
        while True:
            item = self._jobs.get()
            try:
                if item is None:
                    if db is not None:
                        db.close()
                    return
                if db is None:
                    db = self._connect()
                    if isinstance(db, StorageError):
                        self._fail_all(item, db)
                        db = None
                        continue
                job, done, failed, *direct = item
                result = self._run(job, db)
                if direct:
                    direct[0](result)
                elif isinstance(result, _Crash):
                    if self._crashed is not None:
                        self._deliver(self._crashed, result.error)
                elif isinstance(result, UserFacingError):
                    if failed is not None:
                        self._deliver(failed, result)
                elif done is not None and result is not NO_REPLY:
                    self._deliver(done, result)
            finally:
                self._jobs.task_done()

    def _connect(self) -> Database | StorageError:
        try:
            return connect_reader(self.path) if self.read_only else connect_writer(self.path)
        except sqlite3.Error as error:
            return StorageError(f"Cannot use {self.path}: {storage_problem(error, self.path)}")

    def _fail_all(self, item: tuple, error: StorageError) -> None:
        self.failing = True
        _, _, failed, *direct = item
        if direct:
            direct[0](error)
        elif failed is not None:
            self._deliver(failed, error)

    def _run(self, job: Job, db: Database) -> Any:
        try:
            changes = db.conn.total_changes
            result = job(db)
            if db.conn.total_changes > changes:
                self.failing = False  # only a write that went through says saving works again
            return result
        except sqlite3.Error as error:
            self.failing = True
            return StorageError(f"Cannot use {self.path}: {storage_problem(error, self.path)}")
        except UserFacingError as error:  # what the runner typed, refused before anything was written
            return error
        except Exception as error:  # a bug: the app reports it as a crash, the thread serves on
            return _Crash(error)
