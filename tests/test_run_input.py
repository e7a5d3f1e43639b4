"""What a runner types when logging a run: each accepted form, the limits, the messages,
and round trips through the texts the app writes, also on the days the clocks change."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz
from hypothesis import given, settings, strategies as st

from glutetui.domain.run_input import (
    HALF_MARATHON_M, KM, MARATHON_M, METRES_PER_MILE, MI, UNITS, RunInputError, distance_text,
    duration_text, pace_text, parse_distance, parse_duration, parse_rpe, parse_when, when_text,
)

UTC = timezone.utc
BERLIN = tz.gettz("Europe/Berlin")
NEW_YORK = tz.gettz("America/New_York")
# A Wednesday, 15:30 in Berlin; the seconds make "now" fall between two minutes.
NOW = datetime(2026, 11, 18, 14, 30, 27, tzinfo=UTC)
SETTINGS = settings(max_examples=200, deadline=None)
MILE = METRES_PER_MILE


def berlin(day: date, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, fold=fold), tzinfo=BERLIN).astimezone(UTC)


def when(text: str, now: datetime = NOW, zone=BERLIN) -> datetime:
    return parse_when(text, now, zone)


# ---- distance --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "metres"), [
    ("5k", 5000), ("5 km", 5000), ("5km", 5000), ("5,2 km", 5200), ("5.2k", 5200), ("5,2k", 5200),
    ("3.1 mi", 3.1 * MILE), ("3.1mi", 3.1 * MILE), ("3.1 miles", 3.1 * MILE), ("1 mile", MILE),
    ("10000 m", 10000), ("10000m", 10000), ("800 m", 800), ("400 metres", 400), (".5 km", 500),
    ("half", HALF_MARATHON_M), ("half marathon", HALF_MARATHON_M), ("Half  Marathon", HALF_MARATHON_M),
    ("marathon", MARATHON_M), ("  5 KM  ", 5000), ("3.1 MI", 3.1 * MILE), ("10 kilometres", 10000),
])
def test_parse_distance_reads_what_runners_type(text, metres):
    assert parse_distance(text) == pytest.approx(metres)


@pytest.mark.parametrize(("text", "metres"), [
    ("1000 km", 1_000_000), ("1000000 m", 1_000_000), ("999.99 km", 999_990), ("621.37 mi", 621.37 * MILE),
    ("0.001 m", 0.001), ("0.01 km", 10),
])
def test_parse_distance_takes_everything_up_to_1000_km(text, metres):
    assert parse_distance(text) == pytest.approx(metres)


@pytest.mark.parametrize(("text", "unit", "metres"), [
    ("10", KM, 10_000), ("10", MI, 10 * MILE), ("5,2", KM, 5200), ("5.2", KM, 5200), ("6.2", MI, 6.2 * MILE),
    (".5", KM, 500), ("  42 ", KM, 42_000), ("300", KM, 300_000), ("186", MI, 186 * MILE), ("0.001", KM, 1),
])
def test_a_bare_number_is_in_the_runners_unit(text, unit, metres):
    assert parse_distance(text, unit) == pytest.approx(metres)


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize(("text", "metres"), [
    ("10 km", 10_000), ("6.2 mi", 6.2 * MILE), ("800 m", 800), ("5k", 5000), ("half", HALF_MARATHON_M),
])
def test_a_typed_unit_wins_over_the_runners_unit(text, metres, unit):
    assert parse_distance(text, unit) == pytest.approx(metres)


@pytest.mark.parametrize(("text", "unit", "problem"), [
    ("800", KM, "'800' has no unit, and 800 km would be a very long run; write 800 m, or 800 km if it was"),
    ("187", MI, "'187' has no unit, and 187 mi would be a very long run; write 187 m, or 187 mi if it was"),
    ("10000", KM, "is more than 1000 km; check the unit"), ("0", MI, "is zero"),
    ("1,500", KM, "is the comma a decimal point? write 1500 km or 1.500 km"),
])
def test_a_bare_number_too_far_for_a_run_in_that_unit_asks_for_the_unit(text, unit, problem):
    with pytest.raises(RunInputError, match=re.escape(problem)) as caught:
        parse_distance(text, unit)
    assert caught.value.field == "distance"


def test_a_bare_number_is_only_read_in_a_known_unit():
    with pytest.raises(RunInputError, match="has no unit; write 10 km, 10 mi or 10 m"):
        parse_distance("10")  # no unit given: nothing to read it in
    with pytest.raises(ValueError, match="unknown distance unit"):
        parse_distance("10", "m")
    assert parse_distance("800 m", None) == 800


@SETTINGS
@given(st.sampled_from(UNITS), st.decimals(min_value="0.01", max_value="186", places=2))
def test_a_bare_number_reads_as_the_same_number_with_the_unit_typed(unit, number):
    assert parse_distance(str(number), unit) == parse_distance(f"{number} {unit}")


@pytest.mark.parametrize(("text", "problem"), [
    ("1000.01 km", "more than 1000 km"), ("1000001 m", "more than 1000 km"), ("621.38 mi", "more than 1000 km"),
    ("9" * 5000 + " km", "more than 1000 km"),
    ("0 km", "is zero"), ("0.00 mi", "is zero"), ("0m", "is zero"), (",0 km", "is zero"),
    ("5", "has no unit"), ("5,2", "has no unit"), ("10000", "has no unit"),
    ("1,500 m", "is the comma a decimal point"),
    ("5 kmm", "is not a distance"), ("-5 km", "is not a distance"), ("5 km 200 m", "is not a distance"),
    ("five km", "is not a distance"), ("5..2 km", "is not a distance"), ("km", "is not a distance"),
    ("\u0665 km", "is not a distance"),  # an Arabic-Indic five: digits are ASCII only
    ("", "is empty"), ("   ", "is empty"),
])
def test_parse_distance_refuses_and_says_why(text, problem):
    with pytest.raises(RunInputError, match=problem) as caught:
        parse_distance(text)
    assert caught.value.field == "distance"


def test_a_misspelled_unit_gets_the_documented_message():
    with pytest.raises(RunInputError) as caught:
        parse_distance("5 kmm")
    assert str(caught.value) == ("'5 kmm' is not a distance; "
                                 "write it like 5k, 5 km, 5,2 km, 3.1 mi, 10000 m, half or marathon")


def test_distance_text_has_two_decimals_in_either_unit():
    assert distance_text(5000, KM) == "5.00 km"
    assert distance_text(5000, MI) == "3.11 mi"
    assert distance_text(HALF_MARATHON_M, KM) == "21.10 km"
    assert distance_text(MARATHON_M, MI) == "26.22 mi"
    assert UNITS == (KM, MI)
    with pytest.raises(ValueError, match="unknown distance unit"):
        distance_text(5000, "m")


# Two decimals are steps of 10 m in km and of a mile/100 (about 16.1 m) in miles:
# rounding to the nearest step is off by at most half of one (plus float noise).
@SETTINGS
@given(st.floats(min_value=10, max_value=1_000_000))
def test_distance_round_trips_in_km_within_5_m(metres):
    assert abs(parse_distance(distance_text(metres, KM)) - metres) <= 5 + 1e-6


@SETTINGS
@given(st.floats(min_value=20, max_value=1_000_000))
def test_distance_round_trips_in_miles_within_half_a_hundredth_mile(metres):
    assert abs(parse_distance(distance_text(metres, MI)) - metres) <= MILE / 200 + 1e-6


# ---- duration --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "seconds"), [
    ("28:30", 28 * 60 + 30), ("1:02:15", 3735), ("0:45", 45), ("00:28:30", 1710),
    ("45m", 2700), ("45 min", 2700), ("45 minutes", 2700), ("90 min", 5400),
    ("1h05", 3900), ("1h5", 3900), ("1 h 05", 3900), ("1h 05m", 3900), ("1h05m", 3900),
    ("1h", 3600), ("2 hours", 7200), ("90s", 90), ("90 sec", 90), ("45m 30s", 2730),
    ("1h 2m 3s", 3723), ("  1H05  ", 3900), ("28:30 ", 1710),
])
def test_parse_duration_reads_what_runners_type(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(("text", "seconds"), [
    ("0:01", 1), ("1s", 1), ("47:59:59", 48 * 3600 - 1), ("2879 min", 2879 * 60), ("172799s", 172799),
    ("59:59", 3599), ("1:59:59", 7199), ("1h59", 7140), ("1h 59m 59s", 7199), ("0:59", 59),
])
def test_parse_duration_takes_everything_from_1_second_to_under_48_hours(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(("text", "problem"), [
    ("0:00", "is zero"), ("0s", "is zero"), ("0 min", "is zero"), ("0:00:00", "is zero"),
    ("48:00:00", "48 hours or more"), ("2880 min", "48 hours or more"), ("172800s", "48 hours or more"),
    ("48h", "48 hours or more"), ("9" * 5000 + "s", "48 hours or more"),
    ("28:60", "60 seconds"), ("1:02:60", "60 seconds"), ("1:60:00", "60 minutes"), ("60:00", "60 minutes"),
    ("75:00", "75 minutes"), ("1h60", "60 minutes"), ("1h 75m", "75 minutes"), ("5m 60s", "60 seconds"),
    ("28.5", "is unclear"), ("28,30", "is unclear"), ("99999", "48 hours or more"),
    ("28:5", "is not a duration"), ("1:2:3", "is not a duration"), ("28:30.5", "is not a duration"),
    ("1:02:15:00", "is not a duration"), ("-28:30", "is not a duration"), ("half an hour", "is not a duration"),
    ("1.5h", "is not a duration"), ("45 kmh", "is not a duration"),
    ("", "is empty"), (" \t ", "is empty"),
])
def test_parse_duration_refuses_and_says_why(text, problem):
    with pytest.raises(RunInputError, match=problem) as caught:
        parse_duration(text)
    assert caught.value.field == "duration"


@pytest.mark.parametrize(("text", "seconds"), [
    ("25", 1500), ("1", 60), ("90", 5400), ("007", 420), (" 45 ", 2700), ("2879", 2879 * 60),
])
def test_a_bare_whole_number_is_minutes(text, seconds):
    assert parse_duration(text) == seconds == parse_duration(f"{text.strip()} min")


def test_a_bare_decimal_duration_is_refused_not_guessed():
    # 28.30 is 28:30 on some watches and 28.3 minutes (28:18) in a spreadsheet.
    with pytest.raises(RunInputError) as caught:
        parse_duration("28.30")
    assert str(caught.value) == ("the duration '28.30' is unclear; write minutes and seconds like 28:30, "
                                 "or whole minutes like 28")


def test_a_field_past_59_is_shown_carried_over_not_guessed():
    with pytest.raises(RunInputError, match="write it like 1:15:00"):
        parse_duration("75:00")
    with pytest.raises(RunInputError, match="write it like 29:15"):
        parse_duration("28:75")


@pytest.mark.parametrize(("seconds", "text"), [
    (1, "0:01"), (59, "0:59"), (1710, "28:30"), (3599, "59:59"), (3600, "1:00:00"), (3735, "1:02:15"),
    (48 * 3600 - 1, "47:59:59"),
])
def test_duration_text_is_what_a_watch_shows(seconds, text):
    assert duration_text(seconds) == text


@SETTINGS
@given(st.integers(min_value=1, max_value=48 * 3600 - 1))
def test_duration_round_trips_exactly(seconds):
    assert parse_duration(duration_text(seconds)) == seconds


# ---- pace ------------------------------------------------------------------------------

@pytest.mark.parametrize(("metres", "seconds", "unit", "text"), [
    (5000, 1710, KM, "5:42 /km"), (MILE, 550, MI, "9:10 /mi"), (1000, 300, KM, "5:00 /km"),
    (1000, 359.6, KM, "6:00 /km"),  # rounded as a whole, never 5:60
    (100, 400, KM, "1:06:40 /km"), (MARATHON_M, 3 * 3600, KM, "4:16 /km"),
])
def test_pace_text_is_time_per_unit_to_the_second(metres, seconds, unit, text):
    assert pace_text(metres, seconds, unit) == text


def test_pace_text_refuses_no_distance_and_unknown_units():
    with pytest.raises(ValueError, match="above 0"):
        pace_text(0, 100, KM)
    with pytest.raises(ValueError, match="unknown distance unit"):
        pace_text(5000, 1500, "m")


# ---- when ------------------------------------------------------------------------------

TODAY, YESTERDAY = date(2026, 11, 18), date(2026, 11, 17)  # Wednesday, Tuesday


@pytest.mark.parametrize(("text", "expected"), [
    ("today 07:00", berlin(TODAY, 7)), ("Today 7:05", berlin(TODAY, 7, 5)), ("today 7am", berlin(TODAY, 7)),
    ("yesterday 18:00", berlin(YESTERDAY, 18)), ("yesterday at 6:30 pm", berlin(YESTERDAY, 18, 30)),
    ("yesterday 18", berlin(YESTERDAY, 18)), ("yesterday 12am", berlin(YESTERDAY, 0)),
    ("yesterday 12pm", berlin(YESTERDAY, 12)), ("yesterday", berlin(YESTERDAY, 18)),
    ("2026-11-17 7am", berlin(YESTERDAY, 7)), ("2026-11-17 07:00", berlin(YESTERDAY, 7)),
    ("2026-11-17", berlin(YESTERDAY, 18)), ("17 Nov 2026 7:15", berlin(YESTERDAY, 7, 15)),
    ("07:00", berlin(TODAY, 7)), ("7am", berlin(TODAY, 7)),
    ("monday evening", berlin(date(2026, 11, 16), 18)), ("Monday", berlin(date(2026, 11, 16), 18)),
    ("mon morning", berlin(date(2026, 11, 16), 7)), ("tues noon", berlin(YESTERDAY, 12)),
    ("sunday afternoon", berlin(date(2026, 11, 15), 15)), ("saturday night", berlin(date(2026, 11, 14), 21)),
    ("thursday 6:45", berlin(date(2026, 11, 12), 6, 45)),  # the latest Thursday is last week's
    ("wednesday morning", berlin(TODAY, 7)),  # today's own weekday is today
    ("this morning", berlin(TODAY, 7)), ("last night", berlin(YESTERDAY, 21)),
    ("  YESTERDAY   18:00 ", berlin(YESTERDAY, 18)),
    ("sat 14 nov 2026", berlin(date(2026, 11, 14), 18)),  # a date for dateutil, not a time on Saturday
    ("2026-11-17T07:00Z", datetime(2026, 11, 17, 7, tzinfo=UTC)),
    ("2026-11-17 07:00 UTC", datetime(2026, 11, 17, 7, tzinfo=UTC)),
    ("2026-11-17 07:00 -05:00", datetime(2026, 11, 17, 12, tzinfo=UTC)),
])
def test_parse_when_reads_what_runners_type(text, expected):
    moment = when(text)
    assert moment == expected
    assert moment.utcoffset() == timedelta(0)


def test_now_is_now_in_utc():
    assert when("now") == NOW
    assert when(" NOW ").tzinfo == UTC
    assert when("now", NOW.astimezone(BERLIN)) == NOW


def test_days_are_the_runners_local_days():
    after_midnight_in_berlin = datetime(2026, 11, 18, 23, 30, tzinfo=UTC)  # 00:30 on the 19th there
    assert when("yesterday 18:00", after_midnight_in_berlin) == berlin(TODAY, 18)
    assert when("yesterday 18:00", after_midnight_in_berlin, NEW_YORK) == datetime(2026, 11, 17, 23, tzinfo=UTC)


@pytest.mark.parametrize("text", ["today 15:31", "2026-11-18 15:31:27", "2026-11-18 15:31:26"])
def test_a_minute_of_slack_lets_the_run_just_done_in(text):
    assert when(text) <= NOW + timedelta(seconds=60)


@pytest.mark.parametrize("text", ["today 15:32", "2026-11-18 15:31:28", "today 16:00",
                                  "tomorrow", "2026-11-19", "2027-01-01 07:00",
                                  "9999-12-31 23:59", "2026-11-18 15:00 -05:00"])
def test_the_future_is_refused(text):
    with pytest.raises(RunInputError) as caught:
        when(text)
    assert caught.value.field == "when"
    if text != "tomorrow":  # dateutil does not read "tomorrow" at all
        assert "is in the future; a run is logged after it happened" in str(caught.value)


def test_the_future_message_says_what_the_text_was_read_as():
    with pytest.raises(RunInputError, match=r"'today 16:00' \(2026-11-18 16:00\) is in the future"):
        when("today 16:00")


@pytest.mark.parametrize("text", ["today", "wednesday", "Wed", "2026-11-18", "18 Nov", "Wed 18 Nov 2026"])
def test_today_without_a_time_before_18_is_a_run_earlier_today_so_now(text):
    assert when(text) == NOW
    assert when(text, NOW + timedelta(hours=4)) == berlin(TODAY, 18)  # after 18:00 it is 18:00


@pytest.mark.parametrize("text", ["2026-11-18 18", "2026-11-18T18:00", "18 Nov 7pm", "today 18:00"])
def test_today_with_a_time_after_now_is_still_the_future(text):
    with pytest.raises(RunInputError, match="is in the future"):
        when(text)


def test_ten_years_back_is_the_oldest():
    assert when("2016-11-18 15:30:27") == NOW.replace(year=2016)
    for text in ["2016-11-18 15:30:26", "2016-11-17", "2000-01-01 07:00", "0001-01-01 00:00"]:
        with pytest.raises(RunInputError, match="more than 10 years ago; write one since 2016-11-18"):
            when(text)


@pytest.mark.parametrize(("text", "problem"), [
    ("", "is empty"), ("  ", "is empty"), ("7", "is only a number"), ("2026", "is only a number"),
    ("soon", "is not a date and time"), ("monday 25:00", "is not a date and time"),
    ("yesterday 13pm", "is not a date and time"), ("2026-02-30", "is not a date and time"),
    ("today 07:60", "is not a date and time"), ("this", "is not a date and time"),
    ("07:00 +25:00", "is not a date and time"), ("9" * 30, "is not a date and time"),
    ("07:00 EST", "names the zone 'EST'"), ("2026-11-17 07:00 CET", "names the zone 'CET'"),
])
def test_parse_when_refuses_and_says_why(text, problem):
    with pytest.raises(RunInputError, match=problem) as caught:
        when(text)
    assert caught.value.field == "when"


def test_a_naive_now_is_a_programming_error():
    with pytest.raises(ValueError, match="naive") as caught:
        parse_when("now", NOW.replace(tzinfo=None), BERLIN)
    assert not isinstance(caught.value, RunInputError)


SPRING, AUTUMN = date(2026, 3, 29), date(2026, 10, 25)  # Berlin skips 02:00-03:00, then repeats it


@pytest.mark.parametrize("zone", [BERLIN, ZoneInfo("Europe/Berlin")])
def test_clock_change_days(zone):
    # The skipped 02:30 is moved on by the gap, as the clocks were: 03:30 summer time.
    assert when("2026-03-29 02:30", zone=zone) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # The repeated 02:30 is its first pass, in summer time, unless an offset says otherwise.
    assert when("2026-10-25 02:30", zone=zone) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert when("2026-10-25 02:30 +02:00", zone=zone) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert when("2026-10-25 02:30 +01:00", zone=zone) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_when_text_is_local_and_marks_the_repeated_hour():
    assert when_text(datetime(2026, 11, 20, 6, tzinfo=UTC), BERLIN) == "2026-11-20 07:00"
    assert when_text(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), BERLIN) == "2026-03-29 03:30"
    assert when_text(berlin(AUTUMN, 2, 30), BERLIN) == "2026-10-25 02:30 +02:00"
    assert when_text(berlin(AUTUMN, 2, 30, fold=1), BERLIN) == "2026-10-25 02:30 +01:00"
    assert when_text(datetime(2026, 11, 1, 6, 30, tzinfo=UTC), NEW_YORK) == "2026-11-01 01:30 -05:00"
    assert when_text(datetime(2026, 11, 20, 6, 59, 59, tzinfo=UTC), BERLIN) == "2026-11-20 07:59"


ZONES = [BERLIN, NEW_YORK, ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York"),
         ZoneInfo("Australia/Lord_Howe"), tz.gettz("Australia/Lord_Howe"), UTC]  # Lord Howe moves 30 min
TEN_YEARS_MINUTES = (NOW - NOW.replace(year=2016)) // timedelta(minutes=1)
# Local midnights of clock-change days within ten years before NOW, in each zone's terms.
CHANGE_DAYS = [SPRING, AUTUMN, date(2026, 3, 8), date(2026, 11, 1), date(2026, 4, 5), date(2026, 10, 4),
               date(2017, 3, 26), date(2017, 10, 29), date(2017, 3, 12), date(2017, 11, 5)]

anytime = st.integers(0, TEN_YEARS_MINUTES - 1).map(lambda minutes: NOW - timedelta(minutes=minutes))
around_changes = st.builds(
    lambda day, minutes: datetime.combine(day, time(0), tzinfo=UTC) - timedelta(hours=14) + timedelta(minutes=minutes),
    st.sampled_from(CHANGE_DAYS), st.integers(0, 40 * 60))


@SETTINGS
@given(st.one_of(anytime, around_changes), st.sampled_from(ZONES), st.integers(0, 59))
def test_when_round_trips_to_the_minute(moment, zone, second):
    moment = moment.replace(second=second) if moment.replace(second=second) <= NOW else moment
    # Exact for every instant, also in the repeated hour: when_text adds the offset there.
    assert when(when_text(moment, zone), zone=zone) == moment.replace(second=0, microsecond=0)


# ---- effort ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "rpe"), [("1", 1), ("7", 7), ("10", 10), (" 3 ", 3), ("07", 7)])
def test_parse_rpe_takes_whole_numbers_from_1_to_10(text, rpe):
    assert parse_rpe(text) == rpe


@pytest.mark.parametrize("text", ["0", "11", "7.5", "7,5", "-1", "+7", "seven", "1e1", "9" * 5000])
def test_parse_rpe_refuses_anything_else_saying_whole_numbers_1_to_10(text):
    with pytest.raises(RunInputError, match="is not a whole number from 1 \\(very easy\\) to 10") as caught:
        parse_rpe(text)
    assert caught.value.field == "rpe"


def test_an_empty_rpe_is_refused():
    with pytest.raises(RunInputError, match="the effort \\(RPE\\) is empty") as caught:
        parse_rpe("  ")
    assert caught.value.field == "rpe"


@given(st.integers(1, 10))
def test_rpe_round_trips(rpe):
    assert parse_rpe(str(rpe)) == rpe


# ---- every message ---------------------------------------------------------------------

# (parser, bad text, the field's name in the message, a right value the message shows)
MESSAGES = [
    (parse_distance, "", "distance", "5 km"), (parse_distance, "5 kmm", "distance", "3.1 mi"),
    (parse_distance, "5", "distance", "5 km"), (parse_distance, "0 km", "distance", "5 km"),
    (parse_distance, "2000 km", "distance", "10000 m"), (parse_distance, "1,500 m", "distance", "1500 m"),
    (parse_duration, "", "duration", "28:30"), (parse_duration, "soon", "duration", "1h05"),
    (parse_duration, "45.5", "duration", "28:30"), (parse_duration, "0:00", "duration", "28:30"),
    (parse_duration, "50:00:00", "duration", "1:02:15"), (parse_duration, "28:61", "duration", "29:01"),
    (parse_duration, "99h 99m", "duration", "1:02:15"),
    (parse_when, "", "date and time", "yesterday 18:00"), (parse_when, "soon", "date and time", "monday evening"),
    (parse_when, "today 23:00", "date and time", "today 07:00"),
    (parse_when, "2001-01-01", "date and time", "yesterday 18:00"),
    (parse_when, "7", "date and time", "today 07:00"), (parse_when, "7:00 PST", "date and time", "+01:00"),
    (parse_rpe, "", "effort (RPE)", "7"), (parse_rpe, "7.5", "effort (RPE)", "7"),
]


@pytest.mark.parametrize(("parse", "text", "name", "example"), MESSAGES)
def test_every_message_names_the_field_and_shows_a_right_value(parse, text, name, example):
    arguments = (NOW, BERLIN) if parse is parse_when else ()
    with pytest.raises(RunInputError) as caught:
        parse(text, *arguments)
    message = str(caught.value)
    assert name in message
    assert example in message
    assert "\n" not in message
    if example != "+01:00":
        parse(example, *arguments)  # the example itself is accepted


# ---- arbitrary text --------------------------------------------------------------------

# Pieces of the grammar, so the fuzzing reaches past the first check as well.
pieces = st.sampled_from(["5", "0", "12", "59", "60", "99999", ":", ".", ",", " ", "k", "km", "mi", "m",
                          "min", "h", "s", "am", "pm", "half", "today", "yesterday", "mon", "sun",
                          "evening", "at", "2026-11-17", "T", "Z", "+01:00", "-", "UTC", "EST", "\u0665"])
texts = st.one_of(st.text(), st.lists(pieces, max_size=8).map("".join))
PARSERS = {
    "distance": lambda text: parse_distance(text, MI),  # bare numbers too; without a unit, above
    "duration": parse_duration,
    "when": lambda text: parse_when(text, NOW, BERLIN),
    "rpe": parse_rpe,
}


@SETTINGS
@pytest.mark.parametrize("field", sorted(PARSERS))
@given(text=texts)
def test_nothing_but_run_input_error_escapes_a_parser(field, text):
    try:
        PARSERS[field](text)
    except RunInputError as error:
        assert error.field == field
        assert "\n" not in str(error) and str(error)


# ---- the check every stored run passes, typed or imported --------------------------------

@pytest.mark.parametrize(("distance", "duration", "stored_ok"), [
    ("1000 km", "47:59:59", True),
    ("1000.001 km", "28:30", False),
    ("5 km", "48:00:00", False),
])
def test_what_the_parsers_take_is_exactly_what_the_stored_run_check_takes(distance, duration, stored_ok):
    from glutetui.domain.run_input import RunInputError, parse_distance, parse_duration, run_problem

    def parsed(parse, text):
        try:
            return parse(text)
        except RunInputError:
            return None

    metres, seconds = parsed(parse_distance, distance), parsed(parse_duration, duration)
    assert (metres is not None and seconds is not None) is stored_ok
    raw_metres = metres or float(distance.split()[0]) * 1000
    raw_seconds = seconds or sum(int(part) * 60**power for power, part in enumerate(reversed(duration.split(":"))))
    assert (run_problem(NOW, raw_metres, raw_seconds, None, "", NOW) is None) is stored_ok
