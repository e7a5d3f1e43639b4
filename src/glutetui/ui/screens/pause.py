"""Pause reminders for an hour or until tomorrow, or resume them."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from glutetui.domain.timefmt import wall_clock


class PauseScreen(ModalScreen[str | None]):
    """Dismisses with "hour", "tomorrow", "resume" or None (changed nothing)."""

    DEFAULT_CSS = """
    PauseScreen { align: center middle; }
    PauseScreen > Vertical {
        width: 52; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    PauseScreen #pause-title { text-style: bold; }
    PauseScreen .keys { margin-top: 1; }
    """
    BINDINGS = [
        Binding("h", "choose('hour')", "For an hour"),
        Binding("t", "choose('tomorrow')", "Until tomorrow"),
        Binding("r", "choose('resume')", "Resume"),
        Binding("escape", "choose(None)", "Cancel"),
    ]

    def __init__(self, paused_until: datetime | None, zone) -> None:
        super().__init__()
        self.paused_until = paused_until
        self._zone = zone

    def compose(self) -> ComposeResult:
        title = "Pause stand-up reminders"
        lines = ["h  for an hour", "t  until tomorrow"]
        if self.paused_until is not None:
            title = f"Reminders are paused until {wall_clock(self.paused_until, self._zone)}"
            lines.append("r  resume them now")
        lines.append("escape  leave as it is")
        with Vertical():
            yield Static(title, id="pause-title", markup=False)
            yield Static("\n".join(lines), classes="keys", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters == ("resume",):
            return self.paused_until is not None
        return True

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)
