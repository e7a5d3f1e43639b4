"""Helpers shared by tests."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import subprocess
import sys
import time

from textual.command import CommandList


def run_cli(*args: str, env: dict | None = None, timeout: float = 60):
    """The real command in a child process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "glutetui", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


class _WouldOpenTerminal(BaseException):
    """Raised instead of starting the terminal UI in the test's own process. A BaseException,
    so the command's `except Exception` (its last line of defence) lets it through."""


def main_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The command in this process, as `python -m glutetui` runs it (`entry.main`, argparse's
    exits turned into the exit code), with what it printed: about 0.3 s cheaper than
    `run_cli`, which starts a Python. Use it where the separate process is not the point;
    test_reliability_fuzz.py's test_a_real_process_says_what_main_says keeps the two equal.
    Starting the terminal UI fails the test instead of taking the worker's terminal."""
    from textual.app import App

    from glutetui import entry

    def refuse(*_args, **_kwargs):
        raise _WouldOpenTerminal("the command would have opened the terminal UI")

    out, err = io.StringIO(), io.StringIO()
    saved_env = {name: os.environ.get(name) for name in (env or {})}
    saved_run = App.__dict__["run"], App.__dict__["run_async"]
    App.run, App.run_async = refuse, refuse
    os.environ.update(env or {})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = entry.main(list(args))
            except SystemExit as stop:  # argparse: a usage error, --help or --version
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
                if isinstance(stop.code, str):  # what the interpreter would print on the way out
                    print(stop.code, file=sys.stderr)
    finally:
        App.run, App.run_async = saved_run
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return subprocess.CompletedProcess([sys.executable, "-m", "glutetui", *args], code, out.getvalue(),
                                       err.getvalue())


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


async def settle(pilot, rounds: int = 20) -> None:
    """Let the app's storage thread run every job it was given and the app show the answers.

    Reads and writes run on that thread (services/storage.py); a test that pressed a key or
    ran a tick waits here for the real thread, not for a guessed time."""
    app = pilot.app
    threads = (app.storage, app.reader)
    for _ in range(rounds):
        for thread in threads:
            if thread.pending():
                await asyncio.to_thread(thread.wait_idle)
        await pilot.pause()
        if not any(thread.pending() for thread in threads):
            return


async def day_begun(pilot) -> None:
    """Wait for the app's start job on the storage thread: a test that moves the fake clock
    before it ran would have the day, and the sitting bout, begin late (a rare flake under load)."""
    app = pilot.app
    await wait_until(pilot, lambda: app.session is not None and app.session.started, "the day to begin")
    await settle(pilot)


async def tick(pilot) -> None:
    """The app's one-second tick, run now, and its answer shown."""
    app = pilot.app
    # The app's own one-second timer may have a tick under way: let it finish, or this
    # tick would be skipped as one too many.
    while app._ticking:
        await asyncio.to_thread(app.storage.wait_idle)
        await asyncio.sleep(0.001)
    app.tick_tracker()
    await asyncio.to_thread(app.storage.wait_idle)
    # Its answer is a message to the app: handled here without waiting for a repaint,
    # as between two of the app's own ticks. A test that looks at the screen pauses first.
    while app._ticking:
        await asyncio.sleep(0.001)


async def poll(pilot) -> None:
    """The app's look for another process's rows, run now, and its answer shown."""
    await settle(pilot)
    pilot.app.refresh_from_store()
    await settle(pilot)


def copy_db(template, to):
    """A copy of a database made once (a module or session fixture) as a new real file of the
    test's own, through SQLite's backup: what a test writes never reaches the template."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(template)) as source, contextlib.closing(sqlite3.connect(to)) as copy:
        source.backup(copy)
    return to


def stored_states(db) -> list[str]:
    """The posture states in the file, oldest first, as another reader sees them: a key
    shows on screen at once and is stored a moment later by the app's storage thread."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT state FROM posture ORDER BY started_at, created_at")]
    finally:
        conn.close()
