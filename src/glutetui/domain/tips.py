"""Which tip the Today tab shows: one per local day, the same all day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date


def tip_for_day(tips: Sequence[str], day: date) -> str:
    if not tips:
        return ""
    return tips[day.toordinal() % len(tips)]
