"""Opening the one SQLite file: checks first, then WAL, pragmas and migrations.

Every check that can refuse a file runs on a read-only connection before
anything writes, so a file we refuse is left byte-for-byte as it was.

Two kinds of connection: sqlite-utils' Database where its tables API serves (migrations,
imports, exports, the commands), and `Connection`, the standard library alone, for the app:
its start-up and its storage threads only run SQL, and importing sqlite-utils (with click,
pluggy and dateutil's parser) took 80 ms of a start-up that is meant to be quick.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from glutetui.domain.record import record
from glutetui.errors import StoreError
from glutetui.store.transaction import write_transaction  # noqa: F401  (store modules import it from here too)
from glutetui.store.migrations import (
    MIGRATION_NAMES,
    MIGRATION_SET,
    MIGRATIONS_TABLE,
    SCHEMA_VERSION,
    registry,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:
    from typing import Any

    from sqlite_utils import Database

SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_ID = 0x676C7574  # "glut": marks the file as ours for `file(1)` and for us
BUSY_TIMEOUT_S = 5.0
# Below this much free space an I/O error is taken for a full disk: SQLite needs about
# 32 KiB beside the file (the -shm index) even to read a WAL database, and more to write.
LOW_SPACE_BYTES = 256 * 1024
TABLES = ("posture", "reminders", "reminder_pauses", "warmups", "runs", "aches")


class UnusableFile(StoreError):
    """A file glutetui will not open. `reason` says why without the fix, for a caller whose
    fix differs from the one for --db (a merge's other file); `newer`: a later glutetui's."""

    def __init__(self, path: Path, reason: str, fix: str, *, newer: bool = False) -> None:
        super().__init__(f"{path}: {reason}. {fix}")
        self.reason, self.newer = reason, newer


class Connection:
    """A SQLite connection that writes as sqlite-utils' Database does (a statement outside
    BEGIN ... COMMIT is committed at once), with nothing to import: what the store's
    functions use of a Database (`execute`, `conn`, `close`) and no more."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        # Autocommit: only an explicit BEGIN (write_transaction) opens a transaction.
        conn.isolation_level = None
        self.conn = conn

    def execute(self, sql: str, parameters: Iterable[Any] | Mapping[str, Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)

    def close(self) -> None:
        self.conn.close()


@record
class FileStatus:
    exists: bool
    schema_version: int


def inspect_file(path: Path, *, untouched: bool = False) -> FileStatus:
    """Refuse what we must not open, without writing a byte. `untouched`: make no -wal or
    -shm file either (a dry run); the commands that go on to read it need them anyway, and a
    read-only medium, where they cannot be made, is then found here."""
    if not path.exists():
        if path.is_symlink():
            raise StoreError(f"{path}: is a link to a file that does not exist. Fix the link or pass another --db path.")
        return FileStatus(exists=False, schema_version=0)
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file. Pass a file path with --db.")
    if not path.is_file():  # reading a FIFO's header would wait for a writer for good
        raise StoreError(f"{path}: is not a regular file (a pipe, a device or a socket), so it cannot be a "
                         "database. Pass a file path with --db.")
    _check_header(path)
    if path.stat().st_size == 0:
        return FileStatus(exists=True, schema_version=0)
    return FileStatus(exists=True, schema_version=_read_schema_version(path, untouched))


def preflight(path: Path) -> FileStatus:
    """Every reason to refuse `path` for writing, checked without writing."""
    _check_writable(path, path.exists())
    return inspect_file(path)


def open_store(path: Path) -> Database:
    """Open (creating if needed) and migrate the database at `path`."""
    status = preflight(path)
    if not status.exists:
        _create_private_file(path)
    try:
        db = _connect(path)
        _prepare(db)
    except sqlite3.Error as error:
        raise _open_problem(error, path) from None
    return db


def open_connection(path: Path) -> Connection:
    """open_store as a Connection, for the app: a file that is up to date (every start but the
    first after an upgrade) is opened without importing sqlite-utils."""
    status = preflight(path)
    if status.schema_version < SCHEMA_VERSION:  # new or older: sqlite-utils creates or migrates it
        open_store(path).close()
    try:
        conn = Connection(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S))
        try:
            _set_pragmas(conn)
        except BaseException:
            conn.close()
            raise
    except sqlite3.Error as error:
        raise _open_problem(error, path) from None
    return conn


def _open_problem(error: sqlite3.Error, path: Path) -> StoreError:
    problem = file_problem(error, path)
    if problem is not None:
        return problem
    return StoreError(f"{path}: cannot be opened for writing ({error}). Check free disk space and permissions.")


def disk_full(error: BaseException, path: Path) -> bool:
    """Whether `error` came from the disk holding `path` having no room left."""
    if getattr(error, "sqlite_errorname", None) == "SQLITE_FULL":
        return True
    if not isinstance(error, sqlite3.OperationalError):
        return False
    # A full disk can also surface as a plain I/O error (making the -shm file): ask the disk.
    try:
        stats = os.statvfs(path.parent)
    except (OSError, AttributeError):  # statvfs: POSIX only
        return False
    return stats.f_bavail * stats.f_frsize < LOW_SPACE_BYTES


