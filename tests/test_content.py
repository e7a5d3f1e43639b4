"""Shipped content is found after a plain (non-editable) install and is usable."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import glutetui
from glutetui.domain.tips import tip_for_day
from glutetui.paths import data_dir
from glutetui.services.content import load_tips


def test_shipped_tips_load_and_fit_on_a_small_screen():
    tips = load_tips()
    assert len(tips) >= 7
    assert all(len(tip) <= 140 for tip in tips)  # two lines at 80 columns inside the tip box


def test_data_is_inside_the_installed_package_when_installed():
    package = Path(glutetui.__file__).parent
    if "site-packages" in package.parts:
        assert data_dir() == package / "data"
    assert (data_dir() / "tips.toml").is_file()


def test_each_tip_comes_round_in_turn_and_holds_for_the_day():
    tips = ("a", "b", "c")
    start = date(2026, 11, 16)
    shown = [tip_for_day(tips, start + timedelta(days=n)) for n in range(6)]
    assert sorted(shown[:3]) == ["a", "b", "c"] and shown[3:] == shown[:3]
    assert tip_for_day((), start) == ""
