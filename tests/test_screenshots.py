"""The README's screenshots: each one shows what its caption says.

scripts/screenshots.py refuses to write a picture that misses its texts; this checks the
committed pictures against the same lists, so a stale one fails here too.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def screenshots_script():
    path = ROOT / "scripts" / "screenshots.py"
    if not path.exists():
        pytest.skip("scripts/ is not part of an installed package")
    spec = importlib.util.spec_from_file_location("screenshots_script", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def readme_pictures() -> dict[str, str]:
    """Caption by picture name, for every screenshot the README shows."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return {name: caption for caption, name in re.findall(r"!\[([^\]]+)\]\(screenshots/(\w+)\.svg\)", readme)}


def test_every_picture_in_the_readme_is_made_by_the_script_and_shows_its_texts():
    script = screenshots_script()
    pictures = readme_pictures()
    assert set(pictures) == set(script.MUST_SHOW), "the README and scripts/screenshots.py name different pictures"
    for name in pictures:
        svg = (ROOT / "screenshots" / f"{name}.svg").read_text(encoding="utf-8")
        assert "\r\n" not in svg, f"{name}.svg: committed with CRLF endings"
        shown = script.svg_text(svg)
        for text in script.MUST_SHOW[name]:
            assert text in shown, f"{name}.svg does not show {text!r}: run python scripts/screenshots.py"
        for text in script.MUST_NOT_SHOW.get(name, ()):
            assert text not in shown, f"{name}.svg shows {text!r}, which its caption does not promise"


def test_the_warm_up_picture_shows_a_step_of_the_routine_not_a_reminder():
    shown = screenshots_script().svg_text((ROOT / "screenshots" / "warmup.svg").read_text(encoding="utf-8"))
    assert "Leg swings, front to back (left)" in shown and "step 2 of 14" in shown
    assert "Time to stand up" not in shown


def test_the_report_page_picture_is_the_browsers_png_the_readme_shows():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(screenshots/report.png)" in readme
    data = (ROOT / "screenshots" / "report.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    size = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert size == (screenshots_script().REPORT_VIEW["width"], screenshots_script().REPORT_VIEW["height"])
