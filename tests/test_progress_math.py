"""Weekly progress math on hand-built data with known answers: days of 23, 24 and
25 hours, overlaps counted once, bouts cut at midnight, weeks across new year
(ISO week 53), Sunday weeks, the 12-week trend and the insights with their
minimum samples."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from dateutil import tz
from hypothesis import given, settings
from hypothesis import strategies as st

from glutetui.domain.progress import (
    ACHE_FROM,
    CORRELATION,
    MIN_GROUP,
    TREND_WEEKS,
    DayStats,
    PartAches,
    Records,
    RunRecord,
    Spans,
    WeekError,
    days_stats,
    long_bout_insight,
    parse_week,
    progress,
    sitting_before_insight,
    total,
    warmup_insight,
    week_days,
    week_label,
    week_start_of,
    week_ago,
    week_stats,
    week_until,
)
from glutetui.domain.run_flags import Ache
from glutetui.domain.sitting import (
    AWAY,
    BREAK,
    SITTING,
    STANDING,
    STATES,
    Interval,
    day_bounds,
    seconds_in,
)

BERLIN = tz.gettz("Europe/Berlin")
MINUTE = timedelta(minutes=1)
BREAK_MIN = MINUTE
SPRING, AUTUMN = date(2026, 3, 29), date(2026, 10, 25)  # Berlin: 23 h and 25 h days, both Sundays
NOV16 = date(2026, 11, 16)  # Monday of 2026-W47
NOT_CAUSE = "not what causes what"


def local(day: date, hour: int = 0, minute: int = 0, second: int = 0, fold: int = 0) -> datetime:
    """A Berlin wall-clock time as an aware UTC moment (as the store hands them out)."""
    return datetime.combine(day, time(hour, minute, second, fold=fold), tzinfo=BERLIN).astimezone(UTC)


def iv(state: str, start: datetime, end: datetime) -> Interval:
    return Interval(state, start, end)


def run(at: datetime, metres: float = 5000, *aches: tuple[str, int], warm: bool = False) -> RunRecord:
    return RunRecord(at, metres, tuple(Ache(part, "left", "after", score) for part, score in aches), warm)


def stats(records: Records, *days: date, break_min: timedelta = BREAK_MIN) -> dict[date, DayStats]:
    return days_stats(records, list(days), BERLIN, break_min)


def one_day(records: Records, day: date, break_min: timedelta = BREAK_MIN) -> DayStats:
    return stats(records, day, break_min=break_min)[day]


# ---- weeks ---------------------------------------------------------------------------

@pytest.mark.parametrize("day, week_start, expected", [
    (date(2026, 11, 18), "monday", date(2026, 11, 16)),
    (date(2026, 11, 16), "monday", date(2026, 11, 16)),
    (date(2026, 11, 22), "monday", date(2026, 11, 16)),  # a Sunday ends the Monday week
    (date(2026, 11, 18), "sunday", date(2026, 11, 15)),
    (date(2026, 11, 15), "sunday", date(2026, 11, 15)),
    (date(2026, 11, 22), "sunday", date(2026, 11, 22)),  # a Sunday starts the Sunday week
    (date(2026, 11, 21), "sunday", date(2026, 11, 15)),
    (date(2021, 1, 1), "monday", date(2020, 12, 28)),
    (date(2027, 1, 2), "sunday", date(2026, 12, 27)),
])
def test_week_start_of(day, week_start, expected):
    assert week_start_of(day, week_start) == expected


@pytest.mark.parametrize("start, label", [
    (date(2026, 11, 16), "2026-W47"),
    (date(2020, 12, 28), "2020-W53"),  # 2020-12-28..2021-01-03
    (date(2026, 12, 28), "2026-W53"),  # 2026-12-28..2027-01-03
    (date(2027, 1, 4), "2027-W01"),
    (date(2026, 1, 5), "2026-W02"),
    # Sunday weeks are named by the Monday after.
    (date(2026, 11, 15), "2026-W47"),
    (date(2026, 12, 27), "2026-W53"),
    (date(2027, 1, 3), "2027-W01"),
    (date(2020, 12, 27), "2020-W53"),
])
def test_week_label_is_the_iso_week_of_the_monday(start, label):
    assert week_label(start) == label
    monday = start if start.weekday() == 0 else start + timedelta(days=1)
    year, week, _ = monday.isocalendar()
    assert label == f"{year}-W{week:02d}"


@pytest.mark.parametrize("text, monday", [
    ("2026-W47", date(2026, 11, 16)),
    ("2026w47", date(2026, 11, 16)),
    (" 2026-w47 ", date(2026, 11, 16)),
    ("2026-W01", date(2025, 12, 29)),  # week 1 can begin in the year before
    ("2026-W1", date(2025, 12, 29)),
    ("2020-W53", date(2020, 12, 28)),
    ("2026-W53", date(2026, 12, 28)),
    ("2027-W01", date(2027, 1, 4)),
])
def test_parse_week_good(text, monday):
    assert parse_week(text) == monday
    assert monday.weekday() == 0


@pytest.mark.parametrize("text, says", [
    ("2026-W54", "2026 has no week 54"),
    ("2021-W53", "2021 has no week 53"),
    ("2027-W53", "2027 has no week 53"),
    ("2026-W00", "2026 has no week 0"),
    ("garbage", "is not a week like 2026-W47"),
    ("", "is not a week like 2026-W47"),
    ("2026-47", "is not a week like 2026-W47"),
    ("26-W47", "is not a week like 2026-W47"),
    ("2026-W", "is not a week like 2026-W47"),
    ("2026-Wx7", "is not a week like 2026-W47"),
])
def test_parse_week_bad(text, says):
    with pytest.raises(WeekError, match=says):
        parse_week(text)


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=date(1900, 1, 8), max_value=date(9998, 12, 20)), st.sampled_from(["monday", "sunday"]))
def test_a_week_holds_its_day_and_its_label_parses_back(day, week_start):
    start = week_start_of(day, week_start)
    assert start <= day < start + timedelta(days=7)
    assert start.weekday() == (0 if week_start == "monday" else 6)
    monday = parse_week(week_label(start))
    assert monday == (start if week_start == "monday" else start + timedelta(days=1))
    assert week_start_of(monday, week_start) == start


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="0123456789-wWx ", max_size=12))
def test_parse_week_gives_a_monday_or_a_week_error(text):
    try:
        monday = parse_week(text)
    except WeekError:
        return
    assert monday.weekday() == 0


# ---- one day -------------------------------------------------------------------------

def test_overlapping_intervals_count_once():
    day = NOV16
    records = Records(intervals=[
        iv(SITTING, local(day, 9), local(day, 11)),
        iv(SITTING, local(day, 10), local(day, 12)),  # a second computer, overlapping
        iv(STANDING, local(day, 12), local(day, 12, 30)),
    ])
    found = one_day(records, day)
    assert (found.sitting_minutes, found.longest_bout_minutes, found.breaks_taken, found.active_hours) == (180, 180, 1, 1)
    assert found.tracked


def test_a_bout_across_midnight_is_cut_at_midnight():
    monday, tuesday = NOV16, NOV16 + timedelta(days=1)
    records = Records(intervals=[iv(SITTING, local(monday, 23), local(tuesday, 1, 30))])
    found = stats(records, monday, tuesday)
    assert (found[monday].sitting_minutes, found[monday].longest_bout_minutes) == (60, 60)
    assert (found[tuesday].sitting_minutes, found[tuesday].longest_bout_minutes) == (90, 90)
    week = week_stats(monday, found)
    assert week.totals.sitting_minutes == 150 and week.totals.longest_bout_minutes == 90  # max, not sum


def test_short_ups_do_not_end_a_bout_and_breaks_count_from_break_min():
    day = NOV16
    records = Records(intervals=[
        iv(SITTING, local(day, 9), local(day, 10)),
        iv(STANDING, local(day, 10), local(day, 10, 0, 30)),  # 30 s: neither a break nor an active minute
        iv(SITTING, local(day, 10, 0, 30), local(day, 11)),
        iv(BREAK, local(day, 11), local(day, 11, 1)),  # exactly break_min: a break, and a minute up
        iv(SITTING, local(day, 11, 1), local(day, 11, 31)),
    ])
    found = one_day(records, day)
    assert found.sitting_minutes == 149  # 60 + 59.5 + 30 minutes, whole minutes only
    assert found.longest_bout_minutes == 120  # 09:00-11:00 with the 30 s inside
    assert (found.breaks_taken, found.active_hours) == (1, 1)
    longer = one_day(records, day, break_min=timedelta(minutes=5))
    assert (longer.longest_bout_minutes, longer.breaks_taken, longer.active_hours) == (151, 0, 1)


def test_nothing_recorded_ends_a_bout_but_is_no_break():
    day = NOV16
    records = Records(intervals=[iv(SITTING, local(day, 9), local(day, 10)),
                                 iv(SITTING, local(day, 10, 10), local(day, 10, 40))])
    found = one_day(records, day)
    assert (found.sitting_minutes, found.longest_bout_minutes, found.breaks_taken, found.active_hours) == (90, 60, 0, 0)


def test_active_hours_are_local_hours_with_a_minute_up():
    day = NOV16
    records = Records(intervals=[
        iv(AWAY, local(day, 7, 59), local(day, 8, 1)),  # one minute in each of two hours
        iv(STANDING, local(day, 12, 10), local(day, 12, 10, 59)),  # 59 s: not enough
        iv(BREAK, local(day, 15, 30), local(day, 17, 30)),  # touches 15, 16 and 17
    ])
    found = one_day(records, day)
    assert found.active_hours == 5
    assert found.breaks_taken == 2  # 07:59-08:01 and 15:30-17:30; the 59 s is too short
    assert found.sitting_minutes == 0 and found.tracked


def test_an_empty_day_is_untracked_zeroes():
    found = one_day(Records(intervals=[iv(SITTING, local(NOV16, 9), local(NOV16, 10))]), NOV16 + timedelta(days=1))
    assert found == DayStats(NOV16 + timedelta(days=1))
    assert not found.tracked


def test_reminders_count_by_the_local_day_they_were_due():
    monday, tuesday = NOV16, NOV16 + timedelta(days=1)
    records = Records(reminders=[
        (local(monday, 10), "skipped"),
        (local(monday, 11), "taken"),
        (local(monday, 12), "snoozed"),
        (local(monday, 23, 30), "skipped"),  # 22:30 UTC: still Monday here
        (datetime(2026, 11, 16, 23, 30, tzinfo=UTC), "missed"),  # 00:30 Tuesday in Berlin
        (local(tuesday, 9), "missed"),
        (local(tuesday, 10), "skipped"),
    ])
    found = stats(records, monday, tuesday)
    assert (found[monday].reminders_skipped, found[monday].reminders_missed) == (2, 0)
    assert (found[tuesday].reminders_skipped, found[tuesday].reminders_missed) == (1, 2)
    assert not found[monday].tracked  # reminders alone are no posture


def test_warmups_full_and_partial_by_local_day():
    monday, tuesday = NOV16, NOV16 + timedelta(days=1)
    records = Records(warmups=[(local(monday, 7), True), (local(monday, 18), False), (local(monday, 19), False),
                               (local(monday, 23, 50), True), (local(tuesday, 0, 5), True)])
    found = stats(records, monday, tuesday)
    assert (found[monday].warmups_completed, found[monday].warmups_partial) == (2, 2)
    assert (found[tuesday].warmups_completed, found[tuesday].warmups_partial) == (1, 0)


def test_runs_distance_and_aches_by_part():
    monday = NOV16
    records = Records(runs=[
        RunRecord(local(monday, 7), 10000, (Ache("knee", "left", "after", 4), Ache("hip", "right", "during", 2),
                                            Ache("knee", "right", "next_morning", 5), Ache("foot", "left", "after", 0)),
                  True),
        RunRecord(local(monday, 18), 5500, (Ache("lower_back", "centre", "after", 3),
                                            Ache("knee", "left", "during", 7)), False),
        RunRecord(local(monday, 21), 2500.5, (Ache("calf", "left", "after", 6),), False),
    ])
    found = one_day(records, monday)
    assert (found.runs, found.runs_warmed_up, found.distance_m) == (3, 1, 18000.5)
    # In body-part order; a part counts once per run however many of its aches pass 3/10; a 0 is no ache.
    assert list(found.aches) == ["hip", "knee", "lower_back", "calf"]
    assert found.aches == {"hip": PartAches(0, 2), "knee": PartAches(2, 7), "lower_back": PartAches(1, 3),
                           "calf": PartAches(1, 6)}
    assert [part.zone for part in found.aches.values()] == ["safe", "too much", "acceptable", "too much"]
    assert found.ache_count == 4
    assert not found.tracked


def test_an_ache_counts_from_three():
    assert ACHE_FROM == 3
    found = one_day(Records(runs=[run(local(NOV16, 7), 5000, ("hip", 2)), run(local(NOV16, 18), 5000, ("hip", 3))]),
                    NOV16)
    assert found.aches == {"hip": PartAches(1, 3)}


def test_week_totals_sum_the_days_and_keep_the_longest_bout():
    days = [
        DayStats(NOV16, sitting_minutes=300, longest_bout_minutes=90, breaks_taken=4, reminders_skipped=1,
                 reminders_missed=2, active_hours=7, warmups_completed=1, warmups_partial=1, runs=1, runs_warmed_up=1,
                 distance_m=8000.0, aches={"knee": PartAches(1, 4)}, tracked=True),
        DayStats(NOV16 + timedelta(days=2), sitting_minutes=200, longest_bout_minutes=130, breaks_taken=2,
                 reminders_skipped=3, active_hours=5, warmups_partial=2, runs=2, distance_m=12500.0,
                 aches={"hip": PartAches(0, 2), "knee": PartAches(1, 6)}, tracked=True),
        DayStats(NOV16 + timedelta(days=6)),
    ]
    summed = total(NOV16, days)
    assert summed == DayStats(
        NOV16, sitting_minutes=500, longest_bout_minutes=130, breaks_taken=6, reminders_skipped=4, reminders_missed=2,
        active_hours=12, warmups_completed=1, warmups_partial=3, runs=3, runs_warmed_up=1, distance_m=20500.0,
        aches={"hip": PartAches(0, 2), "knee": PartAches(2, 6)}, tracked=True)
    assert list(summed.aches) == ["hip", "knee"]
    week = week_stats(NOV16, {day.day: day for day in days})
    assert [day.day for day in week.days] == week_days(NOV16)
    assert week.totals == summed and week.end == date(2026, 11, 22) and week.label == "2026-W47"
    assert week.warmup_rate == pytest.approx(1 / 3)


# ---- days of 23 and 25 hours -----------------------------------------------------------

def test_spring_forward_week_has_a_day_of_23_hours():
    start = date(2026, 3, 23)  # 2026-W13, Sunday the 29th loses 02:00-03:00
    saturday = SPRING - timedelta(days=1)
    records = Records(intervals=[
        iv(SITTING, local(saturday), local(SPRING)),
        iv(STANDING, local(SPRING), local(SPRING + timedelta(days=1))),
    ])
    week = week_stats(start, stats(records, *week_days(start)))
    assert week.label == "2026-W13"
    by_date = {day.day: day for day in week.days}
    assert (by_date[saturday].sitting_minutes, by_date[saturday].longest_bout_minutes) == (1440, 1440)
    assert by_date[SPRING].active_hours == 23 and by_date[saturday].active_hours == 0
    assert by_date[SPRING].breaks_taken == 1
    assert week.totals.sitting_minutes == 1440 and week.totals.active_hours == 23
    whole = one_day(Records(intervals=[iv(SITTING, local(SPRING), local(SPRING + timedelta(days=1)))]), SPRING)
    assert (whole.sitting_minutes, whole.longest_bout_minutes) == (23 * 60, 23 * 60)


def test_spring_forward_sitting_across_the_lost_hour_counts_real_minutes():
    # 01:00 CET to 04:00 CEST on the wall: two real hours.
    found = one_day(Records(intervals=[iv(SITTING, local(SPRING, 1), local(SPRING, 4))]), SPRING)
    assert (found.sitting_minutes, found.longest_bout_minutes) == (120, 120)


def test_fall_back_week_has_a_day_of_25_hours():
    start = date(2026, 10, 19)  # 2026-W43, Sunday the 25th repeats 02:00-03:00
    records = Records(intervals=[iv(SITTING, local(AUTUMN), local(AUTUMN + timedelta(days=1))),
                                 iv(AWAY, local(AUTUMN - timedelta(days=1)), local(AUTUMN))])
    week = week_stats(start, stats(records, *week_days(start)))
    assert week.label == "2026-W43"
    sunday = week.days[6]
    assert sunday.day == AUTUMN
    assert (sunday.sitting_minutes, sunday.longest_bout_minutes, sunday.active_hours) == (1500, 1500, 0)
    assert week.days[5].active_hours == 24
    assert week.totals.sitting_minutes == 1500 and week.totals.longest_bout_minutes == 1500


def test_fall_back_sitting_across_the_repeated_hour_counts_real_minutes():
    # 01:00 CEST to 04:00 CET on the wall: four real hours.
    found = one_day(Records(intervals=[iv(SITTING, local(AUTUMN, 1), local(AUTUMN, 4))]), AUTUMN)
    assert (found.sitting_minutes, found.longest_bout_minutes) == (240, 240)
    # Just the repeated hour: 02:30 summer time to 02:30 winter time.
    repeated = one_day(Records(intervals=[iv(SITTING, local(AUTUMN, 2, 30), local(AUTUMN, 2, 30, fold=1))]), AUTUMN)
    assert repeated.sitting_minutes == 60
    standing = one_day(Records(intervals=[iv(STANDING, local(AUTUMN, 1), local(AUTUMN, 4))]), AUTUMN)
    assert standing.active_hours == 4  # four real hours up, four hours counted


# ---- weeks across new year (ISO week 53) ----------------------------------------------

def test_a_week_across_new_year_is_2020_w53():
    start = date(2020, 12, 28)
    records = Records(
        intervals=[iv(SITTING, local(date(2020, 12, 31), 23), local(date(2021, 1, 1), 1)),
                   iv(SITTING, local(date(2021, 1, 4), 9), local(date(2021, 1, 4), 17))],  # next week
        runs=[run(local(date(2021, 1, 3), 10), 7000, ("knee", 3)), run(local(date(2021, 1, 4), 10), 9000)],
        warmups=[(local(date(2021, 1, 3), 9, 50), True)],
    )
    week = week_stats(start, stats(records, *week_days(start)))
    assert (week.label, week.start, week.end) == ("2020-W53", date(2020, 12, 28), date(2021, 1, 3))
    assert [day.day.isoformat() for day in week.days] == [
        "2020-12-28", "2020-12-29", "2020-12-30", "2020-12-31", "2021-01-01", "2021-01-02", "2021-01-03"]
    assert [day.sitting_minutes for day in week.days] == [0, 0, 0, 60, 60, 0, 0]
    totals = week.totals
    assert (totals.sitting_minutes, totals.longest_bout_minutes, totals.runs, totals.distance_m) == (120, 60, 1, 7000)
    assert totals.aches == {"knee": PartAches(1, 3)} and totals.warmups_completed == 1


def test_progress_for_2026_w53_names_its_neighbours():
    start = date(2026, 12, 28)
    records = Records(intervals=[iv(SITTING, local(date(2026, 12, 22), 9), local(date(2026, 12, 22), 12)),
                                 iv(SITTING, local(date(2027, 1, 2), 9), local(date(2027, 1, 2), 10))],
                      runs=[run(local(date(2027, 1, 3), 9), 12000)])
    found = progress(records, start, BERLIN, BREAK_MIN)
    assert (found.week.label, found.week.end) == ("2026-W53", date(2027, 1, 3))
    assert found.previous.label == "2026-W52" and found.previous.totals.sitting_minutes == 180
    assert found.week.totals.sitting_minutes == 60 and found.week.totals.distance_m == 12000
    assert found.trend[0].label == "2026-W42"
    assert [week.label for week in found.trend][-3:] == ["2026-W51", "2026-W52", "2026-W53"]


# ---- Sunday weeks, the previous week, the trend ---------------------------------------

def test_a_sunday_week_starts_on_sunday_and_takes_the_monday_after_for_its_name():
    start = week_start_of(date(2026, 11, 18), "sunday")
    records = Records(runs=[run(local(date(2026, 11, 15), 8), 6000),  # Sunday: first day of this week
                            run(local(date(2026, 11, 21), 8), 4000),  # Saturday: its last
                            run(local(date(2026, 11, 22), 8), 9000)])  # Sunday: the next week
    found = progress(records, start, BERLIN, BREAK_MIN)
    assert (found.week.start, found.week.end, found.week.label) == (date(2026, 11, 15), date(2026, 11, 21), "2026-W47")
    assert found.week.days[0].day.weekday() == 6
    assert (found.week.totals.runs, found.week.totals.distance_m) == (2, 10000)
    assert found.previous.start == date(2026, 11, 8) and found.previous.label == "2026-W46"


def test_previous_week_and_trend():
    start = NOV16
    records = Records(
        intervals=[iv(SITTING, local(date(2026, 11, 10), 9), local(date(2026, 11, 10), 13)),  # W46: 4 h
                   iv(SITTING, local(date(2026, 11, 18), 9), local(date(2026, 11, 18), 11)),  # W47: 2 h
                   iv(SITTING, local(date(2026, 8, 20), 9), local(date(2026, 8, 20), 19))],  # before the trend
        runs=[run(local(date(2026, 11, 11), 7), 8000, ("hip", 4), warm=True),
              run(local(date(2026, 11, 13), 7), 4000),
              run(local(date(2026, 11, 17), 7), 10000, ("knee", 5), ("hip", 3))],
    )
    found = progress(records, start, BERLIN, BREAK_MIN)
    assert found.week.start == start and found.previous.start == start - timedelta(weeks=1)
    assert (found.previous.totals.sitting_minutes, found.previous.totals.runs, found.previous.totals.distance_m) == (
        240, 2, 12000)
    assert found.previous.totals.ache_count == 1 and found.previous.warmup_rate == 0.5
    assert found.week.totals.sitting_minutes == 120 and found.week.totals.ache_count == 2
    assert found.week.warmup_rate == 0.0
    trend = found.trend
    assert len(trend) == TREND_WEEKS == 12
    assert [week.start for week in trend] == [start - timedelta(weeks=11 - index) for index in range(12)]
    assert trend[-1] == found.week and trend[-2] == found.previous
    assert trend[0].start == date(2026, 8, 31)  # the 20 August sitting is older than the trend
    assert [week.totals.sitting_minutes for week in trend] == [0] * 10 + [240, 120]
    assert [week.warmup_rate for week in trend] == [None] * 10 + [0.5, 0.0]
    assert [week.totals.ache_count for week in trend] == [0] * 10 + [1, 2]


# ---- this week so far against the last, to the same moment --------------------------------

def a_tuesday_morning(day: date, until: datetime | None = None) -> Records:
    """A Monday at the desk, then Tuesday from 09:00; with `until`, only what had happened by then."""
    tuesday = day + timedelta(days=1)
    records = Records(
        intervals=[iv(SITTING, local(day, 9), local(day, 12, 30)),
                   iv(BREAK, local(day, 12, 30), local(day, 13)),
                   iv(SITTING, local(day, 13), local(day, 17)),
                   iv(SITTING, local(tuesday, 9), local(tuesday, 9, 40)),
                   iv(STANDING, local(tuesday, 9, 40), local(tuesday, 9, 45)),
                   iv(SITTING, local(tuesday, 9, 45), local(tuesday, 12)),
                   iv(BREAK, local(tuesday, 12), local(tuesday, 12, 20)),
                   iv(SITTING, local(tuesday, 12, 20), local(tuesday, 17))],
        reminders=[(local(day, 12), "skipped"), (local(tuesday, 11), "missed"), (local(tuesday, 15), "skipped")],
        warmups=[(local(day, 6, 50), True), (local(tuesday, 17, 50), True)],
        runs=[run(local(day, 7), 6000, ("knee", 4), warm=True), run(local(tuesday, 18), 10000, ("hip", 6), warm=True)],
    )
    return records if until is None else records.between(local(day) - timedelta(hours=12), until)


def test_tuesday_at_ten_is_compared_with_last_tuesday_at_ten():
    """The same Monday and Tuesday morning as last week shows no change at all: last week is
    cut at Tuesday 10:00 too, not taken with its whole Tuesday."""
    start, now = NOV16, local(NOV16 + timedelta(days=1), 10)
    last = a_tuesday_morning(start - timedelta(weeks=1))
    this = a_tuesday_morning(start, until=now)  # what the store holds at 10:00
    found = progress(Records(*(list(a) + list(b) for a, b in zip(
        (last.intervals, last.reminders, last.warmups, last.runs),
        (this.intervals, this.reminders, this.warmups, this.runs)))), start, BERLIN, BREAK_MIN, now=now)
    assert found.compared_until == local(start - timedelta(days=6), 10)
    assert found.compared_until.utcoffset() == timedelta(hours=1) and found.days_compared == 2
    assert replace(found.compared, day=start) == found.week.totals
    week = found.week.totals
    assert (week.sitting_minutes, week.longest_bout_minutes, week.breaks_taken, week.reminders_skipped,
            week.runs, week.warmups_completed, week.ache_count) == (450 + 55, 240, 2, 1, 1, 1, 1)
    # Last week's first two days whole, as the comparison used to take them: a fall in everything.
    whole = total(found.previous.start, found.previous.days[:2])
    assert (whole.sitting_minutes, whole.breaks_taken, whole.reminders_skipped, whole.runs, whole.ache_count) == (
        450 + 455, 3, 2, 2, 2)


def test_a_bout_under_way_at_the_cut_is_clipped_there():
    start = NOV16 - timedelta(weeks=1)
    tuesday = start + timedelta(days=1)
    cut = local(tuesday, 10)
    records = Records(
        intervals=[iv(SITTING, local(tuesday, 8), local(tuesday, 12)),  # 2 h of it before 10:00
                   iv(STANDING, local(start, 15, 58), local(start, 16, 3)),  # a break before the cut
                   iv(BREAK, local(tuesday, 7, 30), local(tuesday, 8))],
        runs=[run(local(tuesday, 9, 59), 5000), run(local(tuesday, 10, 1), 8000, ("knee", 7))],
        warmups=[(local(tuesday, 9, 50), True), (local(tuesday, 10, 0, 1), False)],
        reminders=[(local(tuesday, 9, 30), "skipped"), (local(tuesday, 10, 30), "skipped")],
    )
    found = week_until(records, start, cut, BERLIN, BREAK_MIN)
    assert (found.sitting_minutes, found.longest_bout_minutes) == (120, 120)
    assert (found.runs, found.distance_m, found.ache_count) == (1, 5000, 0)
    assert (found.warmups_completed, found.warmups_partial, found.reminders_skipped) == (1, 0, 1)
    assert found.breaks_taken == 2 and found.tracked
    whole = week_stats(start, stats(records, *week_days(start))).totals
    assert (whole.sitting_minutes, whole.runs, whole.ache_count, whole.reminders_skipped) == (240, 2, 1, 2)


def test_a_break_under_way_at_the_cut_counts_only_from_break_min():
    start = NOV16 - timedelta(weeks=1)
    tuesday = start + timedelta(days=1)
    records = Records(intervals=[iv(SITTING, local(tuesday, 9), local(tuesday, 9, 59)),
                                 iv(BREAK, local(tuesday, 9, 59), local(tuesday, 10, 20)),
                                 iv(SITTING, local(tuesday, 10, 20), local(tuesday, 11))])
    # A minute of it by 10:00 is a break already, as it would be on Today at that moment.
    assert week_until(records, start, local(tuesday, 10), BERLIN, BREAK_MIN).breaks_taken == 1
    assert week_until(records, start, local(tuesday, 9, 59, 30), BERLIN, BREAK_MIN).breaks_taken == 0
    assert week_until(records, start, local(tuesday, 10), BERLIN, timedelta(minutes=5)).breaks_taken == 0


@pytest.mark.parametrize("now, expected, hours_back", [
    (local(NOV16 + timedelta(days=1), 10), local(NOV16 - timedelta(days=6), 10), 168),
    # The clocks went forward on Sunday 29 March: last Tuesday 10:00 was 167 hours before.
    (local(date(2026, 3, 31), 10), local(date(2026, 3, 24), 10), 167),
    # And back on Sunday 25 October: 169 hours.
    (local(date(2026, 10, 27), 10), local(date(2026, 10, 20), 10), 169),
    # 02:30 did not exist on 29 March: the first real moment after it, 03:30 summer time.
    (local(date(2026, 4, 5), 2, 30), datetime(2026, 3, 29, 1, 30, tzinfo=UTC), 167),
    # 02:30 came twice on 25 October: the first.
    (local(date(2026, 11, 1), 2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC), 169),
])
def test_a_week_ago_is_the_same_time_on_the_local_clock(now, expected, hours_back):
    found = week_ago(now, BERLIN)
    assert found.astimezone(UTC) == expected.astimezone(UTC) and (now - found) == timedelta(hours=hours_back)
    assert found.tzinfo is BERLIN


def test_a_week_after_the_clocks_went_forward_is_cut_at_the_same_clock_time():
    """Tuesday 31 March 10:00 summer time against Tuesday 24 March 10:00 winter time: an
    hour later in UTC than a week of 168 hours would say."""
    start, now = date(2026, 3, 30), local(date(2026, 3, 31), 10)
    last_tuesday = date(2026, 3, 24)
    records = Records(intervals=[iv(SITTING, local(last_tuesday, 9), local(last_tuesday, 11))],
                      runs=[run(local(last_tuesday, 9, 30), 7000)])
    found = progress(records, start, BERLIN, BREAK_MIN, now=now)
    assert found.compared_until == local(last_tuesday, 10) and found.days_compared == 2
    assert (found.compared.sitting_minutes, found.compared.runs) == (60, 1)
    assert week_until(records, found.previous.start, now - timedelta(hours=168), BERLIN, BREAK_MIN).runs == 0
    assert found.previous.totals.sitting_minutes == 120


def test_a_sunday_of_23_hours_is_compared_to_the_same_clock_time():
    """Now is Sunday 29 March 12:00 (the clocks went forward at 02:00); last Sunday is cut at
    12:00 on its clock too, though this Sunday has had an hour less of it."""
    start, now = date(2026, 3, 23), local(SPRING, 12)
    last_sunday = SPRING - timedelta(weeks=1)
    records = Records(intervals=[iv(SITTING, local(last_sunday, 11), local(last_sunday, 13)),
                                 iv(SITTING, local(SPRING, 11), now)])
    found = progress(records, start, BERLIN, BREAK_MIN, now=now)
    assert found.compared_until == local(last_sunday, 12) and found.days_compared == 7
    assert found.compared.sitting_minutes == found.week.totals.sitting_minutes == 60
    assert found.previous.totals.sitting_minutes == 120


def test_a_past_week_is_compared_whole_and_days_to_come_are_not_lived():
    start = NOV16
    records = a_tuesday_morning(start - timedelta(weeks=1))
    past = progress(records, start - timedelta(weeks=1), BERLIN, BREAK_MIN, now=local(start + timedelta(days=1), 10))
    assert past.compared_until is None and past.compared == past.previous.totals and past.days_compared == 7
    assert all(past.lived(day.day) for day in past.week.days)
    this = progress(records, start, BERLIN, BREAK_MIN, now=local(start + timedelta(days=2), 23, 59))
    assert [this.lived(day.day) for day in this.week.days] == [True] * 3 + [False] * 4
    unknown = progress(records, start, BERLIN, BREAK_MIN)
    assert unknown.compared_until is None and all(unknown.lived(day.day) for day in unknown.week.days)


def test_records_between_cut_intervals_and_keep_what_began_by_then():
    day = NOV16
    records = Records(intervals=[iv(SITTING, local(day, 8), local(day, 9)), iv(STANDING, local(day, 9), local(day, 11)),
                                 iv(SITTING, local(day, 11), local(day, 12))],
                      runs=[run(local(day, 10)), run(local(day, 10, 0, 1))],
                      warmups=[(local(day, 7), True)], reminders=[(local(day, 10), "skipped")])
    cut = records.between(local(day, 8, 30), local(day, 10))
    assert cut.intervals == [iv(SITTING, local(day, 8), local(day, 9)), iv(STANDING, local(day, 9), local(day, 10))]
    assert [item.started_at for item in cut.runs] == [local(day, 10)]  # at the moment itself: it had begun
    assert cut.warmups == [] and cut.reminders == [(local(day, 10), "skipped")]


@st.composite
def a_week_of_life(draw):
    """Intervals, runs and reminders inside a week from a Monday, as minutes from its midnight."""
    week, items = 7 * 24 * 60, []
    for _ in range(draw(st.integers(0, 12))):
        begin = draw(st.integers(0, week - 1))
        items.append((draw(st.sampled_from(STATES)), begin, min(week, begin + draw(st.integers(0, 20 * 60)))))
    runs = draw(st.lists(st.tuples(st.integers(0, 7 * 24 * 60 - 1), st.integers(0, 10)), max_size=4))
    reminders = draw(st.lists(st.tuples(st.integers(0, 7 * 24 * 60 - 1), st.sampled_from(["skipped", "missed"])),
                              max_size=4))
    return items, runs, reminders, draw(st.integers(0, week - 1))


@settings(max_examples=75, deadline=None)
@given(a_week_of_life(), st.integers(1, 10))
def test_the_same_week_lived_again_shows_no_change_at_any_moment(case, break_minutes):
    """Last week's life repeated minute for minute this week (a week with no clock change):
    whatever the moment, every number of the week so far equals last week's to the same moment."""
    items, run_times, reminder_times, now_minute = case
    start = NOV16
    now = local(start) + timedelta(minutes=now_minute)

    def lived(week: int) -> Records:
        origin = local(start - timedelta(weeks=week))
        at = lambda minute: origin + timedelta(minutes=minute)  # noqa: E731
        return Records(intervals=[iv(state, at(a), at(b)) for state, a, b in items],
                       reminders=[(at(minute), outcome) for minute, outcome in reminder_times],
                       runs=[run(at(minute), 5000, ("knee", score)) for minute, score in run_times])

    last, this = lived(1), lived(0).between(local(start) - timedelta(days=1), now)
    both = Records(list(last.intervals) + list(this.intervals), list(last.reminders) + list(this.reminders),
                   (), list(last.runs) + list(this.runs))
    found = progress(both, start, BERLIN, timedelta(minutes=break_minutes), now=now)
    assert replace(found.compared, day=start) == found.week.totals


