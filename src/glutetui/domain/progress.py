"""Weekly progress: per-day numbers, week totals, 12-week trends and insights.

Pure. Days and weeks are local (a day may be 23 or 25 hours long); every
sitting number is taken over the union of the posture intervals, exactly as
Today counts it, so the same day shows the same minutes on both tabs.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo

from glutetui.domain import sitting
from glutetui.domain.reminders import MISSED, SKIPPED
from glutetui.domain.run_flags import PARTS, SAFE_MAX, Ache, pain_zone
from glutetui.domain.sitting import SITTING, UP_STATES, Interval
from glutetui.domain.timefmt import local_day
from glutetui.domain.walltime import resolve_imaginary
from glutetui.domain.wording import counted

TREND_WEEKS = 12
ACHE_FROM = SAFE_MAX + 1  # an ache counts from 3/10: outside the pain-monitoring model's safe zone
MIN_GROUP = 5  # an insight needs at least this many in each group it compares
LONG_BOUT = timedelta(hours=2)
BOUT_REACH = timedelta(hours=12)  # how far before a day its records must reach for a bout to be whole


class WeekError(ValueError):
    """A week or date the runner typed that names no week."""


# ---- weeks ---------------------------------------------------------------------------

def week_start_of(day: date, week_start: str = "monday") -> date:
    """The first day of the week holding `day`."""
    first = 0 if week_start == "monday" else 6
    return day - timedelta(days=(day.weekday() - first) % 7)


def week_label(start: date) -> str:
    """The ISO week of the week's Monday, e.g. 2026-W47 (a Sunday week is named by the Monday after)."""
    monday = start if start.weekday() == 0 else start + timedelta(days=(7 - start.weekday()) % 7)
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: str) -> date:
    """The Monday of an ISO week written like 2026-W47 (or 2026w47)."""
    found = re.fullmatch(r"([0-9]{4})-?W([0-9]{1,2})", text.strip().upper())  # ASCII digits only
    if found is None:
        raise WeekError(f"{text!r} is not a week like 2026-W47")
    year, week = int(found[1]), int(found[2])
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        raise WeekError(f"{text!r}: {year} has no week {week}; ISO weeks run 1-52 or 1-53") from None


def week_index(day: date, first: date, weeks: int) -> int | None:
    """Which of `weeks` consecutive weeks, the first starting on `first`, holds `day`; None for none."""
    index = (day - first).days // 7
    return index if 0 <= index < weeks else None


def week_days(start: date) -> list[date]:
    return [start + timedelta(days=offset) for offset in range(7)]


# ---- what goes in ----------------------------------------------------------------------

@dataclass(frozen=True)
class RunRecord:
    started_at: datetime
    distance_m: float
    aches: tuple[Ache, ...]
    warmed_up: bool  # a warm-up done in full is linked to it


@dataclass(frozen=True)
class Records:
    """Everything stored over the span asked for; moments are aware datetimes."""
    intervals: Sequence[Interval] = ()
    reminders: Sequence[tuple[datetime, str]] = ()  # (due_at, outcome)
    warmups: Sequence[tuple[datetime, bool]] = ()  # (started_at, completed), finished ones only
    runs: Sequence[RunRecord] = ()

    def between(self, low: datetime, high: datetime) -> Records:
        """What had happened from `low` by the moment `high`: intervals under way at `high`
        end there, and runs, warm-ups and reminders count by when they began."""
        # In UTC: Python never finds a moment the local clock shows twice equal to one in another zone.
        low, high = low.astimezone(timezone.utc), high.astimezone(timezone.utc)

        def inside(moment: datetime) -> bool:
            return low <= moment <= high

        return Records(
            intervals=[Interval(item.state, item.start, min(item.end, high)) for item in self.intervals
                       if item.start < high and item.end > low],
            reminders=[item for item in self.reminders if inside(item[0])],
            warmups=[item for item in self.warmups if inside(item[0])],
            runs=[run for run in self.runs if inside(run.started_at)],
        )


