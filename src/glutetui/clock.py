"""The one place that reads the wall clock and the monotonic clock.

Everything else receives a `Clock` so tests can drive time by hand.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Protocol

from dateutil import tz


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC wall-clock time."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary start; never goes backwards."""

    def local_zone(self) -> tzinfo:
        """The zone that days, weeks and 'this morning' are counted in."""


class SystemClock:
    def __init__(self, zone: tzinfo | None = None) -> None:
        self._zone = zone or tz.tzlocal()

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def monotonic(self) -> float:
        return time.monotonic()

    def local_zone(self) -> tzinfo:
        return self._zone


class FakeClock:
    """A clock that only moves when a test moves it."""

    def __init__(self, start: datetime, zone: tzinfo | str = "UTC", monotonic_start: float = 1000.0) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware start time")
        self._now = start.astimezone(timezone.utc)
        self._mono = monotonic_start
        self._zone = tz.gettz(zone) if isinstance(zone, str) else zone

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