# ---- insights --------------------------------------------------------------------------

def runs_on(count: int, *, warm: bool, ached: int = 0, first: date = date(2026, 10, 1)) -> list[RunRecord]:
    """`count` runs a day apart, the first `ached` of them with a knee at 4/10 (the rest at 2/10)."""
    return [run(local(first + timedelta(days=index), 7), 5000, ("knee", 4 if index < ached else 2), warm=warm)
            for index in range(count)]


def test_warmup_insight_says_how_many_runs_are_missing():
    assert MIN_GROUP == 5
    found = warmup_insight(runs_on(4, warm=True) + runs_on(5, warm=False))
    assert (found.key, found.n, found.ready) == ("warmup_aches", 9, False)
    assert found.text == ("Aches with and without a warm-up: needs 1 more run with a full warm-up "
                          "(at least 5 of each; 4 and 5 so far).")
    assert NOT_CAUSE not in found.text
    none = warmup_insight([])
    assert (none.n, none.ready) == (0, False)
    assert none.text == ("Aches with and without a warm-up: needs 5 more runs with a full warm-up and 5 more runs "
                         "without one (at least 5 of each; 0 and 0 so far).")
    cold = warmup_insight(runs_on(7, warm=True) + runs_on(2, warm=False))
    assert "needs 3 more runs without one (at least 5 of each; 7 and 2 so far)" in cold.text and cold.n == 9


