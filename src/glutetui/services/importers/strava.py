"""Strava's bulk export `activities.csv`: the running activities become runs.

Several column names appear twice (Elapsed Time, Distance, Max Heart Rate...): the first
copy is as shown on the site, in the account's units, the second in seconds and metres.
So the columns are found by position, never by a dict keyed on the name.
"""

from __future__ import annotations

import csv
import io
import math
import re
from datetime import datetime, timezone

from glutetui.domain.imported_runs import ImportedRun, is_running
from glutetui.services.importers.common import FileProblem, FileRuns, csv_problem

KIND = "Strava activities"
SOURCE = "strava"
HEADER_START = ("Activity ID", "Activity Date", "Activity Name", "Activity Type")
DATE_FORMAT = "%b %d, %Y, %I:%M:%S %p"  # Oct 6, 2022, 11:19:20 PM, in UTC
_WHOLE = re.compile(r"^\d+$", re.ASCII)


def looks_like(header: list[str]) -> bool:
    return tuple(name.strip() for name in header[:4]) == HEADER_START


class _Columns:
    """Where each field is; for a repeated name the last copy holds plain seconds and metres."""

    def __init__(self, header: list[str]) -> None:
        self.at: dict[str, list[int]] = {}
        for index, name in enumerate(header):
            self.at.setdefault(name.strip(), []).append(index)

    def first(self, row: list[str], name: str) -> str:
        return row[self.at[name][0]].strip() if name in self.at else ""

    def last(self, row: list[str], name: str) -> str:
        return row[self.at[name][-1]].strip() if name in self.at else ""

    def repeated(self, name: str) -> bool:
        return len(self.at.get(name, ())) > 1


def read(text: str) -> FileRuns:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise FileProblem("is empty") from None
    except csv.Error as error:
        raise csv_problem(error, 1, "ends inside its first line: the file is cut off. Download the export again") from None
    columns = _Columns(header)
    found = FileRuns()
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise csv_problem(error, line, f"ends in the middle of the row at line {line}: the file is cut off. "
                                           "Download the export again") from None
        where = f"line {line}"
        line = reader.line_num + 1
        if not any(field.strip() for field in row):
            continue
        if len(row) != len(header):
            raise FileProblem(f"line {where.split()[1]} has {len(row)} fields where the header has {len(header)}: "
                              "the file is damaged or cut off. Download the export again")
        activity_type = columns.first(row, "Activity Type")
        if not is_running(activity_type):
            found.other_activities[activity_type or "no type"] += 1
            continue
        found.keep(where, lambda: _run(row, columns, where))
    return found


def _run(row: list[str], columns: _Columns, where: str) -> ImportedRun:
    activity_id = columns.first(row, "Activity ID")
    if not _WHOLE.match(activity_id):
        raise ValueError(f"has no activity id ({activity_id!r})")
    name = columns.first(row, "Activity Name")
    description = columns.first(row, "Activity Description")
    return ImportedRun(
        started_at=_date(columns.first(row, "Activity Date")),
        distance_m=_distance(row, columns),
        duration_s=_duration(row, columns),
        rpe=_rpe(columns.last(row, "Perceived Exertion")),
        notes="\n".join(part for part in (name, description) if part),
        source=SOURCE,
        external_id=f"{SOURCE}:{activity_id}",
        where=f"{where} ({name})" if name else where,
    )


def _date(text: str) -> datetime:
    if not text:
        raise ValueError("has no date")
    for parse in (lambda: datetime.strptime(text, DATE_FORMAT), lambda: datetime.fromisoformat(text)):
        try:
            moment = parse()
        except ValueError:
            continue
        return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
    raise ValueError(f"has a date glutetui cannot read ({text!r}); Strava writes them like 'Oct 6, 2022, 11:19:20 PM'")


def _distance(row: list[str], columns: _Columns) -> float:
    if columns.repeated("Distance"):
        metres = _number(columns.last(row, "Distance"))
        if metres is not None:
            return metres
    km = _number(columns.first(row, "Distance"))  # older exports have only the shown distance, in km
    if km is None:
        raise ValueError("has no distance")
    return km * 1000


def _duration(row: list[str], columns: _Columns) -> int:
    for text in (columns.last(row, "Moving Time"), columns.last(row, "Elapsed Time"),
                 columns.first(row, "Elapsed Time")):
        seconds = _number(text)
        if seconds is not None and seconds > 0:
            return round(seconds)
    raise ValueError("has no time")


def _rpe(text: str) -> int | None:
    value = _number(text)
    if value is None or not 1 <= value <= 10:
        return None
    return round(value)


def _number(text: str) -> float | None:
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # a decimal comma, as some languages show it
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
