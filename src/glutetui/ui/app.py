"""The glutetui Textual app: assembles the screens and forwards the runner's day.

The day's policy lives in `services.session.DaySession`; every read and write runs on
the storage thread (`services.storage`). This class shows the session's events and
passes the runner's answers back, nothing more.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.keys import key_to_character
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker

from glutetui.clock import Clock
from glutetui.config import DEFAULT_THEME, Settings, save_setting
from glutetui.crashlog import crash_message, write_crash_log
from glutetui.domain.display_text import visible_message, visible_text
from glutetui.domain.record import replace
from glutetui.domain.reminders import SKIPPED, SNOOZED
from glutetui.domain.timefmt import local_day, spoken_minutes
from glutetui.errors import UserFacingError
from glutetui.paths import Locations
from glutetui.services.content import load_tips
from glutetui.services.idle import IdleProbe, IdleReading, ProbeError
from glutetui.services.notifier import REMINDER_ACTIONS, Delivery, Notifier
from glutetui.services.reminders import DueReminder
from glutetui.services.routines import DEFAULT_ROUTINE, RoutineBook, load_routines
from glutetui.services.session import (
    AskReturn,
    AwakeWatch,
    CameBack,
    DaySession,
    Event,
    Notice,
    ReminderBout,
    ReminderDue,
    ReminderWithdrawn,
    RunDraft,
    TodayChanged,
)
from glutetui.services.storage import NO_REPLY, Database, StorageError, StorageThread
from glutetui.services.themes import unknown_theme_problem
from glutetui.services.tracker import AwayReturn
from glutetui.ui.palette import PlainTextCommands
from glutetui.ui.screens.main import POSTURE_KEYS, TABS, WEEK_KEYS, MainScreen
from glutetui.ui.widgets.today_pane import TodayPane

if TYPE_CHECKING:
    from glutetui.services.progress import ProgressLoader
    from glutetui.ui.screens.away_prompt import AwayPrompt
    from glutetui.ui.screens.reminder import ReminderScreen
    from glutetui.ui.widgets.runs_pane import RunsPane
    from glutetui.ui.widgets.warmup_pane import WarmupPane


class IdleRead(Message):
    def __init__(self, reading: IdleReading, at: datetime) -> None:
        super().__init__()
        self.reading = reading
        self.at = at  # when it was read: storing it may wait for a busy file


class ProbeLost(Message):
    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem


class NotificationDone(Message):
    def __init__(self, delivery: Delivery) -> None:
        super().__init__()
        self.delivery = delivery


class DesktopAnswer(Message):
    """A button pressed on the reminder's desktop notification: "take", "snooze" or "skip"."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key


class StorageReply(Message):
    """A storage job's result (or StorageError), back on the event loop for `reply`."""

    def __init__(self, reply: Callable[[Any], None], value: Any) -> None:
        super().__init__()
        self.reply = reply
        self.value = value


DESK_ROUTINE = "desk-break"
REMINDER_TITLE = "Time to stand up"


