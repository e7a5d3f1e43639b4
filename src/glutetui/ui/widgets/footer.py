"""The key bar at the bottom of the main screen, drawn by one widget."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget

from glutetui.domain.record import record

SEPARATOR = "▏"  # between the app's keys and the palette's, as Textual's footer draws it
DISABLED = Style(dim=True)


@record
class Key:
    """One key as the bar shows it; a group's keys share one description."""

    key: str  # what a click presses
    display: str  # how the key is written, e.g. "^p" or "⏎"
    action: str
    enabled: bool
    tooltip: str


@record
class Item:
    """What the bar shows for one action, or for a group of keys ("12345 Tabs")."""

    keys: tuple[Key, ...]
    description: str
    action: str  # the first key's: what `spare` names

    @property
    def cells(self) -> int:
        return cell_len(self.text())

    def text(self) -> str:
        return " " + "".join(key.display for key in self.keys) + (f" {self.description}" if self.description else "") + " "


class KeyFooter(Widget):
    """The keys that apply now, each clickable, on one line.

    Textual's Footer is a widget per key (16 on Today), which made a fifth of the start
    after imports (benchmarks/RESULTS.md, "Start-up"), and rebuilt every key on each focus
    move and tab switch. This one is a single line of text, remade only when the keys it
    shows change, with a burst of changes (a tab switch moves focus too) made once.

    Where the keys do not all fit (80 columns), the ones named in `spare` are left out,
    first named first, until the rest fit whole: a key cut to 'w W' helps nobody, and `?`
    lists every key. The palette's key stays at the right end.
    """

    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description", "key-footer--hover",
                         "key-footer--separator"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyFooter > .key-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyFooter > .key-footer--hover { background: $block-hover-background; }
    KeyFooter > .key-footer--separator { color: $foreground 20%; }
    """

    def __init__(self, spare: Iterable[str] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        self.spare = tuple(spare)  # actions, as bound
        self._items: tuple[Item, ...] = ()
        self._palette: Item | None = None
        self._rebuild_due = False
        self._hover: Key | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.call_after_refresh(self.rebuild)  # the screen may have bound its keys before we listened

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen or self._rebuild_due:
            return
        self._rebuild_due = True
        self.call_after_refresh(self.rebuild)

    def rebuild(self) -> None:
        """Read the screen's keys again; repaint only if they changed."""
        self._rebuild_due = False
        items, palette = self._read_keys()
        if (items, palette) != (self._items, self._palette):
            self._items, self._palette = items, palette
            self.refresh()

    def _read_keys(self) -> tuple[tuple[Item, ...], Item | None]:
        bindings = self.screen.active_bindings
        by_action: dict[str, list[tuple[Binding, bool, str]]] = {}
        for _node, binding, enabled, tooltip in bindings.values():
            if binding.show:
                by_action.setdefault(binding.action, []).append((binding, enabled, tooltip))
        items = []
        firsts = [found[0] for found in by_action.values()]  # an action's first key, as Footer shows
        for group, members in groupby(firsts, lambda found: found[0].group):
            members = list(members)
            if group is not None and len(members) > 1:
                keys = tuple(self._key(*found) for found in members)
                items.append(Item(keys, group.description, keys[0].action))
            else:
                items.extend(Item((self._key(*found),), found[0].description, found[0].action) for found in members)
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and (found := bindings.get(self.app.COMMAND_PALETTE_BINDING)):
            _node, binding, enabled, tooltip = found
            palette = Item((self._key(binding, enabled, tooltip),), binding.description, binding.action)
        return tuple(items), palette

    def _key(self, binding: Binding, enabled: bool, tooltip: str) -> Key:
        return Key(binding.key, self.app.get_key_display(binding), binding.action, enabled,
                   tooltip or binding.description)

    def shown(self) -> list[Item]:
        """The items that fit the width, in order; the palette's last."""
        room = self.size.width - (self._palette.cells + 1 if self._palette else 0)
        items = list(self._items)
        needed = sum(item.cells for item in items)
        for action in self.spare:
            if needed <= room:
                break
            for item in [item for item in items if item.action == action]:
                items.remove(item)
                needed -= item.cells
        return items + ([self._palette] if self._palette else [])

    def render(self) -> Content:
        key_style, description_style, hover, separator = (
            self.get_visual_style(f"key-footer--{part}") for part in ("key", "description", "hover", "separator"))
        parts: list[tuple[str, Style] | str] = []
        used = 0
        for item in self.shown():
            if item is self._palette:
                gap = max(0, self.size.width - used - item.cells - 1)
                parts += [" " * gap, (SEPARATOR, separator)]
                used += gap + 1
            lit = any(key is self._hover for key in item.keys)
            gap_style = hover if lit else ""  # gaps apart from the words: an SVG export keeps them
            parts.append((" ", gap_style))
            for key in item.keys:
                style = key_style + hover if key is self._hover else key_style
                parts.append((key.display, style if key.enabled else style + DISABLED))
            if item.description:
                parts += [(" ", gap_style), (item.description, description_style + hover if lit else description_style)]
            parts.append((" ", gap_style))
            used += item.cells
        return Content.assemble(*parts).truncate(self.size.width)

    def key_at(self, x: int) -> Key | None:
        """The key drawn at column `x`; a click on a description presses its item's first key."""
        used = 0
        for item in self.shown():
            if item is self._palette:
                used = self.size.width - item.cells
            start, end = used, used + item.cells
            if start <= x < end:
                offset = start + 1
                for key in item.keys:
                    if offset <= x < offset + cell_len(key.display):
                        return key
                    offset += cell_len(key.display)
                return item.keys[0]
            used = end
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self.key_at(event.x)
        if key is not self._hover:
            self._hover = key
            self.tooltip = key.tooltip if key else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self.key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
