"""Shipped content from data/: read once, checked, given to the rest as plain values."""

from __future__ import annotations

import tomllib
from functools import cache

from glutetui.paths import data_dir


class ContentError(Exception):
    pass


@cache
def load_tips() -> tuple[str, ...]:
    path = data_dir() / "tips.toml"
    try:
        tips = tomllib.loads(path.read_text(encoding="utf-8")).get("tips", [])
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ContentError(f"{path}: cannot be read ({error}); reinstall glutetui.") from None
    if not isinstance(tips, list) or not all(isinstance(tip, str) and tip for tip in tips):
        raise ContentError(f"{path}: 'tips' must be a list of non-empty strings; reinstall glutetui.")
    return tuple(tips)
