"""The warm-up state machine on plain monotonic seconds (no real time passes)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from glutetui.domain.routines import TimedStep
from glutetui.domain.warmup import FinishedWarmup, WarmupSession, warmup_for_run

STEPS = [
    TimedStep("March", "m", 10),
    TimedStep("Swing", "s", 8, side="left"),
    TimedStep("Switch sides", "x", 2, kind="switch"),
    TimedStep("Swing", "s", 8, side="right"),
]
T0 = 100.0


def session() -> WarmupSession:
    return WarmupSession("test", STEPS, T0)


def test_runs_to_the_end_exactly_on_its_planned_length():
    s = session()
    assert s.planned_seconds == 28
    assert not s.update(T0 + 27.9).finished
    tick = s.update(T0 + 28.0)
    assert tick.finished and s.state == "finished"
    assert s.summary(T0 + 28) == {"routine": "test", "planned_s": 28, "done_s": 26, "steps_done": 3,
                                  "steps_total": 3, "completed": 1}


def test_late_ticks_do_not_drift():
    s = session()
    s.update(T0 + 10.7)  # noticed 0.7 s late
    assert s.index == 1
    assert s.remaining(T0 + 10.7) == pytest.approx(8 - 0.7)  # the next step started at 10.0, not 10.7
    s.update(T0 + 33.0)  # one very late frame crosses every remaining deadline
    assert s.state == "finished" and s.move_steps_done == 3


def test_countdown_beeps_once_for_each_of_the_last_three_seconds():
    s = session()
    beeps = [s.update(T0 + t).beeps for t in (6.5, 7.0, 7.5, 8.0, 9.0, 9.5)]
    assert beeps == [0, 1, 0, 1, 1, 0]
    assert s.update(T0 + 10).step_changed


def test_a_skipped_frame_still_beeps_without_repeating():
    s = session()
    assert s.update(T0 + 8.5).beeps == 2  # the marks for 3 and 2 s left in one frame
    assert s.update(T0 + 9.2).beeps == 1
    assert s.update(T0 + 9.8).beeps == 0


def test_pause_freezes_time_and_resume_adds_the_pause():
    s = session()
    s.toggle_pause(T0 + 4)
    assert s.state == "paused"
    assert s.remaining(T0 + 60) == 6 and s.update(T0 + 60) == s.update(T0 + 61)
    s.toggle_pause(T0 + 64)
    assert s.state == "running" and s.remaining(T0 + 64) == 6
    assert s.update(T0 + 28 + 60).finished  # the planned length plus the pause


def test_skip_moves_on_and_does_not_count_the_step_as_done():
    s = session()
    s.update(T0 + 3)
    assert s.skip(T0 + 3).step_changed and s.index == 1
    assert s.remaining(T0 + 3) == 8
    s.update(T0 + 21)
    assert s.state == "finished"
    assert s.summary(T0 + 21)["steps_done"] == 2 and s.summary(T0 + 21)["done_s"] == 3 + 16


def test_skipping_the_last_step_finishes():
    s = session()
    for _ in range(3):
        s.skip(T0)
    assert s.skip(T0).finished and s.state == "finished"


def test_back_goes_to_the_previous_step_early_and_restarts_later():
    s = session()
    s.update(T0 + 11)  # 1 s into step 2
    s.back(T0 + 11)
    assert s.index == 0 and s.remaining(T0 + 11) == 10
    s.update(T0 + 21 + 5)  # 5 s into step 2 again
    assert s.index == 1
    s.back(T0 + 26)
    assert s.index == 1 and s.remaining(T0 + 26) == 8


def test_back_on_the_first_step_restarts_it():
    s = session()
    s.back(T0 + 2)
    assert s.index == 0 and s.remaining(T0 + 2) == 10


def test_plus_and_minus_ten_seconds():
    s = session()
    s.adjust(T0 + 2, +10)
    assert s.remaining(T0 + 2) == 18
    s.adjust(T0 + 2, -10)
    s.adjust(T0 + 2, -10)
    assert s.remaining(T0 + 2) == 1  # never below a second from now
    assert s.update(T0 + 3).step_changed


def test_adjust_lets_the_countdown_beep_again():
    s = session()
    assert s.update(T0 + 8.0).beeps == 2
    s.adjust(T0 + 8.0, +10)
    assert s.update(T0 + 17.5).beeps == 1
    assert s.update(T0 + 18.0).beeps == 1


def test_stop_ends_early_and_is_not_completed():
    s = session()
    s.update(T0 + 12)
    s.stop(T0 + 12)
    assert s.state == "stopped" and s.is_over
    summary = s.summary(T0 + 50)
    assert summary["completed"] == 0 and summary["done_s"] == 12 and summary["steps_done"] == 1
    assert not s.update(T0 + 60).step_changed


def test_end_with_drops_the_steps_to_come_for_one_last_step():
    s = session()
    s.update(T0 + 12)  # 2 s into the left swing
    tick = s.end_with(T0 + 12, TimedStep("Walk", "w", 30))
    assert tick.step_changed and (s.index, len(s.steps), s.current.name) == (2, 3, "Walk")
    assert s.remaining(T0 + 12) == 30 and s.upcoming is None
    assert s.update(T0 + 41.9).step_changed is False
    assert s.update(T0 + 42).finished and s.ended_at == T0 + 42


def test_progress_goes_from_zero_to_one():
    s = session()
    assert s.progress(T0) == 0
    s.update(T0 + 14)
    assert 0.49 < s.progress(T0 + 14) < 0.51
    s.update(T0 + 28)
    assert s.progress(T0 + 28) == 1
    assert s.time_left(T0 + 28) == 0


def test_run_links_to_the_latest_completed_warmup_within_two_hours():
    run = datetime(2026, 11, 18, 7, 0, tzinfo=timezone.utc)
    warmups = [
        FinishedWarmup("old", run - timedelta(hours=2, seconds=1), True),
        FinishedWarmup("edge", run - timedelta(hours=2), True),
        FinishedWarmup("partial", run - timedelta(minutes=5), False),
        FinishedWarmup("after", run + timedelta(minutes=1), True),
    ]
    assert warmup_for_run(run, warmups) == "edge"
    assert warmup_for_run(run, warmups + [FinishedWarmup("recent", run - timedelta(minutes=10), True)]) == "recent"
    assert warmup_for_run(run, warmups[:1]) is None
