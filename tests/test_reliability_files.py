"""File faults end to end: a read-only database, a full disk, a database from a newer
glutetui and one with a damaged header.

Everything here is real: SQLite files, the `glutetui` command in child processes and the
app in a pseudo-terminal. The read-only medium and the full disk are small tmpfs mounts,
which needs root (running as root, a chmod alone does not stop a write); without root,
or where mount is refused, those tests are skipped with the reason. Each fault is checked
for one line naming the problem and the fix, no traceback, the exit status, the file's
bytes, and that the file is still readable afterwards. test_store and test_cli check the
refusals one function at a time; these follow the user through every command.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import day_begun, run_cli, settle, stored_states, tick
from servers import require
from terminal_app import TerminalApp

from glutetui.store import posture, runs
from glutetui.store.db import open_store
from glutetui.store.migrations import SCHEMA_VERSION

pytestmark = [pytest.mark.reliability,
              pytest.mark.skipif(sys.platform == "win32", reason="needs mount and a POSIX pseudo-terminal")]

ZONE = "Europe/Berlin"
# Commands that open the file only to read it, and those that open it to write (`run list`
# among them: the run commands open the database the one way).
READS = [("status",), ("report",), ("export", "--out", "-")]
WRITES = [("stand",), ("run", "add", "--distance", "5k", "--time", "25:00"), ("run", "list")]
STARTED = datetime(2026, 11, 16, 17, 0, tzinfo=timezone.utc)


# ---- helpers -----------------------------------------------------------------------

@pytest.fixture
def tmpfs(tmp_path):
    """Mounts small tmpfs folders; every one is unmounted again, even when a test fails."""
    mounted: list[Path] = []

    def mount(name: str, size: str) -> Path:
        # Skipped where it cannot be done; under CI, which runs as root, that fails instead.
        require(os.geteuid() == 0, "root, to mount the small tmpfs that makes a read-only or full disk")
        require(shutil.which("mount"), "the program mount (apt package mount)")
        folder = tmp_path / name
        folder.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                              capture_output=True, text=True)
        require(done.returncode == 0, f"the right to mount a tmpfs (mount said: {done.stderr.strip()})")
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def remount(folder: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True, capture_output=True)


def make_database(path: Path) -> tuple[int, int]:
    """A database with four days of rows, as one file with no -wal beside it; returns (runs, postures)."""
    db = open_store(path)
    for day in range(4):
        start = STARTED + timedelta(days=day)
        posture.begin_state(db, "sitting", start, "auto")
        posture.begin_state(db, "standing", start + timedelta(minutes=50), "manual")
        runs.add_run(db, started_at=start + timedelta(hours=2), distance_m=5000 + day * 500, duration_s=1700,
                     rpe=5, notes="easy", aches=(), warmup_id=None, now=start + timedelta(hours=3))
    posture.end_open(db, STARTED + timedelta(days=3, hours=1))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    for leftover in path.parent.glob(path.name + "-*"):
        leftover.unlink()
    return 4, 8


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(db: Path, config: Path, *args: str):
    return run_cli(*args, "--db", str(db), "--config", str(config), env={"TZ": ZONE})


def assert_refused(result, db: Path, *fragments: str, code: int = 2) -> str:
    """One line on stderr naming the file, nothing on stdout, no traceback."""
    shown = result.stdout + result.stderr
    assert result.returncode == code, shown
    assert "Traceback" not in shown and result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith(f"glutetui: {db}: "), line
    for fragment in fragments:
        assert fragment in line, line
    return line


def sqlite_reads(path: Path, *, immutable: bool = False) -> tuple[str, int, int]:
    """integrity_check and row counts as the sqlite3 shell reads them (Python's sqlite3
    module where the shell is not installed); `immutable` for a file on a read-only medium,
    where SQLite cannot make the -shm file a WAL database is read through."""
    uri = f"file:{path}?immutable=1" if immutable else f"file:{path}?mode=ro"
    sql = "PRAGMA integrity_check; SELECT count(*) FROM runs; SELECT count(*) FROM posture;"
    if shutil.which("sqlite3"):
        done = subprocess.run(["sqlite3", uri, sql], capture_output=True, text=True, check=True)
        check, run_count, posture_count = done.stdout.split()
        return check, int(run_count), int(posture_count)
    conn = sqlite3.connect(uri, uri=True)
    try:
        return (conn.execute("PRAGMA integrity_check").fetchone()[0],
                conn.execute("SELECT count(*) FROM runs").fetchone()[0],
                conn.execute("SELECT count(*) FROM posture").fetchone()[0])
    finally:
        conn.close()


def fill(folder: Path) -> Path:
    """Write a filler file until the disk says it is full."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as error:
        assert error.errno == errno.ENOSPC, error
    finally:
        os.close(fd)
    return filler


