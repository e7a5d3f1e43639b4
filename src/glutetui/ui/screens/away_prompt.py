"""Back at the desk after time counted as away: one key says whether you were up."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from glutetui.clock import Clock
from glutetui.services.tracker import AwayReturn

ANSWER_SECONDS = 60  # unanswered, the time stays away


class AwayPrompt(ModalScreen[bool | None]):
    """Dismisses with True (was up), False (was sitting) or None (no answer: stays away)."""

    DEFAULT_CSS = """
    AwayPrompt { align: center middle; }
    AwayPrompt > Vertical {
        width: 56; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    AwayPrompt #away-question { text-style: bold; }
    AwayPrompt .keys { margin-top: 1; }
    AwayPrompt #away-countdown { color: $text-muted; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "I was up"),
        Binding("n", "answer(False)", "I was sitting"),
        Binding("escape", "answer(None)", "Keep as away"),
    ]

    def __init__(self, back: AwayReturn, clock: Clock, zone) -> None:
        super().__init__()
        self.back = back
        self._clock = clock
        self._zone = zone
        self._asked_at = clock.monotonic()
        self._answered = False

    def compose(self) -> ComposeResult:
        start = self.back.started.astimezone(self._zone)
        end = self.back.ended.astimezone(self._zone)
        with Vertical():
            yield Static(f"Away {self.back.minutes} min ({start:%H:%M}-{end:%H:%M}): were you up?",
                         id="away-question", markup=False)
            yield Static("y  yes, I was away from the desk\nn  no, I was sitting (a call, reading)", classes="keys")
            yield Static(id="away-countdown")

    def on_mount(self) -> None:
        self.check_time()
        self.set_interval(1.0, self.check_time)

    def check_time(self) -> None:
        left = ANSWER_SECONDS - (self._clock.monotonic() - self._asked_at)
        if left <= 0:
            if self.app.screen is self:  # dismiss() pops the top screen; wait out one over us
                self.action_answer(None)
        else:
            self.query_one("#away-countdown", Static).update(f"No answer in {int(left + 0.999)} s keeps it as away.")

    def action_answer(self, was_up: bool | None) -> None:
        if not self._answered:  # a key and the timeout in the same second answer once
            self._answered = True
            self.dismiss(was_up)
