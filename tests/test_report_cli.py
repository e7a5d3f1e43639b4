"""`glutetui report` on a real SQLite file written through the store: the JSON keys and
values against the rows written, the text table, the week options and their errors.

The command is run in-process through `main([...])` with the clock swapped for a frozen
one in Europe/Berlin, so "this week" and the local days do not depend on the real date
or the machine's zone; one test runs the real command in a child process.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

import pytest
from dateutil import tz
from helpers import run_cli

from glutetui import cli
from glutetui.clock import FakeClock
from glutetui.domain.run_flags import Ache
from glutetui.store import posture, reminders, runs, warmups
from glutetui.store.db import open_store

BERLIN = tz.gettz("Europe/Berlin")
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)  # Saturday of 2026-W47
DAY_KEYS = {"date", "sitting_minutes", "longest_bout_minutes", "breaks_taken", "reminders_skipped", "active_hours",
            "warmups_completed", "runs", "distance_km", "aches"}


def local(day: str, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute), tzinfo=BERLIN)


def sit_from(db, state: str, day: str, hour: int, minute: int = 0) -> None:
    posture.begin_state(db, state, local(day, hour, minute), "manual")


def reminder(db, day: str, hour: int, minute: int, outcome: str | None) -> None:
    due = local(day, hour, minute)
    reminder_id = reminders.add_shown(db, due_at=due, shown_at=due, bout_minutes=30, move=None)
    if outcome is not None:
        reminders.set_outcome(db, reminder_id, outcome, due, answered=outcome != "missed")


def warmup(db, day: str, hour: int, completed: bool, ended: bool = True) -> str:
    summary = {"routine": "pre-run", "planned_s": 150, "done_s": 150 if completed else 60, "steps_done": 5,
               "steps_total": 5, "completed": int(completed)}
    started = local(day, hour)
    warmup_id = warmups.start_warmup(db, summary={**summary, "completed": 0, "done_s": 0}, started_at=started)
    if ended:
        warmups.save_warmup(db, warmup_id, summary=summary, now=started, ended_at=local(day, hour, 3))
    return warmup_id


def add_run(db, day: str, hour: int, minute: int, metres: float, aches=(), warmup_id=None) -> None:
    runs.add_run(db, started_at=local(day, hour, minute), distance_m=metres, duration_s=1800, rpe=5, notes="",
                 aches=tuple(Ache(*ache) for ache in aches), warmup_id=warmup_id, now=NOW)


@pytest.fixture
def db_path(tmp_path):
    """2026-W40 (Mon 28 Sep - Sun 4 Oct, Berlin summer time) and the week before it."""
    path = tmp_path / "progress.db"
    db = open_store(path)
    # W39: an hour of sitting on Wednesday and a run on Tuesday.
    sit_from(db, "sitting", "2026-09-23", 9)
    posture.end_open(db, local("2026-09-23", 10))
    add_run(db, "2026-09-22", 18, 0, 8000)
    # Monday: 150 + 60 minutes of sitting, a 15-minute stand and 15 minutes away.
    sit_from(db, "sitting", "2026-09-28", 9)
    sit_from(db, "standing", "2026-09-28", 11, 30)
    sit_from(db, "sitting", "2026-09-28", 11, 45)
    sit_from(db, "away", "2026-09-28", 12, 45)
    posture.end_open(db, local("2026-09-28", 13))
    # Tuesday 22:30 to Wednesday 00:45 sitting, then a 15-minute stand.
    sit_from(db, "sitting", "2026-09-29", 22, 30)
    sit_from(db, "standing", "2026-09-30", 0, 45)
    posture.end_open(db, local("2026-09-30", 1))
    # A second computer's sitting inside Tuesday's evening: counts once.
    db["posture"].insert({"id": "other-computer", "state": "sitting", "started_at": "2026-09-29T21:00:00+00:00",
                          "ended_at": "2026-09-29T21:30:00+00:00", "last_seen_at": "2026-09-29T21:30:00+00:00",
                          "source": "auto", "created_at": "2026-09-29T21:30:00+00:00"})
    reminder(db, "2026-09-28", 10, 0, "skipped")
    reminder(db, "2026-09-28", 11, 0, "taken")
    reminder(db, "2026-09-30", 9, 0, "missed")
    reminder(db, "2026-10-01", 9, 0, "snoozed")
    reminder(db, "2026-10-01", 10, 0, None)  # still unanswered: not counted
    reminder(db, "2026-10-04", 23, 30, "skipped")  # Sunday 21:30 UTC
    reminder(db, "2026-10-05", 0, 30, "skipped")  # Sunday 22:30 UTC, but Monday of the next week here
    full = warmup(db, "2026-10-01", 7, completed=True)
    partial = warmup(db, "2026-10-03", 8, completed=False)
    warmup(db, "2026-10-03", 17, completed=False, ended=False)  # still open: not counted
    add_run(db, "2026-10-01", 7, 15, 10000, [("knee", "left", "after", 4), ("hip", "right", "during", 2)], full)
    add_run(db, "2026-10-03", 8, 15, 5500, [("knee", "right", "after", 6),
                                             ("lower_back", "centre", "next_morning", 3)], partial)
    add_run(db, "2026-10-04", 23, 30, 3200)  # Sunday 21:30 UTC
    # 2026-W47: a run on Wednesday 18 November.
    add_run(db, "2026-11-18", 7, 0, 12000, [("hip", "left", "after", 5)])
    db.close()
    return path


@pytest.fixture
def frozen(monkeypatch):
    """The command's clock: 2026-11-21 12:00 UTC in Europe/Berlin."""
    monkeypatch.setattr(cli, "SystemClock", lambda *args, **kwargs: FakeClock(NOW, zone="Europe/Berlin"))


