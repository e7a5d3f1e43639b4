"""Runs and their aches: a run and its aches go in, change and go out in one transaction each."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from glutetui.domain.run_flags import Ache, RunFacts
from glutetui.domain.timefmt import from_utc_text, to_utc_text
from glutetui.domain.warmup import LINK_WINDOW, FinishedWarmup
from glutetui.store.queries import rows_for_ids
from glutetui.store.transaction import insert_rows, write_transaction

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class RunRow:
    id: str
    started_at: datetime
    distance_m: float
    duration_s: int
    rpe: int | None
    notes: str
    source: str
    warmup_id: str | None
    aches: tuple[Ache, ...]
    morning_asked_at: str | None = None  # kept as stored, so an undone delete is not asked about again
    warmup_completed: bool = False  # the linked warm-up was done in full (not stopped early)

    @property
    def facts(self) -> RunFacts:
        return RunFacts(self.id, self.started_at, self.distance_m, self.aches)


def add_run(db: Database, *, started_at: datetime, distance_m: float, duration_s: int, rpe: int | None,
            notes: str, aches: tuple[Ache, ...], warmup_id: str | None, now: datetime,
            source: str = "manual") -> str:
    run_id = str(uuid.uuid4())
    with write_transaction(db):
        insert_rows(db, "runs", [{
            "id": run_id, "started_at": to_utc_text(started_at), "distance_m": distance_m,
            "duration_s": duration_s, "rpe": rpe, "notes": notes, "source": source, "external_id": None,
            "warmup_id": warmup_id, "created_at": to_utc_text(now),
        }])
        _insert_aches(db, run_id, aches, now)
    return run_id


def update_run(db: Database, run_id: str, *, started_at: datetime, distance_m: float, duration_s: int,
               rpe: int | None, notes: str, aches: tuple[Ache, ...], warmup_id: str | None, now: datetime) -> bool:
    """Replace a run's fields and its aches in one step; False when no such run."""
    with write_transaction(db):
        changed = db.execute(
            "UPDATE runs SET started_at = ?, distance_m = ?, duration_s = ?, rpe = ?, notes = ?, warmup_id = ?, "
            "updated_at = ? WHERE id = ?",
            [to_utc_text(started_at), distance_m, duration_s, rpe, notes, warmup_id, to_utc_text(now), run_id],
        ).rowcount == 1
        if changed:
            db.execute("DELETE FROM aches WHERE run_id = ?", [run_id])
            _insert_aches(db, run_id, aches, now)
        return changed


def restore_run(db: Database, run: RunRow, now: datetime) -> None:
    """Put back a deleted run with its id and aches (undo)."""
    with write_transaction(db):
        insert_rows(db, "runs", [{
            "id": run.id, "started_at": to_utc_text(run.started_at), "distance_m": run.distance_m,
            "duration_s": run.duration_s, "rpe": run.rpe, "notes": run.notes, "source": run.source,
            "external_id": None, "warmup_id": run.warmup_id, "morning_asked_at": run.morning_asked_at,
            "created_at": to_utc_text(now),
        }])
        _insert_aches(db, run.id, run.aches, now)


def delete_run(db: Database, run_id: str) -> bool:
    with write_transaction(db):
        db.execute("DELETE FROM aches WHERE run_id = ?", [run_id])
        return db.execute("DELETE FROM runs WHERE id = ?", [run_id]).rowcount == 1


def runs_between(db: Database, start: datetime | None = None, end: datetime | None = None) -> list[RunRow]:
    """Runs that started in [start, end), oldest first, each with its aches."""
    return _runs(db, "runs.started_at >= ? AND runs.started_at < ?",
                 [to_utc_text(start) if start else "", to_utc_text(end) if end else "~"])


def runs_version(db: Database) -> int:
    """Changes whenever a run or its aches are added, changed, deleted, merged in or asked about
    the next morning: the same number means the runs need not be read again. Each of those
    writes gives the run a new (updated_at or created_at, morning_asked_at) or removes it; the
    aches' count and newest row catch what a merge might bring without that. Only these two
    tables are read, so writes to others (posture every 30 s) cost no reading of the runs."""
    runs = db.execute("SELECT id, coalesce(updated_at, created_at), morning_asked_at FROM runs").fetchall()
    aches = db.execute("SELECT count(*), max(created_at) FROM aches").fetchone()
    # A set: a restored run comes back with a new rowid, so the order rows come in may change.
    return hash((frozenset(runs), tuple(aches)))


