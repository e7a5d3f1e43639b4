"""Today's first line: the date on the left, the state now on the right."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.widget import Widget


class DayHeading(Widget):
    """The date and the state on one line, drawn by one widget (a row of two Statics was
    three of Today's widgets). Where both do not fit, the date is cut: the state is news."""

    COMPONENT_CLASSES = {"day-heading--date", "day-heading--state"}
    DEFAULT_CSS = """
    DayHeading { height: 1; width: 1fr; }
    DayHeading > .day-heading--date { color: $accent; text-style: bold; }
    DayHeading > .day-heading--state { text-style: bold; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.date_text = ""
        self.state_text = ""

    def show(self, *, date_text: str | None = None, state_text: str | None = None) -> None:
        changed = (date_text is not None and date_text != self.date_text) or (
            state_text is not None and state_text != self.state_text)
        self.date_text = self.date_text if date_text is None else date_text
        self.state_text = self.state_text if state_text is None else state_text
        if changed:
            self.refresh()

    def render(self) -> Content:
        width = self.size.width
        state = set_cell_size(self.state_text, min(cell_len(self.state_text), width))
        room = max(0, width - cell_len(state) - (1 if state else 0))
        date = set_cell_size(self.date_text, min(cell_len(self.date_text), room))
        gap = " " * max(0, width - cell_len(date) - cell_len(state))
        return Content.assemble((date, self.get_visual_style("day-heading--date")), gap,
                                (state, self.get_visual_style("day-heading--state")))
