"""The run log: turn what the runner typed into a stored run with its aches, and show
each run with its pace and flags."""

from __future__ import annotations

import bisect
import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path

from glutetui.domain import run_input, sitting
from glutetui.domain.display_text import terminal_safe_json, visible_text
from glutetui.domain.run_flags import (
    LONG_RUN_LOOKBACK,
    MORNING_CHECK_FROM,
    PART_NAMES,
    PART_SIDES,
    PARTS,
    PHASES,
    REPEAT_WINDOW,
    SIDES,
    Ache,
    Flag,
    RunFacts,
    parts_to_ask_about,
    run_flags,
)
from glutetui.domain.run_input import RunInputError
from glutetui.domain.timefmt import to_utc_text
from glutetui.domain.warmup import FinishedWarmup, warmup_for_run
from glutetui.errors import OptionError
from glutetui.services.storage import StorageError
from glutetui.store import runs as store
from glutetui.store.db import connect_readonly, storage_problem
from glutetui.store.runs import RunRow

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:
    from sqlite_utils import Database

ACHE_EXAMPLE = "knee:left:4 or lower_back:centre:3:during"


class RunFormError(OptionError):
    """One field of a run is wrong; `option` names it as the command line spells it."""


@dataclass(frozen=True)
class ShownRun:
    run: RunRow
    flags: list[Flag]


def parse_ache(text: str, stored: Collection[tuple[str, str]] = ()) -> Ache:
    """PART:SIDE:SCORE[:PHASE]; the phase is "after" unless said. The side must be one the part
    has (PART_SIDES), unless (part, side) is in `stored`: on the run being changed already."""
    parts = [piece.strip().lower().replace("-", "_") for piece in text.split(":")]
    if len(parts) not in (3, 4):
        raise RunFormError("--ache", f"{text!r} is not PART:SIDE:SCORE[:PHASE], like {ACHE_EXAMPLE}")
    part, side, score, *phase = parts
    phase = phase[0] if phase else "after"
    for value, allowed, what in ((part, PARTS, "body part"), (side, SIDES, "side"), (phase, PHASES, "phase")):
        if value not in allowed:
            raise RunFormError("--ache", f"{value!r} is not a {what}; use one of {', '.join(allowed)}")
    value = run_input.whole_number(score)
    if value is None or run_input.score_problem(value):
        raise RunFormError("--ache", f"{score!r} is not a score; use a whole number from 0 to 10, like {ACHE_EXAMPLE}")
    if side not in PART_SIDES[part] and (part, side) not in stored:
        right = [f"{part}:{other}:{value}" for other in PART_SIDES[part]]
        listed = right[0] if len(right) == 1 else f"{', '.join(right[:-1])} or {right[-1]}"
        raise RunFormError("--ache", f"{side!r} is not a side of the {PART_NAMES[part]}; use {listed}")
    return Ache(part, side, phase, value)


AUTO_LINK = "auto"  # link the completed warm-up that ended within 2 h before the run, if any


def log_run(db: Database, now: datetime, zone: tzinfo, *, distance: str, duration: str, when: str | None = None,
            rpe: str | None = None, aches: list[str] = (), notes: str = "",
            warmup_id: str | None = AUTO_LINK, unit: str | None = None) -> ShownRun:
    """Check every field first; store only a run whose every field is right. `warmup_id`: AUTO_LINK,
    None for no link, or the id of a warm-up the runner picked. `when` None: the end of the warm-up
    the run links to (the moment the runner set off), or now without one. `unit`: the runner's
    distance unit, KM or MI, for a distance typed as a bare number."""
    values, parsed_aches = _checked(now, zone, distance, duration, "now" if when is None else when, rpe, aches,
                                    unit, notes)
    warmup = _link(db, values["--when"], warmup_id)
    started = warmup.ended_at if when is None and warmup is not None else values["--when"]
    run_id = store.add_run(db, started_at=started, distance_m=values["--distance"], duration_s=values["--time"],
                           rpe=values["--rpe"], notes=notes, aches=parsed_aches,
                           warmup_id=warmup.id if warmup else None, now=now)
    return shown_run(db, run_id)


KEEP_LINK = "keep"


def edit_run(db: Database, run_id: str, now: datetime, zone: tzinfo, *, distance: str, duration: str, when: str,
             rpe: str | None = None, aches: list[str] = (), notes: str = "",
             warmup_id: str | None = KEEP_LINK, unit: str | None = None) -> ShownRun:
    """Change a run; the same checks as logging one, except that a side stored on it before sides
    were checked per part ("knee, centre") stays. `warmup_id` None unlinks; KEEP_LINK leaves it."""
    current = store.run_by_id(db, run_id)
    if current is None:
        raise RunFormError("ID", f"no run has the id {run_id!r} any more; it may have been deleted")
    stored = {(ache.body_part, ache.side) for ache in current.aches}
    values, parsed_aches = _checked(now, zone, distance, duration, when, rpe, aches, unit, notes, stored)
    if warmup_id == KEEP_LINK:
        link = current.warmup_id
    else:
        warmup = _link(db, values["--when"], warmup_id)
        link = warmup.id if warmup else None
    store.update_run(db, run_id, started_at=values["--when"], distance_m=values["--distance"],
                     duration_s=values["--time"], rpe=values["--rpe"], notes=notes, aches=parsed_aches,
                     warmup_id=link, now=now)
    return shown_run(db, run_id)


def _link(db: Database, started: datetime, warmup_id: str | None) -> FinishedWarmup | None:
    if warmup_id is None:
        return None
    before = {warmup.id: warmup for warmup in store.warmups_before(db, started)}
    if warmup_id == AUTO_LINK:
        warmup_id = warmup_for_run(started, before.values())
        return before[warmup_id] if warmup_id else None
    if warmup_id not in before:
        raise RunFormError("--when", "the warm-up picked for this run did not end within the 2 hours before "
                           "it; pick another warm-up, or none")
    return before[warmup_id]


def warmup_choices(db: Database, started_at: datetime) -> list:
    """Finished warm-ups within the link window before a run, newest first (for the form's link choice)."""
    return sorted(store.warmups_before(db, started_at), key=lambda warmup: warmup.ended_at, reverse=True)


def restore_run(db: Database, run: RunRow, now: datetime) -> None:
    """Undo a delete: the run and its aches come back with the same id."""
    store.restore_run(db, run, now)


OPTIONS = {run_input.DISTANCE: "--distance", run_input.DURATION: "--time", run_input.WHEN: "--when",
           run_input.RPE: "--rpe", run_input.NOTES: "--notes"}


def _checked(now: datetime, zone: tzinfo, distance: str, duration: str, when: str, rpe: str | None,
             aches: list[str], unit: str | None, notes: str, stored: Collection[tuple[str, str]] = ()
             ) -> tuple[dict, tuple[Ache, ...]]:
    fields = {
        "--distance": lambda: run_input.parse_distance(distance, unit),
        "--time": lambda: run_input.parse_duration(duration),
        "--when": lambda: run_input.parse_when(when, now, zone),
        "--rpe": lambda: run_input.parse_rpe(rpe) if rpe not in (None, "") else None,
    }
    values = {}
    for option, parse in fields.items():
        try:
            values[option] = parse()
        except RunInputError as error:
            raise RunFormError(option, str(error)) from None
    # The one check every stored run passes, an imported or merged one too; what the parsers
    # let through passes it, but for the notes, which no parser reads.
    problem = run_input.run_problem(values["--when"], values["--distance"], values["--time"], values["--rpe"],
                                    notes, now)
    if problem is not None:
        raise RunFormError(OPTIONS[problem.field], f"the run {problem}")
    return values, tuple(parse_ache(text, stored) for text in aches)


def shown_run(db: Database, run_id: str) -> ShownRun:
    run = store.run_by_id(db, run_id)
    # Only what the flags look back at: the month before, and the last few runs however old.
    oldest_needed = store.start_of_nth_run_before(db, run.started_at, REPEAT_WINDOW - 1)
    start = run.started_at - LONG_RUN_LOOKBACK
    before = store.runs_between(db, min(start, oldest_needed) if oldest_needed else None, run.started_at)
    return ShownRun(run, _flags(run, [other.facts for other in before], [other.started_at for other in before],
                                len(before)))


def list_runs(db: Database, since: datetime | None = None) -> list[ShownRun]:
    every = store.runs_between(db)
    starts = [run.started_at for run in every]
    facts = [run.facts for run in every]  # once each: every run's flags look back at about 20 others
    first = bisect.bisect_left(starts, since) if since else 0
    return [ShownRun(every[index], _flags(every[index], facts, starts, index)) for index in range(first, len(every))]


def flagged_runs_between(db: Database, start: datetime, end: datetime) -> list[ShownRun]:
    """Runs that started in [start, end), oldest first, with the flags `run list` gives them:
    read with what those flags look back at before `start` (the month before, and the last
    few runs however old), so the first runs of a span are flagged as in the whole log."""
    oldest_needed = store.start_of_nth_run_before(db, start, REPEAT_WINDOW - 1)
    lookback = start - LONG_RUN_LOOKBACK
    every = store.runs_between(db, min(lookback, oldest_needed) if oldest_needed else lookback, end)
    starts = [run.started_at for run in every]
    facts = [run.facts for run in every]
    first = bisect.bisect_left(starts, start)
    return [ShownRun(every[index], _flags(every[index], facts, starts, index)) for index in range(first, len(every))]


@dataclass(frozen=True)
class RunLog:
    """Every run with its flags, oldest first, and the runs' version when they were read."""

    version: int
    runs: list[ShownRun]


def read_run_log(db_path: Path, known_version: int | None = None) -> RunLog | None:
    """Every run, on a read-only connection of the calling thread's own (a sqlite connection
    belongs to the thread that made it); None when the runs are still at `known_version`.
    Raises StorageError, with its sentence, when the file cannot be read."""
    try:
        db = connect_readonly(db_path)  # the app checked and migrated the file when it opened
        try:
            db.execute("BEGIN")  # one snapshot: the version is that of the runs read
            version = store.runs_version(db)
            return None if version == known_version else RunLog(version, list_runs(db))
        finally:
            db.close()
    except sqlite3.Error as error:
        raise StorageError(f"{db_path}: {storage_problem(error, db_path)}") from None


