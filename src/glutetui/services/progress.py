"""The week in numbers for the Progress tab and `glutetui report`, from one place.

Both call `load_progress` and format with the functions here, so the screen,
the text report and the JSON show the same minutes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from glutetui.config import Settings
from glutetui.domain import progress as weekly
from glutetui.domain.pain_timeline import PainTimeline, TimelineRun, pain_timeline
from glutetui.domain.progress import (
    DayStats,
    Progress,
    Records,
    RunRecord,
    WeekError,
    WeekStats,
)
from glutetui.domain.run_flags import PART_NAMES
from glutetui.domain.run_input import METRES_PER_MILE
from glutetui.domain.sitting import day_bounds
from glutetui.domain.timefmt import EARLIEST_YEAR, hours_minutes, local_day, to_utc_text
from glutetui.domain.wording import counted
from glutetui.errors import OptionError
from glutetui.store import posture, reminders, runs, warmups
from glutetui.services.runs import ShownRun, flagged_runs_between
from glutetui.services.storage import StorageError
from glutetui.store.db import connect_reader, storage_problem

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:
    from sqlite_utils import Database


class ReportError(OptionError):
    """A --week or --date that names no week we can show."""


def load_progress(db: Database, *, now: datetime, zone: tzinfo, settings: Settings, start: date | None = None,
                  open_until: datetime | None = None) -> Progress:
    """The week from `start` (this week when None) with its trends; the open posture
    interval counts up to `open_until` (left out when None)."""
    start = start or this_week(now, zone, settings)
    low, high = weekly.span_needed(start, zone)
    records = Records(
        intervals=posture.intervals_between(db, low, high, open_until),
        reminders=reminders.outcomes_due_between(db, low, high),
        warmups=warmups.finished_between(db, low, high),
        runs=[RunRecord(run.started_at, run.distance_m, run.aches, run.warmup_completed)
              for run in runs.runs_between(db, low, high)],
    )
    return weekly.progress(records, start, zone, timedelta(minutes=settings.break_min), now=now)


def span_runs(db: Database, weeks: Sequence[date], zone: tzinfo) -> list[ShownRun]:
    """The runs of the consecutive weeks starting on `weeks`, with their flags."""
    low = day_bounds(weeks[0], zone)[0]
    high = day_bounds(weeks[-1] + timedelta(days=6), zone)[1]
    return flagged_runs_between(db, low, high)


def timeline_of(shown: Sequence[ShownRun], weeks: Sequence[date], zone: tzinfo) -> PainTimeline:
    return pain_timeline([TimelineRun(item.run.id, item.run.started_at, item.run.aches, tuple(item.flags))
                          for item in shown], weeks, zone)


def load_pain_timeline(db: Database, progress: Progress, zone: tzinfo) -> PainTimeline:
    """Pain by part and side over the weeks of the Progress tab's trends."""
    weeks = [week.start for week in progress.trend]
    return timeline_of(span_runs(db, weeks, zone), weeks, zone)


def this_week(now: datetime, zone: tzinfo, settings: Settings) -> date:
    return weekly.week_start_of(local_day(now, zone), settings.week_start)


class ProgressLoader:
    """Loads a week in whatever thread calls it, on a read-only connection of its own
    (a sqlite connection belongs to the thread that made it)."""

    def __init__(self, db_path: Path, now: Callable[[], datetime], zone: Callable[[], tzinfo],
                 settings: Callable[[], Settings]) -> None:
        self.db_path, self._now, self._zone, self._settings = db_path, now, zone, settings

    def this_week(self) -> date:
        return this_week(self._now(), self._zone(), self._settings())

    def load(self, start: date | None) -> tuple[Progress, PainTimeline]:
        """The week and the pain timeline of its trend weeks, from one connection.
        Raises StorageError, with its sentence, when the file cannot be read."""
        try:
            db = connect_reader(self.db_path)  # the app checked and migrated the file when it opened
            try:
                now, zone = self._now(), self._zone()
                progress = load_progress(db, now=now, zone=zone, settings=self._settings(), start=start,
                                         open_until=now)
                return progress, load_pain_timeline(db, progress, zone)
            finally:
                db.close()
        except sqlite3.Error as error:
            raise StorageError(f"{self.db_path}: {storage_problem(error, self.db_path)}") from None


