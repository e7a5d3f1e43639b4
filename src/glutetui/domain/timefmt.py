"""How moments are written to and read from the store: UTC ISO-8601 text."""

from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo

# Nothing glutetui stores is older: before any GPS watch, and near year 1 the weeks
# before a date cannot even be dated. Earlier is a broken or mistyped date.
EARLIEST_YEAR = 1970


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


def hours_minutes(seconds: float) -> str:
    """A clock-like length for totals: 3:07 is three hours and seven minutes."""
    whole = max(0, int(seconds // 60))
    return f"{whole // 60}:{whole % 60:02d}"


def minutes_until(moment: datetime, now: datetime) -> str:
    """A countdown in whole minutes, rounded up so it never says 0 min early: "now" when due."""
    seconds = (moment - now).total_seconds()
    return "now" if seconds <= 0 else spoken_minutes(seconds + 59)


def spoken_minutes(seconds: float) -> str:
    """A length in words for bouts and countdowns: 42 min, 1 h 05 min."""
    whole = max(0, int(seconds // 60))
    if whole < 60:
        return f"{whole} min"
    return f"{whole // 60} h {whole % 60:02d} min"


def spoken_seconds(seconds: float) -> str:
    """A short length to the second, for breaks: 45 s, 1 min 30 s."""
    minutes, rest = divmod(max(0, int(seconds)), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" + (f" {rest} s" if rest else "")


def wall_clock(moment: datetime, zone: tzinfo) -> str:
    """"14:05", or "midnight" where a pause until tomorrow ends."""
    local = moment.astimezone(zone)
    return "midnight" if (local.hour, local.minute) == (0, 0) else f"{local:%H:%M}"
