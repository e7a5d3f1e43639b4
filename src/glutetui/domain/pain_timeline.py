"""Pain by body part and side over a run of weeks: where it hurt, how much, when, and what
the run flags said about it. What a physio asks first, drawn on the Progress tab and in
`glutetui report --html` from the same rows.

Pure: runs come in with the flags `run list` gives them (services.runs), weeks as their
first days. A row is a part and side that ached at all (a score above 0 in any phase);
each run on it keeps its scores during, after and the next morning apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from glutetui.domain.progress import week_index
from glutetui.domain.run_flags import PART_NAMES, PARTS, SAFE_MAX, SIDES, Ache, Flag, pain_zone
from glutetui.domain.timefmt import local_day

# The flags a row carries: pain that keeps coming back, pain that grew overnight, and a run
# much longer than the month before it. The zone of each score is in the marks themselves.
REASON_KINDS = ("repeats", "worse_next_morning", "long_run")
REASON_NAMES = {"repeats": "keeps coming back", "worse_next_morning": "worse next morning",
                "long_run": "after a long-run spike"}
SIDE_SHORT = {"left": "L", "right": "R", "both": "both", "centre": ""}


@dataclass(frozen=True)
class TimelineRun:
    run_id: str
    started_at: datetime
    aches: tuple[Ache, ...]
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class Mark:
    """One run's scores for one part and side; None where that phase was not rated."""
    run_id: str
    day: date
    week: int  # index into PainTimeline.weeks
    during: int | None
    after: int | None
    next_morning: int | None

    @property
    def on_the_run(self) -> int | None:
        scores = [score for score in (self.during, self.after) if score is not None]
        return max(scores) if scores else None

    @property
    def worst(self) -> int:
        return max(score for score in (self.during, self.after, self.next_morning) if score is not None)

    @property
    def zone(self) -> str:
        return pain_zone(self.worst)


@dataclass(frozen=True)
class Reason:
    kind: str  # one of REASON_KINDS
    day: date  # of the run that was flagged
    label: str  # the flag's own few words, e.g. "hip 3 of 5" or "+45% longest"

    @property
    def detail(self) -> str:
        """What the day alone does not say: "3 of 5 runs", "+45% longest"; "" when nothing."""
        if self.kind == "repeats":
            return " ".join(self.label.split()[-3:]) + " runs"  # the label is "<part> 3 of 5"
        return self.label if self.kind == "long_run" else ""

    @property
    def text(self) -> str:
        """"keeps coming back 12 Nov (3 of 5 runs)"."""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{REASON_NAMES[self.kind]} {self.day:%-d %b}{detail}"


@dataclass(frozen=True)
class WeekCell:
    """The worst scores of a row in one week."""
    on_the_run: int | None
    next_morning: int | None
    runs: int

    @property
    def worst(self) -> int:
        return max(score for score in (self.on_the_run, self.next_morning) if score is not None)

    @property
    def zone(self) -> str:
        return pain_zone(self.worst)

    @property
    def text(self) -> str:
        """"4" for 4/10 on the run, "4›2" with 2/10 the next morning, "›3" rated only then."""
        first = "" if self.on_the_run is None else str(self.on_the_run)
        return first if self.next_morning is None else f"{first}›{self.next_morning}"


