"""The yardstick for start-up: a Textual app that paints one line and does nothing else."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App):
    def compose(self) -> ComposeResult:
        yield Static("A bare Textual app is ready")


if __name__ == "__main__":
    BareApp().run()
