"""Ache sides in a glutetui export read back (issue 19): a side stored before sides were checked
per part comes back as it was; a side no part has is refused whole, naming the row."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from glutetui.domain.run_flags import Ache
from glutetui.services.export import export
from glutetui.services.importing import Importer
from glutetui.services.runs import list_runs
from glutetui.store.db import open_store
from glutetui.store.runs import add_run

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def export_file(tmp_path) -> Path:
    """One run with a knee ache on the centre, as versions before issue 19 could store it."""
    db = open_store(tmp_path / "source.db")
    add_run(db, started_at=datetime(2026, 11, 20, 17, 0, tzinfo=timezone.utc), distance_m=5000.0, duration_s=1500,
            rpe=None, notes="", aches=(Ache("knee", "centre", "after", 4), Ache("lower_back", "centre", "after", 2)),
            warmup_id=None, now=NOW)
    export(db, "json", tmp_path / "export.json", NOW)
    db.close()
    return tmp_path / "export.json"


def imported(path: Path, tmp_path: Path):
    target = open_store(tmp_path / "target.db")
    try:
        return Importer(target, NOW).import_paths([str(path)]).files[0], list_runs(target)
    finally:
        target.close()


def test_a_knee_on_the_centre_comes_back_as_it_was_stored(export_file, tmp_path):
    report, runs = imported(export_file, tmp_path)
    assert report.problem is None
    [shown] = runs
    assert sorted((a.body_part, a.side, a.score) for a in shown.run.aches) == [
        ("knee", "centre", 4), ("lower_back", "centre", 2)]


@pytest.mark.parametrize(("column", "value"), [("side", "up"), ("body_part", "elbow"), ("phase", "later")])
def test_an_ache_no_part_can_have_is_refused_whole_naming_the_row(export_file, tmp_path, column, value):
    document = json.loads(export_file.read_text())
    aches = sorted(document["tables"]["aches"], key=lambda ache: ache["body_part"])
    aches[1][column] = value  # the lower back's, whichever row it is
    row = document["tables"]["aches"].index(aches[1]) + 1
    export_file.write_text(json.dumps(document))
    report, runs = imported(export_file, tmp_path)
    assert report.problem.startswith(f"aches row {row}: {column} is {value!r}, not one of ")
    assert report.problem.endswith("; fix it in the file or export again")
    assert runs == []
