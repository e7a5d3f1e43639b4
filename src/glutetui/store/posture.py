"""Posture intervals: at most one open at a time, each change one transaction.

The app and the `glutetui stand|sit|break|away` commands both write here;
every write takes the write lock first (write_transaction), so two writers
queue instead of failing.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from glutetui.domain.record import record
from glutetui.domain.sitting import Interval, day_bounds
from glutetui.domain.timefmt import from_utc_text, local_day, to_utc_text
from glutetui.store.transaction import write_transaction

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:  # and no sqlite-utils: it reads through a plain sqlite3 connection
    from sqlite_utils import Database

RECOVERED = "recovered"
CLI = "cli"
# No stored interval is longer: a longer one is stored as pieces of this length, one after
# the other (migration m0007 split the older ones). So every interval touching [start, end)
# begins at or after start - MAX_INTERVAL, and a question about a day or a week reads that
# stretch of the started_at index, never the whole history. Only the open interval may be
# longer while it is open; it is read through its own index and split when it closes.
MAX_INTERVAL = timedelta(days=1)
# A piece's id follows from the interval it continues, so two computers that split the same
# interval make the same rows, and a merge of the two keeps each piece once.
PIECE_NAMESPACE = "5d0c3b4e-6f1a-4c57-9a55-2f0d8c1e7b21"


@record
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
    """Give the intervals, with the pieces an interval longer than MAX_INTERVAL was split into, another state."""
    with write_transaction(db):
        for posture_id in posture_ids:
            for one in [posture_id, *_piece_ids(db, posture_id)]:
                db.execute("UPDATE posture SET state = ?, note = ?, updated_at = ? WHERE id = ?",
                           [state, note, to_utc_text(at), one])


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
        end = max(orphan_end(row, now, zone), row.started_at)
        closed_by = CLI if is_unwatched(row) else source
        db.execute("UPDATE posture SET ended_at = ?, source = ?, updated_at = ? WHERE id = ?",
                   [to_utc_text(min(end, row.started_at + MAX_INTERVAL)), closed_by, to_utc_text(now), row.id])
        _add_pieces(db, row, end, source=closed_by, seen=row.last_seen_at, made=now)
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
    """Intervals touching [start, end); the open one runs to `open_until` (left out when None).

    Bounded on both ends (see MAX_INTERVAL): the closed ones come from a range of the
    started_at index, the open one from the index that holds only it."""
    rows = db.execute(
        "SELECT state, started_at, ended_at FROM posture WHERE started_at >= ? AND started_at < ? AND ended_at > ? "
        # The open row by its id, found through the index that holds only it: asked for by
        # `ended_at IS NULL` here, SQLite would read the started_at index from the first row on.
        "UNION ALL SELECT state, started_at, ended_at FROM posture "
        "WHERE id = (SELECT id FROM posture WHERE ended_at IS NULL) AND started_at < ? "
        "ORDER BY started_at",
        [to_utc_text(start - MAX_INTERVAL), to_utc_text(end), to_utc_text(start), to_utc_text(end)],
    ).fetchall()
    found = []
    for state, started, ended in rows:
        began = from_utc_text(started)
        finish = from_utc_text(ended) if ended else open_until
        if finish is not None:
            found.append(Interval(state, began, max(finish, began)))
    return found


def _close_open(db: Database, at: datetime) -> None:
    row = open_posture(db)
    if row is None:
        return
    stamp = to_utc_text(at)
    end = max(at, row.started_at)  # never before it started: a clock set back must not make negative time
    db.execute(
        "UPDATE posture SET ended_at = ?, last_seen_at = max(last_seen_at, ?), updated_at = ? WHERE id = ?",
        [to_utc_text(min(end, row.started_at + MAX_INTERVAL)), stamp, stamp, row.id],
    )
    _add_pieces(db, row, end, source=row.source, seen=max(row.last_seen_at, at), made=at)


def _insert(db: Database, state: str, start: datetime, end: datetime | None, source: str,
            note: str | None, warmup_id: str | None = None) -> PostureRow:
    import uuid  # here: a reader (`glutetui status`) makes no ids

    seen = end or start
    row = PostureRow(str(uuid.uuid4()), state, start, end, seen, source, note, warmup_id)
    db.execute(
        "INSERT INTO posture (id, state, started_at, ended_at, last_seen_at, source, note, created_at, warmup_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [row.id, state, to_utc_text(start), to_utc_text(min(end, start + MAX_INTERVAL)) if end else None,
         to_utc_text(seen), source, note, to_utc_text(seen), warmup_id],
    )
    if end is not None:
        _add_pieces(db, row, end, source=source, seen=seen, made=None)
    return row


def piece_id(posture_id: str, number: int) -> str:
    import uuid

    return str(uuid.uuid5(uuid.UUID(PIECE_NAMESPACE), f"{posture_id}/{number}"))


def split_span(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """[start, end) as spans of at most MAX_INTERVAL, one after the other."""
    found = []
    while True:
        found.append((start, min(end, start + MAX_INTERVAL)))
        start += MAX_INTERVAL
        if start >= end:
            return found


def _add_pieces(db: Database, row: PostureRow, end: datetime, *, source: str, seen: datetime,
                made: datetime | None) -> None:
    """The rest of `row` past its first MAX_INTERVAL, now that it ends at `end`, as rows of their
    own; `made`: when a stored interval was closed (its pieces' change), None for a new one."""
    created, updated = to_utc_text(made or end), to_utc_text(made) if made else None
    for number, (start, stop) in enumerate(split_span(row.started_at, end)[1:], start=1):
        db.execute(
            "INSERT OR REPLACE INTO posture (id, state, started_at, ended_at, last_seen_at, source, note, "
            "created_at, updated_at, warmup_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [piece_id(row.id, number), row.state, to_utc_text(start), to_utc_text(stop), to_utc_text(seen),
             source, row.note, created, updated, row.warmup_id],
        )


def split_stored(row: dict) -> list[dict]:
    """A row as stored (an export's or another computer's), as the rows it is kept as here:
    itself, or, when longer than MAX_INTERVAL (a file from before m0007), its pieces."""
    if row.get("ended_at") is None:
        return [row]
    start, end = from_utc_text(row["started_at"]), from_utc_text(row["ended_at"])
    if end - start <= MAX_INTERVAL:
        return [row]
    spans = split_span(start, end)
    return [{**row, "id": row["id"] if number == 0 else piece_id(row["id"], number),
             "started_at": row["started_at"] if number == 0 else to_utc_text(low), "ended_at": to_utc_text(high)}
            for number, (low, high) in enumerate(spans)]


def _piece_ids(db: Database, posture_id: str) -> list[str]:
    """The rows an interval longer than MAX_INTERVAL continues in, found by their ids."""
    found = []
    while db.execute("SELECT 1 FROM posture WHERE id = ?", [piece_id(posture_id, len(found) + 1)]).fetchone():
        found.append(piece_id(posture_id, len(found) + 1))
    return found