def report(capsys, db_path, *args: str, config=None) -> tuple[int, str, str]:
    argv = ["report", "--db", str(db_path), *args]
    if config is not None:
        argv += ["--config", str(config)]
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def report_json(capsys, db_path, *args: str, config=None) -> dict:
    code, out, err = report(capsys, db_path, *args, "--json", config=config)
    assert (code, err) == (0, ""), err
    return json.loads(out)


def zeros(day: str) -> dict:
    return {"date": day, "sitting_minutes": 0, "longest_bout_minutes": 0, "breaks_taken": 0, "reminders_skipped": 0,
            "reminders_missed": 0, "active_hours": 0, "warmups_completed": 0, "warmups_partial": 0, "runs": 0,
            "runs_warmed_up": 0, "distance_km": 0.0, "aches": {}}


def test_json_keys_and_values_for_a_past_week(capsys, db_path, frozen):
    data = report_json(capsys, db_path, "--week", "2026-W40")
    assert {"week", "start", "end", "days", "totals", "previous_totals", "insights"} <= set(data)
    assert (data["week"], data["start"], data["end"]) == ("2026-W40", "2026-09-28", "2026-10-04")
    assert data["week_starts_on"] == "monday" and data["made_at"] == "2026-11-21T12:00:00+00:00"
    days = data["days"]
    assert len(days) == 7 and all(DAY_KEYS <= set(day) for day in days)
    assert [day["date"] for day in days] == ["2026-09-28", "2026-09-29", "2026-09-30", "2026-10-01", "2026-10-02",
                                            "2026-10-03", "2026-10-04"]
    monday, tuesday, wednesday, thursday, friday, saturday, sunday = days
    assert monday == {**zeros("2026-09-28"), "sitting_minutes": 210, "longest_bout_minutes": 150, "breaks_taken": 2,
                      "reminders_skipped": 1, "active_hours": 2}
    assert tuesday == {**zeros("2026-09-29"), "sitting_minutes": 90, "longest_bout_minutes": 90}
    assert wednesday == {**zeros("2026-09-30"), "sitting_minutes": 45, "longest_bout_minutes": 45,
                         "breaks_taken": 1, "reminders_missed": 1, "active_hours": 1}
    assert thursday == {**zeros("2026-10-01"), "warmups_completed": 1, "runs": 1, "runs_warmed_up": 1,
                        "distance_km": 10.0,
                        "aches": {"hip": {"count": 0, "worst_score": 2, "worst_zone": "safe"},
                                  "knee": {"count": 1, "worst_score": 4, "worst_zone": "acceptable"}}}
    assert friday == zeros("2026-10-02")
    assert saturday == {**zeros("2026-10-03"), "warmups_partial": 1, "runs": 1, "distance_km": 5.5,
                        "aches": {"knee": {"count": 1, "worst_score": 6, "worst_zone": "too much"},
                                  "lower_back": {"count": 1, "worst_score": 3, "worst_zone": "acceptable"}}}
    assert sunday == {**zeros("2026-10-04"), "reminders_skipped": 1, "runs": 1, "distance_km": 3.2}
    totals = data["totals"]
    assert totals == {
        "sitting_minutes": 345, "longest_bout_minutes": 150, "breaks_taken": 3, "reminders_skipped": 2,
        "reminders_missed": 1, "active_hours": 3, "warmups_completed": 1, "warmups_partial": 1, "runs": 3,
        "runs_warmed_up": 1, "distance_km": 18.7, "ache_count": 3,
        "aches": {"hip": {"count": 0, "worst_score": 2, "worst_zone": "safe"},
                  "knee": {"count": 2, "worst_score": 6, "worst_zone": "too much"},
                  "lower_back": {"count": 1, "worst_score": 3, "worst_zone": "acceptable"}},
    }
    assert list(totals["aches"]) == ["hip", "knee", "lower_back"]
    for key in ("sitting_minutes", "breaks_taken", "reminders_skipped", "active_hours", "warmups_completed", "runs"):
        assert totals[key] == sum(day[key] for day in days), key
    assert totals["distance_km"] == pytest.approx(sum(day["distance_km"] for day in days))
    assert totals["longest_bout_minutes"] == max(day["longest_bout_minutes"] for day in days)
    previous = data["previous_totals"]
    assert set(previous) == set(totals)
    assert (previous["sitting_minutes"], previous["longest_bout_minutes"], previous["runs"],
            previous["distance_km"], previous["aches"]) == (60, 60, 1, 8.0, {})


