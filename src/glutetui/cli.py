"""The `glutetui` command: parses arguments and hands over; no logic of its own."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, NoReturn

from glutetui import __version__
from glutetui.clock import SystemClock
from glutetui.crashlog import crash_message, write_crash_log
from glutetui.domain.display_text import terminal_safe_json, visible_message
from glutetui.domain.timefmt import EARLIEST_YEAR
from glutetui.domain.wording import counted
from glutetui.errors import UserFacingError
from glutetui.paths import Locations, resolve, user_path, write_fix

MAX_DEMO_WEEKS = 520
MAX_REPORT_WEEKS = 104  # two years on one page; longer stops being something to read in one sitting
STATE_COMMANDS = {
    "sit": "record that you sit down now",
    "stand": "record that you stand now",
    "break": "record that you take a break now",
    "away": "record that you leave the desk now",
}
STATE_NAMES = {"sit": "sitting", "stand": "standing", "break": "break", "away": "away"}
STATE_WORDS = {"sit": "sitting", "stand": "standing", "break": "on a break", "away": "away from the desk"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    locations = None
    try:
        locations = resolve(args.db, args.config)
        code = args.handler(args, locations)
        sys.stdout.flush()  # here, so a closed pipe is met inside the try and not at exit
        return code
    except Exception as error:
        return failure_exit(error, locations)
    except KeyboardInterrupt:
        return 130


def failure_exit(error: Exception, locations: Locations | None) -> int:
    """Say what went wrong in a command, on stderr, and return its exit code; shared with the
    lean `status` path (glutetui.entry), so both end the same way."""
    if isinstance(error, UserFacingError):
        print(visible_message(f"glutetui: {error}"), file=sys.stderr)  # it may quote a path or a value
        return error.exit_code
    if isinstance(error, BrokenPipeError):
        # `glutetui report | head` closed the pipe: not an error of ours. Point stdout at
        # nothing so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    if isinstance(error, OSError):
        if error.filename is None:
            return _crash(error)
        # A path the system refuses, such as a name too long: the path and the reason.
        fix = write_fix(error) if error.errno in (errno.ENOSPC, errno.EROFS) else "Check the path."
        print(visible_message(f"glutetui: {error.filename}: {error.strerror}. {fix}"), file=sys.stderr)
        return 2
    # The last line of defence: a message, not a traceback.
    problem = _file_problem(error, locations)
    if problem is not None:
        print(f"glutetui: {problem}", file=sys.stderr)
        return problem.exit_code
    return _crash(error)


def _file_problem(error: Exception, locations: Locations | None):
    """A busy file, a full disk or an I/O error is the user's to wait out or fix, not a bug."""
    from glutetui.store.db import file_problem

    return file_problem(error, locations.db) if locations is not None else None


def _crash(error: BaseException) -> int:
    print(visible_message(crash_message(error, write_crash_log(error, SystemClock().now()))), file=sys.stderr)
    return 1


