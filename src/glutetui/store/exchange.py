"""Whole tables in and out: the rows of an export, and the writes of an import or a merge.

A row here is a dict keyed by column name with the values exactly as stored, so an
export read back in gives identical rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from glutetui.store import posture
from glutetui.store.db import TABLES, write_transaction
from glutetui.store.queries import rows_for_ids

# Parents before children, so foreign keys hold at every insert.
ORDER_BY = {
    "posture": "started_at, id",
    "reminders": "due_at, id",
    "reminder_pauses": "started_at, id",
    "warmups": "started_at, id",
    "runs": "started_at, id",
    "aches": "run_id, created_at, id",
}
VERSION = "coalesce(updated_at, created_at)"  # a row's last change, to pick the newer of two copies
# An interval's copy that was seen later knows more: a recovery on the other computer closes
# it at an old heartbeat and is a later change, but not a better one.
POSTURE_VERSION = f"last_seen_at || '|' || {VERSION}"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # TEXT, INTEGER or REAL, as declared
    not_null: bool


def columns(db: Database, table: str) -> list[Column]:
    return [Column(name, declared.upper(), bool(notnull))
            for _, name, declared, notnull, _, _ in db.execute(f"PRAGMA table_info({table})").fetchall()]


def layout(db: Database) -> dict[str, list[Column]]:
    return {table: columns(db, table) for table in TABLES}


def dump(db: Database) -> dict[str, list[dict]]:
    """Every row of every table, read in one transaction so the tables agree with each other."""
    tables = {}
    with db.conn:  # a read transaction: one snapshot even while the app writes
        db.execute("BEGIN")
        present = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in TABLES:
            if table not in present:  # an older file, from before the table existed
                tables[table] = []
                continue
            names = [column.name for column in columns(db, table)]
            cursor = db.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY {ORDER_BY[table]}")
            tables[table] = [dict(zip(names, row)) for row in cursor.fetchall()]
    return tables


def versions(db: Database, table: str, ids: Iterable[str]) -> dict[str, str]:
    """The last change of each row of `table` among `ids` that is here."""
    version = POSTURE_VERSION if table == "posture" else VERSION
    return dict(rows_for_ids(db, f"SELECT id, {version} FROM {table} WHERE id IN ({{marks}})", ids))


def run_versions(db: Database, run_ids: Iterable[str]) -> dict[str, str]:
    """A run's last change counts its aches and the morning answer too: they travel with it."""
    return dict(rows_for_ids(
        db, "SELECT runs.id, max(coalesce(runs.updated_at, runs.created_at), coalesce(runs.morning_asked_at, ''), "
            "coalesce(max(aches.created_at), '')) FROM runs LEFT JOIN aches ON aches.run_id = runs.id "
            "WHERE runs.id IN ({marks}) GROUP BY runs.id", run_ids))


def external_ids(db: Database) -> dict[str, str]:
    """external_id -> run id, for every run that came from another program."""
    return dict(db.execute("SELECT external_id, id FROM runs WHERE external_id IS NOT NULL").fetchall())


def run_starts(db: Database) -> list[tuple[str, str, float]]:
    """(started_at, id, distance_m) of every run, oldest first, to find the same run from another source."""
    return db.execute("SELECT started_at, id, distance_m FROM runs ORDER BY started_at").fetchall()


def ache_facts(db: Database, run_id: str) -> set[tuple]:
    """(body_part, side, phase, score) of each ache of a run."""
    return set(db.execute("SELECT body_part, side, phase, score FROM aches WHERE run_id = ?", [run_id]).fetchall())


def warmup_ids(db: Database) -> set[str]:
    return {row[0] for row in db.execute("SELECT id FROM warmups").fetchall()}


def open_posture_id(db: Database) -> str | None:
    row = db.execute("SELECT id FROM posture WHERE ended_at IS NULL").fetchone()
    return row[0] if row else None


@dataclass
class Writes:
    """What one file adds or replaces, applied in one transaction."""

    inserts: dict[str, list[dict]]
    replaces: dict[str, list[dict]]
    aches_of_replaced_runs: list[str]  # their aches go; the incoming ones come in `inserts`

    @classmethod
    def empty(cls) -> Writes:
        return cls({table: [] for table in TABLES}, {table: [] for table in TABLES}, [])

    def count(self) -> int:
        return sum(len(rows) for rows in self.inserts.values()) + sum(len(rows) for rows in self.replaces.values())


def apply(db: Database, writes: Writes) -> None:
    with write_transaction(db):
        for run_id in writes.aches_of_replaced_runs:
            db.execute("DELETE FROM aches WHERE run_id = ?", [run_id])
        for table in TABLES:
            replaces, inserts, pieces_of_replaced = writes.replaces[table], writes.inserts[table], []
            if table == "posture":
                # A file from before intervals were capped at a day: stored as pieces like every other row.
                replaces, pieces_of_replaced = _split_posture(replaces)
                inserts = [piece for row in inserts for piece in posture.split_stored(row)]
            for row in replaces:
                names = [name for name in row if name != "id"]
                db.execute(f"UPDATE {table} SET {', '.join(f'{name} = ?' for name in names)} WHERE id = ?",
                           [row[name] for name in names] + [row["id"]])
            if inserts:
                db[table].insert_all(inserts)
            if pieces_of_replaced:  # an earlier copy of the row may have left them here already
                db[table].insert_all(pieces_of_replaced, replace=True)


def _split_posture(replaces: list[dict]) -> tuple[list[dict], list[dict]]:
    """Replaced rows cut to their first piece, and the pieces after it (which may be here already)."""
    firsts, rest = [], []
    for row in replaces:
        first, *more = posture.split_stored(row)
        firsts.append(first)
        rest += more
    return firsts, rest
