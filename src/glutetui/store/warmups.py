"""Warm-up sessions: a row when one starts, updated as it goes and when it ends."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from glutetui.domain.timefmt import from_utc_text, to_utc_text
from glutetui.store.transaction import insert_rows, update_row, write_transaction

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:
    from sqlite_utils import Database


def start_warmup(db: Database, *, summary: dict, started_at: datetime) -> str:
    warmup_id = str(uuid.uuid4())
    stamp = to_utc_text(started_at)
    with write_transaction(db):
        insert_rows(db, "warmups", [{"id": warmup_id, **summary, "started_at": stamp, "ended_at": None, "created_at": stamp}])
    return warmup_id


def save_warmup(db: Database, warmup_id: str, *, summary: dict, now: datetime, ended_at: datetime | None = None) -> None:
    fields = {**summary, "updated_at": to_utc_text(now)}
    if ended_at is not None:
        fields["ended_at"] = to_utc_text(ended_at)
    with write_transaction(db):
        update_row(db, "warmups", warmup_id, fields)


def close_abandoned_warmups(db: Database, now: datetime) -> int:
    """End sessions left open by a crash at their last saved progress; returns how many."""
    with write_transaction(db):  # read inside it too: another process may be saving a session
        open_rows = db.execute("SELECT id, started_at, done_s FROM warmups WHERE ended_at IS NULL").fetchall()
        for warmup_id, started_at, done_s in open_rows:
            ended = from_utc_text(started_at) + timedelta(seconds=done_s)
            update_row(db, "warmups", warmup_id, {"ended_at": to_utc_text(ended), "completed": 0,
                                                  "updated_at": to_utc_text(now)})
    return len(open_rows)


def finished_between(db: Database, start: datetime, end: datetime) -> list[tuple[datetime, bool]]:
    """(started_at, completed) of the warm-ups that started in [start, end) and have ended."""
    rows = db.execute(
        "SELECT started_at, completed FROM warmups WHERE started_at >= ? AND started_at < ? "
        "AND ended_at IS NOT NULL ORDER BY started_at",
        [to_utc_text(start), to_utc_text(end)],
    ).fetchall()
    return [(from_utc_text(started), bool(completed)) for started, completed in rows]
