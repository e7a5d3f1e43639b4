"""`glutetui report --html` on a real SQLite file of twelve demo weeks: the embedded numbers
against `report --json` week by week, the aches against the rows stored, every part that
ached named, notes in or out, escaping, and how the file is written.

The command runs in-process through `main([...])` with the clock frozen in Europe/Berlin,
so `made_at` and "this week" are the same in the page and in each `report --json`. The
page in a real browser: tests/test_report_browser.py.
"""

from __future__ import annotations

import json
import re
import stat
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from glutetui import cli
from glutetui.clock import FakeClock
from glutetui.domain.run_flags import PART_NAMES, Ache
from glutetui.services.demo import fill_demo
from glutetui.services.report_html import script_json
from glutetui.store import runs
from glutetui.store.db import open_store

ZONE = "Europe/Berlin"
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=UTC)  # Wednesday of 2026-W47
# A note that tries to end the script element, open a tag and start an entity.
SHARP_NOTE = 'sharp on the stairs </script><script>alert("x")</script> <b>bold</b> & A&amp;B <!-- \x1b[2J'
PLAIN_NOTE = "felt it on the downhill after the bridge"


@pytest.fixture(scope="module")
def clock_frozen():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli, "SystemClock", lambda *args, **kwargs: FakeClock(NOW, zone=ZONE))
        yield


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    """Twelve demo weeks to NOW, and two achy runs of our own with notes to look for."""
    path = tmp_path_factory.mktemp("report-html") / "demo.db"
    db = open_store(path)
    zone = FakeClock(NOW, zone=ZONE).local_zone()
    fill_demo(db, until=NOW, zone=zone, weeks=12, seed=1)
    runs.add_run(db, started_at=NOW - timedelta(days=9, hours=3), distance_m=7000, duration_s=2400, rpe=6,
                 notes=SHARP_NOTE, aches=(Ache("foot", "left", "after", 4), Ache("foot", "left", "next_morning", 5)),
                 warmup_id=None, now=NOW)
    runs.add_run(db, started_at=NOW - timedelta(days=30, hours=2), distance_m=6000, duration_s=2000, rpe=None,
                 notes=PLAIN_NOTE, aches=(Ache("shin", "right", "during", 2),), warmup_id=None, now=NOW)
    db.close()
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


