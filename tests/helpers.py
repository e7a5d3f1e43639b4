"""Helpers shared by tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from textual.command import CommandList


def run_cli(*args: str, env: dict | None = None, timeout: float = 60):
    """The real command in a child process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "glutetui", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


async def wait_until(pilot, condition, what: str, timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds: a wait on what the test needs, not a guess
    at how long the app takes (which a busy machine would sometimes overrun)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        await pilot.pause(0.02)


async def run_from_palette(pilot, title: str) -> None:
    """Type `title` into the command palette and press enter once the palette lists that
    command first: its search runs in the background and shows what it finds in batches."""
    await pilot.press("ctrl+p")
    await pilot.press(*title)

    def listed_first() -> bool:
        for commands in pilot.app.screen.query(CommandList):
            return commands.option_count > 0 and str(commands.get_option_at_index(0).prompt).startswith(title)
        return False

    await wait_until(pilot, listed_first, f"the command palette to list {title!r} first")
    await pilot.press("enter")
    await pilot.pause()