def test_warmup_insight_at_five_and_five():
    found = warmup_insight(runs_on(5, warm=True, ached=1) + runs_on(5, warm=False, ached=3))
    assert (found.n, found.ready) == (10, True)
    assert found.text == ("Runs after a full warm-up ached (3/10 or more) 1 of 5 times (20%); runs without one, "
                          f"3 of 5 (60%). {CORRELATION}")
    assert NOT_CAUSE in found.text


def day_before(run_day: date, minutes: int, tracked: bool = True) -> DayStats:
    return DayStats(run_day - timedelta(days=1), sitting_minutes=minutes, tracked=tracked)


def sitting_case(ached_minutes, fine_minutes, extra=()):
    """Runs every other day from 1 October; each run's day before sat the given minutes."""
    runs, by_day, day = [], {}, date(2026, 10, 1)
    for minutes, score, tracked in ([(m, 4, True) for m in ached_minutes] + [(m, 1, True) for m in fine_minutes]
                                    + list(extra)):
        runs.append(run(local(day, 7), 5000, ("hip", score)))
        if minutes is not None:
            by_day[day - timedelta(days=1)] = day_before(day, minutes, tracked)
        day += timedelta(days=2)
    return runs, by_day


def test_sitting_before_insight_at_five_and_five_skips_untracked_days():
    runs, by_day = sitting_case([600, 600, 540, 480, 480], [240, 300, 360, 300, 300],
                                extra=[(900, 5, False), (None, 5, True), (0, 0, False)])
    found = sitting_before_insight(runs, by_day, BERLIN)
    assert (found.key, found.n, found.ready) == ("sitting_before_aches", 10, True)
    assert found.text == ("The day before runs that ached you sat 9.0 h on average (5 runs); before runs that did "
                          f"not, 5.0 h (5 runs). {CORRELATION}")


