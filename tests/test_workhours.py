"""Working hours: the settings text, and where the hours start and end, also on the
days the clocks change."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from dateutil import tz
from hypothesis import given, settings, strategies as st

from glutetui.domain.workhours import WorkingHours, WorkingHoursError

UTC = timezone.utc
BERLIN = tz.gettz("Europe/Berlin")
TICK = timedelta(microseconds=1)
QUARTER = timedelta(minutes=15)
SPRING, AUTUMN = date(2026, 3, 29), date(2026, 10, 25)  # Sundays; Berlin skips 02:00-03:00, repeats it
SETTINGS = settings(max_examples=100, deadline=None)
OFFICE = WorkingHours.parse("Mon-Fri 08:00-18:00")


def berlin(day: date, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, fold=fold), tzinfo=BERLIN).astimezone(UTC)


# ---- the settings text -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "weekdays", "start", "end"), [
    ("Mon-Fri 08:00-18:00", {0, 1, 2, 3, 4}, time(8), time(18)),
    ("mon,tue,thu 09:00-17:30", {0, 1, 3}, time(9), time(17, 30)),
    ("Monday-Friday 8:00-18:00", {0, 1, 2, 3, 4}, time(8), time(18)),
    ("  Mon - Wed , Sat 7:05 - 9:10 ", {0, 1, 2, 5}, time(7, 5), time(9, 10)),
    ("Sun 00:00-01:00", {6}, time(0), time(1)),
])
def test_parse_reads_days_and_times(text, weekdays, start, end):
    hours = WorkingHours.parse(text)
    assert (hours.weekdays, hours.start, hours.end, hours.always) == (frozenset(weekdays), start, end, False)


def test_parse_always_and_the_end_of_the_day():
    assert WorkingHours.parse(" Always ").always
    assert str(WorkingHours.parse("always")) == "always"
    late = WorkingHours.parse("Sat 10:00-24:00")
    assert late.weekdays == {5}
    assert str(late) == "Sat 10:00-24:00"
    assert WorkingHours.parse(str(late)) == late


@pytest.mark.parametrize(("text", "problem"), [
    ("", "not like"),
    ("Mon-Fri", "not like"),
    ("08:00-18:00", "not like"),
    ("Mon-Fri 18:00-08:00", "ends at or before it starts"),
    ("Mon-Fri 08:00-08:00", "ends at or before it starts"),
    ("Fri-Mon 08:00-18:00", "runs backwards"),
    ("Xyz 08:00-18:00", "'xyz' is not a weekday"),
    ("Mo 08:00-18:00", "'mo' is not a weekday"),
    ("Mon,,Tue 08:00-18:00", "is not a weekday"),
    ("Mon- 08:00-18:00", "half a range"),
    ("Mon 25:00-26:00", "'25:00' is not a time of day"),
    ("Mon 08:60-09:00", "'08:60' is not a time of day"),
    ("Mon 08:00-24:01", "'24:01' is not a time of day"),
])
def test_parse_rejects_bad_text_and_names_the_problem(text, problem):
    with pytest.raises(WorkingHoursError, match=problem):
        WorkingHours.parse(text)


def test_str_writes_ranges_and_lists():
    assert str(OFFICE) == "Mon-Fri 08:00-18:00"
    assert str(WorkingHours.parse("Tue,Mon 9:00-17:30")) == "Mon,Tue 09:00-17:30"
    assert str(WorkingHours.parse("Mon,Wed-Fri 09:00-17:00")) == "Mon,Wed,Thu,Fri 09:00-17:00"


day_words = st.sampled_from(["Mon", "tue", "Wednesday", "THU", "fri", "Sat", "sunday", "Tues", "Xyz", "mo", ""])
day_parts = st.one_of(day_words, st.tuples(day_words, day_words).map("-".join))
clock_texts = st.tuples(st.integers(0, 26), st.integers(0, 61)).map(lambda hm: f"{hm[0]}:{hm[1]:02d}")
settings_texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="MonTuesWdhFriSatSu ,-:0123456789", max_size=30),
    st.builds(lambda days, start, end, gap: f"{','.join(days)}{gap}{start}-{end}",
              st.lists(day_parts, min_size=1, max_size=3), clock_texts, clock_texts, st.sampled_from([" ", "  ", ""])),
)


@SETTINGS
@given(settings_texts)
def test_any_text_parses_or_fails_with_working_hours_error_and_round_trips(text):
    try:
        hours = WorkingHours.parse(text)
    except WorkingHoursError as error:
        assert str(error)
        return
    assert hours.always or (hours.weekdays and hours.start < hours.end)
    assert WorkingHours.parse(str(hours)) == hours


# ---- inside or outside -----------------------------------------------------------------

MONDAY = date(2026, 11, 16)


def test_contains_at_the_edges_and_on_weekends():
    assert OFFICE.contains(berlin(MONDAY, 8), BERLIN)
    assert not OFFICE.contains(berlin(MONDAY, 8) - TICK, BERLIN)
    assert OFFICE.contains(berlin(MONDAY, 18) - TICK, BERLIN)
    assert not OFFICE.contains(berlin(MONDAY, 18), BERLIN)
    assert not OFFICE.contains(berlin(MONDAY - timedelta(days=1), 12), BERLIN)  # Sunday
    assert not OFFICE.contains(berlin(MONDAY - timedelta(days=2), 12), BERLIN)  # Saturday
    # 07:30 UTC is 08:30 in Berlin but 02:30 in New York.
    assert not OFFICE.contains(datetime(2026, 11, 16, 7, 30, tzinfo=UTC), tz.gettz("America/New_York"))


def test_always_is_always_in_and_never_changes():
    always = WorkingHours.parse("always")
    for moment in (berlin(SPRING, 3), berlin(AUTUMN, 2, 30, fold=1), berlin(MONDAY, 0)):
        assert always.contains(moment, BERLIN)
        assert always.next_change(moment, BERLIN) is None
    assert always.spans_within(berlin(SPRING, 0), berlin(SPRING, 12), BERLIN) == [(berlin(SPRING, 0), berlin(SPRING, 12))]


def test_a_day_ending_at_24_00_includes_the_last_instant_before_midnight():
    late = WorkingHours.parse("Sat 10:00-24:00")
    saturday = MONDAY - timedelta(days=2)
    assert late.contains(berlin(MONDAY - timedelta(days=1), 0) - TICK, BERLIN)
    assert not late.contains(berlin(MONDAY - timedelta(days=1), 0), BERLIN)
    assert late.next_change(berlin(saturday, 12), BERLIN) == berlin(MONDAY - timedelta(days=1), 0)
    assert late.spans_within(berlin(saturday, 0), berlin(MONDAY, 0), BERLIN) == [
        (berlin(saturday, 10), berlin(MONDAY - timedelta(days=1), 0))]


def test_every_day_all_day_never_changes():
    hours = WorkingHours.parse("Mon-Sun 00:00-24:00")
    assert hours.next_change(berlin(MONDAY, 12), BERLIN) is None
    assert hours.spans_within(berlin(MONDAY, 0), berlin(MONDAY, 0) + timedelta(days=9), BERLIN) == [
        (berlin(MONDAY, 0), berlin(MONDAY, 0) + timedelta(days=9))]


# ---- where the hours change ------------------------------------------------------------

def test_next_change_from_friday_evening_is_monday_morning():
    friday = date(2026, 3, 27)  # the weekend Berlin moves to summer time
    assert OFFICE.next_change(berlin(friday, 19), BERLIN) == berlin(friday + timedelta(days=3), 8)
    assert OFFICE.next_change(berlin(MONDAY, 7), BERLIN) == berlin(MONDAY, 8)
    assert OFFICE.next_change(berlin(MONDAY, 8), BERLIN) == berlin(MONDAY, 18)
    assert OFFICE.next_change(berlin(MONDAY, 18), BERLIN) == berlin(MONDAY + timedelta(days=1), 8)


def test_next_change_answers_in_the_zone_it_was_asked_in():
    asked = berlin(MONDAY, 7).astimezone(BERLIN)
    answer = OFFICE.next_change(asked, BERLIN)
    assert answer == berlin(MONDAY, 8) and answer.utcoffset() == timedelta(hours=1)


def test_around_the_skipped_hour_changes_are_real_moments():
    night = WorkingHours.parse("Mon-Sun 01:00-04:00")
    assert night.next_change(berlin(SPRING, 0, 30), BERLIN) == berlin(SPRING, 1)
    change = night.next_change(berlin(SPRING, 1, 30), BERLIN)
    assert change == berlin(SPRING, 4) == datetime(2026, 3, 29, 2, tzinfo=UTC)
    assert tz.datetime_exists(change.astimezone(BERLIN))
    day = (berlin(SPRING, 0), berlin(SPRING + timedelta(days=1), 0))
    assert night.spans_within(*day, BERLIN) == [(berlin(SPRING, 1), berlin(SPRING, 4))]  # two real hours


def test_hours_starting_in_the_skipped_hour_start_when_the_clocks_jump():
    # 02:30 never happens; at 03:00 CEST the local time is already past it.
    early = WorkingHours.parse("Sun 02:30-04:00")
    jump = datetime(2026, 3, 29, 1, tzinfo=UTC)  # 02:00 CET becomes 03:00 CEST
    assert early.contains(jump, BERLIN) and not early.contains(jump - TICK, BERLIN)
    assert early.next_change(berlin(SPRING, 0), BERLIN) == jump
    assert early.spans_within(berlin(SPRING, 0), berlin(SPRING, 12), BERLIN) == [(jump, berlin(SPRING, 4))]


def test_when_a_skipped_midnight_swallows_the_hours_the_change_is_a_week_later():
    # Havana jumps from 00:00 to 01:00 on Sunday 2026-03-08: that Sunday has no 00:00-00:15.
    havana = tz.gettz("America/Havana")
    brief = WorkingHours.parse("Sun 00:00-00:15")
    saturday = datetime(2026, 3, 8, 0, tzinfo=UTC)  # 19:00 on Saturday in Havana
    next_sunday = datetime(2026, 3, 15, 4, tzinfo=UTC)  # 00:00 CDT
    assert brief.next_change(saturday, havana) == next_sunday
    assert brief.spans_within(saturday, next_sunday + timedelta(hours=1), havana) == [
        (next_sunday, next_sunday + timedelta(minutes=15))]

def test_the_repeated_hour_is_inside_twice():
    # 01:00-02:30 on the 25-hour day: 01:00 CEST to 02:30 CEST, then again 02:00 CET to 02:30 CET.
    early = WorkingHours.parse("Sun 01:00-02:30")
    back = datetime(2026, 10, 25, 1, tzinfo=UTC)  # 03:00 CEST becomes 02:00 CET
    assert early.contains(back, BERLIN) and not early.contains(back - TICK, BERLIN)
    assert early.next_change(berlin(AUTUMN, 2, 30), BERLIN) == back
    assert early.spans_within(berlin(AUTUMN, 0), berlin(AUTUMN, 12), BERLIN) == [
        (berlin(AUTUMN, 1), berlin(AUTUMN, 2, 30)), (back, berlin(AUTUMN, 2, 30, fold=1))]


def test_a_week_of_office_hours_is_five_times_ten_hours():
    week = (berlin(MONDAY, 0), berlin(MONDAY + timedelta(days=7), 0))
    pieces = OFFICE.spans_within(*week, BERLIN)
    assert pieces == [(berlin(MONDAY + timedelta(days=n), 8), berlin(MONDAY + timedelta(days=n), 18)) for n in range(5)]
    # Across the spring switch too: each workday is still ten real hours.
    switch_week = (berlin(date(2026, 3, 23), 0), berlin(date(2026, 4, 6), 0))
    assert sum((end - start for start, end in OFFICE.spans_within(*switch_week, BERLIN)), timedelta()) == timedelta(hours=100)


def test_spans_within_a_gap_that_starts_and_ends_inside_hours():
    start, end = berlin(MONDAY, 17), berlin(MONDAY + timedelta(days=1), 9)
    assert OFFICE.spans_within(start, end, BERLIN) == [
        (start, berlin(MONDAY, 18)), (berlin(MONDAY + timedelta(days=1), 8), end)]
    assert OFFICE.spans_within(end, end, BERLIN) == []


# ---- any hours, any zone ---------------------------------------------------------------

# Each test zone with the days its clocks change; all of them change on a Sunday night.
SWITCHES = (
    ("Europe/Berlin", (SPRING, AUTUMN)),
    ("America/New_York", (date(2026, 3, 8), date(2026, 11, 1))),
    ("Australia/Lord_Howe", (date(2026, 4, 5), date(2026, 10, 4))),  # by 30 minutes
    ("America/Havana", (date(2026, 3, 8), date(2026, 11, 1))),  # at midnight itself
    ("UTC", (SPRING, AUTUMN)),
)


@st.composite
def any_hours(draw):
    if draw(st.integers(0, 9)) == 0:
        return WorkingHours.parse("always")
    days = draw(st.sets(st.integers(0, 6), min_size=1) | st.sets(st.integers(0, 6)).map(lambda d: d | {6}))
    # Quarter hours, often in the night, land inside the skipped and repeated hours.
    quarters = st.integers(0, 96) | st.integers(0, 16)
    start, end = sorted(draw(st.sets(quarters, min_size=2, max_size=2)))
    clock = lambda quarter: f"{quarter // 4}:{quarter % 4 * 15:02d}"  # noqa: E731
    names = ",".join(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day] for day in sorted(days))
    return WorkingHours.parse(f"{names} {clock(start)}-{clock(end)}")


@st.composite
def stretches(draw):
    """A zone and a stretch of time, usually over one of its switch days."""
    name, days = draw(st.sampled_from(SWITCHES))
    anchor = datetime.combine(draw(st.sampled_from(days)), time(0), tzinfo=UTC)
    start = anchor + timedelta(minutes=draw(st.integers(-2 * 1440, 1440)))
    return tz.gettz(name), start, start + timedelta(minutes=draw(st.integers(0, 3 * 1440)))


@SETTINGS
@given(any_hours(), stretches(), st.lists(st.floats(0, 1), max_size=20))
def test_spans_within_are_exactly_the_working_parts(hours, stretch, probes):
    zone, start, end = stretch
    pieces = hours.spans_within(start, end, zone)
    for low, high in pieces:
        assert start <= low < high <= end
        assert hours.contains(low, zone) and hours.contains(high - TICK, zone)
    for before, after in zip(pieces, pieces[1:]):
        assert before[1] < after[0]  # apart: touching pieces would be one
        assert not hours.contains(before[1], zone)
    # Every moment inside working hours is in a piece, and no other moment.
    edges = [moment for piece in pieces for moment in piece]
    moments = [start + (end - start) * probe for probe in probes] + [edge - TICK for edge in edges] + edges
    moments += [start + QUARTER * step for step in range(int((end - start) / QUARTER) + 1)]
    for moment in moments:
        if start <= moment < end:
            inside = any(low <= moment < high for low, high in pieces)
            assert inside == hours.contains(moment, zone), moment


@SETTINGS
@given(any_hours(), stretches())
def test_next_change_is_the_first_flip(hours, stretch):
    zone, moment, _ = stretch
    change = hours.next_change(moment, zone)
    if change is None:
        assert hours.always or hours.weekdays == set(range(7)) and str(hours).endswith("00:00-24:00")
        return
    assert change > moment
    assert hours.contains(change, zone) != hours.contains(moment, zone)
    assert hours.contains(change - TICK, zone) == hours.contains(moment, zone)
    assert tz.datetime_exists(change.astimezone(zone))
