"""A row of small boxes, each a label over a value, drawn by one widget."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.style import Style
from textual.widget import Widget


class StatBoxes(Widget):
    """Today's five numbers in rounded boxes of equal width.

    Made of containers, a box and its two lines, the row was 16 of Today's widgets, and
    laying out and painting them a third of the app's start (benchmarks/RESULTS.md,
    "Start-up"). Drawn here as four lines of text, it is one."""

    COMPONENT_CLASSES = {"stat-boxes--border", "stat-boxes--label", "stat-boxes--value"}
    DEFAULT_CSS = """
    StatBoxes { height: 4; width: 1fr; }
    StatBoxes > .stat-boxes--border { color: $primary 50%; }
    StatBoxes > .stat-boxes--label { color: $text-muted; }
    StatBoxes > .stat-boxes--value { text-style: bold; }
    """

    def __init__(self, labels: dict[str, str], **kwargs) -> None:
        super().__init__(**kwargs)
        self._labels = dict(labels)  # key: label, in the order shown
        self._values = dict.fromkeys(labels, "")

    def show(self, key: str, value: str) -> None:
        if self._values[key] != value:
            self._values[key] = value
            self.refresh()

    def value(self, key: str) -> str:
        return self._values[key]

    def render(self) -> Content:
        widths = box_widths(self.size.width, len(self._labels))
        # Component styles, with their colours mixed over the background as CSS would.
        border, label_style, value_style = (self.get_visual_style(f"stat-boxes--{part}")
                                            for part in ("border", "label", "value"))
        rows: list[list[Content]] = [[], [], [], []]
        for width, (key, label) in zip(widths, self._labels.items()):
            for row, line in zip(rows, _box(width, label, self._values[key], border, label_style, value_style)):
                row.append(line)
        return Content("\n").join(Content.assemble(*row) for row in rows)


def box_widths(total: int, boxes: int) -> list[int]:
    """Equal shares of `total` cells, the spare ones given to the first boxes."""
    share, spare = divmod(max(total, 0), boxes)
    return [share + (1 if index < spare else 0) for index in range(boxes)]


def _box(width: int, label: str, value: str, border: Style, label_style: Style, value_style: Style) -> list[Content]:
    if width < 5:  # too narrow for a border and a letter: a blank keeps the others in place
        return [Content(" " * width)] * 4
    inner = width - 4  # border and one cell of padding each side
    edge = "─" * (width - 2)
    return [
        Content.assemble((f"╭{edge}╮", border)),
        _boxed_line(label, inner, border, label_style),
        _boxed_line(value, inner, border, value_style),
        Content.assemble((f"╰{edge}╯", border)),
    ]


def _boxed_line(text: str, inner: int, border: Style, style: Style) -> Content:
    if cell_len(text) > inner:  # cut, and said to be cut
        text = set_cell_size(text, inner - 1) + "…"
    return Content.assemble(("│ ", border), (set_cell_size(text, inner), style), (" │", border))