def test_sitting_before_insight_below_the_minimum():
    runs, by_day = sitting_case([600, 600, 540, 480], [240, 300, 360, 300, 300], extra=[(900, 5, False)])
    found = sitting_before_insight(runs, by_day, BERLIN)
    assert (found.n, found.ready) == (9, False)
    assert found.text == ("Sitting the day before achy runs: needs 1 more run that ached, each after a tracked day "
                          "(4 and 5 so far).")
    runs, by_day = sitting_case([600], [], extra=[(500, 0, False)] * 6)
    found = sitting_before_insight(runs, by_day, BERLIN)
    assert (found.n, found.ready) == (1, False)
    assert "needs 4 more runs that ached and 5 more runs that did not, each after a tracked day (1 and 0 so far)" \
        in found.text


def test_sitting_before_insight_takes_the_local_day_of_the_run():
    # 23:30 UTC on the 17th is 00:30 on the 18th in Berlin: the day before is the 17th, not the 16th.
    late = RunRecord(datetime(2026, 11, 17, 23, 30, tzinfo=UTC), 5000, (Ache("hip", "left", "after", 5),), False)
    by_day = {date(2026, 11, 17): DayStats(date(2026, 11, 17), sitting_minutes=420, tracked=True),
              date(2026, 11, 16): DayStats(date(2026, 11, 16), sitting_minutes=60, tracked=True)}
    found = sitting_before_insight([late], by_day, BERLIN)
    assert found.n == 1 and "(1 and 0 so far)" in found.text
    early = run(local(date(2026, 11, 17), 7))  # no aches; the day before is the 16th
    assert sitting_before_insight([late] * 5 + [early] * 5, by_day, BERLIN).text.startswith(
        "The day before runs that ached you sat 7.0 h on average (5 runs); before runs that did not, 1.0 h (5 runs).")
    # Counted in UTC the late run would belong to the 17th and look back at the 16th.
    assert "you sat 1.0 h on average" in sitting_before_insight([late] * 5 + [early] * 5, by_day, UTC).text


