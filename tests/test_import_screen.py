"""Runs imported by another process (`glutetui import`) while the app is open show on the
Runs and Progress tabs, through Textual's Pilot, on a real SQLite file and a fake clock."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from app_factory import make_app
from helpers import poll, settle
from textual.widgets import DataTable, Static

from glutetui.clock import FakeClock
from glutetui.services.importing import Importer
from glutetui.services.progress import load_progress, report_json
from glutetui.store.db import open_store
from glutetui.ui.widgets.progress_pane import ProgressPane

ZONE = "Europe/Berlin"
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)  # Saturday 11:00 in Berlin, week 2026-W47
FIXTURES = Path(__file__).parent / "fixtures" / "imports"
FILES = [str(FIXTURES / "strava_activities.csv"), str(FIXTURES / "one_track.gpx")]
LUNCH_LOOP_WEEK = date(2026, 10, 5)  # Mon 5 - Sun 11 Oct 2026: holds one_track.gpx (Wed 7 Oct) alone

# Newest first, in Berlin time (summer time until 25 Oct); README.md of the fixtures has the values.
EXPECTED_ROWS = [
    ["19 Nov 00:19", "7.55"],  # Strava 9100000008, 2026-11-18T23:19:20Z, 7548.2 m: the next day in Berlin
    ["02 Nov 13:30", "6.00"],  # Strava 9100000007 (Treadmill), 6003.9 m
    ["21 Oct 08:02", "5.02"],  # Strava 9100000005 (Virtual Run), 5018.3 m
    ["12 Oct 19:40", "8.40"],  # Strava 9100000003 (Trail Run), 8402.7 m
    ["07 Oct 13:42", "3.80"],  # one_track.gpx "Lunch loop", 3804.9 m
    ["03 Oct 09:15", "10.21"],  # Strava 9100000001, 10210.5 m
]


@pytest.fixture
def app(locations):
    locations.config.write_text("remind_desktop = false\nremind_in_app = false\nremind_bell = false\n")
    return make_app(locations, FakeClock(NOW, zone=ZONE))


def runs_table(app) -> list[list[str]]:
    table = app.main_screen.query_one("#runs-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def progress_pane(app) -> ProgressPane:
    return app.main_screen.query_one(ProgressPane)


def distance_column(app) -> list[str]:
    """The km column of the day table on the Progress tab: seven days, the week, last week."""
    table = progress_pane(app).query_one("#progress-days", Static).content
    return [str(cell) for cell in table.columns[9].cells]


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def import_as_another_process(path: Path):
    other = open_store(path)  # as `glutetui import` opens it, beside the app
    try:
        return Importer(other, NOW).import_paths(FILES)
    finally:
        other.close()


async def test_runs_imported_elsewhere_show_on_runs_and_progress(app, locations):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert runs_table(app) == []
        summary = import_as_another_process(locations.db)
        assert [(report.kind, report.added["runs"], report.problem) for report in summary.files] == [
            ("Strava activities", 5, None), ("GPX", 1, None)]
        await poll(pilot)  # what the app's poll does: PRAGMA data_version has moved
        await pilot.pause()
        assert [row[:2] for row in runs_table(app)] == EXPECTED_ROWS
        # The newest run is selected: 7.55 km after a longest of 6.00 km in 30 days, an information flag.
        assert runs_table(app)[0][-1] == "+26% longest"
        assert runs_table(app)[4][2] == "19:50"  # the GPX track: last point minus first, 1190 s

        await pilot.press("4")
        await settle(pilot)
        for _ in range(6):  # W47 back to W41
            await pilot.press("left_square_bracket")
            await settle(pilot)
        shown = progress_pane(app).progress
        assert shown.week.start == LUNCH_LOOP_WEEK
        assert shown.week.totals.distance_m == pytest.approx(3804.9)
        assert [day.runs for day in shown.week.days] == [0, 0, 1, 0, 0, 0, 0]
        # The table on screen: Wed 7 Oct 3.8 km, the week 3.8 km, the week before (Sat 3 Oct) 10.2 km.
        assert distance_column(app) == ["0.0", "0.0", "3.8", "0.0", "0.0", "0.0", "0.0", "3.8", "10.2"]

        # `glutetui report --week 2026-W41 --json` reads the same week the same way.
        expected = load_progress(app.db, now=NOW, zone=app.clock.local_zone(), settings=app.settings,
                                 start=LUNCH_LOOP_WEEK, open_until=NOW)
        mine, theirs = report_json(shown, app.settings, NOW), report_json(expected, app.settings, NOW)
        assert mine["week"] == theirs["week"] == "2026-W41"
        assert mine["totals"]["distance_km"] == theirs["totals"]["distance_km"] == pytest.approx(3.805, abs=1e-3)
        assert mine["days"] == theirs["days"]
        assert mine["previous_totals"]["distance_km"] == theirs["previous_totals"]["distance_km"] == \
            pytest.approx(10.21, abs=1e-3)

