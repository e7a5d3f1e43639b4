"""The runner's day: posture, stand-up reminders, a routine in progress and "out running".

One object owns the day's policy, pure of Textual and driven by the injected clock.
The app calls `tick()` about once a second and one method per thing the runner or
the computer says; each returns the `events` the screen should show. Every method
reads or writes the database, so the app calls them on its storage thread only.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta

from glutetui.clock import Clock
from glutetui.config import Settings
from glutetui.domain.record import record
from glutetui.domain.reminders import TAKEN, desk_break_steps
from glutetui.domain.routines import Step, TimedStep, is_pre_run
from glutetui.domain.sitting import AWAY, BREAK, EXERCISE, OUT, SITTING
from glutetui.domain.timefmt import spoken_minutes, spoken_seconds, wall_clock
from glutetui.services.idle import IdleReading
from glutetui.services.reminders import DueReminder, ReminderScheduler
from glutetui.services.reminders import rules_from_settings as reminder_rules
from glutetui.services.tracker import IDLE, MANUAL, AwayReturn, SittingTracker, TodaySummary, TrackerRules
from glutetui.store.posture import CLI, PostureRow
from glutetui.store.queries import data_version
from glutetui.store.warmups import close_abandoned_warmups, save_warmup, start_warmup

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:
    from sqlite_utils import Database

ROUTINE = "routine"  # the source of exercise and out-running intervals
OUT_CAP = timedelta(hours=4)  # longer than that out, and the runner surely stopped somewhere else
# Typing this soon after a warm-up is the runner leaving (escape, a last look), not coming back.
OUT_GRACE = timedelta(minutes=2)
# A runner who never came back (the app left open overnight) is not asked about it the next day.
OUT_FORGOTTEN = timedelta(hours=12)


# ---- events: what the screen should show ---------------------------------------------

@record
class TodayChanged:
    summary: TodaySummary
    since: datetime | None  # when the open state began
    reminder_open: bool  # a reminder waits for an answer: "Stand up in" says now


@record
class ReminderDue:
    reminder: DueReminder
    steps: list[TimedStep]


@record
class ReminderBout:
    """The open reminder's bout went on another minute."""
    minutes: int


@record
class ReminderWithdrawn:
    """The runner got up some other way, or the workday ended."""


@record
class AskReturn:
    back: AwayReturn


@record
class RunDraft:
    """The run the runner just came back from, for the run form to start from."""
    started_at: datetime
    duration_s: int
    warmup_id: str


@record
class CameBack:
    run: RunDraft


@record
class Notice:
    text: str
    severity: str = "information"


Event = TodayChanged | ReminderDue | ReminderBout | ReminderWithdrawn | AskReturn | CameBack | Notice


# The session's own changing state. Plain classes: a mutable dataclass is 0.5 ms to make
# at import, before the first paint (benchmarks/RESULTS.md, "Start-up").
class Routine:
    """The warm-up under way: its routine and its warmups row."""

    def __init__(self, key: str, warmup_id: str, paused: bool = False) -> None:
        self.key = key
        self.warmup_id = warmup_id
        self.paused = paused


class OutRunning:
    """Out on the run that a warm-up led to."""

    def __init__(self, warmup_id: str, since: datetime, capped: bool = False) -> None:
        self.warmup_id = warmup_id
        self.since = since  # the warm-up's end
        self.capped = capped


class _Shown:
    """What the screen was last told, so a tick with nothing new says nothing."""

    def __init__(self) -> None:
        self.minute: datetime | None = None
        self.posture: PostureRow | None = None
        self.reminder_open = False
        self.bout_minutes: int | None = None


class AwakeWatch:
    """Kept on the app's event loop, which runs while the storage thread may wait for the
    file: when was the app last seen awake before the time it did not run (a suspend)?"""

    def __init__(self, gap_after: timedelta) -> None:
        self.gap_after = gap_after
        self._last: datetime | None = None
        self._gap_began: datetime | None = None
        self._lock = threading.Lock()  # fired on the event loop, read on the storage thread

    def fired(self, now: datetime) -> None:
        """The one-second timer fired at `now`."""
        with self._lock:
            if self._last is not None and now - self._last > self.gap_after and self._gap_began is None:
                self._gap_began = self._last
            self._last = now

    def awake_until(self) -> datetime | None:
        """For the tick about to run: the last moment seen awake before a gap, else the latest."""
        with self._lock:
            began, self._gap_began = self._gap_began, None
            return began if began is not None else self._last


