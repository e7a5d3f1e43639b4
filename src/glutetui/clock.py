"""The one place that reads the wall clock and the monotonic clock.

Everything else receives a `Clock` so tests can drive time by hand.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone, tzinfo

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing: `glutetui status` imports only what it prints
if TYPE_CHECKING:
    from typing import Protocol
else:
    Protocol = object  # Clock only describes what SystemClock and FakeClock offer; nothing subclasses it


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC wall-clock time."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary start; never goes backwards."""

    def local_zone(self) -> tzinfo:
        """The zone that days, weeks and 'this morning' are counted in."""


class SystemClock:
    def __init__(self, zone: tzinfo | None = None) -> None:
        if zone is None:
            zone = named_local_zone()
        if zone is None:  # a POSIX rule in TZ: only the C library reads it, through dateutil
            from dateutil import tz

            zone = tz.tzlocal()
        self._zone = zone

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def monotonic(self) -> float:
        return time.monotonic()

    def local_zone(self) -> tzinfo:
        return self._zone


def named_local_zone() -> tzinfo | None:
    """The system's zone as the standard library's zoneinfo reads it, or None where only the C
    library can tell (a POSIX rule in TZ): then dateutil's tzlocal, which asks it.

    As the C library does: TZ if set (empty: UTC; a leading colon dropped; a path read as a
    file), else /etc/localtime, else UTC. By name where there is one, so a cache keyed by
    the zone (store/streaks.py) says which."""
    from zoneinfo import ZoneInfo

    try:
        setting = os.environ.get("TZ")
        if setting is not None:
            name = setting.removeprefix(":") or "UTC"
            if os.path.isabs(name):
                with open(name, "rb") as handle:
                    return ZoneInfo.from_file(handle, key=name)
            return ZoneInfo(name)
        try:
            target = os.path.realpath("/etc/localtime")
        except OSError:
            return ZoneInfo("UTC")
        if not os.path.exists(target):
            return ZoneInfo("UTC")
        _, found, name = target.partition("/zoneinfo/")
        if found:
            try:
                return ZoneInfo(name)
            except (ValueError, OSError):
                pass
        with open(target, "rb") as handle:
            return ZoneInfo.from_file(handle, key=target)
    except (ValueError, OSError, KeyError):  # KeyError: zoneinfo's ZoneInfoNotFoundError
        return None


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
