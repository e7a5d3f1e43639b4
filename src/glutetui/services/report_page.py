"""`glutetui report --html`: the numbers of a page for a physio or coach, over several weeks.

Every weekly number is the week's own `report --json` document (services.progress), read
once per week as that command reads it; the page adds only what a single week does not
hold: each run with its flags, each ache row, and the warm-up comparison over the span.
`page_data` is what the page embeds, and what it draws is taken from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from glutetui import __version__
from glutetui.config import Settings
from glutetui.domain import progress as weekly
from glutetui.domain.pain_timeline import PainTimeline
from glutetui.domain.progress import Insight, Progress, RunRecord
from glutetui.domain.run_flags import pain_zone
from glutetui.domain.timefmt import local_day, to_utc_text
from glutetui.errors import OptionError, UserFacingError
from glutetui.paths import write_fix, written_atomically
from glutetui.services.progress import load_progress, report_json, span_runs, timeline_of
from glutetui.services.runs import ShownRun

TYPE_CHECKING = False
if TYPE_CHECKING:
    from sqlite_utils import Database

FORMAT = "glutetui-report"
DEFAULT_WEEKS = 12
PAGE_MODE = 0o600  # it holds health notes: for the runner's eyes until they hand it on


@dataclass(frozen=True)
class ReportPage:
    weeks: tuple[Progress, ...]  # oldest first
    week_documents: tuple[dict, ...]  # report_json of each week, as `report --week W --json` prints it
    runs: tuple[ShownRun, ...]  # every run in the span, oldest first, with its flags
    timeline: PainTimeline
    warmups: Insight  # aches with and without a full warm-up, over the span's runs
    settings: Settings
    made_at: datetime
    zone: tzinfo
    notes: bool  # the runner's notes go on the page

    @property
    def first(self) -> date:
        return self.weeks[0].week.start

    @property
    def last(self) -> date:
        return self.weeks[-1].week.end


def load_report_page(db: Database, *, now: datetime, zone: tzinfo, settings: Settings, last: date, weeks: int,
                     open_until: datetime | None, notes: bool) -> ReportPage:
    """The `weeks` weeks ending with the one starting on `last`."""
    starts = [last - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    shown = tuple(load_progress(db, now=now, zone=zone, settings=settings, start=start, open_until=open_until)
                  for start in starts)
    runs = tuple(span_runs(db, starts, zone))
    records = [RunRecord(item.run.started_at, item.run.distance_m, item.run.aches, item.run.warmup_completed)
               for item in runs]
    return ReportPage(
        weeks=shown,
        week_documents=tuple(report_json(progress, settings, now) for progress in shown),
        runs=runs,
        timeline=timeline_of(runs, starts, zone),
        warmups=weekly.warmup_insight(records),
        settings=settings, made_at=now, zone=zone, notes=notes,
    )


# ---- what the page embeds ---------------------------------------------------------------

def shows_note(run) -> bool:
    """The page holds a run's note where the run ached and has one: what the page says it holds."""
    return bool(run.notes.strip()) and any(ache.score > 0 for ache in run.aches)


def week_of(page: ReportPage, moment: datetime) -> int | None:
    return weekly.week_index(local_day(moment, page.zone), page.first, len(page.weeks))


def sitting_per_workday(progress: Progress, workdays: frozenset[int]) -> tuple[int, int | None]:
    """(tracked workdays, mean sitting minutes on them): days the app did not run would read
    as no sitting at all, and days still to come have no numbers yet, so both stay out."""
    days = [day for day in progress.week.days
            if day.day.weekday() in workdays and day.tracked and progress.lived(day.day)]
    if not days:
        return 0, None
    return len(days), round(sum(day.sitting_minutes for day in days) / len(days))


