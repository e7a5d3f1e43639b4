"""The yardstick for start-up: a Textual app that paints one line and does nothing else.

With --with-glutetui-imports it first imports what glutetui imports before its first
paint, which splits glutetui's start-up into imports and everything after them.
"""

import sys

if "--with-glutetui-imports" in sys.argv:
    import glutetui.cli  # noqa: F401
    import glutetui.ui.app  # noqa: F401

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App):
    def compose(self) -> ComposeResult:
        yield Static("A bare Textual app is ready")


if __name__ == "__main__":
    BareApp().run()