def weeks_with(longest_and_aches, untracked: int = 0):
    """One week per (longest bout minutes, aches), then `untracked` empty weeks; all from 2026-W30."""
    weeks, start = [], date(2026, 7, 20)
    for longest, aches in longest_and_aches:
        day = DayStats(start, sitting_minutes=longest, longest_bout_minutes=longest,
                       aches={"knee": PartAches(aches, 4)} if aches else {}, tracked=True)
        weeks.append(week_stats(start, {start: day}))
        start += timedelta(weeks=1)
    for _ in range(untracked):
        weeks.append(week_stats(start, {}))
        start += timedelta(weeks=1)
    return weeks


def test_long_bout_insight_at_five_and_five():
    weeks = weeks_with([(121, 2), (180, 1), (300, 0), (150, 3), (200, 4),
                        (120, 0), (90, 1), (60, 0), (30, 0), (0, 0)], untracked=2)
    found = long_bout_insight(weeks)
    assert (found.key, found.n, found.ready) == ("long_bout_weeks", 10, True)  # tracked weeks only
    assert found.text == ("Weeks with a sitting bout over 2 h had 2.0 aches on average (5 weeks); weeks without, "
                          f"0.2 (5 weeks). {CORRELATION}")


def test_long_bout_insight_below_the_minimum():
    weeks = weeks_with([(121, 2), (180, 1), (300, 0), (150, 3), (120, 0), (90, 1), (60, 0), (30, 0), (10, 0)],
                       untracked=3)
    found = long_bout_insight(weeks)
    assert (found.n, found.ready) == (9, False)
    assert found.text == ("Aches in weeks with a sitting bout over 2 h: needs 1 more week with a bout over 2 h "
                          "(4 and 5 of the last 12 weeks so far).")
    empty = long_bout_insight(weeks_with([], untracked=12))
    assert (empty.n, empty.ready) == (0, False)
    assert "needs 5 more weeks with a bout over 2 h and 5 more weeks without one (0 and 0 of the last 12 weeks" in empty.text


