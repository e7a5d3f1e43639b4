"""The Settings tab: theme, sounds, and where glutetui keeps its files."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Select, Static, Switch

from glutetui.config import Settings
from glutetui.paths import Locations
from glutetui.services.voice import VOICE_PROGRAMS


class SettingsPane(VerticalScroll):
    DEFAULT_CSS = """
    SettingsPane { padding: 0 2; }
    SettingsPane Label { margin-top: 1; text-style: bold; }
    SettingsPane Select { width: 40; }
    SettingsPane .switch-row { height: auto; margin-top: 1; }
    SettingsPane .switch-label { width: 1fr; padding: 1 1; }
    SettingsPane .path { color: $text-muted; }
    """

    def __init__(self, locations: Locations, theme_names: list[str], settings: Settings,
                 voice_program: str | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._locations = locations
        self._theme_names = theme_names
        self._settings = settings
        self._voice_program = voice_program

    def compose(self) -> ComposeResult:
        yield Label("Theme (also ctrl+t; saved for next time)")
        yield Select([(name, name) for name in self._theme_names], value=self.app.theme,
                     allow_blank=False, id="theme-select")
        with Horizontal(classes="switch-row"):
            yield Switch(value=self._settings.bell, id="bell-switch")
            yield Static("Bell in the warm-up countdown and at each new step", classes="switch-label")
        with Horizontal(classes="switch-row"):
            yield Switch(value=self._settings.voice, id="voice-switch", disabled=self._voice_program is None)
            yield Static(self._voice_text(), classes="switch-label", markup=False)
        yield Label("Database")
        yield Static(str(self._locations.db), classes="path", markup=False)
        yield Label("Settings file")
        yield Static(str(self._locations.config), classes="path", markup=False)

    def _voice_text(self) -> str:
        if self._voice_program:
            return f"Speak each step's name ({self._voice_program})"
        return f"Speak each step's name (needs {', '.join(VOICE_PROGRAMS[:-1])} or {VOICE_PROGRAMS[-1]})"

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "theme-select" and isinstance(event.value, str):
            self.app.theme = event.value

    def on_switch_changed(self, event: Switch.Changed) -> None:
        key = {"bell-switch": "bell", "voice-switch": "voice"}.get(event.switch.id)
        if key and getattr(self.app.settings, key) != event.value:
            self.app.change_setting(key, event.value)

    def show_theme(self, theme: str) -> None:
        select = self.query_one("#theme-select", Select)
        if select.value != theme:
            select.value = theme
