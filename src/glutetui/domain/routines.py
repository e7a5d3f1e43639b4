"""Routine files: parse the TOML text, check it, expand it into timed steps.

Pure: the caller reads the file and passes its text and a name for messages.
"""

from __future__ import annotations

import math
import re

from glutetui.domain.record import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:
    from typing import Literal

ROUTINE_KEYS = {"title", "description", "rounds", "steps"}
STEP_KEYS = {"name", "cue", "seconds", "reps", "seconds_per_rep", "sides", "switch_seconds"}
DEFAULT_SWITCH_SECONDS = 3.0
MAX_STEP_SECONDS = 3600.0
PRE_RUN_PREFIX = "pre-run"


def is_pre_run(key: str) -> bool:
    """A warm-up before a run (pre-run.toml, or a file of the runner's own named pre-run-*):
    when it ends, the runner is out running."""
    return key == PRE_RUN_PREFIX or key.startswith(PRE_RUN_PREFIX + "-")


class RoutineError(Exception):
    """A problem in one routine file: `str()` names the file, the line where known, and the fix."""


@record
class Step:
    name: str
    cue: str
    seconds: float
    reps: int | None = None
    sides: bool = False
    switch_seconds: float = DEFAULT_SWITCH_SECONDS


@record
class Routine:
    key: str
    title: str
    description: str
    steps: tuple[Step, ...]
    rounds: int = 1


@record
class TimedStep:
    """One stretch of the countdown: an exercise (on one side, maybe) or a switch pause."""

    name: str
    cue: str
    seconds: float
    kind: Literal["move", "switch"] = "move"
    side: Literal["left", "right"] | None = None
    reps: int | None = None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.side})" if self.side else self.name


def parse_routine(text: str, key: str, source: str) -> Routine:
    """`key` is the routine's name (the file stem); `source` is what messages call the file."""
    import tomllib  # here: the sitting math that imports this module reads no routine

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RoutineError(f"{source}: not valid TOML ({error}).") from None
    except RecursionError:  # tomllib reads nested brackets by recursion
        raise RoutineError(f"{source}: not valid TOML (brackets nested too deep).") from None
    _reject_unknown(source, None, data, ROUTINE_KEYS)
    title = _text(source, None, data, "title", default=key)
    description = _text(source, None, data, "description", default="")
    rounds = data.get("rounds", 1)
    if not isinstance(rounds, int) or isinstance(rounds, bool) or not 1 <= rounds <= 20:
        raise RoutineError(f"{source}: 'rounds' must be a whole number from 1 to 20, for example: rounds = 2")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise RoutineError(f"{source}: no steps. Add at least one [[steps]] table with a name, a cue and seconds.")
    step_lines = [number for number, line in enumerate(text.splitlines(), 1) if re.match(r"\s*\[\[\s*steps\s*\]\]", line)]
    steps = tuple(
        _parse_step(source, _where(index, step_lines), raw)
        for index, raw in enumerate(raw_steps)
    )
    return Routine(key=key, title=title, description=description, steps=steps, rounds=rounds)


def _where(index: int, step_lines: list[int]) -> str:
    line = f", line {step_lines[index]}" if index < len(step_lines) else ""
    return f"step {index + 1}{line}"


def _parse_step(source: str, where: str, raw: object) -> Step:
    if not isinstance(raw, dict):
        raise RoutineError(f"{source} ({where}): a step must be a [[steps]] table.")
    _reject_unknown(source, where, raw, STEP_KEYS)
    name = _text(source, where, raw, "name")
    cue = _text(source, where, raw, "cue")
    sides = raw.get("sides", False)
    if not isinstance(sides, bool):
        raise RoutineError(f"{source} ({where}): 'sides' must be true or false.")
    switch = _seconds(source, where, raw, "switch_seconds", DEFAULT_SWITCH_SECONDS)
    if "switch_seconds" in raw and not sides:
        raise RoutineError(f"{source} ({where}): 'switch_seconds' only makes sense with sides = true.")
    has_seconds, has_reps = "seconds" in raw, "reps" in raw or "seconds_per_rep" in raw
    if has_seconds == has_reps:
        raise RoutineError(
            f"{source} ({where}): give either 'seconds', or 'reps' with 'seconds_per_rep', not both or neither."
        )
    if has_seconds:
        return Step(name, cue, _seconds(source, where, raw, "seconds"), sides=sides, switch_seconds=switch)
    reps = raw.get("reps")
    if not isinstance(reps, int) or isinstance(reps, bool) or not 1 <= reps <= 500:
        raise RoutineError(f"{source} ({where}): 'reps' must be a whole number from 1 to 500.")
    per_rep = _seconds(source, where, raw, "seconds_per_rep")
    return Step(name, cue, reps * per_rep, reps=reps, sides=sides, switch_seconds=switch)


def _reject_unknown(source: str, where: str | None, table: dict, allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        place = f"{source} ({where})" if where else source
        raise RoutineError(f"{place}: unknown key {unknown[0]!r}. Allowed: {', '.join(sorted(allowed))}.")


def _text(source: str, where: str | None, table: dict, key: str, default: str | None = None) -> str:
    place = f"{source} ({where})" if where else source
    value = table.get(key, default)
    if value is None:
        raise RoutineError(f"{place}: missing {key!r}. Add it, for example: {key} = \"...\"")
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise RoutineError(f"{place}: {key!r} must be text in quotes.")
    return value.strip()


def _seconds(source: str, where: str, table: dict, key: str, default: float | None = None) -> float:
    value = table.get(key, default)
    if value is None:
        raise RoutineError(f"{source} ({where}): missing {key!r}.")
    # An int is checked by the range below: math.isfinite cannot take one past a float's range.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(value, float) and not math.isfinite(value)):
        raise RoutineError(f"{source} ({where}): {key!r} must be a number of seconds.")
    if not 0 < value <= MAX_STEP_SECONDS:
        raise RoutineError(f"{source} ({where}): {key!r} must be more than 0 and at most {MAX_STEP_SECONDS:.0f} seconds.")
    return float(value)


def expand(routine: Routine) -> list[TimedStep]:
    """The countdown, one entry per timed stretch, in order."""
    timed: list[TimedStep] = []
    for _ in range(routine.rounds):
        for step in routine.steps:
            if not step.sides:
                timed.append(TimedStep(step.name, step.cue, step.seconds, reps=step.reps))
                continue
            timed.append(TimedStep(step.name, step.cue, step.seconds, side="left", reps=step.reps))
            timed.append(TimedStep("Switch sides", f"Get ready for {step.name.lower()} on the right.",
                                   step.switch_seconds, kind="switch"))
            timed.append(TimedStep(step.name, step.cue, step.seconds, side="right", reps=step.reps))
    return timed


def total_seconds(routine: Routine) -> float:
    return sum(step.seconds for step in expand(routine))
