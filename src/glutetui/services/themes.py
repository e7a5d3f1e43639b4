"""The themes the app can paint with, known below ui/ so that `glutetui doctor` can check
the settings file's theme without loading Textual.

THEME_NAMES is Textual's built-in themes (glutetui registers none of its own);
tests/test_display_text.py keeps it equal to what the app offers.
"""

from __future__ import annotations

from pathlib import Path

from glutetui.config import DEFAULT_THEME

THEME_NAMES = frozenset({
    "ansi-dark", "ansi-light", "atom-one-dark", "atom-one-light", "catppuccin-frappe", "catppuccin-latte",
    "catppuccin-macchiato", "catppuccin-mocha", "dracula", "flexoki", "gruvbox", "monokai", "nord", "rose-pine",
    "rose-pine-dawn", "rose-pine-moon", "solarized-dark", "solarized-light", "textual-dark", "textual-light",
    "tokyo-night",
})


def unknown_theme_problem(theme: str, config: Path) -> str:
    """What the app and the doctor say about a theme in the settings file that does not exist."""
    # repr: the name as it is in the file, quotes and all, with any control character written out.
    return (f"{config}: unknown theme {theme!r}; the app uses {DEFAULT_THEME} instead. Pick one on the Settings "
            f"tab (or ctrl+t), or write for example: theme = \"{DEFAULT_THEME}\"")
