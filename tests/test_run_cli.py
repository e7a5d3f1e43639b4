"""`glutetui run add|list|delete` as a runner types them, in a child process, on a real file."""

from __future__ import annotations

import json
import sqlite3

import pytest
from helpers import run_cli


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "runs.db")


def add(db: str, *args: str):
    return run_cli("run", "add", "--db", db, *args)


def counts(db: str) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM aches)").fetchone()
    finally:
        conn.close()


def test_a_run_is_logged_with_its_aches_and_printed_as_json(db):
    result = add(db, "--distance", "10k", "--time", "52:30", "--when", "2026-11-02 07:00", "--rpe", "6",
                 "--ache", "knee:left:4", "--ache", "hip:right:2:during", "--notes", "hills, \"windy\"", "--json")
    assert result.returncode == 0, result.stderr
    run = json.loads(result.stdout)
    assert (run["distance_m"], run["duration_s"], run["rpe"], run["pace"]) == (10000.0, 3150, 6, "5:15 /km")
    assert run["notes"] == 'hills, "windy"' and run["local_start"].startswith("2026-11-02")
    assert {(a["body_part"], a["side"], a["phase"], a["score"]) for a in run["aches"]} == {
        ("knee", "left", "after", 4), ("hip", "right", "during", 2)}
    assert [(f["kind"], f["level"]) for f in run["flags"]] == [("pain_zone", "caution")]
    assert counts(db) == (1, 2)


def test_flags_look_back_at_earlier_runs_and_list_shows_them(db):
    for day, km in (("2026-11-01", "8k"), ("2026-11-08", "10k")):
        assert add(db, "--distance", km, "--time", "50:00", "--when", f"{day} 07:00").returncode == 0
    result = add(db, "--distance", "half", "--time", "1:55:00", "--when", "2026-11-15 08:00", "--json")
    [flag] = json.loads(result.stdout)["flags"]
    assert (flag["kind"], flag["level"]) == ("long_run", "warning")  # 21.1 km after a longest of 10 km
    listing = run_cli("run", "list", "--db", db, "--since", "2026-11-05")
    assert listing.returncode == 0
    lines = listing.stdout.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("2026-11-08") and "! +111% longest" in lines[1]
    assert len(json.loads(run_cli("run", "list", "--db", db, "--json").stdout)) == 3


def test_delete_takes_the_short_id_that_list_shows(db):
    add(db, "--distance", "5k", "--time", "28:30", "--when", "yesterday 18:00", "--ache", "foot:both:1")
    short = run_cli("run", "list", "--db", db).stdout.strip().rsplit("[", 1)[1].rstrip("]")
    result = run_cli("run", "delete", "--db", db, short)
    assert result.returncode == 0 and "Deleted the run of" in result.stdout
    assert counts(db) == (0, 0)
    again = run_cli("run", "delete", "--db", db, short)
    assert again.returncode == 2 and "is not the id of a run" in again.stderr and "Traceback" not in again.stderr


@pytest.mark.parametrize("args, message", [
    (["--distance", "5 kmm", "--time", "28:30"], "--distance: "),
    (["--distance", "5", "--time", "28:30"], "--distance: "),
    (["--distance", "5k", "--time", "28:75"], "--time: "),
    (["--distance", "5k", "--time", "28:30", "--when", "tomorrow 07:00"], "--when: "),
    (["--distance", "5k", "--time", "28:30", "--when", "blue moon"], "--when: "),
    (["--distance", "5k", "--time", "28:30", "--rpe", "11"], "--rpe: "),
    (["--distance", "5k", "--time", "28:30", "--ache", "elbow:left:3"], "--ache: 'elbow' is not a body part"),
    (["--distance", "5k", "--time", "28:30", "--ache", "knee:up:3"], "--ache: 'up' is not a side"),
    (["--distance", "5k", "--time", "28:30", "--ache", "knee:left:12"], "--ache: '12' is not a score"),
    (["--distance", "5k", "--time", "28:30", "--ache", "knee:left:3:later"], "--ache: 'later' is not a phase"),
    (["--distance", "5k", "--time", "28:30", "--ache", "knee"], "--ache: 'knee' is not PART:SIDE:SCORE"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_stored(db, args, message):
    result = add(db, *args, "--ache", "hip:left:2")
    assert result.returncode == 2, result
    assert result.stderr.startswith(f"glutetui: {message}") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert counts(db) == (0, 0)


def test_an_empty_log_says_how_to_start(db):
    result = run_cli("run", "list", "--db", db)
    assert result.returncode == 0 and "glutetui run add --distance 5k --time 28:30" in result.stdout


def test_a_bad_since_is_one_line_and_exit_2(db):
    result = run_cli("run", "list", "--db", db, "--since", "the day I started")
    assert result.returncode == 2 and result.stderr.startswith("glutetui: --since: ") and result.stderr.count("\n") == 1
