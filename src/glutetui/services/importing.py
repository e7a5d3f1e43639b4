"""`glutetui import` and `glutetui merge`: files become rows, one transaction per file.

A run already here is never added twice: not by its id (a glutetui row), not by its
external id (a Strava activity or a GPX track seen before), and not when a run here
starts within minutes with about the same distance (the same run from another source).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import uuid
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from glutetui.domain.imported_runs import ImportedRun, KnownRun, problem_with, row_problem, same_run
from glutetui.domain.timefmt import from_utc_text, to_utc_text
from glutetui.domain.warmup import LINK_WINDOW, FinishedWarmup, warmup_for_run
from glutetui.errors import StoreError, UserFacingError
from glutetui.services.export import MANIFEST
from glutetui.services.importers import gpx, native, strava
from glutetui.services.importers.common import (
    FileProblem,
    FileRuns,
    UnknownFile,
    decode,
    file_sha256,
    read_bytes,
)
from glutetui.store import exchange
from glutetui.store import runs as run_store
from glutetui.store.db import SQLITE_HEADER, TABLES, UnusableFile, connect_readonly, inspect_file

Progress = Callable[[float, int], None]  # (files done, with a share of the one being read; files in all)
HEAD_BYTES = 64 * 1024  # enough to tell a file's kind; a GPX file is then read as a stream
ROW_NAMES = {"posture": "posture interval", "reminders": "reminder", "reminder_pauses": "reminder pause",
             "warmups": "warm-up", "runs": "run", "aches": "ache"}  # how a rejected row is named, with its id
UNKNOWN = "is not a file glutetui reads: it reads Strava's activities.csv, GPX files and its own exports"


@dataclass
class FileReport:
    name: str
    kind: str = ""
    added: Counter = field(default_factory=Counter)  # table -> rows
    updated: int = 0
    duplicates: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # rows left out: (where, why)
    other_activities: Counter = field(default_factory=Counter)
    problem: str | None = None  # the whole file was left out, and why
    skipped_files: list[str] = field(default_factory=list)  # in a folder: files of no kind glutetui reads

    @property
    def added_total(self) -> int:
        return sum(self.added.values())


@dataclass
class Summary:
    files: list[FileReport]
    dry_run: bool
    database_note: str | None = None  # a dry run's word on what the command would do to the file first

    def total(self, what: str) -> int:
        return sum(getattr(report, what) for report in self.files if report.problem is None)

    @property
    def failed(self) -> list[FileReport]:
        return [report for report in self.files if report.problem is not None]


@dataclass(frozen=True)
class _Item:
    path: Path
    name: str
    as_folder: bool = False  # a CSV export folder, read as one file
    folder: str | None = None  # the folder named on the command line that this file is in


class Importer:
    """Imports into one database; what it adds is remembered, so a later file (or a dry
    run's next file) sees the runs of an earlier one."""

    def __init__(self, db: Database, now: datetime, *, dry_run: bool = False) -> None:
        self.db, self.now, self.dry_run = db, now, dry_run
        self.layout = exchange.layout(db)
        self.external = exchange.external_ids(db)
        self.known = [KnownRun(from_utc_text(start), run_id, distance)
                      for start, run_id, distance in exchange.run_starts(db)]
        self.warmups = run_store.finished_warmups(db)
        self.planned: set[tuple[str, str]] = set()  # (table, id) an earlier file added, or would in a dry run

    def import_paths(self, paths: Iterable[str], progress: Progress | None = None) -> Summary:
        items, reports = _expand(paths)
        left_out: dict[str, list[str]] = {}
        for done, item in enumerate(items):
            if progress:
                progress(done, len(items))
            report = self.import_item(item, _within(progress, done, len(items)))
            if item.folder is not None and report.problem == UNKNOWN:
                left_out.setdefault(item.folder, []).append(item.path.name)
            else:
                reports.append(report)
        reports.extend(FileReport(folder, skipped_files=names) for folder, names in left_out.items())
        if progress:
            progress(len(items), len(items))
        return Summary(reports, self.dry_run)

    def import_item(self, item: _Item, progress: gpx.Progress | None = None) -> FileReport:
        report = FileReport(item.name)
        try:
            if item.as_folder:
                report.kind = native.KIND_CSV
                self._import_tables(native.read_folder(item.path, self.layout), report)
            else:
                self._import_file(item.path, report, progress)
        except FileProblem as error:
            report.problem = UNKNOWN if isinstance(error, UnknownFile) else str(error)
        except (OSError, ValueError, OverflowError, RecursionError) as error:
            # Whatever else a file can hold that no check above foresaw: one line, and the next file.
            report.problem = f"could not be imported ({type(error).__name__}: {error}); nothing from it was added"
        if report.problem is not None:
            report.added.clear()
            report.updated = report.duplicates = 0
        return report

    def merge(self, other: Database, name: str) -> FileReport:
        report = FileReport(name, kind="glutetui database")
        try:
            with exchange.snapshot(other) as incoming:
                unsettled = _unsettled(incoming, self.db, report)
            tables = {table: native.checked_rows(table, rows, self.layout[table]) for table, rows in unsettled.items()}
            self._import_tables(tables, report)
        except FileProblem as error:
            report.problem = str(error)
        return report

    def _import_file(self, path: Path, report: FileReport, progress: gpx.Progress | None = None) -> None:
        if gpx.looks_like(_recognisable_head(path)):
            report.kind = gpx.KIND
            # The same bytes imported before, with every run still here: nothing to read. Hashing
            # takes milliseconds where parsing a long track takes seconds.
            sha256 = file_sha256(path)
            known = exchange.imported_file_runs(self.db, sha256)
            if known is not None:
                report.duplicates = len(known)
                return
            self._import_runs(gpx.read_file(path, progress), report, sha256)
            return
        text = decode(read_bytes(path))
        stripped = text.lstrip()
        if stripped.startswith("{"):
            document = _json(stripped)
            if not native.is_export(document):
                raise FileProblem("is JSON, but not a glutetui export")
            if document.get("layout") == "csv":  # the manifest of a CSV folder
                report.kind = native.KIND_CSV
                self._import_tables(native.read_folder(path.parent, self.layout), report)
            else:
                report.kind = native.KIND_JSON
                self._import_tables(native.read_document(document, self.layout), report)
        elif stripped.startswith("<"):
            raise FileProblem("is XML but not GPX (a TCX file?); export the activity as GPX")
        else:
            header = _first_csv_row(text)
            if strava.looks_like(header):
                report.kind = strava.KIND
                self._import_runs(strava.read(text), report)
            elif (table := native.table_of_header(header, self.layout)) is not None:
                raise FileProblem(f"is the {table} table of a glutetui CSV export; import the whole folder "
                                  f"it is in: glutetui import {path.parent}")
            else:
                raise UnknownFile(UNKNOWN)

    # Runs from Strava or a watch

    def _import_runs(self, found: FileRuns, report: FileReport, sha256: str | None = None) -> None:
        """`sha256`: the file's hash, recorded with the run each track is when every track is
        one (none rejected), so that importing the same file again needs no reading."""
        report.rejected.extend(found.rejected)
        report.other_activities.update(found.other_activities)
        writes = exchange.Writes.empty()
        new_known, new_external = [], {}
        run_ids = []  # the run here that each track is
        for run in found.runs:
            problem = problem_with(run, self.now)
            if problem:
                report.rejected.append((run.where, problem))
            elif (here := self.external.get(run.external_id) or new_external.get(run.external_id)
                  or self._same_run_id(run, new_known)) is not None:
                report.duplicates += 1
                run_ids.append(here)
            else:
                row = self._run_row(run)
                writes.inserts["runs"].append(row)
                new_external[run.external_id] = row["id"]
                insort(new_known, KnownRun(run.started_at, row["id"], run.distance_m), key=_start)
                run_ids.append(row["id"])
        report.added["runs"] = len(writes.inserts["runs"])
        if sha256 is not None and run_ids and not report.rejected and not report.other_activities:
            writes.imported_file = exchange.ImportedFile(sha256, run_ids, to_utc_text(self.now))
        self._apply(writes)
        self.external.update(new_external)
        for run in new_known:
            insort(self.known, run, key=_start)

    def _same_run_id(self, run: ImportedRun, new_known: list[KnownRun]) -> str | None:
        found = self.same_run(run.started_at, run.distance_m, new_known)
        return None if found is None else found.id

    def same_run(self, started_at: datetime, distance_m: float, new_known: list[KnownRun]) -> KnownRun | None:
        """A run here, or one about to be added (`new_known`), that is this run."""
        return same_run(self.known, started_at, distance_m) or same_run(new_known, started_at, distance_m)

    def _run_row(self, run: ImportedRun) -> dict:
        return {
            "id": str(uuid.uuid4()), "started_at": to_utc_text(run.started_at), "distance_m": float(run.distance_m),
            "duration_s": run.duration_s, "rpe": run.rpe, "notes": run.notes, "source": run.source,
            "external_id": run.external_id, "warmup_id": self._warmup_before(run.started_at),
            "created_at": to_utc_text(self.now),
        }

    def _warmup_before(self, started_at: datetime) -> str | None:
        # A warm-up done in glutetui before a run recorded on the watch is still that run's warm-up.
        first = bisect_left(self.warmups, started_at - LINK_WINDOW, key=lambda warmup: warmup.ended_at)
        window: list[FinishedWarmup] = []
        for warmup in self.warmups[first:]:
            if warmup.ended_at > started_at:
                break
            window.append(warmup)
        return warmup_for_run(started_at, window)

    # glutetui's own rows: an export or another database

    def _import_tables(self, tables: dict[str, list[dict]], report: FileReport) -> None:
        plan = _TablePlan(self, self._storable(tables, report), report)
        writes = plan.writes()
        self._apply(writes)
        self.planned.update((table, row["id"]) for table, rows in writes.inserts.items() for row in rows)
        for row in writes.inserts["runs"]:
            if row["external_id"]:
                self.external[row["external_id"]] = row["id"]
        for run in plan.planned:
            insort(self.known, run, key=_start)

    def _storable(self, tables: dict[str, list[dict]], report: FileReport) -> dict[str, list[dict]]:
        """The rows whose values glutetui could have stored itself; the others are rejected with
        their id and reason, and so are the rows that hang on them: a run on its warm-up, an ache
        on its run. A file whose rows have the wrong shape was refused whole before this."""
        kept: dict[str, list[dict]] = {}
        gone: dict[str, set[str]] = {}
        for table, rows in tables.items():
            kept[table], gone[table] = [], set()
            for row in rows:
                problem = row_problem(table, row, self.now)
                if table == "runs" and problem is None and row["warmup_id"] in gone["warmups"]:
                    problem = f"names the warm-up {row['warmup_id']!r}, which was rejected"
                if table == "aches" and problem is None and row["run_id"] in gone["runs"]:
                    problem = f"belongs to the run {row['run_id']!r}, which was rejected"
                if problem is None:
                    kept[table].append(row)
                else:
                    gone[table].add(row["id"])
                    report.rejected.append((f"{ROW_NAMES[table]} {row['id']!r}", problem))
        return kept

    def _apply(self, writes: exchange.Writes) -> None:
        if self.dry_run or writes.count() == 0:
            return
        try:
            exchange.apply(self.db, writes)
        except sqlite3.IntegrityError as error:
            raise FileProblem(f"has rows that break a rule of the database ({error}); "
                              "nothing from it was added") from None
        except sqlite3.OperationalError as error:
            raise StoreError(f"the database cannot be written ({error}); nothing from this file was added. "
                             "Check free disk space, or try again when the app is idle") from None


class _TablePlan:
    """Which rows of an export or another database to add, replace or leave, for one file."""

    def __init__(self, importer: Importer, tables: dict[str, list[dict]], report: FileReport) -> None:
        self.importer, self.db, self.tables, self.report = importer, importer.db, tables, report
        self.out = exchange.Writes.empty()
        self.planned: list[KnownRun] = []  # runs this file adds, by start

    def writes(self) -> exchange.Writes:
        self._check_references()
        self._posture()
        for table in ("reminders", "reminder_pauses", "warmups"):
            self._by_version(table, self.tables[table])
        self._runs_and_aches()
        return self.out

    def _check_references(self) -> None:
        warmups = {row["id"] for row in self.tables["warmups"]} | exchange.warmup_ids(self.db)
        for row in self.tables["runs"]:
            if row["warmup_id"] is not None and row["warmup_id"] not in warmups:
                raise FileProblem(f"the run {row['id']} names a warm-up ({row['warmup_id']}) that is neither "
                                  "in the file nor here")
        runs = {row["id"] for row in self.tables["runs"]}
        orphans = {row["run_id"] for row in self.tables["aches"]} - runs
        missing = orphans - set(exchange.versions(self.db, "runs", orphans))
        if missing:
            raise FileProblem(f"has aches of a run that is neither in the file nor here ({sorted(missing)[0]})")

    def _posture(self) -> None:
        open_id = exchange.open_posture_id(self.db)
        may_open = open_id is None  # one interval open at a time, and this computer's comes first
        kept = []
        for row in self.tables["posture"]:
            if row["ended_at"] is None and row["id"] != open_id:
                if may_open:
                    may_open = False
                else:  # the other computer's ends at its last heartbeat there
                    row = {**row, "ended_at": max(row["started_at"], row["last_seen_at"])}
            kept.append(row)
        self._by_version("posture", kept)

    def _by_version(self, table: str, rows: list[dict]) -> None:
        here = exchange.versions(self.db, table, [row["id"] for row in rows])
        for row in rows:
            if (table, row["id"]) in self.importer.planned and row["id"] not in here:
                self.report.duplicates += 1
            elif row["id"] not in here:
                self.out.inserts[table].append(row)
                self.report.added[table] += 1
            elif (_posture_version(row) if table == "posture" else _version(row)) > here[row["id"]]:
                self.out.replaces[table].append(row)
                self.report.updated += 1
            else:
                self.report.duplicates += 1

    def _runs_and_aches(self) -> None:
        aches_of: dict[str, list[dict]] = {}
        for ache in self.tables["aches"]:
            aches_of.setdefault(ache["run_id"], []).append(ache)
        incoming = self.tables["runs"]
        here = exchange.run_versions(self.db, [run["id"] for run in incoming])
        for run in incoming:
            aches = aches_of.pop(run["id"], [])
            if ("runs", run["id"]) in self.importer.planned and run["id"] not in here:
                self.report.duplicates += 1 + len(aches)
            elif run["id"] in here:
                if _run_version(run, aches) > here[run["id"]]:
                    self.out.replaces["runs"].append(run)
                    self.out.aches_of_replaced_runs.append(run["id"])
                    self._add("aches", aches)
                    self.report.updated += 1
                else:
                    self.report.duplicates += 1 + len(aches)
            elif (twin := self._twin(run)) is not None:
                self.report.duplicates += 1
                self._aches_for_twin(twin, aches)
            else:
                self._add("runs", [run])
                self._add("aches", aches)
        # Aches added to a run that only this database holds in full.
        self._by_version("aches", [ache for aches in aches_of.values() for ache in aches])

    def _twin(self, run: dict) -> str | None:
        """The id of the run here that is this run under another id. Not one this file adds:
        two rows of one database are two runs, however close (two runs 10 minutes apart)."""
        importer = self.importer
        if run["external_id"] is not None and run["external_id"] in importer.external:
            return importer.external[run["external_id"]]
        found = same_run(importer.known, from_utc_text(run["started_at"]), run["distance_m"])
        return found.id if found is not None else None

    def _aches_for_twin(self, twin: str, aches: list[dict]) -> None:
        # Both computers imported the same activity: the aches logged on the other one belong
        # to the run kept here, unless the same ache is already on it.
        have = {(a["body_part"], a["side"], a["phase"], a["score"]) for a in self.out.inserts["aches"]
                if a["run_id"] == twin} | exchange.ache_facts(self.db, twin)
        for ache in aches:
            fact = (ache["body_part"], ache["side"], ache["phase"], ache["score"])
            if fact in have:
                self.report.duplicates += 1
            else:
                have.add(fact)
                self._add("aches", [{**ache, "run_id": twin}])

    def _add(self, table: str, rows: list[dict]) -> None:
        self.out.inserts[table].extend(rows)
        self.report.added[table] += len(rows)
        if table == "runs":
            for row in rows:
                insort(self.planned, KnownRun(from_utc_text(row["started_at"]), row["id"], row["distance_m"]),
                       key=_start)


def _unsettled(incoming: exchange.Snapshot, db: Database, report: FileReport) -> dict[str, list[dict]]:
    """The rows of another database that this one lacks or holds in an older version: only
    they are read whole, checked and planned. The others are counted as already here, as
    _TablePlan would count them; a merge that adds nothing then reads only ids and versions."""
    run_versions = incoming.run_versions()
    settled_runs = _settled(run_versions, exchange.run_versions(db, run_versions))
    ache_runs = incoming.ache_run_ids()
    tables = {}
    for table in TABLES:
        if table == "runs":
            theirs, settled = run_versions, settled_runs
        elif table == "aches":
            # An ache travels with its run: settled with it, read with it, whatever its own version.
            theirs = incoming.versions("aches")
            alone = {ache: version for ache, version in theirs.items() if ache_runs.get(ache) not in run_versions}
            settled = ({ache for ache in theirs if ache_runs.get(ache) in settled_runs}
                       | _settled(alone, exchange.versions(db, "aches", alone)))
        else:
            theirs = incoming.versions(table)
            settled = _settled(theirs, exchange.versions(db, table, theirs))
        report.duplicates += len(settled)
        tables[table] = list(incoming.rows(table, {row_id for row_id in theirs if row_id not in settled}))
    return tables


def _settled(theirs: dict[str, str], here: dict[str, str]) -> set[str]:
    """The ids whose version here is the same or later: nothing of theirs would change it."""
    return {row_id for row_id, version in theirs.items()
            if isinstance(version, str) and isinstance(here.get(row_id), str) and version <= here[row_id]}


def _version(row: dict) -> str:
    return row.get("updated_at") or row["created_at"]


def _posture_version(row: dict) -> str:
    return f"{row['last_seen_at']}|{_version(row)}"


def _run_version(run: dict, aches: list[dict]) -> str:
    return max([_version(run), run.get("morning_asked_at") or ""] + [ache["created_at"] for ache in aches])


def _start(run: KnownRun) -> datetime:
    return run.started_at


def _expand(paths: Iterable[str]) -> tuple[list[_Item], list[FileReport]]:
    """Files to import, and a report for each name that is not one."""
    items, reports = [], []
    for text in paths:
        try:
            path = Path(text).expanduser()
            exists = path.exists()
        except (OSError, RuntimeError) as error:  # a name too long, ~user of nobody
            reports.append(FileReport(text, problem=f"cannot be used as a path ({error}); check it"))
            continue
        if not exists:
            reports.append(FileReport(text, problem="does not exist; check the path"))
        elif path.is_dir():
            if (path / MANIFEST).is_file():
                items.append(_Item(path, text, as_folder=True))
            else:
                inside = sorted(child for child in path.iterdir() if child.is_file() and not child.name.startswith("."))
                if not inside:
                    reports.append(FileReport(text, problem="is a folder with no files in it"))
                items.extend(_Item(child, str(Path(text) / child.name), folder=text) for child in inside)
        elif not path.is_file():
            reports.append(FileReport(text, problem="is not a regular file"))
        else:
            items.append(_Item(path, text))
    return items, reports


_MAGIC = (
    (b"SQLite format 3\x00", "is a SQLite database; to add another glutetui database, use: glutetui merge FILE"),
    (b"PK\x03\x04", "is a zip archive; unzip it first, then import the activities.csv or the folder inside"),
    (b"\x1f\x8b", "is compressed (gzip); unpack it first. glutetui reads GPX files, not FIT"),
)


def _recognisable_head(path: Path) -> str:
    """The start of the file as text, after refusing the kinds of file people mistake for ours."""
    head = read_bytes(path, HEAD_BYTES)
    for magic, message in _MAGIC:
        if head.startswith(magic):
            raise FileProblem(message)
    if head[8:12] == b".FIT":
        raise FileProblem("is a FIT file; glutetui reads GPX: export the activity as GPX from your watch's app")
    if b"\x00" in head[:4096]:
        raise FileProblem("is not a text file")
    return head.decode("utf-8-sig", errors="replace")  # only to look at; the whole is decoded strictly


def _within(progress: Progress | None, done: int, total: int) -> gpx.Progress | None:
    """A file's own progress, the share of it read, as a step of the whole import's."""
    if progress is None:
        return None
    return lambda share: progress(done + share, total)


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FileProblem(f"looks like JSON but is broken at line {error.lineno}, column {error.colno}; "
                          "export it again") from None


def _first_csv_row(text: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return []


def open_other(path: Path, own: Path) -> Database:
    """The database to merge in, read-only; refused when it is this one or not a glutetui file."""
    if not path.exists():
        raise UserFacingError(f"{path}: does not exist; check the path")
    if path.resolve() == own.resolve() or (own.exists() and path.samefile(own)):  # a hard link too
        raise UserFacingError(f"{path}: is the database glutetui uses itself; give the other computer's file")
    if path.is_dir():
        raise UserFacingError(f"{path}: is a folder; give the other computer's database file")
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as error:
        raise UserFacingError(f"{path}: cannot be read ({error.strerror}); check its permissions") from None
    if head != SQLITE_HEADER:
        raise UserFacingError(f"{path}: is not a SQLite database. To add runs or an export from a file, "
                              f"use: glutetui import {path}")
    try:
        status = inspect_file(path)
    except UnusableFile as error:
        # inspect_file's own fix is for --db, the file glutetui uses; this one is only read.
        fix = ("Upgrade glutetui here, then merge again" if error.newer else
               "It is not a glutetui database glutetui can read, and nothing was changed. Copy the database "
               "again from the other computer (quit glutetui there first), then merge that copy")
        raise UserFacingError(f"{path}: {error.reason}. {fix}.") from None
    if status.schema_version == 0:
        raise UserFacingError(f"{path}: is an empty database; there is nothing to merge")
    return connect_readonly(path)

