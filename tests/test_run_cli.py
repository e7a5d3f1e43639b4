"""`glutetui run add|list|delete` as a runner types them, on a real file (the command runs in this
process: `main_cli`; test_cli.py starts the real `python -m glutetui`)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import main_cli

from glutetui.domain.timefmt import from_utc_text, to_utc_text


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "runs.db")


def add(db: str, *args: str):
    return main_cli("run", "add", "--db", db, *args)


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
    listing = main_cli("run", "list", "--db", db, "--since", "2026-11-05")
    assert listing.returncode == 0
    lines = listing.stdout.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("2026-11-08") and "! +111% longest" in lines[1]
    assert len(json.loads(main_cli("run", "list", "--db", db, "--json").stdout)) == 3


def test_delete_takes_the_short_id_that_list_shows(db):
    add(db, "--distance", "5k", "--time", "28:30", "--when", "yesterday 18:00", "--ache", "foot:both:1")
    short = main_cli("run", "list", "--db", db).stdout.strip().rsplit("[", 1)[1].rstrip("]")
    result = main_cli("run", "delete", "--db", db, short)
    assert result.returncode == 0 and "Deleted the run of" in result.stdout
    assert counts(db) == (0, 0)
    again = main_cli("run", "delete", "--db", db, short)
    assert again.returncode == 2 and "is not the id of a run" in again.stderr and "Traceback" not in again.stderr


@pytest.mark.parametrize("args, message", [
    (["--distance", "5 kmm", "--time", "28:30"], "--distance: "),
    (["--distance", "800", "--time", "28:30"],
     "--distance: the distance '800' has no unit, and 800 km would be a very long run; write 800 m"),
    (["--distance", "5", "--time", "28.30"], "--time: the duration '28.30' is unclear"),
    (["--distance", "5k", "--time", "28:75"], "--time: "),
    (["--distance", "5k", "--time", "28:30", "--when", "tomorrow 07:00"], "--when: "),
    (["--distance", "5k", "--time", "28:30", "--when", "blue moon"], "--when: "),
    (["--distance", "5k", "--time", "28:30", "--rpe", "11"], "--rpe: "),
    (["--distance", "5k", "--time", "28:30", "--ache", "elbow:left:3"], "--ache: 'elbow' is not a body part"),
    (["--distance", "5k", "--time", "28:30", "--ache", "knee:up:3"], "--ache: 'up' is not a side"),
    (["--distance", "5k", "--time", "28:30", "--ache", "knee:left:12"], "--ache: '12' is not a score"),
    (["--distance", "5k", "--time", "28:30", "--ache", "knee:centre:3"],
     "--ache: 'centre' is not a side of the knee; use knee:left:3, knee:right:3 or knee:both:3"),
    (["--distance", "5k", "--time", "28:30", "--ache", "lower-back:left:3:during"],
     "--ache: 'left' is not a side of the lower back; use lower_back:centre:3"),
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
    result = main_cli("run", "list", "--db", db)
    assert result.returncode == 0 and "glutetui run add --distance 5k --time 28:30" in result.stdout


def test_a_bad_since_is_one_line_and_exit_2(db):
    result = main_cli("run", "list", "--db", db, "--since", "the day I started")
    assert result.returncode == 2 and result.stderr.startswith("glutetui: --since: ") and result.stderr.count("\n") == 1


@pytest.mark.parametrize(("units", "metres"), [(None, 10_000.0), ("km", 10_000.0), ("mi", 16_093.44)])
def test_bare_numbers_are_the_runners_unit_and_minutes(db, tmp_path, units, metres):
    config = tmp_path / "config.toml"
    config.write_text(f'units = "{units}"\n' if units else "")
    result = add(db, "--config", str(config), "--distance", "10", "--time", "25", "--when", "2026-11-02 07:00",
                 "--json")
    assert result.returncode == 0, result.stderr
    run = json.loads(result.stdout)
    assert (run["distance_m"], run["duration_s"]) == (metres, 25 * 60)
    assert run["pace"] == ("2:30 /km" if units != "mi" else "2:30 /mi")


def test_a_typed_unit_wins_over_the_settings(db, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('units = "mi"\n')
    for distance, time, metres, seconds in (("10 km", "25 min", 10_000.0, 1500), ("800 m", "1:45:00", 800.0, 6300),
                                            ("6.2 mi", "42:30", 6.2 * 1609.344, 2550)):
        result = add(db, "--config", str(config), "--distance", distance, "--time", time, "--json")
        assert result.returncode == 0, result.stderr
        run = json.loads(result.stdout)
        assert (run["distance_m"], run["duration_s"]) == (pytest.approx(metres), seconds)


def add_warmup(db: str, ended: datetime) -> str:
    from glutetui.store.db import open_store

    database = open_store(Path(db))
    try:
        database["warmups"].insert({"id": "warm-up", "routine": "pre-run", "ended_at": to_utc_text(ended),
                                    "started_at": to_utc_text(ended - timedelta(minutes=3)), "planned_s": 164,
                                    "done_s": 164, "steps_done": 9, "steps_total": 9, "completed": 1,
                                    "created_at": to_utc_text(ended)})
    finally:
        database.close()
    return "warm-up"


def test_a_run_after_a_warm_up_starts_when_the_warm_up_ended_unless_told(db):
    ended = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=40)
    warmup_id = add_warmup(db, ended)
    run = json.loads(add(db, "--distance", "10", "--time", "25", "--json").stdout)
    assert (run["warmup_id"], run["started_at"]) == (warmup_id, to_utc_text(ended))
    told = json.loads(add(db, "--distance", "5", "--time", "25", "--when", "now", "--json").stdout)
    assert told["warmup_id"] == warmup_id  # still linked, but starts when it was said to
    assert from_utc_text(told["started_at"]) >= ended + timedelta(minutes=40)
