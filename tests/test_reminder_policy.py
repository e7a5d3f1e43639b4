"""The reminder policy as pure functions: due times, repeats, snoozes, quiet hours, pauses."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz
from hypothesis import assume, example, given
from hypothesis import strategies as st

from glutetui.domain.reminders import (
    MISSED,
    SKIPPED,
    SNOOZED,
    QuietHours,
    QuietHoursError,
    ReminderRules,
    Shown,
    desk_break_steps,
    due_at,
    is_due,
    may_remind,
    next_move,
    snoozes_left,
    workday_streak,
)
from glutetui.domain.routines import Step
from glutetui.domain.workhours import WorkingHours

BERLIN = tz.gettz("Europe/Berlin")
MINUTE = timedelta(minutes=1)


def at(hour: int, minute: int = 0, second: int = 0, day: int = 18) -> datetime:
    """Berlin wall time on Wednesday 2026-11-18 (UTC+1) as UTC."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=BERLIN).astimezone(timezone.utc)


def rules(quiet: str = "", hours: str = "Mon-Fri 08:00-18:00", **overrides) -> ReminderRules:
    values = {"remind_after": 30 * MINUTE, "repeat_every": 10 * MINUTE, "snooze_cap": 3}
    values.update(overrides)
    return ReminderRules(hours=WorkingHours.parse(hours), quiet=QuietHours.parse(quiet), **values)


def due(rule: ReminderRules, bout_start: datetime, shown=(), paused=None) -> datetime:
    return due_at(rule, bout_start, list(shown), paused, BERLIN)


def test_first_reminder_is_due_when_the_bout_reaches_remind_after():
    assert due(rules(), at(9)) == at(9, 30)
    assert due(rules(remind_after=10 * MINUTE), at(9, 5, 30)) == at(9, 15, 30)


def test_an_ignored_reminder_repeats_every_repeat_every():
    shown = [Shown(at(9, 30))]
    assert due(rules(), at(9), shown) == at(9, 40)
    shown.append(Shown(at(9, 40)))
    assert due(rules(repeat_every=15 * MINUTE), at(9), shown) == at(9, 55)


def test_a_missed_reminder_repeats_like_an_ignored_one():
    assert due(rules(), at(9), [Shown(at(9, 30), MISSED)]) == at(9, 40)


def test_a_snooze_asks_again_five_minutes_after_the_answer():
    assert due(rules(), at(9), [Shown(at(9, 30), SNOOZED, at(9, 30, 20))]) == at(9, 35, 20)


def test_a_skip_waits_a_whole_remind_after_again():
    assert due(rules(), at(9), [Shown(at(9, 30), SKIPPED, at(9, 31))]) == at(10, 1)


def test_quiet_hours_move_the_reminder_to_their_end():
    lunch = rules("12:00-13:00")
    assert due(lunch, at(11, 40)) == at(13)
    assert due(lunch, at(11, 29)) == at(11, 59)  # just before quiet: not moved
    # Touching spans are stepped over one after another.
    assert due(rules("12:00-12:30, 12:30-13:15"), at(11, 45)) == at(13, 15)


def test_a_pause_moves_the_reminder_to_its_end_and_a_past_pause_does_nothing():
    assert due(rules(), at(9), paused=at(10, 15)) == at(10, 15)
    assert due(rules(), at(9), paused=at(9, 10)) == at(9, 30)


def test_a_pause_ending_in_quiet_hours_waits_for_them_too():
    assert due(rules("12:00-13:00"), at(10), paused=at(12, 10)) == at(13)


def test_only_a_runner_sitting_in_working_hours_outside_a_warm_up_may_be_reminded():
    rule = rules()
    assert may_remind(rule, at(10), BERLIN, state="sitting", warmup_running=False)
    for state in ("standing", "break", "away", None):
        assert not may_remind(rule, at(10), BERLIN, state=state, warmup_running=False), state
    assert not may_remind(rule, at(10), BERLIN, state="sitting", warmup_running=True)
    assert not may_remind(rule, at(18, 30), BERLIN, state="sitting", warmup_running=False)
    assert not may_remind(rule, at(10, day=21), BERLIN, state="sitting", warmup_running=False)  # Saturday


