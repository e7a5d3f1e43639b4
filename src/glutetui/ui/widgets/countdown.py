"""The big countdown: whole seconds left as M:SS, as large as the space it is given allows.

Mid leg-swing the runner reads it from a couple of metres away, so where the Warm-up tab
has room the digits are drawn in blocks, scaled to the largest size that fits; where it
has not (80x24 with the step text below, the reminder window) Textual's three-row digits.
"""

from __future__ import annotations

import math

from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.widgets import Digits

# Each glyph on a 3x5 grid of pixels ("#" lit); the colon is one pixel wide.
GLYPHS = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", "###", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
}
GLYPH_ROWS = 5
# A terminal cell is about twice as tall as it is wide: a pixel is 2 cells across per row.
CELLS_ACROSS_PER_ROW = 2


def clock_text(seconds: float) -> str:
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


def block_width(text: str, scale: int) -> int:
    """Cells across `text` takes in blocks at `scale` rows per pixel (one pixel between glyphs)."""
    pixels = sum(len(GLYPHS[char][0]) for char in text) + max(0, len(text) - 1)
    return pixels * CELLS_ACROSS_PER_ROW * scale


def block_scale(text: str, width: int, height: int) -> int:
    """The largest scale whose blocks fit `width` x `height`; 0 when even the smallest does not."""
    if not text or any(char not in GLYPHS for char in text):
        return 0
    scale = height // GLYPH_ROWS
    while scale > 0 and block_width(text, scale) > width:
        scale -= 1
    return scale


def block_lines(text: str, scale: int) -> list[str]:
    across = CELLS_ACROSS_PER_ROW * scale
    lines = []
    for row in range(GLYPH_ROWS):
        pixels = ".".join(GLYPHS[char][row] for char in text)
        line = "".join(("█" if pixel == "#" else " ") * across for pixel in pixels)
        lines += [line] * scale
    return lines


class Countdown(Digits):
    DEFAULT_CSS = """
    Countdown { width: auto; color: $accent; }
    Countdown.-paused { color: $text-muted; }
    """

    def show_seconds(self, seconds: float) -> None:
        text = clock_text(seconds)
        if text != self.value:  # repaint only when the shown second changes
            self.update(text)

    @property
    def scale(self) -> int:
        """Rows per pixel of the blocks drawn now; 0 for Textual's three-row digits."""
        size = self.content_size
        return block_scale(self.value, size.width, size.height)

    def render(self) -> RenderResult:
        scale = self.scale
        if scale == 0:
            return super().render()
        size = self.content_size
        lines = block_lines(self.value, scale)
        # Centred both ways in the space given: the tab keeps it in the middle at any size.
        top = (size.height - len(lines)) // 2
        left = " " * ((size.width - len(lines[0])) // 2)
        rows = [""] * top + [left + line for line in lines]
        return Text("\n".join(rows), style=Style.from_color(self.rich_style.color), no_wrap=True)
