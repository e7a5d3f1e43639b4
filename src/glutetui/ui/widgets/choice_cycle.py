"""A short list of choices shown one at a time, stepped through with left and right, space,
or a click: "◂ after the run ▸".

The run form's warm-up link, sides and "when it hurt" fields each offer two to a few
choices. As Selects they were 42 of the form's 79 widgets, and styling those was most of
what opening the form cost; a choice like this is one widget.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import RenderResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

PREVIOUS, NEXT = "◂", "▸"


class ChoiceCycle(Widget, can_focus=True):
    DEFAULT_CSS = """
    ChoiceCycle { height: 1; width: auto; background: $boost; }
    ChoiceCycle:focus { background: $primary 30%; text-style: bold; }
    """
    BINDINGS = [
        Binding("left", "step(-1)", "Previous choice", show=False),
        Binding("right,space", "step(1)", "Next choice", show=False),
    ]

    class Changed(Message):
        """The runner picked another choice."""

        def __init__(self, choice: ChoiceCycle, value: str) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> ChoiceCycle:
            return self.choice

    def __init__(self, options: Sequence[tuple[str, str]], value: str, *, id: str | None = None,
                 classes: str | None = None) -> None:
        """`options`: (label, value) pairs in the order they are stepped through."""
        super().__init__(id=id, classes=classes)
        if not options:
            raise ValueError("a choice needs at least one option")
        self._options = tuple(options)
        self._index = self._index_of(value)

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(value for _, value in self._options)

    @property
    def value(self) -> str:
        return self._options[self._index][1]

    @value.setter
    def value(self, value: str) -> None:
        # Set from code, it says so as a Select does: what follows a choice follows it either way.
        index = self._index_of(value)
        if index != self._index:
            self._step_to(index)

    def _index_of(self, value: str) -> int:
        for index, (_, option) in enumerate(self._options):
            if option == value:
                return index
        raise ValueError(f"{value!r} is not one of {self.choices}")

    def render(self) -> RenderResult:
        # Content(...) is plain text: a label is never read as markup.
        return Content(f"{PREVIOUS} {self._options[self._index][0]} {NEXT}")

    def action_step(self, by: int) -> None:
        self._step_to((self._index + by) % len(self._options))

    def _step_to(self, index: int) -> None:
        self._index = index
        self.refresh(layout=True)  # a longer label needs a wider widget
        self.post_message(self.Changed(self, self.value))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        # The left arrow steps back; a click anywhere else steps on.
        self.action_step(-1 if event.x <= 1 else 1)