def screen(app: TerminalApp) -> str:
    """What the pty showed, without escape codes, toast borders or line breaks, so a
    message wrapped inside a toast reads as one run of words."""
    text = re.sub(r"\x1b\[[0-9;?<>=]*[A-Za-z~]|\x1b[()][A-Z0-9]|\x1b[=>]", "",
                  bytes(app.output).decode("utf-8", "replace"))
    return re.sub(r"[\s▌▐▊▎▍▏]+", "", text)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def refused_everywhere(db: Path, config: Path, *fragments: str) -> str:
    """Every command and the app itself refuse `db` with the same line; returns it."""
    lines = set()
    for command in READS + WRITES:
        lines.add(assert_refused(cli(db, config, *command), db, *fragments))
    assert len(lines) == 1, lines  # the same words whichever command met the file
    line = lines.pop()
    doctor = cli(db, config, "doctor")
    assert doctor.returncode == 1 and "Traceback" not in doctor.stdout + doctor.stderr
    assert f"problem: {line.removeprefix('glutetui: ')}" in doctor.stdout
    with TerminalApp("--db", str(db), "--config", str(config)) as app:
        assert app.exit_status() == 2  # before the screen is taken over
        shown = bytes(app.output).decode("utf-8", "replace")
    assert "Traceback" not in shown and squeezed(line) in squeezed(shown)
    return line


# ---- read-only -----------------------------------------------------------------------

def test_a_database_on_a_read_only_medium_is_refused_and_left_as_it_was(tmpfs, tmp_path):
    """glutetui never opens a file it cannot write for the app: the app and the state
    commands need to write. The reading commands cannot view it either, because a WAL
    database is read through a -shm file made beside it; they say so and how to get round it."""
    folder = tmpfs("ro", "4m")
    db, config = folder / "g.db", tmp_path / "c.toml"
    counts = make_database(db)
    remount(folder, "ro")
    before = sha256(db)

    for command in READS:
        assert_refused(cli(db, config, *command), db, f"the folder {folder} cannot be written",
                       "Copy it to a folder you can write")
    for command in WRITES:
        assert_refused(cli(db, config, *command), db, f"the folder {folder} cannot be written",
                       "Fix its permissions")
    with TerminalApp("--db", str(db), "--config", str(config)) as app:
        assert app.exit_status() == 2
        shown = bytes(app.output).decode("utf-8", "replace")
    assert "Traceback" not in shown and squeezed(f"the folder {folder} cannot be written") in squeezed(shown)

    assert sha256(db) == before
    assert sorted(path.name for path in folder.iterdir()) == ["g.db"]
    assert sqlite_reads(db, immutable=True) == ("ok", *counts)
    # Writable again, the same file is the user's as before.
    remount(folder, "rw")
    status = cli(db, config, "status")
    assert status.returncode == 0 and "Traceback" not in status.stderr, status.stderr
    assert sha256(db) == before and sqlite_reads(db) == ("ok", *counts)


# ---- full disk -----------------------------------------------------------------------

