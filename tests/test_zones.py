"""The standard library's zones where dateutil's were (issue 21: dateutil.tz cost start-up
20 ms and a status line its time): the same answers on the days the clocks change, for
zoneinfo and dateutil zones."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz

from glutetui.clock import SystemClock, named_local_zone
from glutetui.domain.sitting import day_bounds
from glutetui.domain.walltime import datetime_exists, resolve_imaginary

# Lord Howe moves by 30 minutes; Havana skips and repeats midnight itself.
ZONE_NAMES = ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Havana")
SWITCH_DAYS = (date(2026, 3, 8), date(2026, 3, 29), date(2026, 4, 5), date(2026, 10, 4), date(2026, 10, 25),
               date(2026, 11, 1))


def walls(zone):
    """Every quarter hour of each switch day, both folds."""
    for day in SWITCH_DAYS:
        start = datetime.combine(day, time(0))
        for quarter in range(96):
            for fold in (0, 1):
                yield (start + timedelta(minutes=15 * quarter)).replace(tzinfo=zone, fold=fold)


@pytest.mark.parametrize("name", ZONE_NAMES)
def test_our_helpers_answer_as_dateutil_does(name):
    for zone in (ZoneInfo(name), tz.gettz(name)):
        for wall in walls(zone):
            assert datetime_exists(wall) == tz.datetime_exists(wall), wall
            assert resolve_imaginary(wall) == tz.resolve_imaginary(wall), wall
            assert resolve_imaginary(wall).utcoffset() == tz.resolve_imaginary(wall).utcoffset(), wall


@pytest.mark.parametrize("name", ZONE_NAMES)
def test_a_zoneinfo_zone_gives_the_days_a_dateutil_zone_gives(name):
    for day in SWITCH_DAYS:
        for offset in range(-1, 2):
            assert day_bounds(day + timedelta(days=offset), ZoneInfo(name)) == \
                day_bounds(day + timedelta(days=offset), tz.gettz(name))


def test_the_local_zone_follows_tz_and_falls_back_to_dateutil(monkeypatch):
    monkeypatch.setenv("TZ", "America/Havana")
    assert named_local_zone() == ZoneInfo("America/Havana")
    monkeypatch.setenv("TZ", ":Europe/Berlin")  # the C library's form for a file name
    assert named_local_zone() == ZoneInfo("Europe/Berlin")
    monkeypatch.setenv("TZ", "EST5EDT4")  # a POSIX rule zoneinfo does not read: the C library's reading
    assert named_local_zone() is None
    assert isinstance(SystemClock().local_zone(), tz.tzlocal)