class CommandLineParser(argparse.ArgumentParser):
    """argparse with two of its edges taken off. A mistake it reports quotes the command
    line, which may hold control characters (`glutetui warmup $'\\e]0;x\\a'`): they are shown
    as text. And `--distance=--` is the value "--", which the command then refuses by name,
    not the empty list Python 3.11's argparse makes of it, which crashed the command."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, visible_message(f"{self.prog}: error: {message}") + "\n")

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        if action.nargs is None and arg_strings == ["--"]:
            value = self._get_value(action, "--")
            self._check_value(action, value)
            return value
        return super()._get_values(action, arg_strings)


def build_parser() -> argparse.ArgumentParser:
    # Global options work before or after the subcommand; SUPPRESS keeps a
    # subcommand's unset copy from overwriting one given before it.
    shared = CommandLineParser(add_help=False)
    _add_location_options(shared, default=argparse.SUPPRESS)

    parser = CommandLineParser(
        prog="glutetui",
        description="A terminal companion for runners who sit all day. With no command it opens the app.",
        epilog="Run 'glutetui COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"glutetui {__version__}")
    _add_location_options(parser, default=None)
    parser.set_defaults(handler=_open_app)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    commands.add_parser(
        "open", parents=[shared], help="open the app (the same as no command)",
        description="Open the glutetui app in this terminal. Quit with ctrl+q.",
    ).set_defaults(handler=_open_app)

    warmup = commands.add_parser(
        "warmup", parents=[shared], help="open the app straight on a running warm-up",
        description="Open the app and start a guided warm-up at once. Routines: the shipped pre-run, "
        "desk-break and strength, plus your own in the routines folder beside your settings file.",
    )
    warmup.add_argument("routine", nargs="?", default="pre-run", help="which routine (default: pre-run)")
    warmup.set_defaults(handler=_open_app)

    commands.add_parser(
        "doctor", parents=[shared], help="check the installation, the database and the settings",
        description="Print versions and file locations and check them. Exit 0 when all is well, 1 when not.",
    ).set_defaults(handler=_doctor)

    status = commands.add_parser(
        "status", parents=[shared], help="print today's sitting in one line (for tmux or a status bar)",
        description="Print the current state, today's sitting, the current bout and the next stand-up "
        "reminder. Works whether or not the app is open.",
    )
    status.add_argument("--json", action="store_true", help="print the numbers as JSON")
    status.set_defaults(handler=_status)

    for state, text in STATE_COMMANDS.items():
        command = commands.add_parser(
            state, parents=[shared], help=text,
            description=f"Record that you are {STATE_WORDS[state]} from now on. The open app shows it within "
            "two seconds; with the app closed it is recorded all the same.",
        )
        command.add_argument("--note", default=None, type=_stored_text, help="a few words to keep with it")
        command.set_defaults(handler=_say_state, state=STATE_NAMES[state])

    commands.add_parser(
        "notify-test", parents=[shared], help="send a test desktop notification",
        description="Send a test desktop notification the way reminders are sent. Exit 0 when it was handed "
        "to the desktop, 1 with the reason when not.",
    ).set_defaults(handler=_notify_test)

    _add_run_commands(commands, shared)

    report = commands.add_parser(
        "report", parents=[shared], help="print a week's sitting, breaks, warm-ups, runs and aches",
        description="The numbers of the Progress tab for one week (this week by default): a summary with the "
        "change from last week, a table by day, and the insights of the last 12 weeks.",
    )
    which = report.add_mutually_exclusive_group()
    which.add_argument("--week", metavar="YYYY-Www", help="an ISO week, e.g. 2026-W47")
    which.add_argument("--date", metavar="YYYY-MM-DD", help="the week holding this day, e.g. 2026-11-18")
    report.add_argument("--json", action="store_true", help="print the numbers as JSON")
    report.add_argument("--svg", metavar="FILE", help="also save the week's Progress tab as an SVG picture")
    page = report.add_argument_group(
        "a page for a physio or coach",
        "--html writes one HTML page over several weeks ending with the week asked for: pain by body part, "
        "load, warm-ups and sitting, with the numbers embedded as JSON. It works offline and prints on A4.")
    page.add_argument("--html", metavar="FILE", help="write the page to FILE (readable by you only)")
    page.add_argument("--weeks", type=_whole_number(1, MAX_REPORT_WEEKS), default=None, metavar="N",
                      help=f"how many weeks the page covers (1-{MAX_REPORT_WEEKS}; default 12)")
    page.add_argument("--no-notes", action="store_true", help="leave your run notes off the page")
    page.add_argument("--force", action="store_true", help="replace FILE if it exists")
    report.set_defaults(handler=_report)

    _add_exchange_commands(commands, shared)

    demo = commands.add_parser(
        "demo", parents=[shared], help="fill a new database with invented sample data",
        description="Fill an empty database with realistic, invented sample data, the same for the same seed. "
        "It needs its own file: glutetui demo --db demo.db",
    )
    demo.add_argument("--weeks", type=_whole_number(1, MAX_DEMO_WEEKS), default=8,
                      help=f"how many weeks of data (1-{MAX_DEMO_WEEKS}; default 8)")
    demo.add_argument("--seed", type=_whole_number(0, 2**63 - 1), default=1,
                      help="the same seed gives the same data (default 1)")
    demo.add_argument("--until", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                      help="last day of the data (default: now)")
    demo.set_defaults(handler=_demo)
    return parser


def _add_exchange_commands(commands, shared: argparse.ArgumentParser) -> None:
    export = commands.add_parser(
        "export", parents=[shared], help="write every table to JSON or CSV",
        description="Write every row of every table, exactly as stored (times in UTC, ISO 8601). JSON is one "
        "document; CSV is a folder with one file per table. 'glutetui import' reads either back.",
    )
    export.add_argument("--format", choices=("json", "csv"), default="json", help="json (default) or csv")
    export.add_argument("--out", metavar="PATH", default=None,
                        help="the file (json) or new folder (csv) to write; '-' prints the JSON "
                        "(default: glutetui-export-DATE in this folder)")
    export.add_argument("--safe-csv", action=argparse.BooleanOptionalAction, default=True,
                        help="in CSV, put ' before text that starts with = + - @, a tab or a CR, so a spreadsheet "
                        "shows it instead of running it as a formula; 'glutetui import' takes it off again "
                        "(default: on; --no-safe-csv writes the text exactly as stored)")
    export.set_defaults(handler=_export)

    imports = commands.add_parser(
        "import", parents=[shared], help="add runs from Strava or GPX files, or a glutetui export",
        description="Add what the files hold: Strava's activities.csv (the runs in it), GPX files (one run per "
        "track), a folder of them, or a glutetui export. Files are recognised by what is in them. Nothing is "
        "added twice, so importing a file again adds nothing; each file is added whole or not at all.",
    )
    imports.add_argument("files", nargs="+", metavar="FILE", help="files or folders to import")
    imports.add_argument("--dry-run", action="store_true", help="show what would be added, and add nothing")
    imports.set_defaults(handler=_import)

    merge = commands.add_parser(
        "merge", parents=[shared], help="add the rows of another computer's glutetui database",
        description="Add the rows of another glutetui database (say, the one from your work computer) that "
        "this one does not have. Rows both have are kept once; where both changed a row, the later change "
        "wins. The other file is only read.",
    )
    merge.add_argument("other", metavar="OTHER.db", help="the other database file")
    merge.add_argument("--dry-run", action="store_true", help="show what would be added, and add nothing")
    merge.set_defaults(handler=_merge)


def _export(args: argparse.Namespace, locations: Locations) -> int:
    from pathlib import Path

    from glutetui.services.export import check_target, default_target, export
    from glutetui.store.db import open_readonly

    clock = SystemClock()
    now = clock.now()
    to_stdout = args.out == "-"
    if to_stdout and args.format == "csv":
        raise UserFacingError("--out -: a CSV export is a folder of files; give a folder name, or use --format json")
    if args.out is not None and not args.out.strip():
        raise UserFacingError("--out: give a path, e.g. --out runs-backup.json")
    out = None if to_stdout else (user_path(args.out, "--out") if args.out else
                                  default_target(args.format, f"{now.astimezone(clock.local_zone()):%Y-%m-%d}",
                                                 Path.cwd()))
    check_target(args.format, out)
    db = open_readonly(locations.db)
    try:
        # Printed a piece at a time as it is read; the same values, no control character reaches a terminal.
        done = export(db, args.format, out, now, safe_csv=args.safe_csv,
                      write=lambda text: sys.stdout.write(terminal_safe_json(text)))
    finally:
        db.close()
    if done.path is None:
        return 0
    rows = ", ".join(f"{table} {count}" for table, count in done.counts.items())
    print(visible_message(f"Exported {counted(sum(done.counts.values()), 'row')} ({rows}) to {done.path}."))
    return 0


def _import(args: argparse.Namespace, locations: Locations) -> int:
    from glutetui.services.importing import Importer

    if any(not name.strip() for name in args.files):
        # An unset shell variable would otherwise import the whole current folder.
        raise UserFacingError("import: one of the paths is empty; name a file or folder (. for this folder)")
    db, note = _open_for_import(locations, args.dry_run)
    try:
        with _ProgressBar("Importing") as bar:
            summary = Importer(db, SystemClock().now(), dry_run=args.dry_run).import_paths(args.files, bar.update)
    finally:
        db.close()
    summary.database_note = note
    return _print_summary(summary)


def _print_summary(summary) -> int:
    from glutetui.services.import_report import summary_lines

    print("\n".join(summary_lines(summary)))
    if summary.failed:
        print("glutetui: not everything was imported; the reasons are listed above.", file=sys.stderr)
        return 2
    return 0


def _merge(args: argparse.Namespace, locations: Locations) -> int:
    from glutetui.services.importing import Importer, Summary, open_other

    other = open_other(user_path(args.other, "OTHER.db"), locations.db)
    try:
        db, note = _open_for_import(locations, args.dry_run)
        try:
            report = Importer(db, SystemClock().now(), dry_run=args.dry_run).merge(other, args.other)
        finally:
            db.close()
    finally:
        other.close()
    summary = Summary([report], args.dry_run, database_note=note)
    return _print_summary(summary)


def _open_for_import(locations: Locations, dry_run: bool):
    """The database to import into, and for a dry run what the command would do to the file first."""
    from glutetui.services.import_report import dry_run_note
    from glutetui.store.db import copy_in_memory, open_store

    if dry_run:  # works on a copy in memory: creates no folder or file and migrates nothing
        db, status = copy_in_memory(locations.db)
        return db, dry_run_note(locations.db, status)
    if locations.db_is_default:
        locations.db.parent.mkdir(parents=True, exist_ok=True)
    return open_store(locations.db), None


class _ProgressBar:
    """A Rich progress bar on stderr, shown only once an import has taken a second."""

    DELAY_S = 1.0

    def __init__(self, label: str, clock=None, console=None) -> None:
        import time

        self.clock = clock or time.monotonic
        self.label, self.started, self.console = label, self.clock(), console
        self.progress = self.task = None

    def update(self, done: int, total: int) -> None:
        if self.progress is None:
            if self.clock() - self.started < self.DELAY_S or done >= total:
                return
            from rich.console import Console
            from rich.progress import Progress

            console = self.console or Console(stderr=True)
            if not console.is_terminal:
                return
            self.progress = Progress(console=console, transient=True)
            self.progress.start()
            self.task = self.progress.add_task(self.label, total=total)
        self.progress.update(self.task, completed=done, total=total)

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc) -> None:
        if self.progress is not None:
            self.progress.stop()


def _add_run_commands(commands, shared: argparse.ArgumentParser) -> None:
    run = commands.add_parser("run", parents=[shared], help="log, list or delete runs",
                              description="The run log: add a run with its aches, list runs with their flags, "
                              "delete one.")
    run_commands = run.add_subparsers(title="run commands", metavar="ACTION", required=True)
    add = run_commands.add_parser(
        "add", parents=[shared], help="log a run",
        description="Log a run. Distances like 10 (in your unit, km or mi as the settings say), 5k, 5 km, "
        "3.1 mi, 10000 m, half; times like 25 (minutes), 28:30, 1:02:15, 45m; when like now, yesterday 18:00, "
        "2026-11-20 7am. Nothing is stored unless every value is right.",
    )
    add.add_argument("--distance", required=True, metavar="D",
                     help="how far, e.g. 10 (in your unit: km, or mi if the settings say so), 5k or 3.1 mi")
    add.add_argument("--time", required=True, metavar="T", help="how long, e.g. 25 (minutes), 28:30 or 1h05")
    add.add_argument("--when", default=None, metavar="W",
                     help="when it started (default: the end of a warm-up done in the 2 hours before, else now)")
    add.add_argument("--rpe", default=None, metavar="N", help="how hard it felt, 1 (easy) to 10 (all out)")
    add.add_argument("--ache", action="append", default=[], metavar="PART:SIDE:SCORE[:PHASE]",
                     help="an ache, e.g. knee:left:4 (PART: hip, knee, lower_back, hamstring, it_band, shin, "
                     "calf, foot; SIDE: left, right or both, and centre for the lower back; SCORE 0-10; "
                     "PHASE: during, after (default), next_morning); repeat for more")
    add.add_argument("--notes", default="", metavar="TEXT", type=_stored_text, help="a few words about the run")
    add.add_argument("--json", action="store_true", help="print the stored run with its pace and flags as JSON")
    add.set_defaults(handler=_run_add)
    listing = run_commands.add_parser("list", parents=[shared], help="list runs with pace and flags",
                                      description="List runs, oldest first, with pace, warm-up and flags.")
    listing.add_argument("--since", default=None, metavar="W", help="only runs from then on, e.g. monday or 2026-11-01")
    listing.add_argument("--json", action="store_true", help="print the runs as JSON")
    listing.set_defaults(handler=_run_list)
    delete = run_commands.add_parser("delete", parents=[shared], help="delete a run and its aches",
                                     description="Delete one run and its aches, by the id (or its first 8 "
                                     "characters) that 'glutetui run list' shows.")
    delete.add_argument("id", metavar="ID", type=_stored_text, help="the run's id")
    delete.set_defaults(handler=_run_delete)


def _run_add(args: argparse.Namespace, locations: Locations) -> int:
    from glutetui.services import runs

    clock, db, settings = _open_for_runs(locations)
    shown = runs.log_run(db, clock.now(), clock.local_zone(), distance=args.distance, duration=args.time,
                         when=args.when, rpe=args.rpe, aches=args.ache, notes=args.notes, unit=settings.units)
    print(runs.runs_text([shown], settings.units, clock.local_zone(), as_json=args.json, one=True))
    return 0


def _run_list(args: argparse.Namespace, locations: Locations) -> int:
    from glutetui.services import runs

    clock, db, settings = _open_for_runs(locations)
    since = runs.since_moment(args.since, clock.now(), clock.local_zone())
    print(runs.runs_text(runs.list_runs(db, since), settings.units, clock.local_zone(), as_json=args.json))
    return 0


def _run_delete(args: argparse.Namespace, locations: Locations) -> int:
    from glutetui.services import runs

    clock, db, settings = _open_for_runs(locations)
    run = runs.delete_run(db, args.id)
    print(f"Deleted the run of {run.started_at.astimezone(clock.local_zone()):%Y-%m-%d %H:%M} and its aches.")
    return 0


def _open_for_runs(locations: Locations):
    from glutetui.config import load_settings
    from glutetui.store.db import open_store

    settings = load_settings(locations.config)
    return SystemClock(), open_store(locations.db), settings


def _report(args: argparse.Namespace, locations: Locations) -> int:
    import json

    from glutetui.config import load_settings
    from glutetui.services.progress import (
        load_pain_timeline,
        load_progress,
        report_json,
        report_text,
        this_week,
        week_asked,
    )
    from glutetui.services.status import open_until
    from glutetui.store import posture
    from glutetui.store.db import open_readonly
    from glutetui.store.lock import app_is_running

    page_target = _page_target(args)
    settings = load_settings(locations.config)
    clock = SystemClock()
    now, zone = clock.now(), clock.local_zone()
    start = week_asked(args.week, args.date, now, zone, settings)
    if page_target is not None:
        return _report_page(args, locations, page_target, settings, clock, start)
    svg = _svg_target(args.svg) if args.svg is not None else None
    db = open_readonly(locations.db)
    try:
        current = posture.open_posture(db)
        shown = load_progress(db, now=now, zone=zone, settings=settings, start=start,
                              open_until=open_until(current, now, app_is_running(locations.db), clock))
        pain = load_pain_timeline(db, shown, zone) if svg is not None else None  # the picture shows it as the tab does
    finally:
        db.close()
    print(json.dumps(report_json(shown, settings, now), indent=2) if args.json else report_text(shown, settings))
    if svg is not None:
        from glutetui.ui.export import (
            save_progress_svg,  # Textual loads only for a picture
        )

        save_progress_svg(shown, settings, now.astimezone(zone), svg,
                          current=shown.week.start == this_week(now, zone, settings), pain=pain)
        print(f"Saved the Progress tab of {shown.week.label} to {svg}.", file=sys.stderr if args.json else sys.stdout)
    return 0


def _page_target(args: argparse.Namespace):
    """The --html path, checked before anything is read; None without --html."""
    if args.html is None:
        for given, option in ((args.weeks is not None, "--weeks"), (args.no_notes, "--no-notes"),
                              (args.force, "--force")):
            if given:
                raise UserFacingError(f"{option}: only goes with --html, e.g. glutetui report --html page.html {option}"
                                      + (" 12" if option == "--weeks" else ""))
        return None
    for given, option in ((args.json, "--json"), (args.svg is not None, "--svg")):
        if given:
            raise UserFacingError(f"{option}: not with --html, whose page holds the numbers as JSON; "
                                  f"use one of the two, or run report twice")
    if not args.html.strip():
        raise UserFacingError("--html: give a file name, e.g. --html report.html")
    from glutetui.services.report_page import check_page_target

    path = user_path(args.html, "--html")
    check_page_target(path, args.force)
    return path


def _report_page(args: argparse.Namespace, locations: Locations, path, settings, clock, start: date) -> int:
    from glutetui.services.report_html import render_page
    from glutetui.services.report_page import DEFAULT_WEEKS, load_report_page, write_page
    from glutetui.services.status import open_until
    from glutetui.store import posture
    from glutetui.store.db import open_readonly
    from glutetui.store.lock import app_is_running

    now, zone = clock.now(), clock.local_zone()
    db = open_readonly(locations.db)
    try:
        current = posture.open_posture(db)
        page = load_report_page(db, now=now, zone=zone, settings=settings, last=start,
                                weeks=args.weeks or DEFAULT_WEEKS, notes=not args.no_notes,
                                open_until=open_until(current, now, app_is_running(locations.db), clock))
    finally:
        db.close()
    write_page(path, render_page(page), args.force)
    first, last = page.weeks[0].week.label, page.weeks[-1].week.label
    print(visible_message(f"Wrote the report of {first} to {last} to {path}."))
    return 0


def _svg_target(text: str):
    if not text.strip():
        raise UserFacingError("--svg: give a file name, e.g. --svg week.svg")
    path = user_path(text, "--svg")
    if path.is_dir():
        raise UserFacingError(f"--svg: {path} is a folder; give a file name, e.g. {path / 'week.svg'}")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise UserFacingError(f"--svg: {path} is a link or a special file, not a picture to replace; "
                              "give the path of a new or plain file")
    if not path.parent.is_dir():
        raise UserFacingError(f"--svg: the folder {path.parent} does not exist (or is a file); "
                              "create it or pick another path")
    return path


def _add_location_options(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument("--db", metavar="PATH", default=default,
                        help="database file (default: in your data folder; or set GLUTETUI_DB)")
    parser.add_argument("--config", metavar="PATH", default=default,
                        help="settings file (default: in your config folder; or set GLUTETUI_CONFIG)")


def _whole_number(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from {low} to {high}")
        return value
    return parse


def _iso_date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-20") from None
    if day.year < EARLIEST_YEAR:
        raise argparse.ArgumentTypeError(f"{text!r} is before {EARLIEST_YEAR}; give a later day like 2026-11-20")
    return day


def _stored_text(text: str) -> str:
    # Bytes that are not UTF-8 arrive as lone surrogates (surrogateescape), which SQLite cannot store.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise argparse.ArgumentTypeError(f"{text!r} holds bytes that are not UTF-8 text; "
                                          "type it again, or set your terminal to UTF-8") from None
    return text


def _open_app(args: argparse.Namespace, locations: Locations) -> int:
    from glutetui.launch import open_app

    return open_app(locations, getattr(args, "routine", None))


def _doctor(args: argparse.Namespace, locations: Locations) -> int:
    from glutetui.services.doctor import examine

    report = examine(locations)
    width = max(len(label) for label, _ in report.facts)
    # Paths, routine names and problems quote the user's files: shown as text, one line each.
    for label, value in report.facts:
        print(visible_message(f"{label:<{width}}  {value}", one_line=True))
    if report.ok:
        print("All well.")
        return 0
    for problem in report.problems:
        print(visible_message(f"problem: {problem}", one_line=True))
    return 1


def _status(args: argparse.Namespace, locations: Locations) -> int:
    # What glutetui.entry runs for a plain `status` line, for one it left to argparse (abbreviated options).
    from glutetui.entry import run_status

    return run_status(args.db, args.config, args.json)


def _say_state(args: argparse.Namespace, locations: Locations) -> int:
    from glutetui.services.status import say_state

    clock = SystemClock()
    said = say_state(locations, args.state, args.note, clock)
    at = said.at.astimezone(clock.local_zone())
    where = "the open app shows it within 2 s" if said.app_running else "glutetui is not open; recorded all the same"
    print(f"{said.state} from {at:%H:%M} ({where})")
    return 0


def _notify_test(args: argparse.Namespace, locations: Locations) -> int:
    from glutetui.services.notifier import Notifier, send_test_notification

    notifier = Notifier()
    delivery = send_test_notification(notifier)
    if not delivery.sent:
        print(f"glutetui: {delivery.problem}", file=sys.stderr)
        return 1
    print(f"Sent through {delivery.backend}. If nothing appeared, check your desktop's do-not-disturb setting.")
    buttons = notifier.buttons()
    notifier.close()
    if buttons.startswith("none: "):
        print(f"Reminders here have no buttons ({buttons.removeprefix('none: ')}).")
    else:
        print("Reminders here offer Take, Snooze 5 min and Skip on the notification.")
    return 0


def _demo(args: argparse.Namespace, locations: Locations) -> int:
    from glutetui.services.demo import fill_demo
    from glutetui.store.db import open_store
    from glutetui.store.queries import is_empty

    if locations.db_is_default:
        raise UserFacingError(
            "demo writes invented data, so it never uses your own database. "
            "Give it a file of its own: glutetui demo --db demo.db"
        )
    clock = SystemClock()
    zone = clock.local_zone()
    until = clock.now()
    # A day from today on changes nothing; comparing first keeps 9999-12-31 + 1 day from being computed.
    if args.until is not None and args.until < until.astimezone(zone).date():
        until = datetime.combine(args.until + timedelta(days=1), time(0), tzinfo=zone)
    db = open_store(locations.db)
    try:
        if not is_empty(db):
            raise UserFacingError(f"{locations.db}: already holds data; demo fills only an empty database. "
                                  "Pass a new file with --db.")
        counts = fill_demo(db, until=until, zone=zone, weeks=args.weeks, seed=args.seed)
    finally:
        db.close()
    summary = ", ".join(f"{count} {table}" for table, count in counts.items())
    print(f"Added {summary} to {locations.db}.")
    print(f"Open it with: glutetui --db {locations.db}")
    return 0
