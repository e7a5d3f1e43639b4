"""The Runs tab: every run in a sortable table with its aches and flags; log, change,
delete (and undo that) from the keys, and see each flag's one-line why.

The runs are read and their cells written in a worker thread. The table holds a page of
them at a time (PAGE_ROWS), with a last row that shows the next page: a DataTable
measures every cell it is given, which took over a second for five years of runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from glutetui.domain.display_text import visible_text
from glutetui.domain.run_flags import CAUTION, INFO, WARNING, Ache, Flag, pain_zone
from glutetui.domain.run_input import distance_text, duration_text, pace_text, when_text
from glutetui.domain.wording import counted
from glutetui.errors import UserFacingError
from glutetui.services.runs import (
    RunFormError,
    RunLog,
    RunRow,
    ShownRun,
    delete_run,
    read_run_log,
    restore_run,
    warmup_choices,
)
from glutetui.services.session import RunDraft
from glutetui.ui.screens.confirm import ConfirmScreen
from glutetui.ui.screens.run_detail import RunDetailScreen
from glutetui.ui.screens.run_form import PHASE_NAMES, RunFormScreen, part_title
from glutetui.ui.widgets.bar_chart import theme_colours

MARKERS = {"hip": "H", "knee": "K", "lower_back": "B", "hamstring": "Hs", "it_band": "IT", "shin": "S",
           "calf": "C", "foot": "F"}
ZONE_COLOUR = {"safe": "success", "acceptable": "warning", "too much": "error"}
LEVEL_COLOUR = {INFO: "text-muted", CAUTION: "warning", WARNING: "error"}
LEVEL_RANK = {INFO: 1, CAUTION: 2, WARNING: 3}
FLAGS_MIN_WIDTH = 8
FALLBACK_COLOURS = {"success": "green", "warning": "yellow", "error": "red", "text-muted": "grey50"}
# Runs put in the table at a time; a last row shows the next page. Enough to scroll through
# several screens, few enough that the table is filled in a few hundredths of a second.
PAGE_ROWS = 100
MORE_ROW = "more"  # that last row's key; a run's row key is "run " and its id (an id can hold anything)


def _worst_score(run: RunRow) -> int:
    return max((ache.score for ache in run.aches), default=-1)


def _flag_rank(shown: ShownRun) -> tuple[int, int]:
    return max((LEVEL_RANK.get(flag.level, 0) for flag in shown.flags), default=0), len(shown.flags)


# (key, header, value to sort by); the first pick of a column sorts high to low, again flips it.
COLUMNS: tuple[tuple[str, str, Callable[[ShownRun], object]], ...] = (
    ("date", "Date", lambda shown: shown.run.started_at),
    ("distance", "{unit}", lambda shown: shown.run.distance_m),
    ("time", "Time", lambda shown: shown.run.duration_s),
    ("pace", "/{unit}", lambda shown: shown.run.duration_s / shown.run.distance_m),
    ("rpe", "RPE", lambda shown: -1 if shown.run.rpe is None else shown.run.rpe),
    ("warmup", "Warm-up", lambda shown: shown.run.warmup_id is not None),
    ("aches", "Aches", lambda shown: _worst_score(shown.run)),
    ("flags", "Flags", _flag_rank),
)
SORT_KEYS = {key: value for key, _, value in COLUMNS}


class RunsTable(DataTable):
    """The table of runs; enter shows the selected run in full (and says so in the footer).

    Showing the tab again used to draw every visible cell afresh through Rich (144 cells,
    about half of what the opening cost): DataTable drops its caches on any style update,
    which focus and hover are, and on any resize, which showing a hidden widget sends. Their
    keys already hold the focus and hover state and the styles, so here a style update that
    leaves this state's look as it was, and a resize to the size already drawn, keep them.
    """

    BINDINGS = [Binding("enter", "select_cursor", "View")]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._looks: dict[object, tuple] = {}  # pseudo-class state -> the styles drawn with it
        self._css_generation = -1
        self._drawn_size = None

    def notify_style_update(self) -> None:
        state, look = self.get_pseudo_class_state(), self._look()
        generation = self.app._css_update_count  # a new theme or stylesheet counts one up
        if look is None or generation != self._css_generation or self._looks.get(state, look) != look:
            self._css_generation, self._looks = generation, ({} if look is None else {state: look})
            super().notify_style_update()  # DataTable's full clearing
            return
        self._looks[state] = look
        Widget.notify_style_update(self)
        self._styles_cache.clear()
        self._get_styles_to_render_cell.cache_clear()  # not keyed by focus, and the cursor's style is
        self.refresh()

    def _look(self) -> tuple | None:
        try:
            return (self.rich_style, *(self.get_component_rich_style(name, partial=True)
                                       for name in sorted(self.COMPONENT_CLASSES)))
        except KeyError:  # styled before its component classes are: nothing drawn yet either
            return None

    def _on_resize(self, event: events.Resize) -> None:
        if event.size == self._drawn_size:
            event.prevent_default()  # shown again at the size its caches were drawn at
        self._drawn_size = event.size


@dataclass(frozen=True)
class CellLook:
    """What the cells' text depends on, taken on the screen's thread for the worker."""

    unit: str
    zone: tzinfo
    this_year: int  # a run in it shows its hour, not its year
    colours: dict[str, str]

    @property
    def key(self) -> tuple:
        """What the column widths depend on (the colours do not change them)."""
        return self.unit, self.this_year


@dataclass(frozen=True)
class ReadRuns:
    """A worker's answer: the runs oldest first and the widest cell of each column, as `look` writes them."""

    log: RunLog
    widths: list[int]
    look: tuple


