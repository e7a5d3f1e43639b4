"""A read-only connection for `glutetui status`, made with the standard library alone.

A status line runs the command every few seconds, so the usual case (a glutetui file
of this version) is checked here in a few reads, without loading sqlite-utils and the
migrations. Anything else (no file, a folder, another program's file, an older or newer
layout, damage) is handed to store.db.open_readonly, whose checks and messages are the
ones every other command gives.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:
    from typing import Any

SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATION_SET = "glutetui"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-migrate's, as store/migrations.py records them
SCHEMA_VERSION = 8  # len(migrations.MIGRATION_NAMES); a test keeps the two equal
BUSY_TIMEOUT_S = 5.0  # store.db's


def open_for_reading(path: Path) -> Any:
    """A connection that cannot write: a plain sqlite3 one for a file of this version,
    else store.db.open_readonly's (which raises the usual message for a file it refuses)."""
    conn = _plainly_ours(path)
    if conn is not None:
        return conn
    from glutetui.store.db import open_readonly

    return open_readonly(path)


def _plainly_ours(path: Path) -> sqlite3.Connection | None:
    try:
        if not path.is_file() or path.is_symlink():
            return None
        with open(path, "rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return None
    except OSError:
        return None
    if not os.access(path.parent, os.W_OK) and not path.with_name(path.name + "-shm").exists():
        return None  # SQLite could not make the -shm file it needs: open_readonly says so
    conn = None
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        applied = conn.execute(f"SELECT count(*) FROM {MIGRATIONS_TABLE} WHERE migration_set = ?",
                               [MIGRATION_SET]).fetchone()[0]
        if version == applied == SCHEMA_VERSION:
            return conn
    except sqlite3.Error:
        pass
    if conn is not None:
        conn.close()
    return None


def connect_for_cache(path: Path) -> sqlite3.Connection:
    """A connection that may write, for the one row of the day's streak count (store/streaks.py),
    which gives up at once on a busy or read-only file. It never creates the file."""
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=0)
