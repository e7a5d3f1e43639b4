"""Working hours: when the tracker may assume the runner is at the desk.

Written as text in the settings file, e.g. "Mon-Fri 08:00-18:00",
"Mon,Tue,Thu 09:00-17:30" or "always".
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from glutetui.domain.record import record
from glutetui.domain.walltime import datetime_exists

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ALWAYS = "always"
DEFAULT_WORKING_HOURS = "Mon-Fri 08:00-18:00"
EXAMPLE = 'working_hours = "Mon-Fri 08:00-18:00" (or "always")'
_END_OF_DAY = time.max  # how "24:00" is kept: a time of day cannot say midnight at the end

_PATTERN = re.compile(r"^\s*(?P<days>[A-Za-z,\- ]+?)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*$")


class WorkingHoursError(ValueError):
    pass


@record
class WorkingHours:
    weekdays: frozenset[int]  # 0 = Monday
    start: time
    end: time
    always: bool = False

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        if text.strip().lower() == ALWAYS:
            return cls(frozenset(range(7)), time(0), time(0), always=True)
        match = _PATTERN.match(text)
        if not match:
            raise WorkingHoursError(f"{text!r} is not like \"Mon-Fri 08:00-18:00\" or \"always\"")
        start, end = parse_time_of_day(match["start"]), parse_time_of_day(match["end"])
        if end <= start:
            raise WorkingHoursError(f"{text!r} ends at or before it starts; use a span within one day")
        return cls(_weekdays(match["days"]), start, end)

    def __str__(self) -> str:
        if self.always:
            return ALWAYS
        return f"{_days_text(self.weekdays)} {time_of_day_text(self.start)}-{time_of_day_text(self.end)}"

    def contains(self, moment: datetime, zone: tzinfo) -> bool:
        if self.always:
            return True
        local = moment.astimezone(zone)
        clock = local.time()
        # Up to "24:00" includes the day's last instant, which _END_OF_DAY stands for.
        before_end = clock < self.end or self.end == _END_OF_DAY
        return local.weekday() in self.weekdays and self.start <= clock and before_end

    def next_change(self, moment: datetime, zone: tzinfo) -> datetime | None:
        """The next moment after `moment` where `contains` flips; None when it never does."""
        if self.always or not self.weekdays:
            return None
        inside = self.contains(moment, zone)
        # `contains` only flips at a boundary, but not at every one: a start in a skipped
        # hour, "24:00" running into a working day's 00:00. So: the first that flips.
        for boundary in self._boundaries(moment.astimezone(zone).date(), zone):
            if boundary > moment and self.contains(boundary, zone) != inside:
                return boundary.astimezone(moment.tzinfo)
        return None

    def _boundaries(self, first: date, zone: tzinfo) -> list[datetime]:
        """Where the local clock reaches start or end on a working day, two weeks from `first`."""
        found: set[datetime] = set()
        # A flip is at most a week away, or two when a skipped hour swallowed the first
        # working hours (Havana's midnight); past that there is none.
        for offset in range(15):
            day = first + timedelta(days=offset)
            if day.weekday() in self.weekdays:
                found.update(_instants(day, self.start, zone) | _instants(day, self.end, zone))
        return sorted(found)

    def spans_within(self, start: datetime, end: datetime, zone: tzinfo) -> list[tuple[datetime, datetime]]:
        """The parts of [start, end) that fall inside working hours."""
        spans = []
        moment = start
        while moment < end:
            change = self.next_change(moment, zone)
            stop = end if change is None else min(change, end)
            if self.contains(moment, zone):
                spans.append((moment, stop))
            moment = stop
        return spans


def _instants(day: date, clock: time, zone: tzinfo) -> set[datetime]:
    """When the local clock reaches `clock` on `day`: once; twice in a repeated hour;
    and where the clocks jump over or back past it, at the jump."""
    if clock == _END_OF_DAY:
        day, clock = day + timedelta(days=1), time(0)
    first, second = wall_readings(datetime.combine(day, clock, tzinfo=zone))
    if first == second:
        return {first}
    return {first, second, offset_change(zone, first, second)}


def wall_readings(wall: datetime) -> tuple[datetime, datetime]:
    """A local wall time as UTC, earlier reading first: the same instant twice where the
    clock shows it once; both passes in a repeated hour; in a skipped hour, read by the
    offset before the jump and by the one after."""
    if datetime_exists(wall):
        first, second = sorted(wall.replace(fold=fold).astimezone(timezone.utc) for fold in (0, 1))
        return first, second
    # Not through fold: zones disagree on what fold means for a time that never happens
    # (dateutil 2.x reads both folds by the offset after the jump, PEP 495 says fold=0 is
    # before), and with 2.x the two readings came out equal, so the jump was lost.
    naive = wall.replace(tzinfo=None)
    offsets = ((wall - timedelta(hours=24)).utcoffset(), (wall + timedelta(hours=24)).utcoffset())
    first, second = sorted((naive - offset).replace(tzinfo=timezone.utc) for offset in offsets)
    return first, second


def offset_change(zone: tzinfo, low: datetime, high: datetime) -> datetime:
    """The instant in (low, high] where the zone's UTC offset changes, to the microsecond."""
    after = high.astimezone(zone).utcoffset()
    while high - low > timedelta(microseconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == after:
            high = middle
        else:
            low = middle
    return high


def parse_time_of_day(text: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours == 24 and minutes == 0:
        return _END_OF_DAY
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise WorkingHoursError(f"{text!r} is not a time of day from 00:00 to 24:00")
    return time(hours, minutes)


def _weekdays(text: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.replace(" ", "").lower().split(","):
        first, dash, last = part.partition("-")
        if dash and not last:  # "Mon-" would silently mean Monday alone
            raise WorkingHoursError(f"{part!r} is half a range; write both days, e.g. Mon-Fri")
        low = _day_index(first)
        high = _day_index(last) if last else low
        if high < low:
            raise WorkingHoursError(f"{part!r} runs backwards; write days from Monday on, e.g. Mon-Fri")
        days.update(range(low, high + 1))
    return frozenset(days)


def _day_index(name: str) -> int:
    for index, day in enumerate(_FULL_DAY_NAMES):
        if len(name) >= 3 and day.startswith(name):
            return index
    raise WorkingHoursError(f"{name!r} is not a weekday; use Mon, Tue, Wed, Thu, Fri, Sat, Sun")


def time_of_day_text(clock: time) -> str:
    return "24:00" if clock == _END_OF_DAY else f"{clock:%H:%M}"


def _days_text(weekdays: frozenset[int]) -> str:
    ordered = sorted(weekdays)
    if ordered and ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{DAY_NAMES[ordered[0]].title()}-{DAY_NAMES[ordered[-1]].title()}"
    return ",".join(DAY_NAMES[index].title() for index in ordered)
