"""Small read queries shared by the CLI and the app."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from glutetui.store.db import TABLES

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:
    from sqlite_utils import Database


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


def rows_for_ids(db: Database, sql: str, ids: Iterable[str]) -> Iterator[tuple]:
    """The rows of `sql` for every id, where `sql` has `{marks}` for its IN list; in chunks,
    as SQLite limits how many ? one statement takes."""
    wanted = list(ids)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        yield from db.execute(sql.format(marks=",".join("?" * len(chunk))), chunk).fetchall()
