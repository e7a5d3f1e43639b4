"""Textual colours handed to Rich, shared by the day bar (Today) and the charts (Progress)."""

from __future__ import annotations

from textual.color import Color


def rich_name(colour: Color) -> str:
    """How Rich parses the colour in a span of Text: "#4ebf71", or "color(2)" and "default" for
    the terminal's own (Textual's "ansi_green" is no colour to Rich, and drawing it fails)."""
    return colour.rich_color.name
