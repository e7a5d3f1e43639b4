"""Wall times that a zone skips, in the standard library alone.

The same tests as dateutil.tz's datetime_exists and resolve_imaginary, for any tzinfo
(dateutil's or zoneinfo's), so the sitting and reminder math loads no dateutil: the
`glutetui status` of a status line imports only what it prints.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def datetime_exists(wall: datetime) -> bool:
    """Whether the clocks of `wall`'s zone ever show it: it survives a round trip through UTC."""
    if wall.tzinfo is None:
        raise ValueError("a naive datetime has no zone to exist in")
    naive = wall.replace(tzinfo=None)
    back = naive.replace(tzinfo=wall.tzinfo).astimezone(timezone.utc).astimezone(wall.tzinfo)
    return naive == back.replace(tzinfo=None)


def resolve_imaginary(wall: datetime) -> datetime:
    """A wall time the clocks jump over, moved on by the jump; any other returned as it is."""
    if wall.tzinfo is not None and not datetime_exists(wall):
        wall += (wall + timedelta(hours=24)).utcoffset() - (wall - timedelta(hours=24)).utcoffset()
    return wall
