"""Text from data is shown as text (issue 20): never read as markup, its control characters
written out, a huge text cut to a preview. Checked where a runner sees it: what the app's
compositor draws (the cells a terminal would get), and what the commands print."""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import sqlite3
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
import tomlkit
from app_factory import make_app
from helpers import settle, wait_until
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textual.app import App
from textual.command import CommandList
from textual.widgets import DataTable, Input

from glutetui import cli
from glutetui.clock import FakeClock
from glutetui.domain.display_text import PREVIEW_CHARS, terminal_safe_json, visible_message, visible_text
from glutetui.domain.routines import expand
from glutetui.paths import Locations
from glutetui.services.reminders import DueReminder
from glutetui.services.runs import log_run
from glutetui.services.themes import THEME_NAMES
from glutetui.store.db import open_store
from glutetui.ui.screens.reminder import ReminderScreen
from glutetui.ui.screens.run_detail import RunDetailScreen
from glutetui.ui.screens.run_form import RunFormScreen

ZONE = "Europe/Berlin"
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=timezone.utc)  # Wednesday 15:30 in Berlin
FIXTURES = Path(__file__).parent / "fixtures" / "imports"

# What a terminal obeys instead of showing: C0 but tab and newline, DEL, C1, the bidi
# embeddings, overrides and isolates; and lone surrogates, which no stream can encode.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# What XML 1.0 cannot carry at all (a GPX file with it is broken, not hostile).
NOT_IN_XML = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")

# One of each kind of trouble, as the issue found them.
HOSTILE = [
    "Hill day [/] warm-up",
    "Knee [left]",
    "[/x] stray close",
    "[link=https://example.com]a link[/link]",
    "[bold]loud",
    "\x1b]0;PWNED\x07\x1b[2Jcleared",
    "C1 \x9b2J csi",
    "abc\u202edcba",
    "\u2066isolated\u2069 \u202aembedded\u202c",
    "del\x7f nul\x00 bell\x07",
    "tab\tand\nnewline",
    "back\\slash [",
]
HOSTILE_PIECES = [*HOSTILE, "[/]", "[", "]", "\\", "\x1b", "\x1b[31m", "\x9b", "\x85", "\r", "\r\n", "\u2067",
                  "\u202e"]
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=6)), min_size=1,
                        max_size=8).map("".join)


def no_raw_control(shown: str, where: str) -> None:
    found = RAW_CONTROL.search(shown)
    if found is not None:
        around = shown[max(0, found.start() - 40):found.end() + 40]
        raise AssertionError(f"{where} holds a raw {found.group()!r}: {around!r}")


def screen_text(app: App) -> str:
    """What the screen on top draws, cell text only, as the compositor hands it to the terminal."""
    # As App.export_screenshot renders it: the whole screen, with the screens below a window.
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return "\n".join("".join(segment.text for strip in line for segment in strip if not segment.control)
                     for line in update.strips)


def toasts(app: App) -> str:
    """The notifications on screen, their wrapped lines joined again."""
    lines = [line.split("▌", 1)[1].strip() for line in screen_text(app).splitlines() if "▌" in line]
    return " ".join(line for line in lines if line)


def write_routine(folder: Path, key: str, title: str, description: str = "", step: str = "Glute bridge",
                  cue: str = "Squeeze, then lift.") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    document = {"title": title, "description": description,
                "steps": [{"name": step, "cue": cue, "seconds": 20}, {"name": "March", "cue": "Tall.", "seconds": 20}]}
    (folder / f"{key}.toml").write_text(tomlkit.dumps(document), encoding="utf-8")


def quiet_config(path: Path, extra: str = "") -> None:
    path.write_text("remind_desktop = false\nremind_in_app = false\nremind_bell = false\n" + extra)


def add_run(locations: Locations, notes: str, run_id: str | None = None) -> None:
    """A run with these notes and id as a file may hold them: written past the checks a
    typed or imported run passes (an older glutetui stored notes of any length)."""
    db = open_store(locations.db)
    try:
        stored = log_run(db, NOW, FakeClock(NOW, zone=ZONE).local_zone(), distance="5k", duration="28:30",
                         when="2026-11-17 18:00").run.id
        with db.conn:
            db.execute("UPDATE runs SET notes = ?, id = ? WHERE id = ?", [notes, run_id or stored, stored])
    finally:
        db.close()