class ReportData(HTMLParser):
    """The text of <script id="report-data">, found as a browser's parser finds it."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.found, self.scripts = False, [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
            self.inside = dict(attrs).get("id") == "report-data"

    def handle_endtag(self, tag):
        if tag == "script":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.found.append(data)


def embedded(page: str) -> dict:
    parser = ReportData()
    parser.feed(page)
    assert parser.scripts == 1, "the page holds one script element, the data, and no code"
    return json.loads("".join(parser.found))


@pytest.fixture(scope="module")
def pages(demo_path, clock_frozen, tmp_path_factory):
    """The page with notes and without, written once for the module."""
    folder = tmp_path_factory.mktemp("pages")
    written = {}
    for name, extra in (("notes", []), ("no-notes", ["--no-notes"])):
        path = folder / f"{name}.html"
        assert cli.main(["report", "--db", str(demo_path), "--html", str(path), "--weeks", "12", *extra]) == 0
        written[name] = path
    return written


def test_each_weeks_numbers_are_what_report_json_prints(capsys, pages, demo_path):
    capsys.readouterr()
    data = embedded(pages["notes"].read_text(encoding="utf-8"))
    weeks = data["weeks"]
    assert [week["week"] for week in weeks] == [f"2026-W{number}" for number in range(36, 48)]
    assert (data["first_week"], data["last_week"], data["start"], data["end"]) == (
        "2026-W36", "2026-W47", "2026-08-31", "2026-11-22")
    for week in weeks:
        code, out, err = run(capsys, "report", "--db", str(demo_path), "--week", week["week"], "--json")
        assert (code, err) == (0, "")
        assert week == json.loads(out), week["week"]
    # Not twelve copies of one week: the demo ran in every one of them.
    assert len({week["totals"]["distance_km"] for week in weeks}) > 6
    assert all(len(week["days"]) == 7 for week in weeks)


def test_aches_are_every_row_stored_in_the_span(pages, demo_path):
    data = embedded(pages["notes"].read_text(encoding="utf-8"))
    db = open_store(demo_path)
    try:
        stored = db.execute(
            "SELECT aches.run_id, runs.started_at, body_part, side, phase, score FROM aches JOIN runs "
            "ON runs.id = aches.run_id WHERE runs.started_at >= ? AND runs.started_at < ?",
            # 2026-08-31 00:00 and 2026-11-23 00:00 in Berlin
            ["2026-08-30T22:00:00+00:00", "2026-11-22T23:00:00+00:00"]).fetchall()
    finally:
        db.close()
    assert len(stored) > 10
    keys = ("run_id", "run_started_at", "body_part", "side", "phase", "score")
    assert sorted(tuple(row[key] for key in keys) for row in data["aches"]) == sorted(stored)
    by_run = {run["id"]: run["week"] for run in data["runs"]}
    assert all(row["week"] == by_run[row["run_id"]] for row in data["aches"])
    assert {row["zone"] for row in data["aches"] if row["score"] >= 6} <= {"too much"}
    assert len(data["runs"]) == sum(week["totals"]["runs"] for week in data["weeks"])


def test_every_part_that_ached_is_named_on_the_page(pages):
    page = pages["notes"].read_text(encoding="utf-8")
    data = embedded(page)
    ached = {(row["body_part"], row["side"]) for row in data["aches"] if row["score"] > 0}
    assert {"foot", "shin", "hip", "knee"} <= {part for part, _ in ached}
    pain = page[page.index('<section id="pain">'):page.index('<section id="load">')]
    for part, side in ached:
        label = PART_NAMES[part] if side == "centre" else f"{PART_NAMES[part]}, {side}"
        assert f">{label}</text>" in pain, label
    # A score of 0 is no ache: no row of its own.
    assert pain.count('class="label"') == len(ached)


def test_notes_are_escaped_and_cannot_end_the_data(pages):
    page = pages["notes"].read_text(encoding="utf-8")
    assert page.count("</script") == 1 and page.count("<script") == 1
    assert "<b>bold</b>" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt; &amp; A&amp;amp;B" in page
    assert "\x1b" not in page and "\\x1b[2J" in page  # the escape character written out, as on screen
    data = embedded(page)
    assert SHARP_NOTE in [run.get("notes") for run in data["runs"]]  # exact, once parsed back
    assert PLAIN_NOTE in page


def test_the_data_holds_the_notes_the_page_shows_and_no_others(pages, demo_path):
    """The header says the notes of runs that ached are on the page: the embedded data holds
    no more, though other runs have notes too."""
    data = embedded(pages["notes"].read_text(encoding="utf-8"))
    ached = {row["run_id"] for row in data["aches"] if row["score"] > 0}
    with_notes = {run["id"] for run in data["runs"] if "notes" in run}
    db = open_store(demo_path)
    try:
        noted = {row[0] for row in db.execute("SELECT id FROM runs WHERE trim(notes) != ''")}
    finally:
        db.close()
    assert noted - ached, "the demo has notes on runs without aches, to leave out"
    assert with_notes == {run["id"] for run in data["runs"]} & noted & ached


def test_script_json_escapes_what_would_end_a_script():
    text = script_json({"note": "</script><!-- & >"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"note": "</script><!-- & >"}


def test_no_notes_leaves_every_note_out(pages):
    page = pages["no-notes"].read_text(encoding="utf-8")
    data = embedded(page)
    assert data["notes_included"] is False
    assert all("notes" not in run for run in data["runs"])
    assert 'id="notes"' not in page and "notes were left out" in page
    assert "stairs" not in page and PLAIN_NOTE not in page
    with_notes = embedded(pages["notes"].read_text(encoding="utf-8"))
    for run in with_notes["runs"]:
        if len(run.get("notes", "")) > 12:  # the demo's short ones ("easy", "tempo") are words the page uses itself
            assert run["notes"] not in page
    # Leaving the notes out changes nothing else.
    for key in ("weeks", "aches", "per_week", "warmup_aches"):
        assert data[key] == with_notes[key], key


def test_the_page_is_self_contained(pages):
    page = pages["notes"].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page, re.I)
    assert "@import" not in page and "url(http" not in page and "<link" not in page
    assert "@media print" in page and "break-inside: avoid" in page and "size: A4 portrait" in page


def test_the_file_is_the_owners_and_is_replaced_only_with_force(capsys, demo_path, clock_frozen, tmp_path):
    target = tmp_path / "page.html"
    code, out, err = run(capsys, "report", "--db", str(demo_path), "--html", str(target), "--weeks", "2")
    assert (code, err) == (0, "")
    assert out == f"Wrote the report of 2026-W46 to 2026-W47 to {target}.\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.write_text("mine")
    code, out, err = run(capsys, "report", "--db", str(demo_path), "--html", str(target))
    assert (code, out) == (2, "")
    assert err == f"glutetui: --html: {target} already exists; add --force to replace it, or give a new name\n"
    assert target.read_text() == "mine"
    code, _, err = run(capsys, "report", "--db", str(demo_path), "--html", str(target), "--force", "--weeks", "3")
    assert (code, err) == (0, "")
    assert embedded(target.read_text(encoding="utf-8"))["first_week"] == "2026-W45"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(path.name for path in tmp_path.iterdir()) == ["page.html"]  # no temporary file left


def test_week_names_the_last_week_of_the_page(pages, capsys, demo_path, tmp_path):
    target = tmp_path / "older.html"
    code, _, err = run(capsys, "report", "--db", str(demo_path), "--html", str(target), "--week", "2026-W44",
                       "--weeks", "4")
    assert (code, err) == (0, "")
    data = embedded(target.read_text(encoding="utf-8"))
    assert [week["week"] for week in data["weeks"]] == ["2026-W41", "2026-W42", "2026-W43", "2026-W44"]
    assert all(run["week"] in {"2026-W41", "2026-W42", "2026-W43", "2026-W44"} for run in data["runs"])


@pytest.mark.parametrize("args, message", [
    (["--weeks", "4"], "glutetui: --weeks: only goes with --html, e.g. glutetui report --html page.html --weeks 12\n"),
    (["--no-notes"], "glutetui: --no-notes: only goes with --html, e.g. glutetui report --html page.html --no-notes\n"),
    (["--html", "p.html", "--json"], "glutetui: --json: not with --html, whose page holds the numbers as JSON; "
                                     "use one of the two, or run report twice\n"),
    (["--html", " "], "glutetui: --html: give a file name, e.g. --html report.html\n"),
    (["--html", "{tmp}"], "glutetui: --html: {tmp} is a folder; give a file name, e.g. {tmp}/report.html\n"),
    (["--html", "{tmp}/nowhere/p.html"], "glutetui: --html: the folder {tmp}/nowhere does not exist (or is a file); "
                                         "create it or pick another path\n"),
    (["--html", "{tmp}/p.html", "--week", "2026-W60"], "glutetui: --week: '2026-W60': 2026 has no week 60; "
                                                        "ISO weeks run 1-52 or 1-53. Write it like 2026-W47.\n"),
])
def test_wrong_options_are_one_line_and_exit_2(capsys, demo_path, clock_frozen, tmp_path, args, message):
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    code, out, err = run(capsys, "report", "--db", str(demo_path), *args)
    assert (code, out, err) == (2, "", message.replace("{tmp}", str(tmp_path)))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("weeks", ["0", "105", "twelve"])
def test_weeks_out_of_range_is_an_argparse_error(capsys, demo_path, tmp_path, weeks):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["report", "--db", str(demo_path), "--html", str(tmp_path / "p.html"), "--weeks", weeks])
    assert stopped.value.code == 2
    assert f"{weeks!r} is not a whole number from 1 to 104" in capsys.readouterr().err


def test_a_missing_database_writes_no_page(capsys, clock_frozen, tmp_path):
    code, out, err = run(capsys, "report", "--db", str(tmp_path / "none.db"), "--html", str(tmp_path / "p.html"))
    assert code == 2 and out == "" and "no database here yet" in err
    assert list(tmp_path.iterdir()) == []


def test_a_spans_runs_carry_the_flags_run_list_gives_them(demo_path):
    """The first runs of a span look back past its start, as in the whole log."""
    from glutetui.services.runs import flagged_runs_between, list_runs

    db = open_store(demo_path)
    try:
        whole = {item.run.id: item.flags for item in list_runs(db)}
        low, high = NOW - timedelta(days=40), NOW - timedelta(days=20)
        span = flagged_runs_between(db, low, high)
    finally:
        db.close()
    assert span and all(low <= item.run.started_at < high for item in span)
    assert [item.flags for item in span] == [whole[item.run.id] for item in span]
    assert any(item.flags for item in span)


def test_a_long_span_splits_its_week_tables_into_quarters(capsys, demo_path, clock_frozen, tmp_path):
    target = tmp_path / "year.html"
    code, _, err = run(capsys, "report", "--db", str(demo_path), "--html", str(target), "--weeks", "30")
    assert (code, err) == (0, "")
    page = target.read_text(encoding="utf-8")
    load = page[page.index('<section id="load">'):page.index('<section id="warmups">')]
    heads = re.findall(r"<thead><tr><th>Week</th>(.*?)</tr></thead>", load)
    assert [head.count("<th>") for head in heads[:3]] == [13, 13, 4]  # then the spikes table, if any
    chart = load[:load.index("</svg>")]
    # Every third week named under the chart, the last among them.
    assert re.findall(r">(W\d\d)</text>", chart) == [f"W{number:02d}" for number in range(20, 48, 3)]
    assert len(embedded(page)["weeks"]) == 30
