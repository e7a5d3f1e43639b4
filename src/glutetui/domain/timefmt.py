"""How moments are written to and read from the store: UTC ISO-8601 text."""

from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo


def to_utc_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("refusing a naive datetime: its zone is unknown")
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def from_utc_text(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()
