"""Plurals agree everywhere: one look over every count the code writes into a text.

Each f-string piece "{expression} noun" with a plural noun is a count written by hand,
which says "1 runs" sooner or later; those go through domain.wording.counted. The few
left below can never be one.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import glutetui
from glutetui.domain.wording import counted, plural

SOURCE = Path(glutetui.__file__).parent
NOUNS = set("""runs breaks reminders warm-ups days workdays flags aches hours weeks files rows snoozes steps reps
seconds minutes times sessions intervals problems routines moves kilometres miles metres lines entries items
questions writers tables imports exports duplicates parts sides scores""".split())
# (file, expression) -> why its number is never 1.
NEVER_ONE = {
    ("domain/progress.py", "_mean(long)"): "a mean written to one decimal: 1.0 aches",
    ("domain/routines.py", "MAX_STEP_SECONDS"): "a constant limit, 3600",
    ("domain/workhours.py", "part"): "'runs' is the verb here: 'Fri-Mon' runs backwards",
    ("ui/widgets/settings_pane.py", "high"): "the top of the goal's range, 16",
}
NOUN_AFTER = re.compile(r"^ ?([A-Za-z][\w-]*)")


def counts_written_by_hand() -> list[tuple[str, str, int, str]]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        where = path.relative_to(SOURCE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for value, text in zip(node.values, node.values[1:]):
                if isinstance(value, ast.FormattedValue) and isinstance(text, ast.Constant):
                    noun = NOUN_AFTER.match(str(text.value))
                    if noun and noun.group(1) in NOUNS:
                        found.append((where, ast.unparse(value.value), node.lineno, noun.group(1)))
    return found


def test_every_count_in_the_code_goes_through_counted():
    by_hand = [f"{where}:{line}: {{{expression}}} {noun}" for where, expression, line, noun in counts_written_by_hand()
               if (where, expression) not in NEVER_ONE]
    assert not by_hand, "write these with domain.wording.counted:\n" + "\n".join(by_hand)


def test_the_exceptions_are_still_there():
    # An exception for code that has gone would let a new count by hand through unseen.
    left = {(where, expression) for where, expression, _, _ in counts_written_by_hand()}
    assert set(NEVER_ONE) <= left


def test_the_scan_finds_a_count_by_hand(tmp_path, monkeypatch):
    (tmp_path / "bad.py").write_text('def say(n):\n    return f"{n} runs this week"\n', encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "SOURCE", tmp_path)
    assert counts_written_by_hand() == [("bad.py", "n", 2, "runs")]


@pytest.mark.parametrize(("count", "noun", "expected"), [
    (0, "run", "0 runs"), (1, "run", "1 run"), (2, "run", "2 runs"), (1, "entry", "1 entry"),
    (3, "entry", "3 entries"), (2, "day", "2 days"), (1, "warm-up", "1 warm-up"), (2, "warm-up", "2 warm-ups"),
])
def test_counted_agrees(count, noun, expected):
    assert counted(count, noun) == expected


def test_counted_takes_an_irregular_plural_and_thousands():
    assert counted(2, "reminder skipped", "reminders skipped") == "2 reminders skipped"
    assert counted(1, "reminder skipped", "reminders skipped") == "1 reminder skipped"
    assert counted(12_500, "file", thousands=True) == "12,500 files"
    assert plural("body") == "bodies"