@dataclass(frozen=True)
class PainRow:
    part: str
    side: str
    marks: tuple[Mark, ...]
    reasons: tuple[Reason, ...]

    @property
    def label(self) -> str:
        """"hip, left"; "lower back" (it has one side, the centre)."""
        name = PART_NAMES.get(self.part, self.part)
        return name if self.side == "centre" else f"{name}, {self.side}"

    @property
    def short_label(self) -> str:
        """"hip L": a narrow column in the terminal."""
        name = PART_NAMES.get(self.part, self.part)
        side = SIDE_SHORT.get(self.side, self.side)
        return f"{name} {side}".rstrip()

    @property
    def worst(self) -> int:
        return max(mark.worst for mark in self.marks)

    def reason_lines(self, days_shown: int = 3) -> list[str]:
        """One line per kind of flag the row drew, its days oldest first, at most `days_shown`
        of them: "keeps coming back 12 Nov, 19 Nov and 2 more (last: 4 of 5 runs)"."""
        lines = []
        for kind in REASON_KINDS:
            found = [reason for reason in self.reasons if reason.kind == kind]
            if not found:
                continue
            days = ", ".join(f"{reason.day:%-d %b}" for reason in found[:days_shown])
            more = f" and {len(found) - days_shown} more" if len(found) > days_shown else ""
            last = found[-1].detail
            lines.append(f"{REASON_NAMES[kind]} {days}{more}" + (f" (last: {last})" if last else ""))
        return lines


@dataclass(frozen=True)
class PainTimeline:
    weeks: tuple[date, ...]  # first days, oldest first
    rows: tuple[PainRow, ...]

    def cells(self, row: PainRow) -> list[WeekCell | None]:
        """Per week the row's worst scores; None for a week it did not ache."""
        found: list[WeekCell | None] = []
        for index in range(len(self.weeks)):
            marks = [mark for mark in row.marks if mark.week == index]
            if not marks:
                found.append(None)
                continue
            on_run = [mark.on_the_run for mark in marks if mark.on_the_run is not None]
            morning = [mark.next_morning for mark in marks if mark.next_morning is not None]
            found.append(WeekCell(max(on_run) if on_run else None, max(morning) if morning else None, len(marks)))
        return found


def pain_timeline(runs: Sequence[TimelineRun], weeks: Sequence[date], zone: tzinfo) -> PainTimeline:
    """The rows for the runs that started in the weeks starting on `weeks` (consecutive)."""
    marks: dict[tuple[str, str], list[Mark]] = {}
    reasons: dict[tuple[str, str], list[Reason]] = {}
    for run in sorted(runs, key=lambda item: item.started_at):
        day = local_day(run.started_at, zone)
        week = week_index(day, weeks[0], len(weeks)) if weeks else None
        if week is None:
            continue
        for key in dict.fromkeys((ache.body_part, ache.side) for ache in run.aches if ache.score > 0):
            scores = {phase: _worst(run.aches, key, phase) for phase in ("during", "after", "next_morning")}
            mark = Mark(run.run_id, day, week, **scores)
            marks.setdefault(key, []).append(mark)
            reasons.setdefault(key, []).extend(
                Reason(flag.kind, day, flag.label) for flag in run.flags
                if flag.kind in REASON_KINDS and flag.part in (None, key[0]) and _side_bears(flag.kind, mark))
    rows = tuple(PainRow(part, side, tuple(marks[(part, side)]), tuple(reasons[(part, side)]))
                 for part, side in sorted(marks, key=_row_order))
    return PainTimeline(tuple(weeks), rows)


def _side_bears(kind: str, mark: Mark) -> bool:
    """Whether this side's own scores show what its part's flag says: the run's flags are
    per part, so a left hip that settled overnight is not "worse next morning" because the
    right one was, nor "keeps coming back" with a score that did not count."""
    if kind == "worse_next_morning":
        return None not in (mark.on_the_run, mark.next_morning) and mark.next_morning > mark.on_the_run
    if kind == "repeats":
        return mark.worst > SAFE_MAX
    return True  # a long run is the whole run's


def _worst(aches: Sequence[Ache], key: tuple[str, str], phase: str) -> int | None:
    scores = [ache.score for ache in aches if (ache.body_part, ache.side) == key and ache.phase == phase]
    return max(scores) if scores else None


def _row_order(key: tuple[str, str]) -> tuple[int, int, str, str]:
    part, side = key
    # A part or side from another version of the app (merged in) goes last, by name.
    return (PARTS.index(part) if part in PARTS else len(PARTS), SIDES.index(side) if side in SIDES else len(SIDES),
            part, side)