# ---- what comes out --------------------------------------------------------------------

@dataclass(frozen=True)
class PartAches:
    count: int  # runs on which the part reached ACHE_FROM in any phase
    worst: int  # the highest score logged for the part

    @property
    def zone(self) -> str:
        return pain_zone(self.worst)


@dataclass(frozen=True)
class DayStats:
    day: date
    sitting_minutes: int = 0
    longest_bout_minutes: int = 0
    breaks_taken: int = 0
    reminders_skipped: int = 0
    reminders_missed: int = 0
    active_hours: int = 0
    warmups_completed: int = 0
    warmups_partial: int = 0
    runs: int = 0
    runs_warmed_up: int = 0
    distance_m: float = 0.0
    aches: dict[str, PartAches] = field(default_factory=dict)
    tracked: bool = False  # some posture was recorded on the day

    @property
    def ache_count(self) -> int:
        return sum(part.count for part in self.aches.values())


@dataclass(frozen=True)
class WeekStats:
    start: date
    days: tuple[DayStats, ...]
    totals: DayStats  # `day` is the week's start; longest bout is the week's longest, the rest summed

    @property
    def label(self) -> str:
        return week_label(self.start)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def tracked(self) -> bool:
        return any(day.tracked for day in self.days) or self.totals.runs > 0

    @property
    def warmup_rate(self) -> float | None:
        """Share of the week's runs that had a full warm-up; None without runs."""
        return self.totals.runs_warmed_up / self.totals.runs if self.totals.runs else None

    @property
    def has_long_bout(self) -> bool:
        return self.totals.longest_bout_minutes > LONG_BOUT.total_seconds() / 60


@dataclass(frozen=True)
class Insight:
    key: str
    text: str
    n: int  # how many runs or weeks it rests on
    ready: bool  # enough in each group to say anything


@dataclass(frozen=True)
class Progress:
    week: WeekStats
    previous: WeekStats
    trend: tuple[WeekStats, ...]  # oldest first, ending with `week`
    insights: tuple[Insight, ...]
    today: date | None = None  # the local day the numbers were read on; later days are still to come
    # While the week is under way the changes measure it against the last week up to the
    # same weekday and time of day (`compared_until`, local): on Tuesday at 10:00, last
    # Monday and last Tuesday to 10:00. None for a week that has ended: the whole week.
    compared_until: datetime | None = None
    previous_to_date: DayStats | None = None

    @property
    def compared(self) -> DayStats:
        """What the changes are measured against."""
        return self.previous.totals if self.previous_to_date is None else self.previous_to_date

    @property
    def days_compared(self) -> int:
        """How many of the last week's days the changes reach into: 2 on a Tuesday."""
        if self.compared_until is None:
            return 7
        return (self.compared_until.date() - self.previous.start).days + 1

    def lived(self, day: date) -> bool:
        """False for a day after the one the numbers were read on: it has no numbers yet, not zeros."""
        return self.today is None or day <= self.today


# ---- sums over many windows ------------------------------------------------------------

class Spans:
    """Sorted, non-overlapping spans; time inside any window found by bisection."""

    def __init__(self, spans: Iterable[tuple[datetime, datetime]]) -> None:
        merged = sitting.union(spans)
        self.spans = [(start.astimezone(timezone.utc), end.astimezone(timezone.utc)) for start, end in merged]
        self._ends = [end for _, end in self.spans]
        self._starts = [start for start, _ in self.spans]

    def inside(self, window: tuple[datetime, datetime]) -> list[tuple[datetime, datetime]]:
        low, high = (moment.astimezone(timezone.utc) for moment in window)
        first, last = bisect_right(self._ends, low), bisect_left(self._starts, high)
        return [(max(start, low), min(end, high)) for start, end in self.spans[first:last]
                if min(end, high) > max(start, low)]

    def seconds(self, window: tuple[datetime, datetime]) -> float:
        return sum((end - start).total_seconds() for start, end in self.inside(window))


