"""`glutetui status` and `glutetui sit|stand|break|away` on real files: in this process
(`main_cli`), and in a child process where the app's lock must be another process's.

These run on the real clock, so they check what was stored and said, not times of day.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone

from helpers import main_cli, run_cli

from glutetui.domain.timefmt import to_utc_text
from glutetui.store.db import open_store
from glutetui.store.lock import InstanceLock


def rows(db_path) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT state, source, ended_at IS NULL, note FROM posture ORDER BY started_at, created_at"
                            ).fetchall()


def test_with_the_app_closed_each_command_records_and_status_says_closed(tmp_path):
    db = tmp_path / "g.db"
    assert main_cli("status", "--db", str(db)).stdout.strip() == "glutetui: nothing recorded yet"
    said = main_cli("stand", "--db", str(db), "--note", "standing desk")
    assert said.returncode == 0, said.stderr
    assert said.stdout.startswith("standing from ") and "glutetui is not open" in said.stdout
    assert main_cli("break", "--db", str(db)).returncode == 0
    assert rows(db) == [("standing", "cli", 0, "standing desk"), ("break", "cli", 1, None)]
    line = main_cli("status", "--db", str(db)).stdout.strip()
    assert line.startswith("break · sat 0:00 today") and line.endswith("app closed")
    data = json.loads(main_cli("status", "--db", str(db), "--json").stdout)
    assert data["app_running"] is False and data["state"] == "break"
    assert data["sitting_today_minutes"] == 0 and data["goal_minutes"] == 360


def test_status_json_counts_sitting_beside_a_running_app(tmp_path):
    db_path = tmp_path / "g.db"
    now = datetime.now(timezone.utc).replace(microsecond=0)
    db = open_store(db_path)
    # Twenty minutes of sitting so far, kept open by "the app" (the lock below).
    db["posture"].insert({"id": "a", "state": "sitting", "started_at": to_utc_text(now - timedelta(minutes=20)),
                          "ended_at": None, "last_seen_at": to_utc_text(now), "source": "auto",
                          "created_at": to_utc_text(now)})
    db.close()
    config = tmp_path / "c.toml"
    config.write_text('working_hours = "always"\nremind_after = 30\n')
    with InstanceLock(db_path):
        result = run_cli("status", "--db", str(db_path), "--config", str(config), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["app_running"] is True and data["state"] == "sitting"
    assert 19.9 <= data["current_bout_minutes"] <= 21
    assert 9 <= data["next_reminder_in_minutes"] <= 10.1
    # Unless the test ran across midnight, all twenty minutes are today's.
    assert data["sitting_today_minutes"] == data["current_bout_minutes"] or now.hour == 0


def test_a_command_after_a_crash_ends_the_old_interval_where_it_was_last_seen(tmp_path):
    db_path = tmp_path / "g.db"
    long_ago = datetime.now(timezone.utc) - timedelta(hours=5)
    db = open_store(db_path)
    db["posture"].insert({"id": "a", "state": "sitting", "started_at": to_utc_text(long_ago),
                          "ended_at": None, "last_seen_at": to_utc_text(long_ago + timedelta(minutes=30)),
                          "source": "auto", "created_at": to_utc_text(long_ago)})
    db.close()
    assert main_cli("sit", "--db", str(db_path)).returncode == 0
    with sqlite3.connect(db_path) as conn:
        ended, source = conn.execute("SELECT ended_at, source FROM posture WHERE id = 'a'").fetchone()
    assert ended == to_utc_text(long_ago + timedelta(minutes=30)) and source == "recovered"


def test_bad_input_gets_one_line_and_exit_2(tmp_path):
    result = main_cli("stand", "--db", str(tmp_path / "g.db"), "--when", "later")
    assert result.returncode == 2 and "unrecognized arguments: --when later" in result.stderr
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all" * 100)
    for command in (["status"], ["away"]):
        result = main_cli(*command, "--db", str(broken))
        assert result.returncode == 2, command
        assert "Traceback" not in result.stderr and str(broken) in result.stderr
    assert broken.read_bytes() == b"not a database at all" * 100
    config = tmp_path / "c.toml"
    config.write_text('working_hours = "nine to five"\n')
    result = main_cli("status", "--db", str(tmp_path / "g.db"), "--config", str(config))
    assert result.returncode == 2 and "working_hours" in result.stderr and "Mon-Fri 08:00-18:00" in result.stderr