def test_commands_on_a_full_disk_say_so_and_lose_nothing(tmpfs, tmp_path):
    folder = tmpfs("full", "1m")
    db, config = folder / "g.db", tmp_path / "c.toml"
    counts = make_database(db)
    filler = fill(folder)
    # Not even reading works: SQLite cannot make the -shm file a WAL database is read through.
    for command in READS + WRITES:
        assert_refused(cli(db, config, *command), db, "the disk is full", "Free some disk space, then try again")
    assert sqlite_reads(db, immutable=True) == ("ok", *counts)

    # Room for a few runs, so that the disk fills in the middle of the user's work.
    os.truncate(filler, filler.stat().st_size - 100 * 1024)
    logged = []
    for _ in range(40):
        result = cli(db, config, "run", "add", "--distance", "10k", "--time", "55:00", "--notes", "n" * 3000, "--json")
        if result.returncode != 0:
            break
        logged.append(json.loads(result.stdout)["id"])
    else:
        pytest.fail("the disk never filled up")
    assert logged, "no run fitted before the disk was full"
    assert_refused(result, db, "the disk is full", "Free some disk space, then try again")
    assert sqlite_reads(db) == ("ok", counts[0] + len(logged), counts[1])
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert set(logged) <= {row[0] for row in conn.execute("SELECT id FROM runs")}
    conn.close()

    filler.unlink()
    again = cli(db, config, "run", "add", "--distance", "5k", "--time", "25:00")
    assert again.returncode == 0, again.stderr
    assert sqlite_reads(db) == ("ok", counts[0] + len(logged) + 1, counts[1])


def test_files_written_to_a_full_disk_say_so_and_leave_nothing(tmpfs, tmp_path):
    """The database has room; the export, the picture, the page or the settings file go to a full disk."""
    from glutetui.config import save_setting
    from glutetui.errors import ConfigError

    folder = tmpfs("out", "1m")
    db, config = tmp_path / "g.db", tmp_path / "c.toml"
    make_database(db)
    filler = fill(folder)
    for command, target in ((("export", "--out"), folder / "all.json"), (("report", "--svg"), folder / "week.svg"),
                            (("report", "--html"), folder / "page.html")):
        result = cli(db, config, *command, str(target))
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert "Free some disk space, then try again." in result.stderr, result.stderr
    with pytest.raises(ConfigError, match="Free some disk space, then try again"):
        save_setting(folder / "c.toml", "units", "mi")
    assert sorted(path.name for path in folder.iterdir()) == ["filler"]
    filler.unlink()


def test_the_app_on_a_full_disk_warns_keeps_running_and_saves_again_when_there_is_room(tmpfs, tmp_path):
    """The real app in a pty. The disk fills while it runs: the heartbeat (every 30 s)
    meets it first, then the keys. Commands beside it still read. Space freed, the next
    key is saved. Quitting on a full disk ends the app with a line, not a crash, and the
    interval it could not close is recovered at its last heartbeat on the next start."""
    require(shutil.which("faketime"), "the program faketime (apt package faketime)")
    folder = tmpfs("app", "1m")
    db, config = folder / "g.db", tmp_path / "c.toml"
    config.write_text('working_hours = "always"\nremind_desktop = false\n')  # tracking whatever the hour
    # The heartbeat comes every 30 s of the app's clock. That clock runs six times fast, so
    # the test waits 5 s for it, not 30; it starts ten minutes back, so that everything
    # this app stores lies before the second app's real now.
    with TerminalApp("--db", str(db), "--config", str(config), faketime="-10m x6") as app:
        app.wait_for(lambda: "Sittingsince" in screen(app))
        filler = fill(folder)
        # While the heartbeat comes round, the commands beside the app: they can read
        # (the app keeps the -shm file open) but not write.
        assert_refused(cli(db, config, "run", "add", "--distance", "5k", "--time", "25:00"), db,
                       "the disk is full", "Free some disk space")
        status = cli(db, config, "status")
        assert status.returncode == 0 and status.stdout.startswith("sitting"), status.stderr
        app.wait_for(lambda: "thediskisfull.Freesomediskspace" in screen(app), timeout=20)
        app.press(b"s")
        app.press(b"w")  # the warm-up runs all the same; the one warning of this spell said why it is not kept
        app.wait_for(lambda: "step1of" in screen(app))
        assert app.running() and "Traceback" not in screen(app)

        filler.unlink()
        app.press(b"1")
        app.press(b"s")
        app.wait_for(lambda: "Standingsince" in screen(app))  # shown at once, stored when the file takes it
        app.wait_for(lambda: stored_states(db)[-1:] == ["standing"])
        fill(folder)
        app.press(b"\x11")  # ctrl+q on a full disk
        assert app.exit_status() == 1
        last = bytes(app.output).decode("utf-8", "replace")
    assert "Traceback" not in last and "unexpected error" not in last
    assert "glutetuicouldnotsaveonthewayout" in squeezed(last).replace(":", "")
    assert "thediskisfull.Freesomediskspace" in squeezed(last)

    (folder / "filler").unlink()
    with TerminalApp("--db", str(db), "--config", str(config)) as app:
        app.wait_for(lambda: "didnotclosecleanly" in screen(app))
        app.press(b"\x11")
        assert app.exit_status() == 0, bytes(app.output[-3000:]).decode("utf-8", "replace")
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute("SELECT state, source, ended_at IS NULL, ended_at = last_seen_at FROM posture "
                        "ORDER BY started_at, created_at").fetchall()
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    # The warm-up's own row is there when its write came after the space was freed (the
    # storage thread runs the jobs in order, but when is up to the pty); either way it closed.
    moving = [row for row in rows if row[0] == "exercise"]
    assert moving in ([], [("exercise", "routine", 0, 1)])
    assert [row[:3] for row in rows if row[0] != "exercise"] == [
        ("sitting", "auto", 0), ("standing", "recovered", 0), ("sitting", "auto", 0)]
    assert rows[-2:] == [("standing", "recovered", 0, 1), ("sitting", "auto", 0, 1)]


