"""Small read queries shared by the CLI and the app."""

from __future__ import annotations

from sqlite_utils import Database

from glutetui.store.db import TABLES


def row_counts(db: Database) -> dict[str, int]:
    return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


def is_empty(db: Database) -> bool:
    return all(db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None for table in TABLES)


def data_version(db: Database) -> int:
    """Changes whenever another connection commits: a cheap 'anything new?' check."""
    return db.execute("PRAGMA data_version").fetchone()[0]


def integrity_problems(db: Database) -> list[str]:
    rows = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows
