"""The key bar at the bottom of the main screen."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer, rebuilt only when the keys it shows change.

    Textual's own rebuilds every key on each focus move and tab switch, restyling each
    key twice (about 40 style passes a key press here, a tenth of a Pilot test's time);
    mostly the keys are the very same. When they are, this one keeps what it shows.
    """

    _shown: tuple | None = None

    def _keys(self, screen: Screen) -> tuple:
        # Every binding, shown or not: the palette's key is drawn from a hidden one.
        return tuple((binding.key, binding.description, binding.action, binding.show, enabled, tooltip)
                     for _node, binding, enabled, tooltip in screen.active_bindings.values())

    def bindings_changed(self, screen: Screen) -> None:
        if self._shown is not None and self.is_attached and screen is self.screen and self._keys(screen) == self._shown:
            return
        super().bindings_changed(screen)

    def compose(self):
        self._shown = self._keys(self.screen) if self._bindings_ready else None
        yield from super().compose()
