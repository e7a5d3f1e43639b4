"""Small bar charts for a week: days across with a goal line, or body parts down.

Drawn with eighth blocks in the theme's colours. textual-plotext (DESIGN.md's
first choice) was tried first: at the 36x10 cells an 80x24 layout leaves a
chart, plotext 5.3 put bars off their day ticks and drew zero-height bars over
their neighbours, so a day could read as sitting it never had.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual.color import Color
from textual.widget import Widget

UP = " ▁▂▃▄▅▆▇█"
ACROSS = " ▏▎▍▌▋▊▉█"


THEME_COLOURS = ("primary", "secondary", "accent", "warning", "error", "success", "foreground")


def theme_colours(variables: dict[str, str]) -> dict[str, str]:
    """Rich-ready hex colours of the active theme, with `muted` for axes and notes."""
    found = {name: Color.parse(variables[name]).hex for name in THEME_COLOURS if name in variables}
    background = Color.parse(variables.get("background", "#000000"))
    found["muted"] = background.blend(Color.parse(variables.get("foreground", "#ffffff")), 0.6).hex
    return found


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    colour: str  # a theme variable: primary, success, error, ...


@dataclass(frozen=True)
class DayBars:
    labels: Sequence[str]
    series: Sequence[Series]
    value_text: Callable[[float], str] = lambda value: f"{value:g}"
    goal: float | None = None  # a dashed line; a lone series' days above it are drawn in the warning colour
    axis_text: Callable[[float], str] = lambda value: f"{value:g}"


@dataclass(frozen=True)
class PartBars:
    rows: Sequence[tuple[str, int, str, str]] = field(default_factory=tuple)  # (name, count, note, colour)
    empty: str = "none"


def nice_top(value: float) -> float:
    """A round number at or above `value` for the top of an axis: 1, 1.5, 2, ... 8 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if step * power >= value)


def column(value: float, top: float, rows: int) -> list[str]:
    """The cells of one bar from the bottom up; anything above zero shows at least a sliver."""
    height = max(0.0, value) / top * rows
    cells = [UP[round(min(1.0, max(0.0, height - row)) * 8)] for row in range(rows)]
    if value > 0 and cells[0] == " ":
        cells[0] = UP[1]
    return cells


def across(value: float, top: float, width: int) -> str:
    length = max(0.0, value) / top * width if top else 0.0
    full, rest = int(length), round((length - int(length)) * 8)
    bar = "█" * full + (ACROSS[rest] if rest and full < width else "")
    return bar or ("▏" if value > 0 else "")


class Chart(Widget):
    """Holds what to draw; drawn again at each repaint, so it follows the size and the theme."""

    DEFAULT_CSS = "Chart { height: 1fr; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.bars = None

    def show(self, bars) -> None:
        self.bars = bars
        self.refresh()


class DayBarChart(Chart):
    """Vertical bars, one slot per day; one or two series side by side."""

    bars: DayBars | None

    def render(self) -> Text:
        if self.bars is None or self.size.width < 10 or self.size.height < 3:
            return Text("")
        return draw_day_bars(self.bars, self.size.width, self.size.height, theme_colours(self.app.theme_variables))


def draw_day_bars(bars: DayBars, width: int, height: int, colours: dict[str, str]) -> Text:
    values = [value for series in bars.series for value in series.values]
    top = nice_top(max([*values, bars.goal or 0.0]) * 1.05)
    marks = {0: bars.axis_text(top)}
    rows = height - 2  # the day names and the values below them
    goal_row = int(bars.goal / top * rows) if bars.goal else None  # below the top: top is 1.05 x the goal at least
    if goal_row is not None:
        marks[rows - 1 - goal_row] = bars.axis_text(bars.goal)
    marks[rows - 1] = "0"
    axis = max(len(mark) for mark in marks.values()) + 1
    slot = max(2, (width - axis) // len(bars.labels))
    bar_width = max(1, min(6, (slot - 1) // len(bars.series)))
    drawn = bar_width * len(bars.series)
    lead = (slot - drawn) // 2  # bars centred under their day's name
    cells = [[column(series.values[day], top, rows) for series in bars.series] for day in range(len(bars.labels))]
    text = Text(no_wrap=True, overflow="crop")
    for line in range(rows):
        row = rows - 1 - line
        text.append(marks.get(line, "").rjust(axis - 1) + "┤" if line in marks else " " * (axis - 1) + "│",
                    style=colours.get("muted"))
        for day in range(len(bars.labels)):
            text.append(_gap(row, goal_row, lead), style=colours.get("warning"))
            for series, bar in zip(bars.series, cells[day]):
                colour = series.colour
                if bars.goal and len(bars.series) == 1 and series.values[day] > bars.goal:
                    colour = "warning"
                piece = bar[row] * bar_width
                if piece.strip():
                    text.append(piece, style=colours.get(colour))
                else:
                    text.append(_gap(row, goal_row, bar_width), style=colours.get("warning"))
            text.append(_gap(row, goal_row, slot - lead - drawn), style=colours.get("warning"))
        text.append("\n")
    text.append(" " * axis + "".join(label[:slot].center(slot) for label in bars.labels) + "\n",
                style=colours.get("foreground"))
    shown = [bars.value_text(bars.series[0].values[day]) for day in range(len(bars.labels))]
    if all(len(value) < slot for value in shown):
        text.append(" " * axis + "".join(value.center(slot) for value in shown), style=colours.get("muted"))
    return text


def _gap(row: int, goal_row: int | None, width: int) -> str:
    return ("╌" if row == goal_row else " ") * width


class PartBarChart(Chart):
    """One row per body part: a bar for the count and a note (the worst score)."""

    bars: PartBars | None

    def render(self) -> Text:
        if self.bars is None:
            return Text("")
        return draw_part_bars(self.bars, self.size.width, theme_colours(self.app.theme_variables))


def draw_part_bars(bars: PartBars, width: int, colours: dict[str, str]) -> Text:
    text = Text(no_wrap=True, overflow="crop")
    if not bars.rows:
        text.append(bars.empty, style=colours.get("muted"))
        return text
    name_width = max(len(name) for name, *_ in bars.rows)
    note_width = max(len(f" {count} {note}") for _, count, note, _ in bars.rows)
    room = max(1, width - name_width - 1 - note_width)
    top = max(1, max(count for _, count, _, _ in bars.rows))
    for index, (name, count, note, colour) in enumerate(bars.rows):
        if index:
            text.append("\n")
        text.append(name.rjust(name_width) + "│", style=colours.get("muted"))
        bar = across(count, top, room)
        text.append(bar, style=colours.get(colour))
        text.append(f" {count}", style=colours.get("foreground"))
        text.append(f" {note}", style=colours.get("muted"))
    return text
