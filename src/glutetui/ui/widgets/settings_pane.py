"""The Settings tab: the theme, and where glutetui keeps its files."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, Select, Static

from glutetui.paths import Locations


class SettingsPane(VerticalScroll):
    DEFAULT_CSS = """
    SettingsPane { padding: 1 2; }
    SettingsPane Label { margin-top: 1; text-style: bold; }
    SettingsPane Select { width: 40; }
    SettingsPane .path { color: $text-muted; }
    """

    def __init__(self, locations: Locations, theme_names: list[str], theme: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self._locations = locations
        self._theme_names = theme_names
        self._theme = theme

    def compose(self) -> ComposeResult:
        yield Label("Theme (also ctrl+t; saved for next time)")
        yield Select(
            [(name, name) for name in self._theme_names],
            value=self._theme,
            allow_blank=False,
            id="theme-select",
        )
        yield Label("Database")
        yield Static(str(self._locations.db), classes="path", markup=False)
        yield Label("Settings file")
        yield Static(str(self._locations.config), classes="path", markup=False)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "theme-select" and isinstance(event.value, str):
            self.app.theme = event.value

    def show_theme(self, theme: str) -> None:
        select = self.query_one("#theme-select", Select)
        if select.value != theme:
            select.value = theme
