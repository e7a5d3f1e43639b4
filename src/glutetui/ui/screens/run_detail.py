"""One run in full: its numbers, notes, aches and each flag with its one-line why."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class RunDetailScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    RunDetailScreen { align: center middle; }
    RunDetailScreen > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%; padding: 0 1;
        border: thick $primary; background: $surface;
    }
    RunDetailScreen #run-detail-title { text-style: bold; color: $accent; }
    RunDetailScreen .keys { margin-top: 1; color: $text-muted; }
    """
    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, title: str, body: Text) -> None:
        super().__init__()
        self._title = title
        self._body = body

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._title, id="run-detail-title", markup=False)
            yield Static(self._body, id="run-detail-body")
            yield Static("escape or enter: close", classes="keys")

    @property
    def text(self) -> str:
        """What the window says, as plain text."""
        return f"{self._title}\n{self._body.plain}"

    def action_close(self) -> None:
        self.dismiss(None)
