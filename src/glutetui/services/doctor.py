"""`glutetui doctor`: what is installed, where the files are, and whether they are healthy."""

from __future__ import annotations

import platform
import sqlite3
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version

from glutetui import __version__
from glutetui.config import load_settings
from glutetui.errors import UserFacingError
from glutetui.paths import Locations
from glutetui.domain.routines import total_seconds
from glutetui.services.content import ContentError, load_tips
from glutetui.services.idle import NO_PROBE_TEXT, ProbeError, find_probe
from glutetui.services.notifier import Notifier
from glutetui.services.routines import load_routines
from glutetui.services.themes import THEME_NAMES, unknown_theme_problem
from glutetui.services.voice import VOICE_PROGRAMS, find_voice
from glutetui.store.db import inspect_file, open_readonly
from glutetui.store.migrations import SCHEMA_VERSION
from glutetui.store.queries import integrity_problems, row_counts


@dataclass
class DoctorReport:
    facts: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def examine(locations: Locations) -> DoctorReport:
    report = DoctorReport()
    report.facts += [
        ("glutetui", __version__),
        ("python", platform.python_version()),
        ("textual", _package_version("textual")),
        ("sqlite", sqlite3.sqlite_version),
    ]
    _examine_database(locations, report)
    _examine_config(locations, report)
    _examine_content(report)
    _examine_routines(locations, report)
    _examine_voice(report)
    _examine_idle(report)
    _examine_notifier(report)
    return report


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _examine_database(locations: Locations, report: DoctorReport) -> None:
    path = locations.db
    report.facts.append(("database", str(path)))
    try:
        status = inspect_file(path)
    except UserFacingError as error:
        report.problems.append(str(error))
        return
    if not status.exists:
        report.facts.append(("schema", f"none yet: the file is made on first start (app schema {SCHEMA_VERSION})"))
        return
    report.facts.append(("schema", f"{status.schema_version} (app knows {SCHEMA_VERSION})"))
    if status.schema_version < SCHEMA_VERSION:
        report.facts.append(("upgrade", "the next start of glutetui upgrades this file"))
        return
    db = open_readonly(path)
    try:
        problems = integrity_problems(db)
        counts = row_counts(db)
    except sqlite3.DatabaseError as error:
        problems, counts = [str(error)], {}
    finally:
        db.close()
    if problems:
        report.problems.append(
            f"{path}: integrity check failed ({problems[0]}). Restore a backup; see README, 'Back up your data'."
        )
    else:
        report.facts.append(("rows", ", ".join(f"{table} {count}" for table, count in counts.items())))


def _examine_config(locations: Locations, report: DoctorReport) -> None:
    path = locations.config
    exists = path.exists()
    report.facts.append(("config", f"{path}" + ("" if exists else " (not written yet; defaults apply)")))
    try:
        settings = load_settings(path)
    except UserFacingError as error:
        report.problems.append(str(error))
        return
    if settings.theme not in THEME_NAMES:  # the app starts all the same, in the default theme
        report.problems.append(unknown_theme_problem(settings.theme, path))


def _examine_content(report: DoctorReport) -> None:
    try:
        report.facts.append(("tips", f"{len(load_tips())} loaded"))
    except ContentError as error:
        report.problems.append(str(error))


def _examine_routines(locations: Locations, report: DoctorReport) -> None:
    book = load_routines(locations.user_routines)
    for key in book.names():
        seconds = round(total_seconds(book.routines[key]))
        report.facts.append(("routine", f"{key} ({seconds // 60}:{seconds % 60:02d}) from {book.origins[key]}"))
    report.problems.extend(book.problems)


def _examine_voice(report: DoctorReport) -> None:
    program = find_voice()
    report.facts.append(("voice", program or f"none found; install {' or '.join(VOICE_PROGRAMS)} to hear step names"))


def _examine_idle(report: DoctorReport) -> None:
    probe = find_probe()
    if probe is not None:
        try:
            probe.read()  # a probe that takes logind's lock state as well looks logind up at its first read
        except ProbeError:
            pass  # it answered a moment ago; its name still says which one the app would use
    report.facts.append(("idle probe", probe.name if probe else NO_PROBE_TEXT))


def _examine_notifier(report: DoctorReport) -> None:
    # "notifier", not "notifications": a label longer than "idle probe" would widen the column.
    notifier = Notifier()
    report.facts.append(("notifier", notifier.backend()))
    report.facts.append(("buttons", notifier.buttons()))
    notifier.close()
