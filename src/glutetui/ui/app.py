"""The glutetui Textual app: assembles the screens, watches the database, keeps the theme."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from datetime import date

from sqlite_utils import Database
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from glutetui.clock import Clock
from glutetui.config import DEFAULT_THEME, Settings, save_setting
from glutetui.crashlog import crash_message, write_crash_log
from glutetui.domain.timefmt import local_day
from glutetui.errors import UserFacingError
from glutetui.paths import Locations
from glutetui.services.content import load_tips
from glutetui.services.routines import DEFAULT_ROUTINE, RoutineBook, load_routines
from glutetui.services.voice import find_voice
from glutetui.store.queries import data_version, row_counts
from glutetui.store.warmups import close_abandoned_warmups
from glutetui.ui.screens.main import TABS, MainScreen
from glutetui.ui.widgets.settings_pane import SettingsPane
from glutetui.ui.widgets.today_pane import TodayPane
from glutetui.ui.widgets.warmup_pane import WarmupPane


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

    def __init__(self, *, db: Database, locations: Locations, settings: Settings, clock: Clock,
                 tips: tuple[str, ...] | None = None, routines: RoutineBook | None = None,
                 start_routine: str | None = None, voice_program: str | None = None) -> None:
        super().__init__()
        self.db = db
        self.locations = locations
        self.settings = settings
        self.clock = clock
        self.tips = load_tips() if tips is None else tips
        self.routines = load_routines(locations.user_routines) if routines is None else routines
        self.start_routine = start_routine
        self.voice_program = voice_program
        self._seen_data_version: int | None = None
        self._shown_day: date | None = None
        self._storage_warned = False
        self._theme_problem: str | None = None
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        else:
            self.theme = DEFAULT_THEME
            self._theme_problem = (
                f"Unknown theme {settings.theme!r} in {locations.config}; using {DEFAULT_THEME}. "
                "Pick one on the Settings tab to fix it."
            )

    def get_default_screen(self) -> Screen:
        self.main_screen = MainScreen()
        return self.main_screen

    def on_mount(self) -> None:
        close_abandoned_warmups(self.db, self.clock.now())
        if self._theme_problem:
            self.notify(self._theme_problem, severity="warning", timeout=10)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.set_interval(self.DATA_POLL_SECONDS, self.refresh_from_store)

    def theme_names(self) -> list[str]:
        return sorted(self.available_themes)

    def refresh_from_store(self) -> None:
        """Show the new day and rows another process added; cheap when nothing changed."""
        self._show_today()
        try:
            version = data_version(self.db)
            if version != self._seen_data_version:
                self._seen_data_version = version
                self.main_screen.query_one(TodayPane).show_counts(row_counts(self.db))
        except sqlite3.Error as error:
            if not self._storage_warned:
                self._storage_warned = True
                self.notify(f"Cannot read {self.locations.db}: {error}. Check the disk; nothing was changed.",
                            severity="error", timeout=15)

    def _show_today(self) -> None:
        today = local_day(self.clock.now(), self.clock.local_zone())
        if today != self._shown_day:
            self._shown_day = today
            self.main_screen.query_one(TodayPane).show_day(today)

    def _remember_theme(self, theme: Theme) -> None:
        self.main_screen.query_one(SettingsPane).show_theme(theme.name)
        if theme.name != self.settings.theme:
            self.change_setting("theme", theme.name)

    def change_setting(self, key: str, value: object) -> None:
        """Use the new value now and keep it for next time."""
        self.settings = replace(self.settings, **{key: value})
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
        self.main_screen.query_one(WarmupPane).abandon()
        self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for tab_id, title in TABS.items():
            yield SystemCommand(title, f"Go to the {title} tab",
                                lambda tab_id=tab_id: self.main_screen.action_show_tab(tab_id))
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