def _flags(run: RunRow, ordered: list[RunFacts], starts: list[datetime], index: int) -> list[Flag]:
    """Flags of `run`, looking back at what they need of the runs before `index` (`ordered`
    holds the facts of every run by start): the month before it, and the last few runs however old."""
    first = min(bisect.bisect_left(starts, run.started_at - LONG_RUN_LOOKBACK, 0, index),
                max(0, index - (REPEAT_WINDOW - 1)))
    return run_flags(run.facts, ordered[first:index])


@dataclass(frozen=True)
class MorningQuestion:
    run: RunRow
    parts: list[tuple[str, str]]  # (body part, side) to rate now


def morning_questions(db: Database, now: datetime, zone: tzinfo) -> list[MorningQuestion]:
    """Yesterday's runs with aches not yet asked about, from 06:00 local today."""
    local = now.astimezone(zone)
    if local.hour < MORNING_CHECK_FROM:
        return []
    today = local.date()
    start = sitting.day_bounds(today - timedelta(days=1), zone)[0]
    end = sitting.day_bounds(today, zone)[0]
    questions = [MorningQuestion(run, parts_to_ask_about(run.aches)) for run in store.unasked_runs_between(db, start, end)]
    return [question for question in questions if question.parts]


def answer_morning(db: Database, questions: list[MorningQuestion], scores: dict[tuple[str, str, str], int],
                   now: datetime) -> None:
    """Store the scores given as (run id, part, side) -> 0..10; every question counts as asked."""
    aches = {}
    for question in questions:
        aches[question.run.id] = tuple(Ache(part, side, "next_morning", scores[(question.run.id, part, side)])
                                       for part, side in question.parts if (question.run.id, part, side) in scores)
    store.record_morning(db, [question.run.id for question in questions], aches, now)


def delete_run(db: Database, run_id: str) -> RunRow:
    """Delete by id or by the first 8 or more characters of it, as `run list` shows them."""
    matches = store.ids_starting(db, run_id.strip().lower()) if len(run_id.strip()) >= 8 else []
    if len(matches) != 1:
        problem = "matches more than one run; give more of it" if matches else "is not the id of a run"
        raise RunFormError("ID", f"{run_id!r} {problem}; 'glutetui run list' shows the ids")
    run = store.run_by_id(db, matches[0])
    store.delete_run(db, matches[0])
    return run


def run_json(shown: ShownRun, unit: str, zone: tzinfo) -> dict:
    run = shown.run
    return {
        "id": run.id,
        "started_at": to_utc_text(run.started_at),
        "local_start": run_input.when_text(run.started_at, zone),
        "distance_m": run.distance_m,
        "duration_s": run.duration_s,
        "pace": run_input.pace_text(run.distance_m, run.duration_s, unit),
        "rpe": run.rpe,
        "notes": run.notes,
        "warmup_id": run.warmup_id,
        "aches": [{"body_part": a.body_part, "side": a.side, "phase": a.phase, "score": a.score} for a in run.aches],
        "flags": [{"kind": f.kind, "level": f.level, "label": f.label, "why": f.why} for f in shown.flags],
    }


def run_line(shown: ShownRun, unit: str, zone: tzinfo) -> str:
    run = shown.run
    parts = [run_input.when_text(run.started_at, zone), run_input.distance_text(run.distance_m, unit),
             run_input.duration_text(run.duration_s), run_input.pace_text(run.distance_m, run.duration_s, unit)]
    if run.rpe is not None:
        parts.append(f"RPE {run.rpe}")
    if run.warmup_id:
        parts.append("warmed up")
    parts += [f"! {flag.label}" for flag in shown.flags]
    # Ids are text: one merged in from another file can hold anything.
    return "  ".join(parts) + f"  [{visible_text(run.id[:8], one_line=True)}]"


def since_moment(text: str | None, now: datetime, zone: tzinfo) -> datetime | None:
    if text is None:
        return None
    try:
        return run_input.parse_when(text, now, zone, day_only=time(0))  # a day means from its start
    except RunInputError as error:
        raise RunFormError("--since", str(error)) from None


def runs_text(shown: list[ShownRun], unit: str, zone: tzinfo, *, as_json: bool, one: bool = False) -> str:
    if as_json:
        documents = [run_json(item, unit, zone) for item in shown]
        return terminal_safe_json(json.dumps(documents[0] if one else documents, indent=2, ensure_ascii=False))
    if not shown:
        return "No runs logged yet. Add one: glutetui run add --distance 5k --time 28:30"
    lines = [run_line(item, unit, zone) for item in shown]
    if one:
        lines[0] = "Logged: " + lines[0]
        lines += [f"  {flag.why}" for flag in shown[0].flags]
    return "\n".join(lines)
