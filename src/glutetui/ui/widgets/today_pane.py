"""The Today tab: today's sitting against the goal, the bout, breaks and the day's bar."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from glutetui.domain.reminders import OUTCOMES, TAKEN
from glutetui.domain.timefmt import (
    hours_minutes,
    minutes_until,
    spoken_minutes,
    wall_clock,
)
from glutetui.domain.tips import tip_for_day
from glutetui.services.reminders import ReminderOutlook
from glutetui.services.tracker import TodaySummary
from glutetui.ui.widgets.day_heading import DayHeading
from glutetui.ui.widgets.day_timeline import DayTimeline
from glutetui.ui.widgets.goal_line import GoalLine
from glutetui.ui.widgets.stat_boxes import StatBoxes

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from glutetui.services.session import TodayChanged

STATE_TEXT = {
    "sitting": "Sitting",
    "standing": "Standing",
    "break": "On a break",
    "away": "Away from the desk",
    "exercise": "Moving (a routine)",
    "out": "Out running",
    None: "Not tracking (outside working hours)",
}
# Short: the state shares one line with the date at 80 columns.
SOURCE_TEXT = {
    "idle": " (idle)",
    "suspend": " (asleep)",
    "cli": " (command)",
}
# Labels of at most 11 characters: five boxes side by side fit 80 columns.
STATS = (
    ("bout", "Bout now"),
    ("reminder", "Stand up in"),
    ("longest", "Longest"),
    ("breaks", "Breaks"),
    ("active", "Active hrs"),
)

STAT_KEYS = frozenset(f"today-{key}" for key, _ in STATS)


class TodayPane(VerticalScroll):
    DEFAULT_CSS = """
    TodayPane { padding: 0 2; }
    TodayPane #today-sitting { margin-top: 1; }
    TodayPane #today-stats { margin-top: 1; }
    TodayPane #today-reminders { margin-top: 1; }
    TodayPane #today-streak { color: $text-muted; }
    TodayPane DayTimeline { margin-top: 1; }
    TodayPane #today-tip { margin-top: 1; padding: 0 1; border: round $primary 50%; height: auto; }
    """

    class Ready(Message):
        """Today's widgets are composed: the app's timers may start showing things."""

    def __init__(self, tips: tuple[str, ...], first_look: TodayChanged | None = None, zone: tzinfo | None = None,
                 **kwargs) -> None:
        """`first_look`: the day as read before the pane was made (in `zone`), shown in its first paint."""
        super().__init__(**kwargs)
        self._tips = tips
        self._shown: dict[str, str] = {}
        self._composed = False
        self._early_summary: tuple | None = None
        if first_look is not None:
            self._early_summary = (first_look.summary, zone, first_look.since, first_look.reminder_open)

    def on_mount(self) -> None:
        self._composed = True
        if self._early_summary is not None:
            # The day was read while the widgets were being made: shown in their first paint.
            summary, self._early_summary = self._early_summary, None
            self.show_summary(*summary)
        self.post_message(self.Ready())

    def compose(self) -> ComposeResult:
        yield DayHeading(id="today-top")
        yield GoalLine(id="today-sitting")
        yield StatBoxes({f"today-{key}": label for key, label in STATS}, id="today-stats")
        yield Static(id="today-reminders", markup=False)
        yield Static(id="today-streak", markup=False)
        yield DayTimeline(id="today-timeline")
        yield Static(id="today-tip", markup=False)

    def show_day(self, day: date) -> None:
        if not self._composed:
            return
        self._set("today-date", f"{day:%A} {day.day} {day:%B %Y}")
        tip = tip_for_day(self._tips, day)
        self._set("today-tip", f"Tip of the day: {tip}" if tip else "")

    def show_state_now(self, state: str, since: datetime, zone: tzinfo) -> None:
        """A key's new state, shown before the file has stored it."""
        self._set("today-state", f"{STATE_TEXT.get(state, state)} since {since.astimezone(zone):%H:%M}")

    def show_summary(self, today: TodaySummary, zone: tzinfo, since: datetime | None,
                     reminder_open: bool = False) -> None:
        """Called when a minute or the state changes; only the texts that changed are repainted."""
        if self._pruning:
            return  # quitting takes the widgets down
        if not self._composed:
            self._early_summary = (today, zone, since, reminder_open)  # shown once they exist
            return
        state = STATE_TEXT.get(today.state, today.state) + SOURCE_TEXT.get(today.source, "")
        if since is not None and today.state is not None:
            state += f" since {since.astimezone(zone):%H:%M}"
        self._set("today-state", state)
        goal = today.goal_seconds
        sitting = f"Sitting today {hours_minutes(today.sitting_seconds)} of {hours_minutes(goal)}"
        self._shown["today-sitting"] = sitting
        for line in self.query("#today-sitting").results(GoalLine):  # none while quitting takes them down
            line.show(sitting, today.sitting_seconds / goal if goal else 0.0, over=today.sitting_seconds > goal)
        sitting_down = today.state == "sitting"  # just sat down: a bout of 0 min, not none
        self._set("today-bout", spoken_minutes(today.bout.seconds) if today.bout else "0 min" if sitting_down else "none")
        # Behind an open reminder the next one is not the news: standing up is, now.
        self._set("today-reminder", "now" if reminder_open else _reminder_text(today, zone))
        self._set("today-longest", spoken_minutes(today.longest.seconds) if today.longest else "none")
        self._set("today-breaks", str(today.breaks))
        self._set("today-active", str(today.active_hours))
        self._set("today-reminders", _reminders_text(today.reminders, zone))
        days = "workday" if today.streak == 1 else "workdays"
        self._set("today-streak", f"Streak: {today.streak} {days} in a row with no bout over an hour")
        # query, not query_one: an answer from the file may arrive while quitting takes the widgets down.
        for timeline in self.query(DayTimeline):
            timeline.show(today.intervals, today.timeline_window, zone)

    def shown(self, key: str) -> str:
        return self._shown.get(key, "")

    def _set(self, key: str, text: str) -> None:
        old = self._shown.get(key)
        if old != text:
            self._shown[key] = text
            if key in STAT_KEYS:
                for boxes in self.query("#today-stats").results(StatBoxes):
                    boxes.show(key, text)
                return
            if key in ("today-date", "today-state"):
                for heading in self.query("#today-top").results(DayHeading):
                    heading.show(**{"date_text" if key == "today-date" else "state_text": text})
                return
            for static in self.query(f"#{key}").results(Static):  # none while quitting takes them down
                # A new minute is most often the same number of cells: then only those cells are
                # repainted, without laying out the screen again (the idle app's main cost).
                static.update(text, layout=not _same_cells(old, text, static.content_size.width))


