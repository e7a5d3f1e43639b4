"""The key bar at the bottom of the main screen."""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """Textual's Footer, rebuilt only when the keys it shows change, and never cut off.

    Textual's own rebuilds every key on each focus move and tab switch, restyling each
    key twice (about 40 style passes a key press here, a tenth of a Pilot test's time);
    mostly the keys are the very same. When they are, this one keeps what it shows.

    Where the keys do not all fit (80 columns), the ones named in `spare` are left out,
    first named first, until the rest fit whole: a key cut to 'w W' helps nobody, and `?`
    lists every key.
    """

    _shown: tuple | None = None
    _rebuild_due = False

    def __init__(self, spare: Iterable[str] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        self.spare = tuple(spare)  # actions, as bound

    def _keys(self, screen: Screen) -> tuple:
        # Every binding, shown or not: the palette's key is drawn from a hidden one.
        return tuple((binding.key, binding.description, binding.action, binding.show, enabled, tooltip)
                     for _node, binding, enabled, tooltip in screen.active_bindings.values())

    def bindings_changed(self, screen: Screen) -> None:
        # As Footer's, but a burst of changes (a tab switch moves focus too) is one rebuild,
        # not one each: three rebuilds of every key landed on the first window opened.
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen or self._rebuild_due:
            return
        self._rebuild_due = True
        self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_due = False
        if self._shown is not None and self._keys(self.screen) == self._shown:
            return
        await self.recompose()

    def compose(self):
        self._shown = self._keys(self.screen) if self._bindings_ready else None
        yield from super().compose()
        self._fit_soon()

    def on_resize(self, event: events.Resize) -> None:
        if self._shown is not None:
            for key in self.query_children(FooterKey):
                key.display = True  # measured afresh at the new width
            self._fit_soon()

    def _fit_soon(self, tries: int = 10) -> None:
        self.call_after_refresh(self._fit, tries)

    def _fit(self, tries: int) -> None:
        """Leave out spare keys until the others fit beside the palette's key.

        Measured on a layout with every key shown, in one go: the layout after hiding
        comes a refresh later."""
        if not self.is_attached:
            return
        keys = [child for child in self.children if not child.has_class("-command-palette")]
        if not all(child.display and child.virtual_region.height for child in keys):
            if tries > 0:  # not laid out yet (just composed or shown again)
                self._fit_soon(tries - 1)
            return
        palette = [child for child in self.children if child.has_class("-command-palette")]
        room = self.size.width - sum(key.outer_size.width for key in palette)
        needed = max((child.virtual_region_with_margin.right for child in keys), default=0)
        for action in self.spare:
            for key in keys:
                if needed > room and isinstance(key, FooterKey) and key.action == action:
                    key.display = False
                    needed -= key.virtual_region_with_margin.width
