"""Reminder policy: when the next stand-up reminder is due, and whether it may be shown now.

Pure: the caller passes the current bout, the reminders already shown in it, any
pause, and the time. Nothing here reads a clock or a database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, time, timedelta, tzinfo

from glutetui.domain.record import record
from glutetui.domain.sitting import SITTING
from glutetui.domain.walltime import datetime_exists
from glutetui.domain.workhours import (
    WorkingHours,
    WorkingHoursError,
    offset_change,
    parse_time_of_day,
    time_of_day_text,
    wall_readings,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:
    from glutetui.domain.routines import Step, TimedStep

TAKEN, SNOOZED, SKIPPED, MISSED = "taken", "snoozed", "skipped", "missed"
OUTCOMES = (TAKEN, SNOOZED, SKIPPED, MISSED)
SNOOZE = timedelta(minutes=5)
LONG_BOUT = timedelta(hours=1)  # the streak counts workdays with no bout longer than this
QUIET_EXAMPLE = 'quiet_hours = "12:00-13:00, 16:30-17:00" (or "" for none)'
KEEP_MOVING = ("Keep moving", "Walk a few steps, roll your shoulders,\nfetch some water. Sit down when the time is up.")
_SPAN = re.compile(r"^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")


class QuietHoursError(ValueError):
    pass


@record
class QuietHours:
    """Times of day, every day, when no reminder is shown: lunch, a daily stand-up call."""

    spans: tuple[tuple[time, time], ...] = ()

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        spans = []
        for part in filter(str.strip, text.split(",")):
            match = _SPAN.match(part)
            if not match:
                raise QuietHoursError(f"{part.strip()!r} is not a span like \"12:00-13:00\"")
            try:
                start, end = (parse_time_of_day(value) for value in match.groups())
            except WorkingHoursError as error:
                raise QuietHoursError(str(error)) from None
            if end <= start:
                raise QuietHoursError(f"{part.strip()!r} ends at or before it starts; use a span within one day")
            spans.append((start, end))
        return cls(tuple(sorted(spans)))

    def __str__(self) -> str:
        return ", ".join(f"{time_of_day_text(start)}-{time_of_day_text(end)}" for start, end in self.spans)

    def end_of(self, moment: datetime, zone: tzinfo) -> datetime | None:
        """When the quiet span holding `moment` is over; None when `moment` is not quiet."""
        local = moment.astimezone(zone)
        for start, end in self.spans:
            if start <= local.time() < end or (end == time.max and local.time() >= start):
                if end == time.max:
                    over = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone)
                else:
                    over = _wall_time_reached(local, end, zone)
                return max(over.astimezone(moment.tzinfo), moment + timedelta(microseconds=1))
        return None


def _wall_time_reached(local: datetime, clock: time, zone: tzinfo) -> datetime:
    """When the wall clock next shows `clock` on `local`'s day: in a repeated hour, on the same
    pass as `local`; where the clocks jump over it, at the jump."""
    wall = datetime.combine(local.date(), clock, tzinfo=zone)
    if datetime_exists(wall):
        return wall.replace(fold=local.fold)
    return offset_change(zone, *wall_readings(wall))


@record
class ReminderRules:
    hours: WorkingHours
    remind_after: timedelta
    repeat_every: timedelta
    snooze_cap: int
    quiet: QuietHours = QuietHours()
    snooze: timedelta = SNOOZE


@record
class Shown:
    """A reminder already shown in the current bout; `outcome` None while it waits for an answer."""

    shown_at: datetime
    outcome: str | None = None
    responded_at: datetime | None = None


def due_at(rules: ReminderRules, bout_start: datetime, shown: Sequence[Shown],
           paused_until: datetime | None, zone: tzinfo) -> datetime:
    """When the bout that began at `bout_start` next earns a reminder."""
    due = _due_by_answers(rules, bout_start, shown)
    if paused_until is not None and paused_until > due:
        due = paused_until
    # Quiet spans can touch ("12:00-13:00, 13:00-13:30"): step past each in turn.
    for _ in range(len(rules.quiet.spans) + 1):
        over = rules.quiet.end_of(due, zone)
        if over is None:
            break
        due = over
    return due


def _due_by_answers(rules: ReminderRules, bout_start: datetime, shown: Sequence[Shown]) -> datetime:
    if not shown:
        return bout_start + rules.remind_after
    last = shown[-1]
    if last.outcome in (None, MISSED):
        return last.shown_at + rules.repeat_every  # ignored: ask again, with the longer bout
    answered = last.responded_at or last.shown_at
    if last.outcome == SNOOZED:
        return answered + rules.snooze
    return answered + rules.remind_after  # skipped, or a break too short to end the bout


def may_remind(rules: ReminderRules, now: datetime, zone: tzinfo, *, state: str | None,
               warmup_running: bool) -> bool:
    """Only a runner sitting in working hours, not in the middle of a warm-up, is reminded."""
    return state == SITTING and not warmup_running and rules.hours.contains(now, zone)


def is_due(rules: ReminderRules, now: datetime, zone: tzinfo, *, state: str | None, bout_start: datetime | None,
           shown: Sequence[Shown], paused_until: datetime | None, warmup_running: bool) -> bool:
    if bout_start is None or not may_remind(rules, now, zone, state=state, warmup_running=warmup_running):
        return False
    return due_at(rules, bout_start, shown, paused_until, zone) <= now


def snoozes_left(rules: ReminderRules, snoozed_today: int) -> int:
    return max(0, rules.snooze_cap - snoozed_today)


def next_move(moves: Sequence[str], last: str | None) -> str | None:
    """The desk move after the last one shown, so the runner gets a different one each time."""
    if not moves:
        return None
    if last not in moves:
        return moves[0]
    return moves[(moves.index(last) + 1) % len(moves)]


def workday_streak(days: Sequence[tuple[bool, timedelta | None]]) -> int:
    """Workdays in a row, newest first, with no bout longer than an hour.

    Each item is (is_workday, longest_bout); a longest of None means nothing was
    recorded that day (a holiday, a day off sick): it neither counts nor breaks.
    """
    streak = 0
    for is_workday, longest in days:
        if not is_workday or longest is None:
            continue
        if longest > LONG_BOUT:
            break
        streak += 1
    return streak


def desk_break_steps(move: Step | None, break_min: timedelta) -> list[TimedStep]:
    """The taken break on the warm-up engine: the move, then walking until `break_min` is up,
    so that the break is long enough to end the bout."""
    from glutetui.domain.routines import Routine, TimedStep, expand  # here: the status line shows no move

    steps = expand(Routine(key="desk-break", title="", description="", steps=(move,))) if move else []
    short = break_min.total_seconds() - sum(step.seconds for step in steps)
    if short > 0:
        steps.append(TimedStep(*KEEP_MOVING, seconds=short))
    return steps
