"""The write transaction every store module uses, kept apart from store/db.py so a reader
that never writes (`glutetui status`) loads no more than it needs."""

from __future__ import annotations

from collections.abc import Iterator
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