def test_json_trend_and_insights(capsys, db_path, frozen):
    data = report_json(capsys, db_path, "--week", "2026-W40")
    trend = data["trend"]
    assert len(trend) == 12 and trend[0]["week"] == "2026-W29" and trend[-1]["week"] == "2026-W40"
    assert [item["start"] for item in trend][-2:] == ["2026-09-21", "2026-09-28"]
    assert trend[-1] == {"week": "2026-W40", "start": "2026-09-28", "sitting_hours": 5.75, "distance_km": 18.7,
                         "aches": 3, "warmup_rate": 0.333}
    assert trend[-2] == {"week": "2026-W39", "start": "2026-09-21", "sitting_hours": 1.0, "distance_km": 8.0,
                         "aches": 0, "warmup_rate": 0.0}
    assert all(item["warmup_rate"] is None and item["sitting_hours"] == 0 for item in trend[:-2])
    insights = data["insights"]
    assert [item["key"] for item in insights] == ["warmup_aches", "sitting_before_aches", "long_bout_weeks"]
    assert all(set(item) == {"key", "text", "n", "ready"} for item in insights)
    warm, before, long = insights
    # Four runs in the 12 weeks: only Thursday's followed a full warm-up (Saturday's was partial).
    assert (warm["n"], warm["ready"]) == (4, False)
    assert warm["text"] == ("Aches with and without a warm-up: needs 4 more runs with a full warm-up and 2 more runs "
                            "without one (at least 5 of each; 1 and 3 so far).")
    # Only Thursday's run follows a tracked day (Wednesday, 45 minutes).
    assert (before["n"], before["ready"]) == (1, False)
    assert "needs 4 more runs that ached and 5 more runs that did not" in before["text"]
    # Two tracked weeks: W40 with a 150-minute bout, W39 without.
    assert (long["n"], long["ready"]) == (2, False)
    assert "(1 and 1 of the last 12 weeks so far)" in long["text"]


