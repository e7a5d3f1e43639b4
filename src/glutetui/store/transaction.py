"""The write transaction every store module uses, kept apart from store/db.py so a reader
that never writes (`glutetui status`) loads no more than it needs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:
    from typing import Any


@contextmanager
def write_transaction(db: Any) -> Iterator[Any]:
    """A transaction that takes the write lock at BEGIN.

    A deferred transaction that reads and then writes fails at once with
    "database is locked" when another process wrote in between; IMMEDIATE
    waits its turn (busy_timeout) instead. The app and the CLI both write.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        conn = getattr(db, "conn", db)  # a sqlite-utils Database or a plain connection
        if conn.in_transaction:
            conn.rollback()
        raise


def insert_rows(db: Any, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """INSERT each row, a mapping of column to value; every row has the first one's columns.
    Plain SQL, so it runs on a store.db.Connection (the app's) as on a sqlite-utils Database,
    inside the caller's transaction."""
    rows = list(rows)
    if not rows:
        return
    columns = list(rows[0])
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    for row in rows:
        db.execute(sql, [row[column] for column in columns])


def update_row(db: Any, table: str, row_id: str, fields: Mapping[str, Any]) -> None:
    """Set `fields` on the row whose id is `row_id`."""
    db.execute(f"UPDATE {table} SET {', '.join(f'{column} = ?' for column in fields)} WHERE id = ?",
               [*fields.values(), row_id])