def run_by_id(db: Database, run_id: str) -> RunRow | None:
    found = _runs(db, "runs.id = ?", [run_id])
    return found[0] if found else None


def start_of_nth_run_before(db: Database, moment: datetime, n: int) -> datetime | None:
    """When the n-th run before `moment` (1 = the latest) started; None when there are fewer."""
    row = db.execute("SELECT started_at FROM runs WHERE started_at < ? ORDER BY started_at DESC LIMIT 1 OFFSET ?",
                     [to_utc_text(moment), n - 1]).fetchone()
    return from_utc_text(row[0]) if row else None


def unasked_runs_between(db: Database, start: datetime, end: datetime) -> list[RunRow]:
    return [run for run in runs_between(db, start, end) if run.morning_asked_at is None]


def record_morning(db: Database, run_ids: list[str], aches: dict[str, tuple[Ache, ...]], now: datetime) -> None:
    """The next-morning answers (maybe none: dismissed) and that the question was asked, in one step."""
    with write_transaction(db):
        for run_id in run_ids:
            db.execute("UPDATE runs SET morning_asked_at = ? WHERE id = ?", [to_utc_text(now), run_id])
            _insert_aches(db, run_id, aches.get(run_id, ()), now)


def _runs(db: Database, where: str, params: list) -> list[RunRow]:
    rows = db.execute(
        "SELECT runs.id, runs.started_at, distance_m, duration_s, rpe, notes, source, warmup_id, morning_asked_at, "
        "coalesce(warmups.completed, 0) FROM runs LEFT JOIN warmups ON warmups.id = runs.warmup_id "
        f"WHERE {where} ORDER BY runs.started_at",
        params,
    ).fetchall()
    aches = _aches_of(db, [row[0] for row in rows])
    return [RunRow(run_id, from_utc_text(started), distance, duration, rpe, notes, source, warmup,
                   tuple(aches.get(run_id, ())), asked, bool(completed))
            for run_id, started, distance, duration, rpe, notes, source, warmup, asked, completed in rows]


def ids_starting(db: Database, prefix: str) -> list[str]:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [row[0] for row in db.execute("SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
                                         [escaped + "%"]).fetchall()]


def warmups_before(db: Database, moment: datetime) -> list[FinishedWarmup]:
    """Finished warm-ups that ended within the link window before `moment`."""
    return _finished(db, "AND ended_at >= ? AND ended_at <= ?", [to_utc_text(moment - LINK_WINDOW), to_utc_text(moment)])


def _insert_aches(db: Database, run_id: str, aches: tuple[Ache, ...], now: datetime) -> None:
    insert_rows(db, "aches", [
        {"id": str(uuid.uuid4()), "run_id": run_id, "body_part": ache.body_part, "side": ache.side,
         "phase": ache.phase, "score": ache.score, "created_at": to_utc_text(now)}
        for ache in aches
    ])


def _aches_of(db: Database, run_ids: list[str]) -> dict[str, list[Ache]]:
    found: dict[str, list[Ache]] = {}
    for run_id, part, side, phase, score in rows_for_ids(
        db, "SELECT run_id, body_part, side, phase, score FROM aches WHERE run_id IN ({marks}) "
            "ORDER BY created_at, body_part", run_ids,
    ):
        found.setdefault(run_id, []).append(Ache(part, side, phase, score))
    return found


def finished_warmups(db: Database) -> list[FinishedWarmup]:
    """Every finished warm-up, by when it ended: to link many imported runs at once."""
    return _finished(db)


def _finished(db: Database, where: str = "", params: list[str] = ()) -> list[FinishedWarmup]:
    rows = db.execute(f"SELECT id, ended_at, completed FROM warmups WHERE ended_at IS NOT NULL {where} "
                      "ORDER BY ended_at", list(params))
    return [FinishedWarmup(warmup_id, from_utc_text(ended), bool(completed)) for warmup_id, ended, completed in rows]
