"""The stand-up reminder: the bout so far, one desk move, and a key for each answer.

Taking the break runs the move right here on the warm-up engine, followed by
walking until the break is long enough to end the bout.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import ContentSwitcher, ProgressBar, Static

from glutetui.domain.reminders import KEEP_MOVING, SKIPPED, SNOOZED, TAKEN
from glutetui.domain.routines import TimedStep
from glutetui.domain.timefmt import spoken_minutes
from glutetui.domain.warmup import Tick, WarmupSession
from glutetui.services.reminders import DueReminder
from glutetui.ui.widgets.countdown import Countdown, clock_text

ASKING = {"take", "snooze", "skip", "stand", "pause"}
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
    ReminderScreen #break-title { color: $text-muted; }
    ReminderScreen #break-step { text-style: bold; }
    ReminderScreen #break-next { color: $text-muted; margin-top: 1; }
    ReminderScreen #break-progress-row { height: 1; margin-top: 1; }
    ReminderScreen #break-left { margin-left: 2; width: auto; }
    """
    BINDINGS = [
        Binding("t", "take", "Take the break"),
        Binding("z", "snooze", "Snooze 5 min"),
        Binding("k", "skip", "Skip"),
        Binding("s", "stand", "Standing already"),
        Binding("p", "pause", "Pause 1 h"),
        Binding("q", "end_break", "End the break"),
    ]
    TICK_SECONDS = 0.1

    def __init__(self, reminder: DueReminder, steps: list[TimedStep], break_min: float) -> None:
        super().__init__()
        self.reminder = reminder
        self.steps = steps
        self.break_min = break_min  # seconds; stopping the move early still keeps the runner up this long
        self._break_began = 0.0
        self.session: WarmupSession | None = None
        self._done = False
        self._shown_at = 0.0  # monotonic; the keys answer from ANSWER_GRACE_SECONDS after this
        self._result: str | None = None

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
                    yield Static(id="break-title", markup=False)
                    yield Countdown("0:00", id="break-countdown")
                    yield Static(id="break-step", markup=False)
                    yield Static(id="break-cue", markup=False)
                    yield Static(id="break-next", markup=False)
                    with Horizontal(id="break-progress-row"):
                        yield ProgressBar(total=1.0, show_eta=False, show_percentage=False)
                        yield Static(id="break-left")
                    yield Static(id="break-keys", classes="keys", markup=False)

    def on_mount(self) -> None:
        self._ticker = self.set_interval(self.TICK_SECONDS, self.tick, pause=True)
        self._paint()

    def show_reminder(self, reminder: DueReminder, steps: list[TimedStep]) -> None:
        """Show `reminder`; also when an ignored one is asked again with the longer bout."""
        self.reminder, self.steps = reminder, steps
        if self.is_mounted:  # else on_mount paints the latest
            self._paint()

    def _paint(self) -> None:
        reminder, steps = self.reminder, self.steps
        self._shown_at = self.app.clock.monotonic()
        self.query_one("#reminder-bout", Static).update(
            f"You have been sitting for {spoken_minutes(reminder.bout_minutes * 60)}.")
        move = reminder.move
        self.query_one("#reminder-move", Static).update(
            f"Desk move: {move.name}" if move else "Get up and walk about for a minute.")
        self.query_one("#reminder-cue", Static).update(move.cue if move else "")
        length = clock_text(sum(step.seconds for step in steps))
        snooze = (f"z  snooze 5 min ({reminder.snoozes_left} left today)" if reminder.snoozes_left
                  else "   no snoozes left today: take it or skip it")
        self.query_one("#reminder-keys", Static).update("\n".join([
            f"t  take the break now ({length})", snooze, "k  skip this one",
            "s  I am standing already", "p  pause reminders for an hour",
        ]))
        self.refresh_bindings()

    @property
    def asking(self) -> bool:
        return self.session is None and not self._done

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        settled = self.app.clock.monotonic() - self._shown_at >= ANSWER_GRACE_SECONDS
        if action == "snooze":
            return self.asking and settled and self.reminder.snoozes_left > 0
        if action in ASKING:
            return self.asking and settled
        if action == "end_break":
            return self.session is not None and not self.session.is_over
        return True

    # ---- the answers --------------------------------------------------------------

    def action_take(self) -> None:
        self.app.answer_reminder(TAKEN)
        self._break_began = self.app.clock.monotonic()
        self.session = WarmupSession("desk-break", self.steps, self._break_began)
        self.query_one("#break-keys", Static).update(
            f"q  stop the move (the break still lasts {spoken_minutes(self.break_min)})")
        self.query_one(ContentSwitcher).current = "reminder-break"
        self._ticker.resume()
        self._react(Tick(step_changed=True))
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

    def withdraw(self) -> None:
        """The app cleared the reminder (a command stood you up, the workday ended)."""
        if self.asking:
            self._finish(None)

    # ---- the break ----------------------------------------------------------------

    def tick(self) -> None:
        if self.session is not None and not self._done:
            self._react(self.session.update(self.app.clock.monotonic()))

    def action_end_break(self) -> None:
        """Stop the move; walking fills what is left of break_min, so the bout still ends."""
        now = self.app.clock.monotonic()
        left = self.break_min - (now - self._break_began)
        if left >= 1 and self.session.current.name != KEEP_MOVING[0]:
            self.session = WarmupSession("desk-break", [TimedStep(*KEEP_MOVING, seconds=left)], now)
            self._react(Tick(step_changed=True))
            return
        self.session.stop(now)
        self._react(Tick(finished=True))

    def _react(self, tick: Tick) -> None:
        if (tick.beeps or tick.step_changed) and self.app.settings.bell:
            self.app.bell()
        if self.session.is_over:
            self._ticker.pause()
            self.app.end_break()
            self._finish(TAKEN)
            return
        if tick.step_changed:
            step = self.session.current
            reps = f"  ({step.reps} reps)" if step.reps else ""
            self.query_one("#break-step", Static).update(step.label + reps)
            self.query_one("#break-cue", Static).update(step.cue)
            upcoming = self.session.upcoming
            self.query_one("#break-next", Static).update(
                f"next: {upcoming.label}" if upcoming else "next: back to the chair")
        self._show_time()

    def _show_time(self) -> None:
        session, now = self.session, self.app.clock.monotonic()
        self.query_one("#break-title", Static).update(f"Desk break · step {session.index + 1} of {len(session.steps)}")
        self.query_one(Countdown).show_seconds(session.remaining(now))
        self.query_one(ProgressBar).update(progress=session.progress(now))
        self.query_one("#break-left", Static).update(f"{clock_text(session.time_left(now))} left")

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
