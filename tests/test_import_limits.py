"""Hostile and damaged import and merge input (issue 20): dry runs that touch nothing,
rows out of any runner's range, XML too deep to parse, numbers that are not numbers,
and messages that name the real problem. Every file is made here, in tmp_path."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlite_utils import Database

from glutetui import cli
from glutetui.store.db import open_store
from glutetui.store.migrations import MIGRATION_NAMES, SCHEMA_VERSION, migrations

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
STRAVA = FIXTURES / "strava_activities.csv"


def fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    """md5 and mtime of every file in `folder`: the database and its -wal and -shm. Of the -shm
    only the mtime: it is SQLite's shared memory, where every reader marks what it reads."""
    return {path.name: ("" if path.name.endswith("-shm") else hashlib.md5(path.read_bytes()).hexdigest(),
                        path.stat().st_mtime_ns)
            for path in sorted(folder.iterdir())}


def older_database(path: Path) -> Path:
    """A database of the first schema, as an older glutetui left it."""
    old = Database(path)
    old.execute("PRAGMA journal_mode = WAL")
    migrations.apply(old, stop_before=MIGRATION_NAMES[1])
    old.close()
    return path


def test_a_dry_run_import_into_a_database_that_does_not_exist_creates_neither_it_nor_its_folder(tmp_path, capsys):
    target = tmp_path / "not-yet" / "glutetui.db"
    code = cli.main(["import", "--dry-run", "--db", str(target), str(STRAVA)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "would add 5 runs" in out
    assert f"The database {target} does not exist yet; a real run would create it." in out
    assert out.rstrip().endswith("Dry run: nothing was written.")
    assert not target.parent.exists()


@pytest.mark.parametrize("command", ["import", "merge"])
def test_a_dry_run_on_an_older_database_migrates_only_a_copy_in_memory(tmp_path, capsys, command):
    folder = tmp_path / "data"
    folder.mkdir()
    target = older_database(folder / "glutetui.db")
    before = fingerprint(folder)
    if command == "import":
        args = [str(STRAVA)]
    else:
        other = open_store(tmp_path / "other.db")
        other.close()
        args = [str(tmp_path / "other.db")]
    code = cli.main([command, "--dry-run", "--db", str(target), *args])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"has an older layout (schema 1); a real run would upgrade it to schema {SCHEMA_VERSION} first" in out
    assert out.rstrip().endswith("Dry run: nothing was written.")
    assert fingerprint(folder) == before


def test_a_dry_run_on_a_current_database_leaves_it_and_its_wal_files_untouched(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    open_store(folder / "glutetui.db").close()
    before = fingerprint(folder)
    assert list(before) == ["glutetui.db"]  # closed cleanly: no -wal or -shm to make
    assert cli.main(["import", "--dry-run", "--db", str(folder / "glutetui.db"), str(STRAVA)]) == 0
    out = capsys.readouterr().out
    assert "would add 5 runs" in out and "a real run would" not in out
    assert fingerprint(folder) == before


def test_a_dry_run_while_the_app_holds_the_file_open_reads_its_wal_and_changes_nothing(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    app = open_store(folder / "glutetui.db")  # an open connection keeps its -wal and -shm
    try:
        cli.main(["import", "--db", str(folder / "glutetui.db"), str(FIXTURES / "one_track.gpx")])
        capsys.readouterr()
        before = fingerprint(folder)
        assert cli.main(["import", "--dry-run", "--db", str(folder / "glutetui.db"), str(STRAVA)]) == 0
        out = capsys.readouterr().out
        assert "would add 5 runs" in out
        assert fingerprint(folder) == before
    finally:
        app.close()
