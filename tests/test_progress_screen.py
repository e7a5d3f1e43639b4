"""The Progress tab through Textual's Pilot, on a real SQLite file and a fake clock.

The week is read in a worker thread on its own connection, so each step waits
for the workers before looking at the screen.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from app_factory import make_app
from helpers import settle, tick
from textual.widgets import Static

from glutetui import cli
from glutetui.clock import FakeClock
from glutetui.config import load_settings
from glutetui.services.demo import fill_demo
from glutetui.services.progress import load_progress, report_json
from glutetui.services.runs import log_run
from glutetui.store.db import open_store
from glutetui.ui.widgets.bar_chart import DayBarChart, PartBarChart, column, nice_top
from glutetui.ui.widgets.progress_pane import ProgressPane

ZONE = "Europe/Berlin"
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=timezone.utc)  # Wednesday 15:30 in Berlin, week 2026-W47


@pytest.fixture
def app(locations):
    locations.config.write_text("remind_desktop = false\nremind_in_app = false\nremind_bell = false\n")
    db = open_store(locations.db)
    fill_demo(db, until=NOW, zone=FakeClock(NOW, zone=ZONE).local_zone(), weeks=12, seed=3)
    db.close()
    return make_app(locations, FakeClock(NOW, zone=ZONE))


def pane(app) -> ProgressPane:
    return app.main_screen.query_one(ProgressPane)


def title(app) -> str:
    return str(pane(app).query_one("#progress-title", Static).content)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_progress(pilot) -> None:
    await pilot.press("4")
    await settle(pilot)


async def test_the_tab_shows_this_week_as_the_report_does(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_progress(pilot)
        shown = pane(app).progress
        assert shown is not None and shown.week.label == "2026-W47"
        assert "this week" in title(app) and "vs last week to Wed" in title(app)
        now = app.clock.now()
        expected = load_progress(app.db, now=now, zone=app.clock.local_zone(), settings=app.settings,
                                 open_until=now)
        # The screen and the report's numbers come from the same reading: day by day, to the minute.
        assert report_json(shown, app.settings, now)["days"] == report_json(expected, app.settings, now)["days"]
        table = pane(app).query_one("#progress-days", Static).content
        assert table.columns[1].header == "Sitting"
        cells = list(table.columns[1].cells)
        assert cells[0].plain == f"{expected.week.days[0].sitting_minutes // 60}:" \
                                 f"{expected.week.days[0].sitting_minutes % 60:02d}"


async def test_brackets_move_between_weeks_and_t_comes_back(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_progress(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert pane(app).progress.week.label == "2026-W46"
        assert "t: back to this week" in title(app)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert pane(app).progress.week.start == date(2026, 11, 2) - timedelta(weeks=1)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert pane(app).progress.week.label == "2026-W45"
        await pilot.press("t")
        await settle(pilot)
        assert pane(app).progress.week.label == "2026-W47" and pane(app).start is None


async def test_a_reading_that_ends_late_does_not_replace_the_week_asked_for(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_progress(pilot)
        this_week = pane(app).progress
        await pilot.press("left_square_bracket")
        await settle(pilot)
        # A thread cannot be stopped, so the reading of this week begun by an earlier key can
        # arrive after the one for the week asked for; here it is delivered late on purpose.
        pane(app).post_message(ProgressPane.Loaded(this_week, None))
        await settle(pilot)
        assert pane(app).progress.week.label == "2026-W46"
        assert "t: back to this week" in title(app)


async def test_no_week_after_this_one(app):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_progress(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert pane(app).progress.week.label == "2026-W47"
        assert any("latest week" in item.message for item in app._notifications)


async def test_week_keys_belong_to_the_progress_tab(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("left_square_bracket")  # on Today: nothing happens to the week
        await open_progress(pilot)
        assert pane(app).progress.week.label == "2026-W47"


async def test_a_run_logged_elsewhere_shows_when_the_tab_opens_again(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_progress(pilot)
        before = pane(app).progress.week.totals.distance_m
        await pilot.press("1")
        log_run(app.db, app.clock.now(), app.clock.local_zone(), distance="7k", duration="40:00", when="now")
        await open_progress(pilot)
        assert pane(app).progress.week.totals.distance_m == pytest.approx(before + 7000)


async def test_sunday_weeks_from_settings(app):
    async with app.run_test(size=(80, 24)) as pilot:
        app.change_setting("week_start", "sunday")
        await open_progress(pilot)
        assert pane(app).progress.week.start == date(2026, 11, 15)
        assert load_settings(app.locations.config).week_start == "sunday"


async def test_charts_fit_80_columns(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_progress(pilot)
        assert not pane(app).has_class("-wide")
        sitting = pane(app).query_one("#chart-sitting DayBarChart", DayBarChart)
        assert sitting.size.width <= 78 and sitting.bars.goal == pytest.approx(6.0)


async def test_charts_sit_two_by_two_at_120_columns(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await open_progress(pilot)
        assert pane(app).has_class("-wide")
        assert pane(app).query_one("#chart-aches PartBarChart", PartBarChart).bars.rows


def test_report_svg_writes_the_tab(locations, tmp_path, capsys):
    db = open_store(locations.db)
    fill_demo(db, until=datetime.now(timezone.utc), zone=FakeClock(NOW, zone=ZONE).local_zone(), weeks=2, seed=1)
    db.close()
    picture = tmp_path / "week.svg"
    code = cli.main(["report", "--db", str(locations.db), "--config", str(locations.config), "--json",
                     "--svg", str(picture)])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in out + err
    week = json.loads(out)["week"]
    svg = picture.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and week in svg and "Sitting per day" in svg.replace("&#160;", " ")
    assert "\r\n" not in svg


def test_report_svg_refuses_a_missing_folder(locations, tmp_path, capsys):
    open_store(locations.db).close()
    code = cli.main(["report", "--db", str(locations.db), "--svg", str(tmp_path / "nowhere" / "week.svg")])
    assert code == 2
    assert "--svg: the folder" in capsys.readouterr().err


def test_bars_round_to_eighths_and_never_hide_a_small_value():
    assert column(3.0, 6.0, 4) == ["█", "█", " ", " "]
    assert column(0.01, 8.0, 4)[0] == "▁"  # a minute of sitting is not nothing
    assert column(0, 8.0, 4) == [" "] * 4
    assert [nice_top(value) for value in (0, 0.7, 6.3, 12.6, 95)] == [1.0, 0.8, 8, 15, 100]


@pytest.mark.parametrize("target", ["link", "device", "empty", "under_a_file"])
def test_report_svg_refuses_paths_it_must_not_replace(locations, tmp_path, capsys, target):
    open_store(locations.db).close()
    real = tmp_path / "real.svg"
    real.write_text("keep me", encoding="utf-8")
    (tmp_path / "link.svg").symlink_to(real)
    paths = {"link": str(tmp_path / "link.svg"), "device": "/dev/null", "empty": "",
             "under_a_file": str(real / "week.svg")}
    code = cli.main(["report", "--db", str(locations.db), "--svg", paths[target]])
    assert code == 2 and capsys.readouterr().err.startswith("glutetui: --svg: ")
    assert real.read_text(encoding="utf-8") == "keep me" and Path("/dev/null").is_char_device()


def test_a_week_before_1970_is_refused_in_one_line(locations, capsys):
    open_store(locations.db).close()
    assert cli.main(["report", "--db", str(locations.db), "--week", "0001-W01"]) == 2
    assert capsys.readouterr().err.startswith("glutetui: --week: 0001-W01 is before 1970")


async def test_a_first_week_is_not_compared_with_an_empty_one(locations):
    locations.config.write_text("remind_desktop = false\nremind_in_app = false\nremind_bell = false\n")
    app = make_app(locations, FakeClock(NOW, zone=ZONE))  # a new database: today is all there is
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await tick(pilot)
        await open_progress(pilot)
        summary = pane(app).query_one("#progress-summary", Static).content
        assert [str(cell) for cell in summary.columns[1].cells] == ["-"] * 5
        assert app.focused is pane(app)  # the arrows scroll the week at once


def test_a_last_week_recorded_only_after_todays_weekday_is_not_compared(locations):
    """Mid-week, the changes are measured against last week's first days; when those are
    empty (tracking began last Friday), the arrows would measure against zeros."""
    from glutetui.config import Settings
    from glutetui.services.progress import summary_lines
    from glutetui.store import posture

    db = open_store(locations.db)
    for start in (NOW - timedelta(days=5, hours=4), NOW - timedelta(hours=4)):  # last Friday, today
        posture.begin_state(db, "sitting", start, "auto")
        posture.end_open(db, start + timedelta(hours=2))
    progress = load_progress(db, now=NOW, zone=FakeClock(NOW, zone=ZONE).local_zone(), settings=Settings())
    db.close()
    assert progress.previous.tracked and not progress.compared.tracked
    assert [line.change.short for line in summary_lines(progress, "km", 360)] == ["-"] * 5


async def test_changing_the_first_day_goes_back_to_this_week(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_progress(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        app.change_setting("week_start", "sunday")
        await settle(pilot)
        assert pane(app).start is None and pane(app).progress.week.start == date(2026, 11, 15)
