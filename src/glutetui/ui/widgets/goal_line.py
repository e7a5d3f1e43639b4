"""One line: the day's sitting as text, then a bar of it against the goal."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

GAP = 2  # cells between the text and the bar
FILLED_STYLE, OVER_STYLE, EMPTY_STYLE = "$primary", "$error", "$surface"


class GoalLine(Widget):
    """"Sitting today 5:11 of 6:00" and a bar filled to the share of the goal.

    A Static beside a ProgressBar (with its Bar, in a row) was four widgets laid out
    and painted at each start; this draws the same in one. Past the goal the text is
    bold red and the bar full and red."""

    DEFAULT_CSS = """
    GoalLine { height: 1; width: 1fr; }
    GoalLine.-over { color: $error; text-style: bold; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._text = ""
        self._share = 0.0

    @property
    def text(self) -> str:
        return self._text

    @property
    def share(self) -> float:
        return self._share

    def show(self, text: str, share: float, over: bool) -> None:
        """`share` of the goal sat, 0 to 1; `over`: past the goal."""
        share = min(1.0, max(0.0, share))
        self.set_class(over, "-over")
        if (text, share) != (self._text, self._share):
            self._text, self._share = text, share
            self.refresh()

    def render(self) -> Content:
        cells = self.size.width - cell_len(self._text) - GAP
        if cells < 1:
            return Content(self._text)
        halves = round(self._share * cells * 2)  # drawn to the half cell, as Textual's bar is
        full, half = divmod(halves, 2)
        filled = "━" * full + ("╸" if half else "")
        style = OVER_STYLE if self.has_class("-over") else FILLED_STYLE
        empty = "━" * (cells - full - half)
        return Content.assemble(self._text, " " * GAP, (filled, style), (empty, EMPTY_STYLE))
