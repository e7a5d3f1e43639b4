"""Reminders as shown and answered, and pauses of them."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from glutetui.domain.reminders import MISSED, Shown
from glutetui.domain.timefmt import from_utc_text, to_utc_text
from glutetui.store.transaction import write_transaction

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:  # and no sqlite-utils: it reads through a plain sqlite3 connection
    from sqlite_utils import Database


def add_shown(db: Database, *, due_at: datetime, shown_at: datetime, bout_minutes: float, move: str | None) -> str:
    import uuid  # here: a reader (`glutetui status`) makes no ids

    reminder_id = str(uuid.uuid4())
    with write_transaction(db):
        db["reminders"].insert({
            "id": reminder_id, "due_at": to_utc_text(due_at), "shown_at": to_utc_text(shown_at),
            "outcome": None, "responded_at": None, "bout_minutes": round(bout_minutes, 1), "move": move,
            "created_at": to_utc_text(shown_at),
        })
    return reminder_id


def set_outcome(db: Database, reminder_id: str, outcome: str, at: datetime, *, answered: bool = True) -> bool:
    """Record the answer once; False when the reminder already had one (another window answered)."""
    stamp = to_utc_text(at)
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE reminders SET outcome = ?, responded_at = ?, updated_at = ? WHERE id = ? AND outcome IS NULL",
            [outcome, stamp if answered else None, stamp, reminder_id],
        )
        return cursor.rowcount == 1


def mark_missed(db: Database, reminder_id: str, at: datetime) -> None:
    with write_transaction(db):
        db.execute("UPDATE reminders SET outcome = ?, responded_at = NULL, updated_at = ? WHERE id = ?",
                   [MISSED, to_utc_text(at), reminder_id])


def mark_cut_short(db: Database, reminder_id: str, at: datetime) -> None:
    with write_transaction(db):
        db.execute("UPDATE reminders SET cut_short = 1, updated_at = ? WHERE id = ?", [to_utc_text(at), reminder_id])


def miss_unanswered(db: Database, at: datetime) -> int:
    """Reminders a crash or a quit left waiting were never answered: missed."""
    with write_transaction(db):
        cursor = db.execute("UPDATE reminders SET outcome = ?, updated_at = ? WHERE outcome IS NULL",
                            [MISSED, to_utc_text(at)])
        return cursor.rowcount


def shown_since(db: Database, since: datetime) -> list[Shown]:
    rows = db.execute(
        "SELECT shown_at, outcome, responded_at FROM reminders "
        "WHERE due_at >= ? AND shown_at IS NOT NULL ORDER BY shown_at",
        [to_utc_text(since)],
    ).fetchall()
    return [Shown(from_utc_text(shown), outcome, from_utc_text(responded) if responded else None)
            for shown, outcome, responded in rows]


def outcomes_between(db: Database, start: datetime, end: datetime) -> Counter:
    rows = db.execute(
        "SELECT outcome, count(*) FROM reminders WHERE due_at >= ? AND due_at < ? AND outcome IS NOT NULL "
        "GROUP BY outcome",
        [to_utc_text(start), to_utc_text(end)],
    ).fetchall()
    return Counter(dict(rows))


def cut_short_between(db: Database, start: datetime, end: datetime) -> int:
    """Taken reminders whose break ended before it was long enough to end the bout."""
    return db.execute("SELECT count(*) FROM reminders WHERE due_at >= ? AND due_at < ? AND cut_short = 1",
                      [to_utc_text(start), to_utc_text(end)]).fetchone()[0]


def last_move(db: Database) -> str | None:
    row = db.execute("SELECT move FROM reminders WHERE move IS NOT NULL ORDER BY shown_at DESC LIMIT 1").fetchone()
    return row[0] if row else None


def pause(db: Database, start: datetime, until: datetime) -> None:
    import uuid

    with write_transaction(db):
        _end_pauses(db, start)
        db["reminder_pauses"].insert({
            "id": str(uuid.uuid4()), "started_at": to_utc_text(start), "until_at": to_utc_text(until),
            "created_at": to_utc_text(start),
        })


def resume(db: Database, at: datetime) -> None:
    with write_transaction(db):
        _end_pauses(db, at)


def paused_until(db: Database, now: datetime) -> datetime | None:
    row = db.execute(
        "SELECT max(until_at) FROM reminder_pauses WHERE started_at <= ? AND until_at > ?",
        [to_utc_text(now), to_utc_text(now)],
    ).fetchone()
    return from_utc_text(row[0]) if row and row[0] else None


def _end_pauses(db: Database, at: datetime) -> None:
    stamp = to_utc_text(at)
    db.execute("UPDATE reminder_pauses SET until_at = max(started_at, ?), updated_at = ? WHERE until_at > ?",
               [stamp, stamp, stamp])


def outcomes_due_between(db: Database, start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    """(due_at, outcome) of every answered or missed reminder due in [start, end)."""
    rows = db.execute(
        "SELECT due_at, outcome FROM reminders WHERE due_at >= ? AND due_at < ? AND outcome IS NOT NULL "
        "ORDER BY due_at",
        [to_utc_text(start), to_utc_text(end)],
    ).fetchall()
    return [(from_utc_text(due), outcome) for due, outcome in rows]
