"""The main screen: one tab per part of the runner's day."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Header

from glutetui.domain.warmup import ADJUST_SECONDS
from glutetui.ui.widgets.footer import KeyFooter
from glutetui.ui.widgets.tab_strip import TabStrip
from glutetui.ui.widgets.today_pane import TodayPane

TABS = {
    "today": "Today",
    "warmup": "Warm-up",
    "runs": "Runs",
    "progress": "Progress",
    "settings": "Settings",
}

WEEK_KEYS = {"left_square_bracket": (-1, "Week back"), "right_square_bracket": (1, "Week on"),
             "t": (0, "This week")}
_TAB_KEYS = Binding.Group("Tabs", compact=True)
POSTURE_KEYS = {"s": ("standing", "Stand"), "b": ("break", "Break"), "a": ("away", "Away"),
                "enter": ("sitting", "Sit")}
NARROW_FOOTER_SPARES = ("change_theme", "quit", "warmup")  # left out first to last where the footer is full
_STEP_KEYS = Binding.Group("back/skip", compact=True)
_TIME_KEYS = Binding.Group("±10s", compact=True)
# The Warm-up tab's keys are bound here, not on the pane, so that they work whatever has
# focus on that tab (the tab strip after a click, nothing after switching with 1-5); the
# pane says which apply now (check_action). The footer lists keys in the order they were
# first bound, so b (also Break) comes just after the tab keys, and n next to it keeps
# back/skip together.
WARMUP_KEYS = [
    Binding("b", "warmup_key('back')", "Back", group=_STEP_KEYS),
    Binding("n", "warmup_key('skip')", "Skip", group=_STEP_KEYS),
    Binding("space", "warmup_key('toggle_pause')", "Pause"),
    Binding("plus,equals_sign", f"warmup_key('adjust', {ADJUST_SECONDS})", "+10 s", key_display="+",
            group=_TIME_KEYS),
    Binding("minus", f"warmup_key('adjust', {-ADJUST_SECONDS})", "-10 s", key_display="-", group=_TIME_KEYS),
    Binding("q", "warmup_key('stop')", "Stop"),
    Binding("r", "warmup_key('log_run')", "Log the run"),
    Binding("escape", "warmup_key('to_picker')", "Routines"),
]


KEYS_RESTED_S = 0.5  # no key or click for this long: the runner is reading, not asking


class DeferredPane(Widget):
    """Stands in for a pane that is not on screen at start.

    The real pane, and the modules behind it, are made once Today shows the day
    (`build_ahead`, from the app), so opening the app costs only what Today shows
    (benchmarks/startup.py). A key typed ahead that needs the pane earlier, or its tab
    shown, makes it at once (`made`); that is all that makes it when the app does not
    build ahead.
    """

    DEFAULT_CSS = "DeferredPane { display: none; }"

    def __init__(self, make: Callable[[], Widget], pane_id: str) -> None:
        super().__init__(id=f"{pane_id}-deferred")
        self._make = make
        self._pane: Widget | None = None
        self._mounted = asyncio.Event()

    def build_ahead(self) -> None:
        """Make the pane after the next refresh: the screen is painted first."""
        self.call_after_refresh(self.made)

    async def made(self) -> Widget | None:
        """The real pane, mounted in this one's place; None when the screen is being
        taken down (ctrl+q pressed before the first paint's callbacks ran)."""
        if self._pane is None:
            if self.parent is None or not self.parent.is_attached:
                return None
            self._pane = self._make()
            await self.parent.mount(self._pane, after=self)
            self._mounted.set()
            await self.remove()
        await self._mounted.wait()
        return self._pane


# The imports inside these run after the first paint (see DeferredPane).
def _warmup_pane(app) -> Widget:
    from glutetui.ui.widgets.warmup_pane import WarmupPane

    return WarmupPane(app.routines, id="warmup-pane")


def _runs_pane(app) -> Widget:
    from glutetui.ui.widgets.runs_pane import RunsPane

    return RunsPane(app.storage.path, id="runs-pane")


def _progress_pane(app) -> Widget:
    from glutetui.ui.widgets.progress_pane import ProgressPane

    return ProgressPane(app.progress_loader, id="progress-pane")


def _settings_pane(app) -> Widget:
    from glutetui.ui.widgets.settings_pane import SettingsPane

    return SettingsPane(app.locations, app.theme_names(), app.settings, app.voice_program, id="settings-pane")


def _deferred(make: Callable[[object], Widget], app, pane_id: str) -> DeferredPane:
    return DeferredPane(lambda: make(app), pane_id)


class MainScreen(Screen):
    BINDINGS = [
        Binding(str(number), f"show_tab('{tab_id}')", title, group=_TAB_KEYS)
        for number, (tab_id, title) in enumerate(TABS.items(), start=1)
    ] + [Binding(key, f"posture('{state}')", label) for key, (state, label) in POSTURE_KEYS.items()] + [
        # Out of the footer, which is full at 80 columns; in the palette, README and reminder window.
        Binding("p", "app.pause_reminders", "Pause reminders", show=False),
    ] + [Binding(key, f"week({weeks})", label) for key, (weeks, label) in WEEK_KEYS.items()] + WARMUP_KEYS

    def compose(self) -> ComposeResult:
        app = self.app
        yield Header()
        yield TabStrip(TABS, "today", id="tab-strip")
        # A page per tab, the pane inside it: a deferred pane is replaced in its page.
        with ContentSwitcher(initial="today", id="tabs"):
            with Container(id="today"):
                yield TodayPane(app.tips, first_look=getattr(app, "first_look", None), zone=app.clock.local_zone(),
                                id="today-pane")
            with Container(id="warmup"):
                # `glutetui warmup ROUTINE` opens on this tab, so then it is made at once.
                yield _warmup_pane(app) if app.start_routine else _deferred(_warmup_pane, app, "warmup-pane")
            with Container(id="runs"):
                yield _deferred(_runs_pane, app, "runs-pane")
            with Container(id="progress"):
                yield _deferred(_progress_pane, app, "progress-pane")
            with Container(id="settings"):
                yield _deferred(_settings_pane, app, "settings-pane")
        # The app's own keys are the ones to leave out of a narrow footer; `?` lists them all.
        yield KeyFooter(spare=NARROW_FOOTER_SPARES)

    @property
    def active_tab(self) -> str:
        """The id of the tab shown: a key of TABS."""
        return self.query_one("#tabs", ContentSwitcher).current or "today"

    def on_mount(self) -> None:
        if self.app.start_routine:
            self.start_warmup(self.app.start_routine)

    def build_ahead(self) -> None:
        """Make the tabs not yet made, one at a time, each once the keys have rested a moment.

        Made while the runner is at the keys (a tab picked and a window opened in the
        first second), a tab's making held back what they asked for by up to its whole
        making; what a key needs is made at once all the same (`with_pane`)."""
        if not self.is_attached:
            return
        waiting = self.app.seconds_since_input() if hasattr(self.app, "seconds_since_input") else KEYS_RESTED_S
        if waiting < KEYS_RESTED_S:
            self.set_timer(KEYS_RESTED_S - waiting, self.build_ahead)
            return
        if pending := self.query(DeferredPane):
            pending.first().build_ahead()
            self.set_timer(KEYS_RESTED_S, self.build_ahead)  # the next one after another rest

    def with_pane(self, pane_id: str, use: Callable[[Widget], object]) -> None:
        """Call `use` with a pane: now, or once made if it is still deferred."""
        deferred = self.query(f"#{pane_id}-deferred")
        if not deferred:
            use(self.query_one(f"#{pane_id}"))
            return

        async def when_made() -> None:
            if (pane := await deferred.first(DeferredPane).made()) is not None:
                use(pane)

        self.call_later(when_made)

    def start_warmup(self, routine: str) -> None:
        def start(pane) -> None:
            pane.start(routine)
            pane.focus()  # also when a routine was already running and start() left it be

        self.action_show_tab("warmup")
        self.with_pane("warmup-pane", start)

    def log_run(self, draft=None) -> None:
        """Open the run form from anywhere, filled from `draft` (a RunDraft) when given;
        the Runs tab shows the run once it is saved."""
        self.action_show_tab("runs")
        self.with_pane("runs-pane", lambda pane: pane.action_new_run(draft))

    def action_show_tab(self, tab_id: str) -> None:
        if tab_id not in TABS or tab_id == self.active_tab:
            return
        self.query_one("#tabs", ContentSwitcher).current = tab_id
        self.query_one(TabStrip).active = tab_id
        self._tab_shown(tab_id)

    def on_tab_strip_chosen(self, message: TabStrip.Chosen) -> None:
        self.action_show_tab(message.tab_id)

    def say_posture(self, state: str) -> None:
        """A posture key's work from anywhere (the palette): on Today, where the change shows."""
        self.action_show_tab("today")
        self.app.set_posture(state)

    def show_week(self, weeks: int) -> None:
        """A week key's work from anywhere (the palette): on Progress, made if still deferred."""
        self.action_show_tab("progress")
        self.with_pane("progress-pane", lambda pane: pane.move(weeks))

    def action_posture(self, state: str) -> None:
        self.app.set_posture(state)

    def action_week(self, weeks: int) -> None:
        for pane in self.query("#progress-pane"):
            pane.move(weeks)

    def action_warmup_key(self, action: str, *arguments: object) -> None:
        for pane in self.query("#warmup-pane"):
            getattr(pane, f"action_{action}")(*arguments)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "warmup_key":
            if self.active_tab != "warmup":
                return False
            # Asked for each warm-up key every time the footer works out its keys, so only the
            # tab's own children are looked at: a query over the whole screen was a seventh of
            # the CPU of a Pilot test on this tab. None while the tab's pane is still deferred.
            panes = self.query_one("#warmup", Container).query_children("#warmup-pane")
            return bool(panes) and panes.first().check_action(parameters[0], parameters[1:])
        if action == "posture":
            return self.active_tab == "today"
        if action == "week":
            return self.active_tab == "progress"
        return True

    def _tab_shown(self, tab_id: str) -> None:
        self.refresh_bindings()  # the posture keys show in the footer on Today only
        if tab_id == "progress":
            self.with_pane("progress-pane", lambda pane: pane.focus())  # so arrows and page keys scroll the week
        elif tab_id == "runs":
            self.with_pane("runs-pane", lambda pane: pane.focus_table())
        elif tab_id != "today":
            self.with_pane(f"{tab_id}-pane", lambda pane: None)  # shown before its turn: made now