def test_a_workday_minute_by_minute():
    """09:00 arrive; ignore at 09:30; snooze at 09:40; skip at 09:45; warm-up 10:10-10:20;
    lunch is quiet; away 12:00-13:30 ends the bout; a new bout from 13:30."""
    rule = rules("12:00-13:00")
    shown: list[Shown] = []
    fired = []

    def minute(now: datetime, *, bout_start, state="sitting", warmup=False) -> bool:
        if is_due(rule, now, BERLIN, state=state, bout_start=bout_start,
                  shown=[item for item in shown if item.shown_at >= bout_start],
                  paused_until=None, warmup_running=warmup):
            fired.append(now.astimezone(BERLIN).strftime("%H:%M"))
            return True
        return False

    moment = at(9)
    while moment < at(14, 30):
        away = at(12) <= moment < at(13, 30)
        warmup = at(10, 10) <= moment < at(10, 20)
        bout_start = at(13, 30) if moment >= at(13, 30) else at(9)
        if not away and minute(moment, bout_start=bout_start, warmup=warmup):
            label = fired[-1]
            if label == "09:40":
                shown.append(Shown(moment, SNOOZED, moment))
            elif label == "09:45":
                shown.append(Shown(moment, SKIPPED, moment))
            else:
                shown.append(Shown(moment))  # ignored
        moment += MINUTE
    # 10:15 falls in the warm-up, so it comes at 10:20; the ignored ones repeat every 10 min
    # until lunch; nothing while away; the new bout's first at 14:00, then ignored again.
    assert fired == ["09:30", "09:40", "09:45", "10:20", "10:30", "10:40", "10:50", "11:00", "11:10", "11:20",
                     "11:30", "11:40", "11:50", "14:00", "14:10", "14:20"]


def test_snoozes_left_never_goes_below_zero():
    assert [snoozes_left(rules(), used) for used in range(5)] == [3, 2, 1, 0, 0]
    assert snoozes_left(rules(snooze_cap=0), 0) == 0


def test_desk_moves_take_turns():
    moves = ["squeeze", "opener", "balance"]
    assert next_move(moves, None) == "squeeze"
    assert next_move(moves, "squeeze") == "opener"
    assert next_move(moves, "balance") == "squeeze"
    assert next_move(moves, "a move since renamed") == "squeeze"
    assert next_move([], "squeeze") is None


def test_the_streak_counts_workdays_without_a_bout_over_an_hour():
    hour = timedelta(hours=1)
    # Newest first: today fine, a weekend, two fine days, a holiday with no data, then a long bout.
    days = [(True, 50 * MINUTE), (False, None), (False, 2 * hour), (True, hour), (True, 0 * MINUTE),
            (True, None), (True, hour + MINUTE), (True, 10 * MINUTE)]
    assert workday_streak(days) == 3
    assert workday_streak([(True, hour + MINUTE)]) == 0
    assert workday_streak([]) == 0


@pytest.mark.parametrize("text, problem", [
    ("noon", "is not a span like"),
    ("13:00-12:00", "ends at or before it starts"),
    ("12:00-25:00", "not a time of day"),
    ("12:00-13:00,", None),
])
def test_quiet_hours_text_is_checked(text, problem):
    if problem is None:
        assert str(QuietHours.parse(text)) == "12:00-13:00"
        return
    with pytest.raises(QuietHoursError, match=problem):
        QuietHours.parse(text)


def test_quiet_hours_up_to_midnight_end_at_midnight():
    late = QuietHours.parse("22:00-24:00")
    assert str(late) == "22:00-24:00"
    assert late.end_of(at(23, 30), BERLIN) == at(0, day=19)
    assert late.end_of(at(21, 59), BERLIN) is None


@given(st.integers(0, 23), st.integers(0, 59), st.integers(1, 180))
def test_quiet_hours_round_trip_and_always_move_forward(hour, minute, length):
    start = hour * 60 + minute
    end = min(start + length, 24 * 60)
    text = f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"
    quiet = QuietHours.parse(text)
    assert QuietHours.parse(str(quiet)) == quiet
    moment = at(0) + timedelta(minutes=start)
    over = quiet.end_of(moment, BERLIN)
    assert over is not None and over > moment
    assert quiet.end_of(over, BERLIN) is None