async def open_the_only_run(pilot) -> None:
    """The Runs tab, then the window of its one run."""
    app = pilot.app
    await pilot.press("3")
    await wait_until(pilot, lambda: app.screen.query_one("#runs-table", DataTable).row_count == 1, "the run")
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, RunDetailScreen), "the run window")


async def palette_text(pilot, query: str = "") -> str:
    await pilot.press("ctrl+p")
    if query:
        await pilot.press(*query)
    await wait_until(pilot, lambda: any(lst.option_count for lst in pilot.app.screen.query(CommandList)),
                     "the palette to list commands")
    await pilot.pause()
    return screen_text(pilot.app)


# ---- the helper itself -------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b]0;PWNED\x07", "\\x1b]0;PWNED\\x07"),
    ("\x9b2J", "\\x9b2J"),
    ("\x7f\x00", "\\x7f\\x00"),
    ("a\u202eb\u2066c\u2069", "a\\u202eb\\u2066c\\u2069"),
    ("lone \udc80", "lone \\udc80"),
    ("tab\tline\nend", "tab\tline\nend"),
    ("windows\r\nold mac\rend", "windows\nold mac\nend"),
    ("[/] [bold] stays as typed", "[/] [bold] stays as typed"),
])
def test_control_characters_are_written_out_and_the_rest_is_kept(raw, shown):
    assert visible_text(raw) == shown


def test_one_line_writes_a_newline_out_too():
    assert visible_text("Hill\nday\r\nwarm-up", one_line=True) == "Hill\\nday\\nwarm-up"


def test_huge_text_is_a_preview_that_says_how_much_more_there_is():
    note = "x" * 10_000_000
    shown = visible_text(note)
    assert shown == "x" * PREVIEW_CHARS + f"... ({10_000_000 - PREVIEW_CHARS:,} more characters)"
    assert visible_text("abc", limit=3) == "abc"
    assert visible_text("abcd", limit=3) == "abc... (1 more character)"


def test_a_huge_message_loses_its_middle_and_keeps_its_advice():
    message = f"--distance: {'9' * 10_000_000!r} is not a distance; write for example 5k"
    shown = visible_message(message)
    assert shown.startswith("--distance: '999") and shown.endswith("999' is not a distance; write for example 5k")
    assert f" ... ({len(message) - PREVIEW_CHARS:,} more characters) ... " in shown
    assert len(shown) < PREVIEW_CHARS + 100
    assert visible_message("short \x1b[2J one") == "short \\x1b[2J one"


def test_json_keeps_its_values_and_loses_its_raw_controls():
    values = {"notes": "\x1b[2J\x7f\x9b\u202e\u2066 [/]", "id": "\x1b]0;x\x07"}
    document = json.dumps(values, ensure_ascii=False, indent=2)
    safe = terminal_safe_json(document)
    no_raw_control(safe, "the JSON")
    assert json.loads(safe) == values


@given(hostile_text, st.booleans())
@settings(max_examples=50, deadline=None)
def test_shown_text_holds_no_raw_control_and_showing_it_again_changes_nothing(text, one_line):
    shown = visible_text(text, one_line=one_line)
    no_raw_control(shown, "visible_text")
    assert "\r" not in shown and (not one_line or "\n" not in shown)
    assert visible_text(shown, one_line=one_line) == shown


def test_the_theme_names_below_ui_are_the_ones_the_app_offers():
    assert THEME_NAMES == set(App().available_themes)


# ---- the reproductions -----------------------------------------------------------


async def test_routine_titles_with_closing_tags_and_links_open_the_palette_as_written(locations):
    titles = ["Hill day [/] warm-up", "Strides [/x] after", "Track [link=https://example.com]"]
    for number, title in enumerate(titles):
        write_routine(locations.user_routines, f"mine-{number}", title)
    quiet_config(locations.config)
    app = make_app(locations, FakeClock(NOW, zone=ZONE))
    async with app.run_test(size=(100, 40)) as pilot:
        shown = await palette_text(pilot, "Start")
        for title in titles:
            assert f"Start: {title}" in shown
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code in (None, 0)


async def test_a_title_like_knee_left_keeps_its_brackets_in_the_palette_and_on_the_warmup_tab(locations):
    write_routine(locations.user_routines, "knee", "Knee [left]", description="Rehab [right] side")
    quiet_config(locations.config)
    app = make_app(locations, FakeClock(NOW, zone=ZONE))
    async with app.run_test(size=(100, 40)) as pilot:
        assert "Start: Knee [left]" in await palette_text(pilot, "Knee")
        await pilot.press("escape")
        await pilot.press("2")
        await wait_until(pilot, lambda: app.screen.query("#routine-list"), "the Warm-up tab")
        await pilot.pause()
        shown = screen_text(app)
        assert "Knee [left]" in shown and "Rehab [right] side" in shown