def week_asked(week: str | None, day: str | None, now: datetime, zone: tzinfo, settings: Settings) -> date:
    """The start of the week `--week` or `--date` names (this week without either)."""
    latest = this_week(now, zone, settings)
    if week is not None:
        try:
            monday = weekly.parse_week(week)
        except WeekError as error:
            raise ReportError("--week", f"{error}. Write it like 2026-W47.") from None
        start, option, text = weekly.week_start_of(monday, settings.week_start), "--week", week
    elif day is not None:
        try:
            start = weekly.week_start_of(date.fromisoformat(day.strip()), settings.week_start)
        except ValueError:
            raise ReportError("--date", f"{day!r} is not a date like 2026-11-18.") from None
        option, text = "--date", day
    else:
        return latest
    if start.year < EARLIEST_YEAR:
        raise ReportError(option, f"{text} is before {EARLIEST_YEAR}; glutetui holds nothing that old.")
    if start > latest:
        raise ReportError(option, f"{text} is in a week that has not begun; the latest is "
                          f"{weekly.week_label(latest)}.")
    return start


# ---- how numbers are written ------------------------------------------------------------

def distance(metres: float, unit: str) -> float:
    return metres / (METRES_PER_MILE if unit == "mi" else 1000.0)


def distance_text(metres: float, unit: str) -> str:
    return f"{distance(metres, unit):.1f}"


def minutes_text(minutes: int) -> str:
    return hours_minutes(minutes * 60)


def week_title(week: WeekStats) -> str:
    """"2026-W47, 16-22 Nov 2026"; "2026-W49, 30 Nov-6 Dec 2026"; across new year both years."""
    first, last = week.start, week.end
    if first.year != last.year:
        return f"{week.label}, {first:%-d %b %Y}-{last:%-d %b %Y}"
    if first.month != last.month:
        return f"{week.label}, {first:%-d %b}-{last:%-d %b %Y}"
    return f"{week.label}, {first:%-d}-{last:%-d %b %Y}"


DAY_COLUMNS = ("Day", "Sitting", "Bout", "Breaks", "Skip", "Miss", "Active", "Warm-up", "Runs", "{unit}", "Aches")


NOT_YET = "-"  # a day still to come: no numbers yet, which is not zero


def day_cells(day: DayStats, unit: str, label: str | None = None, lived: bool = True) -> list[str]:
    """One row of the day table: the same cells on screen and in `glutetui report`."""
    name = label or f"{day.day:%a %-d}"
    if not lived:
        return [name] + [NOT_YET] * (len(DAY_COLUMNS) - 1)
    return [
        name,
        minutes_text(day.sitting_minutes),
        minutes_text(day.longest_bout_minutes),
        str(day.breaks_taken),
        str(day.reminders_skipped),
        str(day.reminders_missed),
        str(day.active_hours),
        str(day.warmups_completed) + (f"+{day.warmups_partial}p" if day.warmups_partial else ""),
        str(day.runs),
        distance_text(day.distance_m, unit),
        str(day.ache_count),
    ]


@dataclass(frozen=True)
class Change:
    """This week against the last: ▲ 2:05, ▼ 3, or = when level."""
    short: str
    better: bool | None  # None: level

    against: str = "last week"
    known: bool = True  # False: nothing was recorded last week, so there is nothing to compare

    @property
    def text(self) -> str:
        if not self.known:
            return "nothing recorded last week"
        return f"same as {self.against}" if self.better is None else f"{self.short} vs {self.against}"


