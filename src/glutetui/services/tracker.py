"""The sitting tracker: keeps today's posture honest while the app runs.

The app calls `tick()` about once a second and `observe_idle()` whenever the
idle probe has read the system. Every change of state is written to the
database at once, so a crash loses at most the last heartbeat interval.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from glutetui.clock import Clock
from glutetui.config import Settings
from glutetui.domain import sitting
from glutetui.domain.record import record
from glutetui.domain.reminders import ReminderRules
from glutetui.domain.sitting import AWAY, SITTING, Bout, Interval
from glutetui.domain.timefmt import local_day
from glutetui.domain.workhours import WorkingHours
from glutetui.services.reminders import ReminderOutlook, StreakCounter, outlook
from glutetui.services.reminders import rules_from_settings as reminder_rules
from glutetui.store import posture
from glutetui.store.posture import PostureRow

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:  # and no sqlite-utils: it reads through a plain sqlite3 connection
    from sqlite_utils import Database

    from glutetui.services.idle import IdleReading

HEARTBEAT = timedelta(seconds=30)
AUTO, MANUAL, IDLE, SUSPEND = "auto", "manual", "idle", "suspend"
SYSTEM_SOURCES = (AUTO, IDLE, SUSPEND)


@record
class TrackerRules:
    hours: WorkingHours
    break_min: timedelta
    reminders: ReminderRules
    gap_after: timedelta
    idle_after: timedelta
    goal: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> TrackerRules:
        return cls(
            hours=settings.hours,
            break_min=timedelta(minutes=settings.break_min),
            reminders=reminder_rules(settings),
            gap_after=timedelta(minutes=settings.gap_after),
            idle_after=timedelta(minutes=settings.idle_after),
            goal=timedelta(hours=settings.sitting_goal_hours),
        )


@record
class AwayReturn:
    """The runner is back after time the app counted as away; ask if they were up."""
    posture_ids: tuple[str, ...]
    started: datetime
    ended: datetime

    @property
    def minutes(self) -> int:
        return round((self.ended - self.started).total_seconds() / 60)


@record
class TodaySummary:
    day: date
    day_window: tuple[datetime, datetime]
    now: datetime
    state: str | None
    source: str | None
    in_hours: bool
    sitting_seconds: float
    goal_seconds: float
    bout: Bout | None
    longest: Bout | None
    breaks: int
    active_hours: int
    reminders: ReminderOutlook
    streak: int  # workdays in a row with no bout over an hour
    intervals: tuple[Interval, ...]
    timeline_window: tuple[datetime, datetime]

    @property
    def next_reminder_at(self) -> datetime | None:
        return self.reminders.next_due


class SittingTracker:
    def __init__(self, db: Database, clock: Clock, rules: TrackerRules) -> None:
        self.db = db
        self.clock = clock
        self.rules = rules
        self.open: PostureRow | None = None
        self._last_tick: datetime | None = None  # the last tick whose writes were all stored
        self._awake_at: datetime | None = None
        self._last_beat: datetime | None = None
        self._idle_away = False
        self._resume: tuple[str, str] | None = None  # the state to go back to after an idle away
        self._streaks = StreakCounter()

    # ---- lifecycle ---------------------------------------------------------------

    def start(self) -> PostureRow | None:
        """Close what a crash left open, then begin tracking; returns the recovered interval."""
        now = self.clock.now()
        zone = self.clock.local_zone()
        stored = posture.open_posture(self.db)
        recovered = None
        if stored is not None and posture.is_unwatched(stored) and local_day(stored.started_at, zone) == local_day(now, zone):
            self.open = stored  # `glutetui stand` before the app opened: the runner's word stands
        elif stored is not None:
            posture.recover_open(self.db, now, zone)
            # A command's state from an earlier day simply ended; only a crash is news.
            recovered = None if posture.is_unwatched(stored) else stored
        self.tick()
        return recovered

    def stop(self) -> None:
        """The app is closing: the open interval ends now."""
        if self.open is not None:
            posture.end_open(self.db, self.clock.now())
            self.open = None

    # ---- the running clock -------------------------------------------------------

    def tick(self, awake_until: datetime | None = None) -> AwayReturn | None:
        """`awake_until`: the app was seen running up to then (its timer fired), though this
        tick waited for the file; only time after it can be a gap."""
        now = self.clock.now()
        if awake_until is not None and self._awake_at is not None and self._awake_at < awake_until <= now:
            self._awake_at = awake_until
        back = self._check_gap(now)
        # Seen awake even when a write below fails: a spell of full disk is not a suspend.
        self._awake_at = now
        self._follow_working_hours(now)
        self._heartbeat(now)
        self._last_tick = now
        return back

    def _check_gap(self, now: datetime) -> AwayReturn | None:
        last = self._awake_at
        if last is None:
            return None
        if now < last:
            # The clock was set back: what is open ends at the last tick we saw.
            self._reopen_after(last, now)
            return None
        if now - last <= self.rules.gap_after:
            return None
        mine = self.open
        self.sync()
        if self.open != mine:
            return None  # a command said what happened while the app was stopped; it stands
        return self._record_gap(last, now)

    def _reopen_after(self, last: datetime, now: datetime) -> None:
        current = self.open
        if current is None:
            return
        posture.end_open(self.db, last)
        self.open = posture.begin_state(self.db, current.state, now, current.source, current.note,
                                        warmup_id=current.warmup_id)
        self._last_beat = now

    def _record_gap(self, last: datetime, now: datetime) -> AwayReturn | None:
        """Suspend, ctrl+z, a paused VM or a clock set forward: the app did not see that time."""
        # Only the stretch that begins where the app stopped: after a night or a weekend
        # off, the day had not begun for the runner before the computer woke.
        pieces = self.rules.hours.spans_within(last, now, self.clock.local_zone())[:1]
        pieces = [piece for piece in pieces if piece[0] == last]
        before = self.open
        ids = posture.record_gap(self.db, last, pieces, SUSPEND)
        self.open = None
        self._idle_away = False
        if not ids or pieces[-1][1] != now:
            return None
        started = pieces[-1][0]
        if before is not None and before.state == AWAY and before.source == IDLE:
            # Idle before the laptop slept: one away stretch, one question.
            return AwayReturn((before.id, *ids), before.started_at, now)
        return AwayReturn((ids[-1],), started, now)

    def _follow_working_hours(self, now: datetime) -> None:
        zone = self.clock.local_zone()
        in_hours = self.rules.hours.contains(now, zone)
        current = self.open
        if in_hours and current is None:
            self._begin(SITTING, now, AUTO)
        elif not in_hours and current is not None and self._assumed_in_hours(current):
            # The workday is over: assume nothing more. End it at the boundary this tick
            # crossed; when the hours themselves changed, now.
            last = self._last_tick
            change = self.rules.hours.next_change(last, zone) if last else None
            end = change if change is not None and change <= now else now
            posture.end_open(self.db, max(end, current.started_at))
            self.open = None
            self._idle_away = False

    def _assumed_in_hours(self, current: PostureRow) -> bool:
        """Begun in working hours or assumed by the app: it ends with the workday."""
        return current.source in SYSTEM_SOURCES or self.rules.hours.contains(current.started_at,
                                                                             self.clock.local_zone())

    def _heartbeat(self, now: datetime) -> None:
        if self.open is None or (self._last_beat is not None and now - self._last_beat < HEARTBEAT):
            return
        if posture.touch(self.db, self.open.id, now):
            self._last_beat = now
        else:
            self.sync()  # a command in another process changed the state

    # ---- what the runner and the system say --------------------------------------

    def set_state(self, state: str, source: str = MANUAL, at: datetime | None = None,
                  warmup_id: str | None = None) -> None:
        """`at` is when the runner said it: a key pressed while the file was busy keeps its moment."""
        self._idle_away = False
        now = self.clock.now()
        begun = now if at is None else min(at, now)
        if self.open is not None:
            begun = max(begun, self.open.started_at)  # never reach back past what is already stored
        self._begin(state, begun, source, warmup_id)

    def mark_idle_away(self) -> None:
        """The away just begun ends at the next input, as an idle one does."""
        self._idle_away = True
        self._resume = (SITTING, AUTO)

    def back_to_sitting(self) -> None:
        self.set_state(SITTING)

    def observe_idle(self, reading: IdleReading, at: datetime | None = None) -> AwayReturn | None:
        """`at`: when the reading was taken; it may be stored a while later, behind a busy file."""
        now = self.clock.now() if at is None else min(at, self.clock.now())
        self.sync()  # act on what is stored, not on what a command may have replaced
        current = self.open
        if current is None:
            return None
        if self._idle_away:
            return self._maybe_back(current, reading, now)
        if current.state not in (SITTING, "standing"):
            return None
        # Idle time before this interval began belongs to an earlier question.
        idle_since = max(now - timedelta(seconds=reading.idle_seconds), current.started_at)
        if reading.locked or now - idle_since >= self.rules.idle_after:
            self._resume = (current.state, current.source)
            self._begin(AWAY, idle_since, IDLE)
            self._idle_away = True
        return None

    def _maybe_back(self, current: PostureRow, reading: IdleReading, now: datetime) -> AwayReturn | None:
        input_at = now - timedelta(seconds=reading.idle_seconds)
        if reading.locked or input_at <= current.started_at:
            return None
        state, source = self._resume or (SITTING, AUTO)
        self._idle_away = False
        self._begin(state, input_at, source)
        if input_at - current.started_at < self.rules.break_min:
            return None  # a glance at a locked screen is not worth a question
        return AwayReturn((current.id,), current.started_at, input_at)

    def answer_return(self, back: AwayReturn, was_up: bool) -> None:
        if not was_up:
            posture.relabel(self.db, list(back.posture_ids), SITTING, "was sitting: said so on return",
                            self.clock.now())

    def sync(self) -> None:
        """Adopt what another process (a `glutetui stand`) stored."""
        stored = posture.open_posture(self.db)
        if stored is None or self.open is None or stored.id != self.open.id:
            self._idle_away = stored is not None and stored.state == AWAY and stored.source == IDLE
            self.open = stored
            self._last_beat = None
            self._heartbeat(self.clock.now())

    def _begin(self, state: str, at: datetime, source: str, warmup_id: str | None = None) -> None:
        self.open = posture.begin_state(self.db, state, at, source, warmup_id=warmup_id)
        self._last_beat = at

    # ---- what Today shows --------------------------------------------------------

    def forget_streak(self) -> None:
        self._streaks = StreakCounter()

    def summary(self) -> TodaySummary:
        now = self.clock.now()
        return summarise(self.db, self.rules, now, self.clock.local_zone(), self.open,
                         open_until=now if self.open else None, streaks=self._streaks)


def summarise(db: Database, rules: TrackerRules, now: datetime, zone, current: PostureRow | None,
              open_until: datetime | None, streaks: StreakCounter | None = None) -> TodaySummary:
    """Today's numbers; the open interval counts up to `open_until`."""
    day = now.astimezone(zone).date()
    window = sitting.day_bounds(day, zone)
    # From yesterday evening, so a bout that began before midnight is whole.
    intervals = posture.intervals_between(db, window[0] - timedelta(hours=12), window[1], open_until)
    bout = sitting.current_bout(intervals, now, rules.break_min)
    in_hours = rules.hours.contains(now, zone)
    sitting_now = current is not None and current.state == SITTING and open_until == now
    longest = sitting.longest_bout(intervals, rules.break_min, window)
    today_longest = timedelta(seconds=longest.seconds) if longest else (timedelta() if any(item.end > window[0] for item in intervals) else None)
    streak = (streaks or StreakCounter()).streak(db, rules.hours, rules.break_min, day, zone, today_longest,
                                                  now=now)
    return TodaySummary(
        day=day,
        day_window=window,
        now=now,
        state=current.state if current and open_until == now else None,
        source=current.source if current and open_until == now else None,
        in_hours=in_hours,
        sitting_seconds=sitting.seconds_in(intervals, (SITTING,), window),
        goal_seconds=rules.goal.total_seconds(),
        bout=bout,
        longest=longest,
        breaks=sitting.breaks_taken(intervals, rules.break_min, window),
        active_hours=len(sitting.active_hours(intervals, window)),
        reminders=outlook(db, rules.reminders, now, zone, bout=bout, sitting_now=sitting_now),
        streak=streak,
        intervals=tuple(intervals),
        timeline_window=timeline_window(window, rules.hours, zone, intervals, now),
    )


def timeline_window(day: tuple[datetime, datetime], hours: WorkingHours, zone, intervals, now: datetime):
    """Whole hours over the working hours, widened to the records outside them.

    Now alone does not widen it: at 01:00 with nothing recorded the bar still shows the
    workday ahead, not 01:00 to its end.
    """
    moments = [moment for item in intervals for moment in (item.start, item.end)]
    moments += [moment for span in hours.spans_within(*day, zone) for moment in span] if not hours.always else []
    inside = [moment for moment in moments if day[0] <= moment <= day[1]] or [now]
    hour = timedelta(hours=1)
    start = day[0] + hour * ((min(inside) - day[0]) // hour)
    end = min(day[1], day[0] + hour * -((day[0] - max(inside)) // hour))
    return start, max(end, min(day[1], start + hour))
