"""What a runner types when logging a run, read into numbers, and the numbers written back.

Distances come out in metres, durations in whole seconds, moments as aware UTC datetimes.
A bare number is a distance in the runner's unit (km or mi) and a duration in minutes.
Input is case-insensitive and surrounding spaces do not matter. Anything unreadable raises
`RunInputError`, whose text is one line naming the field and showing a right value, so a
form can show it as it is and keep what was typed.

Pure: the current moment and the runner's zone come in as arguments.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal

from dateutil import parser as date_parser
from dateutil import tz
from dateutil.relativedelta import relativedelta

from glutetui.domain.timefmt import EARLIEST_YEAR

KM = "km"
MI = "mi"
UNITS = (KM, MI)
METRES_PER_MILE = 1609.344
HALF_MARATHON_M = 21097.5
MARATHON_M = 42195.0

LONGEST_DISTANCE_M = 1_000_000.0  # 1000 km: more than any one run; beyond it, a wrong unit
# A bare number past 300 km (186 mi), further than nearly every race of a day and a night,
# is far more likely metres typed without the unit ("800" for a track session).
LONGEST_BARE_M = 300_000.0
LONGEST_DURATION_S = 48 * 3600  # exclusive: a 48-hour race is logged as 47:59:59 at most
FUTURE_SLACK = timedelta(seconds=60)  # "today 14:31" typed at 14:30:30 is the run just done
OLDEST = relativedelta(years=10)
EASIEST_RPE, HARDEST_RPE = 1, 10
LOWEST_SCORE, HIGHEST_SCORE = 0, 10  # an ache, on the pain-monitoring scale
LONGEST_NOTES = 10_000  # characters: pages of text, far past what a run's notes hold
# A run from a file or another computer may start a little after `now`: two computers' clocks differ.
STORED_FUTURE_SLACK = timedelta(minutes=5)
DAY_ONLY_CLOCK = time(18)  # a day without a time: the run after work, the usual one for desk sitters

DISTANCE, DURATION, WHEN, RPE, NOTES = "distance", "duration", "when", "rpe", "notes"

_DISTANCE_EXAMPLES = "5k, 5 km, 5,2 km, 3.1 mi, 10000 m, half or marathon"
_DURATION_EXAMPLES = "28:30, 1:02:15, 45 min, 1h05 or 90s"
_WHEN_EXAMPLES = "now, yesterday 18:00, monday evening or 2026-11-20 07:00"

_METRES_PER_UNIT = {"km": Decimal(1000), "mi": Decimal("1609.344"), "m": Decimal(1)}
_UNIT_WORDS = {
    "k": "km", "km": "km", "kms": "km", "kilometer": "km", "kilometers": "km",
    "kilometre": "km", "kilometres": "km",
    "mi": "mi", "mile": "mi", "miles": "mi",
    "m": "m", "meter": "m", "meters": "m", "metre": "m", "metres": "m",
}
_RACES = {"half": HALF_MARATHON_M, "half marathon": HALF_MARATHON_M, "half-marathon": HALF_MARATHON_M,
          "marathon": MARATHON_M}
_PARTS_OF_DAY = {"morning": time(7), "noon": time(12), "afternoon": time(15), "evening": time(18),
                 "night": time(21)}
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# re.ASCII: \d must not take other scripts' digits, which int() and Decimal() would read.
_NUMBER = r"(?P<number>\d+(?:[.,]\d+)?|[.,]\d+)"
_DISTANCE = re.compile(rf"^{_NUMBER}\s*(?P<unit>[a-z]*)$", re.ASCII)
_MINUTES_SECONDS = re.compile(r"^(?P<m>\d+):(?P<s>\d\d)$", re.ASCII)
_HOURS_MINUTES_SECONDS = re.compile(r"^(?P<h>\d+):(?P<m>\d\d):(?P<s>\d\d)$", re.ASCII)
_HOURS_THEN_MINUTES = re.compile(r"^(?P<h>\d+)\s*(?:h|hrs?|hours?)\s*(?P<m>\d\d?)$", re.ASCII)  # 1h05
_WITH_UNITS = re.compile(
    r"^(?:(?P<h>\d+)\s*(?:h|hrs?|hours?)\s*)?"
    r"(?:(?P<m>\d+)\s*(?:m|mins?|minutes?)\s*)?"
    r"(?:(?P<s>\d+)\s*(?:s|secs?|seconds?))?$", re.ASCII)
_BARE_WHOLE = re.compile(r"^\d+$", re.ASCII)
_BARE_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$", re.ASCII)
_PLAIN_NUMBER = re.compile(rf"^{_NUMBER}$", re.ASCII)
_CLOCK = re.compile(r"^(?P<h>\d\d?)(?::(?P<m>\d\d))?\s*(?P<half>am|pm)?$", re.ASCII)
_DAY_AND_CLOCK = re.compile(r"^(?P<day>[a-z]+)(?:\s+(?:at\s+)?(?P<clock>.+))?$")


class RunInputError(ValueError):
    """One line naming what is wrong and giving an example of a right value."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field  # DISTANCE, DURATION, WHEN or RPE: which form field to mark


