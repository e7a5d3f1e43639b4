"""The Settings tab: theme, sounds, working hours, reminders, and where glutetui keeps its files."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Label, Select, Static, Switch

from glutetui.config import RANGES, Settings
from glutetui.domain.display_text import visible_message, visible_text
from glutetui.domain.reminders import QuietHours, QuietHoursError
from glutetui.domain.run_input import plain_number, whole_number
from glutetui.domain.workhours import WorkingHours, WorkingHoursError
from glutetui.paths import Locations
from glutetui.services.voice import VOICE_PROGRAMS


class SettingsPane(VerticalScroll):
    """Every choice made here gives the keyboard back to the pane, so 1-5 switch tabs again:
    a focused field or list would take the digit as text or as a search."""

    DEFAULT_CSS = """
    SettingsPane { padding: 0 2; }
    SettingsPane Label { margin-top: 1; text-style: bold; }
    SettingsPane Select { width: 40; }
    SettingsPane .switch-row { height: auto; margin-top: 1; }
    SettingsPane .switch-label { width: 1fr; padding: 1 1; }
    SettingsPane .path { color: $text-muted; }
    SettingsPane Input { width: 40; }
    SettingsPane .field-hint { color: $text-muted; }
    SettingsPane .field-hint.field-problem { color: $error; }
    """
    BINDINGS = [Binding("escape", "leave_field", "Leave field")]

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
            yield Static("Bell in warm-up and desk-break countdowns, at each new step", classes="switch-label")
        with Horizontal(classes="switch-row"):
            yield Switch(value=self._settings.voice, id="voice-switch", disabled=self._voice_program is None)
            yield Static(self._voice_text(), classes="switch-label", markup=False)
        yield Label("Working hours (sitting is assumed only inside them)")
        yield _field("hours-input", self._settings.working_hours, placeholder="Mon-Fri 08:00-18:00 or always")
        yield Static("Days and times, like Mon-Fri 08:00-18:00, or always. Enter saves.",
                     id="hours-problem", classes="field-hint", markup=False)
        yield Label("Daily sitting goal (hours)")
        yield _field("goal-input", _hours_text(self._settings.sitting_goal_hours))
        low, high = RANGES["sitting_goal_hours"]
        yield Static(f"At most this much sitting a day, {low} to {high} hours. Enter saves.",
                     id="goal-problem", classes="field-hint", markup=False)
        yield Label("Distances and pace")
        yield Select([("kilometres (pace per km)", "km"), ("miles (pace per mile)", "mi")],
                     value=self._settings.units, allow_blank=False, id="units-select")
        yield Label("Weeks on Progress and in reports start on")
        yield Select([("Monday", "monday"), ("Sunday", "sunday")],
                     value=self._settings.week_start, allow_blank=False, id="week_start-select")
        yield Label("Stand-up reminders")
        for key, text in REMINDER_SWITCHES.items():
            with Horizontal(classes="switch-row"):
                yield Switch(value=getattr(self._settings, key), id=f"{key}-switch")
                yield Static(text, classes="switch-label", markup=False)
        yield Label("Remind after (minutes of sitting in one go)")
        yield _field("remind-input", str(self._settings.remind_after))
        low, high = RANGES["remind_after"]
        yield Static(f"A whole number of minutes from {low} to {high}. Enter saves.",
                     id="remind-problem", classes="field-hint", markup=False)
        yield Label("Quiet hours (no reminders, every day)")
        yield _field("quiet-input", self._settings.quiet_hours, placeholder="12:00-13:00, 16:30-17:00")
        yield Static("Spans like 12:00-13:00, split by commas; empty for none. Enter saves.",
                     id="quiet-problem", classes="field-hint", markup=False)
        yield Label("Database")
        yield Static(visible_text(str(self._locations.db), one_line=True), classes="path", markup=False)
        yield Label("Settings file")
        yield Static(visible_text(str(self._locations.config), one_line=True), classes="path", markup=False)

    def _voice_text(self) -> str:
        if self._voice_program:
            return f"Speak each step's name ({self._voice_program})"
        return f"Speak each step's name (needs {', '.join(VOICE_PROGRAMS[:-1])} or {VOICE_PROGRAMS[-1]})"

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.has_focus_within:
            self.focus()  # picked by the runner (not a ctrl+t theme shown here): the list searches typed digits
        if event.select.id == "theme-select" and isinstance(event.value, str):
            self.app.theme = event.value
        elif event.select.id in ("units-select", "week_start-select"):
            key = event.select.id.removesuffix("-select")
            if event.value != getattr(self.app.settings, key):
                self.app.change_setting(key, event.value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_field":
            focused = self.screen.focused
            return focused is not None and focused is not self and self in focused.ancestors
        return True

    def action_leave_field(self) -> None:
        self.focus()

    def on_switch_changed(self, event: Switch.Changed) -> None:
        key = event.switch.id.removesuffix("-switch")
        if key and getattr(self.app.settings, key) != event.value:
            self.app.change_setting(key, event.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in FIELDS:
            self._show_problem(event.input.id, _problem(event.validation_result))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id not in FIELDS:
            return
        key, check = FIELDS[event.input.id]
        value, problem = check(event.value)
        self._show_problem(event.input.id, problem)
        if problem is None:
            self.app.change_setting(key, value)
            self.app.notify(f"Saved: {key.replace('_', ' ')} = {value if value != '' else 'none'}", markup=False)
            self.focus()

    def _show_problem(self, input_id: str, problem: str | None) -> None:
        # The field's red border comes from its FieldCheck (Input's -invalid class).
        note = self.query_one(f"#{input_id.replace('-input', '-problem')}", Static)
        note.set_class(problem is not None, "field-problem")
        note.update(visible_message(problem) if problem else "Looks right. Enter saves, escape leaves the field.")

    def show_theme(self, theme: str) -> None:
        select = self.query_one("#theme-select", Select)
        if select.value != theme:
            select.value = theme


class FieldCheck(Validator):
    """One of the checks below as a Textual validator, so the field itself shows when it is wrong."""

    def __init__(self, check: Callable[[str], tuple[object, str | None]]) -> None:
        super().__init__()
        self._check = check

    def validate(self, value: str) -> ValidationResult:
        problem = self._check(value)[1]
        return self.success() if problem is None else self.failure(problem)


def _field(input_id: str, value: str, placeholder: str = "") -> Input:
    return Input(value, placeholder=placeholder, id=input_id, validators=[FieldCheck(FIELDS[input_id][1])])


def _problem(result: ValidationResult | None) -> str | None:
    return result.failure_descriptions[0] if result is not None and not result.is_valid else None


def _check_remind_after(text: str) -> tuple[int | None, str | None]:
    low, high = RANGES["remind_after"]
    minutes = whole_number(text.strip())
    if minutes is None or not low <= minutes <= high:
        return None, f"{text!r} is not a whole number of minutes from {low} to {high}, like 30."
    return minutes, None


def _check_quiet(text: str) -> tuple[str | None, str | None]:
    try:
        return str(QuietHours.parse(text)), None
    except QuietHoursError as error:
        return None, f"{error}; write spans like 12:00-13:00, split by commas. Nothing was saved."


def _hours_text(hours: float) -> str:
    return f"{hours:g}"


def _check_hours(text: str) -> tuple[str | None, str | None]:
    """(value to save, None) or (None, what is wrong and how to write it)."""
    try:
        return str(WorkingHours.parse(text)), None
    except WorkingHoursError as error:
        return None, f"{error}; your text is kept, nothing was saved."


def _check_goal(text: str) -> tuple[float | None, str | None]:
    low, high = RANGES["sitting_goal_hours"]
    hours = plain_number(text)
    if hours is None or not low <= hours <= high:
        return None, f"{text!r} is not a number of hours from {low} to {high}, like 6 or 5.5."
    return hours, None


REMINDER_SWITCHES = {
    "remind_in_app": "A window here with a desk move and keys to answer",
    "remind_bell": "The terminal bell",
    "remind_desktop": "A desktop notification",
}
FIELDS = {
    "hours-input": ("working_hours", _check_hours),
    "goal-input": ("sitting_goal_hours", _check_goal),
    "remind-input": ("remind_after", _check_remind_after),
    "quiet-input": ("quiet_hours", _check_quiet),
}
