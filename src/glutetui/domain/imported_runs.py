"""Runs that come from another program (Strava, a GPS watch): what makes one usable,
and when two records are the same run."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from glutetui.domain.run_input import LONGEST_DISTANCE_M, LONGEST_DURATION_S
from glutetui.domain.timefmt import EARLIEST_YEAR

# Strava's display names of the running sports, lowered with spaces taken out.
RUN_TYPES = frozenset({"run", "trailrun", "virtualrun", "treadmill", "treadmillrun"})
# A watch file and a Strava row of one run start within seconds of each other; a run typed
# by hand is rounded to the minute or the hour. Two real runs this close are not a thing.
SAME_START = timedelta(minutes=15)
SAME_DISTANCE = 0.10  # of the longer one: GPS tracks of one run differ by a few per cent
FUTURE_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class ImportedRun:
    started_at: datetime
    distance_m: float
    duration_s: int
    rpe: int | None
    notes: str
    source: str
    external_id: str
    where: str  # how the summary names it: "row 12", "track 2 (Lunch loop)"


@dataclass(frozen=True)
class KnownRun:
    started_at: datetime
    id: str
    distance_m: float


def is_running(activity_type: str) -> bool:
    return activity_type.lower().replace(" ", "").replace("_", "") in RUN_TYPES


def problem_with(run: ImportedRun, now: datetime) -> str | None:
    """Why the run cannot be stored, or None."""
    if not run.distance_m > 0:
        return "has no distance"
    if run.distance_m >= LONGEST_DISTANCE_M:
        return f"claims {run.distance_m / 1000:,.0f} km, more than any run"
    if run.duration_s <= 0:
        return "has no time"
    if run.duration_s >= LONGEST_DURATION_S:
        return "lasts 48 hours or more"
    if run.started_at.year < EARLIEST_YEAR:
        return f"starts before {EARLIEST_YEAR} ({run.started_at.date().isoformat()})"
    if run.started_at > now + FUTURE_SLACK:
        return f"starts in the future ({run.started_at:%Y-%m-%d %H:%M} UTC)"
    return None


def same_run(known: Sequence[KnownRun], started_at: datetime, distance_m: float) -> KnownRun | None:
    """A run already here that is this one (known is sorted by start)."""
    first = bisect_left(known, started_at - SAME_START, key=lambda run: run.started_at)
    for run in known[first:]:
        if run.started_at > started_at + SAME_START:
            return None
        longer = max(run.distance_m, distance_m)
        if abs(run.distance_m - distance_m) <= SAME_DISTANCE * longer:
            return run
    return None