# ---- distance ------------------------------------------------------------------------

def parse_distance(text: str, unit: str | None = None) -> float:
    """Metres, more than 0 and at most 1000 km: "5k", "5,2 km", "3.1 mi", "800 m", "half".
    A bare number ("10") is in `unit`, the runner's KM or MI; with no `unit` it is refused."""
    typed = _typed(text, DISTANCE, _DISTANCE_EXAMPLES)
    if typed in _RACES:
        return _RACES[typed]
    match = _DISTANCE.match(typed)
    if match and not match["unit"]:
        return _bare_distance(typed, match["number"], unit)
    unit_word = _UNIT_WORDS.get(match["unit"]) if match else None
    if unit_word is None:
        raise RunInputError(DISTANCE, f"{typed!r} is not a distance; write it like {_DISTANCE_EXAMPLES}")
    _refuse_thousands_comma(typed, match["number"], match["unit"])
    return _metres(typed, match["number"], unit_word)


def _bare_distance(typed: str, number: str, unit: str | None) -> float:
    """A number without a unit, read in the runner's unit, unless it is too far for a run in it."""
    if unit not in UNITS:
        if unit is not None:
            raise ValueError(f"unknown distance unit {unit!r}; use one of {UNITS}")
        raise RunInputError(DISTANCE, f"the distance {typed!r} has no unit; write {typed} km, {typed} mi or {typed} m")
    _refuse_thousands_comma(typed, number, unit)
    metres = _metres(typed, number, unit)
    if metres > LONGEST_BARE_M:
        raise RunInputError(DISTANCE, f"the distance {typed!r} has no unit, and {typed} {unit} would be a very "
                                      f"long run; write {typed} m, or {typed} {unit} if it was")
    return metres


def _metres(typed: str, number: str, unit_word: str) -> float:
    # Decimal, so "1000 km" is exactly the limit and "5.2k" exactly 5200 m.
    metres = Decimal(number.replace(",", ".")) * _METRES_PER_UNIT[unit_word]
    if metres == 0:
        raise RunInputError(DISTANCE, f"the distance {typed!r} is zero; write how far you ran, e.g. 5 km")
    if metres > Decimal(LONGEST_DISTANCE_M):
        raise RunInputError(DISTANCE, f"the distance {typed!r} is more than 1000 km; "
                                      "check the unit, e.g. 10 km or 10000 m")
    return float(metres)


def _refuse_thousands_comma(typed: str, number: str, unit: str) -> None:
    """A comma is a decimal point ("5,2 km"), but "1,500 m" reads as fifteen hundred to many
    people: with exactly three digits after it, guessing either way could be 1000 times off."""
    whole, comma, fraction = number.partition(",")
    if comma and whole and len(fraction) == 3:
        raise RunInputError(DISTANCE, f"the distance {typed!r} is unclear: is the comma a decimal point? "
                                      f"write {whole}{fraction} {unit} or {whole}.{fraction} {unit}")


def distance_text(metres: float, unit: str) -> str:
    """"5.00 km", "3.11 mi": two decimals, 10 m steps in km and about 16 m in miles."""
    if unit == KM:
        return f"{metres / 1000:.2f} km"
    if unit == MI:
        return f"{metres / METRES_PER_MILE:.2f} mi"
    raise ValueError(f"unknown distance unit {unit!r}; use one of {UNITS}")


# ---- duration ------------------------------------------------------------------------

