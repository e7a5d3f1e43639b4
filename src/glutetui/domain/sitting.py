"""Sitting math: days, bouts and active hours from posture intervals.

Pure functions over `Interval`s; time always comes in as an argument.
Intervals may overlap (two computers, a clock set back): every total is
taken over the union, so the same minute never counts twice.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from glutetui.domain.record import record
from glutetui.domain.walltime import resolve_imaginary

SITTING, STANDING, BREAK, AWAY = "sitting", "standing", "break", "away"
# A routine in progress, and the run after a pre-run warm-up: movement, like a break.
EXERCISE, OUT = "exercise", "out"
STATES = (SITTING, STANDING, BREAK, AWAY, EXERCISE, OUT)
UP_STATES = (STANDING, BREAK, AWAY, EXERCISE, OUT)  # nobody leaves the desk sitting down
ACTIVE_HOUR_SECONDS = 60  # as watches count an hour with movement


@record
class Interval:
    state: str
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise ValueError(f"unknown posture state {self.state!r}")
        if self.end < self.start:
            raise ValueError("an interval cannot end before it starts")

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


@record
class Bout:
    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


Span = tuple[datetime, datetime]


def day_bounds(day: date, zone: tzinfo) -> Span:
    """Local midnight to the next, in UTC: 23, 24 or 25 hours."""
    return _local_midnight(day, zone), _local_midnight(day + timedelta(days=1), zone)


def _local_midnight(day: date, zone: tzinfo) -> datetime:
    # Where a zone skips midnight itself, the day starts at the first real moment.
    local = resolve_imaginary(datetime.combine(day, time(0), tzinfo=zone))
    return local.astimezone(timezone.utc)


def union(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-overlapping spans covering the same time; empty spans dropped."""
    merged: list[list[datetime]] = []
    for start, end in sorted(span for span in spans if span[1] > span[0]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def clip(spans: Iterable[Span], window: Span) -> list[Span]:
    # In UTC: subtracting two times of one local zone follows the wall clock.
    low, high = (moment.astimezone(timezone.utc) for moment in window)
    # Only what really falls inside: an empty or reversed window must not yield empty
    # bouts or negative seconds.
    cut = ((max(start, low), min(end, high)) for start, end in spans)
    return [(start, end) for start, end in cut if end > start]


def _total(spans: Iterable[Span]) -> float:
    return sum((end - start).total_seconds() for start, end in spans)


def state_spans(intervals: Iterable[Interval], states: Sequence[str]) -> list[Span]:
    return union((item.start, item.end) for item in intervals if item.state in states)


def seconds_in(intervals: Iterable[Interval], states: Sequence[str], window: Span) -> float:
    """Time in any of `states` inside `window`, counting overlaps once."""
    return _total(clip(state_spans(intervals, states), window))


def days_touched(intervals: Iterable[Interval], zone: tzinfo) -> list[date]:
    days: set[date] = set()
    for item in intervals:
        day = item.start.astimezone(zone).date()
        last = item.end.astimezone(zone).date()
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return sorted(days)


def sitting_seconds_by_day(intervals: Sequence[Interval], zone: tzinfo) -> dict[date, float]:
    """Sitting per local day, intervals cut at local midnight; days with none are left out."""
    spans = state_spans(intervals, (SITTING,))
    totals = {day: _total(clip(spans, day_bounds(day, zone))) for day in days_touched(intervals, zone)}
    return {day: seconds for day, seconds in totals.items() if seconds > 0}


def bouts(intervals: Iterable[Interval], break_min: timedelta) -> list[Bout]:
    """Continuous sitting; anything else (or nothing recorded) for break_min or more ends a bout."""
    found: list[Bout] = []
    for start, end in state_spans(intervals, (SITTING,)):
        if found and start - found[-1].end < break_min:
            found[-1] = Bout(found[-1].start, end)
        else:
            found.append(Bout(start, end))
    return found


def bouts_in(intervals: Iterable[Interval], break_min: timedelta, window: Span) -> list[Bout]:
    """Bouts cut to `window`: the part of an overnight bout that falls in the day."""
    return [Bout(start, end) for start, end in clip(((b.start, b.end) for b in bouts(intervals, break_min)), window)]


def longest_bout(intervals: Iterable[Interval], break_min: timedelta, window: Span) -> Bout | None:
    return max(bouts_in(intervals, break_min, window), key=lambda bout: bout.seconds, default=None)


def current_bout(intervals: Iterable[Interval], now: datetime, break_min: timedelta) -> Bout | None:
    """The bout still going: sitting now, or up for less than break_min so far."""
    last = max(bouts(intervals, break_min), key=lambda bout: bout.end, default=None)
    if last is None or now - last.end >= break_min:
        return None
    return last


def breaks_taken(intervals: Iterable[Interval], break_min: timedelta, window: Span) -> int:
    """Stretches of standing, break or away of at least break_min inside the window."""
    return sum(1 for start, end in clip(state_spans(intervals, UP_STATES), window) if end - start >= break_min)


def hour_starts(window: Span) -> list[datetime]:
    starts = []
    # Step in UTC: adding an hour to a local time moves the wall clock, which skips
    # or repeats an hour on a switch day.
    moment = window[0].astimezone(timezone.utc)
    while moment < window[1]:
        starts.append(moment)
        moment += timedelta(hours=1)
    return starts


def active_hours(intervals: Sequence[Interval], window: Span) -> list[datetime]:
    """Starts of the hours in `window` with at least a minute up from the chair.

    Hours are counted from the window's start (local midnight for a day), so a
    23- or 25-hour day has 23 or 25 of them.
    """
    up = state_spans(intervals, UP_STATES)
    return [
        start for start in hour_starts(window)
        if _total(clip(up, (start, min(start + timedelta(hours=1), window[1])))) >= ACTIVE_HOUR_SECONDS
    ]


def timeline(intervals: Sequence[Interval], window: Span, cells: int) -> list[str | None]:
    """For a bar of `cells` characters: the state holding most of each cell's time, or None."""
    # In UTC: arithmetic on two times of one local zone follows the wall clock.
    start, end = (moment.astimezone(timezone.utc) for moment in window)
    if cells <= 0 or end <= start:
        return []
    # Each edge from the whole span: a rounded step times `cells` overshoots the end.
    edges = [start + (end - start) * index / cells for index in range(cells + 1)]
    held = [dict.fromkeys(STATES, 0.0) for _ in range(cells)]
    # Each span adds to the few cells it covers: the bar is redrawn every second.
    for state in STATES:
        for low, high in clip(state_spans(intervals, (state,)), (start, end)):
            cell = max(0, bisect_right(edges, low) - 1)
            while cell < cells and edges[cell] < high:
                overlap = min(high, edges[cell + 1]) - max(low, edges[cell])
                held[cell][state] += max(0.0, overlap.total_seconds())
                cell += 1
    bar: list[str | None] = []
    for seconds_by_state in held:
        state, seconds = max(seconds_by_state.items(), key=lambda item: item[1])
        bar.append(state if seconds > 0 else None)
    return bar