FULL_DISK = "the disk is full. Free some disk space, then try again; what was stored is kept."


def full_disk_message(path: Path) -> str:
    return f"{path}: {FULL_DISK}"


class FileBusy(StoreError):
    """Another process held the write lock longer than we wait: nothing to fix, only to retry."""

    exit_code = 3


def storage_problem(error: sqlite3.Error, path: Path) -> str:
    """What went wrong with the file and what to do, for a line on screen after its name."""
    problem = file_problem(error, path)
    return str(problem).removeprefix(f"{path}: ") if problem else f"{error}. Check the disk; what was stored is kept."


def file_problem(error: BaseException, path: Path) -> StoreError | None:
    """A SQLite error that is the file's or the disk's doing rather than a bug, as the one
    line to show (it names the file), or None for anything else. A failed statement is
    rolled back whole by SQLite, so what was stored before it is always kept."""
    if not isinstance(error, sqlite3.Error):
        return None
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or str(error) == "database is locked":
        return FileBusy(f"{path}: another glutetui or program is writing to it and kept it busy for more "
                        f"than {BUSY_TIMEOUT_S:g} s, so this was not stored; try again in a moment.")
    if disk_full(error, path):
        return StoreError(full_disk_message(path))
    if name.startswith("SQLITE_IOERR") or str(error).startswith("disk I/O error"):
        limit = _size_limit_reached(path)
        if limit is not None:
            return StoreError(f"{path}: has reached the file size limit of this shell ({limit}; see ulimit -f). "
                              "Raise the limit, then try again; what was stored is kept.")
        return StoreError(f"{path}: the disk reported an error reading or writing it ({error}). What was stored "
                          "is kept; check the disk (the system log says more), then try again.")
    if name == "SQLITE_READONLY":
        return StoreError(f"{path}: cannot be written now ({error}). Check its permissions and the disk; "
                          "what was stored is kept.")
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return StoreError(f"{path}: is damaged ({error}). Run glutetui doctor; restore a backup if it "
                          "confirms it.")
    return None


SIZE_LIMIT_MARGIN = 1024 * 1024  # a transaction appends at most this much to the file or its -wal


def _size_limit_reached(path: Path) -> str | None:
    """The shell's file size limit (ulimit -f), when the database or its -wal is at it. The
    system says EFBIG, but SQLite passes on only "disk I/O error": the sizes tell."""
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit == resource.RLIM_INFINITY:
        return None
    sizes = []
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal")):
        try:
            sizes.append(os.stat(name).st_size)
        except OSError:
            pass
    if not sizes or max(sizes) + SIZE_LIMIT_MARGIN < limit:
        return None
    return f"{limit // 1024} KiB" if limit >= 1024 else f"{limit} bytes"


def open_readonly(path: Path) -> Database:
    """For commands that only read: never creates, migrates or changes the file."""
    status = inspect_file(path)
    if not status.exists:
        raise StoreError(f"{path}: no database here yet. Open glutetui once to create it, or pass another --db path.")
    if status.schema_version < SCHEMA_VERSION:
        raise StoreError(f"{path}: uses an older layout. Open glutetui once to upgrade it, then run this again.")
    return connect_readonly(path)


def copy_in_memory(path: Path) -> tuple[Database, FileStatus]:
    """The database at `path` as an in-memory copy, migrated to this version, for a dry run:
    the file, its folder and its -wal and -shm files are left exactly as they were, and a
    file that does not exist yet is not created. The status says how the file is now, so
    the caller can say what the command would create or upgrade without a dry run."""
    status = inspect_file(path, untouched=True)
    memory = sqlite3.connect(":memory:")
    if status.exists and path.stat().st_size > 0:
        try:
            source = sqlite3.connect(_untouched_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
            try:
                source.backup(memory)
            finally:
                source.close()
        except sqlite3.Error as error:
            memory.close()
            raise StoreError(f"{path}: cannot be read right now ({error}). Nothing was changed; try again.") from None
    from sqlite_utils import Database

    db = Database(memory, execute_plugins=False)
    _prepare(db)  # in memory: the migration the command would apply first, if the file is older
    return db, status


def connect_writer(path: Path) -> Connection:
    """Another connection to a file `open_store` has already checked and migrated, for the
    app's storage thread. Nobody waits on that thread, so it waits as long as another
    program (an import, a merge) holds the write lock: SQLite retries the lock itself,
    before a transaction has changed anything, so nothing is ever half done or done twice."""
    db = Connection(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S))
    db.execute(f"PRAGMA busy_timeout = {int(WRITER_PATIENCE_S * 1000)}")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def connect_readonly(path: Path) -> Database:
    """A connection that cannot write, for a file already checked with inspect_file."""
    from sqlite_utils import Database

    return Database(_connect_readonly(path), execute_plugins=False)


