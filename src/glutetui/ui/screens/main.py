"""The main screen: one tab per part of the runner's day."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, TabbedContent, TabPane

from glutetui.ui.widgets.today_pane import TodayPane
from glutetui.ui.widgets.warmup_pane import WarmupPane

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


class DeferredPane(Widget):
    """Stands in for a pane that is not on screen at start.

    The real pane, and the modules behind it, are made just after Today's first
    paint, so opening the app costs only what Today shows (benchmarks/startup.py).
    """

    DEFAULT_CSS = "DeferredPane { display: none; }"

    def __init__(self, make: Callable[[], Widget]) -> None:
        super().__init__()
        self._make = make

    def on_mount(self) -> None:
        self.call_after_refresh(self._replace)

    async def _replace(self) -> None:
        await self.parent.mount(self._make(), after=self)
        await self.remove()


# The imports inside these run after the first paint (see DeferredPane).
def _runs_pane() -> Widget:
    from glutetui.ui.widgets.runs_pane import RunsPane

    return RunsPane(id="runs-pane")


def _progress_pane(app) -> Callable[[], Widget]:
    def make() -> Widget:
        from glutetui.ui.widgets.progress_pane import ProgressPane

        return ProgressPane(app.progress_loader, id="progress-pane")

    return make


def _settings_pane(app) -> Callable[[], Widget]:
    def make() -> Widget:
        from glutetui.ui.widgets.settings_pane import SettingsPane

        return SettingsPane(app.locations, app.theme_names(), app.settings, app.voice_program, id="settings-pane")

    return make


class MainScreen(Screen):
    BINDINGS = [
        Binding(str(number), f"show_tab('{tab_id}')", title, group=_TAB_KEYS)
        for number, (tab_id, title) in enumerate(TABS.items(), start=1)
    ] + [Binding(key, f"posture('{state}')", label) for key, (state, label) in POSTURE_KEYS.items()] + [
        # Out of the footer, which is full at 80 columns; in the palette, README and reminder window.
        Binding("p", "app.pause_reminders", "Pause reminders", show=False),
    ] + [Binding(key, f"week({weeks})", label) for key, (weeks, label) in WEEK_KEYS.items()]

    def compose(self) -> ComposeResult:
        app = self.app
        yield Header()
        with TabbedContent(initial="today", id="tabs"):
            with TabPane(TABS["today"], id="today"):
                yield TodayPane(app.tips, id="today-pane")
            with TabPane(TABS["warmup"], id="warmup"):
                yield WarmupPane(app.routines, id="warmup-pane")
            with TabPane(TABS["runs"], id="runs"):
                yield DeferredPane(_runs_pane)
            with TabPane(TABS["progress"], id="progress"):
                yield DeferredPane(_progress_pane(app))
            with TabPane(TABS["settings"], id="settings"):
                yield DeferredPane(_settings_pane(app))
        yield Footer()

    def on_mount(self) -> None:
        self.app.refresh_from_store()
        if self.app.start_routine:
            self.start_warmup(self.app.start_routine)

    def start_warmup(self, routine: str) -> None:
        self.action_show_tab("warmup")
        pane = self.query_one(WarmupPane)
        pane.start(routine)
        pane.focus()  # also when a routine was already running and start() left it be

    def log_run(self) -> None:
        """Open the run form from anywhere; the Runs tab shows the run once it is saved."""
        self.action_show_tab("runs")
        for pane in self.query("#runs-pane"):  # none in the first instant after start
            pane.action_new_run()

    def action_show_tab(self, tab_id: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab_id

    def action_posture(self, state: str) -> None:
        self.app.set_posture(state)

    def action_week(self, weeks: int) -> None:
        for pane in self.query("#progress-pane"):
            pane.move(weeks)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "posture":
            return self.query_one("#tabs", TabbedContent).active == "today"
        if action == "week":
            return self.query_one("#tabs", TabbedContent).active == "progress"
        return True

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()  # the posture keys show in the footer on Today only
        if event.pane.id == "progress":
            for pane in self.query("#progress-pane"):
                pane.focus()  # so arrows and page keys scroll the week