def test_text_shows_the_same_minutes_as_the_json(capsys, db_path, frozen):
    data = report_json(capsys, db_path, "--week", "2026-W40")
    code, out, err = report(capsys, db_path, "--week", "2026-W40")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Week 2026-W40, 28 Sep-4 Oct 2026"
    minutes = data["totals"]["sitting_minutes"]
    assert f"{minutes // 60}:{minutes % 60:02d}" == "5:45"
    sitting = next(line for line in lines if line.startswith("Sitting"))
    assert "5:45 h" in sitting and "longest bout 2:30" in sitting and "▲ 4:45 vs last week" in sitting
    assert next(line for line in lines if line.startswith("Running")).startswith("Running   18.7 km in 3 runs")

    def row(label: str) -> list[str]:  # a table row: past the title, and the summary lines hold a "·"
        [found] = [line for line in lines[1:] if line.startswith(label + " ") and "·" not in line]
        return found.split()

    assert row("Day") == ["Day", "Sitting", "Bout", "Breaks", "Skip", "Miss", "Active", "Warm-up", "Runs", "km",
                          "Aches"]
    assert row("Mon 28") == ["Mon", "28", "3:30", "2:30", "2", "1", "0", "2", "0", "0", "0.0", "0"]
    assert row("Tue 29")[2:4] == ["1:30", "1:30"]
    assert row("Wed 30")[2:4] == ["0:45", "0:45"]
    assert row("Thu 1") == ["Thu", "1", "0:00", "0:00", "0", "0", "0", "0", "1", "1", "10.0", "1"]
    assert row("Sat 3")[8:] == ["0+1p", "1", "5.5", "2"]
    assert row("Week") == ["Week", "5:45", "2:30", "3", "2", "1", "3", "1+1p", "3", "18.7", "3"]
    assert row("Last wk")[2:4] == ["1:00", "1:00"]
    assert "Insights (last 12 weeks):" in out and "needs 4 more runs with a full warm-up" in out
    assert "Traceback" not in out


def test_date_names_the_same_week_as_week(capsys, db_path, frozen):
    by_week = report_json(capsys, db_path, "--week", "2026-W47")
    by_date = report_json(capsys, db_path, "--date", "2026-11-18")
    assert by_week == by_date
    assert (by_week["week"], by_week["start"], by_week["end"]) == ("2026-W47", "2026-11-16", "2026-11-22")
    assert by_week["days"][2] == {**zeros("2026-11-18"), "runs": 1, "distance_km": 12.0,
                                  "aches": {"hip": {"count": 1, "worst_score": 5, "worst_zone": "acceptable"}}}
    assert by_week["totals"]["distance_km"] == 12.0 and by_week["totals"]["ache_count"] == 1
    assert report_json(capsys, db_path, "--date", "2026-10-04")["week"] == "2026-W40"  # a Sunday
    assert report_json(capsys, db_path, "--date", "2026-09-28")["week"] == "2026-W40"  # a Monday
    # Without either: this week by the clock.
    assert report_json(capsys, db_path)["week"] == "2026-W47"


@pytest.mark.parametrize("args, starts", [
    (["--week", "2026-W60"], "glutetui: --week: '2026-W60': 2026 has no week 60"),
    (["--week", "2021-W53"], "glutetui: --week: '2021-W53': 2021 has no week 53"),
    (["--week", "x"], "glutetui: --week: 'x' is not a week like 2026-W47. Write it like 2026-W47."),
    (["--week", "2099-W01"], "glutetui: --week: 2099-W01 is in a week that has not begun; the latest is 2026-W47."),
    (["--week", "2026-W48"], "glutetui: --week: 2026-W48 is in a week that has not begun; the latest is 2026-W47."),
    (["--date", "2026-13-01"], "glutetui: --date: '2026-13-01' is not a date like 2026-11-18."),
    (["--date", "yesterday"], "glutetui: --date: 'yesterday' is not a date like 2026-11-18."),
    (["--date", "2026-11-23"], "glutetui: --date: 2026-11-23 is in a week that has not begun; the latest is 2026-W47."),
])
@pytest.mark.parametrize("as_json", [False, True])
def test_bad_weeks_and_dates_are_one_line_and_exit_2(capsys, db_path, frozen, args, starts, as_json):
    code, out, err = report(capsys, db_path, *args, *(["--json"] if as_json else []))
    assert code == 2 and out == ""
    assert err.startswith(starts) and err.count("\n") == 1
    assert "Traceback" not in err


