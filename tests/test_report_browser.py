"""The `report --html` page in a real headless Chromium, driven through Playwright: it loads
with no console error and no request leaving the file, it is photographed, and it prints
on A4 portrait in 1-4 pages with no chart cut across a page and its pain zones told apart
without colour.

One browser and one page for the whole module, in one test (a browser start costs about
a second).
Playwright and pypdf come with the test extra. Skipped where the Chromium program is
missing on a developer's machine; under CI (CI set) that fails instead, as .ci/run
installs it.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timezone

import pypdf
import pytest
from playwright.sync_api import sync_playwright
from servers import require

from glutetui import cli
from glutetui.clock import FakeClock
from glutetui.services.demo import fill_demo
from glutetui.store.db import open_store

ZONE = "Europe/Berlin"
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=timezone.utc)
A4_POINTS = (595, 842)  # 210 x 297 mm
MAX_PAGES = 4
# Each chart as the PDF's text shows it: its section's heading, then its caption at the figure's end.
CHARTS = {"Pain by body part": "Weeks oldest left", "Load": "Bars: distance in the week",
          "Warm-ups": "Share of each week's runs", "Sitting": "Mean sitting on the workdays"}


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def write_page(folder):
    """`glutetui report --html page.html --weeks 12` on twelve demo weeks, at a frozen clock."""
    db_path = folder / "demo.db"
    db = open_store(db_path)
    fill_demo(db, until=NOW, zone=FakeClock(NOW, zone=ZONE).local_zone(), weeks=12, seed=1)
    db.close()
    target = folder / "page.html"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli, "SystemClock", lambda *args, **kwargs: FakeClock(NOW, zone=ZONE))
        assert cli.main(["report", "--db", str(db_path), "--html", str(target), "--weeks", "12"]) == 0
    return target


class Loaded:
    def __init__(self, page, messages: list[str], requests: list[str]) -> None:
        self.page, self.messages, self.requests = page, messages, requests


def test_the_page_in_a_real_chromium(tmp_path):
    """One test, so one browser whatever way the suite's workers share out the tests."""
    executable = chromium_path()
    require(executable, "the program chromium (apt package chromium)")
    page_file = write_page(tmp_path)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        try:
            page = browser.new_page(viewport={"width": 820, "height": 1100})
            messages, requests = [], []
            page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
            page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
            page.on("requestfailed", lambda request: messages.append(f"requestfailed: {request.url}"))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_file.as_uri(), wait_until="load")
            loaded = Loaded(page, messages, requests)
            loads_with_no_console_message_and_fetches_nothing(loaded, page_file)
            is_photographed_whole(loaded, tmp_path / "page.png")
            prints_on_a4_within_four_pages_with_no_chart_cut(loaded, tmp_path / "page.pdf")
            tells_pain_zones_apart_without_colour(loaded)
        finally:
            browser.close()


def loads_with_no_console_message_and_fetches_nothing(loaded: Loaded, page_file) -> None:
    assert loaded.messages == []
    assert loaded.requests == [page_file.as_uri()]
    assert loaded.page.title().startswith("Pain, load and sitting: 2026-W36 to 2026-W47")
    # The charts are drawn: the pain rows and a bar for each week that ran.
    assert loaded.page.locator("#pain svg .label").count() >= 3
    assert loaded.page.locator("#load svg rect.bar").count() == 12


def is_photographed_whole(loaded: Loaded, shot) -> None:
    loaded.page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width == 820 and height > 1100  # longer than a screen: the whole page was taken


def prints_on_a4_within_four_pages_with_no_chart_cut(loaded: Loaded, pdf) -> None:
    loaded.page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    assert loaded.messages == []
    reader = pypdf.PdfReader(pdf)
    assert 1 <= len(reader.pages) <= MAX_PAGES
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_POINTS
    lines = [page.extract_text().splitlines() for page in reader.pages]
    for heading, caption in CHARTS.items():
        [heading_page] = [number for number, found in enumerate(lines) if heading in found]
        [caption_page] = [number for number, found in enumerate(lines)
                          if any(line.startswith(caption) for line in found)]
        assert heading_page == caption_page, f"the {heading} chart is cut across pages"


def tells_pain_zones_apart_without_colour(loaded: Loaded) -> None:
    """Safe marks are white, acceptable ones hatched, too-much ones dark; and each mark
    has its score written in it."""
    fills = loaded.page.evaluate("""() => Object.fromEntries(['z-safe', 'z-ok', 'z-high'].map(name =>
        [name, getComputedStyle(document.querySelector('rect.' + name)).fill]))""")
    assert fills["z-safe"] == "rgb(255, 255, 255)"
    assert fills["z-ok"].startswith("url(") and "#hatch" in fills["z-ok"]
    red, green, blue = (int(part) for part in fills["z-high"][4:-1].split(","))
    assert 0.2126 * red + 0.7152 * green + 0.0722 * blue < 100  # dark in greyscale, under white text
    marks = loaded.page.locator("#pain table.pain rect.mark").count()
    assert marks > 0 and loaded.page.locator("#pain table.pain text.score").count() == marks
