"""Whole tables in and out: the rows of an export, and the writes of an import or a merge.

A row here is a dict keyed by column name with the values exactly as stored, so an
export read back in gives identical rows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
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
ONE_PASS_FROM = 2000  # ids, past which versions() reads the whole table instead of looking each up
BATCH_ROWS = 1000  # rows fetched from SQLite at a time while a table is streamed
VERSION = "coalesce(updated_at, created_at)"  # a row's last change, to pick the newer of two copies
# An interval's copy that was seen later knows more: a recovery on the other computer closes
# it at an old heartbeat and is a later change, but not a better one.
POSTURE_VERSION = f"last_seen_at || '|' || {VERSION}"
RUN_VERSION = ("SELECT runs.id, max(coalesce(runs.updated_at, runs.created_at), {morning}, "
               "coalesce(max(aches.created_at), '')) FROM runs LEFT JOIN aches ON aches.run_id = runs.id")


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
    with snapshot(db) as tables:
        return {table: list(tables.rows(table)) for table in TABLES}


@contextmanager
def snapshot(db: Database) -> Iterator[Snapshot]:
    """The tables as one read transaction sees them until the block ends: they agree with
    each other even while the app writes."""
    with db.conn:
        db.execute("BEGIN")
        present = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        yield Snapshot(db, present)


class Snapshot:
    """Whole tables of one read transaction, read a batch of rows at a time; a file from an
    older glutetui may lack a table or a column, which then reads as empty."""

    def __init__(self, db: Database, present: set[str]) -> None:
        self.db, self.present = db, present

    def rows(self, table: str, ids: Collection[str] | None = None) -> Iterator[dict]:
        """The rows of `table` in ORDER_BY order: all of them, or only those with these `ids`."""
        if table not in self.present or ids is not None and not ids:
            return
        names = [column.name for column in columns(self.db, table)]
        cursor = self.db.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY {ORDER_BY[table]}")
        while batch := cursor.fetchmany(BATCH_ROWS):
            for row in batch:
                if ids is None or row[0] in ids:  # id is the first column of every table
                    yield dict(zip(names, row))

    def versions(self, table: str) -> dict[str, str]:
        """Each row's last change, as versions() reads it here."""
        if table not in self.present:
            return {}
        version = POSTURE_VERSION if table == "posture" else VERSION
        return dict(self.db.execute(f"SELECT id, {version} FROM {table}").fetchall())

    def run_versions(self) -> dict[str, str]:
        """Each run's last change with its aches and morning answer, as run_versions() reads it here."""
        if "runs" not in self.present:
            return {}
        names = {column.name for column in columns(self.db, "runs")}
        morning = "coalesce(runs.morning_asked_at, '')" if "morning_asked_at" in names else "''"
        return dict(self.db.execute(f"{RUN_VERSION.format(morning=morning)} GROUP BY runs.id").fetchall())

    def ache_run_ids(self) -> dict[str, str]:
        """ache id -> the id of its run."""
        if "aches" not in self.present:
            return {}
        return dict(self.db.execute("SELECT id, run_id FROM aches").fetchall())


def versions(db: Database, table: str, ids: Collection[str]) -> dict[str, str]:
    """The last change of each row of `table` among `ids` that is here."""
    version = POSTURE_VERSION if table == "posture" else VERSION
    return _for_ids(db, f"SELECT id, {version} FROM {table}", "id", "", ids)


def run_versions(db: Database, run_ids: Collection[str]) -> dict[str, str]:
    """A run's last change counts its aches and the morning answer too: they travel with it."""
    query = RUN_VERSION.format(morning="coalesce(runs.morning_asked_at, '')")
    return _for_ids(db, query, "runs.id", " GROUP BY runs.id", run_ids)


def _for_ids(db: Database, select: str, id_column: str, tail: str, ids: Collection[str]) -> dict[str, str]:
    """`select` (id, value) for `ids`: looked up a chunk at a time, or for many ids (a whole
    other database) read in one pass, which is several times quicker than thousands of lookups."""
    if len(ids) > ONE_PASS_FROM:
        wanted = set(ids)
        return {row_id: value for row_id, value in db.execute(select + tail).fetchall() if row_id in wanted}
    return dict(rows_for_ids(db, f"{select} WHERE {id_column} IN ({{marks}}){tail}", ids))


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