def per_week(page: ReportPage) -> list[dict]:
    """What the page shows for each week besides its report: the longest run, the spikes,
    RPE and sitting per workday."""
    workdays = page.settings.hours.weekdays
    by_week: dict[int | None, list[ShownRun]] = {}
    for item in page.runs:
        by_week.setdefault(week_of(page, item.run.started_at), []).append(item)
    found = []
    for index, progress in enumerate(page.weeks):
        runs = by_week.get(index, [])
        rated = [item.run.rpe for item in runs if item.run.rpe is not None]
        tracked, per_day = sitting_per_workday(progress, workdays)
        found.append({
            "week": progress.week.label,
            "longest_run_km": round(max((item.run.distance_m for item in runs), default=0) / 1000, 3),
            "spike_runs": sum(1 for item in runs if any(flag.kind == "long_run" for flag in item.flags)),
            "rpe_mean": round(sum(rated) / len(rated), 1) if rated else None,
            "rpe_runs": len(rated),
            "workdays_tracked": tracked,
            "sitting_minutes_per_workday": per_day,
        })
    return found


def page_data(page: ReportPage) -> dict:
    """The page's numbers, embedded in it for anyone to check or reuse."""
    runs, aches = [], []
    for item in page.runs:
        run = item.run
        started = to_utc_text(run.started_at)
        label = page.weeks[week_of(page, run.started_at)].week.label
        entry = {
            "id": run.id, "started_at": started, "week": label, "distance_km": round(run.distance_m / 1000, 3),
            "duration_s": run.duration_s, "rpe": run.rpe, "warmed_up": run.warmup_completed,
            "flags": [{"kind": flag.kind, "level": flag.level, "label": flag.label, "part": flag.part}
                      for flag in item.flags],
        }
        if page.notes and shows_note(run):
            entry["notes"] = run.notes
        runs.append(entry)
        aches += [{"run_id": run.id, "run_started_at": started, "week": label, "body_part": ache.body_part,
                   "side": ache.side, "phase": ache.phase, "score": ache.score, "zone": pain_zone(ache.score)}
                  for ache in run.aches]
    insight = page.warmups
    return {
        "format": FORMAT,
        "app_version": __version__,
        "made_at": to_utc_text(page.made_at),
        "units": page.settings.units,
        "first_week": page.weeks[0].week.label,
        "last_week": page.weeks[-1].week.label,
        "start": page.first.isoformat(),
        "end": page.last.isoformat(),
        "notes_included": page.notes,
        "weeks": list(page.week_documents),
        "per_week": per_week(page),
        "warmup_aches": {"text": insight.text, "n": insight.n, "ready": insight.ready},
        "runs": runs,
        "aches": aches,
    }


# ---- where it goes ----------------------------------------------------------------------

def check_page_target(path: Path, force: bool) -> None:
    """Refuse a target before anything is read; an existing page is replaced only with --force."""
    if path.is_dir():
        raise OptionError("--html", f"{path} is a folder; give a file name, e.g. {path / 'report.html'}")
    if path.exists() and not path.is_file():
        raise OptionError("--html", f"{path} is a special file, not a page to replace; give the path of a new file")
    if (path.exists() or path.is_symlink()) and not force:
        raise OptionError("--html", f"{path} already exists; add --force to replace it, or give a new name")
    if not path.parent.is_dir():
        raise OptionError("--html", f"the folder {path.parent} does not exist (or is a file); "
                          "create it or pick another path")


def write_page(path: Path, text: str, force: bool) -> None:
    """Whole or not at all, readable by its owner only; without `force` never over a file
    that appeared since the check."""
    try:
        with written_atomically(path, ".glutetui-report-", exclusive=not force, mode=PAGE_MODE) as handle:
            handle.write(text)
    except FileExistsError:
        raise OptionError("--html", f"{path} already exists; add --force to replace it, or give a new name") from None
    except OSError as error:
        raise UserFacingError(f"--html: cannot write {path} ({error.strerror}); nothing was written. "
                              f"{write_fix(error)}") from None