# ---- a newer glutetui's file, a damaged header ------------------------------------------

def test_a_database_from_a_newer_glutetui_is_refused_everywhere_and_still_reads(tmp_path):
    db, config = tmp_path / "g.db", tmp_path / "c.toml"
    counts = make_database(db)
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('glutetui', 'm9999_from_the_future', '2027-01-01')")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = sha256(db)

    refused_everywhere(db, config, "was written by a newer glutetui", "Upgrade glutetui",
                       "the file has not been changed")

    assert sha256(db) == before
    # The checks read through SQLite, which may leave its side files; nothing is in them.
    assert all(path.stat().st_size == 0 for path in tmp_path.glob("g.db-wal"))
    assert sqlite_reads(db) == ("ok", *counts)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    conn.close()


def test_a_database_with_a_damaged_header_is_refused_everywhere_byte_for_byte(tmp_path):
    db, config = tmp_path / "g.db", tmp_path / "c.toml"
    counts = make_database(db)
    data = bytearray(db.read_bytes())
    header = bytes(data[:16])
    data[:16] = b"\xde\xad\xbe\xefnot sqlite!!"
    db.write_bytes(bytes(data))
    before = sha256(db)

    refused_everywhere(db, config, "is not a SQLite database, or its header is damaged",
                       "glutetui has not changed it", "restore a backup")

    assert sha256(db) == before
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith("g.db")) == ["g.db"]
    # Nothing past the header was touched: put it back and the data is all there.
    data[:16] = header
    db.write_bytes(bytes(data))
    assert sqlite_reads(db) == ("ok", *counts)


class InputOnTheFakeClock:
    """Stands in for the X11/GNOME idle probe, which reads real input and a real clock;
    here idle time must follow the test's fake clock."""

    name = "input on the fake clock"

    def __init__(self, clock) -> None:
        self.clock = clock
        self.last_input = clock.now()

    def read(self):
        from glutetui.services.idle import IdleReading

        return IdleReading((self.clock.now() - self.last_input).total_seconds())


async def test_going_idle_and_answering_were_you_up_on_a_full_disk_warn_and_keep_the_app(tmpfs, tmp_path):
    """The idle probe's reading and the answer to "were you up?" both write; on a full
    disk they used to take the app down with them."""
    from app_factory import make_app

    from glutetui.clock import FakeClock
    from glutetui.paths import Locations
    from glutetui.ui.screens.away_prompt import AwayPrompt

    folder = tmpfs("idle-full", "1m")
    locations = Locations(db=folder / "g.db", config=tmp_path / "c.toml", db_is_default=False)
    locations.config.write_text('working_hours = "always"\nremind_in_app = false\nremind_bell = false\n'
                                "remind_desktop = false\n")
    clock = FakeClock(STARTED, zone=ZONE)
    probe = InputOnTheFakeClock(clock)
    app = make_app(locations, clock, idle_probe=probe)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await day_begun(pilot)
        for _ in range(10):  # ten minutes at the desk, typing
            clock.advance(60)
            probe.last_input = clock.now()
            await tick(pilot)
        await pilot.pause()
        filler = fill(folder)
        clock.advance(20 * 60)  # twenty minutes without a key: away, which must be written
        while not app.poll_idle():
            await app.workers.wait_for_complete()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        warnings = [n.message for n in app._notifications]
        assert any("the disk is full" in message for message in warnings), warnings

        filler.unlink()  # room again: going away is stored; back at the desk, say "I sat"
        while not app.poll_idle():
            await app.workers.wait_for_complete()
        await app.workers.wait_for_complete()
        probe.last_input = clock.now()
        clock.advance(5)
        while not app.poll_idle():
            await app.workers.wait_for_complete()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AwayPrompt)
        filler = fill(folder)
        await pilot.press("n")  # sat all along: turning the away time back into sitting is a write
        await pilot.pause()
        assert app.is_running
    filler.unlink()
    assert sqlite_reads(locations.db)[0] == "ok"


