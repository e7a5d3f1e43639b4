"""`glutetui report --svg`: the Progress tab of one week, painted headless and saved."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Header

from glutetui.config import DEFAULT_THEME, Settings
from glutetui.domain.progress import Progress
from glutetui.errors import UserFacingError
from glutetui.paths import write_atomically, write_fix
from glutetui.ui.widgets.progress_pane import ProgressPane

SVG_SIZE = (120, 64)  # the whole tab at once: charts two by two, trends, insights and the day table


class ProgressPicture(App):
    """Only the Progress tab, filled with a week already read: nothing is written to the database."""

    TITLE = "glutetui"

    def __init__(self, progress: Progress, settings: Settings, now: datetime, current: bool) -> None:
        super().__init__()
        self.shown, self.settings, self.current = progress, settings, current
        self.sub_title = f"Progress, made {now:%Y-%m-%d %H:%M}"
        self.theme = settings.theme if settings.theme in self.available_themes else DEFAULT_THEME

    def compose(self) -> ComposeResult:
        yield Header()
        yield ProgressPane(id="progress-pane")

    def on_mount(self) -> None:
        self.query_one(ProgressPane).show_progress(self.shown, self.current)


def progress_svg(progress: Progress, settings: Settings, now: datetime, current: bool) -> str:
    async def photograph(pilot) -> None:
        await pilot.pause()
        await pilot.pause()
        pilot.app.exit(pilot.app.export_screenshot(title=f"glutetui {progress.week.label}"))

    app = ProgressPicture(progress, settings, now, current)
    svg = app.run(headless=True, size=SVG_SIZE, auto_pilot=photograph)
    if not isinstance(svg, str):
        raise UserFacingError("--svg: the picture could not be drawn; the numbers above are complete.")
    return svg


def save_progress_svg(progress: Progress, settings: Settings, now: datetime, path: Path, *, current: bool) -> None:
    svg = progress_svg(progress, settings, now, current)
    try:
        write_atomically(path, svg)  # a half-written picture must not replace a good one
    except OSError as error:
        raise UserFacingError(f"--svg: cannot write {path} ({error.strerror}). {write_fix(error)}") from None