def change(now: float, before: float, *, text: Callable[[float], str], lower_is_better: bool,
           against: str = "last week") -> Change:
    if round(now, 6) == round(before, 6):
        return Change("=", None, against)
    arrow = "▲" if now > before else "▼"
    return Change(f"{arrow} {text(abs(now - before))}", (now < before) == lower_is_better, against)


def compared_with(progress: Progress) -> str:
    """"last week", or "last week to Tue 10:00" while this week is under way: last week
    counted up to the same weekday and time of day."""
    if progress.compared_until is None:
        return "last week"
    return f"last week to {progress.compared_until:%a %H:%M}"


@dataclass(frozen=True)
class SummaryLine:
    area: str
    text: str
    change: Change


def summary_lines(progress: Progress, unit: str, goal_minutes: int) -> list[SummaryLine]:
    week, last, against = progress.week.totals, progress.compared, compared_with(progress)
    over_goal = sum(1 for day in progress.week.days if day.sitting_minutes > goal_minutes)
    warmed = f"{week.runs_warmed_up} of {counted(week.runs, 'run')} warmed up" if week.runs else "no runs"
    lines = [
        SummaryLine("Sitting", f"{minutes_text(week.sitting_minutes)} h · longest bout "
                    f"{minutes_text(week.longest_bout_minutes)} · {counted(over_goal, 'day')} "
                    f"over {minutes_text(goal_minutes)}",
                    change(week.sitting_minutes, last.sitting_minutes, text=lambda v: minutes_text(int(v)),
                           lower_is_better=True, against=against)),
        SummaryLine("Breaks", f"{week.breaks_taken} taken · {counted(week.reminders_skipped, 'reminder')} skipped, "
                    f"{week.reminders_missed} missed",
                    change(week.breaks_taken, last.breaks_taken, text=lambda v: f"{v:.0f}", lower_is_better=False,
                           against=against)),
        SummaryLine("Warm-ups", f"{week.warmups_completed} full, {week.warmups_partial} partial · {warmed}",
                    change(week.warmups_completed, last.warmups_completed, text=lambda v: f"{v:.0f}",
                           lower_is_better=False, against=against)),
        SummaryLine("Running", f"{distance_text(week.distance_m, unit)} {unit} in {counted(week.runs, 'run')}",
                    change(distance(week.distance_m, unit), distance(last.distance_m, unit),
                           text=lambda v: f"{v:.1f} {unit}", lower_is_better=False, against=against)),
        SummaryLine("Aches", aches_text(week),
                    change(week.ache_count, last.ache_count, text=lambda v: f"{v:.0f}", lower_is_better=True,
                           against=against)),
    ]
    if not (last.tracked or last.runs):
        # Nothing recorded is not zero: a first week, or last week's first days before
        # tracking began, would read as every number going up.
        return [SummaryLine(line.area, line.text, Change("-", None, known=False)) for line in lines]
    return lines


def aches_text(totals: DayStats) -> str:
    """"2 at 3/10 or more · knee 2 (worst 5), hip 0 (worst 2)"."""
    if not totals.aches:
        return "none logged"
    parts = ", ".join(f"{PART_NAMES.get(part, part)} {found.count} (worst {found.worst})"
                      for part, found in totals.aches.items())
    return f"{totals.ache_count} at 3/10 or more · {parts}"


@dataclass(frozen=True)
class TrendLine:
    label: str
    values: list[float]  # oldest first; a week without runs has a rate of 0 here
    latest: str


def trend_lines(progress: Progress, unit: str) -> list[TrendLine]:
    weeks = progress.trend
    rates = [week.warmup_rate for week in weeks]
    last_rate = rates[-1]
    return [
        TrendLine("Sitting h/week", [week.totals.sitting_minutes / 60 for week in weeks],
                  f"{minutes_text(weeks[-1].totals.sitting_minutes)} h"),
        TrendLine(f"{unit} /week", [distance(week.totals.distance_m, unit) for week in weeks],
                  f"{distance_text(weeks[-1].totals.distance_m, unit)} {unit}"),
        TrendLine("Aches /week", [float(week.totals.ache_count) for week in weeks],
                  f"{weeks[-1].totals.ache_count}"),
        TrendLine("Warm-up rate", [rate or 0.0 for rate in rates],
                  f"{last_rate:.0%}" if last_rate is not None else "no runs"),
    ]


