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

from glutetui.ui.colours import rich_name

UP = " ▁▂▃▄▅▆▇█"
ACROSS = " ▏▎▍▌▋▊▉█"


THEME_COLOURS = ("primary", "secondary", "accent", "warning", "error", "success", "foreground")
PAIN_ZONES = ("safe", "acceptable", "too much")  # domain.run_flags.pain_zone: 0-2, 3-5, 6+

# The pain zones are drawn in the theme's success, warning and error, except where two of
# those are hard to tell apart (CIEDE2000 under 20): solarized's orange and red (10), gruvbox's
# orange and red, nord's and catppuccin-frappe's pale green and yellow, atom-one-light's
# green and yellow. There a traffic light from the theme's own palette: a green or teal, a
# yellow, a red. tests/test_ache_colours.py measures every theme.
ZONE_PALETTES = {
    "solarized-light": ("#2AA198", "#B58900", "#DC322F"),
    "solarized-dark": ("#2AA198", "#B58900", "#DC322F"),
    "gruvbox": ("#8EC07C", "#FABD2F", "#FB4934"),
    "nord": ("#8FBCBB", "#EBCB8B", "#BF616A"),
    "catppuccin-frappe": ("#81C8BE", "#E5C890", "#E78284"),
    "atom-one-light": ("#50A14F", "#C18401", "#E45649"),
    # Textual's ansi-light warns in bright red, next to red; yellow is faint on a light
    # terminal. Magenta between green and red stays apart in any palette.
    "ansi-light": ("ansi_green", "ansi_magenta", "ansi_red"),
}
MIN_CONTRAST = 3.0  # against the background: WCAG 2.1's minimum for graphics (1.4.11)


def theme_colours(variables: dict[str, str], theme: str = "") -> dict[str, str]:
    """Rich-ready colours of the active theme, with `muted` for axes and notes and one
    colour for each pain zone ("safe", "acceptable", "too much")."""
    found = {name: rich_name(Color.parse(variables[name])) for name in THEME_COLOURS if name in variables}
    background = Color.parse(variables.get("background", "#000000"))
    foreground = Color.parse(variables.get("foreground", "#ffffff"))
    # The ANSI themes leave colours to the terminal, which cannot blend two of them: its grey.
    muted = Color.parse("ansi_bright_black") if background.ansi is not None else background.blend(foreground, 0.6)
    found["muted"] = rich_name(muted)
    zones = ZONE_PALETTES.get(theme) or tuple(variables.get(name, "") for name in ("success", "warning", "error"))
    for zone, colour in zip(PAIN_ZONES, zones):
        if colour:
            found[zone] = rich_name(readable(Color.parse(colour), background))
    return found


def readable(colour: Color, background: Color) -> Color:
    """`colour`, darkened on a light background (lightened on a dark one) until it stands
    out from it by MIN_CONTRAST: the yellows and greens of light themes are too pale for a bar.
    Terminal colours (ANSI) are the terminal's to choose and are kept."""
    if colour.ansi is not None or background.ansi is not None:
        return colour
    for _ in range(50):
        if contrast_ratio(colour, background) >= MIN_CONTRAST:
            break
        colour = colour.darken(0.02) if background.brightness > 0.5 else colour.lighten(0.02)
    return colour


def contrast_ratio(first: Color, second: Color) -> float:
    """WCAG 2.1 contrast ratio of two opaque colours, 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: Color) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = colour.rgb
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


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
    counts: bool = False  # whole things (breaks, runs): the axis is marked in whole numbers only
    days_lived: int | None = None  # the days after these are still to come: "-" under them, not a zero


@dataclass(frozen=True)
class PartBars:
    # (name, count, note, colour): a theme colour's or a pain zone's name (see theme_colours)
    rows: Sequence[tuple[str, int, str, str]] = field(default_factory=tuple)
    empty: str = "none"


def nice_top(value: float, whole: bool = False) -> float:
    """A round number at or above `value` for the top of an axis: 1, 1.5, 2, ... 8 times a power
    of ten; `whole`: a whole number of them, for counts (1, 2, 3, 4, 5, 6, 8, 10, 15, 20, ...)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)
                if step * power >= value and (not whole or float(step * power).is_integer()))


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
        return draw_day_bars(self.bars, self.size.width, self.size.height,
                             theme_colours(self.app.theme_variables, self.app.theme))


def draw_day_bars(bars: DayBars, width: int, height: int, colours: dict[str, str]) -> Text:
    values = [value for series in bars.series for value in series.values]
    # Headroom keeps the goal line below the top. A count's top is a whole number (never 1.5
    # breaks), and without a goal the highest count may reach it: its mark reads the bar.
    headroom = 1.0 if bars.counts and not bars.goal else 1.05
    top = nice_top(max([*values, bars.goal or 0.0]) * headroom, whole=bars.counts)
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
    lived = len(bars.labels) if bars.days_lived is None else bars.days_lived
    shown = [bars.value_text(bars.series[0].values[day]) if day < lived else "-" for day in range(len(bars.labels))]
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
        return draw_part_bars(self.bars, self.size.width, theme_colours(self.app.theme_variables, self.app.theme))


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