def run_key(run_id: str) -> str:
    return f"run {run_id}"


class RunsPane(Vertical):
    DEFAULT_CSS = """
    RunsPane { padding: 0 0; }
    RunsPane #runs-table { height: 1fr; min-height: 5; }
    RunsPane #runs-why {
        height: auto; max-height: 9; border-top: solid $primary 50%; border-title-color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("n", "new_run", "New"),
        Binding("e", "edit_run", "Edit"),
        Binding("d", "delete_run", "Delete"),
        Binding("u", "undo_delete", "Undo"),
        Binding("o", "cycle_sort", "Sort", show=False),  # the footer is full at 80 columns; said above the whys
    ]

    class Read(Message):
        """The runs as the worker read them; `runs` None: unchanged since the version shown."""

        def __init__(self, load: int, runs: ReadRuns | None) -> None:
            super().__init__()
            self.load, self.runs = load, runs

    class NotRead(Message):
        def __init__(self, load: int, problem: str) -> None:
            super().__init__()
            self.load, self.problem = load, problem

    def __init__(self, db_path: Path, **kwargs) -> None:
        super().__init__(**kwargs)
        self._db_path = db_path
        self._runs: list[ShownRun] = []  # every run, in the table's order
        self._widths: list[int] = []  # the widest cell of each column, over every run
        self._look: tuple | None = None  # CellLook.key of those widths
        self._version: int | None = None  # of the runs read last
        self._loads = 0  # readings asked for; only the last one's answer is shown
        self._select: str | None = None  # a run to select once read (the one just saved)
        self._limit = PAGE_ROWS  # runs the table holds at most, before the row that shows more
        self._flags_width: int | None = None
        self._sort = ("date", True)  # column key, high to low
        self._deleted: RunRow | None = None
        self._stale = True

    def compose(self) -> ComposeResult:
        yield RunsTable(id="runs-table", cursor_type="row", zebra_stripes=True)
        why = Static(id="runs-why")
        why.border_title = "enter: the run in full   o or a column title: sort"
        yield why

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._new_theme)  # the cells hold the theme's colours
        # Read now, in the worker, while the runner is on another tab (the app makes this pane
        # just after its first paint): the first opening then only shows the table.
        self.reload()
        self._stale = False

    def on_show(self) -> None:
        if self._look is not None and self._look != self._look_key():
            self.reload(force=True)  # the unit changed on Settings (or a new year began): other widths
        elif self._stale:
            self.reload()
        self.focus_table()

    def focus_table(self) -> None:
        self.screen.set_focus(self.query_one(DataTable))

    # ---- loading and showing ----------------------------------------------------

    def data_changed(self) -> None:
        """Another process changed the database: read the runs now if they show, else when they next do.
        Cheap when it changed no run: the reading compares the runs' version first."""
        if all(node.display for node in self.ancestors_with_self if isinstance(node, Widget)):
            self.reload()
        else:
            self._stale = True

    def reload(self, select: str | None = None, force: bool = False) -> None:
        """Read the runs again if they changed (always with `force`: after this pane's own
        write); keeps the selection, or selects `select`."""
        self._loads += 1
        if select is not None:
            self._select = select
        self._read(self._loads, None if force else self._version, self._cell_look())

    @work(thread=True, exit_on_error=False, group="runs-read")
    def _read(self, load: int, known_version: int | None, look: CellLook) -> None:
        # Off the screen's thread: the reading, the flags and the cells of five years of runs
        # take a few tenths of a second; the screen only fills a page of the table.
        try:
            log = read_run_log(self._db_path, known_version)
        except UserFacingError as error:  # StorageError among them, with its sentence
            self.post_message(self.NotRead(load, str(error)))
            return
        if log is None:
            self.post_message(self.Read(load, None))
            return
        # Each run's cells only measured here, one run at a time: those a page shows are made
        # again as it is filled, and all of them at once would take as much memory as the runs.
        widths = [0] * len(COLUMNS)
        for shown in log.runs:
            widths = [max(width, _width(cell)) for width, cell in zip(widths, _cells(shown, look), strict=True)]
        self.post_message(self.Read(load, ReadRuns(log, widths, look.key)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "runs-read" and event.state == WorkerState.ERROR:
            self._not_read(str(event.worker.error))  # a fault of ours: said, not hidden by exit_on_error=False

    def on_runs_pane_not_read(self, message: NotRead) -> None:
        if message.load == self._loads:
            self._not_read(message.problem)

    def _not_read(self, problem: str) -> None:
        self.app.notify(f"Cannot read the runs: {problem}", severity="error", markup=False)

    def on_runs_pane_read(self, message: Read) -> None:
        if message.load != self._loads:
            return  # a reading asked for later is on its way
        self._stale = False
        read = message.runs
        if read is None:
            return  # no run changed: the table stays as it is
        select = self._select or self.selected_id()  # looked up before the rows under the cursor change
        self._select = None
        self._version, self._widths, self._look = read.log.version, read.widths, read.look
        key, high_first = self._sort
        runs = sorted(read.log.runs, key=SORT_KEYS["date"], reverse=True)  # newest first among equals
        self._runs = sorted(runs, key=SORT_KEYS[key], reverse=high_first)
        self._fill(select)

    def _fill(self, select: str | None = None) -> None:
        """The table again: the columns (their titles say the sort), and the runs up to the limit."""
        table = self.query_one(DataTable)
        keep = select or self.selected_id()
        if keep is not None:
            index = next((index for index, shown in enumerate(self._runs) if shown.run.id == keep), None)
            if index is not None and index >= self._limit:
                self._limit = (index // PAGE_ROWS + 1) * PAGE_ROWS  # the page that holds it
        table.clear(columns=True)
        for (key, _, _), header, width in zip(COLUMNS, self._headers(), self._column_widths(), strict=True):
            table.add_column(header, key=key, width=width)
        self._flags_width = table.columns["flags"].width
        self._add_rows(0)
        self.set_class(not self._runs, "empty")
        if keep is not None and run_key(keep) in table.rows:
            table.move_cursor(row=table.get_row_index(run_key(keep)), animate=False)
        self._show_why()
        self.refresh_bindings()

    def _add_rows(self, start: int) -> None:
        """The runs from `start` up to the limit, then the row that shows more if any are left."""
        table, look = self.query_one(DataTable), self._cell_look()
        end = min(self._limit, len(self._runs))
        for shown in self._runs[start:end]:
            cells = _cells(shown, look)
            table.add_row(*cells[:-1], _fit(cells[-1], self._flags_width), key=run_key(shown.run.id))
        if end < len(self._runs):
            left = len(self._runs) - end
            label = f"▼ {left:,} more"
            if cell_len(label) > (table.columns["date"].width or 0):
                label = f"▼ {left:,}"
            table.add_row(Text(label, style="italic"), *[""] * (len(COLUMNS) - 1), key=MORE_ROW)

    def show_more(self) -> None:
        """The next page of runs in place of the row that showed it; the cursor on the first of them."""
        table = self.query_one(DataTable)
        start = min(self._limit, len(self._runs))
        if MORE_ROW not in table.rows:
            return
        table.remove_row(MORE_ROW)
        self._limit = start + PAGE_ROWS
        self._add_rows(start)
        table.move_cursor(row=start, animate=False)
        self._show_why()

    def _headers(self) -> list[str]:
        sort_key, high_first = self._sort
        headers = [header.format(unit=self.app.settings.units) for _, header, _ in COLUMNS]
        return [f"{header} {'▼' if high_first else '▲'}" if key == sort_key else header
                for (key, _, _), header in zip(COLUMNS, headers, strict=True)]

    def _column_widths(self) -> list[int | None]:
        """Every column as wide as its widest text (read once, with the runs); the flags get
        what is left of the width (at least 8)."""
        if not self._runs:
            return [None] * len(COLUMNS)
        widths = [max(len(header), width) for header, width in zip(self._headers(), self._widths, strict=True)]
        padding = 2 * self.query_one(DataTable).cell_padding
        # Read before the tab first shows, the pane has no width yet: the screen's is the best guess.
        room = ((self.size.width or self.app.size.width) - 2 - sum(width + padding for width in widths[:-1])
                - padding)  # 2: the scrollbar
        return [*widths[:-1], max(FLAGS_MIN_WIDTH, min(widths[-1], room))]

    def on_resize(self) -> None:
        # Only the flags column follows the width; showing the tab again resizes it too.
        if self._runs and self._column_widths()[-1] != self._flags_width:
            self._fill()

    def _new_theme(self, _theme: object) -> None:
        if self._runs:
            self._fill()

    def _cell_look(self) -> CellLook:
        unit, this_year = self._look_key()
        return CellLook(unit, self.app.clock.local_zone(), this_year, self._colours())

    def _look_key(self) -> tuple[str, int]:
        """CellLook.key as it is now, without the theme's colours (each tab shown asks)."""
        return self.app.settings.units, self.app.clock.now().astimezone(self.app.clock.local_zone()).year

    def _colours(self) -> dict[str, str]:
        return run_colours(self.app.get_css_variables(), self.app.theme)

    def selected(self) -> ShownRun | None:
        table = self.query_one(DataTable)
        if not self._runs or not 0 <= table.cursor_row < min(self._limit, len(self._runs)):
            return None  # none, or the row that shows more
        return self._runs[table.cursor_row]

    def selected_id(self) -> str | None:
        shown = self.selected()
        return shown.run.id if shown else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_why()

    def _show_why(self) -> None:
        shown = self.selected()
        why = self.query_one("#runs-why", Static)
        table = self.query_one(DataTable)
        if shown is None and self._runs and table.cursor_row >= self._limit:
            left = len(self._runs) - self._limit
            why.update(Text(f"{counted(left, 'more run', thousands=True)} in this order: enter shows the next "
                            f"{min(left, PAGE_ROWS)}.", style="italic"))
        elif shown is None:
            why.update(Text("No runs logged yet. Press n to log one, or from a shell: "
                            "glutetui run add --distance 5k --time 28:30", style="italic"))
        elif not shown.flags:
            why.update(Text("No flags on this run.", style="italic"))
        else:
            why.update(_flag_lines(shown.flags, self._colours()))

    # ---- sorting --------------------------------------------------------------------

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        current, high_first = self._sort
        self.sort_by(key, not high_first if key == current else True)

    def action_cycle_sort(self) -> None:
        keys = [key for key, _, _ in COLUMNS]
        self.sort_by(keys[(keys.index(self._sort[0]) + 1) % len(keys)], True)

    def sort_by(self, key: str, high_first: bool = True) -> None:
        """Every run sorted, the table from its first page (and on to the selected run's)."""
        keep = self.selected_id()
        self._sort = (key, high_first)
        self._runs.sort(key=SORT_KEYS["date"], reverse=True)
        self._runs.sort(key=SORT_KEYS[key], reverse=high_first)
        self._limit = PAGE_ROWS
        self._fill(keep)

    # ---- actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"edit_run", "delete_run", "details", "cycle_sort"}:
            return bool(self._runs)
        if action == "undo_delete":
            return self._deleted is not None
        return True

    def action_new_run(self, draft: RunDraft | None = None) -> None:
        start = draft.started_at if draft else self.app.clock.now()
        self._open_form(start, lambda warmups: RunFormScreen(self.app.settings.units, draft=draft, warmups=warmups))

    def action_edit_run(self) -> None:
        shown = self.selected()
        if shown is not None:
            run = shown.run
            self._open_form(run.started_at, lambda warmups: RunFormScreen(self.app.settings.units, run,
                                                                           warmups=warmups))

    def _open_form(self, start: datetime, form: Callable[[list], RunFormScreen]) -> None:
        """The warm-ups a run may link to are read first, off the screen's thread."""
        self.app.read(lambda db: warmup_choices(db, start),
                       lambda warmups: self.app.push_screen(form(warmups), self._saved))

    class RunSaved(Message):
        """A run was logged or changed: the day may be waiting for it (out running)."""

        def __init__(self, run: RunRow) -> None:
            super().__init__()
            self.run = run

    def _saved(self, saved: ShownRun | None) -> None:
        if saved is None:
            return
        self.post_message(self.RunSaved(saved.run))
        self.reload(select=saved.run.id, force=True)
        run, unit = saved.run, self.app.settings.units
        flags = f" {counted(len(saved.flags), 'flag')}: see below." if saved.flags else ""
        self.app.notify(f"Saved: {distance_text(run.distance_m, unit)} in {duration_text(run.duration_s)} "
                        f"({pace_text(run.distance_m, run.duration_s, unit)}).{flags}", markup=False)

    def action_delete_run(self) -> None:
        shown = self.selected()
        if shown is None:
            return
        name = self._run_name(shown.run)

        def answered(sure: bool | None) -> None:
            if sure:
                self._delete(shown.run, name)

        self.app.push_screen(ConfirmScreen(f"Delete the run of {name} and its aches? u brings it back."), answered)

    def _delete(self, run: RunRow, name: str) -> None:
        def deleted(row: RunRow) -> None:
            self._deleted = row
            self.app.notify(f"Deleted the run of {name}. Press u to undo.", markup=False)
            self.reload(force=True)

        def not_deleted(error: UserFacingError) -> None:
            if isinstance(error, RunFormError):
                self.app.notify(f"The run of {name} was already gone.", severity="warning", markup=False)
                self.reload(force=True)
                return
            self.app.notify(f"The run was not deleted: {error}", severity="error", markup=False)

        self.app.store(lambda db: delete_run(db, run.id), deleted, not_deleted)

    def action_undo_delete(self) -> None:
        run = self._deleted
        if run is None:
            return
        now = self.app.clock.now()

        def restored(_: None) -> None:
            self._deleted = None
            self.reload(select=run.id, force=True)
            self.app.notify(f"The run of {self._run_name(run)} is back.", markup=False)

        def not_restored(error: UserFacingError) -> None:
            self.app.notify(f"The run could not come back: {error}", severity="error", markup=False)

        self.app.store(lambda db: restore_run(db, run, now), restored, not_restored)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value == MORE_ROW:
            self.show_more()
        else:
            self.action_details()

    def action_details(self) -> None:
        shown = self.selected()
        if shown is not None:
            zone = self.app.clock.local_zone()
            title = f"Run of {shown.run.started_at.astimezone(zone):%A %d %B %Y, %H:%M}"
            self.app.push_screen(RunDetailScreen(title, detail_text(shown, self.app.settings.units, zone,
                                                                     self._colours())))

    def _run_name(self, run: RunRow) -> str:
        unit = self.app.settings.units
        return f"{when_text(run.started_at, self.app.clock.local_zone())} ({distance_text(run.distance_m, unit)})"


# ---- texts ------------------------------------------------------------------------------

def _cells(shown: ShownRun, look: CellLook) -> list:
    run, unit, colours = shown.run, look.unit, look.colours
    return [
        _date_text(run.started_at, look.zone, look.this_year),
        distance_text(run.distance_m, unit).removesuffix(f" {unit}"),
        duration_text(run.duration_s),
        pace_text(run.distance_m, run.duration_s, unit).removesuffix(f" /{unit}"),
        "-" if run.rpe is None else str(run.rpe),
        _warmup_text(run),
        ache_markers(run.aches, colours),
        _flags_cell(shown.flags, colours),
    ]


def _fit(cell: Text, width: int) -> Text:
    """A flags cell cut to the column with an ellipsis, its "+2" (more flags) kept."""
    if cell.cell_len <= width:
        return cell
    label, plus, more = cell.plain.rpartition(" +")
    tail = f"{plus}{more}" if label and more.isdecimal() else ""
    head = cell[:len(cell.plain) - len(tail)] if tail else cell
    head.truncate(width - len(tail), overflow="ellipsis")
    return head + Text(tail, style=cell.style)


def _width(cell: str | Text) -> int:
    return cell_len(cell) if isinstance(cell, str) else cell.cell_len


def _date_text(moment: datetime, zone: tzinfo, this_year: int) -> str:
    """"16 Nov 07:10" this year; "16 Nov 2025" before (the year matters more than the hour)."""
    local = moment.astimezone(zone)
    return f"{local:%d %b %H:%M}" if local.year == this_year else f"{local:%d %b %Y}"


def ache_markers(aches: tuple[Ache, ...], colours: dict[str, str]) -> Text:
    """"K4 H2": the worst score of each part, coloured by its pain zone."""
    worst: dict[str, int] = {}
    for ache in aches:
        worst[ache.body_part] = max(ache.score, worst.get(ache.body_part, 0))
    text = Text()
    for part, score in worst.items():
        if text:
            text.append(" ")
        text.append(f"{MARKERS.get(part, part)}{score}", style=colours[pain_zone(score)])
    return text or Text("-")


def _flags_cell(flags: list[Flag], colours: dict[str, str]) -> Text:
    if not flags:
        return Text("-")
    worst = max(flags, key=lambda flag: LEVEL_RANK.get(flag.level, 0))
    more = f" +{len(flags) - 1}" if len(flags) > 1 else ""
    return Text(worst.label + more, style=colours[LEVEL_COLOUR.get(worst.level, "text-muted")])


def _flag_lines(flags: list[Flag], colours: dict[str, str]) -> Text:
    text = Text()
    for flag in flags:
        if text:
            text.append("\n")
        text.append("! ", style=f"bold {colours[LEVEL_COLOUR.get(flag.level, 'text-muted')]}")
        text.append(flag.why)
    return text


def detail_text(shown: ShownRun, unit: str, zone: tzinfo, colours: dict[str, str]) -> Text:
    run = shown.run
    effort = "" if run.rpe is None else f", effort {run.rpe}/10"
    text = Text(f"{distance_text(run.distance_m, unit)} in {duration_text(run.duration_s)}, "
                f"{pace_text(run.distance_m, run.duration_s, unit)}{effort}\n")
    linked = "stopped part-way, before this run" if run.warmup_id and not run.warmup_completed else (
        "done before this run" if run.warmup_id else "none linked to this run")
    text.append(f"Warm-up: {linked}\n")
    # A preview: a 10 MB note would take the window a gigabyte to lay out.
    text.append(f"Notes: {visible_text(run.notes)}\n" if run.notes else "No notes.\n")
    text.append("\nAches\n", style="bold")
    if not run.aches:
        text.append("  none written down\n")
    for ache in run.aches:
        text.append(f"  {part_title(ache.body_part)}, {ache.side}, {PHASE_NAMES[ache.phase]}: ")
        text.append(f"{ache.score}/10 ({pain_zone(ache.score)})\n", style=colours[pain_zone(ache.score)])
    text.append("\nFlags\n", style="bold")
    if shown.flags:
        text.append_text(_flag_lines(shown.flags, colours))
        text.append("\n\nFlags are information, never a diagnosis.", style="italic")
    else:
        text.append("  none: nothing in this run's aches or length stands out.")
    return text


def _warmup_text(run) -> str:
    if run.warmup_id is None:
        return "-"
    return "yes" if run.warmup_completed else "part"


def run_colours(variables: dict[str, str], theme: str) -> dict[str, str]:
    """The run log's colours in `theme`, as Rich can draw them."""
    # Theme variables can be CSS-only values ("auto 60%" for text-muted) that Rich cannot draw.
    found = theme_colours(variables, theme)
    colours = {name: found.get(name, fallback) for name, fallback in FALLBACK_COLOURS.items()}
    colours["text-muted"] = found.get("muted", FALLBACK_COLOURS["text-muted"])
    # The ache zones as Progress draws them: told apart in every theme (test_ache_colours).
    colours.update({zone: found.get(zone, FALLBACK_COLOURS[name]) for zone, name in ZONE_COLOUR.items()})
    return colours
