"""The big countdown: a Digits that shows whole seconds left as M:SS."""

from __future__ import annotations

import math

from textual.widgets import Digits


def clock_text(seconds: float) -> str:
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


class Countdown(Digits):
    DEFAULT_CSS = """
    Countdown { width: auto; color: $accent; }
    Countdown.-paused { color: $text-muted; }
    """

    def show_seconds(self, seconds: float) -> None:
        text = clock_text(seconds)
        if text != self.value:  # repaint only when the shown second changes
            self.update(text)