class GlutetuiApp(App):
    TITLE = "glutetui"
    SUB_TITLE = "sit less, run better"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    COMMANDS = {PlainTextCommands}  # routine titles in the palette are text, not markup
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+t", "change_theme", "Theme"),
        Binding("w", "warmup", "Warm-up"),
        # Priority, so that `?` works on top of a dialog too; a focused field still takes
        # it as text (Textual leaves out keys the focused widget would type).
        Binding("question_mark", "toggle_keys", "Keys", priority=True),
        # Before any screen's own escape, but only while the keys panel is open (check_action).
        Binding("escape", "hide_help_panel", "Close the keys", show=False, priority=True),
    ]
    # One timer: the tick every second; every 2nd a look for rows other processes added
    # (a PRAGMA, it costs nothing), every 5th a read of the idle probe.
    TRACKER_TICK_SECONDS = 1.0
    DATA_POLL_SECONDS = 2.0
    IDLE_POLL_SECONDS = 5.0

    def __init__(self, *, db: Database, locations: Locations, settings: Settings, clock: Clock,
                 tips: tuple[str, ...] | None = None, routines: RoutineBook | None = None,
                 start_routine: str | None = None, voice_program: str | None = None,
                 idle_probe: IdleProbe | None = None, notifier: Notifier | None = None,
                 build_ahead: bool = True) -> None:
        super().__init__()
        # Opened, checked and migrated by the caller; the app's own reads and writes go
        # through the storage thread's connection, never this one.
        self.db = db
        self.locations = locations
        self.settings = settings
        self.clock = clock
        self.tips = load_tips() if tips is None else tips
        self._routines = routines  # read when first needed (`routines`): the first paint does not need them
        self._routines_read = threading.Lock()
        self.start_routine = start_routine
        self.voice_program = voice_program
        self.idle_probe = idle_probe
        self.notifier = Notifier() if notifier is None else notifier
        # Called on a background thread of the notifier's; the answer is handled on the event loop.
        self.notifier.listen(lambda key: self.post_message(DesktopAnswer(key)))
        # False: a tab is made when first shown or needed, never ahead (MainScreen).
        self.build_ahead = build_ahead
        self._last_input = float("-inf")  # no key yet
        path = Path(db.execute("PRAGMA database_list").fetchone()[2])
        self.storage = StorageThread(path, self._deliver, self._storage_crashed)
        self.reader = StorageThread(path, self._deliver, self._storage_crashed, read_only=True)
        self.session: DaySession | None = None  # made and used on the storage thread only
        self._reminder_screen: ReminderScreen | None = None
        # The reminder shown only as a toast (remind_in_app off), which the desktop's buttons may answer.
        self._toast_reminder: tuple[DueReminder, list] | None = None
        self._morning_checked_at: datetime | None = None
        self._morning_later_until: datetime | None = None
        self._notifying: threading.Thread | None = None
        self._notify_warned = False
        self._away_prompt: AwayPrompt | None = None
        self._idle_read: Worker | None = None
        self._seconds = 0  # the timer's count, for what it does every few seconds
        self._ticking = False  # a tick is queued on the storage thread: one at a time
        self._awake = AwakeWatch(timedelta(minutes=settings.gap_after))
        self._polling = False
        self._started = False
        self._stopped = False
        self._shown_day: date | None = None
        self._built_ahead = False
        self._early_today: TodayChanged | None = None  # the day as found before Today was composed
        self.first_look: TodayChanged | None = None  # the day as read before the screen was made (on_load)
        self._storage_warned = False  # one warning a spell: the same fault every second would bury the screen
        self._theme_problem: str | None = None
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        else:
            self.theme = DEFAULT_THEME
            self._theme_problem = unknown_theme_problem(settings.theme, locations.config)

    @cached_property
    def progress_loader(self) -> ProgressLoader:
        # Imported when the Progress tab is made, after the first paint (see DeferredPane).
        from glutetui.services.progress import ProgressLoader

        return ProgressLoader(self.storage.path, self.clock.now, self.clock.local_zone, lambda: self.settings)

    @property
    def routines(self) -> RoutineBook:
        """The shipped and the runner's routines, read on first use: by the day's start on the
        storage thread, after the first paint (their files were 6 ms of every start), or by
        the Warm-up tab or the palette, whichever comes first."""
        with self._routines_read:
            if self._routines is None:
                self._routines = load_routines(self.locations.user_routines)
            return self._routines

    @property
    def tracker(self):
        """The session's sitting tracker, for tests that look at what is open."""
        return self.session.tracker if self.session is not None else None

    def get_default_screen(self) -> Screen:
        self.main_screen = MainScreen()
        return self.main_screen

    def on_load(self) -> None:
        self.first_look = self._look_at_today()

        def start(db: Database) -> list[Event]:
            desk = self.routines.routines.get(DESK_ROUTINE)
            self.session = DaySession(db, self.clock, self.settings, desk.steps if desk else ())
            return self.session.start()

        # First in the storage queue: every key and tick after it finds the day begun. The
        # threads start once the first look is painted (on_mount): begun beside the making
        # of the screen, the day's start (20 ms on five years) held its first paint back.
        self.store(start, self._show_events)

    def _start_storage(self) -> None:
        self.storage.start()
        self.reader.start()

    def _look_at_today(self) -> TodayChanged | None:
        """Today's numbers as `glutetui status` reads them, read here so that Today's first
        paint shows them. From the storage thread they came after that paint, a second
        whole paint later (a third of the start, benchmarks/RESULTS.md "Start-up")."""
        from glutetui.services.status import status_from

        try:  # through the caller's connection, idle on this thread: already open and checked
            status = status_from(self.db, self.locations, self.settings, self.clock, running=True)
        except Exception:  # noqa: BLE001 - the storage thread's start meets it too, and says what is wrong
            return None
        return TodayChanged(status.today, status.since, reminder_open=False) if status.today else None

    def on_mount(self) -> None:
        self.call_after_refresh(self._start_storage)
        if self._theme_problem:
            self.notify(self._theme_problem, severity="warning", timeout=10, markup=False)
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def on_today_pane_ready(self, message: TodayPane.Ready) -> None:
        """Today's widgets exist: only now may a tick or a poll show anything."""
        if self._started:
            return
        self._started = True
        # Not the morning check yet: the first tick asks, a second after Today is painted.
        self._show_day()
        if self._early_today is not None:
            # What the start found, if it came first (it is queued before the threads start,
            # which is after this paint, so it comes after as a rule and shows itself).
            self._show_events([self._early_today])
            self._early_today = None
        self.set_interval(self.TRACKER_TICK_SECONDS, self._every_second)

    # ---- the storage thread ----------------------------------------------------------

    def notify(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Every notification has its control characters written out: many quote a path, a
        routine or a setting. Those pass markup=False too; the default stays Textual's, whose
        own notifications (ctrl+c: "Press [b]ctrl+q[/b] to quit") are markup."""
        super().notify(visible_message(message), title=visible_text(title, one_line=True), severity=severity,
                       timeout=timeout, markup=markup)

    def _deliver(self, reply: Callable[[Any], None], value: Any) -> None:
        self.post_message(StorageReply(reply, value))  # thread-safe: the reply runs on the event loop

    def _storage_crashed(self, error: BaseException) -> None:
        raise error  # on the event loop: the one crash report with its log, as for any bug

    def on_storage_reply(self, message: StorageReply) -> None:
        message.reply(message.value)

    def store(self, job: Callable[[Database], Any], done: Callable[[Any], None] | None = None,
              failed: Callable[[StorageError], None] | None = None) -> None:
        """Run `job(db)` on the storage thread; `done(result)` here when it is over.
        Without `failed`, a problem is the app's one storage warning."""
        self.storage.submit(job, self._when_saved(done), failed or self._storage_failed)

    def read(self, job: Callable[[Database], Any], done: Callable[[Any], None],
             failed: Callable[[StorageError], None] | None = None) -> None:
        """Run `job(db)` on the reader thread: what a tab shows, never behind a write waiting for the lock."""
        self.reader.submit(job, done, failed or self._storage_failed)

    def _when_saved(self, done: Callable[[Any], None] | None) -> Callable[[Any], None]:
        def saved(result: Any) -> None:
            self._storage_back()
            if done is not None:
                done(result)
        return saved

    def day(self, answer: Callable[[DaySession], list[Event] | None],
            done: Callable[[list[Event]], None] | None = None) -> None:
        """Pass the runner's answer to the session; show the events it gives back."""
        if self._stopped:
            return

        def job(db: Database) -> list[Event]:
            if self.session is None or self.session.stopped:
                return []
            return answer(self.session) or []

        self.store(job, done or self._show_events)

    def _storage_failed(self, error: StorageError) -> None:
        if not self._storage_warned:
            self._storage_warned = True
            self.notify(str(error), severity="error", timeout=15, markup=False)

    def _storage_back(self) -> None:
        if self._storage_warned and not self.storage.failing:
            self._storage_warned = False
            self.notify(f"Saving to {self.storage.path} works again.", timeout=10, markup=False)

    # ---- the session's events --------------------------------------------------------

    def _show_events(self, events: list[Event]) -> None:
        if self._stopped:
            return
        for event in events:
            match event:
                case TodayChanged():
                    if not self._started:
                        self._early_today = event
                    for pane in self.main_screen.query(TodayPane):
                        pane.show_summary(event.summary, self.clock.local_zone(), event.since,
                                          reminder_open=event.reminder_open)
                    if self._started and self.build_ahead and not self._built_ahead:
                        # Today shows the day now: the other tabs are made after this paint.
                        # Made any earlier, they held that paint back by their whole making.
                        self._built_ahead = True
                        self.main_screen.build_ahead()
                case ReminderDue():
                    self.deliver_reminder(event.reminder, event.steps)
                case ReminderBout():
                    if self._reminder_screen is not None:
                        self._reminder_screen.show_bout_minutes(event.minutes)
                case ReminderWithdrawn():
                    self._withdraw_reminder()
                case AskReturn():
                    self.ask_about_return(event.back)
                case CameBack():
                    self.log_returned_run(event.run)
                case Notice():
                    self.notify(event.text, severity=event.severity, timeout=10, markup=False)

    def _every_second(self) -> None:
        self._seconds += 1
        self.tick_tracker()
        if self._seconds % round(self.DATA_POLL_SECONDS / self.TRACKER_TICK_SECONDS) == 0:
            self.refresh_from_store()
        if self._seconds % round(self.IDLE_POLL_SECONDS / self.TRACKER_TICK_SECONDS) == 0:
            self.poll_idle()

    def tick_tracker(self) -> None:
        self._awake.fired(self.clock.now())
        if self._ticking or self._stopped:
            return  # the last tick still waits for the file: ticks do not pile up behind it
        self._ticking = True

        def ticked(events: list[Event]) -> None:
            self._ticking = False
            self._show_events(events)

        def failed(error: StorageError) -> None:
            self._ticking = False
            self._storage_failed(error)

        def tick(db: Database) -> list[Event] | object:
            # Read when the tick runs, not when it was asked for: it may have waited for the file.
            events = self.session.tick(self._awake.awake_until()) if self.session else []
            if events or self._storage_warned:
                return events
            # Nothing to show, 59 ticks a minute: the flag is cleared here rather than by a
            # message that would wake the screen's event loop for nothing.
            self._ticking = False
            return NO_REPLY

        self.storage.submit(tick, self._when_saved(ticked), failed)
        self._show_today()

    def set_posture(self, state: str) -> None:
        if self._stopped:
            # ctrl+q is the App's priority key, so a posture key typed just before it can
            # still be in the screen's queue after the interval was closed for good.
            return
        now = self.clock.now()
        for pane in self.main_screen.query(TodayPane):
            pane.show_state_now(state, now, self.clock.local_zone())  # at once, stored when the file is free
        self.day(lambda session: session.set_state(state, now))

    # ---- stand-up reminders -------------------------------------------------------

    def deliver_reminder(self, reminder: DueReminder, steps: list) -> None:
        settings = self.settings
        if settings.remind_bell:
            self.bell()
        if settings.remind_desktop:
            # No snooze button once the day's snoozes are used up, as the window has no z then.
            actions = tuple(action for action in REMINDER_ACTIONS
                            if action[0] != "snooze" or reminder.snoozes_left > 0)
            self.send_notification(REMINDER_TITLE, reminder_body(reminder), actions)
        if not settings.remind_in_app:
            self._toast_reminder = (reminder, steps)
            self.notify(f"{REMINDER_TITLE}: {reminder_body(reminder)}", timeout=20, markup=False)
            return
        if self._reminder_screen is not None and self._reminder_screen.asking:
            self._reminder_screen.show_reminder(reminder, steps)  # asked again: same window, longer bout
            return
        self._open_reminder_window(reminder, steps)

    def _open_reminder_window(self, reminder: DueReminder, steps: list) -> ReminderScreen:
        from glutetui.ui.screens.reminder import ReminderScreen  # here: not needed for the first paint

        screen = ReminderScreen(reminder, steps, self.settings.break_min * 60)

        def closed(result: str | None) -> None:
            if self._reminder_screen is screen:
                self._reminder_screen = None

        self._reminder_screen = screen
        self.push_screen(screen, closed)
        return screen

    def _reminder_settled(self) -> None:
        """Answered, paused or withdrawn here: no toast left to answer, no copy on the desktop."""
        self._toast_reminder = None
        self.notifier.withdraw()

    def _withdraw_reminder(self) -> None:
        self._reminder_settled()
        if self._reminder_screen is not None:
            self._reminder_screen.withdraw()

    def on_desktop_answer(self, message: DesktopAnswer) -> None:
        """A button on the desktop notification answers as the window's key would."""
        if self._stopped:
            return
        if self._reminder_screen is not None:
            self._reminder_screen.answer_from_desktop(message.key)
            return
        if self._toast_reminder is None:
            return  # answered already, here or by getting up
        reminder, steps = self._toast_reminder
        self._toast_reminder = None
        if message.key == "take":
            # The break is played in the window, as after t: it opens for the break alone.
            self._open_reminder_window(reminder, steps).answer_from_desktop("take")
        elif message.key == "snooze" and reminder.snoozes_left > 0:
            self.answer_reminder(SNOOZED)
        elif message.key == "skip":
            self.answer_reminder(SKIPPED)

    def answer_reminder(self, outcome: str, then: str | None = None) -> None:
        """The runner's key in the reminder window; a taken break puts the runner on a break."""
        self._reminder_settled()
        self.day(lambda session: session.answer_reminder(outcome, then))

    def end_break(self) -> None:
        """The desk move and the minimum break are over: back to the chair, a new bout."""
        self.day(lambda session: session.end_break())

    def pause_reminders(self, hours: int | None) -> None:
        """Pause for `hours`, or until tomorrow when None."""
        self._reminder_settled()
        self.day(lambda session: session.pause_reminders(hours))

    def action_pause_reminders(self) -> None:
        def chosen(choice: str | None) -> None:
            if choice == "hour":
                self.pause_reminders(1)
            elif choice == "tomorrow":
                self.pause_reminders(None)
            elif choice == "resume":
                self.day(lambda session: session.resume_reminders())

        def ask(paused: datetime | None) -> None:
            from glutetui.ui.screens.pause import PauseScreen

            self.push_screen(PauseScreen(paused, self.clock.local_zone()), chosen)

        self.store(lambda db: self.session.paused_until() if self.session else None, ask)

    # ---- routines and the run after a warm-up --------------------------------------

    def on_warmup_pane_started(self, message: "WarmupPane.Started") -> None:
        self.day(lambda session: session.routine_started(message.routine, message.summary, message.started_at))

    def on_warmup_pane_saved(self, message: "WarmupPane.Saved") -> None:
        self.day(lambda session: session.routine_saved(message.summary, message.at))

    def on_warmup_pane_paused(self, message: "WarmupPane.Paused") -> None:
        self.day(lambda session: session.routine_paused(message.paused, message.at))

    def on_warmup_pane_ended(self, message: "WarmupPane.Ended") -> None:
        self.day(lambda session: session.routine_ended(message.summary, message.ended_at, message.at))

    def on_runs_pane_run_saved(self, message: "RunsPane.RunSaved") -> None:
        warmup_id, now = message.run.warmup_id, self.clock.now()
        self.day(lambda session: session.run_logged(warmup_id, now))
        if warmup_id is not None:
            for pane in self.main_screen.query("#warmup-pane"):
                pane.run_logged()

    def log_returned_run(self, run: RunDraft) -> None:
        """Back from the run: the run form opens with its start and time filled in."""
        self.main_screen.log_run(run)

    def send_notification(self, title: str, body: str, actions: tuple[tuple[str, str], ...] = ()) -> bool:
        """Send in a thread; False when the last one is still stuck (a hung bus gets no more)."""
        if self._notifying is not None and self._notifying.is_alive():
            return False
        # A plain daemon thread, not a Textual worker: quitting must not wait for a hung bus.
        self._notifying = threading.Thread(target=self._notify_in_background, args=(title, body, actions),
                                           daemon=True)
        self._notifying.start()
        return True

    def _notify_in_background(self, title: str, body: str, actions: tuple[tuple[str, str], ...]) -> None:
        self.post_message(NotificationDone(self.notifier.send(title, body, actions)))

    def on_notification_done(self, message: NotificationDone) -> None:
        delivery = message.delivery
        if not delivery.sent and not self._notify_warned:
            self._notify_warned = True  # once: the same missing daemon would say it every half hour
            self.notify(f"No desktop notification: {delivery.problem}. Reminders still show here in the app.",
                        severity="warning", timeout=15, markup=False)

    def ask_about_return(self, back: AwayReturn) -> None:
        if self._away_prompt is not None and self.screen is self._away_prompt:
            self._away_prompt.action_answer(None)  # a newer return replaces an unanswered one

        from glutetui.ui.screens.away_prompt import AwayPrompt

        prompt = AwayPrompt(back, self.clock, self.clock.local_zone())

        def answered(was_up: bool | None) -> None:
            if self._away_prompt is prompt:  # an older prompt's answer must not forget a newer one
                self._away_prompt = None
            if was_up is False:
                self.day(lambda session: session.answer_return(back, was_up=False))

        self._away_prompt = prompt
        self.push_screen(prompt, answered)

    def poll_idle(self) -> bool:
        """Ask the probe in a thread; False when there is none or a read is still under way."""
        if self.idle_probe is None or (self._idle_read is not None and self._idle_read.is_running):
            return False
        self._idle_read = self._read_idle(self.idle_probe)
        return True

    @work(thread=True, group="idle")
    def _read_idle(self, probe: IdleProbe) -> None:
        # A probe may wait on D-Bus or an X server; never on the UI's thread.
        try:
            self.post_message(IdleRead(probe.read(), self.clock.now()))
        except ProbeError as error:
            self.post_message(ProbeLost(f"{probe.name}: {error}"))

    def on_idle_read(self, message: IdleRead) -> None:
        self.day(lambda session: session.observe_idle(message.reading, message.at))

    def on_probe_lost(self, message: ProbeLost) -> None:
        self.idle_probe = None
        self.notify(f"Stopped watching keyboard and mouse ({message.problem}). Time away now counts only "
                    "when the computer sleeps or you press a or b.", severity="warning", timeout=15, markup=False)

    def theme_names(self) -> list[str]:
        return sorted(self.available_themes)

    def refresh_from_store(self) -> None:
        """Show the new day and rows another process added; cheap when nothing changed."""
        self._show_today()
        if self._polling or self.session is None:
            return
        self._polling = True

        def polled(answer: tuple[bool, list[Event]]) -> None:
            self._polling = False
            changed, events = answer
            self._show_events(events)
            if changed:
                for pane in self.main_screen.query("#runs-pane"):
                    pane.data_changed()  # a run added by `glutetui run add`
                self._refresh_progress()

        def failed(error: StorageError) -> None:
            self._polling = False
            self._storage_failed(error)

        def poll(db: Database) -> tuple[bool, list[Event]] | object:
            answer = self.session.poll() if self.session else (False, [])
            if answer != (False, []) or self._storage_warned:
                return answer
            self._polling = False  # nothing new in the file: no message, as for a quiet tick
            return NO_REPLY

        self.storage.submit(poll, self._when_saved(polled), failed)

    def _refresh_progress(self) -> None:
        for pane in self.main_screen.query("#progress-pane"):
            if pane.is_on_screen:
                pane.reload()

    def _show_today(self) -> None:
        self._show_day()
        self.ask_about_this_morning()

    def _show_day(self) -> None:
        today = local_day(self.clock.now(), self.clock.local_zone())
        if today == self._shown_day:
            return  # every second but one a day: no walk over the screen's widgets for the pane
        panes = self.main_screen.query(TodayPane)
        if panes:
            self._shown_day = today
            panes.first().show_day(today)

    # ---- the morning after a run with aches ----------------------------------------

    def ask_about_this_morning(self) -> None:
        """On Today, once a minute at most: yesterday's aches not yet rated this morning."""
        now = self.clock.now()
        minute = now.replace(second=0, microsecond=0)
        if self._stopped or minute == self._morning_checked_at or self.screen is not self.main_screen:
            return
        if self._morning_later_until is not None and now < self._morning_later_until:
            return  # the runner typed nothing and asked to be asked later
        if self.main_screen.active_tab != "today":
            return  # asked on Today, not in the middle of logging a run or a warm-up
        self._morning_checked_at = minute
        zone = self.clock.local_zone()

        def read_questions(db: Database) -> list:
            # The run log's modules load here, on the reader thread: on the event loop they
            # held up Today's first paint.
            from glutetui.services.runs import morning_questions

            return morning_questions(db, now, zone)

        def ask(questions: list) -> None:
            if not questions or self.screen is not self.main_screen:
                return
            from glutetui.services.runs import answer_morning
            from glutetui.ui.screens.morning_check import ASK_AGAIN_AFTER, ASK_LATER, MorningCheckScreen

            def answered(scores: dict | None) -> None:
                if scores is ASK_LATER:  # nothing stored, so the same questions come back
                    self._morning_later_until = self.clock.now() + ASK_AGAIN_AFTER
                    return

                def saved(_: None) -> None:
                    if scores:
                        self.notify("Saved. The run's flags now take this morning into account (Runs tab).", markup=False)
                    for pane in self.main_screen.query("#runs-pane"):
                        pane.data_changed()

                self.store(lambda db: answer_morning(db, questions, scores, self.clock.now()), saved)

            self.push_screen(MorningCheckScreen(questions, zone), answered)

        self.read(read_questions, ask)

    def _remember_theme(self, theme: Theme) -> None:
        for pane in self.main_screen.query("#settings-pane"):
            pane.show_theme(theme.name)
        if theme.name != self.settings.theme:
            self.change_setting("theme", theme.name)

    def change_setting(self, key: str, value: object) -> None:
        """Use the new value now and keep it for next time."""
        self.settings = settings = replace(self.settings, **{key: value})
        self._awake.gap_after = timedelta(minutes=settings.gap_after)
        self.day(lambda session: session.change_settings(settings))
        if key == "week_start":
            for pane in self.main_screen.query("#progress-pane"):
                pane.start = None  # a week picked under the old start day no longer lines up
        self._refresh_progress()
        try:
            save_setting(self.locations.config, key, value)
        except UserFacingError as error:
            self.notify(f"Setting not saved: {error}", severity="error", timeout=10, markup=False)

    def action_warmup(self, routine: str = DEFAULT_ROUTINE) -> None:
        if routine not in self.routines.routines:
            self.notify(f"No routine called {routine!r}. See the Warm-up tab for the ones that loaded.",
                        severity="warning", markup=False)
            return
        self.main_screen.start_warmup(routine)

    async def action_quit(self) -> None:
        if self._stopped:
            return  # a second ctrl+q queued behind the first
        self._stopped = True
        ended = None
        for pane in self.main_screen.query("#warmup-pane"):
            ended = pane.abandon()  # a warm-up cut short by quitting is still stored, as far as it went
        summary, ended_at = (ended.summary, ended.ended_at) if ended is not None else (None, None)
        try:
            self.storage.run_now(lambda db: self.session.stop(summary, ended_at) if self.session else None)
        except StorageError as problem:  # a full disk must not turn quitting into a crash
            # What could not be closed now is closed at its last heartbeat when glutetui next opens.
            self.exit(return_code=1, message=Text(visible_message(f"glutetui: could not save on the way out: {problem}")))
            return
        finally:
            self.storage.stop()
            self.reader.stop()
            self.notifier.close()  # no reminder left on the desktop for an app that is gone
        self.exit()

    # ---- keys help and the command palette ------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            # Real time, not the app's clock: it paces work against the runner's hands.
            self._last_input = time.monotonic()
        await super().on_event(event)

    def seconds_since_input(self) -> float:
        """Since the last key or click; the tabs not yet made wait for the keys to rest."""
        return time.monotonic() - self._last_input

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hide_help_panel":
            return self._help_shown()  # else escape goes on to the screen
        return True

    def _help_shown(self) -> bool:
        # The panel is mounted on the screen itself (App.action_show_help_panel). Asked for
        # every binding each time the footer's keys are worked out, so only the screen's own
        # children are looked at: a query over the whole screen was 1 ms an ask.
        return any(type(child).__name__ == "HelpPanel" for child in self.screen.children)

    def action_toggle_keys(self) -> None:
        if self._help_shown():
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for tab_id, title in TABS.items():
            yield SystemCommand(title, f"Go to the {title} tab",
                                lambda tab_id=tab_id: self.main_screen.action_show_tab(tab_id))
        if screen is self.main_screen:  # not from a dialog, which has its own keys
            yield from self._day_commands()
        yield SystemCommand("Pause reminders", "Pause stand-up reminders for an hour or until tomorrow (p)",
                            self.action_pause_reminders)
        for key in self.routines.names():
            routine = self.routines.routines[key]
            yield SystemCommand(f"Start: {routine.title}", f"Begin the {key} routine now",
                                lambda key=key: self.action_warmup(key))
        yield from super().get_system_commands(screen)

    def _day_commands(self) -> Iterable[SystemCommand]:
        """The palette's way to what the main screen's keys do, from any tab."""
        main = self.main_screen
        yield SystemCommand("Log a run", "Open the run form (n on the Runs tab)", main.log_run)
        for key, (state, label) in POSTURE_KEYS.items():
            yield SystemCommand(label, f"You are {STATE_WORDS[state]} from now on ({key_name(key)} on Today)",
                                lambda state=state: main.say_posture(state))
        for key, (weeks, label) in WEEK_KEYS.items():
            yield SystemCommand(label, f"Progress: {WEEK_HELP[weeks]} ({key_name(key)} on Progress)",
                                lambda weeks=weeks: main.show_week(weeks))

    def _handle_exception(self, error: Exception) -> None:
        # Runners get one readable line and a log path, never a traceback.
        self._return_code = 1
        if self._exception is None:  # the first error is the one to report; Pilot re-raises it in tests
            self._exception = error
            self._exception_event.set()
            # Text, not a str Rich would read as markup: the error may quote a routine title.
            log = write_crash_log(error, self.clock.now())
            self._exit_renderables.append(Text(visible_message(crash_message(error, log))))
        self._close_messages_no_wait()


STATE_WORDS = {"standing": "standing", "break": "on a break", "away": "away", "sitting": "sitting"}
WEEK_HELP = {-1: "the week before the one shown", 1: "the week after the one shown", 0: "back to this week"}


def key_name(key: str) -> str:
    """As the README writes a key: `[` for left_square_bracket, `enter` for enter."""
    return key_to_character(key) or key


def reminder_body(reminder: DueReminder) -> str:
    move = f" Desk move: {visible_text(reminder.move.name, one_line=True)}." if reminder.move else ""
    return f"You have been sitting for {spoken_minutes(reminder.bout_minutes * 60)}.{move}"