async def test_a_theme_with_markup_in_the_settings_starts_in_the_default_theme_and_says_why(locations):
    quiet_config(locations.config, 'theme = "solarized [/]"\n')
    app = make_app(locations, FakeClock(NOW, zone=ZONE))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        # The warning's toast, drawn as text.
        await wait_until(pilot, lambda: "unknown theme 'solarized [/]'; the app uses textual-dark" in toasts(app),
                         "the warning to show")
        assert app.theme == "textual-dark"
    assert app.return_code in (None, 0)


def test_doctor_names_a_theme_that_does_not_exist_and_the_fix(locations, capsys):
    quiet_config(locations.config, 'theme = "solarized [/]"\n')
    code = cli.main(["--db", str(locations.db), "--config", str(locations.config), "doctor"])
    out = capsys.readouterr().out
    assert code == 1
    assert "All well" not in out
    problem = next(line for line in out.splitlines() if line.startswith("problem:") and "theme" in line)
    assert "'solarized [/]'" in problem and 'theme = "textual-dark"' in problem and "Settings tab" in problem


async def test_escape_sequences_in_notes_show_as_text_in_the_run_window_and_form(locations, capsys):
    quiet_config(locations.config)
    notes = "\x1b]0;PWNED\x07\x1b[2Jcleared"
    assert cli.main(["--db", str(locations.db), "--config", str(locations.config), "run", "add", "--distance", "5k",
                     "--time", "28:30", "--when", "2026-11-17 18:00", "--notes", notes]) == 0
    capsys.readouterr()
    app = make_app(locations, FakeClock(NOW, zone=ZONE))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_the_only_run(pilot)
        await pilot.pause()
        shown = screen_text(app)
        no_raw_control(shown, "the run window")
        assert "Notes: \\x1b]0;PWNED\\x07\\x1b[2Jcleared" in shown
        await pilot.press("escape", "e")  # the form shows the notes the same way ...
        await wait_until(pilot, lambda: isinstance(app.screen, RunFormScreen), "the run form")
        assert app.screen.query_one("#notes-input", Input).value == "\\x1b]0;PWNED\\x07\\x1b[2Jcleared"
        no_raw_control(screen_text(app), "the run form")
        await pilot.press("ctrl+s")  # ... and, saved untouched, keeps them as they were
        await wait_until(pilot, lambda: not isinstance(app.screen, RunFormScreen), "the form to close")
        await settle(pilot)
    stored = sqlite3.connect(locations.db).execute("SELECT notes FROM runs").fetchall()
    assert stored == [(notes,)]


async def test_escape_in_a_routine_title_and_description_shows_as_text_on_the_warmup_tab(locations):
    write_routine(locations.user_routines, "sneaky", "Sneaky \x1b]0;PWNED\x07", description="\x1b[2Jgone \x9b2J")
    quiet_config(locations.config)
    app = make_app(locations, FakeClock(NOW, zone=ZONE))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("2")
        await wait_until(pilot, lambda: app.screen.query("#routine-list"), "the Warm-up tab")
        await pilot.pause()
        shown = screen_text(app)
        no_raw_control(shown, "the Warm-up tab")
        assert "Sneaky \\x1b]0;PWNED\\x07" in shown and "\\x1b[2Jgone \\x9b2J" in shown


