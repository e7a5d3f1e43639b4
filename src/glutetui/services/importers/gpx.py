"""GPX files from a watch or an app: each track is one run.

A run needs only a track's start, its length in time and its distance, so the file is
read as a stream (expat, which never recurses) and a track is summed point by point:
memory stays small however long the file is. Nesting past MAX_DEPTH, entity
declarations and more than MAX_POINTS points refuse the file before any of it is kept.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from xml.parsers import expat

from glutetui.domain.imported_runs import ImportedRun
from glutetui.services.importers.common import FileProblem, FileRuns

KIND = "GPX"
SOURCE = "gpx"
# A watch's GPX nests 4 to 7 deep (gpx, trk, trkseg, trkpt, extensions, and a vendor's
# extension or two); far past that is not GPX but an attack on the parser.
MAX_DEPTH = 32
# 23 days of points at one a second: no run is longer, and it bounds the time one file takes.
MAX_POINTS = 2_000_000
MAX_TEXT_CHARS = 20_000  # a name or description longer than notes may be is not read further
CHUNK_BYTES = 1 << 20
Progress = Callable[[float], None]  # the share of the file read, 0 to 1


def looks_like(text: str) -> bool:
    head = text.lstrip()[:2000]
    return head.startswith("<") and "<gpx" in head


def read_file(path: Path, progress: Progress | None = None) -> FileRuns:
    """The tracks of the GPX file at `path`, read in chunks."""
    reader = _Reader()
    try:
        size = path.stat().st_size or 1
        done = 0
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                reader.feed(chunk)
                done += len(chunk)
                if progress:
                    progress(min(done / size, 1.0))
        reader.feed(b"", final=True)
    except OSError as error:
        raise FileProblem(f"cannot be read ({error.strerror}); check its permissions") from None
    return reader.result()


@dataclass
class _Track:
    number: int
    name: str = ""
    description: str = ""
    points: int = 0
    metres: float = 0.0
    first_time: datetime | None = None
    last_time: datetime | None = None
    first_has_time: bool = False
    last_has_time: bool = False
    any_time: bool = False
    problem: str | None = None  # the first point that makes the track unusable, and why
    previous: tuple[float, float] | None = None  # the segment's last point, for the distance

    @property
    def where(self) -> str:
        return f"track {self.number} ({self.name})" if self.name else f"track {self.number}"


@dataclass
class _Point:
    latitude: float | None = None
    longitude: float | None = None
    problem: str | None = None
    time_text: list[str] = field(default_factory=list)
    elevation_text: list[str] = field(default_factory=list)


class _Reader:
    def __init__(self) -> None:
        # gpxpy brings urllib and xml.sax with it: imported when a file is read, not when
        # the importer loads, so a re-import known by its hash never pays for it.
        from gpxpy.geo import distance
        from gpxpy.gpx import GPXException
        from gpxpy.gpxfield import parse_time

        self.distance, self.parse_time = distance, parse_time
        self.time_errors = (GPXException, ValueError, OverflowError)
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.parser.EntityDeclHandler = self._entity
        self.stack: list[str] = []  # local names of the open elements, at most MAX_DEPTH
        self.tracks: list[_Track] = []
        self.track: _Track | None = None
        self.point: _Point | None = None
        self.routes = 0
        self.points = 0
        self.document_name = ""
        self.capture: list[str] | None = None  # where the text of the open element goes
        self.captured = 0

    def feed(self, data: bytes, *, final: bool = False) -> None:
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as error:
            raise FileProblem(f"is broken XML ({error}); export it again") from None

    def result(self) -> FileRuns:
        if not self.tracks:
            what = "only a route, which has no times" if self.routes else "no tracks"
            raise FileProblem(f"holds {what}; export the activity as a GPX track")
        found = FileRuns()
        for track in self.tracks:
            found.keep(track.where, lambda: self._run(track))
        return found

    # expat's handlers

    def _entity(self, *_) -> None:
        # Entities are how XML bombs work, and no watch writes them.
        raise FileProblem("declares XML entities, which glutetui does not read")

    def _start(self, qualified: str, attributes: dict[str, str]) -> None:
        name = qualified.rpartition(" ")[2]
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(name)
        if len(self.stack) > MAX_DEPTH:
            raise FileProblem(f"nests its elements more than {MAX_DEPTH} deep (line {self.parser.CurrentLineNumber}); "
                              "a GPX file from a watch nests about 6. Export the activity again")
        if name == "trk" and parent == "gpx":
            self.track = _Track(len(self.tracks) + 1)
            self.tracks.append(self.track)
        elif name == "rte" and parent == "gpx":
            self.routes += 1
        elif name == "trkseg" and self.track is not None:
            self.track.previous = None  # the distance is summed per segment, not across a pause
        elif name == "trkpt" and self.track is not None and parent == "trkseg":
            self.points += 1
            if self.points > MAX_POINTS:
                raise FileProblem(f"has more than {MAX_POINTS:,} track points, more than any run; "
                                  "check that this is the file you meant")
            self.point = _point(attributes, self.track.points + 1)
        elif self.point is not None and parent == "trkpt" and name == "time":
            self._capture(self.point.time_text)
        elif self.point is not None and parent == "trkpt" and name == "ele":
            self._capture(self.point.elevation_text)
        elif name in ("name", "desc") and parent == "trk" and self.track is not None:
            self._capture([])
        elif name == "name" and (parent == "metadata" and self.stack[:-2] == ["gpx"] or self.stack[:-1] == ["gpx"]):
            self._capture([])

    def _end(self, qualified: str) -> None:
        name = self.stack.pop()
        text = "".join(self.capture) if self.capture is not None else None
        self.capture = None
        if name == "trkpt" and self.point is not None and self.track is not None:
            self._add_point(self.track, self.point)
            self.point = None
        elif name == "trk":
            self.track = None
        elif text is not None and name == "name" and self.track is not None and self.stack[-1] == "trk":
            self.track.name = text.strip()
        elif text is not None and name == "desc" and self.track is not None:
            self.track.description = text.strip()
        elif text is not None and name == "name" and self.track is None:
            self.document_name = text.strip()

    def _text(self, data: str) -> None:
        if self.capture is not None and self.captured < MAX_TEXT_CHARS:
            self.capture.append(data[:MAX_TEXT_CHARS - self.captured])
            self.captured += len(data)

    def _capture(self, into: list[str]) -> None:
        self.capture, self.captured = into, 0

    # a track, point by point

    def _add_point(self, track: _Track, point: _Point) -> None:
        track.points += 1
        if track.problem is not None:
            return
        moment = None
        if point.problem is None and point.elevation_text:
            point.problem = _elevation_problem("".join(point.elevation_text), track.points)
        if point.problem is None and point.time_text:
            moment, point.problem = self._time("".join(point.time_text).strip(), track.points)
        if point.problem is not None:
            track.problem = point.problem
            return
        if track.points == 1:
            track.first_has_time, track.first_time = moment is not None, moment
        track.last_has_time, track.last_time = moment is not None, moment
        track.any_time = track.any_time or moment is not None
        here = (point.latitude, point.longitude)
        if track.previous is not None:
            try:
                track.metres += self.distance(*track.previous, None, *here, None)
            except ValueError:  # gpxpy's haversine rounds past 1 for two points on opposite sides of the earth
                track.problem = f"point {track.points} is half the earth away from the point before it"
                return
        track.previous = here

    def _time(self, text: str, number: int) -> tuple[datetime | None, str | None]:
        if not text:
            return None, None
        try:
            return self.parse_time(text), None
        except self.time_errors:
            return None, f"point {number} has the time {text[:40]!r}, which is not a date and time"

    def _run(self, track: _Track) -> ImportedRun:
        if track.problem is not None:
            raise ValueError(track.problem)
        if track.points < 2:
            raise ValueError("has fewer than two points")
        if not track.any_time:
            raise ValueError("has no time stamps, so neither its start nor its length is known")
        if not (track.first_has_time and track.last_has_time):
            raise ValueError("has no time stamp on its first or last point, so its length is not known")
        start, end = _utc(track.first_time), _utc(track.last_time)
        name = track.name or self.document_name
        return ImportedRun(
            started_at=start.replace(microsecond=0),
            distance_m=round(track.metres, 1),
            duration_s=round((end - start).total_seconds()),
            rpe=None,
            notes="\n".join(part for part in (name, track.description) if part),
            source=SOURCE,
            external_id=f"{SOURCE}:{start.replace(microsecond=0).isoformat()}",
            where=track.where,
        )


def _point(attributes: dict[str, str], number: int) -> _Point:
    """A track point's position, checked: an infinite or impossible one would make the
    distance a math error or a distance to the moon."""
    point = _Point()
    for key, limit, noun in (("lat", 90.0, "latitude"), ("lon", 180.0, "longitude")):
        text = attributes.get(key)
        try:
            value = float(text) if text is not None else None
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or abs(value) > limit:
            shown = "none" if text is None else repr(text[:40])
            point.problem = f"point {number} has the {noun} {shown}, not a number from -{limit:g} to {limit:g}"
            return point
        if key == "lat":
            point.latitude = value
        else:
            point.longitude = value
    return point


def _elevation_problem(text: str, number: int) -> str | None:
    if not text.strip():
        return None  # an empty elevation is no elevation, as gpxpy reads it
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        return f"point {number} has the elevation {text.strip()[:40]!r}, not a number"
    return None




def _utc(moment: datetime) -> datetime:
    # GPX times are UTC by the standard; a file without a zone still means UTC.
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
