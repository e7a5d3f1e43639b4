"""GPX files from a watch or an app: each track is one run."""

from __future__ import annotations

from datetime import datetime, timezone

import gpxpy
import gpxpy.gpx

from glutetui.domain.imported_runs import ImportedRun
from glutetui.services.importers.common import FileProblem, FileRuns

KIND = "GPX"
SOURCE = "gpx"


def looks_like(text: str) -> bool:
    head = text.lstrip()[:2000]
    return head.startswith("<") and "<gpx" in head


def read(text: str) -> FileRuns:
    if "<!ENTITY" in text:
        # Entities are how XML bombs work, and no watch writes them.
        raise FileProblem("declares XML entities, which glutetui does not read")
    try:
        document = gpxpy.parse(text)
    except gpxpy.gpx.GPXXMLSyntaxException as error:
        raise FileProblem(f"is broken XML ({_first_line(error)}); export it again") from None
    except gpxpy.gpx.GPXException as error:
        raise FileProblem(f"is not valid GPX ({_first_line(error)}); export it again") from None
    if not document.tracks:
        what = "only a route, which has no times" if document.routes else "no tracks"
        raise FileProblem(f"holds {what}; export the activity as a GPX track")
    found = FileRuns()
    for number, track in enumerate(document.tracks, start=1):
        where = f"track {number} ({track.name})" if track.name else f"track {number}"
        found.keep(where, lambda: _run(track, where, document))
    return found


def _run(track: gpxpy.gpx.GPXTrack, where: str, document: gpxpy.gpx.GPX) -> ImportedRun:
    points = [point for segment in track.segments for point in segment.points]
    if len(points) < 2:
        raise ValueError("has fewer than two points")
    timed = [point.time for point in points if point.time is not None]
    if not timed:
        raise ValueError("has no time stamps, so neither its start nor its length is known")
    if points[0].time is None or points[-1].time is None:
        raise ValueError("has no time stamp on its first or last point, so its length is not known")
    start, end = _utc(points[0].time), _utc(points[-1].time)
    name = track.name or document.name or ""
    description = track.description or ""
    return ImportedRun(
        started_at=start.replace(microsecond=0),
        distance_m=round(track.length_2d(), 1),
        duration_s=round((end - start).total_seconds()),
        rpe=None,
        notes="\n".join(part.strip() for part in (name, description) if part.strip()),
        source=SOURCE,
        external_id=f"{SOURCE}:{start.replace(microsecond=0).isoformat()}",
        where=where,
    )


def _utc(moment: datetime) -> datetime:
    # GPX times are UTC by the standard; a file without a zone still means UTC.
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