def test_a_week_with_only_a_run_is_tracked_without_a_long_bout():
    start = NOV16
    week = week_stats(start, stats(Records(runs=[run(local(start, 7), 5000, ("hip", 6))]), *week_days(start)))
    assert week.tracked and not week.has_long_bout and week.totals.ache_count == 1


def test_progress_insights_over_twelve_weeks_from_raw_records():
    """Ten runs, each after a tracked day: five that ached after 8 h of sitting, five that did
    not after 4 h; the warm-ups and the long bouts line up with them."""
    start = NOV16
    intervals, runs = [], []
    for index in range(10):
        run_day = start - timedelta(weeks=index, days=-2)  # the Wednesdays of W38..W47
        before = run_day - timedelta(days=1)
        hurt = index % 2 == 0
        hours = 8 if hurt else 4
        # Ached weeks sit in one block (a bout over 2 h), the others in 1-hour pieces.
        if hurt:
            intervals.append(iv(SITTING, local(before, 9), local(before, 9 + hours)))
        else:
            intervals += [iv(SITTING, local(before, 9 + 2 * piece), local(before, 10 + 2 * piece))
                          for piece in range(hours)]
        runs.append(run(local(run_day, 7), 10000, ("knee", 5 if hurt else 1), warm=not hurt))
    runs.append(run(local(start - timedelta(weeks=12), 7), 10000, ("knee", 9)))  # older than the trend: left out
    found = progress(Records(intervals=intervals, runs=runs), start, BERLIN, BREAK_MIN)
    warm, before, long = found.insights
    assert (warm.n, warm.ready) == (10, True)
    assert "ached (3/10 or more) 0 of 5 times (0%); runs without one, 5 of 5 (100%)" in warm.text
    assert (before.n, before.ready) == (10, True)
    assert "you sat 8.0 h on average (5 runs); before runs that did not, 4.0 h (5 runs)" in before.text
    assert (long.n, long.ready) == (10, True)
    assert "had 1.0 aches on average (5 weeks); weeks without, 0.0 (5 weeks)" in long.text
    assert all(NOT_CAUSE in item.text for item in found.insights)


