"""The pain timeline (domain.pain_timeline) and its text on the Progress tab: rows per part
and side, each run's phases kept apart, the flags' reasons on the right rows, weekly cells,
local weeks. Pure: runs are made here and flagged by the real run_flags."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from dateutil import tz

from glutetui.domain.pain_timeline import Mark, PainTimeline, TimelineRun, WeekCell, pain_timeline
from glutetui.domain.run_flags import Ache, RunFacts, run_flags
from glutetui.ui.widgets.pain_timeline import timeline_text

BERLIN = tz.gettz("Europe/Berlin")
WEEKS = [date(2026, 10, 26) + timedelta(weeks=index) for index in range(4)]  # Mondays: W44-W47


def at(day: str, hour: int = 18) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=BERLIN)


def flagged(*runs: tuple[datetime, float, tuple[Ache, ...]]) -> list[TimelineRun]:
    """The runs with the flags run_flags gives each, given those before it."""
    facts = [RunFacts(f"run-{number}", started, metres, aches) for number, (started, metres, aches) in enumerate(runs)]
    return [TimelineRun(fact.id, fact.started_at, fact.aches, tuple(run_flags(fact, facts[:number])))
            for number, fact in enumerate(facts)]


def test_one_row_per_part_and_side_that_ached_in_part_order():
    runs = flagged(
        (at("2026-10-27"), 8000, (Ache("knee", "left", "after", 3), Ache("hip", "right", "during", 2),
                                  Ache("knee", "right", "after", 0))),
        (at("2026-10-29"), 8000, (Ache("lower_back", "centre", "after", 4), Ache("hip", "left", "after", 1),
                                  Ache("hip", "right", "next_morning", 1))),
    )
    timeline = pain_timeline(runs, WEEKS, BERLIN)
    assert [(row.part, row.side) for row in timeline.rows] == [
        ("hip", "left"), ("hip", "right"), ("knee", "left"), ("lower_back", "centre")]  # knee right: only a 0
    assert [row.label for row in timeline.rows] == ["hip, left", "hip, right", "knee, left", "lower back"]
    assert [row.short_label for row in timeline.rows] == ["hip L", "hip R", "knee L", "lower back"]
    hip_right = timeline.rows[1]
    # Each run that ached on the row: its own mark, the phases apart.
    assert hip_right.marks == (Mark("run-0", date(2026, 10, 27), 0, 2, None, None),
                               Mark("run-1", date(2026, 10, 29), 0, None, None, 1))


def test_a_mark_keeps_during_after_and_next_morning_apart():
    [run] = flagged((at("2026-11-03"), 9000, (Ache("knee", "left", "during", 2), Ache("knee", "left", "after", 5),
                                              Ache("knee", "left", "next_morning", 6))))
    [row] = pain_timeline([run], WEEKS, BERLIN).rows
    [mark] = row.marks
    assert (mark.during, mark.after, mark.next_morning, mark.on_the_run, mark.worst, mark.zone) == (
        2, 5, 6, 5, 6, "too much")
    assert mark.week == 1
    assert [reason.kind for reason in row.reasons] == ["worse_next_morning"]
    assert row.reasons[0].text == "worse next morning 3 Nov"


def test_reasons_land_on_the_rows_of_their_part_and_run():
    knee = (Ache("knee", "left", "after", 4),)
    runs = flagged(
        (at("2026-10-27"), 8000, knee),
        (at("2026-10-29"), 8000, (Ache("hip", "right", "after", 1),)),
        (at("2026-11-01"), 8000, knee),
        (at("2026-11-04"), 8000, knee),  # the knee in 3 of the last 4 runs: keeps coming back
        (at("2026-11-10"), 12000, (Ache("hip", "right", "after", 2),)),  # +50 % on the month's longest
    )
    timeline = pain_timeline(runs, WEEKS, BERLIN)
    hip, knee_row = timeline.rows
    assert [(reason.kind, reason.day, reason.detail) for reason in knee_row.reasons] == [
        ("repeats", date(2026, 11, 4), "3 of 4 runs")]
    assert [(reason.kind, reason.day, reason.detail) for reason in hip.reasons] == [
        ("long_run", date(2026, 11, 10), "+50% longest")]
    assert knee_row.reason_lines() == ["keeps coming back 4 Nov (last: 3 of 4 runs)"]
    assert hip.reason_lines() == ["after a long-run spike 10 Nov (last: +50% longest)"]


def test_a_flag_about_a_part_lands_only_on_the_sides_that_show_it():
    """run_flags flags a part, both sides together; each side's row keeps what its own scores say."""
    [run] = flagged((at("2026-11-03"), 9000, (
        Ache("hip", "left", "after", 4), Ache("hip", "left", "next_morning", 1),  # settled overnight
        Ache("hip", "right", "during", 1), Ache("hip", "right", "next_morning", 5))))  # grew overnight
    assert [flag.kind for flag in run.flags if flag.kind == "worse_next_morning"] == ["worse_next_morning"]
    left, right = pain_timeline([run], WEEKS, BERLIN).rows
    assert (left.label, [reason.kind for reason in left.reasons]) == ("hip, left", [])
    assert (right.label, [reason.kind for reason in right.reasons]) == ("hip, right", ["worse_next_morning"])

    knee = (Ache("knee", "left", "after", 4), Ache("knee", "right", "after", 1))
    *_, last = flagged(*[(at(day), 8000, knee) for day in ("2026-10-27", "2026-10-29", "2026-11-01")])
    left, right = pain_timeline([last], WEEKS, BERLIN).rows
    assert [reason.kind for reason in left.reasons] == ["repeats"]
    assert right.reasons == ()  # 1/10 on the right: not what came back