def connect_reader(path: Path) -> Connection:
    """connect_readonly as a Connection: for the app's reader thread and its Progress tab."""
    return Connection(_connect_readonly(path))


def _connect_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)


def _untouched_uri(path: Path) -> str:
    """A read-only URI that leaves no file behind. Even a read-only connection makes a -wal
    and a -shm file beside a WAL database when there are none (no app has it open). Then
    every row is in the main file, and `immutable` reads it without them; a writer that
    starts meanwhile writes to its -wal, not to the main file, until a checkpoint of 1000
    pages. With a -wal there, the files exist already and a plain read-only one is right."""
    query = "mode=ro" if path.with_name(path.name + "-wal").exists() else "mode=ro&immutable=1"
    return f"{path.absolute().as_uri()}?{query}"


def _check_header(path: Path) -> None:
    try:
        # O_NONBLOCK: a FIFO swapped in after the check in inspect_file must not hang us either.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            head = os.read(fd, 100) if stat.S_ISREG(os.fstat(fd).st_mode) else b"not a regular file"
        finally:
            os.close(fd)
    except OSError as error:
        raise StoreError(f"{path}: cannot be read ({error.strerror}). Check its permissions.") from None
    if head and (len(head) < 100 or not head.startswith(SQLITE_HEADER)):
        raise UnusableFile(path, "is not a SQLite database, or its header is damaged",
                           "glutetui has not changed it; restore a backup or pass another --db path.")


def _read_schema_version(path: Path, untouched: bool) -> int:
    uri = _untouched_uri(path) if untouched else f"{path.absolute().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            user_version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            applied = []
            if MIGRATIONS_TABLE in tables:
                applied = [
                    row[0]
                    for row in conn.execute(
                        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", [MIGRATION_SET]
                    )
                ]
        finally:
            conn.close()
    except sqlite3.OperationalError as error:
        if disk_full(error, path):
            raise StoreError(full_disk_message(path)) from None
        if not os.access(path.parent, os.W_OK):
            # A WAL database needs its -shm file beside it even to be read.
            raise StoreError(
                f"{path}: cannot be read where it is: the folder {path.parent} cannot be written, and SQLite needs "
                "to make a small file beside the database. Copy it to a folder you can write, or fix the permissions."
            ) from None
        raise StoreError(
            f"{path}: cannot be read right now ({error}). Check the permissions of the file and its folder, then try again."
        ) from None
    except sqlite3.DatabaseError as error:
        raise UnusableFile(path, f"is damaged ({error})",
                           "glutetui has not changed it; restore a backup, or move it aside to start a new one.") from None
    unknown = [name for name in applied if name not in MIGRATION_NAMES]
    if user_version > SCHEMA_VERSION or unknown:
        raise UnusableFile(path, f"was written by a newer glutetui (schema {max(user_version, len(applied))}, "
                           f"this one knows {SCHEMA_VERSION})", "Upgrade glutetui; the file has not been changed.",
                           newer=True)
    if tables and not applied:
        raise UnusableFile(path, "is a SQLite database of another program",
                           "glutetui has not changed it; pass another --db path.")
    return len(applied)


def _check_writable(path: Path, exists: bool) -> None:
    folder = path.parent
    if not folder.is_dir():
        raise StoreError(f"{path}: the folder {folder} does not exist. Create it, or pass another --db path.")
    # WAL mode needs to create the -wal and -shm files beside the database.
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(f"{path}: the folder {folder} cannot be written. Fix its permissions, or pass another --db path.")
    if exists and not os.access(path, os.R_OK | os.W_OK):
        raise StoreError(f"{path}: cannot be written (read-only). Fix its permissions, or pass another --db path.")


def _create_private_file(path: Path) -> None:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return  # another process created it first; fine
    except OSError as error:
        raise StoreError(f"{path}: cannot be created ({error.strerror}). Check the folder and free disk space.") from None
    os.close(fd)


WRITER_PATIENCE_S = 300.0  # then the job fails with SQLite's own "database is locked"


def _connect(path: Path) -> Database:
    from sqlite_utils import Database

    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    return Database(conn, execute_plugins=False)


def _prepare(db: Database) -> None:
    with db.ensure_autocommit_on():
        _set_pragmas(db)
    if registry().pending(db):
        _migrate(db)


def _set_pragmas(db: Connection | Database) -> None:
    db.execute("PRAGMA journal_mode = WAL")
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    # NORMAL is durable across a crash of the app in WAL mode; only a power cut can lose the last commit.
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")


def _migrate(db: Database) -> None:
    # IMMEDIATE takes the write lock up front, so two processes opening a new
    # file at once migrate it one after the other instead of colliding.
    db.execute("BEGIN IMMEDIATE")
    try:
        registry().apply(db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise


def schema_version(db: Database) -> int:
    return len(registry().applied(db))



def file_of(db: Connection | Database) -> Path:
    """The file behind a connection, so another thread can open its own."""
    return Path(db.execute("PRAGMA database_list").fetchone()[2])
