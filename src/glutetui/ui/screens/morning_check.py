"""The morning after a run with aches: one small dialog asks how each ache feels now."""

from __future__ import annotations

from datetime import timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from glutetui.domain.run_flags import PART_NAMES
from glutetui.domain.run_input import whole_number
from glutetui.services.runs import MorningQuestion
from glutetui.ui.screens.confirm import ConfirmScreen

Scores = dict[tuple[str, str, str], int]
NOT_TODAY: Scores = {}  # no scores, and do not ask about these aches again
ASK_LATER = None  # nothing stored: the question comes back after ASK_AGAIN_AFTER
ASK_AGAIN_AFTER = timedelta(hours=1)


class MorningCheckScreen(ModalScreen[Scores | None]):
    """Dismisses with the scores typed, (run id, part, side) -> 0..10; NOT_TODAY when the
    runner said not to ask; ASK_LATER when nothing was typed and the runner wants it back."""

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
    # Not a priority binding: enter in a field is the field's own Submitted message, which
    # comes after every key typed before it, however fast (a priority binding ran ahead of
    # the keys still queued for the field, and saved an empty form). This one serves enter
    # when no field has focus.
    BINDINGS = [
        Binding("enter", "save", "Save"),
        Binding("escape", "not_today", "Don't ask today"),
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
            yield Static("enter  save    escape  don't ask about these again", classes="keys")

    @on(Input.Submitted)
    def _field_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        scores: Scores = {}
        typed = False
        for question in self.questions:
            for part, side in question.parts:
                text = self.query_one(f"#{_input_id(question.run.id, part, side)}", Input).value.strip()
                if not text:
                    continue  # left blank: not rated
                typed = True
                score = whole_number(text)
                if score is None or not 0 <= score <= 10:
                    self.query_one("#morning-problem", Static).update(
                        f"{PART_NAMES[part].capitalize()}: {text!r} is not a whole number from 0 to 10; "
                        "0 means no ache at all.")
                    return
                scores[(question.run.id, part, side)] = score
        if not typed:
            self._ask_what_now()
            return
        self.dismiss(scores)

    def _ask_what_now(self) -> None:
        """A bare enter is no answer: say so, rather than close and never ask again."""
        def answered(later: bool | None) -> None:
            self.dismiss(ASK_LATER if later else NOT_TODAY)

        self.app.push_screen(ConfirmScreen("No score typed. Ask again in an hour?\n"
                                           "No: not asked about these aches again."), answered)

    def action_not_today(self) -> None:
        self.dismiss(NOT_TODAY)


def _input_id(run_id: str, part: str, side: str) -> str:
    return f"morning-{run_id}-{part}-{side}"