class DaySession:
    def __init__(self, db: Database, clock: Clock, settings: Settings, moves: tuple[Step, ...] = ()) -> None:
        self.db = db
        self.clock = clock
        self.tracker = SittingTracker(db, clock, TrackerRules.from_settings(settings))
        self.reminders = ReminderScheduler(db, clock, reminder_rules(settings), moves)
        self.routine: Routine | None = None
        self.out: OutRunning | None = None
        self.stopped = False
        self.started = False
        self._cleared_by_away: str | None = None  # a reminder an away answered, until the runner says otherwise
        self._bout_checked_for: str | None = None
        self._next_due: datetime | None = None
        self._shown = _Shown()
        self._seen_version: int | None = None

    # ---- lifecycle -------------------------------------------------------------------

    def start(self) -> list[Event]:
        close_abandoned_warmups(self.db, self.clock.now())
        self._seen_version = data_version(self.db)  # what is there now is read below, not again at the first poll
        recovered = self.tracker.start()
        self.reminders.start()
        self.started = True
        events: list[Event] = []
        if recovered is not None:
            seen = wall_clock(recovered.last_seen_at, self.clock.local_zone())
            events.append(Notice(f"glutetui did not close cleanly last time; the {recovered.state} interval "
                                 f"was ended at {seen}, when it was last seen."))
        return events + self.today()

    def stop(self, routine_summary: dict | None = None, routine_ended_at: datetime | None = None) -> None:
        """The app is closing: what is open ends now, and a routine cut short is kept as far
        as it went (no out running: nobody is watching for the return). Each part is tried
        even when one fails; the first failure is raised after."""
        self.stopped = True
        parts = [self.reminders.stop, self.tracker.stop]
        routine, self.routine = self.routine, None
        if routine is not None and routine_summary is not None:
            parts.append(lambda: save_warmup(self.db, routine.warmup_id, summary=routine_summary,
                                             now=self.clock.now(), ended_at=routine_ended_at))
        problem = None
        for part in parts:
            try:
                part()
            except sqlite3.Error as error:  # a full disk must not keep the rest from closing
                problem = problem or error
        if problem is not None:
            raise problem

    # ---- the running clock -----------------------------------------------------------

    def tick(self, awake_until: datetime | None = None) -> list[Event]:
        """`awake_until`: see SittingTracker.tick."""
        if self.stopped:
            return []  # the interval ended with stop(); a late tick must not reopen one
        if not self.started:
            return self.start()  # it failed (a full disk): a crash's interval is still to be closed first
        before = self.tracker.open
        back = self.tracker.tick(awake_until)
        events: list[Event] = []
        if back is not None:
            events += self._came_back_or_ask(back, before)
        events += self._adopt_other_writers(before)
        events += self._cap_out()
        return events + self._check_reminder() + self.today(when_changed=True)

    def _came_back_or_ask(self, back: AwayReturn, before: PostureRow | None) -> list[Event]:
        if self.out is not None and before is not None and before.state == OUT:
            return self._come_back(back.ended)  # the laptop slept while its owner ran: no question
        return [AskReturn(back)]

    def _adopt_other_writers(self, before: PostureRow | None) -> list[Event]:
        """`glutetui sit` from a script while out running is the runner coming back."""
        current = self.tracker.open
        if self.out is None or current is None or current.state == OUT or current.source not in (CLI, MANUAL):
            return []  # not a person's word: the workday starting or ending is no return
        if before is not None and before.id == current.id:
            return []
        return self._come_back(current.started_at, keep_state=True)

    def _cap_out(self) -> list[Event]:
        out, current = self.out, self.tracker.open
        if out is not None and self.clock.now() - out.since >= OUT_FORGOTTEN:
            self.out = None
            return []
        if out is None or out.capped or self.clock.now() - out.since < OUT_CAP:
            return []
        out.capped = True
        if current is not None and current.state == OUT:
            # Away from here on: the runner's next input asks "were you up?" as after any absence.
            self.tracker.set_state(AWAY, IDLE, at=out.since + OUT_CAP)
            self.tracker.mark_idle_away()
        return []

    def _check_reminder(self) -> list[Event]:
        events: list[Event] = []
        if self._follow_pending():
            events.append(ReminderWithdrawn())
        if self._next_due is None or self.clock.now() < self._next_due:
            return events  # the cheap path, 59 seconds a minute: nothing is due
        summary = self.tracker.summary()
        reminder = self.reminders.check(bout=summary.bout, state=summary.state,
                                        warmup_running=self._routine_running())
        if reminder is not None:
            steps = desk_break_steps(reminder.move, self.tracker.rules.break_min)
            events.append(ReminderDue(reminder, steps))
        else:
            self._next_due = None  # refused (a routine runs, quiet hours): asked again at the next minute's numbers
        return events

    def _follow_pending(self) -> bool:
        """Getting up any way at all answers a waiting reminder: a key, a command, idle, sleep."""
        pending = self.reminders.pending
        if pending is None:
            return False
        current = self.tracker.open
        if current is None or current.state != SITTING:
            return self.reminders.follow_state(current.state if current else None) is not None
        if current.started_at <= pending.shown_at or current.id == self._bout_checked_for:
            return False
        # Sitting again in a new interval since it was shown: did a real break come between?
        self._bout_checked_for = current.id
        bout = self.tracker.summary().bout
        if bout is not None and bout.start <= pending.shown_at:
            return False
        self.reminders.clear_pending(TAKEN)
        self._cleared_by_away = pending.id  # asleep or idle: the return question may undo it
        return True

    def _routine_running(self) -> bool:
        # A paused routine holds nothing back: it may stay paused for the rest of the day.
        return self.routine is not None and not self.routine.paused

    # ---- what the runner and the computer say ----------------------------------------

    def set_state(self, state: str, at: datetime) -> list[Event]:
        """A posture key, pressed at `at`."""
        if self.stopped:
            return []
        events = self._come_back(at, keep_state=True) if self.out is not None else []
        self.tracker.set_state(state, at=at)
        return events + self._after_change()

    def observe_idle(self, reading: IdleReading, at: datetime | None = None) -> list[Event]:
        """`at`: when the probe was read (the job may have waited for the file since)."""
        if self.stopped:
            return []
        at = self.clock.now() if at is None else at
        if self.out is not None:
            return self._out_input(reading, at) + self.today(when_changed=True)
        back = self.tracker.observe_idle(reading, at)
        events: list[Event] = [AskReturn(back)] if back is not None else []
        return events + self.today(when_changed=True)

    def _out_input(self, reading: IdleReading, at: datetime) -> list[Event]:
        input_at = at - timedelta(seconds=reading.idle_seconds)
        if reading.locked or input_at < self.out.since + OUT_GRACE:
            return []
        events = self._come_back(input_at)
        back = self.tracker.observe_idle(reading, at)  # past the cap the tracker counted away: it asks as ever
        return events + ([AskReturn(back)] if back is not None else [])

    def answer_return(self, back: AwayReturn, was_up: bool) -> list[Event]:
        if was_up or self.stopped:
            return []
        self.tracker.answer_return(back, was_up=False)
        if self._cleared_by_away is not None:
            # Sitting all along: the reminder was not taken after all; it asks again now.
            self.reminders.reopen_as_missed(self._cleared_by_away)
            self._cleared_by_away = None
        return [Notice(f"Counted the {back.minutes} min as sitting.")] + self._after_change()

    # ---- reminders -------------------------------------------------------------------

    def answer_reminder(self, outcome: str, then: str | None = None) -> list[Event]:
        """The runner's key in the reminder window; a taken break puts the runner on a break."""
        if self.stopped:
            return []
        self.reminders.answer(outcome)
        if outcome == TAKEN:
            self.tracker.set_state(then or BREAK)
        return self._after_change()

    def end_break(self) -> list[Event]:
        """Back to the chair after a taken reminder. A break of break_min or more ends the
        sitting bout; one ended sooner is cut short: still taken, but the bout goes on."""
        current = self.tracker.open
        if self.stopped or current is None or current.state != BREAK:
            return []
        lasted = self.clock.now() - current.started_at
        self.tracker.set_state(SITTING)
        if lasted >= self.tracker.rules.break_min:
            self.reminders.taken = None
            return self._after_change()
        self.reminders.cut_short()
        enough = spoken_minutes(self.tracker.rules.break_min.total_seconds())
        return [Notice(f"Break cut short after {spoken_seconds(lasted.total_seconds())}: a break under "
                       f"{enough} does not end the sitting bout, so it goes on.")] + self._after_change()

    def pause_reminders(self, hours: int | None) -> list[Event]:
        """Pause for `hours`, or until tomorrow when None."""
        until = self.reminders.pause(timedelta(hours=hours) if hours else None)
        return [ReminderWithdrawn(),
                Notice(f"Stand-up reminders paused until {wall_clock(until, self.clock.local_zone())}. "
                       "Press p to resume.")] + self._after_change()

    def resume_reminders(self) -> list[Event]:
        self.reminders.resume()
        return [Notice("Stand-up reminders are back on.")] + self._after_change()

    def paused_until(self) -> datetime | None:
        return self.reminders.paused_until()

    # ---- routines and the run after a warm-up ------------------------------------------

    def routine_started(self, key: str, summary: dict, at: datetime) -> list[Event]:
        events = self._come_back(at, quiet=True) if self.out is not None else []
        warmup_id = start_warmup(self.db, summary=summary, started_at=at)
        self.routine = Routine(key, warmup_id)
        if not self.stopped:
            self.tracker.set_state(EXERCISE, ROUTINE, at=at, warmup_id=warmup_id)
        return events + self._after_change()

    def routine_saved(self, summary: dict, at: datetime) -> None:
        if self.routine is not None:
            save_warmup(self.db, self.routine.warmup_id, summary=summary, now=at)

    def routine_paused(self, paused: bool, at: datetime) -> list[Event]:
        """Paused, the runner is most likely back in the chair; resumed, moving again."""
        routine = self.routine
        if routine is None or routine.paused == paused or self.stopped:
            return []
        routine.paused = paused
        if paused:
            self.tracker.set_state(SITTING, ROUTINE, at=at)
        else:
            self.tracker.set_state(EXERCISE, ROUTINE, at=at, warmup_id=routine.warmup_id)
        return self._after_change()

    def routine_ended(self, summary: dict, ended_at: datetime, at: datetime) -> list[Event]:
        routine, self.routine = self.routine, None
        if routine is None:
            return []
        save_warmup(self.db, routine.warmup_id, summary=summary, now=at, ended_at=ended_at)
        if self.stopped:
            return []
        if is_pre_run(routine.key):
            self.out = OutRunning(routine.warmup_id, ended_at)
            self.tracker.set_state(OUT, ROUTINE, at=ended_at, warmup_id=routine.warmup_id)
        elif not routine.paused:
            self.tracker.set_state(SITTING, ROUTINE, at=ended_at)
        return self._after_change()

    def run_logged(self, warmup_id: str | None, at: datetime) -> list[Event]:
        """A run linked to the warm-up the runner went out after was logged: they are back,
        and that run needs no second form."""
        if self.out is None or warmup_id != self.out.warmup_id:
            return []
        self._come_back(at, quiet=True)
        return self._after_change()

    def _come_back(self, at: datetime, *, keep_state: bool = False, quiet: bool = False) -> list[Event]:
        """Back from the run: the time out becomes the run form's duration."""
        out, self.out = self.out, None
        if out is None:
            return []
        current = self.tracker.open
        if not keep_state and current is not None and current.state == OUT:
            self.tracker.set_state(SITTING, ROUTINE, at=at)
        seconds = (min(at, out.since + OUT_CAP) - out.since).total_seconds()
        if quiet or seconds < 60:
            return []
        return [CameBack(RunDraft(out.since, round(seconds), out.warmup_id))]

    # ---- settings and other processes --------------------------------------------------

    def change_settings(self, settings: Settings) -> list[Event]:
        self.tracker.rules = TrackerRules.from_settings(settings)
        self.tracker.forget_streak()  # counted under the old working days or break_min
        self.reminders.rules = reminder_rules(settings)
        return self._after_change()

    def poll(self) -> tuple[bool, list[Event]]:
        """Did another process write since the last poll? If so, its rows are adopted."""
        version = data_version(self.db)
        if version == self._seen_version:
            return False, []
        self._seen_version = version
        return True, self.sync()

    def sync(self) -> list[Event]:
        """Another process wrote to the file: adopt its state, show its numbers."""
        before = self.tracker.open
        self.tracker.sync()
        return self._adopt_other_writers(before) + self._after_change()

    # ---- what Today shows ------------------------------------------------------------

    def _after_change(self) -> list[Event]:
        events: list[Event] = [ReminderWithdrawn()] if self._follow_pending() else []
        return events + self.today()

    def today(self, when_changed: bool = False) -> list[Event]:
        """Today's numbers; with `when_changed`, only in a new minute or a new state.

        Every number on Today is in whole minutes, so the one-second tick has
        nothing new to show 59 times a minute.
        """
        if self.stopped:
            return []
        current = self.tracker.open
        minute = self.clock.now().replace(second=0, microsecond=0)
        reminder_open = self.reminders.pending is not None
        shown = self._shown
        if when_changed and (minute, current, reminder_open) == (shown.minute, shown.posture, shown.reminder_open):
            return []
        shown.minute, shown.posture, shown.reminder_open = minute, current, reminder_open
        summary = self.tracker.summary()
        self._next_due = summary.next_reminder_at
        events: list[Event] = [TodayChanged(summary, current.started_at if current else None, reminder_open)]
        pending = self.reminders.pending
        if pending is not None and summary.bout is not None:
            minutes = int((summary.now - summary.bout.start).total_seconds() // 60)
            if minutes != shown.bout_minutes:
                shown.bout_minutes = minutes
                events.append(ReminderBout(minutes))
        return events


