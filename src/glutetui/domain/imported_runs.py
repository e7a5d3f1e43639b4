"""Runs that come from another program (Strava, a GPS watch): what makes one usable,
and when two records are the same run."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from glutetui.domain.run_input import LONGEST_NOTES, run_problem, score_problem
from glutetui.domain.timefmt import EARLIEST_YEAR, from_utc_text

# Strava's display names of the running sports, lowered with spaces taken out.
RUN_TYPES = frozenset({"run", "trailrun", "virtualrun", "treadmill", "treadmillrun"})
# A watch file and a Strava row of one run start within seconds of each other; a run typed
# by hand is rounded to the minute or the hour. Two real runs this close are not a thing.
SAME_START = timedelta(minutes=15)
SAME_DISTANCE = 0.10  # of the longer one: GPS tracks of one run differ by a few per cent
# A row of another computer may be stamped ahead of this one's clock: by minutes when both
# keep time, by hours when one's zone is set wrong; and a reminder pause runs to the next
# midnight, up to a day ahead. Past two days it is a broken date.
ROW_FUTURE_SLACK = timedelta(days=2)


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
    """Why the run cannot be stored, or None: the same check as a typed run's."""
    problem = run_problem(run.started_at, run.distance_m, run.duration_s, run.rpe, run.notes, now)
    return None if problem is None else str(problem)


def row_problem(table: str, row: dict, now: datetime) -> str | None:
    """Why a row of a glutetui export or another glutetui database cannot be stored, or None.
    The row has the right columns and types (services.importers.native checked them); this
    is what the values mean: a run gets the check of a typed run, an ache's score its range,
    every moment a date the app can count with, every text a length it can show."""
    for name, value in row.items():
        if name.endswith("_at") and value is not None:
            moment = from_utc_text(value)
            if moment.year < EARLIEST_YEAR:
                return f"has {name} {value!r}, before {EARLIEST_YEAR}"
            if moment > now + ROW_FUTURE_SLACK:
                return f"has {name} {value!r}, in the future"
        elif isinstance(value, str) and len(value) > LONGEST_NOTES:
            return f"has {name} {len(value):,} characters long, more than {LONGEST_NOTES:,}"
    if table == "runs":
        problem = run_problem(from_utc_text(row["started_at"]), row["distance_m"], row["duration_s"], row["rpe"],
                              row["notes"], now)
        return None if problem is None else str(problem)
    if table == "aches":
        return score_problem(row["score"])
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
