"""Run flags at and around each threshold: pain zones, the next morning, repeats, long runs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from glutetui.domain.run_flags import (
    CAUTION,
    INFO,
    WARNING,
    Ache,
    RunFacts,
    pain_zone,
    run_flags,
)

DAY = timedelta(days=1)
START = datetime(2026, 11, 1, 7, 0, tzinfo=timezone.utc)


def run(day: int, km: float = 5.0, *aches: Ache, run_id: str | None = None) -> RunFacts:
    return RunFacts(run_id or f"run-{day}", START + day * DAY, km * 1000, tuple(aches))


def kinds(flags) -> list[tuple[str, str]]:
    return [(flag.kind, flag.level) for flag in flags]


@pytest.mark.parametrize("score, zone", [(0, "safe"), (2, "safe"), (3, "acceptable"), (5, "acceptable"),
                                         (6, "too much"), (10, "too much")])
def test_pain_zones(score, zone):
    assert pain_zone(score) == zone


@pytest.mark.parametrize("score, expected", [
    (2, []),
    (3, [("pain_zone", CAUTION)]),
    (5, [("pain_zone", CAUTION)]),
    (6, [("pain_zone", WARNING)]),
])
def test_the_pain_zone_of_a_run_before_the_morning_is_known(score, expected):
    assert kinds(run_flags(run(0, 5, Ache("knee", "left", "after", score)), [])) == expected


def test_acceptable_pain_that_settled_by_the_morning_is_no_flag():
    aches = (Ache("hip", "right", "after", 4), Ache("hip", "right", "next_morning", 2))
    assert run_flags(run(0, 5, *aches), []) == []


def test_acceptable_pain_that_did_not_settle_is_flagged():
    aches = (Ache("hip", "right", "after", 4), Ache("hip", "right", "next_morning", 3))
    [flag] = run_flags(run(0, 5, *aches), [])
    assert (flag.kind, flag.level) == ("not_settled", CAUTION)
    assert "had not settled by the next morning (3/10)" in flag.why


def test_worse_the_next_morning_says_reduce_the_load():
    aches = (Ache("lower_back", "centre", "during", 2), Ache("lower_back", "centre", "next_morning", 3))
    flags = run_flags(run(0, 5, *aches), [])
    assert ("worse_next_morning", WARNING) in kinds(flags)
    assert "reduce the load" in flags[-1].why
    same = (Ache("lower_back", "centre", "after", 3), Ache("lower_back", "centre", "next_morning", 3))
    assert ("worse_next_morning", WARNING) not in kinds(run_flags(run(0, 5, *same), []))


def test_the_same_part_in_three_of_the_last_five_runs_says_see_a_physio():
    knee = Ache("knee", "left", "after", 3)
    history = [run(0, 5, knee), run(1), run(2, 5, knee), run(3), run(4)]
    flags = run_flags(run(5, 5, knee), history)
    assert ("repeats", WARNING) not in kinds(flags)  # runs 2, 5 and (out of the window) 0: 2 of 5
    history[3] = run(3, 5, knee)
    flags = run_flags(run(5, 5, knee), history)
    [repeat] = [flag for flag in flags if flag.kind == "repeats"]
    assert repeat.label == "knee 3 of 5"
    assert "physio or doctor" in repeat.why and "does not diagnose" in repeat.why


def test_safe_aches_do_not_count_towards_a_pattern():
    mild = Ache("hip", "both", "after", 2)
    assert run_flags(run(4, 5, mild), [run(0, 5, mild), run(1, 5, mild), run(2, 5, mild)]) == []


@pytest.mark.parametrize("km, expected", [
    (10.9, []),
    (11.0, [("long_run", INFO)]),
    (12.9, [("long_run", INFO)]),
    (13.0, [("long_run", CAUTION)]),
    (20.0, [("long_run", CAUTION)]),
    (20.1, [("long_run", WARNING)]),
])
def test_a_run_longer_than_the_longest_of_the_past_30_days(km, expected):
    history = [run(0, 10.0), run(5, 6.0)]
    assert kinds(run_flags(run(20, km), history)) == expected


def test_only_the_previous_30_days_count_for_the_longest_run():
    history = [run(0, 30.0), run(25, 10.0)]
    assert kinds(run_flags(run(31, 12.0), history)) == [("long_run", INFO)]  # the 30 km is 31 days back
    assert run_flags(run(30, 12.0), history) == []  # exactly 30 days back still counts
    assert run_flags(run(100, 42.2), history) == []  # no run in the month before: nothing to compare


def test_later_runs_never_count_as_history():
    assert run_flags(run(0, 10.0), [run(1, 5.0), run(2, 5.0)]) == []


def test_each_part_has_its_real_sides_the_lower_back_only_the_middle():
    from glutetui.domain.run_flags import PART_SIDES, PARTS, SIDES

    assert PART_SIDES["lower_back"] == ("centre",)
    assert {part: PART_SIDES[part] for part in PARTS if part != "lower_back"} == {
        part: ("left", "right", "both") for part in ("hip", "knee", "hamstring", "it_band", "shin", "calf", "foot")}
    assert {side for sides in PART_SIDES.values() for side in sides} == set(SIDES)  # every stored side is some part's
