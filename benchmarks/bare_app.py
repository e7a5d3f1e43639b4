"""The yardstick for start-up: a Textual app with a header, one line and a footer, nothing else.

Issue 21 names this the bare app: the frame every full-screen Textual app has, around one
Static. With --static-only it paints the one Static without header and footer, the
yardstick of the issue 9 figures in RESULTS.md.

With --with-glutetui-imports it first imports what glutetui imports before its first
paint, which splits glutetui's start-up into imports and everything after them.
"""

import sys

if "--with-glutetui-imports" in sys.argv:
    import glutetui.cli  # noqa: F401
    import glutetui.ui.app  # noqa: F401

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareApp(App):
    def compose(self) -> ComposeResult:
        static_only = "--static-only" in sys.argv
        if not static_only:
            yield Header()
        yield Static("A bare Textual app is ready")
        if not static_only:
            yield Footer()


if __name__ == "__main__":
    BareApp().run()