def test_week_and_date_together_is_an_argparse_error(capsys, db_path, frozen):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["report", "--db", str(db_path), "--week", "2026-W40", "--date", "2026-09-30"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "not allowed with argument" in err and "Traceback" not in err


def test_a_missing_database_says_so(capsys, tmp_path, frozen):
    missing = tmp_path / "nowhere.db"
    code, out, err = report(capsys, missing, "--week", "2026-W40")
    assert code == 2 and out == ""
    assert err == (f"glutetui: {missing}: no database here yet. Open glutetui once to create it, "
                   "or pass another --db path.\n")
    assert not missing.exists()  # a report never creates the file


def test_a_sunday_week_from_the_config(capsys, db_path, frozen, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('week_start = "sunday"\n')
    data = report_json(capsys, db_path, "--week", "2026-W40", config=config)
    assert (data["week"], data["start"], data["end"], data["week_starts_on"]) == (
        "2026-W40", "2026-09-27", "2026-10-03", "sunday")
    assert date.fromisoformat(data["start"]).weekday() == 6
    assert data["days"][0] == zeros("2026-09-27")
    assert [day["sitting_minutes"] for day in data["days"]] == [0, 210, 90, 45, 0, 0, 0]
    # Sunday 4 October (a run and a skipped reminder) belongs to the next Sunday week.
    totals = data["totals"]
    assert (totals["runs"], totals["distance_km"], totals["reminders_skipped"]) == (2, 15.5, 1)
    assert (data["previous_totals"]["sitting_minutes"], data["previous_totals"]["runs"]) == (60, 1)
    following = report_json(capsys, db_path, "--date", "2026-10-04", config=config)
    assert (following["week"], following["start"]) == ("2026-W41", "2026-10-04")
    assert following["days"][0] == {**zeros("2026-10-04"), "reminders_skipped": 1, "runs": 1, "distance_km": 3.2}
    assert following["days"][1] == {**zeros("2026-10-05"), "reminders_skipped": 1}  # 00:30 on Monday here
    # This week by the clock (Saturday 21 November) began on Sunday 15 November.
    assert report_json(capsys, db_path, config=config)["start"] == "2026-11-15"
    code, _, err = report(capsys, db_path, "--date", "2026-11-22", config=config)
    assert code == 2 and err.startswith("glutetui: --date: 2026-11-22 is in a week that has not begun")


def test_a_bad_week_start_in_the_config_is_a_clear_message(capsys, db_path, frozen, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('week_start = "friday"\n')
    code, out, err = report(capsys, db_path, "--week", "2026-W40", "--json", config=config)
    assert code == 2 and out == ""
    assert err == (f'glutetui: {config}: week_start must be "monday" or "sunday", for example: '
                   'week_start = "monday" (or "sunday")\n')


def test_the_real_command_in_a_child_process(db_path):
    """No swapped clock: the real now, the zone from TZ. 2026-W40 is long past."""
    result = run_cli("report", "--db", str(db_path), "--week", "2026-W40", "--json", env={"TZ": "Europe/Berlin"})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["week"], data["totals"]["sitting_minutes"], data["totals"]["distance_km"]) == ("2026-W40", 345, 18.7)
    assert [day["sitting_minutes"] for day in data["days"]] == [210, 90, 45, 0, 0, 0, 0]
    bad = run_cli("report", "--db", str(db_path), "--week", "2026-W60", env={"TZ": "Europe/Berlin"})
    assert bad.returncode == 2 and bad.stderr.startswith("glutetui: --week: ") and "Traceback" not in bad.stderr


# ---- the week so far against the last, to the same moment ----------------------------------

TUESDAY_TEN = local("2026-11-17", 10).astimezone(UTC)  # Tuesday of 2026-W47, 10:00 in Berlin


def a_working_monday_and_tuesday(db, monday: str, tuesday: str, until: datetime | None = None) -> None:
    """Monday at the desk with a run and a skipped reminder, Tuesday from 09:00; with `until`
    (this week), only what had happened by then."""
    add_run(db, monday, 7, 0, 8000, [("knee", "left", "after", 4)])
    sit_from(db, "sitting", monday, 9)
    sit_from(db, "standing", monday, 12)
    sit_from(db, "sitting", monday, 12, 15)
    reminder(db, monday, 10, 0, "skipped")
    posture.end_open(db, local(monday, 17))
    sit_from(db, "sitting", tuesday, 9)
    if until is not None:
        posture.end_open(db, until)
        return
    sit_from(db, "break", tuesday, 11, 30)  # the 09:00 bout runs on past 10:00
    sit_from(db, "sitting", tuesday, 11, 45)
    posture.end_open(db, local(tuesday, 16))
    reminder(db, tuesday, 11, 0, "skipped")
    add_run(db, tuesday, 17, 10, 6000, [("hip", "right", "after", 6)], warmup(db, tuesday, 17, completed=True))


@pytest.fixture
def tuesday_morning(tmp_path, monkeypatch):
    """Last week's Monday and whole Tuesday; this week's Monday and Tuesday to 10:00, now."""
    path = tmp_path / "tuesday.db"
    db = open_store(path)
    a_working_monday_and_tuesday(db, "2026-11-09", "2026-11-10")
    a_working_monday_and_tuesday(db, "2026-11-16", "2026-11-17", until=TUESDAY_TEN)
    db.close()
    monkeypatch.setattr(cli, "SystemClock", lambda *args, **kwargs: FakeClock(TUESDAY_TEN, zone="Europe/Berlin"))
    return path


def test_tuesday_morning_is_compared_with_last_tuesday_morning(capsys, tuesday_morning):
    data = report_json(capsys, tuesday_morning)
    assert (data["days_compared"], data["compared_until"]) == (2, "2026-11-10T09:00:00+00:00")
    assert data["previous_totals_to_date"] == data["totals"]
    assert data["totals"]["sitting_minutes"] == 465 + 60 and data["totals"]["runs"] == 1
    whole = data["previous_totals"]  # last week's whole week: more of everything
    assert (whole["sitting_minutes"], whole["breaks_taken"], whole["reminders_skipped"], whole["runs"],
            whole["warmups_completed"], whole["ache_count"]) == (465 + 150 + 255, 2, 2, 2, 1, 2)
    code, out, err = report(capsys, tuesday_morning)
    assert (code, err) == (0, "")
    summary = [line for line in out.splitlines()[2:7]]
    assert [line.split()[0] for line in summary] == ["Sitting", "Breaks", "Warm-ups", "Running", "Aches"]
    assert all(line.endswith("(same as last week to Tue 10:00)") for line in summary), summary


def test_days_still_to_come_show_a_dash_and_the_days_lived_their_zeros(capsys, tuesday_morning):
    code, out, _ = report(capsys, tuesday_morning)
    lines = out.splitlines()

    def row(label: str) -> list[str]:
        [found] = [line for line in lines[1:] if line.startswith(label + " ") and "·" not in line]
        return found.split()

    assert code == 0
    assert row("Mon 16") == ["Mon", "16", "7:45", "4:45", "1", "1", "0", "1", "0", "1", "8.0", "1"]
    assert row("Tue 17") == ["Tue", "17", "1:00", "1:00", "0", "0", "0", "0", "0", "0", "0.0", "0"]
    for label in ("Wed 18", "Thu 19", "Fri 20", "Sat 21", "Sun 22"):
        assert row(label)[2:] == ["-"] * 10, label
    assert row("Week")[1:3] == ["8:45", "4:45"]
    assert "1 reminder skipped" in out and "0 of 1 run warmed up" in out and "8.0 km in 1 run " in out
    # A week that has ended has no day to come, and is compared whole.
    past = report(capsys, tuesday_morning, "--week", "2026-W46")[1].splitlines()
    assert not [line for line in past if line.startswith(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
                and " - " in line]
    data = report_json(capsys, tuesday_morning, "--week", "2026-W46")
    assert (data["days_compared"], data["compared_until"]) == (7, None)
    assert data["previous_totals_to_date"] == data["previous_totals"]
