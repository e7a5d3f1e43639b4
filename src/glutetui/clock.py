"""The one place that reads the wall clock and the monotonic clock.

Everything else receives a `Clock` so tests can drive time by hand.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC wall-clock time."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary start; never goes backwards."""

    def local_zone(self) -> tzinfo:
        """The zone that days, weeks and 'this morning' are counted in."""


class SystemClock:
    def __init__(self, zone: tzinfo | None = None) -> None:
        self._zone = zone or system_zone()

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def monotonic(self) -> float:
        return time.monotonic()

    def local_zone(self) -> tzinfo:
        return self._zone


def system_zone() -> tzinfo:
    """The zone the C library counts local time in: TZ when set, else /etc/localtime.

    Read with the standard library's zoneinfo, which follows the zone's whole history and
    its rule for years to come; importing dateutil.tz cost start-up about 20 ms. What
    zoneinfo cannot read (a POSIX rule such as TZ=EST5EDT4, an empty TZ, a system with no
    /etc/localtime such as Windows) goes to dateutil's tzlocal, as before."""
    name = os.environ.get("TZ")
    try:
        if name is not None:
            return ZoneInfo(name.removeprefix(":"))
        with open("/etc/localtime", "rb") as file:
            return ZoneInfo.from_file(file, key="localtime")
    except (OSError, ValueError, ZoneInfoNotFoundError):
        from dateutil import tz

        return tz.tzlocal()


class FakeClock:
    """A clock that only moves when a test moves it."""

    def __init__(self, start: datetime, zone: tzinfo | str = "UTC", monotonic_start: float = 1000.0) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware start time")
        self._now = start.astimezone(timezone.utc)
        self._mono = monotonic_start
        if isinstance(zone, str):
            from dateutil import tz

            zone = tz.gettz(zone)
        self._zone = zone

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def local_zone(self) -> tzinfo:
        return self._zone

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("real time does not run backwards")
        self._now += timedelta(seconds=seconds)
        self._mono += seconds

    def jump_wall(self, seconds: float) -> None:
        """Move only the wall clock: a suspend (monotonic time stops while asleep
        on Linux) or the system clock being set forward or back."""
        self._now += timedelta(seconds=seconds)
