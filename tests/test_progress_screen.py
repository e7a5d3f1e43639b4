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
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from helpers import copy_db, settle, tick
from textual.widgets import Static

from glutetui import cli
from glutetui.clock import FakeClock
from glutetui.config import load_settings
from glutetui.services.demo import fill_demo
from glutetui.services.progress import load_progress, report_json
from glutetui.services.runs import log_run
from glutetui.store.db import open_store
from glutetui.ui.widgets.bar_chart import (
    DayBarChart,
    DayBars,
    PartBarChart,
    Series,
    column,
    draw_day_bars,
    nice_top,
)
from glutetui.ui.widgets.progress_pane import ProgressPane

ZONE = "Europe/Berlin"
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=timezone.utc)  # Wednesday 15:30 in Berlin, week 2026-W47


@pytest.fixture(scope="module")
def twelve_weeks(tmp_path_factory) -> Path:
    """Twelve demo weeks to NOW, filled once a module (0.3-0.7 s each time); every test
    opens its own copy."""
    path = tmp_path_factory.mktemp("twelve-weeks") / "demo.db"
    db = open_store(path)
    fill_demo(db, until=NOW, zone=FakeClock(NOW, zone=ZONE).local_zone(), weeks=12, seed=3)
    db.close()
    return path


@pytest.fixture
def app(locations, twelve_weeks):
    locations.config.write_text("remind_desktop = false\nremind_in_app = false\nremind_bell = false\n")
    copy_db(twelve_weeks, locations.db)
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
        # Wednesday 15:30 in Berlin: last week up to its Wednesday 15:30.
        assert title(app).endswith("  so far · ▲▼ vs last week to Wed 15:30")
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


async def test_the_pain_timeline_follows_the_trend_weeks_of_the_week_shown(app):
    """Read in the same worker as the week; its rows are the ones the report page draws."""
    from glutetui.services.progress import load_pain_timeline
    from glutetui.ui.widgets.pain_timeline import PainTimelineView, timeline_text

    async with app.run_test(size=(80, 24)) as pilot:
        await open_progress(pilot)
        zone = app.clock.local_zone()

        def shown() -> str:
            return str(pane(app).query_one(PainTimelineView).content)

        expected = load_pain_timeline(app.db, pane(app).progress, zone)
        assert expected.rows, "the demo weeks hold aches"
        assert pane(app).pain == expected
        assert shown().startswith(timeline_text(expected, {}).plain)
        assert shown().splitlines()[0].split() == [f"W{number}" for number in range(36, 48)]
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert shown().splitlines()[0].split() == [f"W{number}" for number in range(35, 47)]
        assert pane(app).pain == load_pain_timeline(app.db, pane(app).progress, zone)


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


async def test_days_still_to_come_show_a_dash_in_every_column(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_progress(pilot)
        table = pane(app).query_one("#progress-days", Static).content
        rows = list(zip(*(list(column.cells) for column in table.columns)))
        names = [str(row[0]) for row in rows[:7]]
        assert names == ["Mon 16", "Tue 17", "Wed 18", "Thu 19", "Fri 20", "Sat 21", "Sun 22"]
        # Wednesday 15:30: Monday to today hold numbers (zeros are zeros); Thursday on has none yet.
        assert all(str(cell) != "-" for row in rows[:3] for cell in row)
        assert all([str(cell) for cell in row[1:]] == ["-"] * 10 for row in rows[3:7])
        assert all(str(cell) != "-" for row in rows[7:] for cell in row)  # the week and last week
        charts = [pane(app).query_one(f"#chart-{name} DayBarChart", DayBarChart).bars
                  for name in ("sitting", "breaks", "distance")]
        assert [bars.days_lived for bars in charts] == [3, 3, 3]


def test_values_under_days_to_come_are_a_dash_and_under_lived_days_their_zeros():
    bars = DayBars(["Mon", "Tue", "Wed", "Thu"], [Series("distance", [5.0, 0.0, 0.0, 0.0], "primary")],
                   value_text=lambda value: f"{value:.1f}", days_lived=2)
    last = draw_day_bars(bars, 40, 8, {}).plain.splitlines()[-1]
    assert last.split() == ["5.0", "0.0", "-", "-"]


def axis_marks(bars: DayBars, height: int = 10) -> list[str]:
    lines = draw_day_bars(bars, 60, height, {}).plain.splitlines()
    return [line.split("┤")[0].strip() for line in lines if "┤" in line]


def test_one_break_is_not_drawn_against_an_axis_of_one_and_a_half():
    one = DayBars(list("MTWTFSS"), [Series("taken", [1, 0, 0, 0, 0, 0, 0], "success"),
                                    Series("skipped", [0] * 7, "error")], counts=True)
    assert axis_marks(one) == ["1", "0"]
    hours = DayBars(list("MTWTFSS"), [Series("sitting", [1, 0, 0, 0, 0, 0, 0], "primary")])
    assert axis_marks(hours) == ["1.5", "0"]  # an hour and a half is a length, not a count


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 400), min_size=7, max_size=7), st.lists(st.integers(0, 60), min_size=7, max_size=7),
       st.integers(4, 14))
def test_count_axes_are_marked_in_whole_numbers_at_or_above_the_highest(taken, skipped, height):
    bars = DayBars(list("MTWTFSS"), [Series("taken", taken, "success"), Series("skipped", skipped, "error")],
                   counts=True)
    marks = axis_marks(bars, height)
    assert marks[-1] == "0" and all(mark.isdigit() for mark in marks)
    assert int(marks[0]) >= max(taken + skipped) and int(marks[0]) == nice_top(max(taken + skipped), whole=True)


async def test_the_breaks_chart_counts_in_whole_numbers(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_progress(pilot)
        chart = pane(app).query_one("#chart-breaks DayBarChart", DayBarChart)
        assert chart.bars.counts
        marks = [line.split("┤")[0].strip() for line in chart.render().plain.splitlines() if "┤" in line]
        assert marks and all(mark.isdigit() for mark in marks)


async def test_the_title_is_one_line_at_80_columns_in_the_week_across_new_year(locations):
    locations.config.write_text("remind_desktop = false\nremind_in_app = false\nremind_bell = false\n")
    wednesday = datetime(2026, 12, 30, 14, 30, tzinfo=timezone.utc)  # 2026-W53, 28 Dec 2026-3 Jan 2027
    app = make_app(locations, FakeClock(wednesday, zone=ZONE))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_progress(pilot)
        heading = pane(app).query_one("#progress-title", Static)
        assert str(heading.content) == ("Week 2026-W53, 28 Dec 2026-3 Jan 2027  so far · ▲▼ vs last week to Wed "
                                        "15:30")
        assert heading.size.height == 1


async def test_a_new_theme_paints_the_week_again(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_progress(pilot)

        def title_colours() -> set[str]:
            spans = pane(app).query_one("#progress-title", Static).content.spans
            return {str(span.style) for span in spans}

        before = title_colours()
        app.theme = "solarized-light"
        await settle(pilot)
        after = title_colours()
        assert before != after and any("#" in style for style in after)