def parse_duration(text: str) -> int:
    """Whole seconds, more than 0 and under 48 h: "28:30", "1:02:15", "45 min", "1h05", "90s",
    and a bare whole number as minutes ("25")."""
    typed = _typed(text, DURATION, _DURATION_EXAMPLES)
    seconds = _clock_duration(typed) if ":" in typed else _unit_duration(typed)
    if seconds == 0:
        raise RunInputError(DURATION, f"the duration {typed!r} is zero; write how long the run took, e.g. 28:30")
    if seconds >= LONGEST_DURATION_S:
        raise RunInputError(DURATION, f"the duration {typed!r} is 48 hours or more; write a shorter time, e.g. 1:02:15")
    return seconds


def _clock_duration(typed: str) -> int:
    """"mm:ss" or "h:mm:ss"; a field past 59 is refused rather than carried over."""
    match = _HOURS_MINUTES_SECONDS.match(typed) or _MINUTES_SECONDS.match(typed)
    if not match:
        raise RunInputError(DURATION, f"{typed!r} is not a duration; write it like {_DURATION_EXAMPLES}")
    hours = _count(match["h"]) if "h" in match.groupdict() else 0
    minutes, seconds = _count(match["m"]), _count(match["s"])
    if minutes >= 60:
        raise _over_59(typed, "minutes", hours, minutes, seconds)
    if seconds >= 60:
        raise _over_59(typed, "seconds", hours, minutes, seconds)
    return hours * 3600 + minutes * 60 + seconds


def _unit_duration(typed: str) -> int:
    """"45", "45m", "45 min", "1h", "1h05", "1h 05m", "90s": minutes and seconds after a larger
    unit stay under 60, but on their own may be any number ("90 min")."""
    if _BARE_WHOLE.match(typed):
        return _count(typed) * 60  # a runner's watch time in whole minutes
    if _BARE_NUMBER.match(typed):
        # "28.30" is 28:30 to some and 28.3 minutes to others: guessing would be off either way.
        raise RunInputError(DURATION, f"the duration {typed!r} is unclear; write minutes and seconds "
                                      "like 28:30, or whole minutes like 28")
    match = _HOURS_THEN_MINUTES.match(typed) or _WITH_UNITS.match(typed)
    if not match:
        raise RunInputError(DURATION, f"{typed!r} is not a duration; write it like {_DURATION_EXAMPLES}")
    parts = match.groupdict()
    hours, minutes, seconds = (_count(parts.get(name)) for name in ("h", "m", "s"))
    if parts.get("h") and minutes >= 60:
        raise _over_59(typed, "minutes", hours, minutes, seconds)
    if (parts.get("h") or parts.get("m")) and seconds >= 60:
        raise _over_59(typed, "seconds", hours, minutes, seconds)
    return hours * 3600 + minutes * 60 + seconds


def _over_59(typed: str, name: str, hours: int, minutes: int, seconds: int) -> RunInputError:
    """Carrying 75 minutes over into the hours would be a guess about a typo; the message
    shows the carried value instead, for the runner to confirm by typing it."""
    value = minutes if name == "minutes" else seconds
    total = hours * 3600 + minutes * 60 + seconds
    carried = duration_text(total) if total < LONGEST_DURATION_S else "1:02:15"
    return RunInputError(DURATION, f"the duration {typed!r} has {value} {name}, where 59 is the most; "
                                   f"write it like {carried}")


