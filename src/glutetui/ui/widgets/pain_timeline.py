"""Pain by body part and side on the Progress tab: a row per part and side that ached, a
column per trend week, each cell the week's worst score on the run and the next morning.

The rows, cells and flag reasons come from domain.pain_timeline, the same ones
`glutetui report --html` draws; this widget only lays them out as text. The score is
written in every cell, so the zone colours are a help, never the only sign.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from glutetui.domain.display_text import visible_text
from glutetui.domain.pain_timeline import PainTimeline
from glutetui.domain.progress import week_label
from glutetui.domain.wording import counted

LABEL_MAX = 16
EMPTY = "·"
REASONS_SHOWN = 3  # days a reason lists before "and N more": one line at 80 columns


def timeline_text(timeline: PainTimeline, colours: dict[str, str]) -> Text:
    """The whole timeline as one Text; `colours` maps "safe", "acceptable", "too much",
    "muted" and "warning" to styles."""
    if not timeline.rows:
        return Text(f"No aches logged in the {counted(len(timeline.weeks), 'week')} shown.", style=colours.get("muted", ""))
    labels = [visible_text(row.short_label, one_line=True, limit=LABEL_MAX) for row in timeline.rows]
    label_width = min(LABEL_MAX, max(len(label) for label in labels))
    cells = [timeline.cells(row) for row in timeline.rows]
    width = max([4] + [len(cell.text) + 1 for row in cells for cell in row if cell is not None])
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(" " * label_width)
    for start in timeline.weeks:
        out.append(week_label(start)[-3:].rjust(width), style="bold")
    for row, label, row_cells in zip(timeline.rows, labels, cells):
        out.append("\n")
        out.append(_fit(label, label_width))
        for cell in row_cells:
            if cell is None:
                out.append(EMPTY.rjust(width), style=colours.get("muted", ""))
            else:
                out.append(" " * (width - len(cell.text)))
                out.append(cell.text, style=f"bold {colours.get(cell.zone, '')}".strip())
        for line in row.reason_lines(REASONS_SHOWN):
            out.append("\n  ")
            out.append(f"! {line}", style=colours.get("warning", ""))
    return out


def _fit(label: str, width: int) -> str:
    return label.ljust(width) if len(label) <= width else label[: width - 1] + "…"


class PainTimelineView(Static):
    """Shown once a timeline is given; the key below it says how to read a cell."""

    DEFAULT_CSS = """
    PainTimelineView { height: auto; }
    """

    def show(self, timeline: PainTimeline | None, colours: dict[str, str]) -> None:
        self.display = timeline is not None
        if timeline is None:
            return
        key = Text("\n4›2: worst 4/10 during or after a run that week, 2/10 the next morning; "
                   "0-2 safe, 3-5 acceptable if settled by the morning, 6+ too much.", style=colours.get("muted", ""))
        self.update(Text.assemble(timeline_text(timeline, colours), key))