# ---- the report -------------------------------------------------------------------------

def day_json(day: DayStats) -> dict:
    return {
        "date": day.day.isoformat(),
        "sitting_minutes": day.sitting_minutes,
        "longest_bout_minutes": day.longest_bout_minutes,
        "breaks_taken": day.breaks_taken,
        "reminders_skipped": day.reminders_skipped,
        "reminders_missed": day.reminders_missed,
        "active_hours": day.active_hours,
        "warmups_completed": day.warmups_completed,
        "warmups_partial": day.warmups_partial,
        "runs": day.runs,
        "runs_warmed_up": day.runs_warmed_up,
        "distance_km": round(day.distance_m / 1000, 3),
        "aches": {part: {"count": found.count, "worst_score": found.worst, "worst_zone": found.zone}
                  for part, found in day.aches.items()},
    }


def totals_json(totals: DayStats) -> dict:
    found = day_json(totals)
    del found["date"]
    return {**found, "ache_count": totals.ache_count}


def report_json(progress: Progress, settings: Settings, now: datetime) -> dict:
    week = progress.week
    return {
        "week": week.label,
        "start": week.start.isoformat(),
        "end": week.end.isoformat(),
        "week_starts_on": settings.week_start,
        "made_at": to_utc_text(now),
        "sitting_goal_minutes": settings.sitting_goal_minutes,
        "days": [day_json(day) for day in week.days],
        "totals": totals_json(week.totals),
        "previous_totals": totals_json(progress.previous.totals),
        # While the week is under way the changes compare it with the last week up to the same
        # weekday and time of day (`compared_until`); `days_compared` is how many days that reaches.
        "days_compared": progress.days_compared,
        "compared_until": to_utc_text(progress.compared_until) if progress.compared_until is not None else None,
        "previous_totals_to_date": totals_json(progress.compared),
        "trend": [{"week": item.label, "start": item.start.isoformat(),
                   "sitting_hours": round(item.totals.sitting_minutes / 60, 2),
                   "distance_km": round(item.totals.distance_m / 1000, 3),
                   "aches": item.totals.ache_count,
                   "warmup_rate": round(item.warmup_rate, 3) if item.warmup_rate is not None else None}
                  for item in progress.trend],
        "insights": [{"key": item.key, "text": item.text, "n": item.n, "ready": item.ready}
                     for item in progress.insights],
    }


def report_text(progress: Progress, settings: Settings) -> str:
    unit = settings.units
    goal = settings.sitting_goal_minutes
    lines = [f"Week {week_title(progress.week)}", ""]
    for line in summary_lines(progress, unit, goal):
        lines.append(f"{line.area:<9} {line.text} ({line.change.text})")
    rows = [[header.format(unit=unit) for header in DAY_COLUMNS]]
    rows += [day_cells(day, unit, lived=progress.lived(day.day)) for day in progress.week.days]
    rows.append(day_cells(progress.week.totals, unit, "Week"))
    rows.append(day_cells(progress.previous.totals, unit, "Last wk"))
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
    lines.append("")
    for number, row in enumerate(rows):
        cells = [cell.ljust(width) if index == 0 else cell.rjust(width)
                 for index, (cell, width) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
        if number in (0, 7):
            lines.append("  ".join("-" * width for width in widths))
    lines += ["", "Bout: longest sitting bout (week row: the week's longest). Skip, Miss: reminders skipped or "
              "missed.", "Active: hours with at least a minute up. Warm-up: full (+partial). Aches: 3/10 or more."]
    lines += ["", "Insights (last 12 weeks):"]
    lines += [f"- {item.text}" for item in progress.insights]
    return "\n".join(lines)
