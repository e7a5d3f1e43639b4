"""The page `glutetui report --html` writes: one self-contained HTML file for a physio or coach.

Inline CSS and SVG only: no script runs, nothing is fetched, so it opens offline and in a
mail attachment viewer alike. It prints on A4 portrait with no chart cut across a page,
and reads in greyscale: pain zones are told apart by fill pattern and by the score written
in each mark, not by colour alone. Every text from the database is escaped; the embedded
numbers are JSON in which `<`, `>` and `&` are written as \\u escapes, so no note can end
the script element that holds them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from html import escape

from glutetui.domain.display_text import visible_text
from glutetui.domain.pain_timeline import PainRow
from glutetui.domain.run_flags import PHASES, pain_zone
from glutetui.domain.run_input import distance_text as run_distance_text
from glutetui.domain.run_input import duration_text
from glutetui.domain.wording import counted
from glutetui.services.progress import distance, minutes_text
from glutetui.services.report_page import ReportPage, page_data, shows_note

WIDTH = 680  # the SVG's own units: about the width of A4 portrait inside the margins, at 96 px an inch
LABEL_WIDTH = 128
ZONE_CLASS = {"safe": "z-safe", "acceptable": "z-ok", "too much": "z-high"}
PHASE_WORDS = {"during": "during", "after": "after", "next_morning": "next morning"}
NOTE_LIMIT = 300  # characters of a note on the page; the whole note is in the embedded data and the app

STYLE = """
:root { --ink: #1d1d1d; --muted: #5f5f5f; --rule: #c8c8c8; --bar: #4d6f9c; --safe: #2f7d32;
        --ok: #b77900; --high: #b3261e; }
* { box-sizing: border-box; }
body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
       color: var(--ink); background: #fff; max-width: 760px; margin: 0 auto; padding: 18px; }
header { border-bottom: 2px solid var(--ink); padding-bottom: 6px; margin-bottom: 8px; }
h1 { font-size: 21px; margin: 0 0 2px; }
h2 { font-size: 15px; margin: 16px 0 4px; break-after: avoid; page-break-after: avoid; }
p { margin: 3px 0; }
.meta, .muted { color: var(--muted); }
.meta { margin: 0; font-size: 12px; }
section { margin-top: 6px; }
figure, .keep { margin: 4px 0 6px; break-inside: avoid; page-break-inside: avoid; }
figcaption, .caption { font-size: 11px; color: var(--muted); }
table.pain { break-before: avoid; page-break-before: avoid; break-inside: auto; page-break-inside: auto; }
table.pain td { padding: 0; border: 0; }
table.pain tr { break-inside: avoid; page-break-inside: avoid; }
svg { display: block; width: 100%; height: auto; }
svg text { font-family: inherit; fill: var(--ink); }
svg .small { font-size: 9px; }
svg .label { font-size: 11px; }
svg .muted { fill: var(--muted); }
svg .grid { stroke: #e2e2e2; stroke-width: 1; }
svg .axis { stroke: #9a9a9a; stroke-width: 1; }
svg .bar { fill: var(--bar); }
svg .longest { stroke: var(--ink); stroke-width: 2; }
svg .goal { stroke: var(--high); stroke-width: 1.5; stroke-dasharray: 5 3; }
svg .mark { stroke-width: 1.2; }
svg .z-safe { fill: #fff; stroke: var(--safe); }
svg .z-ok { fill: url(#hatch); stroke: var(--ok); }
svg .z-high { fill: var(--high); stroke: var(--high); }
svg .score { font-size: 9px; font-weight: 600; text-anchor: middle; paint-order: stroke; stroke: #fff;
             stroke-width: 2.2px; stroke-linejoin: round; }
svg .on-high { fill: #fff; stroke: none; }
table { border-collapse: collapse; width: 100%; font-size: 11px; font-variant-numeric: tabular-nums;
        break-inside: avoid; page-break-inside: avoid; }
th, td { padding: 2px 4px; border-bottom: 1px solid var(--rule); text-align: right; vertical-align: top; }
th { font-weight: 600; }
th:first-child, td:first-child { text-align: left; white-space: nowrap; }
th.text, td.text { text-align: left; }
.note { white-space: pre-wrap; overflow-wrap: anywhere; }
.legend { font-size: 11px; color: var(--muted); }
.legend svg { display: inline-block; width: auto; vertical-align: -2px; }
#notes table { break-inside: auto; page-break-inside: auto; }
#notes tr { break-inside: avoid; page-break-inside: avoid; }
@page { size: A4 portrait; margin: 12mm 12mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  h2 { margin-top: 10px; }
}
"""

# The hatching of the 3-5 zone, defined once for every chart on the page.
PATTERNS = ('<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
            '<pattern id="hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            '<rect width="4" height="4" fill="#fff"/><line x1="0" y1="0" x2="0" y2="4" stroke="#d08a00" '
            'stroke-width="2.2"/></pattern></defs></svg>')


def text(value: str, limit: int = NOTE_LIMIT) -> str:
    """Text from the database, as the page may hold it: control characters written out, escaped."""
    return escape(visible_text(value, limit=limit))


def script_json(data: dict) -> str:
    """JSON for inside <script>: `<`, `>` and `&` as \\u escapes (valid JSON, and the HTML
    parser never sees a `</script>` or a comment start in it); every other character past
    ASCII escaped too, so no control character reaches the file."""
    return (json.dumps(data, indent=1, ensure_ascii=True)
            .replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def render_page(page: ReportPage) -> str:
    data = page_data(page)
    unit = page.settings.units
    made = page.made_at.astimezone(page.zone)
    title = f"Pain, load and sitting: {data['first_week']} to {data['last_week']}"
    span = f"{page.first:%-d %b %Y} to {page.last:%-d %b %Y}"
    notes_line = "The runner's notes on runs that ached are at the end." if page.notes else \
        "The runner's notes were left out of this page."
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # No network: a policy that lets the page load nothing but what is inside it.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:\">",
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        PATTERNS,
        "<header>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{counted(len(page.weeks), "week")}, {escape(span)} · distances in {escape(unit)} · '
        f"made {made:%Y-%m-%d %H:%M} by glutetui {escape(data['app_version'])}</p>",
        '<p class="meta">From the runner\'s own log: pain scores are 0-10 as felt, during or after a run and '
        "the next morning. Flags are information to talk about, not a diagnosis. " + escape(notes_line) + "</p>",
        "</header>",
        pain_section(page),
        load_section(page, data, unit),
        warmup_section(data),
        sitting_section(page, data),
    ]
    if page.notes:
        parts.append(notes_section(page))
    parts += [
        f'<script type="application/json" id="report-data">\n{script_json(data)}\n</script>',
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


# ---- pain by body part ------------------------------------------------------------------

ROW_MARKS = 34  # a row's two lines of marks: the run, the next morning
REASON_LINE = 12
REASON_DAYS = 4  # days a reason line lists before "and N more"
HEADER = 16
MARK = 13
MIN_WRITTEN = 9  # narrowest mark with its score written in it
WEEKS_PER_TABLE = 13  # a quarter: as many week columns as A4 portrait holds legibly


def pain_section(page: ReportPage) -> str:
    """A table of row charts under a header of week names: on paper a long list of parts
    breaks between rows, never through one, and the header comes again on the next page."""
    timeline = page.timeline
    head = ['<section id="pain"><div class="keep"><h2>Pain by body part</h2>']
    if not timeline.rows:
        head.append("<p>No aches were logged in these weeks.</p></div></section>")
        return "\n".join(head)
    head.append('<p class="legend">Each run that ached: the worst score during or after it (square) and the '
                f"next morning (round). {legend_swatches()}</p></div>")
    column = (WIDTH - LABEL_WIDTH - 4) / len(timeline.weeks)
    rows = "".join(f"<tr><td>{pain_row_svg(row, len(timeline.weeks), column)}</td></tr>" for row in timeline.rows)
    return "\n".join([
        *head,
        f'<table class="pain"><thead><tr><td>{weeks_header_svg(page, column)}</td></tr></thead>'
        f"<tbody>{rows}</tbody></table>",
        '<p class="caption">Weeks oldest left; W numbers are ISO weeks. A flag\'s reason under a row names the '
        "days of the runs it was raised on.</p></section>",
    ])


def week_lines(count: int, column: float, height: float) -> str:
    return "".join(f'<line class="grid" x1="{LABEL_WIDTH + index * column:.1f}" y1="0" '
                   f'x2="{LABEL_WIDTH + index * column:.1f}" y2="{height:.1f}"/>' for index in range(count))


def weeks_header_svg(page: ReportPage, column: float) -> str:
    named = labelled(len(page.weeks))
    labels = "".join(
        f'<text class="small muted" x="{min(LABEL_WIDTH + (index + 0.5) * column, WIDTH - 10):.1f}" y="11" '
        f'text-anchor="middle">{escape(progress.week.label[-3:])}</text>'
        for index, progress in enumerate(page.weeks) if named[index])
    return (f'<svg viewBox="0 0 {WIDTH} {HEADER}" aria-hidden="true">{week_lines(len(page.weeks), column, HEADER)}'
            f"{labels}</svg>")


def legend_swatches() -> str:
    items = []
    for zone, words in (("safe", "0-2 safe"), ("acceptable", "3-5 acceptable if settled by the next morning"),
                        ("too much", "6+ too much")):
        items.append(f'<svg width="14" height="12" viewBox="0 0 14 12">'
                     f'<rect class="mark {ZONE_CLASS[zone]}" x="1" y="1" width="12" height="10"/></svg> '
                     f"{escape(words)}")
    return " ".join(items)


def pain_row_svg(row: PainRow, weeks: int, column: float) -> str:
    reasons = row.reason_lines(REASON_DAYS)
    height = ROW_MARKS + REASON_LINE * len(reasons) + 6
    pieces = [week_lines(weeks, column, height),
              f'<text class="label" x="0" y="12">{text(row.label, 40)}</text>',
              f'<text class="small muted" x="0" y="25">worst {row.worst}/10, '
              f"{counted(len(row.marks), 'run')}</text>"]
    by_week: dict[int, list] = {}
    for mark in row.marks:
        by_week.setdefault(mark.week, []).append(mark)
    for week, marks in by_week.items():
        slot = min(MARK + 2, (column - 2) / len(marks))
        for number, mark in enumerate(marks):
            x = LABEL_WIDTH + week * column + 2 + number * slot
            where = (f"{row.label}, {mark.day:%a %-d %b %Y}: "
                     + ", ".join(f"{PHASE_WORDS[phase]} {score}/10" for phase, score in
                                 (("during", mark.during), ("after", mark.after),
                                  ("next_morning", mark.next_morning)) if score is not None))
            pieces.append(f"<g><title>{text(where, 200)}</title>")
            if mark.on_the_run is not None:
                pieces.append(_mark(x, 2, slot - 1, mark.on_the_run, rounded=False))
            if mark.next_morning is not None:
                pieces.append(_mark(x, 18, slot - 1, mark.next_morning, rounded=True))
            pieces.append("</g>")
    for number, line in enumerate(reasons):
        pieces.append(f'<text class="small" x="{LABEL_WIDTH}" y="{ROW_MARKS + 8 + number * REASON_LINE:.1f}">'
                      f"&#9873; {text(line, 300)}</text>")
    pieces.append(f'<line class="axis" x1="0" y1="{height - 1:.1f}" x2="{WIDTH}" y2="{height - 1:.1f}" '
                  'stroke-dasharray="1 3"/>')
    scores = ", ".join(f"{mark.day:%-d %b} {mark.worst}/10" for mark in row.marks)
    return (f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{text(f"{row.label}: {scores}", 2000)}">'
            f"{''.join(pieces)}</svg>")


def _mark(x: float, y: float, width: float, score: int, rounded: bool) -> str:
    zone = ZONE_CLASS[pain_zone(score)]
    corner = f' rx="{MARK / 2}"' if rounded else ""
    writing = "score on-high" if zone == "z-high" else "score"
    width = max(width, 3)
    box = f'<rect class="mark {zone}" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{MARK}"{corner}/>'
    if width < MIN_WRITTEN:  # a long span: the fill tells the zone, the mark's title the score
        return box
    return box + f'<text class="{writing}" x="{x + width / 2:.1f}" y="{y + 10:.1f}">{score}</text>'


def labelled(count: int) -> list[bool]:
    """Which of `count` weeks get their name under a chart: all up to 13, else every few,
    ending with the last."""
    step = -(-count // WEEKS_PER_TABLE)
    return [(count - 1 - index) % step == 0 for index in range(count)]


# ---- bar charts ---------------------------------------------------------------------------

CHART_HEIGHT = 150
CHART_TOP = 18
CHART_BOTTOM = 22
AXIS_WIDTH = 58  # room for "goal 6:00" beside the axis


def bar_chart(values: Sequence[float | None], labels: Sequence[str], value_text: Callable[[float], str], *,
              description: str, overlay: Sequence[float | None] = (), over_bar: Sequence[str] = (),
              goal: float | None = None, goal_text: str = "") -> str:
    """Bars by week with each value written over its bar. `overlay`: a thick line across a
    bar at that value (the week's longest run); `over_bar`: a word above the value; `goal`:
    a dashed line across the chart."""
    top = max([value or 0 for value in values] + [value or 0 for value in overlay] + [goal or 0]) or 1
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    column = (WIDTH - AXIS_WIDTH) / len(values)
    bar_width = min(34.0, column * 0.6)

    def y_of(value: float) -> float:
        return CHART_TOP + plot_height * (1 - value / top)

    pieces = [f'<line class="axis" x1="{AXIS_WIDTH}" y1="{y_of(0):.1f}" x2="{WIDTH}" y2="{y_of(0):.1f}"/>',
              f'<text class="small muted" x="{AXIS_WIDTH - 4}" y="{y_of(0) + 3:.1f}" text-anchor="end">0</text>']
    if goal is None or y_of(goal) - y_of(top) > 12:  # else the goal's own label stands there
        pieces.append(f'<text class="small muted" x="{AXIS_WIDTH - 4}" y="{y_of(top) + 3:.1f}" text-anchor="end">'
                      f"{escape(value_text(top))}</text>")
    named = labelled(len(values))
    written = column >= 30  # room to write each bar's value over it
    for index, value in enumerate(values):
        middle = AXIS_WIDTH + column * (index + 0.5)
        if named[index]:
            pieces.append(f'<text class="small muted" x="{min(middle, WIDTH - 10):.1f}" y="{CHART_HEIGHT - 6}" '
                          f'text-anchor="middle">{escape(labels[index])}</text>')
        if value is None:
            if written:
                pieces.append(f'<text class="small muted" x="{middle:.1f}" y="{y_of(0) - 4:.1f}" '
                              'text-anchor="middle">-</text>')
            continue
        height = y_of(0) - y_of(value)
        pieces.append(f'<rect class="bar" x="{middle - bar_width / 2:.1f}" y="{y_of(value):.1f}" '
                      f'width="{bar_width:.1f}" height="{height:.1f}"/>')
        if index < len(overlay) and overlay[index]:
            level = y_of(overlay[index])
            pieces.append(f'<line class="longest" x1="{middle - bar_width / 2 - 3:.1f}" y1="{level:.1f}" '
                          f'x2="{middle + bar_width / 2 + 3:.1f}" y2="{level:.1f}"/>')
        label_y = min(y_of(value), y_of(overlay[index]) if index < len(overlay) and overlay[index] else CHART_HEIGHT)
        if written:
            pieces.append(f'<text class="small" x="{middle:.1f}" y="{label_y - 3:.1f}" text-anchor="middle">'
                          f"{escape(value_text(value))}</text>")
        if written and index < len(over_bar) and over_bar[index]:
            pieces.append(f'<text class="small" x="{middle:.1f}" y="{label_y - 13:.1f}" text-anchor="middle" '
                          f'font-weight="600">{escape(over_bar[index])}</text>')
    if goal is not None:
        # On the axis, where no bar's value is written.
        pieces.append(f'<line class="goal" x1="{AXIS_WIDTH}" y1="{y_of(goal):.1f}" x2="{WIDTH}" y2="{y_of(goal):.1f}"/>'
                      f'<text class="small" x="{AXIS_WIDTH - 4}" y="{y_of(goal) + 3:.1f}" text-anchor="end">'
                      f"{escape(goal_text)}</text>")
    return (f'<svg viewBox="0 0 {WIDTH} {CHART_HEIGHT}" role="img" aria-label="{escape(description)}">'
            f"{''.join(pieces)}</svg>")


def week_table(labels: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]]) -> str:
    """Weeks across, one measure a row; a table for each 13 weeks of a longer span. The
    numbers of a chart too narrow to write them on are here."""
    tables = []
    for first in range(0, len(labels), WEEKS_PER_TABLE):
        part = slice(first, first + WEEKS_PER_TABLE)
        head = "".join(f"<th>{escape(label)}</th>" for label in labels[part])
        body = "".join(f"<tr><td>{escape(name)}</td>{''.join(f'<td>{escape(cell)}</td>' for cell in cells[part])}</tr>"
                       for name, cells in rows)
        tables.append(f'<table><thead><tr><th>Week</th>{head}</tr></thead><tbody>{body}</tbody></table>')
    return "".join(tables)


def short_labels(data: dict) -> list[str]:
    return [week["week"][-3:] for week in data["weeks"]]


# ---- load -------------------------------------------------------------------------------

def load_section(page: ReportPage, data: dict, unit: str) -> str:
    weeks, extra = data["weeks"], data["per_week"]
    km = [week["totals"]["distance_km"] for week in weeks]
    in_unit = [distance(value * 1000, unit) for value in km]
    longest = [distance(item["longest_run_km"] * 1000, unit) for item in extra]
    spikes = [f"▲{item['spike_runs']}" if item["spike_runs"] else "" for item in extra]
    chart = bar_chart(in_unit, short_labels(data), lambda value: f"{value:.1f}", overlay=longest, over_bar=spikes,
                      description=f"Distance per week in {unit}, with the longest run of each week")
    table = week_table(short_labels(data), [
        ("Runs", [str(week["totals"]["runs"]) for week in weeks]),
        (f"Distance {unit}", [f"{value:.1f}" for value in in_unit]),
        (f"Longest {unit}", [f"{value:.1f}" if value else "-" for value in longest]),
        ("Spikes", [str(item["spike_runs"]) for item in extra]),
        ("RPE (runs)", [f"{item['rpe_mean']:.1f} ({item['rpe_runs']})" if item["rpe_mean"] is not None else "-"
                        for item in extra]),
    ])
    spiky = [item for item in page.runs if any(flag.kind == "long_run" for flag in item.flags)]
    if spiky:
        lines = "".join(
            f"<tr><td>{item.run.started_at.astimezone(page.zone):%a %-d %b}</td>"
            f"<td>{escape(run_distance_text(item.run.distance_m, unit))}</td>"
            f"<td>{escape(duration_text(item.run.duration_s))}</td>"
            f"<td>{item.run.rpe if item.run.rpe is not None else '-'}</td>"
            f'<td class="text">{escape(next(flag.label for flag in item.flags if flag.kind == "long_run"))}</td></tr>'
            for item in spiky)
        spikes_table = ('<div class="keep"><p>Single-run spikes: runs longer than the longest of the 30 days '
                        "before them by 10 % or more, which carries more injury risk the bigger the jump.</p>"
                        "<table><thead><tr><th>Day</th><th>Distance</th><th>Time</th><th>RPE</th>"
                        f'<th class="text">Against the month before</th></tr></thead><tbody>{lines}</tbody></table></div>')
    else:
        spikes_table = "<p>No run was 10 % or more longer than the longest of the 30 days before it.</p>"
    return (f'<section id="load"><div class="keep"><h2>Load</h2><figure>{chart}<figcaption>Bars: distance in the '
            f"week ({escape(unit)}); black line: the week's longest run; ▲n: runs that were single-run spikes. RPE: "
            f"how hard runs felt, 1-10, where given.</figcaption></figure></div><div class=\"keep\">{table}</div>"
            f"{spikes_table}</section>")


# ---- warm-ups ----------------------------------------------------------------------------

def warmup_section(data: dict) -> str:
    weeks = data["weeks"]
    shares = [week["totals"]["runs_warmed_up"] / week["totals"]["runs"] * 100 if week["totals"]["runs"] else None
              for week in weeks]
    runs = sum(week["totals"]["runs"] for week in weeks)
    warmed = sum(week["totals"]["runs_warmed_up"] for week in weeks)
    chart = bar_chart(shares, short_labels(data), lambda value: f"{value:.0f}%",
                      description="Share of runs after a full warm-up, by week")
    table = week_table(short_labels(data), [
        ("Warmed up", [f"{week['totals']['runs_warmed_up']} of {week['totals']['runs']}" for week in weeks]),
        ("Partial", [str(week["totals"]["warmups_partial"]) for week in weeks]),
    ])
    overall = (f"{warmed} of {counted(runs, 'run')} followed a full warm-up ({warmed / runs:.0%})." if runs
               else "No runs in these weeks.")
    insight = data["warmup_aches"]
    return (f'<section id="warmups"><div class="keep"><h2>Warm-ups</h2><p>{escape(overall)} '
            f'{escape(insight["text"])} <span class="muted">(n = {counted(insight["n"], "run")})</span></p>'
            f"<figure>{chart}<figcaption>Share of each week's runs that followed a full warm-up; "
            f'- : no runs that week.</figcaption></figure></div><div class="keep">{table}</div></section>')


# ---- sitting -----------------------------------------------------------------------------

def sitting_section(page: ReportPage, data: dict) -> str:
    weeks, extra = data["weeks"], data["per_week"]
    per_day = [item["sitting_minutes_per_workday"] / 60 if item["sitting_minutes_per_workday"] is not None
               else None for item in extra]
    goal = page.settings.sitting_goal_minutes
    chart = bar_chart(per_day, short_labels(data), lambda hours: minutes_text(round(hours * 60)),
                      goal=goal / 60, goal_text=f"goal {minutes_text(goal)}",
                      description="Sitting hours per tracked workday, by week")
    table = week_table(short_labels(data), [
        ("h:mm / workday", [minutes_text(item["sitting_minutes_per_workday"])
                            if item["sitting_minutes_per_workday"] is not None else "-" for item in extra]),
        ("Workdays", [str(item["workdays_tracked"]) for item in extra]),
        ("Longest bout", [minutes_text(week["totals"]["longest_bout_minutes"]) for week in weeks]),
        ("Breaks", [str(week["totals"]["breaks_taken"]) for week in weeks]),
        ("Skipped", [str(week["totals"]["reminders_skipped"]) for week in weeks]),
    ])
    days = escape(page.settings.working_hours)
    return (f'<section id="sitting"><div class="keep"><h2>Sitting</h2><figure>{chart}<figcaption>Mean sitting on '
            f"the workdays ({days}) the app was running; dashed line: the daily goal. Longest bout: the longest "
            "stretch sat without a break that week. Breaks: times up for a minute or more.</figcaption></figure>"
            f'</div><div class="keep">{table}</div></section>')


# ---- notes -------------------------------------------------------------------------------

def notes_section(page: ReportPage) -> str:
    rows = []
    for item in page.runs:
        run = item.run
        if not shows_note(run):
            continue
        felt = [ache for ache in run.aches if ache.score > 0]
        by_place: dict[tuple[str, str], list] = {}
        for ache in sorted(felt, key=lambda ache: PHASES.index(ache.phase) if ache.phase in PHASES else len(PHASES)):
            by_place.setdefault((ache.body_part, ache.side), []).append(ache)
        # "knee, left: after 4, next morning 5; lower back: during 3"
        aches = "; ".join(
            f"{PainRow(part, side, (), ()).label}: "
            + ", ".join(f"{PHASE_WORDS.get(ache.phase, ache.phase)} {ache.score}" for ache in found)
            for (part, side), found in by_place.items())
        rows.append(f"<tr><td>{run.started_at.astimezone(page.zone):%a %-d %b}</td>"
                    f'<td class="text">{text(aches, 300)}</td><td class="text note">{text(run.notes)}</td></tr>')
    if not rows:
        return ('<section id="notes"><h2>Notes on runs that ached</h2>'
                "<p>None of the runs that ached has a note.</p></section>")
    return ('<section id="notes"><h2>Notes on runs that ached</h2><table><colgroup><col style="width: 12%">'
            '<col style="width: 33%"><col></colgroup><thead><tr><th>Day</th>'
            '<th class="text">Aches (0-10)</th><th class="text">Note</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></section>")
