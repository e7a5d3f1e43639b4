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


def test_the_morning_after_a_run_with_aches_asks_once_from_six(db):
    from glutetui.services.runs import answer_morning, morning_questions

    evening = NOW - timedelta(days=1)  # yesterday 18:00 in Berlin
    log_run(db, evening, BERLIN, distance="10k", duration="55:00", when="now",
            aches=["knee:left:4", "hip:right:0", "knee:left:2:during"])
    log_run(db, evening, BERLIN, distance="3k", duration="15:00", when="now")  # no ache: nothing to ask
    five_59 = datetime(2026, 11, 18, 4, 59, tzinfo=timezone.utc)
    assert morning_questions(db, five_59, BERLIN) == []
    [question] = morning_questions(db, five_59 + timedelta(minutes=1), BERLIN)
    assert question.parts == [("knee", "left")]  # a 0 is no ache
    answer_morning(db, [question], {(question.run.id, "knee", "left"): 5}, five_59 + timedelta(minutes=2))
    assert morning_questions(db, NOW, BERLIN) == []  # asked once
    [shown] = [item for item in list_runs(db) if item.run.id == question.run.id]
    assert ("knee", "left", "next_morning", 5) in [(a.body_part, a.side, a.phase, a.score) for a in shown.run.aches]
    assert {flag.kind for flag in shown.flags} == {"not_settled", "worse_next_morning"}


def test_dismissing_the_morning_question_stores_nothing_and_does_not_ask_again(db):
    from glutetui.services.runs import answer_morning, morning_questions

    log_run(db, NOW - timedelta(days=1), BERLIN, distance="5k", duration="28:00", aches=["lower_back:centre:3"])
    questions = morning_questions(db, NOW, BERLIN)
    answer_morning(db, questions, {}, NOW)
    assert morning_questions(db, NOW, BERLIN) == []
    assert db.execute("SELECT count(*) FROM aches WHERE phase = 'next_morning'").fetchone()[0] == 0
    assert morning_questions(db, NOW + timedelta(days=1), BERLIN) == []  # only the day after the run


def test_review_fixes_since_from_midnight_morning_only_aches_links_and_undo(db):
    from glutetui.domain.run_flags import Ache, RunFacts, run_flags
    from glutetui.services.runs import answer_morning, delete_run, morning_questions, restore_run, since_moment

    # --since a day means from its start, also before 18:00 on that very day
    assert since_moment("2026-11-01", NOW, BERLIN) == datetime(2026, 10, 31, 23, 0, tzinfo=timezone.utc)
    assert since_moment("today", NOW - timedelta(hours=10), BERLIN) == datetime(2026, 11, 17, 23, 0, tzinfo=timezone.utc)
    # an ache rated only the next morning is flagged by its own zone
    [flag] = run_flags(RunFacts("r", NOW, 5000, (Ache("knee", "left", "next_morning", 8),)), [])
    assert (flag.kind, flag.level) == ("not_settled", "warning")
    # a hand-picked warm-up must have ended within the 2 hours before the run
    late = add_warmup(db, NOW, completed=True)
    with pytest.raises(RunFormError, match="^--when: the warm-up picked"):
        log_run(db, NOW, BERLIN, distance="5k", duration="25:00", when="17:00", warmup_id=late)
    # undo keeps the morning question answered
    log_run(db, NOW - timedelta(days=1), BERLIN, distance="5k", duration="28:00", aches=["knee:left:3"])
    answer_morning(db, morning_questions(db, NOW, BERLIN), {}, NOW)
    [run] = [item.run for item in list_runs(db)]
    restore_run(db, delete_run(db, run.id), NOW)
    assert morning_questions(db, NOW, BERLIN) == []


def test_a_run_after_a_warm_up_starts_when_it_ended_unless_a_start_is_given(db):
    set_off = NOW - timedelta(minutes=47, seconds=13)
    done = add_warmup(db, set_off, completed=True)
    stopped = add_warmup(db, NOW - timedelta(minutes=20), completed=False)
    linked = log_run(db, NOW, BERLIN, distance="10k", duration="25:00")
    assert (linked.run.started_at, linked.run.warmup_id) == (set_off, done)
    picked = log_run(db, NOW, BERLIN, distance="10k", duration="25:00", warmup_id=stopped)
    assert (picked.run.started_at, picked.run.warmup_id) == (NOW - timedelta(minutes=20), stopped)
    said = log_run(db, NOW, BERLIN, distance="10k", duration="25:00", when="now")
    assert (said.run.started_at, said.run.warmup_id) == (NOW, done)
    unlinked = log_run(db, NOW, BERLIN, distance="10k", duration="25:00", warmup_id=None)
    assert (unlinked.run.started_at, unlinked.run.warmup_id) == (NOW, None)
    alone = log_run(db, NOW + timedelta(hours=3), BERLIN, distance="10k", duration="25:00")
    assert (alone.run.started_at, alone.run.warmup_id) == (NOW + timedelta(hours=3), None)


