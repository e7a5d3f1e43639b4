"""`@record`, the frozen value class of the modules `glutetui status` loads, behaves as the
`@dataclass(frozen=True)` it replaced: compared side by side on the same class body."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from glutetui.domain.record import FrozenInstanceError, fields, record, replace
from glutetui.domain.sitting import Interval

START = datetime(2026, 11, 16, 9, tzinfo=timezone.utc)


def body():
    class Span:
        """A span of wall time."""

        label: str
        start: datetime
        minutes: int = 30
        tags: tuple[str, ...] = ()

        @property
        def end(self) -> datetime:
            return self.start + timedelta(minutes=self.minutes)

    return Span


Record = record(body())
Dataclass = dataclasses.dataclass(frozen=True)(body())


@pytest.mark.parametrize("make", [Record, Dataclass], ids=["record", "dataclass"])
def test_construction_defaults_and_methods(make):
    span = make("desk", START, tags=("a",))
    assert (span.label, span.start, span.minutes, span.tags) == ("desk", START, 30, ("a",))
    assert span.end == START + timedelta(minutes=30)
    assert make(label="desk", start=START) == make("desk", START, 30)
    with pytest.raises(TypeError):
        make("desk")
    with pytest.raises(TypeError):
        make("desk", START, colour="red")


def test_equality_and_hash_match_dataclass():
    one, same, other = Record("desk", START), Record("desk", START), Record("desk", START, 31)
    assert one == same and hash(one) == hash(same) and one != other
    assert len({one, same, other}) == 2
    assert one != Dataclass("desk", START)  # another class is never equal, as with dataclasses
    assert one != ("desk", START, 30, ())
    assert repr(one) == repr(Dataclass("desk", START)).replace(Dataclass.__qualname__, Record.__qualname__)


def test_assignment_is_refused():
    span = Record("desk", START)
    with pytest.raises(FrozenInstanceError):
        span.minutes = 5
    with pytest.raises(FrozenInstanceError):
        del span.label
    with pytest.raises(AttributeError):  # code that catches a dataclass's error still does
        span.label = "x"


def test_replace_and_fields():
    span = Record("desk", START)
    moved = replace(span, minutes=45)
    assert moved == Record("desk", START, 45) and span.minutes == 30
    with pytest.raises(TypeError):
        replace(span, colour="red")
    assert fields(Record) == {"label": "str", "start": "datetime", "minutes": "int", "tags": "tuple[str, ...]"}
    assert list(fields(Record)) == [field.name for field in dataclasses.fields(Dataclass)]


def test_post_init_checks_every_construction():
    with pytest.raises(ValueError, match="cannot end before it starts"):
        Interval("sitting", START, START - timedelta(seconds=1))
    with pytest.raises(ValueError, match="unknown posture state"):
        replace(Interval("sitting", START, START), state="lying")


def test_a_field_without_default_after_one_with_is_refused():
    class Wrong:
        first: int = 1
        second: int

    with pytest.raises(TypeError, match="'second' without a default"):
        record(Wrong)


def test_match_by_position():
    match Record("desk", START, 5):
        case Record(label, _, minutes):
            assert (label, minutes) == ("desk", 5)
        case _:
            pytest.fail("a record did not match its own pattern")


@pytest.mark.parametrize("call", [
    lambda make: make(),  # a field without a default left out
    lambda make: make("desk", START, 30, (), "extra"),
    lambda make: make("desk", START, minute=30),
])
def test_a_wrong_first_construction_fails_as_a_dataclass_does_and_the_next_right_one_works(call):
    """The compiled __init__ is made on first use: a wrong first call must not leave the class broken."""
    fresh = record(body())
    with pytest.raises(TypeError):
        call(fresh)
    with pytest.raises(TypeError):
        call(dataclasses.dataclass(frozen=True)(body()))
    assert fresh("desk", START) == fresh(label="desk", start=START, minutes=30)