def duration_text(seconds: int) -> str:
    """"28:30" under an hour, "1:02:15" from an hour on: what a watch shows."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def pace_text(metres: float, seconds: int, unit: str) -> str:
    """Time per km or mile to the nearest second: "5:42 /km", "9:10 /mi"."""
    if metres <= 0:
        raise ValueError("a pace needs a distance above 0")
    per_unit = {KM: 1000.0, MI: METRES_PER_MILE}.get(unit)
    if per_unit is None:
        raise ValueError(f"unknown distance unit {unit!r}; use one of {UNITS}")
    # Rounded as a whole, so 5:59.6 becomes 6:00 and never 5:60.
    return f"{duration_text(round(seconds * per_unit / metres))} /{unit}"


# ---- when ----------------------------------------------------------------------------

def parse_when(text: str, now: datetime, zone: tzinfo, day_only: time = DAY_ONLY_CLOCK) -> datetime:
    """When the run was, as an aware UTC datetime, not after `now` (give or take a minute)
    and not more than 10 years before it.

    Read in `zone`'s wall time: "now"; "today 07:00", "yesterday 18:00", "monday evening",
    "sat 7am" (a weekday is the latest such day up to today, so today's own weekday name
    means today); "this morning", "last night"; and else what dateutil reads, e.g.
    "2026-11-20 7am" or "20 Nov 07:00". A day given without a time of day means 18:00,
    except today before 18:00, which means now.
    Parts of the day: morning 07:00, noon 12:00, afternoon 15:00, evening 18:00, night 21:00.
    An offset typed along ("07:00 +01:00") is honoured; zone names ("EST") are refused,
    as their meaning depends on where one is. A lone number up to 4 digits is refused:
    dateutil would read "7" as the 7th of the month, where a time was likely meant.
    """
    if now.tzinfo is None:
        raise ValueError("refusing a naive `now`: its zone is unknown")
    typed = _typed(text, WHEN, _WHEN_EXAMPLES)
    if typed.lower() == "now":
        return now.astimezone(timezone.utc)
    today = now.astimezone(zone).date()
    # `day_only`: what a day typed without a time means; 18:00 for a run, 00:00 for "since".
    named = _named_day(typed.lower(), today, day_only)
    moment = named or _dateutil_moment(typed, today, day_only)
    if (moment.tzinfo is None and moment.date() == today  # an offset typed comes with a time
            and moment > now.astimezone(zone).replace(tzinfo=None)
            and _without_time(typed, named is not None, today, day_only)):
        return now.astimezone(timezone.utc)  # today before 18:00: a run earlier today, so now
    return _checked(typed, moment, now, zone)


def _without_time(typed: str, named: bool, today: date, day_only: time) -> bool:
    """Whether only a day was typed ("today", "sat", "2026-11-21"), not a time of day."""
    if named:
        match = _DAY_AND_CLOCK.match(typed.lower())
        return match["clock"] is None and match["day"] != "this"
    # dateutil fills what was not typed from its default: an hour that follows the default was not typed.
    later = (datetime.combine(today, day_only) + timedelta(hours=1)).time()
    return _dateutil_moment(typed, today, later).hour != _dateutil_moment(typed, today, day_only).hour


def _named_day(lowered: str, today: date, day_only: time) -> datetime | None:
    """The local wall time of a form like "yesterday 18:00"; None for anything else, which
    then goes to dateutil ("sat 21 nov" is a date there, not a time on Saturday)."""
    if lowered == "last night":
        return datetime.combine(today - timedelta(days=1), _PARTS_OF_DAY["night"])
    match = _DAY_AND_CLOCK.match(lowered)
    day = _day(match["day"], today) if match else None
    if day is None:
        return None
    clock_text = match["clock"]
    if match["day"] == "this" and clock_text not in _PARTS_OF_DAY:  # "this" only as in "this morning"
        return None
    clock = day_only if clock_text is None else _clock(clock_text)
    return None if clock is None else datetime.combine(day, clock)


def _day(word: str, today: date) -> date | None:
    if word in ("today", "this"):
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    for index, name in enumerate(_FULL_DAY_NAMES):
        if len(word) >= 3 and name.startswith(word):
            return today - timedelta(days=(today.weekday() - index) % 7)
    return None


def _clock(text: str) -> time | None:
    """"18:00", "18", "7am", "7:30 pm", or a part of the day like "evening"; None if not one."""
    if text in _PARTS_OF_DAY:
        return _PARTS_OF_DAY[text]
    match = _CLOCK.match(text)
    if not match:
        return None
    hours, minutes = int(match["h"]), int(match["m"] or 0)
    if match["half"]:
        if not 1 <= hours <= 12:  # "0am" and "13pm" say nothing clear
            return None
        hours = hours % 12 + (12 if match["half"] == "pm" else 0)  # 12am is midnight, 12pm noon
    return time(hours, minutes) if hours <= 23 and minutes <= 59 else None


def _dateutil_moment(typed: str, today: date, day_only: time) -> datetime:
    # Parts not typed come from the default: today's date, and 18:00 as for "yesterday",
    # so "2026-11-20" is that evening rather than a run at midnight.
    default = datetime.combine(today, day_only)
    if _BARE_WHOLE.match(typed) and len(typed) <= 4:
        # dateutil reads "7" as the 7th of this month and "2026" as today in that year,
        # while a runner most likely meant a time of day.
        raise RunInputError(WHEN, f"the date and time {typed!r} is only a number; "
                                  "write a time like today 07:00 or a date like 2026-11-20")
    try:
        return date_parser.parse(typed, default=default, tzinfos=_typed_offset)
    except _ZoneName as zone:
        raise RunInputError(WHEN, f"the date and time {typed!r} names the zone {zone.name!r}, which could mean "
                                  "several; leave it out for your own time, or write an offset like +01:00") from None
    except (ValueError, OverflowError):
        raise RunInputError(WHEN, f"{typed!r} is not a date and time; write it like {_WHEN_EXAMPLES}") from None


class _ZoneName(Exception):
    """A zone name typed along with a time, carried out of dateutil to the message."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _typed_offset(name: str | None, offset: int | None) -> tzinfo | None:
    """dateutil's hook for a zone in the text. Taking it also keeps dateutil from matching
    names against the computer's own zone, which would make the result depend on the host."""
    if name is None and offset is None:  # no zone typed: local wall time
        return None
    if offset is None:
        raise _ZoneName(name)
    if abs(offset) >= 24 * 3600:
        raise ValueError("a UTC offset is less than a day")  # dateutil's own message follows
    return tz.UTC if offset == 0 else tz.tzoffset(None, offset)


