"""Posture intervals: at most one open at a time, each change one transaction.

The app and the `glutetui stand|sit|break|away` commands both write here;
every write takes the write lock first (write_transaction), so two writers
queue instead of failing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from glutetui.domain.sitting import Interval, day_bounds
from glutetui.domain.timefmt import from_utc_text, local_day, to_utc_text
from glutetui.store.db import insert_rows, write_transaction

if TYPE_CHECKING:
    from sqlite_utils import Database

RECOVERED = "recovered"
CLI = "cli"


@dataclass(frozen=True)
class PostureRow:
    id: str
    state: str
    started_at: datetime
    ended_at: datetime | None
    last_seen_at: datetime
    source: str
    note: str | None
    warmup_id: str | None = None  # the routine an exercise or out-running interval belongs to

    @classmethod
    def from_row(cls, row: tuple) -> PostureRow:
        posture_id, state, started, ended, seen, source, note, warmup_id = row
        return cls(posture_id, state, from_utc_text(started), from_utc_text(ended) if ended else None,
                   from_utc_text(seen), source, note, warmup_id)


_COLUMNS = "id, state, started_at, ended_at, last_seen_at, source, note, warmup_id"


def open_posture(db: Database) -> PostureRow | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM posture WHERE ended_at IS NULL").fetchone()
    return PostureRow.from_row(row) if row else None


def begin_state(db: Database, state: str, at: datetime, source: str, note: str | None = None,
                warmup_id: str | None = None) -> PostureRow:
    """Close whatever is open at `at` and open `state` from `at`."""
    with write_transaction(db):
        _close_open(db, at)
        return _insert(db, state, at, None, source, note, warmup_id)


def end_open(db: Database, at: datetime) -> None:
    with write_transaction(db):
        _close_open(db, at)


def record_gap(db: Database, gap_start: datetime, pieces: list[tuple[datetime, datetime]], source: str) -> list[str]:
    """The app did not run: close the open interval where it last ran, store the
    pieces of the gap as away; returns the new rows' ids."""
    with write_transaction(db):
        _close_open(db, gap_start)
        return [_insert(db, "away", start, end, source, None).id for start, end in pieces]


def touch(db: Database, posture_id: str, at: datetime) -> bool:
    """Move the open interval's last_seen_at; False when it is no longer open here."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE posture SET last_seen_at = ? WHERE id = ? AND ended_at IS NULL AND started_at <= ?",
            [to_utc_text(at), posture_id, to_utc_text(at)],
        )
        return cursor.rowcount == 1


def relabel(db: Database, posture_ids: list[str], state: str, note: str, at: datetime) -> None:
    with write_transaction(db):
        for posture_id in posture_ids:
            db.execute("UPDATE posture SET state = ?, note = ?, updated_at = ? WHERE id = ?",
                       [state, note, to_utc_text(at), posture_id])


def recover_open(db: Database, now: datetime, zone: tzinfo, *, source: str = RECOVERED) -> PostureRow | None:
    """Close an interval nobody is keeping open any more; returns it as it was.

    The app keeps its interval's last_seen_at fresh, so after a crash it ends
    there. One opened by a command while the app was closed has never been
    seen since: the runner said it and it lasts until now, but not past the
    end of the day it was said.
    """
    with write_transaction(db):
        row = open_posture(db)
        if row is None:
            return None
        end = orphan_end(row, now, zone)
        closed_by = CLI if is_unwatched(row) else source
        db.execute("UPDATE posture SET ended_at = ?, source = ?, updated_at = ? WHERE id = ?",
                   [to_utc_text(max(end, row.started_at)), closed_by, to_utc_text(now), row.id])
        return row


def is_unwatched(row: PostureRow) -> bool:
    """Opened by a command while no app ran, and not seen by an app since."""
    return row.source == CLI and row.last_seen_at <= row.started_at


def orphan_end(row: PostureRow, now: datetime, zone: tzinfo) -> datetime:
    """Where an interval no app keeps open ends: a command's at now but not past its
    day; an app's at its last heartbeat."""
    if is_unwatched(row):
        return min(now, day_bounds(local_day(row.started_at, zone), zone)[1])
    return row.last_seen_at


def intervals_between(db: Database, start: datetime, end: datetime, open_until: datetime | None) -> list[Interval]:
    """Intervals touching [start, end); the open one runs to `open_until` (left out when None)."""
    rows = db.execute(
        "SELECT state, started_at, ended_at FROM posture WHERE started_at < ? AND (ended_at IS NULL OR ended_at > ?) "
        "ORDER BY started_at",
        [to_utc_text(end), to_utc_text(start)],
    ).fetchall()
    found = []
    for state, started, ended in rows:
        began = from_utc_text(started)
        finish = from_utc_text(ended) if ended else open_until
        if finish is not None:
            found.append(Interval(state, began, max(finish, began)))
    return found


def _close_open(db: Database, at: datetime) -> None:
    stamp = to_utc_text(at)
    # Never before it started: a clock set back must not make negative time.
    db.execute(
        "UPDATE posture SET ended_at = max(started_at, ?), last_seen_at = max(last_seen_at, ?), updated_at = ? "
        "WHERE ended_at IS NULL",
        [stamp, stamp, stamp],
    )


def _insert(db: Database, state: str, start: datetime, end: datetime | None, source: str,
            note: str | None, warmup_id: str | None = None) -> PostureRow:
    seen = end or start
    row = PostureRow(str(uuid.uuid4()), state, start, end, seen, source, note, warmup_id)
    insert_rows(db, "posture", [{
        "id": row.id, "state": state, "started_at": to_utc_text(start),
        "ended_at": to_utc_text(end) if end else None, "last_seen_at": to_utc_text(seen),
        "source": source, "note": note, "created_at": to_utc_text(seen), "warmup_id": warmup_id,
    }])
    return row

