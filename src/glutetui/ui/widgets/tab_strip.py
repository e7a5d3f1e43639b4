"""The tab names above the main screen's panes, and the line under them, drawn by one widget."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

BAR = "━"


class TabStrip(Widget, can_focus=True):
    """One line of tab names and a line under them that marks the tab shown.

    Textual's TabbedContent draws the same with a dozen widgets (a scroll container, a
    row, a widget per tab, the underline), which with the content switcher were half the
    widgets laid out before Today's first paint and a fifth of the start after imports
    (benchmarks/RESULTS.md, "Start-up"). This one is two lines of text; the screen shows
    the pane that goes with `active` (MainScreen.show_tab).

    A click on a name, or left/right while the strip has focus, posts `Chosen`.
    """

    COMPONENT_CLASSES = {"tab-strip--tab", "tab-strip--active", "tab-strip--hover", "tab-strip--bar",
                         "tab-strip--bar-active"}
    DEFAULT_CSS = """
    TabStrip {
        height: 2;
        width: 1fr;
    }
    TabStrip > .tab-strip--tab { color: $foreground 50%; }
    TabStrip > .tab-strip--active { color: $foreground; }
    TabStrip > .tab-strip--hover { color: $foreground; }
    TabStrip > .tab-strip--bar { color: $foreground 10%; }
    TabStrip > .tab-strip--bar-active { color: $block-cursor-background; }
    TabStrip:focus > .tab-strip--active {
        text-style: $block-cursor-text-style;
        color: $block-cursor-foreground;
        background: $block-cursor-background;
    }
    TabStrip:focus > .tab-strip--bar { color: $foreground 30%; }
    TabStrip:ansi > .tab-strip--tab { text-style: dim; }
    TabStrip:ansi > .tab-strip--active { text-style: not dim bold; }
    TabStrip:ansi > .tab-strip--bar { color: $border-blurred; }
    """
    BINDINGS = [
        Binding("left", "step(-1)", "Previous tab", show=False),
        Binding("right", "step(1)", "Next tab", show=False),
    ]

    class Chosen(Message):
        """The runner picked a tab here: the screen shows it."""

        def __init__(self, tab_id: str) -> None:
            super().__init__()
            self.tab_id = tab_id

    def __init__(self, tabs: dict[str, str], active: str, **kwargs) -> None:
        """`tabs` maps each tab's id to its name, in the order shown."""
        super().__init__(**kwargs)
        self.tabs = dict(tabs)
        self._active = active
        self._hover: str | None = None

    @property
    def active(self) -> str:
        return self._active

    @active.setter
    def active(self, tab_id: str) -> None:
        if tab_id != self._active:
            self._active = tab_id
            self.refresh()

    def spans(self) -> list[tuple[str, int, int]]:
        """(tab id, first column, column after) of each name as drawn, a space either side."""
        found, used = [], 0
        for tab_id, name in self.tabs.items():
            width = cell_len(name) + 2
            found.append((tab_id, used, used + width))
            used += width
        return found

    def tab_at(self, x: int, y: int = 0) -> str | None:
        """The tab whose name (or the line under it) is drawn at column `x`."""
        if y > 1:
            return None
        return next((tab_id for tab_id, start, end in self.spans() if start <= x < end), None)

    def render(self) -> Content:
        tab, active, hover, bar, bar_active = (
            self.get_visual_style(f"tab-strip--{part}") for part in ("tab", "active", "hover", "bar", "bar-active"))
        names: list[tuple[str, object]] = []
        lit = (0, 0)  # the columns under the shown tab's name
        for tab_id, start, end in self.spans():
            style = active if tab_id == self._active else (hover if tab_id == self._hover else tab)
            names += [(" ", style), (self.tabs[tab_id], style), (" ", style)]  # apart: an SVG export keeps the spaces
            if tab_id == self._active:
                lit = (start, end)
        width = self.size.width
        under = Content.assemble((BAR * lit[0], bar), (BAR * (lit[1] - lit[0]), bar_active),
                                 (BAR * max(0, width - lit[1]), bar))
        return Content.assemble(*names).truncate(width).append("\n").append(under.truncate(width))

    def action_step(self, step: int) -> None:
        order = list(self.tabs)
        here = order.index(self._active) if self._active in order else 0
        self.post_message(self.Chosen(order[(here + step) % len(order)]))

    def on_click(self, event: events.Click) -> None:
        if (tab_id := self.tab_at(event.x, event.y)) is not None:
            self.post_message(self.Chosen(tab_id))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        tab_id = self.tab_at(event.x, event.y)
        if tab_id != self._hover:
            self._hover = tab_id
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()