def days_stats(records: Records, days: Sequence[date], zone: tzinfo, break_min: timedelta) -> dict[date, DayStats]:
    """Each day's numbers; `records` must reach BOUT_REACH before the first day so a bout is whole."""
    seated = Spans(sitting.state_spans(records.intervals, (SITTING,)))
    up = Spans(sitting.state_spans(records.intervals, UP_STATES))
    anything = Spans((item.start, item.end) for item in records.intervals)
    bouts = Spans((bout.start, bout.end) for bout in sitting.bouts(records.intervals, break_min))
    by_day = _group_by_day(records, zone)
    found = {}
    for day in days:
        window = sitting.day_bounds(day, zone)
        found[day] = DayStats(
            day=day,
            sitting_minutes=int(seated.seconds(window) // 60),
            longest_bout_minutes=int(max((_length(span) for span in bouts.inside(window)), default=0) // 60),
            breaks_taken=sum(1 for span in up.inside(window) if _length(span) >= break_min.total_seconds()),
            active_hours=_active_hours(up, window),
            tracked=bool(anything.inside(window)),
            **_counted(by_day.get(day, _DayRecords())),
        )
    return found


def week_ago(now: datetime, zone: tzinfo) -> datetime:
    """The same weekday and time of day a week before `now` on the local clock (in `zone`).
    Across a change to or from summer time that is 167 or 169 hours back, not 168: Tuesday
    10:00 is compared with last Tuesday 10:00. A time the clocks skipped moves on to the
    first real moment after it."""
    # Aware arithmetic in one zone is wall-clock arithmetic; of a time the clocks show
    # twice, the first is taken.
    wall = (now.astimezone(zone) - timedelta(days=7)).replace(fold=0)
    return resolve_imaginary(wall).astimezone(zone)


def week_until(records: Records, start: date, until: datetime, zone: tzinfo, break_min: timedelta) -> DayStats:
    """The week from `start` as it stood at the moment `until`: what the Progress tab would
    have shown then. Sitting, bouts and breaks under way at `until` are cut there; runs,
    warm-ups and reminders count if they began by then."""
    known = records.between(sitting.day_bounds(start, zone)[0] - BOUT_REACH, until)
    last = local_day(until, zone)
    return total(start, list(days_stats(known, [day for day in week_days(start) if day <= last], zone,
                                        break_min).values()))


def _length(span: tuple[datetime, datetime]) -> float:
    return (span[1] - span[0]).total_seconds()


def _active_hours(up: Spans, window: tuple[datetime, datetime]) -> int:
    if not up.inside(window):
        return 0
    hour = timedelta(hours=1)
    return sum(1 for start in sitting.hour_starts(window)
               if up.seconds((start, min(start + hour, window[1]))) >= sitting.ACTIVE_HOUR_SECONDS)


@dataclass
class _DayRecords:
    reminders: list[str] = field(default_factory=list)
    warmups: list[bool] = field(default_factory=list)
    runs: list[RunRecord] = field(default_factory=list)


def _group_by_day(records: Records, zone: tzinfo) -> dict[date, _DayRecords]:
    grouped: dict[date, _DayRecords] = {}

    def of(moment: datetime) -> _DayRecords:
        return grouped.setdefault(local_day(moment, zone), _DayRecords())

    for due_at, outcome in records.reminders:
        of(due_at).reminders.append(outcome)
    for started_at, completed in records.warmups:
        of(started_at).warmups.append(completed)
    for run in records.runs:
        of(run.started_at).runs.append(run)
    return grouped


def _counted(found: _DayRecords) -> dict:
    return {
        "reminders_skipped": found.reminders.count(SKIPPED),
        "reminders_missed": found.reminders.count(MISSED),
        "warmups_completed": sum(found.warmups),
        "warmups_partial": len(found.warmups) - sum(found.warmups),
        "runs": len(found.runs),
        "runs_warmed_up": sum(run.warmed_up for run in found.runs),
        "distance_m": sum(run.distance_m for run in found.runs),
        "aches": aches_by_part(found.runs),
    }


def aches_by_part(runs: Iterable[RunRecord]) -> dict[str, PartAches]:
    counts: dict[str, int] = {}
    worst: dict[str, int] = {}
    for run in runs:
        for part in {ache.body_part for ache in run.aches if ache.score >= ACHE_FROM}:
            counts[part] = counts.get(part, 0) + 1
        for ache in run.aches:
            if ache.score > 0:
                worst[ache.body_part] = max(worst.get(ache.body_part, 0), ache.score)
    return {part: PartAches(counts.get(part, 0), worst[part]) for part in _in_part_order(worst)}


def _in_part_order(parts: Iterable[str]) -> list[str]:
    return sorted(parts, key=lambda part: PARTS.index(part) if part in PARTS else len(PARTS))


def week_stats(start: date, by_day: dict[date, DayStats]) -> WeekStats:
    days = tuple(by_day.get(day, DayStats(day)) for day in week_days(start))
    return WeekStats(start, days, total(start, days))


def total(start: date, days: Sequence[DayStats]) -> DayStats:
    aches: dict[str, PartAches] = {}
    for day in days:
        for part, found in day.aches.items():
            before = aches.get(part, PartAches(0, 0))
            aches[part] = PartAches(before.count + found.count, max(before.worst, found.worst))
    summed = {name: sum(getattr(day, name) for day in days) for name in _SUMMED}
    return DayStats(day=start, longest_bout_minutes=max((day.longest_bout_minutes for day in days), default=0),
                    aches={part: aches[part] for part in _in_part_order(aches)},
                    tracked=any(day.tracked for day in days), **summed)


_SUMMED = ("sitting_minutes", "breaks_taken", "reminders_skipped", "reminders_missed", "active_hours",
           "warmups_completed", "warmups_partial", "runs", "runs_warmed_up", "distance_m")


# ---- the whole picture -----------------------------------------------------------------

def _first_counted_day(start: date) -> date:
    # The trend's first day, and the day before it for the insight on sitting before a run.
    return start - timedelta(weeks=TREND_WEEKS - 1, days=1)


def span_needed(start: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The moments `progress` needs records for: from the day before the trend's first
    to the shown week's end."""
    low = sitting.day_bounds(_first_counted_day(start), zone)[0] - BOUT_REACH
    return low, sitting.day_bounds(start + timedelta(days=6), zone)[1]


def progress(records: Records, start: date, zone: tzinfo, break_min: timedelta,
             now: datetime | None = None) -> Progress:
    """The week from `start`, the one before, the TREND_WEEKS ending with it, and the insights.
    With `now` inside the week, the changes measure the week so far against the last week
    up to a week before `now` (see `week_ago`)."""
    first = start - timedelta(weeks=TREND_WEEKS - 1)
    counted_from = _first_counted_day(start)
    days = [counted_from + timedelta(days=offset) for offset in range((start - counted_from).days + 7)]
    by_day = days_stats(records, days, zone, break_min)
    trend = tuple(week_stats(first + timedelta(weeks=index), by_day) for index in range(TREND_WEEKS))
    runs = [run for run in records.runs if first <= local_day(run.started_at, zone) <= trend[-1].end]
    today = local_day(now, zone) if now is not None else None
    cut = previous_to_date = None
    if now is not None and start <= today <= trend[-1].end:
        cut = week_ago(now, zone)
        previous_to_date = week_until(records, trend[-2].start, cut, zone, break_min)
    return Progress(trend[-1], trend[-2], trend, insights(runs, by_day, trend, zone), today, cut, previous_to_date)


# ---- insights --------------------------------------------------------------------------

CORRELATION = "This shows what goes together, not what causes what."


def ached(run: RunRecord) -> bool:
    return any(ache.score >= ACHE_FROM for ache in run.aches)


def insights(runs: Sequence[RunRecord], by_day: dict[date, DayStats], weeks: Sequence[WeekStats],
             zone: tzinfo) -> tuple[Insight, ...]:
    return (warmup_insight(runs), sitting_before_insight(runs, by_day, zone), long_bout_insight(weeks))


def _short_of(groups: dict[str, int], unit: str) -> str:
    """"3 more runs with a full warm-up and 1 more run without one"."""
    wanting = [f"{MIN_GROUP - count} more {unit if MIN_GROUP - count > 1 else unit[:-1]} {name}"
               for name, count in groups.items() if count < MIN_GROUP]
    return " and ".join(wanting)


def warmup_insight(runs: Sequence[RunRecord]) -> Insight:
    warmed = [run for run in runs if run.warmed_up]
    cold = [run for run in runs if not run.warmed_up]
    n = len(runs)
    groups = {"with a full warm-up": len(warmed), "without one": len(cold)}
    if min(groups.values()) < MIN_GROUP:
        return Insight("warmup_aches", f"Aches with and without a warm-up: needs {_short_of(groups, 'runs')} "
                       f"(at least {MIN_GROUP} of each; {len(warmed)} and {len(cold)} so far).", n, False)
    hurt_warm, hurt_cold = sum(map(ached, warmed)), sum(map(ached, cold))
    return Insight("warmup_aches",
                   f"Runs after a full warm-up ached (3/10 or more) {hurt_warm} of {counted(len(warmed), 'time')} "
                   f"({hurt_warm / len(warmed):.0%}); runs without one, {hurt_cold} of {len(cold)} "
                   f"({hurt_cold / len(cold):.0%}). {CORRELATION}", n, True)


def sitting_before_insight(runs: Sequence[RunRecord], by_day: dict[date, DayStats], zone: tzinfo) -> Insight:
    """Mean sitting on the day before a run, for runs that ached and runs that did not;
    only days the app tracked, as an untracked day would read as no sitting at all."""
    before: dict[bool, list[int]] = {True: [], False: []}
    for run in runs:
        day = by_day.get(local_day(run.started_at, zone) - timedelta(days=1))
        if day is not None and day.tracked:
            before[ached(run)].append(day.sitting_minutes)
    hurt, fine = before[True], before[False]
    n = len(hurt) + len(fine)
    groups = {"that ached": len(hurt), "that did not": len(fine)}
    if min(groups.values()) < MIN_GROUP:
        return Insight("sitting_before_aches",
                       f"Sitting the day before achy runs: needs {_short_of(groups, 'runs')}, each after a "
                       f"tracked day ({len(hurt)} and {len(fine)} so far).", n, False)
    return Insight("sitting_before_aches",
                   f"The day before runs that ached you sat {_mean(hurt, 60)} h on average ({counted(len(hurt), 'run')}); "
                   f"before runs that did not, {_mean(fine, 60)} h ({counted(len(fine), 'run')}). {CORRELATION}", n, True)


def long_bout_insight(weeks: Sequence[WeekStats]) -> Insight:
    tracked = [week for week in weeks if week.tracked]
    long = [week.totals.ache_count for week in tracked if week.has_long_bout]
    short = [week.totals.ache_count for week in tracked if not week.has_long_bout]
    n = len(tracked)
    groups = {"with a bout over 2 h": len(long), "without one": len(short)}
    if min(groups.values()) < MIN_GROUP:
        return Insight("long_bout_weeks",
                       f"Aches in weeks with a sitting bout over 2 h: needs {_short_of(groups, 'weeks')} "
                       f"({len(long)} and {len(short)} of the last {counted(len(weeks), 'week')} so far).", n, False)
    return Insight("long_bout_weeks",
                   f"Weeks with a sitting bout over 2 h had {_mean(long)} aches on average ({counted(len(long), 'week')}); "
                   f"weeks without, {_mean(short)} ({counted(len(short), 'week')}). {CORRELATION}", n, True)


def _mean(values: Sequence[int], per: int = 1) -> str:
    """The mean to one decimal, in units of `per` (60: minutes to hours)."""
    return f"{sum(values) / len(values) / per:.1f}"
