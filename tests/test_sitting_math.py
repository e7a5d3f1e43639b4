"""Sitting math: days of 23, 24 or 25 hours, overlaps counted once, bouts, breaks,
active hours and the timeline bar, checked against a brute-force sweep."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from dateutil import tz
from hypothesis import given, settings, strategies as st

from glutetui.domain.sitting import (
    AWAY, BREAK, SITTING, STANDING, STATES, UP_STATES, Bout, Interval, active_hours, bouts,
    bouts_in, breaks_taken, current_bout, day_bounds, hour_starts, longest_bout, seconds_in,
    sitting_seconds_by_day, timeline,
)

UTC = timezone.utc
BERLIN = tz.gettz("Europe/Berlin")
HOUR, MINUTE, TICK = timedelta(hours=1), timedelta(minutes=1), timedelta(microseconds=1)
SPRING, AUTUMN, JUNE = date(2026, 3, 29), date(2026, 10, 25), date(2026, 6, 15)  # Berlin's switches

# Lord Howe moves by 30 minutes; Havana skips and repeats midnight itself.
ZONE_NAMES = ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC", "America/Havana")
# Switch days: US and Havana spring, EU spring, Lord Howe autumn and spring, EU autumn, US and Havana autumn.
ANCHORS = (date(2026, 3, 8), SPRING, date(2026, 4, 5), date(2026, 10, 4), AUTUMN, date(2026, 11, 1))

SETTINGS = settings(max_examples=100, deadline=None)


def local(day: date, hour: int, minute: int = 0, zone=BERLIN, fold: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, fold=fold), tzinfo=zone).astimezone(UTC)


def hours(seconds: float) -> float:
    return seconds / 3600


# ---- the brute-force reference ---------------------------------------------------------

def pieces(intervals, states, window=None):
    """Elementary pieces between all interval ends, kept where some interval of `states` covers them."""
    points = {moment for item in intervals for moment in (item.start, item.end)}
    if window is not None:
        points |= {moment for moment in window if moment}
        points = {min(max(moment, window[0]), window[1]) for moment in points}
    ordered = sorted(points)
    return [
        (low, high) for low, high in zip(ordered, ordered[1:])
        if any(item.state in states and item.start <= low and high <= item.end for item in intervals)
    ]


def merged(intervals, states, window=None):
    out = []
    for low, high in pieces(intervals, states, window):
        if out and out[-1][1] == low:
            out[-1] = (out[-1][0], high)
        else:
            out.append((low, high))
    return out


def covered_seconds(intervals, states, window):
    return sum((high - low).total_seconds() for low, high in pieces(intervals, states, window))


# ---- strategies ------------------------------------------------------------------------

zones = st.sampled_from(ZONE_NAMES).map(tz.gettz)
anchors = st.sampled_from(ANCHORS).map(lambda day: datetime.combine(day, time(0), tzinfo=UTC))
break_mins = st.one_of(st.just(MINUTE), st.integers(1, 1800).map(lambda s: timedelta(seconds=s)))


def moments(anchor: datetime):
    # Whole minutes hit midnights and the switch moments; odd seconds too.
    offsets = st.one_of(st.integers(-3 * 1440, 3 * 1440).map(lambda m: m * 60),
                        st.integers(-3 * 86400, 3 * 86400))
    return offsets.map(lambda s: anchor + timedelta(seconds=s))


@st.composite
def interval_lists(draw, anchor, max_size=8):
    found = []
    for _ in range(draw(st.integers(0, max_size))):
        start = draw(moments(anchor))
        length = draw(st.one_of(st.integers(0, 120), st.integers(0, 36 * 60)))
        found.append(Interval(draw(st.sampled_from(STATES)), start, start + length * MINUTE))
    return found


@st.composite
def cases(draw):
    """Intervals around one switch day, a window there, and a zone."""
    anchor = draw(anchors)
    intervals = draw(interval_lists(anchor))
    low, high = sorted((draw(moments(anchor)), draw(moments(anchor))))
    return intervals, (low, high), draw(zones)


# ---- days ------------------------------------------------------------------------------

@pytest.mark.parametrize(("zone", "day", "length"), [
    ("Europe/Berlin", SPRING, 23), ("Europe/Berlin", AUTUMN, 25), ("Europe/Berlin", JUNE, 24),
    ("America/New_York", date(2026, 3, 8), 23), ("America/New_York", date(2026, 11, 1), 25),
    ("Australia/Lord_Howe", date(2026, 4, 5), 24.5), ("Australia/Lord_Howe", date(2026, 10, 4), 23.5),
    ("America/Havana", date(2026, 3, 8), 23), ("America/Havana", date(2026, 11, 1), 25),
    ("UTC", SPRING, 24),
])
def test_day_bounds_know_short_and_long_days(zone, day, length):
    start, end = day_bounds(day, tz.gettz(zone))
    assert hours((end - start).total_seconds()) == length
    assert start.tzinfo is not None and start.utcoffset() == timedelta(0)


def test_a_day_whose_midnight_is_skipped_starts_at_its_first_real_moment():
    havana = tz.gettz("America/Havana")
    start, _ = day_bounds(date(2026, 3, 8), havana)  # 00:00 jumps to 01:00
    assert start == datetime(2026, 3, 8, 5, tzinfo=UTC)
    assert start.astimezone(havana).time() == time(1)
    assert day_bounds(date(2026, 3, 7), havana)[1] == start


@SETTINGS
@given(zone=zones, anchor=st.sampled_from(ANCHORS), shift=st.integers(-5, 5))
def test_day_bounds_cut_exactly_where_the_local_date_changes(zone, anchor, shift):
    day = anchor + timedelta(days=shift)
    start, end = day_bounds(day, zone)
    assert start.astimezone(zone).date() == day
    assert (start - TICK).astimezone(zone).date() == day - timedelta(days=1)
    assert (end - TICK).astimezone(zone).date() == day
    assert end.astimezone(zone).date() == day + timedelta(days=1)
    assert day_bounds(day + timedelta(days=1), zone)[0] == end


def test_sitting_all_day_on_the_25_hour_day_counts_25_hours_less_the_last_minute():
    day = [Interval(SITTING, local(AUTUMN, 0), local(AUTUMN, 23, 59))]
    assert sitting_seconds_by_day(day, BERLIN) == {AUTUMN: 25 * 3600 - 60}
    spring = [Interval(SITTING, local(SPRING, 0), local(SPRING, 23, 59))]
    assert sitting_seconds_by_day(spring, BERLIN) == {SPRING: 23 * 3600 - 60}


def test_an_interval_across_midnight_is_split_between_the_days():
    night = [Interval(SITTING, local(JUNE, 23, 30), local(JUNE + timedelta(days=1), 0, 30))]
    assert sitting_seconds_by_day(night, BERLIN) == {JUNE: 1800, JUNE + timedelta(days=1): 1800}


def test_the_repeated_hour_counts_twice_and_overlaps_once():
    # 01:30 CEST to 02:30 CET is two real hours on the 25-hour day.
    start, end = local(AUTUMN, 1, 30), local(AUTUMN, 2, 30, fold=1)
    twice = [Interval(SITTING, start, end), Interval(SITTING, start, end), Interval(STANDING, start, end)]
    assert sitting_seconds_by_day(twice, BERLIN) == {AUTUMN: 7200}
    assert seconds_in(twice, (SITTING, STANDING), day_bounds(AUTUMN, BERLIN)) == 7200


def test_days_with_no_sitting_are_left_out():
    standing = [Interval(STANDING, local(JUNE, 9), local(JUNE, 10)),
                Interval(SITTING, local(JUNE, 11), local(JUNE, 11))]
    assert sitting_seconds_by_day(standing, BERLIN) == {}


@SETTINGS
@given(cases())
def test_sitting_by_day_adds_up_to_the_whole_and_fits_each_day(case):
    intervals, _, zone = case
    by_day = sitting_seconds_by_day(intervals, zone)
    if intervals:
        whole = (min(item.start for item in intervals), max(item.end for item in intervals))
        assert sum(by_day.values()) == pytest.approx(seconds_in(intervals, (SITTING,), whole), abs=1e-6)
        assert sum(by_day.values()) == pytest.approx(covered_seconds(intervals, (SITTING,), whole), abs=1e-6)
    touched = set()
    for low, high in pieces(intervals, (SITTING,)):
        day = low.astimezone(zone).date()
        while day <= (high - TICK).astimezone(zone).date():
            touched.add(day)
            day += timedelta(days=1)
    assert set(by_day) == touched
    for day, seconds in by_day.items():
        start, end = day_bounds(day, zone)
        assert 0 < seconds <= (end - start).total_seconds()


# ---- totals over a window --------------------------------------------------------------

@SETTINGS
@given(cases(), st.sets(st.sampled_from(STATES)))
def test_seconds_in_is_the_length_of_the_union_inside_the_window(case, states):
    intervals, window, _ = case
    states = tuple(sorted(states))
    total = seconds_in(intervals, states, window)
    assert 0 <= total <= (window[1] - window[0]).total_seconds()
    assert total == pytest.approx(covered_seconds(intervals, states, window), abs=1e-6)
    # Listing every interval twice changes nothing.
    assert seconds_in(intervals + intervals[::-1], states, window) == pytest.approx(total, abs=1e-6)


def test_overlapping_intervals_of_one_state_count_once():
    window = day_bounds(JUNE, BERLIN)
    two_computers = [Interval(SITTING, local(JUNE, 9), local(JUNE, 11)),
                     Interval(SITTING, local(JUNE, 10), local(JUNE, 12))]
    assert seconds_in(two_computers, (SITTING,), window) == 3 * 3600
    assert seconds_in(two_computers, (SITTING,), (local(JUNE, 10, 30), local(JUNE, 11))) == 1800
    assert seconds_in(two_computers, (STANDING,), window) == 0


def test_an_empty_or_reversed_window_holds_nothing():
    nine = local(JUNE, 9)
    sat = [Interval(SITTING, nine, nine + 2 * HOUR)]
    assert seconds_in(sat, (SITTING,), (nine + 90 * MINUTE, nine + HOUR)) == 0
    assert seconds_in(sat, (SITTING,), (nine + HOUR, nine + HOUR)) == 0
    assert bouts_in(sat, MINUTE, (nine + HOUR, nine + HOUR)) == []
    assert longest_bout(sat, MINUTE, (nine + HOUR, nine + HOUR)) is None


@SETTINGS
@given(cases(), break_mins, st.integers(1, 30))
def test_a_window_written_in_local_time_gives_the_same_answers(case, break_min, cells):
    intervals, window, zone = case
    written = tuple(moment.astimezone(zone) for moment in window)
    assert seconds_in(intervals, STATES, written) == seconds_in(intervals, STATES, window)
    assert bouts_in(intervals, break_min, written) == bouts_in(intervals, break_min, window)
    assert breaks_taken(intervals, break_min, written) == breaks_taken(intervals, break_min, window)
    assert active_hours(intervals, written) == active_hours(intervals, window)
    assert timeline(intervals, written, cells) == timeline(intervals, window, cells)

# ---- bouts -----------------------------------------------------------------------------

@SETTINGS
@given(cases(), break_mins)
def test_bouts_are_sorted_apart_and_cover_all_sitting(case, break_min):
    intervals, _, _ = case
    found = bouts(intervals, break_min)
    for bout in found:
        assert bout.seconds >= 0 and bout.start <= bout.end
    for before, after in zip(found, found[1:]):
        assert after.start - before.end >= break_min
    sitting = merged(intervals, (SITTING,))
    for low, high in sitting:
        assert any(bout.start <= low and high <= bout.end for bout in found)
    # Inside a bout every gap in the sitting is shorter than break_min, and it starts and ends sitting.
    for bout in found:
        inside = [(low, high) for low, high in sitting if bout.start <= low and high <= bout.end]
        assert inside and inside[0][0] == bout.start and inside[-1][1] == bout.end
        assert all(after[0] - before[1] < break_min for before, after in zip(inside, inside[1:]))


@SETTINGS
@given(cases(), break_mins)
def test_bouts_in_a_window_are_the_bouts_cut_to_it(case, break_min):
    intervals, window, _ = case
    cut = bouts_in(intervals, break_min, window)
    for bout in cut:
        assert window[0] <= bout.start < bout.end <= window[1]
    whole = sum(bout.seconds for bout in bouts(intervals, break_min))
    assert sum(bout.seconds for bout in cut) <= whole + 1e-6
    longest = longest_bout(intervals, break_min, window)
    assert (longest is None) == (not cut)
    if cut:
        assert longest.seconds == max(bout.seconds for bout in cut)


def _sit_stand_sit(pause: timedelta) -> list[Interval]:
    start = local(JUNE, 9)
    return [Interval(SITTING, start, start + 20 * MINUTE),
            Interval(STANDING, start + 20 * MINUTE, start + 20 * MINUTE + pause),
            Interval(SITTING, start + 20 * MINUTE + pause, start + 40 * MINUTE)]


def test_a_30_second_stand_does_not_end_a_bout_but_a_minute_does():
    short = bouts(_sit_stand_sit(timedelta(seconds=30)), MINUTE)
    assert short == [Bout(local(JUNE, 9), local(JUNE, 9, 40))]
    long = bouts(_sit_stand_sit(MINUTE), MINUTE)
    assert long == [Bout(local(JUNE, 9), local(JUNE, 9, 20)), Bout(local(JUNE, 9, 21), local(JUNE, 9, 40))]


def test_a_minute_with_nothing_recorded_ends_a_bout_too():
    gap = [item for item in _sit_stand_sit(MINUTE) if item.state == SITTING]
    assert len(bouts(gap, MINUTE)) == 2
    assert len(bouts([item for item in _sit_stand_sit(timedelta(seconds=59)) if item.state == SITTING], MINUTE)) == 1


def test_current_bout_survives_a_short_stand_and_ends_after_break_min():
    start = local(JUNE, 9)
    sat = [Interval(SITTING, start, start + 30 * MINUTE),
           Interval(STANDING, start + 30 * MINUTE, start + 32 * MINUTE)]
    bout = Bout(start, start + 30 * MINUTE)
    assert current_bout(sat, start + 30 * MINUTE, MINUTE) == bout  # still sitting
    assert current_bout(sat, start + 30 * MINUTE + timedelta(seconds=30), MINUTE) == bout
    assert current_bout(sat, start + 31 * MINUTE, MINUTE) is None
    assert current_bout([], start, MINUTE) is None


def test_the_longest_bout_of_a_day_is_cut_at_midnight():
    evening = local(JUNE, 22)
    overnight = [Interval(SITTING, evening, evening + 4 * HOUR),  # 22:00 to 02:00
                 Interval(SITTING, local(JUNE, 10), local(JUNE, 11, 30))]
    next_day = JUNE + timedelta(days=1)
    assert longest_bout(overnight, MINUTE, day_bounds(JUNE, BERLIN)) == Bout(evening, local(next_day, 0))
    assert longest_bout(overnight, MINUTE, day_bounds(next_day, BERLIN)) == Bout(local(next_day, 0), local(next_day, 2))
    assert longest_bout(overnight, MINUTE, day_bounds(JUNE + timedelta(days=2), BERLIN)) is None


# ---- breaks and active hours -----------------------------------------------------------

@SETTINGS
@given(cases(), break_mins)
def test_breaks_count_the_long_enough_up_stretches_in_the_window(case, break_min):
    intervals, window, _ = case
    taken = breaks_taken(intervals, break_min, window)
    stretches = merged(intervals, UP_STATES, window)
    assert taken == sum(1 for low, high in stretches if high - low >= break_min)
    assert 0 <= taken <= len(stretches)


def test_breaks_merge_touching_up_states_and_skip_short_ones():
    start = local(JUNE, 9)
    day = [Interval(STANDING, start, start + timedelta(seconds=30)),
           Interval(BREAK, start + timedelta(seconds=30), start + MINUTE),  # one stretch with the stand
           Interval(SITTING, start + MINUTE, start + HOUR),
           Interval(AWAY, start + HOUR, start + HOUR + timedelta(seconds=59))]
    assert breaks_taken(day, MINUTE, day_bounds(JUNE, BERLIN)) == 1


def _reference_hours(window):
    starts, moment = [], window[0]
    while moment < window[1]:
        starts.append(moment)
        moment += HOUR
    return starts


@SETTINGS
@given(cases())
def test_active_hours_have_a_minute_up_each(case):
    intervals, window, _ = case
    found = active_hours(intervals, window)
    expected = [start for start in _reference_hours(window)
                if covered_seconds(intervals, UP_STATES, (start, min(start + HOUR, window[1]))) >= 60]
    assert found == expected
    assert len(found) <= len(hour_starts(window))


@pytest.mark.parametrize(("day", "count"), [(AUTUMN, 25), (SPRING, 23), (JUNE, 24)])
def test_a_day_of_standing_has_one_active_hour_per_real_hour(day, count):
    window = day_bounds(day, BERLIN)
    standing = [Interval(STANDING, *window)]
    assert len(hour_starts(window)) == count
    assert len(active_hours(standing, window)) == count
    assert active_hours([Interval(SITTING, *window)], window) == []


def test_an_hour_needs_a_full_minute_up():
    window = day_bounds(JUNE, BERLIN)
    nine = local(JUNE, 9)
    almost = [Interval(STANDING, nine + 10 * MINUTE, nine + 10 * MINUTE + timedelta(seconds=59))]
    assert active_hours(almost, window) == []
    split = [Interval(AWAY, nine + 59 * MINUTE + timedelta(seconds=30), nine + 60 * MINUTE + timedelta(seconds=30))]
    assert active_hours(split, window) == []  # 30 s in each of two hours
    assert active_hours([Interval(BREAK, nine, nine + MINUTE)], window) == [nine]


def test_a_window_given_in_local_time_still_has_25_hours():
    # The same instants written in Berlin time: stepping a wall clock would give 24.
    window = tuple(moment.astimezone(BERLIN) for moment in day_bounds(AUTUMN, BERLIN))
    assert len(hour_starts(window)) == 25
    assert len(active_hours([Interval(STANDING, *day_bounds(AUTUMN, BERLIN))], window)) == 25


# ---- the timeline bar ------------------------------------------------------------------

def _cell(window, index, cells):
    return window[0] + (window[1] - window[0]) * index / cells


@SETTINGS
@given(cases(), st.integers(1, 60))
def test_timeline_cells_hold_the_main_state_or_none_when_nothing_is_recorded(case, cells):
    intervals, window, _ = case
    bar = timeline(intervals, window, cells)
    if window[1] <= window[0]:
        assert bar == []
        return
    assert len(bar) == cells
    for index, entry in enumerate(bar):
        cell = (_cell(window, index, cells), _cell(window, index + 1, cells))
        recorded = any(item.start < cell[1] and item.end > cell[0] and item.end > item.start for item in intervals)
        assert (entry is None) == (not recorded), (index, cell)
        if entry is not None:
            held = {state: covered_seconds(intervals, (state,), cell) for state in STATES}
            assert entry in STATES and held[entry] == max(held.values()) > 0


def test_timeline_of_a_day_never_shows_the_next_day():
    window = day_bounds(JUNE, BERLIN)
    tomorrow = [Interval(SITTING, window[1], window[1] + HOUR)]
    for cells in (7, 11, 13):
        assert timeline(tomorrow, window, cells) == [None] * cells


def test_timeline_of_a_minute_in_seven_cells_stays_inside_it():
    start = local(JUNE, 9)
    after = [Interval(STANDING, start + MINUTE, start + 2 * MINUTE)]
    assert timeline(after, (start, start + MINUTE), 7) == [None] * 7


def test_timeline_puts_the_evening_at_the_end_of_a_25_hour_day():
    window = day_bounds(AUTUMN, BERLIN)
    evening = [Interval(SITTING, local(AUTUMN, 19), local(AUTUMN, 23))]
    bar = timeline(evening, window, 25)  # one cell per real hour
    assert bar == [None] * 20 + [SITTING] * 4 + [None]
    local_window = tuple(moment.astimezone(BERLIN) for moment in window)
    assert timeline(evening, local_window, 25) == bar


def test_timeline_edge_cases():
    window = day_bounds(JUNE, BERLIN)
    assert timeline([], window, 0) == []
    assert timeline([], (window[1], window[0]), 5) == []
    assert timeline([], window, 3) == [None, None, None]
