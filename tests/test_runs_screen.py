"""The Runs tab through Textual's Pilot, on a real SQLite file and a fake clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from app_factory import make_app
from helpers import poll, wait_until
from textual.widgets import DataTable, Input

from glutetui.clock import FakeClock
from glutetui.services.runs import list_runs, log_run
from glutetui.store.db import open_store
from glutetui.ui.screens.confirm import ConfirmScreen
from glutetui.ui.screens.run_detail import RunDetailScreen
from glutetui.ui.screens.run_form import RunFormScreen
from glutetui.ui.widgets.choice_cycle import ChoiceCycle
from glutetui.ui.widgets import runs_pane
from glutetui.ui.widgets.runs_pane import RunsPane

ZONE = "Europe/Berlin"
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=timezone.utc)  # Wednesday 15:30 in Berlin


@pytest.fixture
def app(locations):
    locations.config.write_text("remind_desktop = false\nremind_in_app = false\nremind_bell = false\n")
    return make_app(locations, FakeClock(NOW, zone=ZONE))


def add(app, **fields) -> str:
    """A run stored the way `glutetui run add` stores one."""
    fields.setdefault("duration", "30:00")
    return log_run(app.db, app.clock.now(), app.clock.local_zone(), **fields).run.id


def stored(app) -> list[tuple]:
    return app.db.execute("SELECT distance_m, duration_s, rpe, notes FROM runs ORDER BY started_at").fetchall()


def pane(app) -> RunsPane:
    return app.main_screen.query_one(RunsPane)


def rows(app) -> list[list[str]]:
    table = app.main_screen.query_one("#runs-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


async def open_runs(pilot) -> None:
    await pilot.press("3")
    await pilot.pause()


async def open_form(pilot, key: str = "n") -> RunFormScreen:
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, RunFormScreen)
    return pilot.app.screen


def fill(form: RunFormScreen, **values: str) -> None:
    for field, text in values.items():
        form.query_one(f"#{field}", Input).value = text


async def test_a_run_logged_from_the_form_is_stored_and_shown_with_its_pace(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        assert pane(app).has_class("empty")
        form = await open_form(pilot)
        fill(form, **{"distance-input": "5k", "time-input": "28:30", "rpe-input": "6", "notes-input": "easy",
                      "knee-score": "4"})
        form.query_one("#knee-side", ChoiceCycle).focus()
        await pilot.press("right")  # left, right, both: from "both" round to "left"
        await pilot.press("enter")  # on a choice, enter saves as in a field
        await pilot.pause()
        assert not isinstance(app.screen, RunFormScreen)
        assert stored(app) == [(5000.0, 1710, 6, "easy")]
        assert app.db.execute("SELECT body_part, side, score, phase FROM aches").fetchall() == [
            ("knee", "left", 4, "after")]
        [row] = rows(app)
        assert row[:6] == ["18 Nov 15:30", "5.00", "28:30", "5:42", "6", "-"]
        assert row[6] == "K4"
        assert "knee 4/10" in row[7]


async def test_a_run_logged_in_miles_shows_miles(app, locations):
    locations.config.write_text('units = "mi"\nremind_desktop = false\n')
    app = make_app(locations, FakeClock(NOW, zone=ZONE))
    add(app, distance="5k", duration="28:30")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        assert rows(app)[0][1:4] == ["3.11", "28:30", "9:10"]


@pytest.mark.parametrize(("field", "typed", "words"), [
    ("distance", "5 parsecs", "is not a distance"),
    ("time", "half an hour", "is not a duration"),
    ("when", "2026-11-25 18:00", "future"),
    ("rpe", "11", "from 1 (very easy)"),
])
async def test_a_wrong_field_says_so_under_it_keeps_the_text_and_stores_nothing(app, field, typed, words):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        form = await open_form(pilot)
        good = {"distance-input": "10 km", "time-input": "55:00", "notes-input": "hills"}
        fill(form, **{**good, f"{field}-input": typed})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open, for the fix
        assert words in form.problem(field)
        assert form.query_one(f"#{field}-input", Input).value == typed
        assert form.query_one("#notes-input", Input).value == "hills"
        assert [other for other in ("when", "distance", "time", "rpe") if other != field and form.problem(other)] == []
        assert stored(app) == []
        # Fixed, it saves; the message goes as soon as the field changes.
        fill(form, **{f"{field}-input": {"distance": "10 km", "time": "55:00", "when": "now", "rpe": "7"}[field]})
        await pilot.pause()
        assert form.problem(field) == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(stored(app)) == 1


async def test_a_wrong_ache_score_is_shown_under_the_aches_and_nothing_is_stored(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        form = await open_form(pilot)
        fill(form, **{"distance-input": "5k", "time-input": "28:30", "hip-score": "12"})
        await pilot.click("#save-button")
        await pilot.pause()
        assert app.screen is form
        assert "Hip: '12' is not a score" in form.problem("aches")
        assert form.query_one("#hip-score", Input).value == "12"
        assert stored(app) == [] and app.db.execute("SELECT count(*) FROM aches").fetchone() == (0,)


async def test_more_reveals_the_other_parts_and_their_aches_are_stored(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        form = await open_form(pilot)
        assert not form.query_one("#more-parts").display
        form.query_one("#more-check").value = True
        await pilot.pause()
        assert form.query_one("#more-parts").display
        fill(form, **{"distance-input": "8k", "time-input": "45 min", "calf-score": "3"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.db.execute("SELECT body_part, side, score FROM aches").fetchall() == [("calf", "both", 3)]


async def test_escape_cancels_the_form_and_stores_nothing(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        form = await open_form(pilot)
        fill(form, **{"distance-input": "5k", "time-input": "28:30"})
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RunFormScreen)
        assert stored(app) == []


async def test_edit_changes_the_selected_run(app):
    # Two days back: a run from yesterday with an ache would bring this morning's question first.
    run_id = add(app, distance="5k", duration="30:00", when="2026-11-16 18:00", aches=["hip:left:3:after"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        form = await open_form(pilot, "e")
        assert form.query_one("#distance-input", Input).value == "5.00 km"
        assert form.query_one("#hip-score", Input).value == "3"
        fill(form, **{"distance-input": "6 km", "hip-score": "", "knee-score": "2"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.db.execute("SELECT id, distance_m, duration_s FROM runs").fetchall() == [(run_id, 6000.0, 1800)]
        assert app.db.execute("SELECT body_part, score FROM aches").fetchall() == [("knee", 2)]
        assert rows(app)[0][1] == "6.00"


async def test_edit_left_alone_keeps_the_exact_distance(app):
    add(app, distance="5004 m")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        await open_form(pilot, "e")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert stored(app)[0][0] == 5004.0


async def test_delete_asks_first_and_undo_brings_the_run_back(app):
    run_id = add(app, distance="5k", aches=["knee:right:4"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert len(stored(app)) == 1
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert stored(app) == [] and app.db.execute("SELECT count(*) FROM aches").fetchone() == (0,)
        assert pane(app).has_class("empty")
        await pilot.press("u")
        await pilot.pause()
        assert app.db.execute("SELECT id FROM runs").fetchall() == [(run_id,)]
        assert app.db.execute("SELECT body_part, score FROM aches").fetchall() == [("knee", 4)]
        assert len(rows(app)) == 1
        assert not app.main_screen.active_bindings.get("u") or not app.main_screen.active_bindings["u"].enabled


async def test_sorting_by_distance_with_o_and_by_a_header_click(app):
    add(app, distance="5k", when="2026-11-10 18:00")
    add(app, distance="12k", when="2026-11-12 18:00")
    add(app, distance="8k", when="2026-11-14 18:00")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        assert [row[1] for row in rows(app)] == ["8.00", "12.00", "5.00"]  # newest first
        await pilot.press("o")  # date -> distance, longest first
        await pilot.pause()
        assert [row[1] for row in rows(app)] == ["12.00", "8.00", "5.00"]
        await pilot.click("#runs-table", offset=(16, 0))  # the distance column's title: shortest first
        await pilot.pause()
        assert [row[1] for row in rows(app)] == ["5.00", "8.00", "12.00"]


async def test_the_detail_shows_each_flags_why(app):
    add(app, distance="5k", aches=["knee:left:7"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        assert "Knee pain of 7/10 is above 5" in str(pane(app).query_one("#runs-why").content)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RunDetailScreen)
        assert "Knee pain of 7/10 is above 5" in app.screen.text
        assert "never a diagnosis" in app.screen.text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RunDetailScreen)


async def test_a_run_linked_to_a_warm_up_says_yes(app):
    app.db["warmups"].insert({"id": "w1", "routine": "pre-run", "started_at": "2026-11-18T13:50:00Z",
                              "ended_at": "2026-11-18T13:53:00Z", "planned_s": 180, "done_s": 180,
                              "steps_done": 5, "steps_total": 5, "completed": 1,
                              "created_at": "2026-11-18T13:50:00Z"})
    add(app, distance="5k", when="today 15:00")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        assert rows(app)[0][5] == "yes"


async def test_a_run_added_by_another_process_appears_after_a_refresh(app, locations):
    add(app, distance="5k", when="yesterday 18:00")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        assert len(rows(app)) == 1
        other = open_store(locations.db)  # as `glutetui run add` would
        log_run(other, app.clock.now(), app.clock.local_zone(), distance="10k", duration="55:00")
        other.close()
        await poll(pilot)
        await pilot.pause()
        assert [row[1] for row in rows(app)] == ["10.00", "5.00"]
        assert len(list_runs(app.db)) == 2


async def test_runs_keys_do_nothing_on_today_and_today_keys_stay(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, RunFormScreen)
        await pilot.press("s")
        await pilot.pause()
        assert app.tracker.open is not None and app.tracker.open.state == "standing"


async def test_the_form_can_change_the_warm_up_link(app):
    from glutetui.domain.timefmt import to_utc_text

    ended = NOW - timedelta(minutes=40)
    for warmup_id, end, done in (("early", ended - timedelta(minutes=30), 1), ("late", ended, 0)):
        app.db["warmups"].insert({"id": warmup_id, "routine": "pre-run", "started_at": to_utc_text(end - timedelta(minutes=3)),
                                  "ended_at": to_utc_text(end), "planned_s": 164, "done_s": 164, "steps_done": 7,
                                  "steps_total": 7, "completed": done, "created_at": to_utc_text(end)})
    run_id = add(app, distance="5k", when="now")
    assert app.db.execute("SELECT warmup_id FROM runs").fetchone() == ("early",)  # the completed one, automatically
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        form = await open_form(pilot, "e")
        link = form.query_one("#warmup-link", ChoiceCycle)
        assert link.value == "early"
        assert set(link.choices) >= {"auto", "none", "early", "late"}
        link.focus()
        while link.value != "late":  # the one stopped early, picked by hand
            await pilot.press("right")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.db.execute("SELECT warmup_id FROM runs WHERE id = ?", [run_id]).fetchone() == ("late",)
        form = await open_form(pilot, "e")
        form.query_one("#warmup-link", ChoiceCycle).value = "none"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.db.execute("SELECT warmup_id FROM runs WHERE id = ?", [run_id]).fetchone() == (None,)
        assert rows(app)[0][5] == "-"


async def test_a_warm_up_stopped_part_way_shows_as_part(app):
    from glutetui.domain.timefmt import to_utc_text

    end = NOW - timedelta(minutes=30)
    app.db["warmups"].insert({"id": "half", "routine": "pre-run", "started_at": to_utc_text(end - timedelta(minutes=1)),
                              "ended_at": to_utc_text(end), "planned_s": 164, "done_s": 60, "steps_done": 2,
                              "steps_total": 7, "completed": 0, "created_at": to_utc_text(end)})
    add(app, distance="5k", when="now", warmup_id="half")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        assert rows(app)[0][5] == "part"


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "nord", "gruvbox"])
async def test_an_information_flag_is_drawn_in_every_theme(app, theme):
    # Themes give text-muted as "auto 60%", a CSS value Rich cannot draw; the tab once crashed on it.
    add(app, distance="10k", when="2026-11-10 18:00")
    add(app, distance="12k", when="yesterday 18:00")  # 20 % longer: an information flag
    app.theme = theme
    async with app.run_test(size=(100, 24)) as pilot:
        await open_runs(pilot)
        assert rows(app)[0][-1] == "+20% longest"
        assert "20% longer than your longest run" in str(pane(app).query_one("#runs-why").content)


async def test_bare_numbers_in_the_form_are_the_runners_unit_and_minutes(locations):
    locations.config.write_text('units = "mi"\nremind_desktop = false\nremind_in_app = false\n')
    app = make_app(locations, FakeClock(NOW, zone=ZONE))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        form = await open_form(pilot)
        assert form.query_one("#distance-input", Input).placeholder.startswith("10 (mi), ")
        assert form.query_one("#time-input", Input).placeholder.startswith("25 (minutes), ")
        fill(form, **{"distance-input": "10", "time-input": "25"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert stored(app) == [(16_093.44, 1500, None, "")]
        assert rows(app)[0][1:4] == ["10.00", "25:00", "2:30"]


def side_choices(form: RunFormScreen, part: str) -> list[str] | str:
    """The sides a part's row offers, or the one side it shows when there is no choice."""
    side = form.query_one(f"#{part}-side")
    return list(side.choices) if isinstance(side, ChoiceCycle) else str(side.content)