def _checked(typed: str, moment: datetime, now: datetime, zone: tzinfo) -> datetime:
    """A local wall time made an instant, kept between 10 years ago and now."""
    # Years are checked first: an instant near year 1 or 9999 cannot be moved between zones.
    local_year = now.astimezone(zone).year
    if moment.year > local_year + 1:
        raise _future(typed, f"the year {moment.year}")
    if moment.year < local_year - 11:
        raise _too_old(typed, now, zone)
    if moment.tzinfo is None:
        # On a day the clocks change, a wall time may not exist (spring) or occur twice
        # (autumn). A skipped one is moved forward by the gap, as the clocks were; a
        # repeated one is taken at its first pass (fold=0), which when_text marks apart.
        moment = tz.resolve_imaginary(moment.replace(tzinfo=zone, fold=0))
    instant = moment.astimezone(timezone.utc)
    if instant > now + FUTURE_SLACK:
        raise _future(typed, when_text(instant, zone))
    if instant < now - OLDEST:
        raise _too_old(typed, now, zone)
    return instant


def _future(typed: str, meaning: str) -> RunInputError:
    return RunInputError(WHEN, f"the date and time {typed!r} ({meaning}) is in the future; "
                               "a run is logged after it happened, e.g. now or today 07:00")


def _too_old(typed: str, now: datetime, zone: tzinfo) -> RunInputError:
    earliest = (now - OLDEST).astimezone(zone)
    return RunInputError(WHEN, f"the date and time {typed!r} is more than 10 years ago; "
                               f"write one since {earliest:%Y-%m-%d}, e.g. yesterday 18:00")


