"""Routine files: parsing, expansion, every bad-file case, and the shipped routines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from glutetui.domain.routines import RoutineError, expand, parse_routine, total_seconds
from glutetui.services.routines import DEFAULT_ROUTINE, load_routines, shipped_routines_dir

GOOD = """
title = "Test"
rounds = 2

[[steps]]
name = "Bridge"
cue = "Squeeze, lift."
reps = 4
seconds_per_rep = 2.5

[[steps]]
name = "Swing"
cue = "Swing."
seconds = 10
sides = true
switch_seconds = 4
"""


def test_expansion_with_reps_sides_and_rounds():
    routine = parse_routine(GOOD, "test", "test.toml")
    steps = expand(routine)
    assert [(s.label, s.seconds, s.kind) for s in steps[:4]] == [
        ("Bridge", 10.0, "move"),
        ("Swing (left)", 10.0, "move"),
        ("Switch sides", 4.0, "switch"),
        ("Swing (right)", 10.0, "move"),
    ]
    assert len(steps) == 8 and steps[4:] == steps[:4]
    assert total_seconds(routine) == 2 * (10 + 10 + 4 + 10)
    assert steps[0].reps == 4


def test_title_defaults_to_the_file_name():
    routine = parse_routine('[[steps]]\nname = "A"\ncue = "b"\nseconds = 5\n', "quick", "quick.toml")
    assert routine.title == "quick" and routine.rounds == 1


BAD_CASES = {
    "toml syntax": ('[[steps]]\nname = "A\ncue = "b"\n', r"line 2"),
    "no steps": ('title = "x"\n', "no steps"),
    "unknown routine key": ('colour = "red"\n[[steps]]\nname = "A"\ncue = "b"\nseconds = 5\n', "unknown key 'colour'"),
    "unknown step key": ('[[steps]]\nname = "A"\ncue = "b"\nseconds = 5\nweight = 3\n', r"step 1, line 1\): unknown key 'weight'"),
    "missing name": ('[[steps]]\ncue = "b"\nseconds = 5\n', "missing 'name'"),
    "missing cue": ('[[steps]]\nname = "A"\nseconds = 5\n', "missing 'cue'"),
    "negative seconds": ('[[steps]]\nname = "A"\ncue = "b"\nseconds = -5\n', "more than 0"),
    "zero per rep": ('[[steps]]\nname = "A"\ncue = "b"\nreps = 3\nseconds_per_rep = 0\n', "more than 0"),
    "both timings": ('[[steps]]\nname = "A"\ncue = "b"\nseconds = 5\nreps = 3\nseconds_per_rep = 1\n', "either 'seconds'"),
    "no timing": ('[[steps]]\nname = "A"\ncue = "b"\n', "either 'seconds'"),
    "reps without per-rep": ('[[steps]]\nname = "A"\ncue = "b"\nreps = 3\n', "missing 'seconds_per_rep'"),
    "text seconds": ('[[steps]]\nname = "A"\ncue = "b"\nseconds = "ten"\n', "must be a number"),
    "sides not bool": ('[[steps]]\nname = "A"\ncue = "b"\nseconds = 5\nsides = "yes"\n', "true or false"),
    "switch without sides": ('[[steps]]\nname = "A"\ncue = "b"\nseconds = 5\nswitch_seconds = 2\n', "only makes sense"),
    "bad rounds": ('rounds = 0\n[[steps]]\nname = "A"\ncue = "b"\nseconds = 5\n', "'rounds'"),
    "second step bad": ('[[steps]]\nname = "A"\ncue = "b"\nseconds = 5\n\n[[steps]]\nname = "B"\nseconds = 5\n',
                        r"step 2, line 6\): missing 'cue'"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_files_name_the_file_and_the_problem(case):
    text, match = BAD_CASES[case]
    with pytest.raises(RoutineError, match=match) as caught:
        parse_routine(text, "mine", "/home/r/.config/glutetui/routines/mine.toml")
    assert str(caught.value).startswith("/home/r/.config/glutetui/routines/mine.toml")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_says_why(text):
    try:
        routine = parse_routine(text, "fuzz", "fuzz.toml")
    except RoutineError as error:
        assert str(error).startswith("fuzz.toml")
    else:
        assert total_seconds(routine) > 0


def test_shipped_routines_fit_their_promised_lengths():
    book = load_routines(None)
    assert book.problems == []
    assert book.names()[0] == DEFAULT_ROUTINE
    lengths = {name: total_seconds(book.routines[name]) for name in ("pre-run", "desk-break", "strength")}
    assert 120 <= lengths["pre-run"] <= 180
    assert 60 <= lengths["desk-break"] <= 120
    assert 8 * 60 <= lengths["strength"] <= 12 * 60
    assert all(book.origins[name].parent == shipped_routines_dir() for name in lengths)


def test_user_routines_add_and_override_and_a_bad_one_is_reported(tmp_path):
    (tmp_path / "pre-run.toml").write_text('title = "My own"\n[[steps]]\nname = "Jog"\ncue = "Easy."\nseconds = 60\n')
    (tmp_path / "hills.toml").write_text('[[steps]]\nname = "Skips"\ncue = "High."\nseconds = 30\n')
    (tmp_path / "desk-break.toml").write_text('[[steps]]\nname = "Oops"\nseconds = 30\n')  # no cue
    (tmp_path / "latin1.toml").write_bytes(b'title = "caf\xe9"\n')
    book = load_routines(tmp_path)
    assert book.routines["pre-run"].title == "My own"
    assert "hills" in book.routines
    assert book.routines["desk-break"].title == "Desk break"  # the shipped one stays
    assert len(book.problems) == 2
    assert any("desk-break.toml" in p and "missing 'cue'" in p for p in book.problems)
    assert any("latin1.toml" in p and "UTF-8" in p for p in book.problems)
