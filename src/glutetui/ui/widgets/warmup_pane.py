"""The Warm-up tab: pick a routine, then follow the countdown step by step."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from glutetui.domain.routines import expand, total_seconds
from glutetui.domain.warmup import ADJUST_SECONDS, Tick, WarmupSession
from glutetui.services.routines import RoutineBook
from glutetui.services.voice import speak
from glutetui.store.db import storage_problem
from glutetui.store.warmups import save_warmup, start_warmup
from glutetui.ui.screens.confirm import ConfirmScreen
from glutetui.ui.widgets.countdown import Countdown, clock_text

WHILE_RUNNING = {"toggle_pause", "skip", "back", "adjust", "stop"}
WHEN_OVER = {"log_run", "to_picker"}


class WarmupPane(Vertical, can_focus=True):
    DEFAULT_CSS = """
    WarmupPane { padding: 0 2; }
    WarmupPane ContentSwitcher, WarmupPane ContentSwitcher > Vertical { height: 1fr; }
    WarmupPane .hint { color: $text-muted; margin: 1 0; }
    WarmupPane #routine-list { height: auto; max-height: 12; }
    WarmupPane #routine-problems { color: $warning; margin-top: 1; }
    WarmupPane #warmup-title { color: $text-muted; margin-top: 1; }
    WarmupPane #warmup-countdown { margin: 1 0; }
    WarmupPane #warmup-step { text-style: bold; }
    WarmupPane #warmup-cue { height: 2; }
    WarmupPane #warmup-next { color: $text-muted; margin: 1 0; }
    WarmupPane #warmup-progress-row { height: 1; }
    WarmupPane #warmup-left { margin-left: 2; width: auto; }
    WarmupPane #warmup-summary { margin-top: 1; }
    """
    _STEP_KEYS = Binding.Group("back/skip", compact=True)
    _TIME_KEYS = Binding.Group("±10s", compact=True)
    BINDINGS = [
        Binding("space", "toggle_pause", "Pause"),
        Binding("b", "back", "Back", group=_STEP_KEYS),
        Binding("n", "skip", "Skip", group=_STEP_KEYS),
        Binding("plus,equals_sign", f"adjust({ADJUST_SECONDS})", "+10 s", key_display="+", group=_TIME_KEYS),
        Binding("minus", f"adjust({-ADJUST_SECONDS})", "-10 s", key_display="-", group=_TIME_KEYS),
        Binding("q", "stop", "Stop"),
        Binding("r", "log_run", "Log the run"),
        Binding("escape", "to_picker", "Routines"),
    ]
    # Often enough that the shown second and the end are noticed within 0.1 s.
    TICK_SECONDS = 0.1

    def __init__(self, book: RoutineBook, **kwargs) -> None:
        super().__init__(**kwargs)
        self._book = book
        self.session: WarmupSession | None = None
        self._warmup_id: str | None = None
        self._save_failed = False
        self._title = ""

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="warmup-picker", id="warmup-views"):
            with Vertical(id="warmup-picker"):
                yield Static("Pick a routine and press enter. From any tab, w starts the pre-run warm-up.",
                             classes="hint")
                yield OptionList(*self._routine_options(), id="routine-list")
                yield Static("\n".join(self._book.problems), id="routine-problems", markup=False)
            with Vertical(id="warmup-running"):
                yield Static(id="warmup-title", markup=False)
                yield Countdown("0:00", id="warmup-countdown")
                yield Static(id="warmup-step", markup=False)
                yield Static(id="warmup-cue", markup=False)
                yield Static(id="warmup-next", markup=False)
                with Horizontal(id="warmup-progress-row"):
                    yield ProgressBar(total=1.0, show_eta=False, show_percentage=False, id="warmup-progress")
                    yield Static(id="warmup-left")
            with Vertical(id="warmup-done"):
                yield Static(id="warmup-summary", markup=False)
                yield Static("r: log the run    escape: back to the routines", classes="hint")

    def _routine_options(self) -> list[Option]:
        options = []
        for key in self._book.names():
            routine = self._book.routines[key]
            prompt = Text.assemble((routine.title, "bold"), f"  {clock_text(total_seconds(routine))}")
            if routine.description:
                prompt.append(f"\n{routine.description}", style="dim")
            options.append(Option(prompt, id=key))
        return options

    def on_mount(self) -> None:
        self._ticker = self.set_interval(self.TICK_SECONDS, self._tick, pause=True)

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
        app = self.app
        session = WarmupSession(key, expand(routine), app.clock.monotonic())
        try:
            warmup_id = start_warmup(app.db, summary=session.summary(app.clock.monotonic()),
                                     started_at=app.clock.now())
        except sqlite3.Error as error:  # a full disk: say so and stay on the picker, not crash
            app.notify(f"The warm-up did not start: {app.locations.db}: {storage_problem(error, app.locations.db)}",
                       severity="error", timeout=15, markup=False)
            return
        self.session, self._warmup_id, self._save_failed = session, warmup_id, False
        self._title = routine.title
        self.query_one("#warmup-views", ContentSwitcher).current = "warmup-running"
        self.focus()
        self._ticker.resume()
        self._react(Tick(step_changed=True))
        self.refresh_bindings()

    # --- time passing ---

    def _tick(self) -> None:
        if self.session is not None:
            self._react(self.session.update(self.app.clock.monotonic()))

    def _react(self, tick: Tick) -> None:
        if tick.beeps or tick.step_changed:
            self._ring()
        if self.session.is_over:
            self._end()
            return
        if tick.step_changed:
            self._show_step()
            self._say(self.session.current.label)
            self._save()
        self._show_time()

    def _show_step(self) -> None:
        session = self.session
        step = session.current
        reps = f"  ({step.reps} reps)" if step.reps else ""
        self.query_one("#warmup-step", Static).update(step.label + reps)
        self.query_one("#warmup-cue", Static).update(step.cue)
        upcoming = session.upcoming
        self.query_one("#warmup-next", Static).update(f"next: {upcoming.label}" if upcoming else "next: done!")

    def _show_time(self) -> None:
        session, now = self.session, self.app.clock.monotonic()
        paused = session.state == "paused"
        position = f"step {session.index + 1} of {len(session.steps)}"
        self.query_one("#warmup-title", Static).update(f"{self._title} · {position}" + (" · paused" if paused else ""))
        countdown = self.query_one(Countdown)
        countdown.set_class(paused, "-paused")
        countdown.show_seconds(session.remaining(now))
        self.query_one(ProgressBar).update(progress=session.progress(now))
        self.query_one("#warmup-left", Static).update(f"{clock_text(session.time_left(now))} left")

    def _ring(self) -> None:
        if self.app.settings.bell:
            self.app.bell()

    def _say(self, text: str) -> None:
        if self.app.settings.voice and self.app.voice_program:
            self._speak_in_background(self.app.voice_program, text)

    @work(thread=True, exclusive=True, group="voice")
    def _speak_in_background(self, program: str, text: str) -> None:
        speak(program, text)

    # --- the runner's keys ---

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in WHILE_RUNNING:
            return self.running
        if action in WHEN_OVER:
            return self.session is not None and self.session.is_over
        return True

    def action_toggle_pause(self) -> None:
        self.session.toggle_pause(self.app.clock.monotonic())
        if self.session.state == "paused":
            self._ticker.pause()
        else:
            self._ticker.resume()
        self._show_time()

    def action_skip(self) -> None:
        self._react(self.session.skip(self.app.clock.monotonic()))

    def action_back(self) -> None:
        self._react(self.session.back(self.app.clock.monotonic()))

    def action_adjust(self, seconds: float) -> None:
        self.session.adjust(self.app.clock.monotonic(), seconds)
        self._show_time()

    def action_stop(self) -> None:
        def stop_if_sure(sure: bool | None) -> None:
            if sure and self.running:
                self.session.stop(self.app.clock.monotonic())
                self._end()

        self.app.push_screen(ConfirmScreen("Stop this warm-up? What you did so far is saved."), stop_if_sure)

    def action_log_run(self) -> None:
        # A run logged within 2 hours after a completed warm-up is linked to it.
        self.screen.log_run()

    def action_to_picker(self) -> None:
        self.query_one("#warmup-views", ContentSwitcher).current = "warmup-picker"
        self.query_one("#routine-list", OptionList).focus()
        self.refresh_bindings()

    # --- ending and saving ---

    def abandon(self) -> None:
        """The app is closing mid-routine: keep what was done."""
        if self.running:
            self.session.stop(self.app.clock.monotonic())
            self._save(ended=True)

    def _end(self) -> None:
        self._ticker.pause()
        self._save(ended=True)
        session = self.session
        summary = session.summary(session.ended_at)
        verdict = "Warm-up done" if summary["completed"] else "Warm-up stopped"
        self.query_one("#warmup-summary", Static).update(
            f"{verdict}: {clock_text(summary['done_s'])} of moving, "
            f"{summary['steps_done']} of {summary['steps_total']} moves done in full.\n"
            "Log the run when you are back to link it to this warm-up."
        )
        self.query_one("#warmup-views", ContentSwitcher).current = "warmup-done"
        self.refresh_bindings()

    def _save(self, ended: bool = False) -> None:
        app, session = self.app, self.session
        mono = app.clock.monotonic()
        now = app.clock.now()
        ended_at = None
        if ended and session.ended_at is not None:
            # The exact moment it ended, not when a tick noticed it.
            ended_at = now - timedelta(seconds=mono - session.ended_at)
        try:
            save_warmup(app.db, self._warmup_id, summary=session.summary(mono), now=now, ended_at=ended_at)
        except sqlite3.Error as error:
            # The countdown goes on; the row keeps the progress last saved. Said once, not every step.
            if not self._save_failed:
                self._save_failed = True
                app.notify(f"The warm-up is not being saved: {app.locations.db}: "
                           f"{storage_problem(error, app.locations.db)}", severity="error", timeout=15, markup=False)