def when_text(moment: datetime, zone: tzinfo) -> str:
    """Local wall time to the minute: "2026-11-20 07:00". In the hour that repeats when the
    clocks go back, the UTC offset follows ("2026-10-25 02:30 +01:00"), so the text still
    says which of the two it was and parse_when reads it back to the same instant."""
    local = moment.astimezone(zone)
    text = f"{local:%Y-%m-%d %H:%M}"
    if not tz.datetime_ambiguous(local.replace(tzinfo=zone)):
        return text
    offset_minutes = int(local.utcoffset().total_seconds() // 60)
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"{text} {sign}{hours:02d}:{minutes:02d}"


# ---- effort --------------------------------------------------------------------------

def parse_rpe(text: str) -> int:
    """Rate of perceived exertion: a whole number from 1 (very easy) to 10 (all out)."""
    typed = _typed(text, RPE, "7")
    value = _count(typed) if _BARE_WHOLE.match(typed) else None
    if value is None or not EASIEST_RPE <= value <= HARDEST_RPE:
        raise RunInputError(RPE, f"the effort (RPE) {typed!r} is not a whole number from 1 (very easy) "
                                 "to 10 (all out); write one like 7")
    return value


# ---- a whole run, however it came ----------------------------------------------------

def run_problem(started_at: datetime, distance_m: object, duration_s: object, rpe: object, notes: object,
                now: datetime) -> RunInputError | None:
    """Why a run with these values cannot be stored, or None: the one check every run passes,
    typed in the form or on the command line, read from Strava or a GPX file, restored from an
    export or merged from another computer. The parsers above hold what is typed to the same
    bounds, with messages about the text; a run from a file is not held to "within 10 years",
    since a runner's history is older, only to what the app can show (EARLIEST_YEAR on).
    The messages complete "the run ...", or "rejected line 3: ..." in an import's summary."""
    if isinstance(distance_m, bool) or not isinstance(distance_m, (int, float)) or not math.isfinite(distance_m):
        return RunInputError(DISTANCE, f"has the distance {distance_m!r}, not a number of metres")
    if not distance_m > 0:
        return RunInputError(DISTANCE, "has no distance")
    if distance_m > LONGEST_DISTANCE_M:
        # .4g: a distance of 1e300 m is shown in a few characters, not 300 digits.
        return RunInputError(DISTANCE, f"claims {distance_m:.4g} m, more than any run (1,000 km at most)")
    if isinstance(duration_s, bool) or not isinstance(duration_s, int):
        return RunInputError(DURATION, f"has the duration {duration_s!r}, not a whole number of seconds")
    if duration_s <= 0:
        return RunInputError(DURATION, "has no time")
    if duration_s >= LONGEST_DURATION_S:
        return RunInputError(DURATION, f"lasts 48 hours or more ({duration_s:.4g} s)")
    if started_at.tzinfo is None:
        raise ValueError("refusing a naive start: its zone is unknown")
    if started_at.year < EARLIEST_YEAR:
        return RunInputError(WHEN, f"starts before {EARLIEST_YEAR} ({started_at.date().isoformat()})")
    if started_at > now + STORED_FUTURE_SLACK:
        return RunInputError(WHEN, f"starts in the future ({started_at.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC)")
    if rpe is not None and (isinstance(rpe, bool) or not isinstance(rpe, int) or not EASIEST_RPE <= rpe <= HARDEST_RPE):
        return RunInputError(RPE, f"has the effort (RPE) {rpe!r}, not a whole number from 1 to 10")
    if not isinstance(notes, str):
        return RunInputError(NOTES, f"has notes that are not text ({type(notes).__name__})")
    if len(notes) > LONGEST_NOTES:
        return RunInputError(NOTES, f"has notes {len(notes):,} characters long, more than {LONGEST_NOTES:,}")
    return None


def score_problem(score: object) -> str | None:
    """Why an ache's score cannot be stored, or None; the same for a typed ache and an imported one."""
    if isinstance(score, bool) or not isinstance(score, int) or not LOWEST_SCORE <= score <= HIGHEST_SCORE:
        return f"has the score {score!r}, not a whole number from {LOWEST_SCORE} to {HIGHEST_SCORE}"
    return None


# ---- shared --------------------------------------------------------------------------

def _typed(text: str, field: str, examples: str) -> str:
    typed = " ".join(text.split())  # also a pasted non-breaking space
    if field != WHEN:
        typed = typed.lower()  # dateutil needs the case: "Z" and "UTC" as zones, not words
    if not typed:
        noun = {DISTANCE: "distance", DURATION: "duration", WHEN: "date and time", RPE: "effort (RPE)"}[field]
        raise RunInputError(field, f"the {noun} is empty; write it like {examples}")
    return typed


def whole_number(text: str) -> int | None:
    """ASCII digits as an int, None for anything else; see _count for a long run of digits."""
    return _count(text) if text.isdecimal() and text.isascii() else None


def plain_number(text: str) -> float | None:
    """A number as typed ("5.5", "5,5", ".5") as a float, None for anything else:
    float() alone would also take "1e1", "5_0", "inf" and other scripts' digits."""
    match = _PLAIN_NUMBER.match(text.strip())
    return float(match["number"].replace(",", ".")) if match else None


def _count(digits: str | None) -> int:
    """ASCII digits as an int. Past 9 digits every limit here is passed anyway, and
    int() refuses over 4300 digits, so a long run of digits becomes simply too many."""
    if not digits:
        return 0
    significant = digits.lstrip("0")
    return int(significant or "0") if len(significant) <= 9 else 10**9
