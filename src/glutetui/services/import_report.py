"""The words an import or a merge ends with: per file what was added, left or rejected, then the sums."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from glutetui.domain.display_text import visible_message
from glutetui.domain.wording import counted
from glutetui.services.importing import FileReport, Summary
from glutetui.store.db import TABLES, FileStatus
from glutetui.store.migrations import SCHEMA_VERSION

TABLE_WORDS = {
    "posture": ("posture interval", "posture intervals"),
    "reminders": ("reminder", "reminders"),
    "reminder_pauses": ("reminder pause", "reminder pauses"),
    "warmups": ("warm-up", "warm-ups"),
    "runs": ("run", "runs"),
    "aches": ("ache", "aches"),
}
MAX_REJECTED_SHOWN = 20


def table_count(count: int, table: str) -> str:
    one, many = TABLE_WORDS[table]
    return counted(count, one, many, thousands=True)


def added_text(added: Counter) -> str:
    parts = [table_count(added[table], table) for table in TABLES if added[table]]
    return ", ".join(parts) if parts else "nothing new"


def file_lines(report: FileReport, dry_run: bool) -> list[str]:
    name = f"{report.name} ({report.kind})" if report.kind else report.name
    if report.skipped_files:
        shown = ", ".join(report.skipped_files[:5]) + (", ..." if len(report.skipped_files) > 5 else "")
        return [f"{name}: left out {len(report.skipped_files):,} "
                f"{'file' if len(report.skipped_files) == 1 else 'files'} of no kind glutetui reads ({shown})."]
    if report.problem is not None:
        return [f"{name}: not imported: it {report.problem}."]
    verb = "would add" if dry_run else "added"
    parts = [f"{verb} {added_text(report.added)}"]
    if report.updated:
        parts.append(f"{report.updated:,} {'would be updated' if dry_run else 'updated'} to a later change")
    if report.duplicates:
        parts.append(f"{report.duplicates:,} already here")
    if report.rejected:
        parts.append(f"{len(report.rejected):,} rejected")
    if report.other_activities:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(report.other_activities.items()))
        parts.append(f"{sum(report.other_activities.values()):,} other activities left out ({kinds})")
    lines = [f"{name}: {'; '.join(parts)}."]
    for where, why in report.rejected[:MAX_REJECTED_SHOWN]:
        lines.append(f"  rejected {where}: {why}")
    if len(report.rejected) > MAX_REJECTED_SHOWN:
        lines.append(f"  ...and {len(report.rejected) - MAX_REJECTED_SHOWN:,} more rejected")
    return lines


def summary_lines(summary: Summary) -> list[str]:
    """The summary, one line each; file, track and activity names and paths in them are
    written as text (visible_message), so a name cannot drive the terminal or start a line
    of its own."""
    return [visible_message(line, one_line=True) for line in _summary_text(summary)]


def _summary_text(summary: Summary) -> list[str]:
    lines = [line for report in summary.files for line in file_lines(report, summary.dry_run)]
    files = [report for report in summary.files if not report.skipped_files]
    if len(files) > 1:
        added: Counter = Counter()
        for report in summary.files:
            if report.problem is None:
                added.update(report.added)
        verb = "would add" if summary.dry_run else "added"
        total = f"{verb} {added_text(added)} from {len(files) - len(summary.failed):,} of {counted(len(files), 'file', thousands=True)}"
        extra = [f"{summary.total('duplicates'):,} already here"]
        rejected = sum(len(report.rejected) for report in summary.files if report.problem is None)
        if rejected:
            extra.append(f"{rejected:,} rejected")
        lines.append(f"In all: {total}; {'; '.join(extra)}.")
    if summary.failed:
        others = "" if summary.dry_run or len(summary.failed) == len(files) else " The others were imported."
        lines.append(f"{len(summary.failed)} {'file was' if len(summary.failed) == 1 else 'files were'} not "
                     f"imported; the reasons are above.{others}")
    if summary.dry_run:
        if summary.database_note:
            lines.append(summary.database_note)
        lines.append("Dry run: nothing was written.")
    return lines


def dry_run_note(path: Path, status: FileStatus) -> str | None:
    """What the import or merge without --dry-run would do to the database file before adding anything."""
    if not status.exists:
        return f"The database {path} does not exist yet; without --dry-run it would be created."
    if status.schema_version == 0:
        return f"The database {path} is empty; without --dry-run it would be set up."
    if status.schema_version < SCHEMA_VERSION:
        return (f"The database {path} has an older layout (schema {status.schema_version}); without --dry-run it "
                f"would be upgraded to schema {SCHEMA_VERSION} first, after which older glutetui versions cannot open it.")
    return None
