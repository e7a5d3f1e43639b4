"""Counts in words: "1 run", "2 runs", "0 runs". Every count a runner reads goes through
`counted`, so the noun agrees with the number (tests/test_wording.py finds any that does not)."""

from __future__ import annotations


def plural(noun: str) -> str:
    """The regular English plural: run -> runs, entry -> entries (others: pass the plural)."""
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def counted(count: int, noun: str, noun_plural: str | None = None, *, thousands: bool = False) -> str:
    """`count` and `noun`, the noun plural unless the count is exactly one."""
    number = f"{count:,}" if thousands else str(count)
    return f"{number} {noun if count == 1 else noun_plural or plural(noun)}"
