"""Make screenshots/*.svg and their PNGs from demo data, and screenshots/report.png, the
`report --html` page photographed by Chromium. PNGs are drawn by Chromium where it and
Playwright are installed (rsvg-convert runs words together where a text run starts with
a space, as the key bar's do behind a window), else by rsvg-convert.

The app runs at a fixed size on a demo database, with a frozen clock, so the
pictures change only when the app does. Usage: python scripts/screenshots.py
"""

from __future__ import annotations

import asyncio
import html
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from dateutil import tz

from glutetui.clock import FakeClock
from glutetui.config import load_settings
from glutetui.paths import Locations
from glutetui.services.demo import fill_demo
from glutetui.services.routines import load_routines
from glutetui.store.db import open_store
from glutetui.services.notifier import Delivery, Notifier
from glutetui.ui.app import GlutetuiApp
from glutetui.ui.screens.reminder import ReminderScreen
from glutetui.ui.widgets.warmup_pane import WarmupPane

SIZE = (100, 32)
ZONE = tz.gettz("Europe/Berlin")
FROZEN_NOW = datetime(2026, 11, 18, 15, 30, tzinfo=ZONE)  # a Wednesday afternoon
OUT = Path(__file__).resolve().parents[1] / "screenshots"
SHOTS = {"today": "1", "runs": "3", "progress": "4", "settings": "5"}
WARMUP_SECONDS_IN = 27.4  # into the first leg swing of the pre-run routine
# What each picture must show (and must not) to match its caption in the README.
MUST_SHOW = {
    "today": ("Today", "Sitting today", "Breaks"),
    "runs": ("Runs",),
    "progress": ("vs last week",),
    "settings": ("Working hours",),
    "reminder": ("Time to stand up", "Desk move"),
    "warmup": ("Pre-run warm-up", "Leg swings"),
}
MUST_NOT_SHOW = {"warmup": ("Time to stand up",), "today": ("Time to stand up",)}


async def take(db_path: Path, shown: Locations) -> list[Path]:
    app = GlutetuiApp(db=open_store(db_path), locations=shown, settings=load_settings(shown.config),
                      clock=FakeClock(FROZEN_NOW, zone=ZONE), routines=load_routines(None),
                      notifier=NoDesktop())
    written = []
    async with app.run_test(size=SIZE) as pilot:
        await settled(app, pilot)
        app.tick_tracker()  # the interval timer's first tick, without waiting a real second
        await settled(app, pilot)
        for name, key in SHOTS.items():
            await pilot.press(key)
            await settled(app, pilot)
            await app.workers.wait_for_complete()  # Progress reads its week in a worker
            await pilot.pause()
            written.append(save(app, name))
        await pilot.press("1")
        while not isinstance(app.screen, ReminderScreen):  # sit on until the next reminder
            app.clock.advance(60)
            app.tick_tracker()
            await settled(app, pilot)
        written.append(save(app, "reminder"))
        app.clock.advance(2)  # a key the moment the window opens is not taken as its answer
        await pilot.press("k")
        await settled(app, pilot)
        await pilot.press("w")
        await settled(app, pilot)
        app.clock.advance(WARMUP_SECONDS_IN)
        app.main_screen.query_one(WarmupPane).player.tick()
        await settled(app, pilot)
        written.append(save(app, "warmup"))
    return written


def save(app: GlutetuiApp, name: str) -> Path:
    """Write `name`.svg, once it shows what its caption in the README says."""
    svg = app.export_screenshot(title=f"glutetui: {name}")
    shown = svg_text(svg)
    missing = [text for text in MUST_SHOW[name] if text not in shown]
    wrong = [text for text in MUST_NOT_SHOW.get(name, ()) if text in shown]
    if missing or wrong:
        raise SystemExit(f"{name}.svg would not show what its caption says: missing {missing}, "
                         f"showing {wrong}")
    path = OUT / f"{name}.svg"
    path.write_text(svg, encoding="utf-8", newline="\n")
    return path


def svg_text(svg: str) -> str:
    """The terminal text in an SVG screenshot, its pieces joined in order."""
    pieces = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    return html.unescape("".join(pieces)).replace("\xa0", " ")


async def settled(app: GlutetuiApp, pilot) -> None:
    """The storage thread has answered everything asked so far, and the screen shows it."""
    for _ in range(3):  # an answer may ask for more (a repaint reads the runs)
        await asyncio.to_thread(app.storage.wait_idle)
        await asyncio.to_thread(app.reader.wait_idle)
        await pilot.pause()


class NoDesktop(Notifier):
    """Making pictures must not put notifications on the desktop of whoever runs this."""

    def send(self, title: str, body: str, actions: tuple = ()) -> Delivery:
        return Delivery(True, "none", None)


def chromium_launcher():
    """(the Chromium program, Playwright's sync_playwright), or None without either."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    return (browser, sync_playwright) if browser else None


def to_pngs(svgs: list[Path]) -> None:
    launcher = chromium_launcher()
    if launcher is None:
        if shutil.which("rsvg-convert"):
            for svg in svgs:
                subprocess.run(["rsvg-convert", "-o", str(svg.with_suffix(".png")), str(svg)], check=True)
        return
    browser, sync_playwright = launcher
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=browser)
        try:
            for svg in svgs:
                width, height = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg.read_text()).groups()
                view = chromium.new_page(viewport={"width": round(float(width)), "height": round(float(height))})
                view.goto(svg.as_uri())
                view.screenshot(path=str(svg.with_suffix(".png")), omit_background=True)
                view.close()
        finally:
            chromium.close()


REPORT_VIEW = {"width": 800, "height": 940}  # the header, the pain timeline and the load chart with its table


def report_png(db_path: Path, folder: Path) -> Path | None:
    """The `report --html` page of the demo's 12 weeks, as Chromium shows it; None (and why)
    without Chromium or Playwright."""
    from glutetui.config import Settings
    from glutetui.services.progress import this_week
    from glutetui.services.report_html import render_page
    from glutetui.services.report_page import load_report_page

    launcher = chromium_launcher()
    if launcher is None:
        print("skipped report.png: it needs Chromium (apt-get install chromium) and Playwright "
              "(pip install -e '.[test]')")
        return None
    settings = Settings()
    db = open_store(db_path)
    try:
        page = load_report_page(db, now=FROZEN_NOW, zone=ZONE, settings=settings, weeks=12, notes=True,
                                last=this_week(FROZEN_NOW, ZONE, settings), open_until=None)
    finally:
        db.close()
    html_path = folder / "report.html"
    html_path.write_text(render_page(page), encoding="utf-8")
    png = OUT / "report.png"
    browser, sync_playwright = launcher
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=browser)
        try:
            view = chromium.new_page(viewport=REPORT_VIEW)
            view.goto(html_path.as_uri())
            view.screenshot(path=str(png))
        finally:
            chromium.close()
    return png


def main() -> int:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "demo.db"
        db = open_store(db_path)
        fill_demo(db, until=FROZEN_NOW, zone=ZONE, weeks=12, seed=1)  # 12: the trends and insights
        db.close()
        # Paths as a runner would see them, not the temporary folder.
        shown = Locations(db=Path("~/.local/share/glutetui/glutetui.db"),
                          config=Path("~/.config/glutetui/config.toml"), db_is_default=True)
        svgs = asyncio.run(take(db_path, shown))
        to_pngs(svgs)
        for svg in svgs:
            print(f"wrote {svg.relative_to(OUT.parent)} and its PNG")
        png = report_png(db_path, Path(folder))
        if png is not None:
            print(f"wrote {png.relative_to(OUT.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
