"""The run log service on a real SQLite file: the warm-up link, all-or-nothing storing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from dateutil import tz

from glutetui.domain.timefmt import to_utc_text
from glutetui.services.runs import RunFormError, list_runs, log_run
from glutetui.store.db import open_store

BERLIN = tz.gettz("Europe/Berlin")
NOW = datetime(2026, 11, 18, 17, 0, tzinfo=timezone.utc)  # 18:00 in Berlin


@pytest.fixture
def db(tmp_path):
    database = open_store(tmp_path / "log.db")
    yield database
    database.close()


def add_warmup(db, ended: datetime, completed: bool) -> str:
    warmup_id = f"w-{ended:%H%M}-{completed}"
    db["warmups"].insert({"id": warmup_id, "routine": "pre-run", "started_at": to_utc_text(ended - timedelta(minutes=3)),
                          "ended_at": to_utc_text(ended), "planned_s": 164, "done_s": 164 if completed else 60,
                          "steps_done": 7 if completed else 2, "steps_total": 7, "completed": int(completed),
                          "created_at": to_utc_text(ended)})
    return warmup_id


def test_a_run_within_two_hours_after_a_completed_warm_up_links_to_the_latest(db):
    early = add_warmup(db, NOW - timedelta(hours=1, minutes=30), completed=True)
    add_warmup(db, NOW - timedelta(minutes=20), completed=False)  # stopped half-way: no link
    shown = log_run(db, NOW, BERLIN, distance="5k", duration="25:00", when="17:45")
    assert shown.run.warmup_id == early
    too_late = log_run(db, NOW + timedelta(hours=3), BERLIN, distance="5k", duration="25:00", when="now")
    assert too_late.run.warmup_id is None


def test_one_bad_field_stores_nothing(db):
    with pytest.raises(RunFormError, match="--ache: 'elbow' is not a body part"):
        log_run(db, NOW, BERLIN, distance="5k", duration="25:00", aches=["knee:left:3", "elbow:left:3"])
    with pytest.raises(RunFormError, match="^--time: "):
        log_run(db, NOW, BERLIN, distance="5k", duration="soon")
    assert list_runs(db) == []
    assert db.execute("SELECT count(*) FROM aches").fetchone()[0] == 0


def test_edit_replaces_fields_and_aches_and_undo_brings_a_deleted_run_back(db):
    from glutetui.services.runs import delete_run, edit_run, restore_run

    shown = log_run(db, NOW, BERLIN, distance="5k", duration="25:00", when="17:00", aches=["knee:left:4"])
    edited = edit_run(db, shown.run.id, NOW, BERLIN, distance="6k", duration="31:00", when="17:00",
                      aches=["hip:right:2"], notes="felt fine")
    assert (edited.run.distance_m, edited.run.duration_s, edited.run.notes) == (6000.0, 1860, "felt fine")
    assert [(a.body_part, a.score) for a in edited.run.aches] == [("hip", 2)]
    with pytest.raises(RunFormError, match="^--distance: "):
        edit_run(db, shown.run.id, NOW, BERLIN, distance="far", duration="31:00", when="17:00")
    assert list_runs(db)[0].run == edited.run  # a bad edit changes nothing
    deleted = delete_run(db, shown.run.id[:8])
    assert list_runs(db) == []
    restore_run(db, deleted, NOW)
    assert list_runs(db)[0].run == edited.run
