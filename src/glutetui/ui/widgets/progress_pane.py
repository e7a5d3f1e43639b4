"""The Progress tab: a week's numbers, charts, 12-week trends and insights.

The week is read in a worker thread on a connection of its own and arrives as
a message; `show_progress` paints it, which is also how `report --svg` paints.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Sparkline, Static

from glutetui.domain.pain_timeline import PainTimeline
from glutetui.domain.progress import Progress
from glutetui.domain.run_flags import MAIN_PARTS, PART_NAMES
from glutetui.errors import UserFacingError
from glutetui.services.progress import (
    DAY_COLUMNS,
    ProgressLoader,
    compared_with,
    day_cells,
    distance,
    minutes_text,
    summary_lines,
    trend_lines,
    week_title,
)
from glutetui.ui.widgets.bar_chart import (
    DayBarChart,
    DayBars,
    PartBarChart,
    PartBars,
    Series,
    theme_colours,
)
from glutetui.ui.widgets.pain_timeline import PainTimelineView

WIDE = 110  # columns from which the four charts sit two by two
REFRESH_SECONDS = 60


class ChartBox(Vertical):
    DEFAULT_CSS = """
    ChartBox { height: 11; padding: 0 1 0 0; }
    ChartBox > .chart-title { height: 1; text-style: bold; }
    """

    def __init__(self, chart: Widget, **kwargs) -> None:
        super().__init__(**kwargs)
        self.chart = chart

    def compose(self) -> ComposeResult:
        yield Static(classes="chart-title")
        yield self.chart

    def title(self, text: Text) -> None:
        self.query_one(".chart-title", Static).update(text)


class ProgressPane(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    ProgressPane { padding: 0 1; }
    ProgressPane #progress-title { height: auto; }
    ProgressPane #progress-summary { height: auto; margin-bottom: 1; }
    ProgressPane #progress-charts { grid-size: 1; grid-gutter: 1 2; height: auto; grid-rows: 11; }
    ProgressPane.-wide #progress-charts { grid-size: 2; }
    ProgressPane .section { height: 1; text-style: bold; margin-top: 1; }
    ProgressPane .trend-row { height: 1; }
    ProgressPane .trend-label { width: 16; }
    ProgressPane .trend-row Sparkline { width: 1fr; max-width: 48; }
    ProgressPane .trend-value { width: 14; padding-left: 1; }
    ProgressPane #progress-insights { height: auto; }
    ProgressPane #progress-days { height: auto; margin-top: 1; }
    """

    class Loaded(Message):
        def __init__(self, progress: Progress, asked: date | None, pain: PainTimeline | None = None) -> None:
            super().__init__()
            self.progress, self.asked, self.pain = progress, asked, pain

    class Failed(Message):
        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem

    def __init__(self, loader: ProgressLoader | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.loader = loader
        self.start: date | None = None  # None: this week, whichever that is when read
        self.progress: Progress | None = None
        self.pain: PainTimeline | None = None
        self._current: bool | None = None  # as show_progress was last told

    def compose(self) -> ComposeResult:
        yield Static(id="progress-title")
        yield Static(id="progress-summary")
        with Grid(id="progress-charts"):
            yield ChartBox(DayBarChart(), id="chart-sitting")
            yield ChartBox(DayBarChart(), id="chart-breaks")
            yield ChartBox(DayBarChart(), id="chart-distance")
            yield ChartBox(PartBarChart(), id="chart-aches")
        yield Static(id="pain-title", classes="section")
        yield PainTimelineView(id="pain-timeline")
        yield Static(id="trend-title", classes="section")
        for index in range(4):
            with Horizontal(classes="trend-row", id=f"trend-{index}"):
                yield Static(classes="trend-label")
                yield Sparkline([], summary_function=max)
                yield Static(classes="trend-value")
        yield Static("Insights", classes="section")
        yield Static(id="progress-insights")
        yield Static("The week by day", classes="section")
        yield Static(id="progress-days")

    def on_mount(self) -> None:
        self.set_interval(REFRESH_SECONDS, self._refresh_this_week)
        # The titles and tables hold the theme's colours as text: paint them again in the new one.
        self.app.theme_changed_signal.subscribe(self, self._repaint)

    def _repaint(self, _theme: object = None) -> None:
        if self.progress is not None:
            self.show_progress(self.progress, self._current, self.pain)

    def on_show(self) -> None:
        self.reload()

    def on_resize(self) -> None:
        # The terminal's width, as the README says it; the pane itself is 2-3 columns less.
        self.set_class(self.app.size.width >= WIDE, "-wide")

    # ---- choosing the week -----------------------------------------------------

    def move(self, weeks: int) -> None:
        """`[` and `]`: a week back or on, never past this week; 0 (`t`) returns to this week."""
        if self.loader is None:
            return
        this_week = self.loader.this_week()
        if weeks == 0:
            self.start = None
        else:
            wanted = (self.start or this_week) + timedelta(weeks=weeks)
            if wanted > this_week:
                self.app.notify("This is the latest week.", timeout=3, markup=False)
                return
            self.start = None if wanted == this_week else wanted
        self.reload()

    def _refresh_this_week(self) -> None:
        if self.start is None and self.is_on_screen:
            self.reload()

    def reload(self) -> None:
        if self.loader is not None:
            self._load(self.start)

    @work(thread=True, exclusive=True, group="progress")
    def _load(self, start: date | None) -> None:
        try:
            progress, pain = self.loader.load(start)
            self.post_message(self.Loaded(progress, start, pain))
        except UserFacingError as error:  # StorageError among them, with its sentence
            self.post_message(self.Failed(str(error)))

    def on_progress_pane_loaded(self, message: Loaded) -> None:
        # A thread cannot be stopped: a reading begun before the last key press may end after it.
        if message.asked == self.start:
            self.show_progress(message.progress, pain=message.pain)

    def on_progress_pane_failed(self, message: Failed) -> None:
        self.app.notify(f"Cannot read the week: {message.problem}. What was stored is kept.",
                        severity="error", markup=False)

    # ---- painting ----------------------------------------------------------------

    def show_progress(self, progress: Progress, current: bool | None = None, pain: PainTimeline | None = None) -> None:
        """Paint a week; `current` says it is this week (by default: no other week was picked);
        `pain`, the pain timeline of its trend weeks (left out when None)."""
        self.progress, self._current, self.pain = progress, current, pain
        settings = self.app.settings
        unit, goal = settings.units, settings.sitting_goal_minutes
        # This week is under way: "so far · ▲▼ vs last week to Wed 15:30" (one line at 80 columns
        # even for the week across new year).
        where = "so far" if (self.start is None if current is None else current) else "t: back to this week"
        title = Text.assemble((f"Week {week_title(progress.week)}", "bold"), "  ", (where, self._colour("muted")),
                              (f" · ▲▼ vs {compared_with(progress)}", self._colour("muted")))
        self.query_one("#progress-title", Static).update(title)
        self.query_one("#progress-summary", Static).update(self._summary(progress, unit, goal))
        self._charts(progress, unit, goal)
        self._pain(progress, pain)
        self._trends(progress, unit)
        insights = "\n".join(f"• {item.text}" for item in progress.insights)
        self.query_one("#progress-insights", Static).update(Text(insights))
        self.query_one("#progress-days", Static).update(self._days(progress, unit, goal))

    def _colour(self, name: str) -> str:
        return theme_colours(self.app.theme_variables, self.app.theme).get(name, "")

    def _summary(self, progress: Progress, unit: str, goal: int) -> Table:
        table = Table.grid(padding=(0, 1))
        table.add_column(width=8, style="bold")
        table.add_column(width=10, no_wrap=True)
        table.add_column(ratio=1)
        for line in summary_lines(progress, unit, goal):
            better = line.change.better
            style = self._colour("muted") if better is None else self._colour("success" if better else "error")
            table.add_row(line.area, Text(line.change.short, style=style), line.text)
        return table

    def _charts(self, progress: Progress, unit: str, goal: int) -> None:
        days = progress.week.days
        names = [f"{day.day:%a}" for day in days]
        lived = sum(1 for day in days if progress.lived(day.day))
        colours = theme_colours(self.app.theme_variables, self.app.theme)

        def swatch(text: str, colour: str) -> Text:
            return Text.assemble(("■ ", colours.get(colour, "")), (text, ""))

        sitting = self.query_one("#chart-sitting", ChartBox)
        sitting.title(Text.assemble("Sitting per day (h:mm)  ", swatch(f"over the {minutes_text(goal)} goal",
                                                                        "warning")))
        sitting.chart.show(DayBars(names, [Series("sitting", [day.sitting_minutes / 60 for day in days], "primary")],
                                   value_text=lambda hours: minutes_text(round(hours * 60)), goal=goal / 60,
                                   axis_text=lambda hours: f"{hours:g}h", days_lived=lived))
        breaks = self.query_one("#chart-breaks", ChartBox)
        breaks.title(Text.assemble("Breaks  ", swatch("taken  ", "success"), swatch("reminders skipped", "error")))
        breaks.chart.show(DayBars(names, [Series("taken", [day.breaks_taken for day in days], "success"),
                                          Series("skipped", [day.reminders_skipped for day in days], "error")],
                                  value_text=lambda value: f"{value:.0f}", counts=True, days_lived=lived))
        running = self.query_one("#chart-distance", ChartBox)
        running.title(Text(f"Distance per day ({unit})"))
        running.chart.show(DayBars(names, [Series("distance", [distance(day.distance_m, unit) for day in days],
                                                  "primary")],
                                   value_text=lambda value: f"{value:.1f}", days_lived=lived))
        aches = self.query_one("#chart-aches", ChartBox)
        aches.title(Text.assemble("Aches 3/10+ by part, worst: ", swatch("0-2 ", "safe"), swatch("3-5 ", "acceptable"),
                                  swatch("6+", "too much")))
        found = progress.week.totals.aches
        parts = [*MAIN_PARTS, *(part for part in found if part not in MAIN_PARTS)]
        rows = []
        for part in parts:
            stats = found.get(part)
            note = f"worst {stats.worst}/10" if stats else "none logged"
            zone = stats.zone if stats else "safe"  # the bar's colour: the worst score's pain zone
            rows.append((PART_NAMES.get(part, part), stats.count if stats else 0, note, zone))
        aches.chart.show(PartBars(rows))

    def _pain(self, progress: Progress, pain: PainTimeline | None) -> None:
        title = self.query_one("#pain-title", Static)
        title.display = pain is not None
        first, last = progress.trend[0], progress.trend[-1]
        title.update(f"Pain by body part ({first.label} to {last.label}, oldest left)")
        self.query_one(PainTimelineView).show(pain, theme_colours(self.app.theme_variables, self.app.theme))

    def _trends(self, progress: Progress, unit: str) -> None:
        first, last = progress.trend[0], progress.trend[-1]
        self.query_one("#trend-title", Static).update(f"12-week trends ({first.label} to {last.label}, "
                                                      "oldest left)")
        for index, line in enumerate(trend_lines(progress, unit)):
            row = self.query_one(f"#trend-{index}", Horizontal)
            row.query_one(".trend-label", Static).update(line.label)
            row.query_one(Sparkline).data = line.values
            row.query_one(".trend-value", Static).update(line.latest)

    def _days(self, progress: Progress, unit: str, goal: int) -> Table:
        table = Table(box=None, padding=(0, 1), header_style="bold", show_edge=False)
        for index, header in enumerate(DAY_COLUMNS):
            table.add_column(header.format(unit=unit), justify="left" if index == 0 else "right", no_wrap=True)
        for day in progress.week.days:
            cells = day_cells(day, unit, lived=progress.lived(day.day))
            style = self._colour("warning") if day.sitting_minutes > goal else ""
            table.add_row(cells[0], Text(cells[1], style=style), *cells[2:])
        table.add_row(*day_cells(progress.week.totals, unit, "Week"), style="bold", end_section=False)
        table.add_row(*day_cells(progress.previous.totals, unit, "Last wk"), style=self._colour("muted"))
        return table

