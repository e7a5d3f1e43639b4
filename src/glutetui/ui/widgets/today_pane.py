"""The Today tab: the date, a tip for the day, and what is stored so far."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from glutetui.domain.tips import tip_for_day

_LABELS = {
    "posture": "sitting and standing intervals",
    "reminders": "break reminders",
    "warmups": "warm-ups",
    "runs": "runs",
    "aches": "aches",
}


class TodayPane(VerticalScroll):
    DEFAULT_CSS = """
    TodayPane { padding: 1 2; }
    TodayPane #today-date { text-style: bold; color: $accent; }
    TodayPane #today-tip { margin: 1 0; padding: 1 2; border: round $primary; }
    TodayPane #today-stored { color: $text-muted; }
    TodayPane #today-soon { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, tips: tuple[str, ...], **kwargs) -> None:
        super().__init__(**kwargs)
        self._tips = tips

    def compose(self) -> ComposeResult:
        yield Static(id="today-date")
        yield Static(id="today-tip")
        yield Static(id="today-stored")
        yield Static("The live sitting tracker for today arrives in a coming release.", id="today-soon")

    def show_day(self, day: date) -> None:
        self.query_one("#today-date", Static).update(f"{day:%A} {day.day} {day:%B %Y}")
        tip = tip_for_day(self._tips, day)
        self.query_one("#today-tip", Static).update(f"Tip of the day\n{tip}" if tip else "")

    def show_counts(self, counts: dict[str, int]) -> None:
        if not any(counts.values()):
            text = "Nothing stored yet. Try `glutetui demo --db demo.db` to see sample data."
        else:
            text = "Stored so far: " + ", ".join(f"{counts[key]:,} {label}" for key, label in _LABELS.items())
        self.query_one("#today-stored", Static).update(text)
