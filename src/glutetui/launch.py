"""Opening the terminal app: settings, routines, the file and its lock, the idle probe, then Textual.

Called by `glutetui` with no command (glutetui.entry, without argparse: building the
command line's parser was 8 ms of every start) and by `glutetui open` and `glutetui
warmup ROUTINE` (glutetui.cli).
"""

from __future__ import annotations

from glutetui.errors import UserFacingError
from glutetui.paths import Locations


def open_app(locations: Locations, start_routine: str | None = None) -> int:
    """Run the app on `locations` until the runner quits; its exit code."""
    from glutetui.clock import SystemClock
    from glutetui.config import load_settings
    from glutetui.services.idle import find_probe
    from glutetui.services.voice import find_voice
    from glutetui.store.db import open_connection, preflight
    from glutetui.store.lock import InstanceLock

    settings = load_settings(locations.config)
    routines = None  # without a routine to start, the app reads them after its first paint
    if start_routine is not None:
        from glutetui.services.routines import load_routines

        routines = load_routines(locations.user_routines)
        if start_routine not in routines.routines:
            broken = " Some routine files have problems: glutetui doctor lists them." if routines.problems else ""
            raise UserFacingError(
                f"no routine called {start_routine!r}. Choose one of: {', '.join(routines.names())}; "
                f"your own go in {locations.user_routines}.{broken}"
            )
    if locations.db_is_default:
        locations.db.parent.mkdir(parents=True, exist_ok=True)
    preflight(locations.db)  # refuse a bad file before even making the lock beside it
    with InstanceLock(locations.db) as lock:
        db = open_connection(locations.db)
        try:
            lock.cover_hard_links()  # a database this start created has an inode only now
        except BaseException:
            db.close()
            raise
        # Before the screen is drawn: an X server that refuses us prints a line of its own.
        probe = find_probe()
        from glutetui.ui.app import GlutetuiApp  # Textual loads only when the app opens

        try:
            app = GlutetuiApp(db=db, locations=locations, settings=settings, clock=SystemClock(),
                              routines=routines, start_routine=start_routine, voice_program=find_voice(),
                              idle_probe=probe)
            app.run()
        finally:
            db.close()
        return app.return_code or 0