async def test_each_part_offers_only_the_sides_it_has(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        form = await open_form(pilot)
        form.query_one("#more-check").value = True
        await pilot.pause()
        assert side_choices(form, "lower_back") == "centre"
        for part in ("hip", "knee", "hamstring", "it_band", "shin", "calf", "foot"):
            assert side_choices(form, part) == ["left", "right", "both"], part
        fill(form, **{"distance-input": "5k", "time-input": "28:30", "knee-score": "2", "lower_back-score": "3"})
        form.query_one("#knee-side", ChoiceCycle).value = "right"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert sorted(app.db.execute("SELECT body_part, side, score FROM aches").fetchall()) == [
            ("knee", "right", 2), ("lower_back", "centre", 3)]


async def test_a_knee_stored_as_centre_before_still_shows_and_an_edit_keeps_it(app):
    run_id = add(app, distance="5k", when="2026-11-16 18:00", aches=["knee:left:4", "knee:left:2:next_morning"])
    app.db.execute("UPDATE aches SET side = 'centre'")  # as versions before issue 19 stored it
    app.db.conn.commit()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "Knee, centre, after the run: 4/10" in app.screen.text
        await pilot.press("escape")
        form = await open_form(pilot, "e")
        assert side_choices(form, "knee") == ["left", "right", "both", "centre"]
        assert form.query_one("#knee-side", ChoiceCycle).value == "centre"
        fill(form, **{"knee-score": "5"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RunFormScreen), form.problem("aches")
        assert sorted(app.db.execute("SELECT run_id, side, score, phase FROM aches").fetchall()) == [
            (run_id, "centre", 2, "next_morning"), (run_id, "centre", 5, "after")]


async def test_the_table_holds_a_page_of_runs_at_a_time_and_is_filled_again_only_when_runs_change(
        app, locations, monkeypatch):
    monkeypatch.setattr(runs_pane, "PAGE_ROWS", 2)
    for day in range(10, 15):  # the oldest is the longest: sorting reaches runs not yet shown
        add(app, distance="20k" if day == 10 else f"{day}k", when=f"2026-11-{day} 18:00")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        assert [row[:2] for row in rows(app)] == [["14 Nov 18:00", "14.00"], ["13 Nov 18:00", "13.00"],
                                                  ["▼ 3 more", ""]]
        await pilot.press("ctrl+end")  # the last row
        await pilot.pause()
        assert "3 more runs in this order: enter shows the next 2" in str(pane(app).query_one("#runs-why").content)
        await pilot.press("enter")
        await pilot.pause()
        assert [row[1] for row in rows(app)] == ["14.00", "13.00", "12.00", "11.00", ""]
        assert pane(app).selected().run.distance_m == 12_000  # the first of those just shown
        await pilot.press("ctrl+end", "enter")
        await pilot.pause()
        assert [row[1] for row in rows(app)] == ["14.00", "13.00", "12.00", "11.00", "20.00"]
        await pilot.press("enter")  # the oldest run, in full
        await pilot.pause()
        assert isinstance(app.screen, RunDetailScreen) and "20.00 km" in app.screen.text
        await pilot.press("escape")
        await pilot.pause()

        fills, fill = [], pane(app)._fill

        def counted_fill(select=None) -> None:
            fills.append(select)
            fill(select)

        monkeypatch.setattr(pane(app), "_fill", counted_fill)
        other = open_store(locations.db)  # another process, writing to another table
        other["reminders"].insert({"id": "r1", "due_at": "2026-11-18T14:00:00+00:00",
                                   "created_at": "2026-11-18T14:00:00+00:00"})
        await poll(pilot)
        await pilot.press("5", "3")  # away and back: the table is shown again at its size
        await pilot.pause()
        assert fills == []
        log_run(other, app.clock.now(), app.clock.local_zone(), distance="7k", duration="40:00")
        other.close()
        await poll(pilot)
        assert len(fills) == 1
        assert [row[1] for row in rows(app)] == ["7.00", "14.00", "13.00", "12.00", "11.00", "20.00"]  # pages kept
        assert pane(app).selected().run.distance_m == 20_000  # the cursor stays on its run, one row down
        await pilot.press("o")  # by distance, over every run; a page again
        await pilot.pause()
        assert [row[1] for row in rows(app)] == ["20.00", "14.00", ""]
        assert rows(app)[-1][0] == "▼ 4 more"
        app.change_setting("units", "mi")  # as Settings does: the table is in miles when next shown
        await pilot.press("5", "3")
        await wait_until(pilot, lambda: [row[1] for row in rows(app)] == ["12.43", "8.70", ""], "miles")


def drawn(table) -> list[list[tuple[str, str]]]:
    """The table's visible lines as (text, style) pieces, joined where the style repeats."""
    lines = []
    for y in range(table.size.height):
        pieces: list[tuple[str, str]] = []
        for segment in table.render_line(y):
            style = str(segment.style)
            if pieces and pieces[-1][1] == style:
                pieces[-1] = (pieces[-1][0] + segment.text, style)
            else:
                pieces.append((segment.text, style))
        lines.append(pieces)
    return lines


async def test_showing_the_tab_again_draws_from_the_caches_and_a_new_theme_draws_afresh(app, monkeypatch):
    """Focus, hover and showing the tab again keep DataTable's caches (their keys hold the
    focus state and the styles); a theme changes the styles, and then nothing old is drawn."""
    for day in range(1, 9):
        add(app, distance=f"{day}k", when=f"2026-11-{day:02} 18:00", aches=[f"knee:left:{day}"])
    cells = []
    real_render_cell = DataTable._render_cell
    monkeypatch.setattr(DataTable, "_render_cell", lambda table, *args, **kwargs: (
        cells.append(1), real_render_cell(table, *args, **kwargs))[1])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot)
        table = app.main_screen.query_one("#runs-table", DataTable)
        await wait_until(pilot, lambda: table.row_count == 8, "the runs")
        for _ in range(2):  # the first two showings may draw: their styles settle
            await pilot.press("1", "3")
            await pilot.pause()
        cells.clear()
        await pilot.press("1", "3")
        await pilot.pause()
        shown_again = drawn(table)
        assert cells == [], "shown again at the same size and focus: every cell from the cache"
        table._clear_caches()
        assert drawn(table) == shown_again, "what the caches gave is what drawing afresh gives"

        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        await pilot.pause()
        themed = drawn(table)
        assert themed != shown_again
        table._clear_caches()
        assert drawn(table) == themed
