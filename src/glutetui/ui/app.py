"""The glutetui Textual app: assembles the screens, watches the database, keeps the theme."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from sqlite_utils import Database
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import TabbedContent
from textual.worker import Worker

from glutetui.clock import Clock
from glutetui.config import DEFAULT_THEME, Settings, save_setting
from glutetui.crashlog import crash_message, write_crash_log
from glutetui.domain.reminders import TAKEN, desk_break_steps
from glutetui.domain.sitting import SITTING
from glutetui.domain.timefmt import local_day, spoken_minutes, wall_clock
from glutetui.errors import UserFacingError
from glutetui.paths import Locations
from glutetui.services.content import load_tips
from glutetui.services.idle import IdleProbe, IdleReading, ProbeError
from glutetui.services.notifier import Delivery, Notifier
from glutetui.services.reminders import DueReminder, ReminderScheduler
from glutetui.services.reminders import rules_from_settings as reminder_rules
from glutetui.services.routines import DEFAULT_ROUTINE, RoutineBook, load_routines
from glutetui.services.tracker import AwayReturn, SittingTracker, TrackerRules
from glutetui.store.db import file_of, storage_problem
from glutetui.store.queries import data_version
from glutetui.store.warmups import close_abandoned_warmups
from glutetui.ui.screens.away_prompt import AwayPrompt
from glutetui.ui.screens.main import TABS, MainScreen
from glutetui.ui.screens.pause import PauseScreen
from glutetui.ui.screens.reminder import ReminderScreen
from glutetui.ui.widgets.today_pane import TodayPane

if TYPE_CHECKING:
    from glutetui.services.progress import ProgressLoader


class IdleRead(Message):
    def __init__(self, reading: IdleReading) -> None:
        super().__init__()
        self.reading = reading


class ProbeLost(Message):
    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem


class NotificationDone(Message):
    def __init__(self, delivery: Delivery) -> None:
        super().__init__()
        self.delivery = delivery


DESK_ROUTINE = "desk-break"
REMINDER_TITLE = "Time to stand up"


class GlutetuiApp(App):
    TITLE = "glutetui"
    SUB_TITLE = "sit less, run better"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+t", "change_theme", "Theme"),
        Binding("w", "warmup", "Warm-up"),
    ]
    # Other processes (`glutetui` subcommands) add rows; a PRAGMA this often costs nothing.
    DATA_POLL_SECONDS = 2.0
    TRACKER_TICK_SECONDS = 1.0
    IDLE_POLL_SECONDS = 5.0

    def __init__(self, *, db: Database, locations: Locations, settings: Settings, clock: Clock,
                 tips: tuple[str, ...] | None = None, routines: RoutineBook | None = None,
                 start_routine: str | None = None, voice_program: str | None = None,
                 idle_probe: IdleProbe | None = None, notifier: Notifier | None = None) -> None:
        super().__init__()
        self.db = db
        self.locations = locations
        self.settings = settings
        self.clock = clock
        self.tips = load_tips() if tips is None else tips
        self.routines = load_routines(locations.user_routines) if routines is None else routines
        self.start_routine = start_routine
        self.voice_program = voice_program
        self.idle_probe = idle_probe
        self.tracker = SittingTracker(db, clock, TrackerRules.from_settings(settings))
        desk = self.routines.routines.get(DESK_ROUTINE)
        self.reminders = ReminderScheduler(db, clock, reminder_rules(settings), desk.steps if desk else ())
        self.notifier = Notifier() if notifier is None else notifier
        self._reminder_screen: ReminderScreen | None = None
        self._next_due: datetime | None = None
        self._bout_checked_for: str | None = None
        self._morning_checked_at: datetime | None = None
        self._notifying: threading.Thread | None = None
        self._cleared_by_away: str | None = None  # a reminder an away answered, until the runner says otherwise
        self._notify_warned = False
        self._away_prompt: AwayPrompt | None = None
        self._idle_read: Worker | None = None
        self._tracker_shown_as: tuple | None = None
        self._tracker_stopped = False
        self._seen_data_version: int | None = None
        self._shown_day: date | None = None
        # The tracker's write count when saving last failed; None while saving works.
        self._storage_failed_at: int | None = None
        self._theme_problem: str | None = None
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        else:
            self.theme = DEFAULT_THEME
            self._theme_problem = (
                f"Unknown theme {settings.theme!r} in {locations.config}; using {DEFAULT_THEME}. "
                "Pick one on the Settings tab to fix it."
            )

    @cached_property
    def progress_loader(self) -> ProgressLoader:
        # Imported when the Progress tab is made, after the first paint (see DeferredPane).
        from glutetui.services.progress import ProgressLoader

        return ProgressLoader(file_of(self.db), self.clock.now, self.clock.local_zone, lambda: self.settings)

    def get_default_screen(self) -> Screen:
        self.main_screen = MainScreen()
        return self.main_screen

    def on_mount(self) -> None:
        now = self.clock.now()
        close_abandoned_warmups(self.db, now)
        recovered = self.tracker.start()
        self.reminders.start()
        if recovered is not None:
            seen = recovered.last_seen_at.astimezone(self.clock.local_zone())
            self.notify(f"glutetui did not close cleanly last time; the {recovered.state} interval was ended "
                        f"at {seen:%H:%M}, when it was last seen.", timeout=10)
        if self._theme_problem:
            self.notify(self._theme_problem, severity="warning", timeout=10)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.set_interval(self.DATA_POLL_SECONDS, self.refresh_from_store)
        self.set_interval(self.TRACKER_TICK_SECONDS, self.tick_tracker)
        self.set_interval(self.IDLE_POLL_SECONDS, self.poll_idle)

    # ---- the sitting tracker -------------------------------------------------------

    def tick_tracker(self) -> None:
        if self._tracker_stopped:
            return  # the interval ended with tracker.stop(); a late tick must not reopen one
        try:
            back = self.tracker.tick()
        except sqlite3.Error as error:
            self._warn_storage(error)
            return
        self._storage_back()
        if back is not None:
            self.ask_about_return(back)
        self.show_tracker(when_changed=True)
        self.check_reminder()

    def show_tracker(self, when_changed: bool = False) -> None:
        """Repaint Today's numbers; with `when_changed`, only in a new minute or a new state.

        Every number on Today is in whole minutes, so the one-second tick has
        nothing new to show 59 times a minute.
        """
        current = self.tracker.open
        shown_as = (self.clock.now().replace(second=0, microsecond=0), current)
        if when_changed and shown_as == self._tracker_shown_as:
            return
        panes = self.main_screen.query(TodayPane)
        if self._tracker_stopped or not panes:
            return  # a tick can come before the screen has its widgets, or after
        self._tracker_shown_as = shown_as
        summary = self.tracker.summary()
        self._next_due = summary.next_reminder_at
        try:
            panes.first().show_summary(summary, self.clock.local_zone(), current.started_at if current else None)
        except NoMatches:
            pass  # a timer's last tick while the app takes its widgets down on the way out

    def set_posture(self, state: str) -> None:
        if self._tracker_stopped:
            # ctrl+q is the App's priority key, so a posture key typed just before it can
            # still be in the screen's queue after the interval was closed for good.
            return
        try:
            self.tracker.set_state(state)
        except sqlite3.Error as error:
            self._warn_storage(error)
            return
        self._storage_back()
        self.show_tracker()

    # ---- stand-up reminders -------------------------------------------------------

    def check_reminder(self) -> None:
        """Once a second: withdraw a reminder the runner has stood up from; show one that is due."""
        if self._tracker_stopped:
            return
        try:
            if self._follow_pending():
                self._withdraw_reminder()
                self.show_tracker()
            if self._next_due is None or self.clock.now() < self._next_due:
                return  # the cheap path, 59 seconds a minute: nothing is due
            summary = self.tracker.summary()
            reminder = self.reminders.check(bout=summary.bout, state=summary.state,
                                            warmup_running=self._warmup_running())
        except sqlite3.Error as error:
            self._warn_storage(error)
            return
        if reminder is not None:
            self.deliver_reminder(reminder)
            self.show_tracker()

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

    def _warmup_running(self) -> bool:
        # A paused warm-up holds nothing back: it may stay paused for the rest of the day.
        return any(pane.running and pane.session.state == "running"
                   for pane in self.main_screen.query("#warmup-pane"))

    def deliver_reminder(self, reminder: DueReminder) -> None:
        settings = self.settings
        if settings.remind_bell:
            self.bell()
        if settings.remind_desktop:
            self.send_notification(REMINDER_TITLE, reminder_body(reminder))
        if not settings.remind_in_app:
            self.notify(f"{REMINDER_TITLE}: {reminder_body(reminder)}", timeout=20, markup=False)
            return
        steps = desk_break_steps(reminder.move, self.tracker.rules.break_min)
        if self._reminder_screen is not None and self._reminder_screen.asking:
            self._reminder_screen.show_reminder(reminder, steps)  # asked again: same window, longer bout
            return
        screen = ReminderScreen(reminder, steps, self.tracker.rules.break_min.total_seconds())

        def closed(result: str | None) -> None:
            if self._reminder_screen is screen:
                self._reminder_screen = None

        self._reminder_screen = screen
        self.push_screen(screen, closed)

    def _withdraw_reminder(self) -> None:
        if self._reminder_screen is not None:
            self._reminder_screen.withdraw()

    def answer_reminder(self, outcome: str, then: str | None = None) -> None:
        """The runner's key in the reminder window; a taken break puts the runner on a break."""
        if self._tracker_stopped:
            return
        try:
            self.reminders.answer(outcome)
            if outcome == TAKEN:
                self.tracker.set_state(then or "break")
        except sqlite3.Error as error:
            self._warn_storage(error)
        self.show_tracker()

    def end_break(self) -> None:
        """The desk move and the minimum break are over: back to the chair, a new bout."""
        current = self.tracker.open
        if not self._tracker_stopped and current is not None and current.state == "break":
            self.set_posture(SITTING)

    def pause_reminders(self, hours: int | None) -> None:
        """Pause for `hours`, or until tomorrow when None."""
        try:
            until = self.reminders.pause(timedelta(hours=hours) if hours else None)
        except sqlite3.Error as error:
            self._warn_storage(error)
            return
        self._withdraw_reminder()
        self.notify(f"Stand-up reminders paused until {wall_clock(until, self.clock.local_zone())}. "
                    "Press p to resume.")
        self.show_tracker()

    def action_pause_reminders(self) -> None:
        def chosen(choice: str | None) -> None:
            if choice == "hour":
                self.pause_reminders(1)
            elif choice == "tomorrow":
                self.pause_reminders(None)
            elif choice == "resume":
                try:
                    self.reminders.resume()
                except sqlite3.Error as error:
                    self._warn_storage(error)
                    return
                self.notify("Stand-up reminders are back on.")
                self.show_tracker()

        try:
            paused = self.reminders.paused_until()
        except sqlite3.Error as error:
            self._warn_storage(error)
            return
        self.push_screen(PauseScreen(paused, self.clock.local_zone()), chosen)

    def send_notification(self, title: str, body: str) -> bool:
        """Send in a thread; False when the last one is still stuck (a hung bus gets no more)."""
        if self._notifying is not None and self._notifying.is_alive():
            return False
        # A plain daemon thread, not a Textual worker: quitting must not wait for a hung bus.
        self._notifying = threading.Thread(target=self._notify_in_background, args=(title, body), daemon=True)
        self._notifying.start()
        return True

    def _notify_in_background(self, title: str, body: str) -> None:
        self.post_message(NotificationDone(self.notifier.send(title, body)))

    def on_notification_done(self, message: NotificationDone) -> None:
        delivery = message.delivery
        if not delivery.sent and not self._notify_warned:
            self._notify_warned = True  # once: the same missing daemon would say it every half hour
            self.notify(f"No desktop notification: {delivery.problem}. Reminders still show here in the app.",
                        severity="warning", timeout=15, markup=False)

    def ask_about_return(self, back: AwayReturn) -> None:
        if self._away_prompt is not None and self.screen is self._away_prompt:
            self._away_prompt.action_answer(None)  # a newer return replaces an unanswered one

        prompt = AwayPrompt(back, self.clock, self.clock.local_zone())

        def answered(was_up: bool | None) -> None:
            if self._away_prompt is prompt:  # an older prompt's answer must not forget a newer one
                self._away_prompt = None
            if was_up is False:
                try:
                    self.tracker.answer_return(back, was_up=False)
                    if self._cleared_by_away is not None:
                        # Sitting all along: the reminder was not taken after all; it asks again now.
                        self.reminders.reopen_as_missed(self._cleared_by_away)
                        self._cleared_by_away = None
                except sqlite3.Error as error:
                    self._warn_storage(error)
                    return
                self.notify(f"Counted the {back.minutes} min as sitting.")
                self.show_tracker()

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
            self.post_message(IdleRead(probe.read()))
        except ProbeError as error:
            self.post_message(ProbeLost(f"{probe.name}: {error}"))

    def on_idle_read(self, message: IdleRead) -> None:
        try:
            back = self.tracker.observe_idle(message.reading)
        except sqlite3.Error as error:
            self._warn_storage(error)
            return
        if back is not None:
            self.ask_about_return(back)
        self.show_tracker(when_changed=True)

    def on_probe_lost(self, message: ProbeLost) -> None:
        self.idle_probe = None
        self.notify(f"Stopped watching keyboard and mouse ({message.problem}). Time away now counts only "
                    "when the computer sleeps or you press a or b.", severity="warning", timeout=15)

    def theme_names(self) -> list[str]:
        return sorted(self.available_themes)

    def refresh_from_store(self) -> None:
        """Show the new day and rows another process added; cheap when nothing changed."""
        self._show_today()
        try:
            version = data_version(self.db)
            if version != self._seen_data_version:
                self._seen_data_version = version
                self.tracker.sync()
                self.show_tracker()
                for pane in self.main_screen.query("#runs-pane"):
                    pane.data_changed()  # a run added by `glutetui run add`
                self._refresh_progress()
        except sqlite3.Error as error:
            self._warn_storage(error)

    def _refresh_progress(self) -> None:
        for pane in self.main_screen.query("#progress-pane"):
            if pane.is_on_screen:
                pane.reload()

    def _warn_storage(self, error: sqlite3.Error) -> None:
        if self._storage_failed_at is None:  # once a spell: the same fault every second would bury the screen
            self._storage_failed_at = self.tracker.writes_saved
            self.notify(f"Cannot use {self.locations.db}: {storage_problem(error, self.locations.db)}",
                        severity="error", timeout=15, markup=False)

    def _storage_back(self) -> None:
        """After a warning, the tracker's next stored write says saving works again."""
        if self._storage_failed_at is not None and self.tracker.writes_saved > self._storage_failed_at:
            self._storage_failed_at = None
            self.notify(f"Saving to {self.locations.db} works again.", timeout=10, markup=False)

    def _show_today(self) -> None:
        today = local_day(self.clock.now(), self.clock.local_zone())
        if today != self._shown_day:
            self._shown_day = today
            self.main_screen.query_one(TodayPane).show_day(today)
        self.ask_about_this_morning()

    # ---- the morning after a run with aches ----------------------------------------

    def ask_about_this_morning(self) -> None:
        """On Today, once a minute at most: yesterday's aches not yet rated this morning."""
        now = self.clock.now()
        minute = now.replace(second=0, microsecond=0)
        if self._tracker_stopped or minute == self._morning_checked_at or self.screen is not self.main_screen:
            return
        if self.main_screen.query_one("#tabs", TabbedContent).active != "today":
            return  # asked on Today, not in the middle of logging a run or a warm-up
        self._morning_checked_at = minute
        # The run log's modules load at the first check, a second after Today is painted.
        from glutetui.services.runs import answer_morning, morning_questions
        from glutetui.ui.screens.morning_check import MorningCheckScreen

        try:
            questions = morning_questions(self.db, now, self.clock.local_zone())
        except sqlite3.Error as error:
            self._warn_storage(error)
            return
        if not questions:
            return

        def answered(scores: dict | None) -> None:
            try:
                answer_morning(self.db, questions, scores or {}, self.clock.now())
            except sqlite3.Error as error:
                self._warn_storage(error)
                return
            if scores:
                self.notify("Saved. The run's flags now take this morning into account (Runs tab).")
            for pane in self.main_screen.query("#runs-pane"):
                pane.data_changed()

        self.push_screen(MorningCheckScreen(questions, self.clock.local_zone()), answered)

    def _remember_theme(self, theme: Theme) -> None:
        for pane in self.main_screen.query("#settings-pane"):
            pane.show_theme(theme.name)
        if theme.name != self.settings.theme:
            self.change_setting("theme", theme.name)

    def change_setting(self, key: str, value: object) -> None:
        """Use the new value now and keep it for next time."""
        self.settings = replace(self.settings, **{key: value})
        self.tracker.rules = TrackerRules.from_settings(self.settings)
        self.tracker.forget_streak()  # counted under the old working days or break_min
        self.reminders.rules = reminder_rules(self.settings)
        self.show_tracker()
        if key == "week_start":
            for pane in self.main_screen.query("#progress-pane"):
                pane.start = None  # a week picked under the old start day no longer lines up
        self._refresh_progress()
        try:
            save_setting(self.locations.config, key, value)
        except UserFacingError as error:
            self.notify(f"Setting not saved: {error}", severity="error", timeout=10)

    def action_warmup(self, routine: str = DEFAULT_ROUTINE) -> None:
        if routine not in self.routines.routines:
            self.notify(f"No routine called {routine!r}. See the Warm-up tab for the ones that loaded.",
                        severity="warning")
            return
        self.main_screen.start_warmup(routine)

    async def action_quit(self) -> None:
        # A warm-up cut short by quitting is still stored, as far as it went.
        for pane in self.main_screen.query("#warmup-pane"):
            pane.abandon()
        self._tracker_stopped = True
        problem = None
        for stop in (self.reminders.stop, self.tracker.stop):
            try:
                stop()
            except sqlite3.Error as error:  # a full disk must not turn quitting into a crash
                problem = problem or error
        if problem is None:
            self.exit()
            return
        # What could not be closed now is closed at its last heartbeat when glutetui next opens.
        db = self.locations.db
        self.exit(return_code=1, message=Text(f"glutetui: could not save on the way out: {db}: "
                                              f"{storage_problem(problem, db)}"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for tab_id, title in TABS.items():
            yield SystemCommand(title, f"Go to the {title} tab",
                                lambda tab_id=tab_id: self.main_screen.action_show_tab(tab_id))
        yield SystemCommand("Pause reminders", "Pause stand-up reminders for an hour or until tomorrow",
                            self.action_pause_reminders)
        for key in self.routines.names():
            routine = self.routines.routines[key]
            yield SystemCommand(f"Start: {routine.title}", f"Begin the {key} routine now",
                                lambda key=key: self.action_warmup(key))
        yield from super().get_system_commands(screen)

    def _handle_exception(self, error: Exception) -> None:
        # Runners get one readable line and a log path, never a traceback.
        self._return_code = 1
        if self._exception is None:  # the first error is the one to report; Pilot re-raises it in tests
            self._exception = error
            self._exception_event.set()
            self._exit_renderables.append(crash_message(error, write_crash_log(error, self.clock.now())))
        self._close_messages_no_wait()


def reminder_body(reminder: DueReminder) -> str:
    move = f" Desk move: {reminder.move.name}." if reminder.move else ""
    return f"You have been sitting for {spoken_minutes(reminder.bout_minutes * 60)}.{move}"