def test_a_short_desk_move_is_followed_by_walking_until_break_min_is_up():
    squeeze = Step("Glute squeezes", "Squeeze.", seconds=20.0, reps=10)
    steps = desk_break_steps(squeeze, MINUTE)
    assert [(step.name, step.seconds) for step in steps] == [("Glute squeezes", 20.0), ("Keep moving", 40.0)]
    opener = Step("Hip opener", "Open.", seconds=35.0, sides=True)
    assert sum(step.seconds for step in desk_break_steps(opener, MINUTE)) == 73.0  # both sides, no padding
    assert [step.name for step in desk_break_steps(opener, MINUTE)] == ["Hip opener", "Switch sides", "Hip opener"]
    assert [(step.name, step.seconds) for step in desk_break_steps(None, 2 * MINUTE)] == [("Keep moving", 120.0)]


def test_quiet_hours_hold_on_the_nights_the_clocks_change():
    quiet = QuietHours.parse("02:00-02:30")
    # 25 October 2026, Berlin: 03:00 CEST becomes 02:00 CET; 02:10 happens twice.
    first = datetime(2026, 10, 25, 0, 10, tzinfo=timezone.utc)   # 02:10 CEST
    second = datetime(2026, 10, 25, 1, 10, tzinfo=timezone.utc)  # 02:10 CET
    assert quiet.end_of(first, BERLIN) == datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)
    assert quiet.end_of(second, BERLIN) == datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc)
    # 29 March 2026: 02:00 becomes 03:00, so quiet 01:50-02:30 ends at the jump, 03:00 CEST.
    spring = QuietHours.parse("01:50-02:30")
    moment = datetime(2026, 3, 29, 0, 55, tzinfo=timezone.utc)  # 01:55 CET
    assert spring.end_of(moment, BERLIN) == datetime(2026, 3, 29, 1, 0, tzinfo=timezone.utc)


class FoldBlind(tzinfo):
    """A zone read the way python-dateutil 2.x reads it: a wall time the clocks skip gets
    the offset after the jump whatever its fold (PEP 495 zones give fold=0 the offset before).

    The project allows dateutil >= 2.9; a run whose environment resolved 2.9 instead of 4.x
    failed the spring-forward case above, so that reading is kept here for every run.
    """

    def __init__(self, inner: tzinfo) -> None:
        self.inner = inner

    def utcoffset(self, dt):
        local = dt.replace(tzinfo=self.inner)
        if not tz.datetime_exists(local):
            return (local + timedelta(hours=24)).utcoffset()
        return local.utcoffset()

    def dst(self, dt):
        return dt.replace(tzinfo=self.inner).dst()

    def tzname(self, dt):
        return dt.replace(tzinfo=self.inner).tzname()

    def fromutc(self, dt):
        return self.inner.fromutc(dt.replace(tzinfo=self.inner)).replace(tzinfo=self)


SPRING_ZONES = {"dateutil": BERLIN, "zoneinfo": ZoneInfo("Europe/Berlin"), "dateutil-2.x": FoldBlind(BERLIN)}


@given(st.sampled_from(sorted(SPRING_ZONES)), st.integers(0, 119), st.integers(1, 59),
       st.floats(0, 1, exclude_max=True))
# The failure once seen: quiet 01:50-02:30 at 01:55 CET ended at 01:55 plus 1 µs, because
# both folds of 02:30 read the same under dateutil 2.x and the jump between them was lost.
@example("dateutil-2.x", 110, 30, 0.5)
def test_quiet_hours_ending_in_the_skipped_hour_end_at_the_jump(name, start, end, where):
    zone = SPRING_ZONES[name]
    quiet = QuietHours.parse(f"{start // 60:02d}:{start % 60:02d}-02:{end:02d}")
    begin = datetime(2026, 3, 29, start // 60, start % 60, tzinfo=zone).astimezone(timezone.utc)
    jump = datetime(2026, 3, 29, 1, tzinfo=timezone.utc)  # 02:00 CET becomes 03:00 CEST
    moment = begin + (jump - begin) * where
    assume(moment < jump)  # a fraction near 1 can round onto the jump itself, past the quiet span
    assert quiet.end_of(moment, zone) == jump
