"""One guided routine on screen: the big countdown, the step and its cue, what comes next
and the whole routine's progress, kept moving by the player's own timer.

The Warm-up tab and the desk break in the reminder window both show theirs with it; what
a step change or the end means (saving, ending a break) is for them to decide, told by
messages.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from glutetui.domain.display_text import visible_text
from glutetui.domain.routines import TimedStep
from glutetui.domain.warmup import Tick, WarmupSession
from glutetui.domain.wording import counted
from glutetui.ui.widgets.countdown import Countdown, clock_text
from glutetui.ui.widgets.quiet_progress import QuietProgressBar


class RoutinePlayer(Vertical):
    """Shows and drives one `WarmupSession` at a time (`play`).

    Time is the app's monotonic clock: each tick asks the session where it stands
    now, so a slow frame shows late but never makes the routine drift.
    """

    DEFAULT_CSS = """
    RoutinePlayer { height: auto; }
    RoutinePlayer > .routine-title { color: $text-muted; }
    RoutinePlayer > .routine-step { text-style: bold; }
    RoutinePlayer > .routine-next { color: $text-muted; }
    RoutinePlayer > .routine-progress-row { height: 1; }
    RoutinePlayer .routine-left { margin-left: 2; width: auto; }
    """
    # Often enough that the shown second and the end are noticed within 0.1 s.
    TICK_SECONDS = 0.1

    class StepChanged(Message):
        """A new step began (also the first one, when a session starts playing)."""

        def __init__(self, player: RoutinePlayer, session: WarmupSession) -> None:
            super().__init__()
            self.player = player
            self.session = session
            # As it was when posted: by the time this is read, the session may be further on.
            self.index = session.index
            self.step = session.current

        @property
        def control(self) -> RoutinePlayer:
            return self.player

    class Finished(Message):
        """The session is over: every step done (`completed`) or stopped."""

        def __init__(self, player: RoutinePlayer, session: WarmupSession) -> None:
            super().__init__()
            self.player = player
            self.session = session
            self.completed = session.state == "finished"

        @property
        def control(self) -> RoutinePlayer:
            return self.player

    def __init__(self, *, after_last: str = "next: done!", id: str | None = None, classes: str | None = None) -> None:
        """`after_last` is what "next" says on the last step."""
        super().__init__(id=id, classes=classes)
        self.after_last = after_last
        self.session: WarmupSession | None = None
        self.routine_title = ""

    def compose(self) -> ComposeResult:
        # Titles, step names and cues come from routine files: text, never markup, and
        # written out through visible_text where they are set.
        yield Static(classes="routine-title", markup=False)
        yield Countdown("0:00")
        yield Static(classes="routine-step", markup=False)
        yield Static(classes="routine-cue", markup=False)
        yield Static(classes="routine-next", markup=False)
        with Horizontal(classes="routine-progress-row"):
            yield QuietProgressBar(total=1.0, show_eta=False, show_percentage=False)
            yield Static(classes="routine-left", markup=False)

    def on_mount(self) -> None:
        self._ticker = self.set_interval(self.TICK_SECONDS, self.tick, pause=True)

    @property
    def running(self) -> bool:
        """A session is playing or paused, not yet over."""
        return self.session is not None and not self.session.is_over

    @property
    def paused(self) -> bool:
        return self.session is not None and self.session.state == "paused"

    def play(self, session: WarmupSession, title: str) -> None:
        """Show `session` from its current step on, in place of any before it."""
        self.session, self.routine_title = session, title
        self._ticker.resume()
        self._react(Tick(step_changed=True))

    # --- time passing ---

    def tick(self) -> None:
        if self.running:
            self._react(self.session.update(self._now()))

    def _now(self) -> float:
        return self.app.clock.monotonic()

    def _react(self, tick: Tick) -> None:
        session = self.session
        if tick.beeps or tick.step_changed:
            self._ring()
        if session.is_over:
            self._ticker.pause()
            self._show_time()
            self._tell(self.Finished(self, session))
            return
        if tick.step_changed:
            self._show_step()
            self._tell(self.StepChanged(self, session))
        self._show_time()

    def _tell(self, message: Message) -> None:
        # Sent as the player's own, so how far it bubbles does not depend on whose handler
        # called play() or a key action: Textual stops a message once it reaches its sender.
        self.post_message(message.set_sender(self))

    def _ring(self) -> None:
        if self.app.settings.bell:
            self.app.bell()

    # --- the runner's keys, through whoever owns the player ---

    def toggle_pause(self) -> None:
        if self.running:
            self.session.toggle_pause(self._now())
            if self.paused:
                self._ticker.pause()  # nothing moves until resumed: no work ten times a second
            else:
                self._ticker.resume()
            self._react(Tick())

    def skip(self) -> None:
        if self.running:
            self._react(self.session.skip(self._now()))

    def back(self) -> None:
        if self.running:
            self._react(self.session.back(self._now()))

    def adjust(self, seconds: float) -> None:
        if self.running:
            self.session.adjust(self._now(), seconds)
            self._react(Tick())

    def end_with(self, step: TimedStep) -> None:
        """Drop the steps still to come and go on with `step` as the last."""
        if self.running:
            self._react(self.session.end_with(self._now(), step))

    def stop(self) -> None:
        """End the session where it stands; `Finished` follows, with `completed` false."""
        if self.running:
            self.session.stop(self._now())
            self._react(Tick())

    # --- showing ---

    def _show_step(self) -> None:
        session = self.session
        step = session.current
        reps = f"  ({counted(step.reps, 'rep')})" if step.reps else ""
        self.query_one(".routine-step", Static).update(visible_text(step.label, one_line=True) + reps)
        self.query_one(".routine-cue", Static).update(visible_text(step.cue))
        upcoming = session.upcoming
        self.query_one(".routine-next", Static).update(
            f"next: {visible_text(upcoming.label, one_line=True)}" if upcoming else self.after_last)

    def _show_time(self) -> None:
        session, now = self.session, self._now()
        position = f"step {session.index + 1} of {len(session.steps)}"
        self.query_one(".routine-title", Static).update(
            f"{visible_text(self.routine_title, one_line=True)} · {position}" + (" · paused" if self.paused else ""))
        countdown = self.query_one(Countdown)
        countdown.set_class(self.paused, "-paused")
        countdown.show_seconds(session.remaining(now))
        self.query_one(QuietProgressBar).update(progress=session.progress(now))
        self.query_one(".routine-left", Static).update(f"{clock_text(session.time_left(now))} left")
