"""The reminder scheduler: decides, from the tracker's bout and the stored answers,
when to remind, and keeps every reminder's outcome in the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo

from glutetui.clock import Clock
from glutetui.config import Settings
from glutetui.domain import reminders as policy
from glutetui.domain import sitting
from glutetui.domain.record import record
from glutetui.domain.reminders import (
    MISSED,
    OUTCOMES,
    SNOOZED,
    TAKEN,
    QuietHours,
    ReminderRules,
)
from glutetui.domain.sitting import Bout, Interval
from glutetui.domain.timefmt import from_utc_text, local_day
from glutetui.domain.workhours import WorkingHours
from glutetui.store import posture
from glutetui.store import reminders as store
from glutetui.store import streaks

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:  # and no sqlite-utils: it reads through a plain sqlite3 connection
    from typing import Any

    from sqlite_utils import Database

    from glutetui.domain.routines import Step

STREAK_CHUNK_DAYS = 28
STREAK_MAX_DAYS = 5 * 366


def rules_from_settings(settings: Settings) -> ReminderRules:
    return ReminderRules(
        hours=settings.hours,
        remind_after=timedelta(minutes=settings.remind_after),
        repeat_every=timedelta(minutes=settings.repeat_every),
        snooze_cap=settings.snooze_cap,
        quiet=QuietHours.parse(settings.quiet_hours),
    )


@record
class DueReminder:
    """A reminder on screen, waiting for take, snooze or skip."""

    id: str
    shown_at: datetime
    bout_minutes: int
    move: Step | None
    snoozes_left: int


@record
class ReminderOutlook:
    """What Today and `glutetui status` say about reminders."""

    next_due: datetime | None  # None when not sitting in working hours
    paused_until: datetime | None
    counts: dict[str, int]  # today's outcomes
    cut_short: int = 0  # of today's taken ones, breaks ended too soon to end the bout

    def count(self, outcome: str) -> int:
        return self.counts.get(outcome, 0)


def outlook(db: Database, rules: ReminderRules, now: datetime, zone: tzinfo, *, bout: Bout | None,
            sitting_now: bool) -> ReminderOutlook:
    paused = store.paused_until(db, now)
    due = None
    if sitting_now and rules.hours.contains(now, zone):
        start = bout.start if bout is not None else now  # sat down this very moment
        due = policy.due_at(rules, start, store.shown_since(db, start), paused, zone)
    day_start, day_end = sitting.day_bounds(local_day(now, zone), zone)
    counts = store.outcomes_between(db, day_start, day_end)
    return ReminderOutlook(due, paused, {outcome: counts.get(outcome, 0) for outcome in OUTCOMES},
                           store.cut_short_between(db, day_start, day_end))


class ReminderScheduler:
    def __init__(self, db: Database, clock: Clock, rules: ReminderRules, moves: tuple[Step, ...] = ()) -> None:
        self.db = db
        self.clock = clock
        self.rules = rules
        self.moves = moves
        self.pending: DueReminder | None = None
        self.taken: str | None = None  # the id of the reminder whose break is under way

    def start(self) -> None:
        store.miss_unanswered(self.db, self.clock.now())

    def stop(self) -> None:
        self.clear_pending(MISSED)

    def check(self, *, bout: Bout | None, state: str | None, warmup_running: bool) -> DueReminder | None:
        """A new reminder when one is due now; an unanswered one it replaces counts as missed."""
        now, zone = self.clock.now(), self.clock.local_zone()
        if bout is None:
            return None
        due = policy.is_due(self.rules, now, zone, state=state, bout_start=bout.start,
                            shown=store.shown_since(self.db, bout.start),
                            paused_until=store.paused_until(self.db, now), warmup_running=warmup_running)
        if not due:
            return None
        self.clear_pending(MISSED)
        return self._show(now, bout)

    def _show(self, now: datetime, bout: Bout) -> DueReminder:
        minutes = (now - bout.start).total_seconds() / 60
        names = [move.name for move in self.moves]
        name = policy.next_move(names, store.last_move(self.db))
        move = self.moves[names.index(name)] if name else None
        reminder_id = store.add_shown(self.db, due_at=now, shown_at=now, bout_minutes=minutes, move=name)
        self.pending = DueReminder(reminder_id, now, int(minutes), move, self.snoozes_left())
        return self.pending

    def answer(self, outcome: str) -> bool:
        """The runner's answer to the reminder on screen; False when there is none to answer
        or a snooze is asked for with none left today."""
        if self.pending is None or (outcome == SNOOZED and self.snoozes_left() == 0):
            return False
        reminder, self.pending = self.pending, None
        self.taken = reminder.id if outcome == TAKEN else None
        return store.set_outcome(self.db, reminder.id, outcome, self.clock.now())

    def cut_short(self) -> None:
        """The break of the last taken reminder ended before it was long enough to end the bout."""
        if self.taken is not None:
            store.mark_cut_short(self.db, self.taken, self.clock.now())
            self.taken = None

    def clear_pending(self, outcome: str) -> DueReminder | None:
        """End the reminder on screen without a key: the runner stood up (taken) or
        it went by (missed). Returns the one cleared."""
        reminder, self.pending = self.pending, None
        if reminder is not None:
            store.set_outcome(self.db, reminder.id, outcome, self.clock.now(), answered=outcome != MISSED)
        return reminder

    def follow_state(self, state: str | None) -> DueReminder | None:
        """Getting up any way at all answers a waiting reminder; the workday ending misses it."""
        if self.pending is None or state == sitting.SITTING:
            return None
        return self.clear_pending(TAKEN if state in sitting.UP_STATES else MISSED)

    def reopen_as_missed(self, reminder_id: str) -> None:
        """An away the runner now says was sitting: the reminder it answered went by unanswered."""
        store.mark_missed(self.db, reminder_id, self.clock.now())

    def snoozes_left(self) -> int:
        now, zone = self.clock.now(), self.clock.local_zone()
        start, end = sitting.day_bounds(local_day(now, zone), zone)
        return policy.snoozes_left(self.rules, store.outcomes_between(self.db, start, end)[SNOOZED])

    def pause(self, length: timedelta | None) -> datetime:
        """Pause for `length`, or until tomorrow (local midnight) when None; returns the end."""
        now, zone = self.clock.now(), self.clock.local_zone()
        until = now + length if length else sitting.day_bounds(local_day(now, zone), zone)[1]
        store.pause(self.db, now, until)
        self.clear_pending(policy.SKIPPED)
        return until

    def resume(self) -> None:
        store.resume(self.db, self.clock.now())

    def paused_until(self) -> datetime | None:
        return store.paused_until(self.db, self.clock.now())


class StreakCounter:
    """Workdays in a row with no bout over an hour. Past days cannot change while the
    app runs, so they are read once a day; today is added each time."""

    def __init__(self, cache_writer: Callable[[], Any] | None = None) -> None:
        """`cache_writer`: opens a connection to store the day's count through, for a reader
        whose own connection cannot write (`glutetui status`); by default `db` stores it."""
        self._past: tuple[date, int] | None = None  # (today, streak up to yesterday)
        self._cache_writer = cache_writer

    def streak(self, db: Database, hours: WorkingHours, break_min: timedelta, today: date, zone: tzinfo,
               today_longest: timedelta | None, now: datetime | None = None) -> int:
        if self._past is None or self._past[0] != today:
            self._past = (today, cached_past_streak(db, hours, break_min, today, zone, self._cache_writer, now))
        before = self._past[1]
        if today.weekday() not in hours.weekdays or today_longest is None:
            return before
        return 0 if today_longest > policy.LONG_BOUT else before + 1


def cached_past_streak(db: Database, hours: WorkingHours, break_min: timedelta, today: date, zone: tzinfo,
                       cache_writer: Callable[[], Any] | None = None, now: datetime | None = None) -> int:
    """past_streak, counted once a day for every process that asks (store/streaks.py)."""
    day_start = sitting.day_bounds(today, zone)[0]
    rules = streaks.rules_key(hours.weekdays, break_min, zone, day_start)
    known, generation = streaks.cached(db, today, rules)
    if known is not None:
        return known
    counted = past_streak(db, hours, break_min, today, zone)
    writer = db if cache_writer is None else cache_writer()
    try:
        streaks.remember(writer, today, rules, day_start, counted, generation, now or day_start)
    finally:
        if writer is not db:
            writer.close()
    return counted


def past_streak(db: Database, hours: WorkingHours, break_min: timedelta, today: date, zone: tzinfo) -> int:
    """The streak that ends yesterday, read back a few weeks at a time until it breaks."""
    first = db.execute("SELECT min(started_at) FROM posture").fetchone()[0]
    if first is None:
        return 0
    earliest = max(local_day(from_utc_text(first), zone), today - timedelta(days=STREAK_MAX_DAYS))
    streak, newest = 0, today - timedelta(days=1)
    while newest >= earliest:
        oldest = max(earliest, newest - timedelta(days=STREAK_CHUNK_DAYS - 1))
        days = [newest - timedelta(days=back) for back in range((newest - oldest).days + 1)]
        start, end = sitting.day_bounds(oldest, zone)[0], sitting.day_bounds(newest, zone)[1]
        # From the evening before, so a bout that crossed midnight is whole.
        intervals = posture.intervals_between(db, start - timedelta(hours=12), end, None)
        found = [(day.weekday() in hours.weekdays, _longest(intervals, break_min, day, zone)) for day in days]
        counted = policy.workday_streak(found)
        streak += counted
        if counted < sum(1 for workday, longest in found if workday and longest is not None):
            break  # a long bout ended it within this stretch
        newest = oldest - timedelta(days=1)
    return streak


def _longest(intervals: list[Interval], break_min: timedelta, day: date, zone: tzinfo) -> timedelta | None:
    """The day's longest bout; None when nothing at all was recorded that day."""
    window = sitting.day_bounds(day, zone)
    if not any(item.start < window[1] and item.end > window[0] for item in intervals):
        return None
    bout = sitting.longest_bout(intervals, break_min, window)
    return timedelta(seconds=bout.seconds) if bout else timedelta()
