"""The colours of the pain zones (worst ache 0-2, 3-5, 6+) in every theme the app offers,
measured on what the Progress tab draws: the legend's swatches and the bars, resolved to
the RGB the terminal shows (ANSI colours through Textual's terminal palette).

Each band must stand apart from the next one (CIEDE2000 colour difference) and from the
background it is drawn on (WCAG 2.1 contrast ratio)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone

import pytest
from app_factory import make_app
from dateutil import tz
from textual.color import Color, Lab, rgb_to_lab

from glutetui.config import Settings
from glutetui.domain.progress import Records, RunRecord, progress
from glutetui.domain.run_flags import Ache
from glutetui.ui.export import ProgressPicture
from glutetui.ui.widgets.bar_chart import PartBarChart
from glutetui.ui.widgets.progress_pane import ChartBox, ProgressPane

# A difference of about 2 is just noticeable side by side; 20 and more tells two small
# bars apart at a glance. Solarized's orange and red, the old 3-5 and 6+, are 10 apart.
MIN_DIFFERENCE = 20.0
MIN_CONTRAST = 3.0  # WCAG 2.1 non-text contrast (1.4.11): what a bar or swatch needs
BANDS = ("0-2", "3-5", "6+")
BERLIN = tz.gettz("Europe/Berlin")
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=timezone.utc)


# ---- the measures ------------------------------------------------------------------------

def contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    """WCAG 2.1 contrast ratio: (L1 + 0.05) / (L2 + 0.05) of the relative luminances."""
    def luminance(rgb: tuple[int, int, int]) -> float:
        linear = [value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
                  for value in (channel / 255 for channel in rgb)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ciede2000(first: Lab, second: Lab) -> float:
    """The CIEDE2000 colour difference (Sharma, Wu and Dalal 2005), kL = kC = kH = 1."""
    (l1, a1, b1), (l2, a2, b2) = first, second
    mean_c = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(mean_c ** 7 / (mean_c ** 7 + 25 ** 7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2)) % 360 if c2 else 0.0
    delta_h = 0.0
    if c1 and c2:
        delta_h = h2 - h1 if abs(h2 - h1) <= 180 else h2 - h1 - 360 if h2 > h1 else h2 - h1 + 360
    delta_big_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(delta_h / 2))
    mean_l, mean_c = (l1 + l2) / 2, (c1 + c2) / 2
    if not (c1 and c2):
        mean_h = h1 + h2
    elif abs(h1 - h2) <= 180:
        mean_h = (h1 + h2) / 2
    else:
        mean_h = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(mean_h - 30)) + 0.24 * math.cos(math.radians(2 * mean_h))
         + 0.32 * math.cos(math.radians(3 * mean_h + 6)) - 0.20 * math.cos(math.radians(4 * mean_h - 63)))
    s_l = 1 + 0.015 * (mean_l - 50) ** 2 / math.sqrt(20 + (mean_l - 50) ** 2)
    s_c, s_h = 1 + 0.045 * mean_c, 1 + 0.015 * mean_c * t
    r_t = (-2 * math.sqrt(mean_c ** 7 / (mean_c ** 7 + 25 ** 7))
           * math.sin(math.radians(60 * math.exp(-(((mean_h - 275) / 25) ** 2)))))
    terms = ((l2 - l1) / s_l, (c2 - c1) / s_c, delta_big_h / s_h)
    return math.sqrt(terms[0] ** 2 + terms[1] ** 2 + terms[2] ** 2 + r_t * terms[1] * terms[2])


def difference(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    return ciede2000(rgb_to_lab(Color(*first)), rgb_to_lab(Color(*second)))


@pytest.mark.parametrize("first, second, expected", [
    # Pairs 1, 7, 17, 25 and 34 of Sharma, Wu and Dalal's test data.
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
])
def test_the_colour_difference_matches_the_published_values(first, second, expected):
    assert ciede2000(Lab(*first), Lab(*second)) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(Lab(*second), Lab(*first)) == pytest.approx(expected, abs=1e-4)


def test_the_contrast_ratio_runs_from_1_to_21():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert contrast((200, 30, 30), (200, 30, 30)) == 1.0


# ---- what the tab draws --------------------------------------------------------------------

def achy_week():
    """A knee at 4/10 (3-5) and a hip at 7/10 (6+): a bar in each of those colours."""
    runs = [RunRecord(NOW - timedelta(days=1), 8000, (Ache("knee", "left", "after", 4),), False),
            RunRecord(NOW - timedelta(hours=3), 5000, (Ache("hip", "right", "after", 7),
                                                       Ache("lower_back", "centre", "after", 2)), False)]
    return progress(Records(runs=runs), date(2026, 11, 16), BERLIN, timedelta(minutes=1), now=NOW)


def drawn(app, widget, line: int):
    """(text, foreground RGB, background RGB) of each piece a line of `widget` draws, as the
    terminal shows it."""
    palette = app.ansi_theme
    for segment in widget.render_line(line):
        style = segment.style
        if segment.text.strip() and style is not None and style.color is not None:
            yield (segment.text, tuple(style.color.get_truecolor(palette)),
                   tuple(style.bgcolor.get_truecolor(palette, foreground=False)))


def band_colours(app) -> dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]]:
    """Each band's (colour, background) from the legend's swatches, checked against the bars."""
    box = app.query_one("#chart-aches", ChartBox)
    legend = list(drawn(app, box.query_one(".chart-title"), 0))
    found = {legend[index + 1][0].split()[0]: (colour, background)
             for index, (text, colour, background) in enumerate(legend) if text.startswith("■")}
    assert set(found) == set(BANDS), legend
    rows = [list(drawn(app, box.chart, line)) for line in range(len(box.chart.bars.rows))]
    bars = {row[0][0].strip(" │"): (colour, background) for row in rows
            for text, colour, background in row if "█" in text}
    # The bars are drawn in the legend's colours: the knee's 4/10 in 3-5's, the hip's 7/10 in 6+'s.
    assert (bars["knee"], bars["hip"]) == (found["3-5"], found["6+"])
    return found


def measured(found) -> list[str]:
    problems = []
    for band, (colour, background) in found.items():
        if contrast(colour, background) < MIN_CONTRAST:
            problems.append(f"{band} against the background: {contrast(colour, background):.2f}:1")
    for lower, higher in zip(BANDS, BANDS[1:]):
        apart = difference(found[lower][0], found[higher][0])
        if apart < MIN_DIFFERENCE:
            problems.append(f"{lower} and {higher}: {apart:.1f} apart")
    return problems


async def test_every_offered_theme_keeps_the_ache_bands_apart(locations, clock):
    offered = make_app(locations, clock).theme_names()  # as the Settings tab and ctrl+t list them
    assert "solarized-light" in offered and len(offered) >= 20
    app = ProgressPicture(achy_week(), Settings(), NOW, current=True)
    problems = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        counts = {name: count for name, count, *_ in app.query_one(PartBarChart).bars.rows}
        assert (counts["knee"], counts["hip"], counts["lower back"]) == (1, 1, 0)
        for theme in offered:
            app.theme = theme
            await pilot.pause()
            await pilot.pause()
            assert app.query_one(ProgressPane).progress is not None
            found = measured(band_colours(app))
            if found:
                problems[theme] = found
    assert problems == {}