async def test_a_full_disk_warns_once_a_spell_and_says_when_saving_works_again(tmpfs, tmp_path):
    """However many writes fail in one spell, one warning; the tracker's next stored write
    says saving works again; a second spell warns again."""
    from app_factory import make_app

    from glutetui.clock import FakeClock
    from glutetui.paths import Locations

    folder = tmpfs("spells", "1m")
    locations = Locations(db=folder / "g.db", config=tmp_path / "c.toml", db_is_default=False)
    locations.config.write_text('working_hours = "always"\nremind_in_app = false\nremind_bell = false\n'
                                "remind_desktop = false\n")
    clock = FakeClock(STARTED, zone=ZONE)
    app = make_app(locations, clock)
    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, **options: (said.append(str(message)), notify(message, **options))[1]

    def count(fragment: str) -> int:
        return sum(fragment in message for message in said)

    async def half_minutes(pilot, times: int) -> None:  # the heartbeat is due every 30 s
        await day_begun(pilot)
        for _ in range(times):
            clock.advance(30)
            await tick(pilot)

    async with app.run_test(size=(80, 24)) as pilot:
        await half_minutes(pilot, 4)
        filler = fill(folder)
        await half_minutes(pilot, 4)
        await pilot.press("s", "b")  # two more writes that fail in the same spell
        await settle(pilot)
        await half_minutes(pilot, 2)
        assert app.is_running
        assert count("the disk is full") == 1 and count("works again") == 0, said

        filler.unlink()
        await half_minutes(pilot, 1)
        assert count("works again") == 1, said
        # The app saw those minutes go by: a full disk is not a suspend, so no "were you up?".
        await settle(pilot)
        assert app.screen is app.main_screen and app.tracker.open.state == "sitting"
        await pilot.press("s")
        await settle(pilot)
        assert app.tracker.open.state == "standing"

        filler = fill(folder)
        await half_minutes(pilot, 3)
        assert count("the disk is full") == 2 and count("works again") == 1, said
        filler.unlink()
        await half_minutes(pilot, 1)
        assert count("works again") == 2, said
    assert sqlite_reads(locations.db)[0] == "ok"
    conn = sqlite3.connect(f"file:{locations.db}?mode=ro", uri=True)
    states = [state for (state,) in conn.execute("SELECT state FROM posture ORDER BY started_at")]
    conn.close()
    assert states == ["sitting", "standing"]


async def test_a_run_saved_on_a_full_disk_says_so_and_keeps_the_form(tmpfs, tmp_path):
    from app_factory import make_app
    from textual.widgets import Input

    from glutetui.clock import FakeClock
    from glutetui.paths import Locations
    from glutetui.ui.screens.run_form import RunFormScreen

    folder = tmpfs("form-full", "1m")
    locations = Locations(db=folder / "g.db", config=tmp_path / "c.toml", db_is_default=False)
    locations.config.write_text("remind_desktop = false\nremind_in_app = false\nremind_bell = false\n")
    app = make_app(locations, FakeClock(STARTED, zone=ZONE))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RunFormScreen)
        form.query_one("#distance-input", Input).value = "5k"
        form.query_one("#time-input", Input).value = "28:30"
        form.query_one("#notes-input", Input).value = "n" * 2000
        filler = fill(folder)
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = [str(n.message) for n in app._notifications]
        assert app.screen is form and form.query_one("#distance-input", Input).value == "5k"
        assert any(m.startswith("The run was not saved: Cannot use ") and "the disk is full. Free some disk space"
                   in m for m in said), said
        filler.unlink()
    assert sqlite_reads(locations.db)[1] == 0
