"""The morning after a run with aches: one small dialog asks how each ache feels now."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from glutetui.domain.run_flags import PART_NAMES
from glutetui.domain.run_input import whole_number
from glutetui.services.runs import MorningQuestion

Scores = dict[tuple[str, str, str], int]


class MorningCheckScreen(ModalScreen[Scores | None]):
    """Dismisses with the scores typed, (run id, part, side) -> 0..10, or None (not now)."""

    DEFAULT_CSS = """
    MorningCheckScreen { align: center middle; }
    MorningCheckScreen > Vertical {
        width: 64; height: auto; max-height: 100%; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    MorningCheckScreen #morning-title { text-style: bold; }
    MorningCheckScreen .morning-row { height: 3; }
    MorningCheckScreen .morning-label { width: 1fr; padding: 1 0; }
    MorningCheckScreen Input { width: 10; }
    MorningCheckScreen #morning-problem { color: $error; }
    MorningCheckScreen .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "save", "Save", priority=True),
        Binding("escape", "not_now", "Not now"),
    ]

    def __init__(self, questions: list[MorningQuestion], zone) -> None:
        super().__init__()
        self.questions = questions
        self._zone = zone

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("How do yesterday's aches feel this morning?", id="morning-title")
            for question in self.questions:
                start = question.run.started_at.astimezone(self._zone)
                for part, side in question.parts:
                    with Horizontal(classes="morning-row"):
                        yield Static(f"{PART_NAMES[part].capitalize()} ({side}), after the {start:%H:%M} "
                                     f"run, 0 to 10:", classes="morning-label", markup=False)
                        yield Input(placeholder="0-10", id=_input_id(question.run.id, part, side))
            yield Static("", id="morning-problem", markup=False)
            yield Static("enter  save    escape  not now (you will not be asked again)", classes="keys")

    def action_save(self) -> None:
        scores: Scores = {}
        for question in self.questions:
            for part, side in question.parts:
                text = self.query_one(f"#{_input_id(question.run.id, part, side)}", Input).value.strip()
                if not text:
                    continue  # left blank: not rated
                score = whole_number(text)
                if score is None or not 0 <= score <= 10:
                    self.query_one("#morning-problem", Static).update(
                        f"{PART_NAMES[part].capitalize()}: {text!r} is not a whole number from 0 to 10; "
                        "0 means no ache at all.")
                    return
                scores[(question.run.id, part, side)] = score
        self.dismiss(scores)

    def action_not_now(self) -> None:
        self.dismiss(None)


def _input_id(run_id: str, part: str, side: str) -> str:
    return f"morning-{run_id}-{part}-{side}"