# ---- properties --------------------------------------------------------------------------

WEEKS = (date(2026, 3, 23), date(2026, 10, 19), date(2026, 11, 16), date(2020, 12, 28))


@st.composite
def interval_lists(draw):
    start = draw(st.sampled_from(WEEKS))
    origin = local(start) - timedelta(hours=14)
    items = []
    for _ in range(draw(st.integers(0, 14))):
        begin = origin + timedelta(minutes=draw(st.integers(0, 8 * 24 * 60)))
        length = timedelta(minutes=draw(st.integers(0, 30 * 60)), seconds=draw(st.integers(0, 59)))
        items.append(Interval(draw(st.sampled_from(STATES)), begin, begin + length))
    return start, items


@settings(max_examples=75, deadline=None)
@given(interval_lists(), st.integers(1, 10))
def test_days_add_up_to_the_week_and_never_exceed_their_length(case, break_minutes):
    start, intervals = case
    days = week_days(start)
    by_day = days_stats(Records(intervals=intervals), days, BERLIN, timedelta(minutes=break_minutes))
    week = week_stats(start, by_day)
    assert week.totals.sitting_minutes == sum(day.sitting_minutes for day in week.days)
    assert week.totals.longest_bout_minutes == max(day.longest_bout_minutes for day in week.days)
    for day in week.days:
        window = day_bounds(day.day, BERLIN)
        length_minutes = (window[1] - window[0]).total_seconds() / 60
        # The same minutes as Today counts.
        assert day.sitting_minutes == int(seconds_in(intervals, (SITTING,), window) // 60)
        assert 0 <= day.sitting_minutes <= length_minutes
        assert 0 <= day.longest_bout_minutes <= length_minutes
        assert 0 <= day.active_hours <= round(length_minutes / 60)
        assert day.breaks_taken * break_minutes <= length_minutes  # breaks are disjoint, each break_min or more
        assert day.tracked == any(item.end > window[0] and item.start < window[1] and item.end > item.start
                                  for item in intervals)
    whole_week = (day_bounds(days[0], BERLIN)[0], day_bounds(days[-1], BERLIN)[1])
    week_minutes = int(seconds_in(intervals, (SITTING,), whole_week) // 60)
    assert 0 <= week_minutes - week.totals.sitting_minutes <= 6  # only whole minutes are lost, at most one a day


@settings(max_examples=75, deadline=None)
@given(interval_lists(), st.integers(0, 8 * 24 * 60), st.integers(0, 3 * 24 * 60))
def test_spans_agree_with_the_sitting_math(case, offset, length):
    start, intervals = case
    low = local(start) - timedelta(hours=14) + timedelta(minutes=offset)
    window = (low, low + timedelta(minutes=length))
    spans = Spans((item.start, item.end) for item in intervals if item.state == SITTING)
    assert spans.seconds(window) == pytest.approx(seconds_in(intervals, (SITTING,), window))
    assert all(window[0] <= a < b <= window[1] for a, b in spans.inside(window))


@pytest.mark.parametrize("text", ["2026-W4²", "2026-W²", "2026-W47-3", "20-26W47", "２０２６-W47"])
def test_parse_week_takes_ascii_digits_in_one_form_only(text):
    with pytest.raises(WeekError):
        parse_week(text)
