"""The run form: log a new run or change one, with its aches. A wrong field says what is
wrong right under it and keeps every typed text; nothing is stored until all is right."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from glutetui.domain.display_text import visible_text
from glutetui.domain.run_flags import MAIN_PARTS, PART_NAMES, PART_SIDES, PARTS, Ache
from glutetui.domain.run_input import (
    LONGEST_NOTES,
    distance_text,
    duration_text,
    when_text,
    whole_number,
)
from glutetui.domain.warmup import warmup_for_run
from glutetui.errors import UserFacingError
from glutetui.services.runs import (
    AUTO_LINK,
    RunFormError,
    RunRow,
    ShownRun,
    edit_run,
    log_run,
)
from glutetui.services.session import RunDraft
from glutetui.services.storage import Database
from glutetui.ui.widgets.choice_cycle import ChoiceCycle

NO_LINK = "none"

FIELDS = {  # service option: (input id, label, placeholder; {unit} is the runner's km or mi)
    "--when": ("when", "When", "now, yesterday 18:00, 2026-11-20 7am"),
    "--distance": ("distance", "Distance", "10 ({unit}), 5k, 3.1 mi, 800 m, half"),
    "--time": ("time", "Time", "25 (minutes), 28:30, 1:02:15"),
    "--rpe": ("rpe", "Effort", "1 very easy to 10 all out (RPE); may stay empty"),
}
PHASE_NAMES = {"during": "during the run", "after": "after the run", "next_morning": "next morning"}
MORE_PARTS = tuple(part for part in PARTS if part not in MAIN_PARTS)


class RunFormScreen(ModalScreen[ShownRun | None]):
    """Dismissed with the saved run, or None when cancelled."""

    DEFAULT_CSS = """
    RunFormScreen { align: center middle; }
    RunFormScreen > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    RunFormScreen #form-title { text-style: bold; color: $accent; margin-bottom: 1; }
    RunFormScreen #form-body { height: auto; max-height: 1fr; }
    RunFormScreen .row { height: 1; }
    RunFormScreen Input { background: $boost; }
    RunFormScreen Input:focus { background: $primary 30%; }
    RunFormScreen .ache-row { height: 1; }
    RunFormScreen .row Label, RunFormScreen .ache-row Label { width: 14; }
    RunFormScreen .row Input { width: 1fr; }
    RunFormScreen .score { width: 6; margin-right: 1; }
    RunFormScreen .side { width: 12; margin-right: 1; }
    RunFormScreen Static.side { color: $text-muted; }
    RunFormScreen .phase { width: 20; }
    RunFormScreen .problem { color: $error; margin-left: 14; display: none; }
    RunFormScreen .problem.shown { display: block; }
    RunFormScreen #aches-title { margin-top: 1; text-style: bold; }
    RunFormScreen #aches-kept { color: $text-muted; }
    RunFormScreen #aches-problem { margin-left: 0; }
    RunFormScreen #more-parts { height: auto; display: none; }
    RunFormScreen #more-parts.shown { display: block; }
    RunFormScreen #more-check { margin-top: 1; }
    RunFormScreen #form-keys { height: 1; margin-top: 1; }
    RunFormScreen #form-hint { width: 1fr; color: $text-muted; }
    RunFormScreen #form-keys Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        # Fields with an enter of their own (a button, the checkbox) keep it; on a choice
        # (warm-up, side, when it hurt) enter saves, as the hint says.
        Binding("enter", "save", "Save", show=False),
        Binding("escape", "cancel", "Cancel"),
        # Priority: checked as each key arrives, so the keys after a tab go to the next field.
        # As ordinary bindings they waited for the field to pass the tab on, and "7k<tab>30"
        # typed in one go (or sent in one write over ssh) put "7k30" in the distance.
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]

    def __init__(self, unit: str, run: RunRow | None = None, *, draft: RunDraft | None = None,
                 warmups: Sequence[Any] = ()) -> None:
        """`warmups`: the ones the run may be linked to, read by the caller off the screen's thread;
        `draft`: the run just come back from, to start the form with."""
        super().__init__()
        self._unit = unit
        self._run = run
        self._draft = draft
        self._warmups = warmups
        self._saving = False
        self._result: ShownRun | None = None  # saved while another window was on top
        self._shown_aches, self._kept_aches = _split_aches(run.aches if run else ())
        # The "When" the form filled in itself, and the exact moment it stands for (None: now);
        # on a new run a link picked later may replace it, but never a "When" the runner typed.
        self._filled_when: tuple[str, datetime | None] | None = None
        # The stored notes as the one-line field can show them (control characters written
        # out, a huge note cut short); saved unchanged, the stored notes are kept as they were.
        self._notes_shown = visible_text(run.notes, one_line=True) if run else ""

    # ---- building ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title(), id="form-title", markup=False)
            with VerticalScroll(id="form-body"):
                for input_id, label, placeholder in FIELDS.values():
                    with Horizontal(classes="row"):
                        yield Label(label)
                        yield Input(self._start_text(input_id), placeholder=placeholder.format(unit=self._unit),
                                    id=f"{input_id}-input", compact=True)
                    yield Static(id=f"{input_id}-problem", classes="problem", markup=False)
                with Horizontal(classes="row"):
                    yield Label("Notes")
                    yield Input(self._notes_shown, placeholder="how it went (may stay empty)",
                                id="notes-input", compact=True, max_length=LONGEST_NOTES)
                with Horizontal(classes="row"):
                    yield Label("Warm-up")
                    yield ChoiceCycle(self._warmup_options(), self._warmup_start(), id="warmup-link")
                yield Static("Aches: score 0-10 (empty for none), side, and when it hurt", id="aches-title")
                for part in MAIN_PARTS:
                    yield self._ache_row(part)
                yield Checkbox("More: hamstring, IT band, shin, calf/Achilles, foot", self._more_used(),
                               id="more-check", compact=True)
                # Made when first shown: five more rows are a third of the form's widgets,
                # and most runs never need them (the opening is that much faster).
                more = [self._ache_row(part) for part in MORE_PARTS] if self._more_used() else []
                yield Vertical(*more, id="more-parts", classes="shown" if more else "")
                yield Static(_kept_text(self._kept_aches), id="aches-kept", markup=False)
                yield Static(id="aches-problem", classes="problem", markup=False)
            with Horizontal(id="form-keys"):
                yield Static("enter: save  ←→: pick  escape: cancel", id="form-hint")
                yield Button("Save", id="save-button", variant="primary", compact=True)
                yield Button("Cancel", id="cancel-button", compact=True)

    def _ache_row(self, part: str) -> Horizontal:
        ache = self._shown_aches.get(part)
        sides = self._sides(part)
        if len(sides) == 1:  # nothing to choose: the lower back is in the middle
            side = Static(sides[0], id=f"{part}-side", classes="side", markup=False)
        else:
            side = ChoiceCycle([(side, side) for side in sides], ache.side if ache else "both",
                               id=f"{part}-side", classes="side")
        return Horizontal(
            Label(part_title(part)),
            Input(str(ache.score) if ache else "", placeholder="-", max_length=2, id=f"{part}-score",
                  classes="score", compact=True),
            side,
            ChoiceCycle([(name, phase) for phase, name in PHASE_NAMES.items()], ache.phase if ache else "after",
                        id=f"{part}-phase", classes="phase"),
            classes="ache-row",
        )

    def _title(self) -> str:
        if self._draft is not None:
            return "The run you came back from (start and time guessed: change them freely)"
        if self._run is None:
            return "Log a run"
        return f"Change the run of {when_text(self._run.started_at, self.app.clock.local_zone())}"

    def _sides(self, part: str) -> tuple[str, ...]:
        """The part's own sides, and a side stored on this run before they were checked ("knee, centre")."""
        ache = self._shown_aches.get(part)
        own = PART_SIDES[part]
        return own + (ache.side,) if ache is not None and ache.side not in own else own

    def _start_text(self, input_id: str) -> str:
        run, draft = self._run, self._draft
        if run is None and input_id == "when":
            return self._fill_when(self._warmup_start())
        if run is None and draft is not None and input_id == "time":
            return duration_text(draft.duration_s)
        if run is None:
            return ""
        if input_id == "when":
            # Left as shown, the exact stored start: the shown minute may fall before the end
            # of the warm-up the run is linked to, which would then no longer fit.
            self._filled_when = (when_text(run.started_at, self.app.clock.local_zone()), run.started_at)
            return self._filled_when[0]
        return {
            "distance": distance_text(run.distance_m, self._unit),
            "time": duration_text(run.duration_s),
            "rpe": "" if run.rpe is None else str(run.rpe),
        }[input_id]

    def _warmup_options(self) -> list[tuple[str, str]]:
        """Automatic, none, and the warm-ups that ended within 2 hours before the run (or now)."""
        zone = self.app.clock.local_zone()
        options = [("the one just before, if any", AUTO_LINK), ("none", NO_LINK)]
        for warmup in self._warmups:
            state = "done" if warmup.completed else "stopped early"
            options.append((f"ended {warmup.ended_at.astimezone(zone):%d %b %H:%M} ({state})", warmup.id))
        if self._run and self._run.warmup_id and self._run.warmup_id not in {value for _, value in options}:
            options.append(("the one linked now", self._run.warmup_id))
        return options

    def _fill_when(self, link: str) -> str:
        """The start of a new run unless the runner says otherwise: the end of the warm-up it is
        linked to, the moment they set off; else the run just come back from, or now."""
        start = self._draft.started_at if self._draft is not None else None
        linked = {warmup.id: warmup for warmup in self._warmups}.get(self._linked_id(link))
        if linked is not None and (self._draft is None or linked.id != self._draft.warmup_id):
            start = linked.ended_at
        text = "now" if start is None else when_text(start, self.app.clock.local_zone())
        self._filled_when = (text, start)
        return text

    def _linked_id(self, link: str) -> str | None:
        """The warm-up a link choice stands for; "automatic" as the service will pick it for this start."""
        if link != AUTO_LINK:
            return link
        start = self._draft.started_at if self._draft is not None else self.app.clock.now()
        return warmup_for_run(start, self._warmups)

    def _warmup_start(self) -> str:
        if self._draft is not None and self._draft.warmup_id in {warmup.id for warmup in self._warmups}:
            return self._draft.warmup_id
        if self._run is None:
            return AUTO_LINK
        return self._run.warmup_id or NO_LINK

    def _more_used(self) -> bool:
        return any(part in self._shown_aches for part in MORE_PARTS)

    @property
    def AUTO_FOCUS(self) -> str:  # noqa: N802 - Textual's name
        # Straight to the first field to type in: focusing the scrolling body first and
        # then the field restyled the whole form twice, 0.3 s of each opening.
        return "#distance-input" if self._run is None else "#when-input"

    # ---- reacting ---------------------------------------------------------------

    async def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        more = self.query_one("#more-parts")
        if event.value and not more.children:
            await more.mount_all(self._ache_row(part) for part in MORE_PARTS)
        more.set_class(event.value, "shown")

    def on_choice_cycle_changed(self, event: ChoiceCycle.Changed) -> None:
        if event.choice.id != "warmup-link" or self._run is not None or self._filled_when is None:
            return
        when = self.query_one("#when-input", Input)
        if when.value == self._filled_when[0]:  # not typed by the runner: follow the link
            when.value = self._fill_when(event.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        field = (event.input.id or "").removesuffix("-input")
        if field in {input_id for input_id, _, _ in FIELDS.values()}:
            self._show_problem(field, None)  # the runner is fixing it; the next save checks again

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save-button":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        if self._saving:
            return  # one save at a time: the file may be busy with another program's write
        for input_id, _, _ in FIELDS.values():
            self._show_problem(input_id, None)
        aches, problem = self._aches()
        self._show_problem("aches", problem)
        if problem is not None:
            return
        self._saving = True
        self.app.store(self._store_job(aches), self._saved, self._not_saved)

    def _saved(self, saved: ShownRun) -> None:
        self._saving = False
        self._result = saved
        if self.app.screen is self:  # dismiss() pops the top screen: a reminder may have come up meanwhile
            self.dismiss(saved)

    def on_screen_resume(self) -> None:
        if self._result is not None:
            self.dismiss(self._result)

    def _not_saved(self, error: UserFacingError) -> None:
        self._saving = False
        if isinstance(error, RunFormError):
            self._show_error(error)
            return
        self.app.notify(f"The run was not saved: {error} Your text is still in the form.",
                        severity="error", timeout=10, markup=False)

    # ---- saving -------------------------------------------------------------------

    def _store_job(self, aches: list[str]) -> Callable[[Database], ShownRun]:
        """What to store, read from the form now; the job runs on the storage thread."""
        app = self.app
        values = {input_id: self.query_one(f"#{input_id}-input", Input).value
                  for input_id in ("when", "distance", "time", "rpe", "notes")}
        common = {"distance": self._distance(values["distance"]), "duration": values["time"],
                  "when": self._when(values["when"]), "rpe": values["rpe"], "aches": aches, "notes": self._notes(values["notes"])}
        link = self.query_one("#warmup-link", ChoiceCycle).value
        common["warmup_id"] = None if link == NO_LINK else link
        common["unit"] = self._unit
        now, zone = app.clock.now(), app.clock.local_zone()
        if self._run is None:
            return lambda db: log_run(db, now, zone, **common)
        run_id = self._run.id
        return lambda db: edit_run(db, run_id, now, zone, **common)

    def _notes(self, typed: str) -> str:
        if self._run is not None and typed == self._notes_shown:
            return self._run.notes
        return typed.strip()

    def _when(self, typed: str) -> str:
        """As typed; a start the form filled in, left as shown, is the exact moment it stands for:
        the warm-up's end or the stored start (the shown minute is earlier, and a run may not
        begin before its warm-up ended)."""
        if self._filled_when is not None and self._filled_when[1] is not None and typed == self._filled_when[0]:
            return self._filled_when[1].isoformat()
        return typed

    def _distance(self, typed: str) -> str:
        """The distance as typed; left as shown, the stored metres exactly (the shown text is rounded)."""
        if self._run is not None and typed == distance_text(self._run.distance_m, self._unit):
            return f"{self._run.distance_m} m"
        return typed

    def _aches(self) -> tuple[list[str], str | None]:
        """Ache texts for the service, or a plain problem for the aches area."""
        parts = MAIN_PARTS + (MORE_PARTS if self.query_one("#more-check", Checkbox).value else ())
        texts = [_ache_text(ache) for ache in self._kept_aches]
        for part in parts:
            score = self.query_one(f"#{part}-score", Input).value.strip()
            if not score:
                continue
            value = whole_number(score)
            if value is None or not 0 <= value <= 10:
                return [], (f"{part_title(part)}: {score!r} is not a score; write a whole number "
                            "from 0 (no pain) to 10 (the worst), or leave it empty for no ache.")
            sides = self._sides(part)
            side = sides[0] if len(sides) == 1 else self.query_one(f"#{part}-side", ChoiceCycle).value
            phase = self.query_one(f"#{part}-phase", ChoiceCycle).value
            texts.append(f"{part}:{side}:{value}:{phase}")
        return texts, None

    def _show_error(self, error: RunFormError) -> None:
        message = str(error).removeprefix(f"{error.option}: ")
        message = message[:1].upper() + message[1:]
        field = FIELDS.get(error.option, ("aches",))[0]
        self._show_problem(field, message + ("." if not message.endswith(".") else ""))
        if field != "aches":
            self.query_one(f"#{field}-input", Input).focus()

    def _show_problem(self, field: str, problem: str | None) -> None:
        note = self.query_one(f"#{field}-problem", Static)
        note.update(problem or "")
        note.set_class(problem is not None, "shown")

    def problem(self, field: str) -> str:
        """The problem shown under a field ("when", "distance", "time", "rpe", "aches"); "" if none."""
        note = self.query_one(f"#{field}-problem", Static)
        return str(note.content) if note.has_class("shown") else ""


def part_title(part: str) -> str:
    """"Lower back", "IT band", "Calf/Achilles": the name with its first letter up."""
    name = PART_NAMES[part]
    return name[:1].upper() + name[1:]


def _split_aches(aches: tuple[Ache, ...]) -> tuple[dict[str, Ache], list[Ache]]:
    """The first ache of each part goes in the form; more of the same part (another phase) are kept as they are."""
    shown: dict[str, Ache] = {}
    kept: list[Ache] = []
    for ache in aches:
        if ache.body_part in shown:
            kept.append(ache)
        else:
            shown[ache.body_part] = ache
    return shown, kept


def _ache_text(ache: Ache) -> str:
    return f"{ache.body_part}:{ache.side}:{ache.score}:{ache.phase}"


def _kept_text(kept: list[Ache]) -> str:
    if not kept:
        return ""
    listed = ", ".join(f"{PART_NAMES[a.body_part]} {a.side} {PHASE_NAMES[a.phase]} {a.score}/10" for a in kept)
    return f"Also kept as they are: {listed}."
