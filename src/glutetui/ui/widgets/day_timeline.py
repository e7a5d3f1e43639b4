"""A bar of the day: sitting, standing, break, moving and away, one character per slice of time."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text
from textual.color import Color
from textual.widget import Widget

from glutetui.domain.sitting import AWAY, BREAK, EXERCISE, OUT, SITTING, STANDING, Interval, timeline
from glutetui.ui.colours import rich_name

# Theme variables, so the bar follows the chosen theme; sitting is the risk, so it is the alarm colour.
# A routine and the run after it share one colour and one legend entry: both are moving.
MOVING_COLOUR = "primary-lighten-3"  # light: the dark "secondary" is away
STATE_COLOURS = {SITTING: "error", STANDING: "success", BREAK: "accent", EXERCISE: MOVING_COLOUR, OUT: MOVING_COLOUR,
                 AWAY: "secondary"}
LEGEND = ((SITTING, "sitting"), (STANDING, "standing"), (BREAK, "break"), (EXERCISE, "moving"), (AWAY, "away"))
BLOCK = "█"
EMPTY = "·"


class DayTimeline(Widget):
    DEFAULT_CSS = """
    DayTimeline { height: 2; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._intervals: tuple[Interval, ...] = ()
        self._window: tuple[datetime, datetime] | None = None
        self._zone: tzinfo | None = None
        self._drawn: tuple | None = None

    def show(self, intervals: tuple[Interval, ...], window: tuple[datetime, datetime], zone: tzinfo) -> None:
        """Repaint only when the bar would look different."""
        self._intervals, self._window, self._zone = intervals, window, zone
        if self._look(self.size.width) != self._drawn:
            self.refresh()

    def _look(self, width: int) -> tuple:
        if self._window is None:
            return ()
        cells = max(0, width - 12)
        return (self._window, self.app.theme, tuple(timeline(self._intervals, self._window, cells)))

    def render(self) -> Text:
        self._drawn = look = self._look(self.size.width)
        if not look or self.size.width < 20:
            return Text("")
        window, _, states = look
        colours = state_colours(self.app.theme_variables)
        start, end = (moment.astimezone(self._zone) for moment in window)
        bar = Text(f"{start:%H:%M} ", style="dim")
        for state in states:
            bar.append(BLOCK if state else EMPTY, style=colours[state] if state else "dim")
        bar.append(f" {end:%H:%M}", style="dim")
        legend = Text("      ")
        for state, label in LEGEND:
            legend.append(BLOCK * 2, style=colours[state])
            legend.append(f" {label}   ", style="dim")
        return Text("\n").join([bar, legend])


def state_colours(variables: dict[str, str]) -> dict[str, str]:
    """Each state's colour in the theme, as Rich names it: an ANSI theme's "ansi_red" is no
    colour to Rich, and drawing it stops the app."""
    return {state: rich_name(Color.parse(variables.get(name, "white"))) for state, name in STATE_COLOURS.items()}