def imported_file_runs(db: Database, sha256: str) -> list[str] | None:
    """The runs the tracks of a file with these bytes are, one a track, when every one is
    still here; None for a file never recorded, or one whose run was deleted since."""
    row = db.execute("SELECT run_ids FROM imported_files WHERE sha256 = ?", [sha256]).fetchone()
    if row is None:
        return None
    run_ids = row[0].split()
    here = {found for (found,) in rows_for_ids(db, "SELECT id FROM runs WHERE id IN ({marks})", set(run_ids))}
    return run_ids if run_ids and here >= set(run_ids) else None


@dataclass
class ImportedFile:
    sha256: str
    run_ids: list[str]  # one a track, in the file's order
    created_at: str


@dataclass
class Writes:
    """What one file adds or replaces, applied in one transaction."""

    inserts: dict[str, list[dict]]
    replaces: dict[str, list[dict]]
    aches_of_replaced_runs: list[str]  # their aches go; the incoming ones come in `inserts`
    imported_file: ImportedFile | None = None  # a GPX file read whole, for the next import of it

    @classmethod
    def empty(cls) -> Writes:
        return cls({table: [] for table in TABLES}, {table: [] for table in TABLES}, [])

    def count(self) -> int:
        """Rows to write, the record of an imported file too."""
        return (sum(len(rows) for rows in self.inserts.values()) + sum(len(rows) for rows in self.replaces.values())
                + (self.imported_file is not None))


def apply(db: Database, writes: Writes) -> None:
    with write_transaction(db):
        db.conn.executemany("DELETE FROM aches WHERE run_id = ?",
                            [[run_id] for run_id in writes.aches_of_replaced_runs])
        for table in TABLES:
            replaces, inserts, pieces_of_replaced = writes.replaces[table], writes.inserts[table], []
            if table == "posture":
                # A file from before intervals were capped at a day: stored as pieces like every other row.
                replaces, pieces_of_replaced = _split_posture(replaces)
                inserts = [piece for row in inserts for piece in posture.split_stored(row)]
            for names, rows in _by_columns(replaces, leave_out="id").items():
                db.conn.executemany(f"UPDATE {table} SET {', '.join(f'{name} = ?' for name in names)} WHERE id = ?",
                                    [[row[name] for name in names] + [row["id"]] for row in rows])
            # executemany straight away: the rows are checked values already, and sqlite-utils'
            # insert_all would look at each value again to see if it needs JSON (a third of a merge).
            for verb, rows_of_shape in (("INSERT", _by_columns(inserts)),
                                        # an earlier copy of the row may have left them here already
                                        ("INSERT OR REPLACE", _by_columns(pieces_of_replaced))):
                for names, rows in rows_of_shape.items():
                    db.conn.executemany(f"{verb} INTO {table} ({', '.join(names)}) "
                                        f"VALUES ({', '.join('?' * len(names))})",
                                        [[row[name] for name in names] for row in rows])
        if writes.imported_file is not None:
            file = writes.imported_file
            # REPLACE: a file read again after one of its runs was deleted names the new run.
            db.execute("INSERT OR REPLACE INTO imported_files (sha256, run_ids, created_at) VALUES (?, ?, ?)",
                       [file.sha256, " ".join(file.run_ids), file.created_at])


def _by_columns(rows: list[dict], leave_out: str = "") -> dict[tuple[str, ...], list[dict]]:
    """The rows grouped by the columns they set (all rows of a table, as a rule): one statement a group."""
    groups: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(name for name in row if name != leave_out), []).append(row)
    return groups


def _split_posture(replaces: list[dict]) -> tuple[list[dict], list[dict]]:
    """Replaced rows cut to their first piece, and the pieces after it (which may be here already)."""
    firsts, rest = [], []
    for row in replaces:
        first, *more = posture.split_stored(row)
        firsts.append(first)
        rest += more
    return firsts, rest
