"""The workday streak up to yesterday, cached per day (table streak_cache, migration m0007).

The count reads the history back until the streak breaks: weeks of intervals for a
runner who keeps it up. Past days cannot change without a posture row that began
before today changing too, and the table's triggers then drop the rows it could make
wrong; so `glutetui status`, run by a status line every 15 s, and the app count once
a day and read one row after that.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, tzinfo

from glutetui.domain.timefmt import to_utc_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:
    from typing import Any

# A cache is worth no waiting: when another program holds the write lock, the next call counts again.
WRITE_PATIENCE_MS = 50


def rules_key(weekdays, break_min: timedelta, zone: tzinfo, day_start: datetime) -> str:
    """What the count depends on besides the rows. The zone by name where it has one, and by
    where today begins, so a move to another zone never reads another zone's count."""
    name = getattr(zone, "key", None) or repr(zone)
    return f"{','.join(str(day) for day in sorted(weekdays))}|{break_min.total_seconds():g}|{name}|{to_utc_text(day_start)}"


def cached(db: Any, day: date, rules: str) -> tuple[int | None, int]:
    """The count stored for `day` (None when there is none), and the generation of the posture
    rows now: give it back to `remember` with a count made from the rows read after this."""
    row = db.execute("SELECT (SELECT streak FROM streak_cache WHERE day = ? AND rules = ?), "
                     "(SELECT generation FROM posture_changes)", [day.isoformat(), rules]).fetchone()
    return row[0], row[1]


def remember(db: Any, day: date, rules: str, day_start: datetime, streak: int, generation: int,
             now: datetime) -> bool:
    """Store the count for `day`, dropping other days', unless a posture row changed since
    `generation` (the count may predate it). False when not stored, also when the file could
    not take it now (read-only, busy): the caller has its number all the same."""
    conn = getattr(db, "conn", db)  # a sqlite-utils Database or a plain connection
    if conn.in_transaction:
        return False  # never commit a caller's transaction for it
    try:
        patience = conn.execute("PRAGMA busy_timeout").fetchone()[0]
        conn.execute(f"PRAGMA busy_timeout = {WRITE_PATIENCE_MS}")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("DELETE FROM streak_cache WHERE day != ?", [day.isoformat()])
                stored = conn.execute(
                    "INSERT OR REPLACE INTO streak_cache (day, rules, day_start, streak, created_at) "
                    "SELECT ?, ?, ?, ?, ? WHERE (SELECT generation FROM posture_changes) = ?",
                    [day.isoformat(), rules, to_utc_text(day_start), streak, to_utc_text(now), generation],
                ).rowcount == 1
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.rollback()
                raise
        finally:
            conn.execute(f"PRAGMA busy_timeout = {patience}")
    except sqlite3.Error:
        return False
    return stored