def test_weekly_cells_hold_the_worst_of_the_week():
    runs = flagged(
        (at("2026-10-27"), 8000, (Ache("hip", "left", "after", 3), Ache("hip", "left", "next_morning", 1))),
        (at("2026-10-30"), 8000, (Ache("hip", "left", "during", 5),)),
        (at("2026-11-11"), 8000, (Ache("hip", "left", "next_morning", 4),)),
    )
    timeline = pain_timeline(runs, WEEKS, BERLIN)
    [row] = timeline.rows
    cells = timeline.cells(row)
    assert cells == [WeekCell(5, 1, 2), None, WeekCell(None, 4, 1), None]
    assert [cell.text for cell in cells if cell] == ["5›1", "›4"]
    assert cells[0].zone == "acceptable" and row.worst == 5


def test_runs_count_in_their_local_week_and_outside_runs_are_left_out():
    monday_early = datetime(2026, 11, 1, 23, 30, tzinfo=UTC)  # Monday 2 November 00:30 in Berlin: W45
    runs = flagged(
        (at("2026-10-20"), 8000, (Ache("shin", "right", "after", 3),)),  # the week before the first
        (monday_early, 8000, (Ache("foot", "left", "after", 3),)),
        (at("2026-11-23"), 8000, (Ache("calf", "left", "after", 3),)),  # the week after the last
    )
    timeline = pain_timeline(runs, WEEKS, BERLIN)
    [row] = timeline.rows
    assert (row.part, row.marks[0].week, row.marks[0].day) == ("foot", 1, date(2026, 11, 2))
    sunday_weeks = [start - timedelta(days=1) for start in WEEKS]  # weeks that start on Sunday
    assert pain_timeline(runs, sunday_weeks, BERLIN).rows[0].marks[0].week == 1


def test_the_text_on_the_progress_tab():
    runs = flagged(
        (at("2026-10-27"), 8000, (Ache("knee", "left", "after", 6), Ache("knee", "left", "next_morning", 7))),
        (at("2026-11-10"), 8000, (Ache("lower_back", "centre", "during", 2),)),
    )
    text = timeline_text(pain_timeline(runs, WEEKS, BERLIN), {}).plain
    assert text.splitlines() == [
        "           W44 W45 W46 W47",
        "knee L     6›7   ·   ·   ·",
        "  ! worse next morning 27 Oct",
        "lower back   ·   ·   2   ·",
    ]
    empty = timeline_text(PainTimeline(tuple(WEEKS), ()), {}).plain
    assert empty == "No aches logged in the 4 weeks shown."
