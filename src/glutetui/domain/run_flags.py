"""Flags on a logged run: what its aches and its length say, each with a one-line why.

Pure. Information for the runner, never a diagnosis; the texts say so where it matters.
Sources: the pain-monitoring model (Silbernagel 2007) for the zones and the next
morning; Frandsen 2025 (BJSM, 5,205 runners) for a single run longer than the longest
of the previous 30 days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from glutetui.domain.wording import counted

PARTS = ("hip", "knee", "lower_back", "hamstring", "it_band", "shin", "calf", "foot")
MAIN_PARTS = PARTS[:3]
SIDES = ("left", "right", "both", "centre")  # every side an ache may be stored with
PAIRED_SIDES = ("left", "right", "both")
# The sides each part really has: the lower back is one, in the middle of the body; every
# other part comes in a pair. Versions before issue 19 offered every side for every part,
# so a stored "knee, centre" may exist: it is kept and shown, only not offered again.
PART_SIDES = {part: ("centre",) if part == "lower_back" else PAIRED_SIDES for part in PARTS}
PHASES = ("during", "after", "next_morning")
PART_NAMES = {"hip": "hip", "knee": "knee", "lower_back": "lower back", "hamstring": "hamstring",
              "it_band": "IT band", "shin": "shin", "calf": "calf/Achilles", "foot": "foot"}

SAFE_MAX, ACCEPTABLE_MAX = 2, 5  # 0-2 safe, 3-5 acceptable if settled by the next morning, 6+ too much
REPEAT_WINDOW, REPEAT_COUNT = 5, 3  # the same part in 3 of the last 5 runs
LONG_RUN_LOOKBACK = timedelta(days=30)
INFO, CAUTION, WARNING = "info", "caution", "warning"


@dataclass(frozen=True)
class Ache:
    body_part: str
    side: str
    phase: str
    score: int


@dataclass(frozen=True)
class RunFacts:
    id: str
    started_at: datetime
    distance_m: float
    aches: tuple[Ache, ...] = ()


@dataclass(frozen=True)
class Flag:
    kind: str  # pain_zone, not_settled, worse_next_morning, repeats, long_run
    level: str  # info, caution, warning
    label: str  # a few words for the table
    why: str  # one line for the detail view
    part: str | None = None  # the body part an ache flag is about; None for a flag on the run (long_run)


MORNING_CHECK_FROM = 6  # o'clock: the next morning's question waits until the runner is up


def parts_to_ask_about(aches: Sequence[Ache]) -> list[tuple[str, str]]:
    """(part, side) of every ache felt during or after the run and not yet rated the next morning."""
    rated = {(ache.body_part, ache.side) for ache in aches if ache.phase == "next_morning"}
    felt = [(ache.body_part, ache.side) for ache in aches if ache.phase != "next_morning" and ache.score > 0]
    return sorted((key for key in dict.fromkeys(felt) if key not in rated), key=lambda key: PARTS.index(key[0]))


def pain_zone(score: int) -> str:
    if score <= SAFE_MAX:
        return "safe"
    return "acceptable" if score <= ACCEPTABLE_MAX else "too much"


def run_flags(run: RunFacts, earlier: Sequence[RunFacts]) -> list[Flag]:
    """The flags for `run`, given the runs before it (any order)."""
    before = sorted((other for other in earlier if other.started_at < run.started_at), key=lambda r: r.started_at)
    return [*_ache_flags(run), *_repeat_flags(run, before), *_long_run_flags(run, before)]


def _worst(run: RunFacts, part: str, phases: tuple[str, ...]) -> int | None:
    scores = [ache.score for ache in run.aches if ache.body_part == part and ache.phase in phases]
    return max(scores) if scores else None


def _ache_flags(run: RunFacts) -> list[Flag]:
    flags = []
    for part in dict.fromkeys(ache.body_part for ache in run.aches):
        name = PART_NAMES[part]
        on_the_run = _worst(run, part, ("during", "after"))
        morning = _worst(run, part, ("next_morning",))
        if on_the_run is not None and on_the_run > ACCEPTABLE_MAX:
            flags.append(Flag("pain_zone", WARNING, f"{name} {on_the_run}/10",
                              f"{name.capitalize()} pain of {on_the_run}/10 is above 5, more than the "
                              "pain-monitoring model accepts: ease off until it is back to 2 or less.", part))
        elif on_the_run is not None and on_the_run > SAFE_MAX and (morning is None or morning > SAFE_MAX):
            kind = "pain_zone" if morning is None else "not_settled"
            flags.append(Flag(kind, CAUTION, f"{name} {on_the_run}/10", _zone_why(name, on_the_run, morning), part))
        if on_the_run is None and morning is not None and morning > SAFE_MAX:
            # Only rated the next morning: the zone of that score alone.
            level = WARNING if morning > ACCEPTABLE_MAX else CAUTION
            flags.append(Flag("not_settled", level, f"{name} {morning}/10 next morning",
                              f"{name.capitalize()} was {morning}/10 the morning after the run: above 2 means it "
                              "had not settled; ease off until it does.", part))
        if morning is not None and on_the_run is not None and morning > on_the_run:
            flags.append(Flag("worse_next_morning", WARNING, f"{name} worse next morning",
                              f"{name.capitalize()} was {morning}/10 the next morning, worse than the {on_the_run}/10 "
                              "after the run: reduce the load of the next runs.", part))
    return flags


def _zone_why(name: str, score: int, morning: int | None) -> str:
    if morning is None:
        return (f"{name.capitalize()} pain of {score}/10 is acceptable only if it settles (2 or less) "
                "by the next morning.")
    return (f"{name.capitalize()} pain of {score}/10 had not settled by the next morning ({morning}/10): "
            "ease off until it does.")


def _repeat_flags(run: RunFacts, before: list[RunFacts]) -> list[Flag]:
    recent = [*before[-(REPEAT_WINDOW - 1):], run]
    flags = []
    for part in dict.fromkeys(ache.body_part for ache in run.aches if ache.score > SAFE_MAX):
        count = sum(1 for other in recent if any(a.body_part == part and a.score > SAFE_MAX for a in other.aches))
        if count >= REPEAT_COUNT:
            name = PART_NAMES[part]
            flags.append(Flag("repeats", WARNING, f"{name} {count} of {len(recent)}",
                              f"{name.capitalize()} ached (3/10 or more) in {count} of your last "
                              f"{counted(len(recent), 'run')}: a pattern worth showing a physio or doctor. This app does not diagnose.",
                              part))
    return flags


def _long_run_flags(run: RunFacts, before: list[RunFacts]) -> list[Flag]:
    window = [other.distance_m for other in before if run.started_at - other.started_at <= LONG_RUN_LOOKBACK]
    if not window:
        return []  # nothing to compare with: the first run in a month is no spike
    longest = max(window)
    increase = run.distance_m / longest - 1
    if increase < 0.10:
        return []
    level, band = (INFO, "10-30 %") if increase < 0.30 else (CAUTION, "30-100 %") if increase <= 1.0 else (
        WARNING, "over 100 %")
    return [Flag("long_run", level, f"+{increase:.0%} longest",
                 f"{increase:.0%} longer than your longest run of the previous 30 days, "
                 f"in the {band} band: single runs this much longer carry more injury risk.")]
