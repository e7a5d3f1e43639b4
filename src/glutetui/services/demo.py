"""Deterministic sample data: a desk runner's sitting days, breaks, warm-ups, runs and aches.

Feeds the screenshots, the benchmarks and a first look at the app. Everything is
drawn from one seeded `random.Random`, so (until, zone, weeks, seed) names one data
set byte for byte. Wall times are chosen in the runner's zone; lengths are added in
UTC, so a day with a DST change still gets contiguous intervals of true length.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import NamedTuple

import sqlite_utils
from dateutil import tz

from glutetui.domain.timefmt import to_utc_text
from glutetui.errors import StoreError
from glutetui.store.queries import is_empty

# Parents before children, so the foreign keys hold at every insert.
INSERT_ORDER = ("posture", "reminders", "reminder_pauses", "warmups", "runs", "aches")

DEMO_SOURCE = "demo"
ROUTINE = "pre-run"
ROUTINE_PLANNED_S = 150
ROUTINE_STEPS = 7
REMIND_AFTER = timedelta(minutes=30)
REPEAT_AFTER_IGNORED = timedelta(minutes=10)
SNOOZE = timedelta(minutes=5)
SNOOZE_CAP = 3  # a day, as the reminder rules allow
LONG_SITTING_DAY = timedelta(hours=7)

# Ache chance per run: a base rate, raised by the two risks the app's insights look for.
ACHE_BASE = 0.08
ACHE_AFTER_LONG_SITTING = 0.25
ACHE_WITHOUT_WARMUP = 0.25

WARMUP_BEFORE_RUN = 0.75
WARMUP_PARTIAL = 0.15
LONE_WARMUP_PER_WEEK = 0.35  # about 1-2 a month: the routine done, the run skipped
NEXT_MORNING_CHECK = 0.5
NOT_TAKEN_OUTCOMES = ("snoozed", "skipped", "missed")
NOT_TAKEN_WEIGHTS = (3, 2, 3)

ACHE_PARTS = ("hip", "knee", "lower_back", "hamstring", "it_band", "calf")
ACHE_PART_WEIGHTS = (34, 26, 25, 5, 5, 5)
LONG_RUN_NOTES = ("long run by the river", "long run", "long and steady", "")


@dataclass(frozen=True)
class DayStyle:
    """How a workday goes: how willing the runner is to get up, how long they stay put."""

    weight: int
    take_chance: float
    focus_chance: float  # a bout where reminders go by unanswered (deadline, long call)
    bout_minutes: tuple[float, float]
    standing_hour_chance: float
    meeting_walk_chance: float


# Light, ordinary and deadline days: deadline days give most of the > 7 h sitting days.
DAY_STYLES = (
    DayStyle(3, take_chance=0.82, focus_chance=0.0, bout_minutes=(20, 70),
             standing_hour_chance=0.5, meeting_walk_chance=0.35),
    DayStyle(4, take_chance=0.70, focus_chance=0.08, bout_minutes=(25, 90),
             standing_hour_chance=0.25, meeting_walk_chance=0.25),
    DayStyle(3, take_chance=0.40, focus_chance=0.20, bout_minutes=(40, 110),
             standing_hour_chance=0.0, meeting_walk_chance=0.1),
)
FOCUS_BOUT_MINUTES = (100, 160)
FOCUS_TAKE_CHANCE = 0.03
MIN_BOUT = timedelta(minutes=20)
GAP_MINUTES = (2, 12)  # a stand or a break between bouts
STANDING_HOUR_MINUTES = (50, 70)
MEETING_WALK_MINUTES = (15, 30)


class LongGap(NamedTuple):
    """A standing hour or a meeting walk, taken at the first gap after `not_before`."""

    not_before: datetime
    state: str
    source: str
    length: timedelta


@dataclass
class Workday:
    day: date
    style: DayStyle
    long_gaps: list[LongGap]  # still to come; each is used at most once


@dataclass(frozen=True)
class Workout:
    note: str
    km: tuple[float, float]
    pace_s: tuple[float, float]  # seconds per km
    rpe: tuple[int, int]


WEEKDAY_WORKOUTS = (
    Workout("easy", (5, 9), (345, 400), (3, 4)),
    Workout("recovery jog", (5, 6.5), (370, 400), (3, 3)),
    Workout("hills", (6, 10), (320, 370), (6, 7)),
    Workout("tempo", (7, 12), (290, 320), (6, 8)),
    Workout("intervals", (6, 10), (290, 315), (7, 8)),
    Workout("", (5, 12), (330, 390), (4, 5)),
)
LONG_RUN = Workout("long run", (12, 21), (335, 390), (6, 8))


@dataclass(frozen=True)
class PlannedRun:
    day: date
    slot: str  # "morning", "evening" or "long"
    workout: Workout


@dataclass(frozen=True)
class Run:
    start: datetime
    distance_km: float
    duration: timedelta
    workout: Workout

    @property
    def end(self) -> datetime:
        return self.start + self.duration


def fill_demo(db: sqlite_utils.Database, *, until: datetime, zone: tzinfo, weeks: int, seed: int,
              builder: type[DemoBuilder] | None = None) -> dict[str, int]:
    """Fill an empty store with `weeks` full weeks before `until` plus the week so far.

    All rows go in one transaction: a failure leaves the file as it was. `builder`
    is a DemoBuilder subclass with other habits (the benchmarks' five-year runner).
    """
    if until.tzinfo is None:
        raise ValueError("until must be an aware datetime")
    if weeks < 0:
        raise ValueError("weeks must be 0 or more")
    if not is_empty(db):
        # Demo rows mixed into real ones could not be told apart afterwards.
        raise StoreError("demo data goes only into an empty database; pass the path of a new file with --db.")
    rows = (builder or DemoBuilder)(random.Random(seed), zone, until).build(weeks)
    with db.atomic():
        for table in INSERT_ORDER:
            db[table].insert_all(rows[table])
    return {table: len(rows[table]) for table in INSERT_ORDER}


def _next_due(outcome: str, shown: datetime, responded: datetime | None) -> datetime:
    """As the reminder rules say: a snooze asks again in 5 min, a skip after a whole
    remind_after, an unanswered one after 10 min."""
    if outcome == "snoozed":
        return responded + SNOOZE
    if outcome == "skipped":
        return responded + REMIND_AFTER
    return shown + REPEAT_AFTER_IGNORED


class DemoBuilder:
    """Builds the rows week by week, the same way every time for the same seed.

    The class attributes are the runner's habits; the benchmarks' five-year runner
    is a subclass with other habits (more runs, holidays).
    """

    weekday_runs: tuple[int, ...] = (2, 3)  # one of these, plus the weekend long run
    warmup_before_run = WARMUP_BEFORE_RUN
    day_styles = DAY_STYLES

    def __init__(self, rng: random.Random, zone: tzinfo, until: datetime) -> None:
        self.rng = rng
        self.zone = zone
        self.until = until.astimezone(timezone.utc)
        self.rows: dict[str, list[dict]] = {table: [] for table in INSERT_ORDER}
        self.sitting: dict[date, timedelta] = {}
        self.snoozes: dict[date, int] = {}
        self.workday_end: dict[date, datetime] = {}

    def build(self, weeks: int) -> dict[str, list[dict]]:
        last_day = self.until.astimezone(self.zone).date()
        this_monday = last_day - timedelta(days=last_day.weekday())
        for week in range(weeks, -1, -1):
            self._add_week(this_monday - timedelta(weeks=week), last_day)
        return self.rows

    # ---- time helpers -------------------------------------------------------

    def _at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """The UTC moment of a local wall time (a skipped wall time moves past the gap)."""
        wall = datetime.combine(day, time(hour, minute), tzinfo=self.zone)
        return tz.resolve_imaginary(wall).astimezone(timezone.utc)

    def _between(self, day: date, earliest: tuple[int, int], latest: tuple[int, int]) -> datetime:
        start = self._at(day, *earliest)
        return start + self._seconds_up_to(self._at(day, *latest) - start)

    def _minutes(self, low: float, high: float) -> timedelta:
        return timedelta(seconds=round(self.rng.uniform(low, high) * 60))

    def _seconds_up_to(self, span: timedelta) -> timedelta:
        return timedelta(seconds=self.rng.randint(0, int(span.total_seconds())))

    def _new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    # ---- a week ---------------------------------------------------------------

    def _add_week(self, monday: date, last_day: date) -> None:
        plans = self._plan_runs(monday)
        for offset in range(7):
            day = monday + timedelta(days=offset)
            if day > last_day:
                break
            self._add_day(day, [plan for plan in plans if plan.day == day])
        if self.rng.random() < LONE_WARMUP_PER_WEEK:
            self._add_lone_warmup(monday, plans)

    def _plan_runs(self, monday: date) -> list[PlannedRun]:
        # 2-3 runs on weekdays plus one long run at the weekend: 3-4 a week.
        weekdays = sorted(self.rng.sample(range(5), self.rng.choice(self.weekday_runs)))
        plans = [
            PlannedRun(
                monday + timedelta(days=offset),
                self.rng.choice(("morning", "evening", "evening")),
                self.rng.choice(WEEKDAY_WORKOUTS),
            )
            for offset in weekdays
        ]
        long_day = monday + timedelta(days=self.rng.choice((5, 5, 6)))
        return plans + [PlannedRun(long_day, "long", LONG_RUN)]

    def is_day_off(self, day: date) -> bool:
        """A weekday away from the desk (a holiday): runs as on a weekend, no workday."""
        return False

    def _add_day(self, day: date, plans: list[PlannedRun]) -> None:
        if day.weekday() >= 5 or self.is_day_off(day):
            for plan in plans:
                self._add_run(self._run_from(plan, self._between(day, (7, 30), (9, 30))))
            return
        arrive = self._between(day, (8, 15), (9, 45))
        morning = [self._run_from(p, self._between(day, (6, 30), (7, 30))) for p in plans if p.slot == "morning"]
        for run in morning:
            # Shower and commute: nobody is at the desk in running kit.
            arrive = max(arrive, run.end + self._minutes(30, 50))
            self._add_run(run)
        leave = self._add_workday(day, arrive)
        for plan in (p for p in plans if p.slot == "evening"):
            start = max(self._between(day, (18, 30), (19, 30)), leave + self._minutes(25, 40))
            self._add_run(self._run_from(plan, start))

    # ---- posture and reminders ----------------------------------------------------

    def _add_workday(self, day: date, arrive: datetime) -> datetime:
        """Contiguous posture from arrival to leaving; returns the moment of leaving."""
        style = self.rng.choices(self.day_styles, weights=[s.weight for s in self.day_styles])[0]
        workday = Workday(day, style, self._plan_long_gaps(day, style))
        lunch_target = self._between(day, (12, 0), (13, 0))
        lunch_start = self._fill_block(workday, arrive, lunch_target, latest=self._at(day, 14, 0))
        lunch_end = lunch_start + self._minutes(30, 60)
        self._add_posture("away", lunch_start, lunch_end, "idle")
        home_target = self._between(day, (16, 45), (17, 30))
        leave = self._fill_block(workday, lunch_end, home_target, latest=self._at(day, 18, 15))
        self.workday_end[day] = leave
        return leave

    def _plan_long_gaps(self, day: date, style: DayStyle) -> list[LongGap]:
        gaps = []
        if self.rng.random() < style.standing_hour_chance:
            not_before = self._between(day, (10, 0), (15, 0))
            gaps.append(LongGap(not_before, "standing", "manual", self._minutes(*STANDING_HOUR_MINUTES)))
        if self.rng.random() < style.meeting_walk_chance:
            # The laptop is shut on the way to a meeting, so the tracker sees a suspend.
            not_before = self._between(day, (9, 30), (16, 0))
            gaps.append(LongGap(not_before, "away", "suspend", self._minutes(*MEETING_WALK_MINUTES)))
        return sorted(gaps)

    def _fill_block(self, workday: Workday, start: datetime, target: datetime, *, latest: datetime) -> datetime:
        """Sitting bouts and gaps from `start` until the first switch at or after `target`.

        The runner goes to lunch or home when they next get up, so the block ends
        after a bout or a gap, never later than `latest`: bouts stop a gap short of it.
        """
        cap = latest - timedelta(minutes=GAP_MINUTES[1])
        moment = start
        while True:
            moment, ended_by_reminder = self._sitting_bout(workday, moment, cap)
            if moment >= target and not ended_by_reminder:
                return moment
            moment = self._add_gap(workday, moment, target, ended_by_reminder)
            if moment >= target:
                return moment

    def _sitting_bout(self, workday: Workday, start: datetime, cap: datetime) -> tuple[datetime, bool]:
        """One bout with the reminders it earns; returns its end and whether a reminder ended it."""
        focused = self.rng.random() < workday.style.focus_chance
        length = self._minutes(*(FOCUS_BOUT_MINUTES if focused else workday.style.bout_minutes))
        end = min(start + length, cap)
        take_chance = FOCUS_TAKE_CHANCE if focused else workday.style.take_chance
        due = start + REMIND_AFTER
        ended_by_reminder = False
        while due < end:
            outcome, responded = self._answer(due, end, take_chance)
            if outcome == "snoozed" and self.snoozes.get(workday.day, 0) >= SNOOZE_CAP:
                outcome = "skipped"  # out of snoozes: only take or skip are offered
            if outcome == "snoozed":
                self.snoozes[workday.day] = self.snoozes.get(workday.day, 0) + 1
            self._add_reminder(due, outcome, responded, bout_minutes=(due - start).total_seconds() / 60)
            if outcome == "taken":
                # The move starts within a couple of minutes of saying yes.
                end = min(end, responded + timedelta(seconds=self.rng.randint(10, 120)))
                ended_by_reminder = True
                break
            due = _next_due(outcome, due, responded)
        self._add_posture("sitting", start, end, "auto")
        self._count_sitting(workday.day, start, end)
        return end, ended_by_reminder

    def _count_sitting(self, day: date, start: datetime, end: datetime) -> None:
        # Only what is stored counts: the part before `until`.
        stored = max(timedelta(), min(end, self.until) - start)
        self.sitting[day] = self.sitting.get(day, timedelta()) + stored

    def _answer(self, shown: datetime, bout_end: datetime, take_chance: float) -> tuple[str, datetime | None]:
        delay = timedelta(seconds=self.rng.randint(3, 60))
        if self.rng.random() < take_chance:
            outcome = "taken"
        else:
            outcome = self.rng.choices(NOT_TAKEN_OUTCOMES, weights=NOT_TAKEN_WEIGHTS)[0]
        if outcome == "missed" or shown + delay >= bout_end:
            # Up and gone before answering: the reminder went unseen.
            return "missed", None
        return outcome, shown + delay

    def _add_gap(self, workday: Workday, start: datetime, target: datetime, after_reminder: bool) -> datetime:
        if after_reminder:
            # A taken reminder means the glute move, logged as a break.
            return self._add_short_gap("break", start)
        for gap in workday.long_gaps:
            # A long gap fits only if a real bout still follows it before the block ends.
            if gap.not_before <= start and start + gap.length + MIN_BOUT < target:
                workday.long_gaps.remove(gap)
                self._add_posture(gap.state, start, start + gap.length, gap.source)
                return start + gap.length
        return self._add_short_gap(self.rng.choice(("break", "standing")), start)

    def _add_short_gap(self, state: str, start: datetime) -> datetime:
        end = start + self._minutes(*GAP_MINUTES)
        self._add_posture(state, start, end, "manual")
        return end

    def _add_posture(self, state: str, start: datetime, end: datetime, source: str) -> None:
        if start >= self.until:
            return
        end = min(end, self.until)  # the week so far stops now; nothing is left open
        self.rows["posture"].append(
            {
                "id": self._new_id(),
                "state": state,
                "started_at": to_utc_text(start),
                "ended_at": to_utc_text(end),
                "last_seen_at": to_utc_text(end),
                "source": source,
                "note": None,
                "created_at": to_utc_text(start),
                "updated_at": None,
            }
        )

    def _add_reminder(self, due: datetime, outcome: str, responded: datetime | None, *, bout_minutes: float) -> None:
        if (responded or due) >= self.until:
            return
        self.rows["reminders"].append(
            {
                "id": self._new_id(),
                "due_at": to_utc_text(due),
                "shown_at": to_utc_text(due),
                "outcome": outcome,
                "responded_at": to_utc_text(responded) if responded else None,
                "bout_minutes": round(bout_minutes, 1),
                "created_at": to_utc_text(due),
                "updated_at": None,
            }
        )

    # ---- runs, warm-ups and aches ------------------------------------------------

    def _run_from(self, plan: PlannedRun, start: datetime) -> Run:
        km = round(self.rng.uniform(*plan.workout.km), 2)
        pace_s = self.rng.uniform(*plan.workout.pace_s)
        return Run(start, km, timedelta(seconds=round(km * pace_s)), plan.workout)

    def _add_run(self, run: Run) -> None:
        warmup_id, warmed_up = self._maybe_warm_up(run)
        if run.end >= self.until:
            return  # still out running: nothing logged yet
        run_id = self._new_id()
        self.rows["runs"].append(
            {
                "id": run_id,
                "started_at": to_utc_text(run.start),
                "distance_m": float(round(run.distance_km * 1000)),
                "duration_s": int(run.duration.total_seconds()),
                "rpe": None if self.rng.random() < 0.1 else self.rng.randint(*run.workout.rpe),
                "notes": self.rng.choice(LONG_RUN_NOTES) if run.workout is LONG_RUN else run.workout.note,
                "source": DEMO_SOURCE,
                "external_id": None,
                "warmup_id": warmup_id,
                "created_at": to_utc_text(run.end),
                "updated_at": None,
            }
        )
        self._maybe_add_aches(run_id, run, warmed_up)

    def _maybe_warm_up(self, run: Run) -> tuple[str | None, bool]:
        """The warm-up before `run`, if any: its id and whether it was done in full."""
        if self.rng.random() >= self.warmup_before_run:
            return None, False
        completed = self.rng.random() >= WARMUP_PARTIAL
        return self._add_warmup(run.start - self._minutes(5, 20), completed), completed

    def _add_warmup(self, start: datetime, completed: bool) -> str | None:
        if completed:
            steps, done_s = ROUTINE_STEPS, ROUTINE_PLANNED_S
        else:
            # Stopped part-way: time done follows the steps done, give or take a pause.
            steps = self.rng.randint(2, ROUTINE_STEPS - 2)
            done_s = round(ROUTINE_PLANNED_S * steps / ROUTINE_STEPS) + self.rng.randint(-8, 8)
        end = start + timedelta(seconds=done_s)
        if end >= self.until:
            return None
        warmup_id = self._new_id()
        self.rows["warmups"].append(
            {
                "id": warmup_id,
                "routine": ROUTINE,
                "started_at": to_utc_text(start),
                "ended_at": to_utc_text(end),
                "planned_s": ROUTINE_PLANNED_S,
                "done_s": done_s,
                "steps_done": steps,
                "steps_total": ROUTINE_STEPS,
                "completed": int(completed),
                "created_at": to_utc_text(start),
                "updated_at": None,
            }
        )
        return warmup_id

    def _add_lone_warmup(self, monday: date, plans: list[PlannedRun]) -> None:
        run_days = {plan.day for plan in plans}
        week = [monday + timedelta(days=offset) for offset in range(7)]
        day = self.rng.choice([day for day in week if day not in run_days])
        # Outside office hours: early morning, or evening once home.
        if self.rng.random() < 0.5:
            start = self._between(day, (6, 30), (7, 20))
        else:
            start = self._between(day, (18, 45), (19, 30))
        self._add_warmup(start, self.rng.random() >= WARMUP_PARTIAL)

    def _sitting_before(self, run: Run) -> timedelta:
        """Sitting on the workday the run follows: the same day after work, else the day before."""
        run_day = run.start.astimezone(self.zone).date()
        for day in (run_day, run_day - timedelta(days=1)):
            if day in self.workday_end and self.workday_end[day] <= run.start:
                return self.sitting[day]
        return timedelta()

    def _maybe_add_aches(self, run_id: str, run: Run, warmed_up: bool) -> None:
        chance = ACHE_BASE
        if self._sitting_before(run) > LONG_SITTING_DAY:
            chance += ACHE_AFTER_LONG_SITTING
        if not warmed_up:
            chance += ACHE_WITHOUT_WARMUP
        if self.rng.random() >= chance:
            return
        parts = self.rng.choices(ACHE_PARTS, weights=ACHE_PART_WEIGHTS, k=self.rng.choice((1, 1, 2)))
        for part in sorted(set(parts)):
            self._add_ache_pair(run_id, run, part)

    def _add_ache_pair(self, run_id: str, run: Run, part: str) -> None:
        side = "centre" if part == "lower_back" else self.rng.choice(("left", "right", "left", "right", "both"))
        score = self.rng.randint(2, 7)
        self._add_ache(run_id, part, side, "after", score, run.end)
        if self.rng.random() < NEXT_MORNING_CHECK:
            # Usually settled a little by morning, sometimes the same, now and then worse.
            change = self.rng.choices((-2, -1, 0, 1), weights=(2, 4, 4, 2))[0]
            morning = self._at(run.start.astimezone(self.zone).date() + timedelta(days=1), 7, 30)
            self._add_ache(run_id, part, side, "next_morning", max(0, min(10, score + change)), morning)

    def _add_ache(self, run_id: str, part: str, side: str, phase: str, score: int, at: datetime) -> None:
        if at >= self.until:
            return
        self.rows["aches"].append(
            {
                "id": self._new_id(),
                "run_id": run_id,
                "body_part": part,
                "side": side,
                "phase": phase,
                "score": score,
                "created_at": to_utc_text(at),
                "updated_at": None,
            }
        )