def strava_csv(names: list[str]) -> str:
    """A Strava export whose runs are in the future, so each is rejected, named in the summary."""
    lines = (FIXTURES / "strava_empty_fields.csv").read_text(encoding="utf-8").splitlines()
    header, undated = next(csv.reader([lines[0]])), next(csv.reader([lines[1]]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for number, name in enumerate(names):
        writer.writerow([str(9100000300 + number), "Oct 3, 2099, 7:15:00 AM", name, *undated[3:]])
    return out.getvalue()


def gpx_named(name: str) -> str:
    """One GPX track called `name` with no times, so it is rejected, named in the summary.
    (XML 1.0 has no C0 but tab and newline; C1 and the bidi controls it has.)"""
    text = (FIXTURES / "no_times.gpx").read_text(encoding="utf-8")
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("<name>Drawn by hand</name>", f"<name>{escaped}</name>")


def test_import_summaries_show_strava_gpx_and_file_names_as_text(locations, tmp_path, capsys):
    folder = tmp_path / "watch"
    folder.mkdir()
    (folder / "activities.csv").write_text(strava_csv(["Evil \x1b]0;PWNED\x07 run", "Bidi \u202eflip"]))
    (folder / "track.gpx").write_text(gpx_named("C1 \x9b2J \u202eeman"), encoding="utf-8")
    (folder / "short.gpx").write_text("<gpx", encoding="utf-8")  # broken: named in the summary
    (folder / "notes \x1b[2J.txt").write_text("just text")
    quiet_config(locations.config)
    code = cli.main(["--db", str(locations.db), "--config", str(locations.config), "import", str(folder)])
    captured = capsys.readouterr()
    assert code == 2  # the broken file
    for stream, name in ((captured.out, "stdout"), (captured.err, "stderr")):
        no_raw_control(stream, name)
    assert "Evil \\x1b]0;PWNED\\x07 run" in captured.out and "Bidi \\u202eflip" in captured.out
    assert "C1 \\x9b2J \\u202eeman" in captured.out
    assert "notes \\x1b[2J.txt" in captured.out and "short.gpx" in captured.out


def test_run_list_writes_out_the_escape_in_a_merged_id(locations, tmp_path, capsys):
    other = Locations(db=tmp_path / "work.db", config=locations.config, db_is_default=False)
    add_run(other, "from work", run_id="\x1b[2J\x1b]0;" + "0" * 30)
    args = ["--db", str(locations.db), "--config", str(locations.config)]
    assert cli.main([*args, "merge", str(other.db)]) == 0
    assert cli.main([*args, "run", "list"]) == 0
    captured = capsys.readouterr()
    no_raw_control(captured.out, "run list")
    assert "[\\x1b[2J\\x1b]0;]" in captured.out


async def test_a_ten_megabyte_note_is_a_preview_in_the_run_window(locations):
    quiet_config(locations.config)
    add_run(locations, "n" * 10_000_000)
    app = make_app(locations, FakeClock(NOW, zone=ZONE))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_the_only_run(pilot)
        text = app.screen.text
        assert f"... ({10_000_000 - PREVIEW_CHARS:,} more characters)" in text
        assert len(text) < 2 * PREVIEW_CHARS


# ---- every place a string from data shows, on screen -----------------------------------


async def test_hostile_text_everywhere_in_the_app_shows_as_text(locations):
    """Every kind of trouble at once: in run notes (one of them 10 MB), routine titles,
    descriptions, step names and cues (also the desk moves of a reminder), a routine
    file with a mistake, and paths. Each place a runner can look is drawn and read."""
    folder = locations.user_routines
    for number, text in enumerate(HOSTILE):
        write_routine(folder, f"hostile-{number}", text, description=text, step=f"Step {text}", cue=text)
    write_routine(folder, "desk-break", "Desk " + HOSTILE[5], step="Move " + HOSTILE[6], cue=HOSTILE[7])
    (folder / "broken \x1b[2J.toml").write_text('title = "\x1b]0;PWNED\x07"\n')  # raw ESC: not valid TOML
    locations.config.write_text("remind_desktop = false\nremind_bell = false\n")  # the reminder opens its window
    add_run(locations, "\n".join(HOSTILE))
    add_run(locations, "\x1b[2J" * 2_500_000)  # 10 MB of escapes
    app = make_app(locations, FakeClock(NOW, zone=ZONE))
    seen: list[str] = []

    def look(where: str) -> str:
        shown = screen_text(app)
        no_raw_control(shown, where)
        seen.append(shown)
        return shown

    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("3")  # Runs: the table, then each run in its window
        table = app.screen.query_one("#runs-table", DataTable)
        await wait_until(pilot, lambda: table.row_count == 2, "the runs")
        look("the runs table")
        for _ in range(table.row_count):
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, RunDetailScreen), "the run window")
            await pilot.pause()
            look("the run window")
            await pilot.press("escape", "down")
        await pilot.press("2")  # Warm-up: the list, the problems, then a routine running
        await wait_until(pilot, lambda: app.screen.query("#routine-list"), "the Warm-up tab")
        await pilot.pause()
        look("the Warm-up tab")
        look_palette = await palette_text(pilot, "Hill")
        no_raw_control(look_palette, "the palette")
        await pilot.press("escape")
        await pilot.pause()
        app.main_screen.start_warmup("hostile-5")
        await pilot.pause()
        look("a routine running")
        desk = app.routines.routines["desk-break"]
        app.deliver_reminder(DueReminder("r1", NOW, 42, desk.steps[0], 3), expand(desk))
        await wait_until(pilot, lambda: isinstance(app.screen, ReminderScreen), "the reminder")
        await pilot.pause()
        look("the reminder")
        await pilot.press("t")  # take it: the desk move's player
        await pilot.pause()
        look("the desk move")
        await settle(pilot)
    everything = "\n".join(seen)
    assert "Knee [left]" in everything and "Hill day [/] warm-up" in everything
    assert "\\x1b]0;PWNED\\x07" in everything and "\\u202e" in everything
    assert "Start: Hill day [/] warm-up" in look_palette
    assert "broken \\x1b[2J.toml" in everything  # the routine file with a mistake, named as text
    assert app.return_code in (None, 0)


