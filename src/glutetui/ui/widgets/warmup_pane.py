"""The Warm-up tab: pick a routine, then follow it step by step on the routine player.

The pane stores nothing itself: it tells the app what happened (Started, Saved, Paused,
Ended) and the app keeps it. Its keys are bound on the main screen, so that they work
whatever has focus while this tab shows a routine.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import ContentSwitcher, OptionList, Static
from textual.widgets.option_list import Option

from glutetui.domain.display_text import visible_message, visible_text
from glutetui.domain.routines import expand, is_pre_run, total_seconds
from glutetui.domain.warmup import WarmupSession
from glutetui.domain.wording import counted
from glutetui.services.routines import RoutineBook
from glutetui.services.voice import speak
from glutetui.ui.screens.confirm import ConfirmScreen
from glutetui.ui.widgets.countdown import clock_text
from glutetui.ui.widgets.routine_player import RoutinePlayer

WHILE_RUNNING = {"toggle_pause", "skip", "back", "adjust", "stop"}
WHEN_OVER = {"log_run", "to_picker"}

OUT_RUNNING = (
    "You are out running now: none of this time counts as sitting until you are back.\n"
    "When you are back, press a posture key on Today (enter: sitting) or run `glutetui sit`; "
    "where glutetui watches the keyboard, typing again after a couple of minutes counts too. "
    "The run form then opens with the run filled in."
)
LOG_LATER = "Log the run when you are back to link it to this warm-up."


class WarmupPane(Vertical, can_focus=True):
    DEFAULT_CSS = """
    WarmupPane { padding: 0 2; }
    WarmupPane ContentSwitcher, WarmupPane ContentSwitcher > Vertical { height: 1fr; }
    WarmupPane .hint { color: $text-muted; margin: 1 0; }
    WarmupPane #routine-list { height: auto; max-height: 12; }
    WarmupPane #routine-problems { color: $warning; margin-top: 1; }
    WarmupPane #warmup-running > .routine-title { margin-top: 1; }
    WarmupPane #warmup-running { height: 1fr; }
    /* All the height the text leaves: the digits grow with the terminal. */
    WarmupPane #warmup-running > Countdown { width: 1fr; height: 1fr; min-height: 3; margin: 1 0; text-align: center; }
    WarmupPane #warmup-running > .routine-cue { height: 2; }
    WarmupPane #warmup-running > .routine-next { margin: 1 0; }
    WarmupPane #warmup-summary { margin-top: 1; }
    """

    class Started(Message):
        """A routine began; `summary` is its `warmups` row so far (nothing done yet)."""

        def __init__(self, routine: str, summary: dict, started_at: datetime) -> None:
            super().__init__()
            self.routine = routine
            self.summary = summary
            self.started_at = started_at

    class Saved(Message):
        """The routine moved on a step: its progress, to keep should the app not close cleanly."""

        def __init__(self, routine: str, summary: dict, at: datetime) -> None:
            super().__init__()
            self.routine = routine
            self.summary = summary
            self.at = at

    class Paused(Message):
        """Paused (`paused` true) or resumed."""

        def __init__(self, routine: str, paused: bool, at: datetime) -> None:
            super().__init__()
            self.routine = routine
            self.paused = paused
            self.at = at

    class Ended(Message):
        """Completed or stopped; `ended_at` is when it ended, `at` when that was noticed."""

        def __init__(self, routine: str, summary: dict, ended_at: datetime, at: datetime) -> None:
            super().__init__()
            self.routine = routine
            self.summary = summary
            self.ended_at = ended_at
            self.at = at

    def __init__(self, book: RoutineBook, **kwargs) -> None:
        super().__init__(**kwargs)
        self._book = book
        self.session: WarmupSession | None = None
        self._end_told = False
        self._told: WarmupPane.Ended | None = None

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="warmup-picker", id="warmup-views"):
            with Vertical(id="warmup-picker"):
                yield Static("Pick a routine and press enter. From any tab, w starts the pre-run warm-up.",
                             classes="hint")
                yield OptionList(*self._routine_options(), id="routine-list")
                yield Static("\n".join(visible_message(problem, one_line=True) for problem in self._book.problems),
                             id="routine-problems", markup=False)
            yield RoutinePlayer(id="warmup-running")
            with Vertical(id="warmup-done"):
                yield Static(id="warmup-summary", markup=False)
                yield Static("r: log the run    escape: back to the routines", classes="hint")

    def _routine_options(self) -> list[Option]:
        options = []
        for key in self._book.names():
            routine = self._book.routines[key]
            # Rich Text, not markup: a title like "Knee [left]" shows as it is written.
            prompt = Text.assemble((visible_text(routine.title, one_line=True), "bold"),
                                   f"  {clock_text(total_seconds(routine))}")
            if routine.description:
                prompt.append(f"\n{visible_text(routine.description)}", style="dim")
            options.append(Option(prompt, id=key))
        return options

    @property
    def player(self) -> RoutinePlayer:
        return self.query_one(RoutinePlayer)

    @property
    def running(self) -> bool:
        return self.session is not None and not self.session.is_over

    # --- starting ---

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.start(event.option.id)

    def start(self, key: str) -> None:
        if self.running:
            return  # one warm-up at a time; `w` while one runs just shows it
        routine = self._book.routines[key]
        clock = self.app.clock
        mono = clock.monotonic()
        self.session = WarmupSession(key, expand(routine), mono)
        self._end_told = False
        self._tell(self.Started(key, self.session.summary(mono), clock.now()))
        self.query_one("#warmup-views", ContentSwitcher).current = "warmup-running"
        self.player.play(self.session, routine.title)
        self.focus()
        self.refresh_bindings()

    # --- what the player tells ---

    def on_routine_player_step_changed(self, event: RoutinePlayer.StepChanged) -> None:
        event.stop()
        if event.session is not self.session:
            return  # from a routine that has since been replaced
        self._say(event.step.label)
        clock = self.app.clock
        self._tell(self.Saved(self.session.routine_key, self.session.summary(clock.monotonic()), clock.now()))

    def on_routine_player_finished(self, event: RoutinePlayer.Finished) -> None:
        event.stop()
        if event.session is not self.session or self._end_told:
            return  # an older routine's, or abandon() has already returned this end
        self._tell(self._ended())
        self._show_done()

    def _tell(self, message: Message) -> None:
        # Textual takes the handler running when a message is made for its sender and stops
        # the message once it bubbles up to that sender. Made in a handler of the screen's
        # (a key bound there, `w`), it would stop at the screen, short of the app.
        self.post_message(message.set_sender(self))

    def _say(self, text: str) -> None:
        if self.app.settings.voice and self.app.voice_program:
            self._speak_in_background(self.app.voice_program, text)

    @work(thread=True, exclusive=True, group="voice")
    def _speak_in_background(self, program: str, text: str) -> None:
        speak(program, text)

    # --- the runner's keys (bound on the main screen, which asks check_action here) ---

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in WHILE_RUNNING:
            return self.running
        if action in WHEN_OVER:
            # The footer may ask between this pane's mount and its compose: nothing is over yet.
            # Its own child, looked for among its children only: asked on every footer update.
            views = self.query_children("#warmup-views")
            return bool(views) and views.first(ContentSwitcher).current == "warmup-done"
        return True

    def action_toggle_pause(self) -> None:
        self.player.toggle_pause()
        self._tell(self.Paused(self.session.routine_key, self.player.paused, self.app.clock.now()))

    def action_skip(self) -> None:
        self.player.skip()

    def action_back(self) -> None:
        self.player.back()

    def action_adjust(self, seconds: float) -> None:
        self.player.adjust(seconds)

    def action_stop(self) -> None:
        def stop_if_sure(sure: bool | None) -> None:
            if sure and self.running:
                self.player.stop()

        self.app.push_screen(ConfirmScreen("Stop this warm-up? What you did so far is saved."), stop_if_sure)

    def action_log_run(self) -> None:
        # A run logged within 2 hours after a completed warm-up is linked to it.
        self.screen.log_run()

    def run_logged(self) -> None:
        """A run linked to a warm-up was saved: the finished one no longer offers r."""
        if self.query_one("#warmup-views", ContentSwitcher).current == "warmup-done":
            self.action_to_picker()

    def action_to_picker(self) -> None:
        self.query_one("#warmup-views", ContentSwitcher).current = "warmup-picker"
        self.query_one("#routine-list", OptionList).focus()
        self.refresh_bindings()

    # --- ending ---

    def abandon(self) -> WarmupPane.Ended | None:
        """The app is closing: stop a routine mid-way and return its end for the app to
        store at once (a message would never be read). An end already told comes back too:
        quitting just after it, its message may still be on its way up to the app, and the
        session keeps it only for a routine it still has open. None when there is none."""
        if self.session is None:
            return None
        if self._end_told:
            return self._told
        if self.running:
            self.session.stop(self.app.clock.monotonic())  # not through the player: it would post Finished
        # Also when it finished just now and the player's Finished is still on its way.
        return self._ended()

    def _ended(self) -> WarmupPane.Ended:
        self._end_told = True
        session, clock = self.session, self.app.clock
        mono, now = clock.monotonic(), clock.now()
        # The exact moment it ended, not when a tick or this message noticed it.
        ended_at = now - timedelta(seconds=mono - session.ended_at)
        self._told = self.Ended(session.routine_key, session.summary(mono), ended_at, now)
        return self._told

    def _show_done(self) -> None:
        session = self.session
        summary = session.summary(session.ended_at)
        verdict = "Warm-up done" if summary["completed"] else "Warm-up stopped"
        after = OUT_RUNNING if is_pre_run(session.routine_key) else LOG_LATER
        self.query_one("#warmup-summary", Static).update(
            f"{verdict}: {clock_text(summary['done_s'])} of moving, "
            f"{summary['steps_done']} of {counted(summary['steps_total'], 'move')} done in full.\n{after}"
        )
        self.query_one("#warmup-views", ContentSwitcher).current = "warmup-done"
        self.refresh_bindings()
