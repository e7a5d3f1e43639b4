"""The stand-up reminder: the bout so far, one desk move, and a key for each answer.

Taking the break runs the move right here on the routine player (the warm-up's),
followed by walking until the break is long enough to end the bout. q during the
move goes straight to that walk; q during the walk sits down at once, and a break
ended before break_min is cut short: the session keeps the sitting bout going.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ContentSwitcher, Static

from glutetui.domain.display_text import visible_text
from glutetui.domain.reminders import KEEP_MOVING, SKIPPED, SNOOZED, TAKEN
from glutetui.domain.routines import TimedStep
from glutetui.domain.timefmt import spoken_minutes
from glutetui.domain.warmup import WarmupSession
from glutetui.services.notifier import REMINDER_ACTIONS
from glutetui.services.reminders import DueReminder
from glutetui.ui.widgets.countdown import clock_text
from glutetui.ui.widgets.routine_player import RoutinePlayer

ASKING = {"take", "snooze", "skip", "stand", "pause"}
DESKTOP_BUTTONS = tuple(key for key, _ in REMINDER_ACTIONS)  # the desktop notification's keys, named as the actions here
# A window that opens while you type must not take your next letter as its answer.
ANSWER_GRACE_SECONDS = 1.0


class ReminderScreen(ModalScreen[str | None]):
    """Dismisses with the outcome ("taken" once the break is over, "snoozed", "skipped",
    "standing", "paused") or None when the app withdrew the reminder."""

    DEFAULT_CSS = """
    ReminderScreen { align: center middle; }
    ReminderScreen > Vertical {
        width: 68; height: auto; max-height: 100%; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    ReminderScreen ContentSwitcher, ReminderScreen ContentSwitcher > Vertical { height: auto; }
    ReminderScreen #reminder-title { text-style: bold; color: $warning; }
    ReminderScreen #reminder-move { margin-top: 1; text-style: bold; }
    ReminderScreen #reminder-cue { color: $text-muted; }
    ReminderScreen .keys { margin-top: 1; }
    ReminderScreen #break-player > .routine-next { margin-top: 1; }
    ReminderScreen #break-player > .routine-progress-row { margin-top: 1; }
    """
    BINDINGS = [
        Binding("t", "take", "Take the break"),
        Binding("z", "snooze", "Snooze 5 min"),
        Binding("k", "skip", "Skip"),
        Binding("s", "stand", "Standing already"),
        Binding("p", "pause", "Pause 1 h"),
        Binding("q", "end_break", "End the break"),
    ]
    BREAK_TITLE = "Desk break"

    def __init__(self, reminder: DueReminder, steps: list[TimedStep], break_min: float) -> None:
        super().__init__()
        self.reminder = reminder
        self.steps = steps
        self.break_min = break_min  # seconds; stopping the move early still keeps the runner up this long
        self._bout_minutes = reminder.bout_minutes
        self._break_began: float | None = None  # monotonic; None until the break is taken
        self._done = False
        self._shown_at = 0.0  # monotonic; the keys answer from ANSWER_GRACE_SECONDS after this
        self._result: str | None = None
        self._desktop_answer: str | None = None  # a button pressed before the window was on screen

    def compose(self) -> ComposeResult:
        with Vertical():
            with ContentSwitcher(initial="reminder-ask"):
                with Vertical(id="reminder-ask"):
                    yield Static("Time to stand up", id="reminder-title")
                    yield Static(id="reminder-bout", markup=False)
                    yield Static(id="reminder-move", markup=False)
                    yield Static(id="reminder-cue", markup=False)
                    yield Static(id="reminder-keys", classes="keys", markup=False)
                with Vertical(id="reminder-break"):
                    yield RoutinePlayer(after_last="next: back to the chair", id="break-player")
                    yield Static(id="break-keys", classes="keys", markup=False)

    def on_mount(self) -> None:
        self._paint()
        if self._desktop_answer is not None:
            self.answer_from_desktop(self._desktop_answer)

    def show_reminder(self, reminder: DueReminder, steps: list[TimedStep]) -> None:
        """Show `reminder`; also when an ignored one is asked again with the longer bout."""
        self.reminder, self.steps = reminder, steps
        self._bout_minutes = reminder.bout_minutes
        if self.is_mounted:  # else on_mount paints the latest
            self._paint()

    def show_bout_minutes(self, minutes: int) -> None:
        """The bout as it grows while the window waits for an answer (the app calls this each minute)."""
        self._bout_minutes = minutes
        if self.is_mounted:  # else on_mount shows it
            self._show_bout()

    def _show_bout(self) -> None:
        self.query_one("#reminder-bout", Static).update(
            f"You have been sitting for {spoken_minutes(self._bout_minutes * 60)}.")

    def _paint(self) -> None:
        reminder, steps = self.reminder, self.steps
        self._shown_at = self.app.clock.monotonic()
        self._show_bout()
        move = reminder.move
        self.query_one("#reminder-move", Static).update(
            f"Desk move: {visible_text(move.name, one_line=True)}" if move else "Get up and walk about for a minute.")
        self.query_one("#reminder-cue", Static).update(visible_text(move.cue) if move else "")
        length = clock_text(sum(step.seconds for step in steps))
        snooze = (f"z  snooze 5 min ({reminder.snoozes_left} left today)" if reminder.snoozes_left
                  else "   no snoozes left today: take it or skip it")
        self.query_one("#reminder-keys", Static).update("\n".join([
            f"t  take the break now ({length})", snooze, "k  skip this one",
            "s  I am standing already", "p  pause reminders for an hour",
        ]))
        self.refresh_bindings()

    @property
    def player(self) -> RoutinePlayer:
        return self.query_one(RoutinePlayer)

    @property
    def asking(self) -> bool:
        return self._break_began is None and not self._done

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        settled = self.app.clock.monotonic() - self._shown_at >= ANSWER_GRACE_SECONDS
        if action == "snooze":
            return self.asking and settled and self.reminder.snoozes_left > 0
        if action in ASKING:
            return self.asking and settled
        if action == "end_break":
            return self._break_began is not None and self.player.running
        return True

    # ---- the answers --------------------------------------------------------------

    def action_take(self) -> None:
        self.app.answer_reminder(TAKEN)
        self._break_began = self.app.clock.monotonic()
        self.query_one(ContentSwitcher).current = "reminder-break"
        self.player.play(WarmupSession("desk-break", self.steps, self._break_began), self.BREAK_TITLE)
        self._show_break_keys()
        # The hint changes when break_min is reached, which need not be at a step's edge.
        self.set_interval(1.0, self._show_break_keys)
        self.refresh_bindings()

    def action_snooze(self) -> None:
        self.app.answer_reminder(SNOOZED)
        self._finish(SNOOZED)

    def action_skip(self) -> None:
        self.app.answer_reminder(SKIPPED)
        self._finish(SKIPPED)

    def action_stand(self) -> None:
        self.app.answer_reminder(TAKEN, then="standing")
        self._finish("standing")

    def action_pause(self) -> None:
        self.app.pause_reminders(hours=1)
        self._finish("paused")

    def answer_from_desktop(self, key: str) -> bool:
        """A button on the desktop notification: the same action as its key here. No grace
        period: a click on the desktop is no keystroke meant for something else."""
        if key not in DESKTOP_BUTTONS or not self.asking:
            return False
        if key == "snooze" and self.reminder.snoozes_left == 0:
            return False
        if not self.is_mounted:
            self._desktop_answer = key
            return True
        self._desktop_answer = None
        getattr(self, f"action_{key}")()
        return True

    def withdraw(self) -> None:
        """The app cleared the reminder (a command stood you up, the workday ended)."""
        if self.asking:
            self._finish(None)

    # ---- the break ----------------------------------------------------------------

    def _break_left(self) -> float:
        """Seconds until the break is long enough to end the sitting bout."""
        return self.break_min - (self.app.clock.monotonic() - self._break_began)

    def _walking(self) -> bool:
        return self.player.session.current.name == KEEP_MOVING[0]

    def _show_break_keys(self) -> None:
        if not self.player.running:
            return
        enough = spoken_minutes(self.break_min)
        if self._break_left() < 1:
            hint = "q  end the break: long enough to end the sitting bout"
        elif self._walking():
            hint = f"q  sit down now: cut short (under {enough}), the sitting bout goes on"
        else:
            hint = f"q  stop the move; walk until the break has lasted {enough}"
        keys = self.query_one("#break-keys", Static)
        if str(keys.content) != hint:
            keys.update(hint)

    def action_end_break(self) -> None:
        """During the move: walk for what is left of break_min, so the bout still ends.
        During the walk, or once the break is long enough: back to the chair now."""
        left = self._break_left()
        if left >= 1 and not self._walking():
            self.player.end_with(TimedStep(*KEEP_MOVING, seconds=left))
            self._show_break_keys()
            return
        self.player.stop()

    def on_routine_player_step_changed(self, event: RoutinePlayer.StepChanged) -> None:
        event.stop()
        self._show_break_keys()

    def on_routine_player_finished(self, event: RoutinePlayer.Finished) -> None:
        event.stop()
        self.app.end_break()  # the session judges whether the break was long enough
        self._finish(TAKEN)

    def _finish(self, result: str | None) -> None:
        if not self._done:  # a key and the app's own withdrawal in the same moment end it once
            self._done = True
            self._dismiss_when_on_top(result)

    def _dismiss_when_on_top(self, result: str | None) -> None:
        # dismiss() pops the top screen: with another over this one, wait until it is gone.
        self._result = result
        if self.app.screen is self:
            self.dismiss(result)

    def on_screen_resume(self) -> None:
        if self._done:
            self.dismiss(self._result)
