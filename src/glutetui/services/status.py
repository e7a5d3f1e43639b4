"""What `glutetui status` and `glutetui sit|stand|break|away` do.

Both go through the database, so they work beside a running app (which
picks a change up within two seconds) and when no app is open.
"""

from __future__ import annotations

from datetime import datetime

from glutetui.clock import Clock
from glutetui.config import Settings
from glutetui.domain.record import record
from glutetui.domain.timefmt import hours_minutes, minutes_until, spoken_minutes, to_utc_text
from glutetui.paths import Locations
from glutetui.services.tracker import TodaySummary, TrackerRules, summarise
from glutetui.store import posture
from glutetui.store.lock import app_is_running
from glutetui.services.reminders import StreakCounter
from glutetui.store.reading import connect_for_cache, open_for_reading


@record
class StateSaid:
    state: str
    at: datetime
    app_running: bool


@record
class Status:
    today: TodaySummary | None  # None: nothing stored yet
    app_running: bool
    since: datetime | None = None  # when the open state began


def say_state(locations: Locations, state: str, note: str | None, clock: Clock) -> StateSaid:
    from glutetui.store.db import open_store  # sqlite-utils and the migrations: only a command that writes loads them

    if locations.db_is_default:
        locations.db.parent.mkdir(parents=True, exist_ok=True)
    db = open_store(locations.db)
    try:
        now = clock.now()
        running = app_is_running(locations.db)
        if not running:
            posture.recover_open(db, now, clock.local_zone())  # end what a closed app or an earlier command left
        posture.begin_state(db, state, now, posture.CLI, note)
        return StateSaid(state, now, running)
    finally:
        db.close()


def read_status(locations: Locations, settings: Settings, clock: Clock) -> Status:
    running = app_is_running(locations.db)
    if not locations.db.exists():
        return Status(None, running)
    db = open_for_reading(locations.db)
    try:
        return status_from(db, locations, settings, clock, running)
    finally:
        db.close()


def status_from(db, locations: Locations, settings: Settings, clock: Clock, running: bool) -> Status:
    """The status read through `db`, which need not be able to write."""
    now = clock.now()
    current = posture.open_posture(db)
    # The day's streak count goes in through a connection made for it, which gives up at
    # once on a busy file rather than keep the reader (or the app's first paint) waiting.
    streaks = StreakCounter(cache_writer=lambda: connect_for_cache(locations.db))
    return Status(summarise(db, TrackerRules.from_settings(settings), now, clock.local_zone(), current,
                            open_until(current, now, running, clock), streaks), running,
                  current.started_at if current else None)


def open_until(current: posture.PostureRow | None, now: datetime, running: bool, clock: Clock) -> datetime | None:
    """Where the open interval ends for a reader: now while the app keeps it open."""
    if current is None:
        return None
    if running:
        return now
    return posture.orphan_end(current, now, clock.local_zone())


STATE_WORDS = {"exercise": "moving", "out": "out running"}  # the stored names say less on their own


def status_line(status: Status) -> str:
    """One short line for a tmux or status-bar segment."""
    today = status.today
    if today is None:
        return "glutetui: nothing recorded yet"
    parts = [STATE_WORDS.get(today.state, today.state) or "not tracking", f"sat {hours_minutes(today.sitting_seconds)} today"]
    if today.bout is not None and today.state == "sitting":
        parts.append(f"bout {spoken_minutes(today.bout.seconds)}")
    if today.next_reminder_at is not None and status.app_running:  # only an open app reminds
        due = minutes_until(today.next_reminder_at, today.now)
        parts.append(f"stand up {due if due == 'now' else 'in ' + due}")
    if not status.app_running:
        parts.append("app closed")
    return " · ".join(parts)


def status_json(status: Status) -> dict:
    today = status.today
    if today is None:
        return {"app_running": status.app_running, "state": None, "day": None}
    bout_minutes = today.bout.seconds / 60 if today.bout else None
    reminder = today.next_reminder_at if status.app_running else None  # only an open app reminds
    return {
        "app_running": status.app_running,
        "state": today.state,
        "day": today.day.isoformat(),
        "now": to_utc_text(today.now),
        "sitting_today_minutes": round(today.sitting_seconds / 60, 1),
        "goal_minutes": round(today.goal_seconds / 60),
        "current_bout_minutes": round(bout_minutes, 1) if bout_minutes is not None else None,
        "longest_bout_minutes": round(today.longest.seconds / 60, 1) if today.longest else None,
        "breaks_taken": today.breaks,
        "active_hours": today.active_hours,
        "next_reminder_at": to_utc_text(reminder) if reminder else None,
        "next_reminder_in_minutes": round(max(0.0, (reminder - today.now).total_seconds() / 60), 1)
        if reminder else None,
        "reminders_paused_until": to_utc_text(paused) if (paused := today.reminders.paused_until) else None,
        "reminders_today": dict(today.reminders.counts),
        "breaks_cut_short_today": today.reminders.cut_short,
        "streak_workdays": today.streak,
    }