# ---- every place a string from data shows, on stdout and stderr ------------------------------


def run_commands(workdir: Path, text: str) -> list[tuple[str, str, str]]:
    """`text` as a run's notes and id (merged in), a routine's title and file name, the
    theme in the settings, a Strava run's name, a GPX track's and a file's in an imported
    folder; then every command that shows them. Returns (command, stdout, stderr)."""
    locations = Locations(db=workdir / "glutetui.db", config=workdir / "config.toml", db_is_default=False)
    other = Locations(db=workdir / "work.db", config=locations.config, db_is_default=False)
    # Files every command reads take a slice: 10 MB of TOML would take each command seconds to parse.
    part = text[:999]
    locations.config.write_text(tomlkit.dumps({"theme": part}))
    write_routine(locations.user_routines, "mine", part, description=part, step=part + "x", cue=part + "x")
    safe_name = "".join(char for char in text[:60] if char not in "/\x00") or "x"
    write_routine(locations.user_routines, safe_name + "-r", "plain")
    add_run(locations, text)
    add_run(other, text, run_id=text[:8] + "-" + "0" * 30)
    imports = workdir / "in"
    imports.mkdir()
    (imports / "activities.csv").write_text(strava_csv([text]), encoding="utf-8")
    (imports / "track.gpx").write_text(gpx_named(NOT_IN_XML.sub("", text)), encoding="utf-8")
    (imports / (safe_name + ".txt")).write_text("not a run")
    base = ["--db", str(locations.db), "--config", str(locations.config)]
    results = []
    for command in (["merge", str(other.db)], ["import", str(imports)], ["run", "list"], ["run", "list", "--json"],
                    ["report"], ["doctor"], ["warmup", text + "?"]):  # no routine: the app never opens
        out, err = io.StringIO(), io.StringIO()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdout", out)
            patch.setattr("sys.stderr", err)
            try:
                cli.main([*base, *command])
            except SystemExit as exit:  # argparse's own usage error: text starting with "-"
                assert exit.code == 2, (command, err.getvalue())
        results.append((command[0] + " " + command[-1][:10], out.getvalue(), err.getvalue()))
    return results


@given(hostile_text)
@example("Hill day [/] warm-up \x1b]0;PWNED\x07 \x9b2J \u202e")
@example("x" * 10_000_000)
@example("-\x1b]0;PWNED\x07")  # read by argparse as an option: its error quotes it
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_commands_print_hostile_text_as_text(text):
    with tempfile.TemporaryDirectory() as folder:
        for command, out, err in run_commands(Path(folder), text):
            no_raw_control(out, f"stdout of {command}")
            no_raw_control(err, f"stderr of {command}")
            assert "Traceback" not in err and "unexpected error" not in err, (command, err[:400])


def test_every_notification_glutetui_sends_is_plain_text():
    """Textual reads a toast as markup unless told not to; glutetui's own notifications
    quote paths, routines and settings, so every one says markup=False. (The default stays
    Textual's for Textual's own toasts, such as its ctrl+c hint.)"""
    unmarked = []
    for path in (Path(__file__).resolve().parents[1] / "src" / "glutetui" / "ui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "notify"
                    and not isinstance(node.func.value, ast.Call)):  # super().notify: the override itself
                markup = {keyword.arg: keyword.value for keyword in node.keywords}.get("markup")
                if not (isinstance(markup, ast.Constant) and markup.value is False):
                    unmarked.append(f"{path.name}:{node.lineno}")
    assert unmarked == []
