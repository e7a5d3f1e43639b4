"""The `glutetui` command as a user runs it. Most tests call the command in this process
(`main_cli`); a child process where the separate Python is the point: the entry point
itself, and the tests where the terminal UI would open were the check before it missing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import main_cli, run_cli

from glutetui import __version__
from glutetui.store.db import open_store
from glutetui.store.migrations import SCHEMA_VERSION


def assert_clean_failure(result, code: int, *fragments: str) -> None:
    assert result.returncode == code, result
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in result.stderr


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"glutetui {__version__}"


@pytest.mark.parametrize("command", [[], ["open"], ["warmup"], ["doctor"], ["demo"]])
def test_every_command_has_help(command):
    result = main_cli(*command, "--help")
    assert result.returncode == 0
    assert "--db PATH" in result.stdout and "--config PATH" in result.stdout


def test_location_flags_work_before_and_after_the_command(tmp_path):
    before = main_cli("--db", str(tmp_path / "a.db"), "doctor")
    after = main_cli("doctor", "--db", str(tmp_path / "b.db"), "--config", str(tmp_path / "c.toml"))
    assert str(tmp_path / "a.db") in before.stdout
    assert str(tmp_path / "b.db") in after.stdout and str(tmp_path / "c.toml") in after.stdout


def test_environment_variables_choose_the_files(tmp_path):
    result = main_cli("doctor", env={"GLUTETUI_DB": str(tmp_path / "e.db"), "GLUTETUI_CONFIG": str(tmp_path / "e.toml")})
    assert str(tmp_path / "e.db") in result.stdout and str(tmp_path / "e.toml") in result.stdout


def test_doctor_on_a_healthy_setup(tmp_path):
    open_store(tmp_path / "g.db").close()
    result = main_cli("doctor", "--db", str(tmp_path / "g.db"), "--config", str(tmp_path / "c.toml"))
    assert result.returncode == 0, result.stderr
    for label in ("glutetui", "python", "textual", "database", "schema", "config", "All well."):
        assert label in result.stdout
    assert f"{SCHEMA_VERSION} (app knows {SCHEMA_VERSION})" in result.stdout


def test_doctor_does_not_create_the_database(tmp_path):
    result = main_cli("doctor", "--db", str(tmp_path / "g.db"))
    assert result.returncode == 0 and not (tmp_path / "g.db").exists()


def test_doctor_reports_a_damaged_database_and_a_bad_config(tmp_path):
    (tmp_path / "g.db").write_text("not a database at all, just text" * 10)
    (tmp_path / "c.toml").write_text("theme = = 1")
    result = main_cli("doctor", "--db", str(tmp_path / "g.db"), "--config", str(tmp_path / "c.toml"))
    assert result.returncode == 1
    assert "problem:" in result.stdout and "not a SQLite database" in result.stdout and "not valid TOML" in result.stdout


def test_doctor_finds_damage_deep_in_the_file(tmp_path):
    path = tmp_path / "g.db"
    db = open_store(path)
    stamp = "2026-11-18T07:00:00+00:00"
    db["runs"].insert_all({"id": f"r{i}", "started_at": stamp, "distance_m": 5000, "duration_s": 1700,
                           "notes": "x" * 200, "created_at": stamp} for i in range(400))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'runs'").fetchone()[0]
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start:start + 12] = bytes([0x0D, 0xFF, 0xFF, 0x7F, 0x7F, 0, 0, 0, 0, 0, 0, 0])  # nonsense b-tree header
    path.write_bytes(bytes(data))
    result = main_cli("doctor", "--db", str(path))
    assert result.returncode == 1 and "integrity" in result.stdout


@pytest.mark.parametrize(
    ("prepare", "fragment"),
    [
        (lambda p: p.write_text("hello, I am a text file" * 10), "not a SQLite database"),
        (lambda p: None, "does not exist"),
        (lambda p: p.mkdir(), "is a folder"),
    ],
    ids=["not-sqlite", "missing-folder", "folder"],
)
def test_opening_a_bad_file_exits_2_and_changes_nothing(tmp_path, prepare, fragment):
    path = tmp_path / "g.db" if fragment != "does not exist" else tmp_path / "nowhere" / "g.db"
    prepare(path)
    before = path.read_bytes() if path.is_file() else None
    result = run_cli("--db", str(path))
    assert_clean_failure(result, 2, str(path), fragment)
    assert len(result.stderr.strip().splitlines()) == 1
    if before is not None:
        assert path.read_bytes() == before


def test_opening_a_newer_database_exits_2_and_changes_nothing(tmp_path):
    path = tmp_path / "g.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    result = run_cli("--db", str(path))
    assert_clean_failure(result, 2, "newer glutetui")
    assert path.read_bytes() == before


def test_a_bad_config_exits_2_before_the_app_opens(tmp_path):
    (tmp_path / "c.toml").write_text("colour = 'red'\n")
    result = run_cli("--db", str(tmp_path / "g.db"), "--config", str(tmp_path / "c.toml"))
    assert_clean_failure(result, 2, "unknown setting 'colour'")
    assert not (tmp_path / "g.db").exists()


def test_demo_fills_a_new_database(tmp_path):
    result = main_cli("demo", "--db", str(tmp_path / "d.db"), "--weeks", "2", "--seed", "7", "--until", "2026-11-18")
    assert result.returncode == 0, result.stderr
    assert "Added" in result.stdout
    db = sqlite3.connect(tmp_path / "d.db")
    assert db.execute("SELECT count(*) FROM runs").fetchone()[0] > 0
    assert db.execute("SELECT max(started_at) FROM posture").fetchone()[0] < "2026-11-19"


def test_demo_refuses_a_database_with_rows(tmp_path):
    path = tmp_path / "d.db"
    assert main_cli("demo", "--db", str(path), "--weeks", "1").returncode == 0
    counts = sqlite3.connect(path).execute("SELECT count(*) FROM posture").fetchone()[0]
    result = main_cli("demo", "--db", str(path), "--weeks", "1", "--seed", "2")
    assert_clean_failure(result, 2, "already holds data")
    assert sqlite3.connect(path).execute("SELECT count(*) FROM posture").fetchone()[0] == counts


def test_demo_never_writes_the_default_database(monkeypatch, isolated_dirs):
    monkeypatch.delenv("GLUTETUI_DB")
    result = main_cli("demo", "--weeks", "1")
    assert_clean_failure(result, 2, "never uses your own database", "--db")
    assert not list(Path(isolated_dirs).rglob("glutetui.db"))


@pytest.mark.parametrize("args", [["--weeks", "0"], ["--weeks", "many"], ["--seed", "-1"], ["--until", "18/11/2026"]])
def test_demo_rejects_bad_flags(tmp_path, args):
    result = main_cli("demo", "--db", str(tmp_path / "d.db"), *args)
    assert result.returncode == 2 and args[0] in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "d.db").exists()


def test_an_unknown_command_is_explained():
    result = main_cli("fly")
    assert result.returncode == 2 and "invalid choice: 'fly'" in result.stderr


def test_warmup_with_an_unknown_routine_lists_the_ones_there_are(tmp_path):
    result = main_cli("warmup", "hill-sprints", "--db", str(tmp_path / "g.db"), "--config", str(tmp_path / "c.toml"))
    assert_clean_failure(result, 2, "no routine called 'hill-sprints'", "pre-run, desk-break, strength",
                         str(tmp_path / "routines"))
    assert not (tmp_path / "g.db").exists()


def test_doctor_lists_routines_and_reports_a_bad_one(tmp_path):
    (tmp_path / "routines").mkdir()
    (tmp_path / "routines" / "hills.toml").write_text("[[steps]]\nname = 'Skips'\ncue = 'Up.'\nseconds = -4\n")
    (tmp_path / "routines" / "easy.toml").write_text("[[steps]]\nname = 'Jog'\ncue = 'Easy.'\nseconds = 90\n")
    result = main_cli("doctor", "--db", str(tmp_path / "g.db"), "--config", str(tmp_path / "c.toml"))
    assert result.returncode == 1
    assert "pre-run (2:44)" in result.stdout and "easy (1:30)" in result.stdout
    assert "problem:" in result.stdout and "hills.toml" in result.stdout and "more than 0" in result.stdout
    assert "voice" in result.stdout