@pytest.mark.parametrize(("unit", "metres"), [("km", 10_000.0), ("mi", 16_093.44)])
def test_bare_numbers_are_read_in_the_unit_given(db, unit, metres):
    shown = log_run(db, NOW, BERLIN, distance="10", duration="25", unit=unit)
    assert (shown.run.distance_m, shown.run.duration_s) == (metres, 1500)
    with pytest.raises(RunFormError, match="^--distance: the distance '10' has no unit"):
        log_run(db, NOW, BERLIN, distance="10", duration="25")  # no unit to read it in


@pytest.mark.parametrize(("ache", "message"), [
    ("knee:centre:4", "'centre' is not a side of the knee; use knee:left:4, knee:right:4 or knee:both:4"),
    ("hip:centre:2:during", "'centre' is not a side of the hip; use hip:left:2, hip:right:2 or hip:both:2"),
    ("lower_back:both:3", "'both' is not a side of the lower back; use lower_back:centre:3"),
    ("lower-back:left:3", "'left' is not a side of the lower back; use lower_back:centre:3"),
])
def test_an_ache_on_a_side_its_part_does_not_have_is_refused_with_the_fix(db, ache, message):
    with pytest.raises(RunFormError) as caught:
        log_run(db, NOW, BERLIN, distance="5k", duration="25:00", aches=["hip:left:2", ache])
    assert str(caught.value) == f"--ache: {message}"
    assert list_runs(db) == []


def test_an_edit_keeps_a_side_stored_before_sides_were_checked_but_adds_none(db):
    from glutetui.services.runs import edit_run

    shown = log_run(db, NOW, BERLIN, distance="5k", duration="25:00", when="17:00", aches=["knee:left:4"])
    db.execute("UPDATE aches SET side = 'centre'")  # as versions before issue 19 stored it
    edited = edit_run(db, shown.run.id, NOW, BERLIN, distance="5k", duration="25:00", when="17:00",
                      aches=["knee:centre:5", "knee:centre:2:next_morning"])
    assert [(a.side, a.score) for a in edited.run.aches] == [("centre", 5), ("centre", 2)]
    with pytest.raises(RunFormError, match="'centre' is not a side of the hip"):
        edit_run(db, shown.run.id, NOW, BERLIN, distance="5k", duration="25:00", when="17:00",
                 aches=["knee:centre:5", "hip:centre:3"])
    with pytest.raises(RunFormError, match="'centre' is not a side of the knee"):
        log_run(db, NOW, BERLIN, distance="5k", duration="25:00", aches=["knee:centre:5"])  # a new run: no


def test_the_runs_are_read_again_only_when_a_run_or_its_aches_changed(db, tmp_path):
    from glutetui.services.runs import answer_morning, delete_run, edit_run, morning_questions, read_run_log, restore_run

    path = tmp_path / "log.db"
    empty = read_run_log(path)
    assert empty.runs == []
    versions = [empty.version]

    def read_again() -> list:
        """The runs, read because they changed since the last reading."""
        log = read_run_log(path, versions[-1])
        assert log is not None, "a change to the runs was not seen"
        versions.append(log.version)
        return log.runs

    run_id = log_run(db, NOW - timedelta(days=1), BERLIN, distance="5k", duration="25:00", aches=["knee:left:4"]).run.id
    plain_id = log_run(db, NOW - timedelta(days=2), BERLIN, distance="8k", duration="45:00").run.id
    assert [shown.run.id for shown in read_again()] == [plain_id, run_id]
    add_warmup(db, NOW, completed=True)  # writes to other tables
    db["reminders"].insert({"id": "r1", "due_at": to_utc_text(NOW), "created_at": to_utc_text(NOW)})
    assert read_run_log(path, versions[-1]) is None
    edit_run(db, plain_id, NOW, BERLIN, distance="8k", duration="45:00", when="2026-11-16 18:00", notes="only this")
    assert read_again()[0].run.notes == "only this"  # no ache to change with it
    answer_morning(db, morning_questions(db, NOW, BERLIN), {(run_id, "knee", "left"): 6}, NOW)
    assert len(read_again()[1].run.aches) == 2
    deleted = delete_run(db, run_id)
    assert [shown.run.id for shown in read_again()] == [plain_id]
    restore_run(db, deleted, NOW)
    assert [shown.run.id for shown in read_again()] == [plain_id, run_id]


def test_a_run_log_that_cannot_be_read_says_which_file(tmp_path):
    from glutetui.services.runs import read_run_log
    from glutetui.services.storage import StorageError

    with pytest.raises(StorageError, match="gone.db"):
        read_run_log(tmp_path / "gone.db")