def _same_cells(old: str | None, new: str, width: int) -> bool:
    """Whether `new` fills exactly the cells `old` did: one line each, as wide, not wrapped."""
    if old is None or "\n" in old or "\n" in new:
        return False
    cells = cell_len(new)
    return cells == cell_len(old) and cells <= width


def _reminder_text(today: TodaySummary, zone: tzinfo) -> str:
    if not today.in_hours:
        return "off hours"
    if today.next_reminder_at is None:
        return "not sitting"
    paused = today.reminders.paused_until
    if paused is not None and paused >= today.next_reminder_at:
        return "paused"
    return minutes_until(today.next_reminder_at, today.now)


def _outcome_text(outlook: ReminderOutlook, outcome: str) -> str:
    text = f"{outlook.count(outcome)} {outcome}"
    if outcome == TAKEN and outlook.cut_short:  # of the taken ones, so said right after them
        text += f", {outlook.cut_short} cut short"
    return text


def _reminders_text(outlook: ReminderOutlook, zone: tzinfo) -> str:
    counts = " · ".join(_outcome_text(outlook, outcome) for outcome in OUTCOMES)
    if outlook.paused_until is not None:  # short enough for 80 columns with two-digit counts
        return f"Paused until {wall_clock(outlook.paused_until, zone)} · {counts} today"
    return f"Reminders today: {counts}"
