"""`glutetui report --svg`: the Progress tab of one week, painted headless and saved."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Header

from glutetui.config import DEFAULT_THEME, Settings
from glutetui.domain.pain_timeline import PainTimeline
from glutetui.domain.progress import Progress
from glutetui.errors import UserFacingError
from glutetui.paths import write_atomically, write_fix
from glutetui.ui.widgets.pain_timeline import timeline_text
from glutetui.ui.widgets.progress_pane import ProgressPane

SVG_SIZE = (120, 64)  # the whole tab at once: charts two by two, trends, insights and the day table
PAIN_KEY_LINES = 5  # the timeline's title and margin, and the key under it (two lines at 120 columns)


class ProgressPicture(App):
    """Only the Progress tab, filled with a week already read: nothing is written to the database."""

    TITLE = "glutetui"

    def __init__(self, progress: Progress, settings: Settings, now: datetime, current: bool,
                 pain: PainTimeline | None = None) -> None:
        super().__init__()
        self.shown, self.settings, self.current, self.pain = progress, settings, current, pain
        self.sub_title = f"Progress, made {now:%Y-%m-%d %H:%M}"
        self.theme = settings.theme if settings.theme in self.available_themes else DEFAULT_THEME

    def compose(self) -> ComposeResult:
        yield Header()
        yield ProgressPane(id="progress-pane")

    def on_mount(self) -> None:
        self.query_one(ProgressPane).show_progress(self.shown, self.current, self.pain)


def progress_svg(progress: Progress, settings: Settings, now: datetime, current: bool,
                 pain: PainTimeline | None = None) -> str:
    async def photograph(pilot) -> None:
        await pilot.pause()
        await pilot.pause()
        pilot.app.exit(pilot.app.export_screenshot(title=f"glutetui {progress.week.label}"))

    app = ProgressPicture(progress, settings, now, current, pain)
    width, height = SVG_SIZE
    if pain is not None:  # the pain timeline's rows come on top, so the day table is still whole
        height += PAIN_KEY_LINES + timeline_text(pain, {}).plain.count("\n") + 1
    svg = app.run(headless=True, size=(width, height), auto_pilot=photograph)
    if not isinstance(svg, str):
        raise UserFacingError("--svg: the picture could not be drawn; the numbers above are complete.")
    return svg


def save_progress_svg(progress: Progress, settings: Settings, now: datetime, path: Path, *, current: bool,
                      pain: PainTimeline | None = None) -> None:
    svg = progress_svg(progress, settings, now, current, pain)
    try:
        write_atomically(path, svg)  # a half-written picture must not replace a good one
    except OSError as error:
        raise UserFacingError(f"--svg: cannot write {path} ({error.strerror}). {write_fix(error)}") from None
