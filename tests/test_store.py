"""The store on real SQLite files: creation, migrations, and every file it must refuse."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from glutetui.errors import StoreError
from glutetui.store.db import APPLICATION_ID, TABLES, inspect_file, open_readonly, open_store, schema_version
from glutetui.store.migrations import MIGRATION_NAMES, SCHEMA_VERSION
from glutetui.store.queries import data_version, is_empty, row_counts, rows_for_ids


def make_store(path: Path) -> Path:
    open_store(path).close()
    return path


def test_new_file_is_private_wal_with_every_table(tmp_path):
    path = tmp_path / "glutetui.db"
    db = open_store(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert set(TABLES) <= set(db.table_names())
    assert schema_version(db) == SCHEMA_VERSION == len(MIGRATION_NAMES)
    indexes = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"posture_started_at", "reminders_due_at", "warmups_started_at", "runs_started_at", "aches_run_id"} <= indexes
    assert is_empty(db)


def test_reopening_applies_nothing_twice(tmp_path):
    path = make_store(tmp_path / "g.db")
    db = open_store(path)
    rows = db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert rows == SCHEMA_VERSION


def test_constraints_reject_bad_rows_and_cascade(tmp_path):
    db = open_store(tmp_path / "g.db")
    stamp = "2026-11-18T07:00:00+00:00"
    db["runs"].insert({"id": "r1", "started_at": stamp, "distance_m": 5000, "duration_s": 1700, "created_at": stamp})
    db["aches"].insert({"id": "a1", "run_id": "r1", "body_part": "hip", "side": "left", "phase": "after",
                        "score": 4, "created_at": stamp})
    with pytest.raises(sqlite3.IntegrityError):
        db["aches"].insert({"id": "a2", "run_id": "r1", "body_part": "elbow", "side": "left", "phase": "after",
                            "score": 4, "created_at": stamp})
    with pytest.raises(sqlite3.IntegrityError):
        db["aches"].insert({"id": "a3", "run_id": "missing", "body_part": "hip", "side": "left", "phase": "after",
                            "score": 4, "created_at": stamp})
    with pytest.raises(sqlite3.IntegrityError):
        db["posture"].insert({"id": "p1", "state": "sitting", "started_at": stamp, "ended_at": "2026-11-18T06:00:00+00:00",
                              "last_seen_at": stamp, "source": "auto", "created_at": stamp})
    db.execute("DELETE FROM runs WHERE id = 'r1'")
    assert row_counts(db)["aches"] == 0


def test_data_version_moves_when_another_connection_commits(tmp_path):
    path = make_store(tmp_path / "g.db")
    watcher = open_readonly(path)
    before = data_version(watcher)
    writer = open_store(path)
    stamp = "2026-11-18T07:00:00+00:00"
    with writer.atomic():
        writer["runs"].insert({"id": "r1", "started_at": stamp, "distance_m": 5000, "duration_s": 1700,
                               "created_at": stamp})
    assert data_version(watcher) != before
    assert row_counts(watcher)["runs"] == 1


def test_an_empty_file_is_adopted_and_migrated(tmp_path):
    path = tmp_path / "g.db"
    path.touch()
    assert inspect_file(path).schema_version == 0
    db = open_store(path)
    assert schema_version(db) == SCHEMA_VERSION


# --- files the store must refuse, leaving them byte-for-byte as they were ---

def refused(path: Path, match: str) -> None:
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(StoreError, match=match) as caught:
        open_store(path)
    message = str(caught.value)
    assert str(path) in message and "\n" not in message
    if before is not None:
        assert path.read_bytes() == before


def test_refuses_a_database_from_a_newer_glutetui(tmp_path):
    path = make_store(tmp_path / "g.db")
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('glutetui', 'm9999_future', 'x')")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    refused(path, "newer glutetui.*Upgrade glutetui")


def test_refuses_an_unknown_migration_even_with_the_old_user_version(tmp_path):
    path = make_store(tmp_path / "g.db")
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('glutetui', 'm9999_future', 'x')")
    conn.commit()
    conn.close()
    refused(path, "newer glutetui")


def test_refuses_a_file_that_is_not_sqlite(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("my training notes\n" * 20)
    refused(path, "not a SQLite database")


def test_refuses_a_damaged_header(tmp_path):
    path = make_store(tmp_path / "g.db")
    data = bytearray(path.read_bytes())
    data[0:16] = b"garbage garbage!"
    path.write_bytes(bytes(data))
    refused(path, "header is damaged")


def test_refuses_a_file_cut_short(tmp_path):
    path = make_store(tmp_path / "g.db")
    path.write_bytes(path.read_bytes()[:60])
    refused(path, "not a SQLite database")


def test_refuses_a_damaged_schema_page(tmp_path):
    path = make_store(tmp_path / "g.db")
    data = bytearray(path.read_bytes())
    data[100:1100] = bytes([0xA5]) * 1000  # page 1 after the header holds the schema
    path.write_bytes(bytes(data))
    refused(path, "is damaged")


def test_refuses_another_programs_database(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    refused(path, "another program")


def test_refuses_a_folder_that_does_not_exist(tmp_path):
    path = tmp_path / "nowhere" / "g.db"
    refused(path, "does not exist")
    assert not path.parent.exists()


def test_refuses_a_folder_as_the_database(tmp_path):
    refused(tmp_path, "is a folder")


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder that cannot be written, holding a valid database.

    Root can write anywhere a mode allows nothing, so as root the folder is a
    real read-only tmpfs mount; otherwise a chmod 555 folder does it."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        make_store(folder / "g.db")
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    if shutil.which("mount") is None or subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True
    ).returncode != 0:
        pytest.skip("running as root without permission to mount a read-only tmpfs")
    try:
        db = open_store(folder / "g.db")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        for leftover in folder.glob("g.db-*"):
            leftover.unlink()
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_refuses_a_read_only_folder_for_a_new_file(read_only_folder):
    refused(read_only_folder / "new.db", "cannot be written")
    assert not (read_only_folder / "new.db").exists()


def test_refuses_an_existing_database_it_cannot_write(read_only_folder):
    refused(read_only_folder / "g.db", "cannot be written")


def test_read_only_opening_never_creates_a_file(tmp_path):
    with pytest.raises(StoreError, match="no database here yet"):
        open_readonly(tmp_path / "g.db")
    assert list(tmp_path.iterdir()) == []


def test_saving_a_warm_up_waits_for_another_writer_instead_of_failing(tmp_path):
    """sqlite-utils' update reads the row before it writes it. In a deferred
    transaction, a commit by another process between the two made SQLite refuse
    at once ("database is locked"); the save must take the write lock first."""
    from datetime import datetime, timezone

    from glutetui.store.warmups import save_warmup, start_warmup

    db = open_store(tmp_path / "g.db")
    now = datetime(2026, 11, 18, 7, 0, tzinfo=timezone.utc)
    summary = {"routine": "pre-run", "planned_s": 150, "done_s": 0, "steps_done": 0, "steps_total": 7,
               "completed": 0}
    warmup_id = start_warmup(db, summary=summary, started_at=now)
    other = sqlite3.connect(tmp_path / "g.db", timeout=0)
    other_wrote = []

    def write_from_the_other_process_before_the_update(statement: str) -> None:
        if statement.lstrip().upper().startswith("UPDATE") and not other_wrote:
            try:
                with other:
                    other.execute("UPDATE warmups SET updated_at = '2026-11-18T07:00:01Z'")
                other_wrote.append("committed")
            except sqlite3.OperationalError:
                other_wrote.append("waited")  # our write lock held it off, as it should

    db.conn.set_trace_callback(write_from_the_other_process_before_the_update)
    save_warmup(db, warmup_id, summary={**summary, "done_s": 60}, now=now)
    db.conn.set_trace_callback(None)
    assert other_wrote == ["waited"]
    assert db.execute("SELECT done_s FROM warmups").fetchone() == (60,)
    other.close()
    db.close()


def test_rows_for_ids_reads_every_chunk_of_500(tmp_path):
    db = open_store(tmp_path / "g.db")
    db.execute("CREATE TEMP TABLE t (id TEXT)")
    db.conn.executemany("INSERT INTO t VALUES (?)", [(str(n),) for n in range(1201)])
    wanted = [str(n) for n in range(1201)] + ["missing"]
    found = [row[0] for row in rows_for_ids(db, "SELECT id FROM t WHERE id IN ({marks})", wanted)]
    assert sorted(found, key=int) == wanted[:-1]
