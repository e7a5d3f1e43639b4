"""Numbered schema migrations, recorded in the database file itself.

Append new migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

MIGRATION_SET = "glutetui"
MIGRATIONS_TABLE = "_sqlite_migrations"  # where sqlite-utils' Migrations records what it applied
MIGRATION_NAMES: list[str] = []
_STEPS: list[Callable[[Database], None]] = []


def _migration(fn):
    MIGRATION_NAMES.append(fn.__name__)
    _STEPS.append(fn)
    return fn


@cache
def registry() -> Migrations:
    """The migrations as sqlite-utils runs them. Made on first use: a file that is up to date
    (the app's every start) needs only the names, and sqlite-utils takes 80 ms to import."""
    from sqlite_utils import Migrations

    steps = Migrations(MIGRATION_SET)
    for step in _STEPS:
        steps(name=step.__name__)(step)
    return steps


def __getattr__(name: str):
    if name == "migrations":  # the registry under its former module-level name
        return registry()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@_migration
def m0001_initial(db: Database) -> None:
    # CHECK constraints guard the enumerations of DESIGN.md even against a
    # hand-edited or merged file; sources stay free text so new ones need no rebuild.
    _run_statements(
        db,
        """
        CREATE TABLE posture (
            id TEXT PRIMARY KEY,
            state TEXT NOT NULL CHECK (state IN ('sitting', 'standing', 'break', 'away')),
            started_at TEXT NOT NULL,
            ended_at TEXT CHECK (ended_at IS NULL OR ended_at >= started_at),
            last_seen_at TEXT NOT NULL,
            source TEXT NOT NULL,
            note TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT
        );
        CREATE INDEX posture_started_at ON posture (started_at);
        CREATE INDEX posture_open ON posture (ended_at) WHERE ended_at IS NULL;

        CREATE TABLE reminders (
            id TEXT PRIMARY KEY,
            due_at TEXT NOT NULL,
            shown_at TEXT,
            outcome TEXT CHECK (outcome IS NULL OR outcome IN ('taken', 'snoozed', 'skipped', 'missed')),
            responded_at TEXT,
            bout_minutes REAL CHECK (bout_minutes IS NULL OR bout_minutes >= 0),
            created_at TEXT NOT NULL,
            updated_at TEXT
        );
        CREATE INDEX reminders_due_at ON reminders (due_at);

        CREATE TABLE warmups (
            id TEXT PRIMARY KEY,
            routine TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            planned_s INTEGER NOT NULL CHECK (planned_s >= 0),
            done_s INTEGER NOT NULL DEFAULT 0 CHECK (done_s >= 0),
            steps_done INTEGER NOT NULL DEFAULT 0 CHECK (steps_done >= 0),
            steps_total INTEGER NOT NULL CHECK (steps_total >= 0),
            completed INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT
        );
        CREATE INDEX warmups_started_at ON warmups (started_at);

        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            distance_m REAL NOT NULL CHECK (distance_m > 0),
            duration_s INTEGER NOT NULL CHECK (duration_s > 0),
            rpe INTEGER CHECK (rpe IS NULL OR rpe BETWEEN 1 AND 10),
            notes TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'manual',
            external_id TEXT UNIQUE,
            warmup_id TEXT REFERENCES warmups (id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT
        );
        CREATE INDEX runs_started_at ON runs (started_at);
        CREATE INDEX runs_warmup_id ON runs (warmup_id);

        CREATE TABLE aches (
            id TEXT PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            body_part TEXT NOT NULL CHECK (body_part IN
                ('hip', 'knee', 'lower_back', 'hamstring', 'it_band', 'shin', 'calf', 'foot')),
            side TEXT NOT NULL CHECK (side IN ('left', 'right', 'both', 'centre')),
            phase TEXT NOT NULL CHECK (phase IN ('during', 'after', 'next_morning')),
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
            created_at TEXT NOT NULL,
            updated_at TEXT
        );
        CREATE INDEX aches_run_id ON aches (run_id);
        """
    )


@_migration
def m0002_one_open_posture(db: Database) -> None:
    # The tracker in the app and `glutetui stand` in a script both change the
    # state; the index makes a second open interval impossible, not just unlikely.
    _run_statements(
        db,
        """
        UPDATE posture SET ended_at = max(started_at, last_seen_at), source = 'recovered'
            WHERE ended_at IS NULL
            AND id NOT IN (SELECT id FROM posture WHERE ended_at IS NULL ORDER BY started_at DESC LIMIT 1);
        DROP INDEX posture_open;
        CREATE UNIQUE INDEX posture_one_open ON posture ((ended_at IS NULL)) WHERE ended_at IS NULL;
        """
    )


@_migration
def m0003_reminder_moves_and_pauses(db: Database) -> None:
    # Which desk move a reminder offered, so the next one can be a different move
    # even after a restart; and "pause reminders" that outlives a restart too.
    _run_statements(
        db,
        """
        ALTER TABLE reminders ADD COLUMN move TEXT;
        CREATE TABLE reminder_pauses (
            id TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            until_at TEXT NOT NULL CHECK (until_at >= started_at),
            created_at TEXT NOT NULL,
            updated_at TEXT
        );
        CREATE INDEX reminder_pauses_until_at ON reminder_pauses (until_at);
        """
    )


@_migration
def m0004_morning_check(db: Database) -> None:
    # Set when the runner was asked (or dismissed the question) how the aches of a run feel
    # the next morning, so it is asked once.
    _run_statements(db, "ALTER TABLE runs ADD COLUMN morning_asked_at TEXT;")


@_migration
def m0005_moving_states(db: Database) -> None:
    # A routine in progress ("exercise") and the run after a pre-run warm-up ("out") are
    # movement, not sitting; both point at their warm-up. A CHECK cannot be altered in
    # SQLite, so the table is rebuilt with its rows, ids and indexes as they were.
    _run_statements(
        db,
        """
        CREATE TABLE posture_new (
            id TEXT PRIMARY KEY,
            state TEXT NOT NULL CHECK (state IN ('sitting', 'standing', 'break', 'away', 'exercise', 'out')),
            started_at TEXT NOT NULL,
            ended_at TEXT CHECK (ended_at IS NULL OR ended_at >= started_at),
            last_seen_at TEXT NOT NULL,
            source TEXT NOT NULL,
            note TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT,
            warmup_id TEXT
        );
        INSERT INTO posture_new (id, state, started_at, ended_at, last_seen_at, source, note, created_at, updated_at)
            SELECT id, state, started_at, ended_at, last_seen_at, source, note, created_at, updated_at FROM posture;
        DROP TABLE posture;
        ALTER TABLE posture_new RENAME TO posture;
        CREATE INDEX posture_started_at ON posture (started_at);
        CREATE UNIQUE INDEX posture_one_open ON posture ((ended_at IS NULL)) WHERE ended_at IS NULL;
        """
    )


@_migration
def m0006_break_cut_short(db: Database) -> None:
    # A taken reminder whose break the runner ended before break_min: still taken (they got
    # up), but too short to end the sitting bout, and Today says so.
    _run_statements(db, "ALTER TABLE reminders ADD COLUMN cut_short INTEGER NOT NULL DEFAULT 0 "
                        "CHECK (cut_short IN (0, 1));")


def _run_statements(db: Database, script: str) -> None:
    # Not executescript(): it commits first, which would break the migration's transaction.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


SCHEMA_VERSION = len(MIGRATION_NAMES)
