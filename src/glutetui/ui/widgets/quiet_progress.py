"""A ProgressBar that changes only when told to."""

from __future__ import annotations

from textual import events
from textual.widgets import ProgressBar


class QuietProgressBar(ProgressBar):
    """ProgressBar without its once-a-second timer.

    Textual's ProgressBar calls its own update() every second to keep an ETA current. Ours
    show no ETA, yet each call counted a new ETA sample and repainted the bar, every second
    for half a minute after each change of progress: a third of what the app cost idle on
    Today (and the Warm-up tab's bar ticked even while hidden). Here the bar moves when
    update(progress=...) is called, and only then.
    """

    def on_mount(self, event: events.Mount) -> None:
        # Stops ProgressBar.on_mount, which starts the timer; what else it does is here.
        event.prevent_default()
        self.update()
        self._clock.reset()

    def on_resize(self) -> None:
        # The fill is drawn in half cells of the width the bar had when its progress was set.
        # Set before the first layout (Today's numbers can arrive then), that was no width at
        # all: once laid out, the same progress is given again, to be drawn as any later one.
        self.call_after_refresh(self._redraw_fill)

    def _redraw_fill(self) -> None:
        for bar in self.query("#bar"):  # ProgressBar's own Bar
            bar.percentage = self.percentage
