"""A guided routine as a state machine driven by monotonic seconds.

Each step's deadline is counted from the previous deadline, not from the
moment a tick noticed it, so a late frame never makes the routine drift.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Literal

from glutetui.domain.record import record
from glutetui.domain.routines import TimedStep

State = Literal["running", "paused", "finished", "stopped"]
COUNTDOWN_MARKS = (3, 2, 1)  # a beep as each of the last three seconds begins
BACK_RESTARTS_AFTER = 3.0  # seconds into a step after which "back" restarts it instead
ADJUST_SECONDS = 10.0
LINK_WINDOW = timedelta(hours=2)


@record
class Tick:
    step_changed: bool = False
    beeps: int = 0
    finished: bool = False


class WarmupSession:
    def __init__(self, routine_key: str, steps: Sequence[TimedStep], now: float) -> None:
        if not steps:
            raise ValueError("a routine needs at least one step")
        self.routine_key = routine_key
        self.steps = list(steps)
        self.planned_seconds = sum(step.seconds for step in self.steps)
        self.state: State = "running"
        self.ended_at: float | None = None  # monotonic moment it finished or was stopped
        self.index = 0
        self._done_indices: set[int] = set()
        self._active_before = 0.0
        self._begin_step(0, now)

    # --- what the screen shows ---

    @property
    def current(self) -> TimedStep:
        return self.steps[self.index]

    @property
    def upcoming(self) -> TimedStep | None:
        return self.steps[self.index + 1] if self.index + 1 < len(self.steps) else None

    @property
    def is_over(self) -> bool:
        return self.state in ("finished", "stopped")

    def elapsed_in_step(self, now: float) -> float:
        until = self._paused_at if self._paused_at is not None else now
        return max(0.0, until - self._step_start - self._paused_in_step)

    def remaining(self, now: float) -> float:
        if self.is_over:
            return 0.0
        return max(0.0, self._length - self.elapsed_in_step(now))

    def time_left(self, now: float) -> float:
        later = sum(step.seconds for step in self.steps[self.index + 1:])
        return 0.0 if self.is_over else self.remaining(now) + later

    def progress(self, now: float) -> float:
        if self.state == "finished":
            return 1.0
        before = sum(step.seconds for step in self.steps[: self.index])
        spent = before + min(self.elapsed_in_step(now), self._length)
        return spent / (spent + self.time_left(now)) if spent + self.time_left(now) else 1.0

    def done_seconds(self, now: float) -> float:
        counting = 0.0 if self.is_over or self.current.kind != "move" else self.elapsed_in_step(now)
        return self._active_before + counting

    @property
    def move_steps_total(self) -> int:
        return sum(1 for step in self.steps if step.kind == "move")

    @property
    def move_steps_done(self) -> int:
        return sum(1 for index in self._done_indices if self.steps[index].kind == "move")

    # --- time passing ---

    def update(self, now: float) -> Tick:
        if self.state != "running":
            return Tick()
        changed = False
        while self.state == "running" and self.elapsed_in_step(now) >= self._length:
            deadline = self._step_start + self._paused_in_step + self._length
            self._done_indices.add(self.index)
            self._close_step(self._length)
            if self.index + 1 == len(self.steps):
                self.state, self.ended_at = "finished", deadline
            else:
                self._begin_step(self.index + 1, deadline)
            changed = True
        beeps = 0 if self.is_over else self._new_countdown_beeps(now)
        return Tick(step_changed=changed, beeps=beeps, finished=self.state == "finished")

    def _new_countdown_beeps(self, now: float) -> int:
        left = math.ceil(self.remaining(now))
        fresh = [mark for mark in COUNTDOWN_MARKS if left <= mark < self._length and mark not in self._beeped]
        self._beeped.update(fresh)
        return len(fresh)

    # --- the runner's keys ---

    def toggle_pause(self, now: float) -> None:
        if self.state == "running":
            self._paused_at, self.state = now, "paused"
        elif self.state == "paused":
            self._paused_in_step += now - self._paused_at
            self._paused_at, self.state = None, "running"

    def skip(self, now: float) -> Tick:
        if self.is_over:
            return Tick()
        self._close_step(self.elapsed_in_step(now))
        if self.index + 1 == len(self.steps):
            self.state, self.ended_at = "finished", now
            return Tick(step_changed=True, finished=True)
        self._begin_step(self.index + 1, now)
        return Tick(step_changed=True)

    def back(self, now: float) -> Tick:
        if self.is_over:
            return Tick()
        restart = self.index == 0 or self.elapsed_in_step(now) > BACK_RESTARTS_AFTER
        self._close_step(self.elapsed_in_step(now))
        self._begin_step(self.index if restart else self.index - 1, now)
        return Tick(step_changed=True)

    def adjust(self, now: float, seconds: float) -> None:
        """+/- time on the current step; it never ends sooner than one second from now."""
        if not self.is_over:
            self._length = max(self.elapsed_in_step(now) + 1.0, self._length + seconds)
            self._beeped = {mark for mark in self._beeped if mark >= self.remaining(now)}

    def end_with(self, now: float, step: TimedStep) -> Tick:
        """Leave the steps still to come for `step`, which begins now as the last one
        (a desk break cut to the walk that makes it long enough)."""
        if self.is_over:
            return Tick()
        self._close_step(self.elapsed_in_step(now))
        self.steps = self.steps[: self.index + 1] + [step]
        self._begin_step(self.index + 1, now)
        return Tick(step_changed=True)

    def stop(self, now: float) -> None:
        if not self.is_over:
            self._close_step(self.elapsed_in_step(now))
            self.state, self.ended_at = "stopped", now

    # --- bookkeeping ---

    def _begin_step(self, index: int, start: float) -> None:
        paused = self.state == "paused"
        self.index = index
        self._step_start = start
        self._length = self.steps[index].seconds
        self._paused_in_step = 0.0
        self._paused_at = start if paused else None
        self._beeped: set[int] = set()

    def _close_step(self, seconds_spent: float) -> None:
        if self.current.kind == "move":
            self._active_before += seconds_spent

    def summary(self, now: float) -> dict:
        """The fields of a `warmups` row, apart from ids and wall-clock times."""
        return {
            "routine": self.routine_key,
            "planned_s": round(self.planned_seconds),
            "done_s": round(self.done_seconds(now)),
            "steps_done": self.move_steps_done,
            "steps_total": self.move_steps_total,
            "completed": int(self.state == "finished"),
        }


@record
class FinishedWarmup:
    id: str
    ended_at: datetime
    completed: bool


def warmup_for_run(run_start: datetime, warmups: Iterable[FinishedWarmup]) -> str | None:
    """The completed warm-up that ended most recently within two hours before the run."""
    fitting = [w for w in warmups if w.completed and timedelta(0) <= run_start - w.ended_at <= LINK_WINDOW]
    return max(fitting, key=lambda w: w.ended_at).id if fitting else None
