"""Numbered schema migrations, recorded in the database file itself.

Append new migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

MIGRATION_SET = "glutetui"
migrations = Migrations(MIGRATION_SET)
MIGRATION_NAMES: list[str] = []


def _migration(fn):
    MIGRATION_NAMES.append(fn.__name__)
    return migrations(name=fn.__name__)(fn)


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


@_migration
def m0007_bounded_intervals_and_streak_cache(db: Database) -> None:
    # 1. No closed interval longer than a day (store/posture.py MAX_INTERVAL), so a question
    # about a day or a week reads a bounded range of the started_at index instead of every
    # interval that began before its end. Longer ones become pieces of a day each, one after
    # the other: every total, bout and day is the same, as the sitting math takes the union of
    # touching spans. The first piece keeps the row's id and version; the others get ids made
    # from it (the same on every computer, so a merge of two upgraded files adds nothing).
    # The length and the namespace are written out here, not imported: a shipped migration
    # must do the same thing forever.
    import uuid
    from datetime import datetime, timedelta, timezone

    cap = timedelta(days=1)
    namespace = uuid.UUID("5d0c3b4e-6f1a-4c57-9a55-2f0d8c1e7b21")

    def parse(text: str) -> datetime:
        moment = datetime.fromisoformat(text)
        return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)

    def text(moment: datetime) -> str:
        return moment.isoformat(timespec="seconds")

    long_rows = db.execute(
        "SELECT id, state, started_at, ended_at, last_seen_at, source, note, created_at, updated_at, warmup_id "
        "FROM posture WHERE ended_at IS NOT NULL AND julianday(ended_at) - julianday(started_at) > 1"
    ).fetchall()
    for row_id, state, started, ended, seen, source, note, created, updated, warmup_id in long_rows:
        start, end = parse(started), parse(ended)
        if end - start <= cap:  # julianday's rounding let a row of exactly a day through
            continue
        db.execute("UPDATE posture SET ended_at = ? WHERE id = ?", [text(start + cap), row_id])
        number, piece_start = 1, start + cap
        while piece_start < end:
            db.execute(
                "INSERT OR REPLACE INTO posture (id, state, started_at, ended_at, last_seen_at, source, note, "
                "created_at, updated_at, warmup_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [str(uuid.uuid5(namespace, f"{row_id}/{number}")), state, text(piece_start),
                 text(min(end, piece_start + cap)), seen, source, note, created, updated, warmup_id],
            )
            number, piece_start = number + 1, piece_start + cap

    # 2. The workday streak up to yesterday, kept per day and per rules (working days, break
    # length, zone), so `glutetui status` in a status line, called every 15 s, reads one row
    # instead of weeks of history. Past days change only when a row that began before the
    # day's start changes (a merge, an import, an interval closed after midnight, an away
    # relabelled); the triggers drop every cache row such a change could make wrong, so a
    # cached number is always the one a fresh count would give. They also count every change
    # (posture_changes): a count is stored only if no row changed while it was being made.
    _run_statements(
        db,
        """
        CREATE TABLE streak_cache (
            day TEXT NOT NULL,
            rules TEXT NOT NULL,
            day_start TEXT NOT NULL,
            streak INTEGER NOT NULL CHECK (streak >= 0),
            created_at TEXT NOT NULL,
            PRIMARY KEY (day, rules)
        );
        CREATE TABLE posture_changes (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            generation INTEGER NOT NULL
        );
        INSERT INTO posture_changes (id, generation) VALUES (1, 0)
        """
    )
    # One statement each: a trigger's body holds semicolons of its own.
    db.execute("CREATE TRIGGER posture_insert_streak AFTER INSERT ON posture BEGIN "
               "UPDATE posture_changes SET generation = generation + 1; "
               "DELETE FROM streak_cache WHERE day_start > NEW.started_at; END")
    db.execute("CREATE TRIGGER posture_delete_streak AFTER DELETE ON posture BEGIN "
               "UPDATE posture_changes SET generation = generation + 1; "
               "DELETE FROM streak_cache WHERE day_start > OLD.started_at; END")
    db.execute("CREATE TRIGGER posture_update_streak AFTER UPDATE OF state, started_at, ended_at ON posture BEGIN "
               "UPDATE posture_changes SET generation = generation + 1; "
               "DELETE FROM streak_cache WHERE day_start > min(OLD.started_at, NEW.started_at); END")


@_migration
def m0008_imported_files(db: Database) -> None:
    # A GPX file imported before, known by the hash of its bytes, with the run each of its
    # tracks is here: importing it again answers "already here" without parsing it (issue 21).
    # Not exported or merged: without its row a file is read again and its runs found by
    # external id, as before.
    _run_statements(
        db,
        """
        CREATE TABLE imported_files (
            sha256 TEXT PRIMARY KEY,
            run_ids TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """
    )


def _run_statements(db: Database, script: str) -> None:
    # Not executescript(): it commits first, which would break the migration's transaction.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


SCHEMA_VERSION = len(MIGRATION_NAMES)
