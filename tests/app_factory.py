"""Builds the real app on a real temporary database with a frozen clock."""

from __future__ import annotations

from glutetui.clock import Clock
from glutetui.config import load_settings
from glutetui.paths import Locations
from glutetui.store.db import open_store
from glutetui.ui.app import GlutetuiApp

TEST_TIPS = ("Stand up and walk to the window.", "A glute bridge a day keeps the chair away.")

# Apps made by the test now running. A Pilot test ends the app without its quit action, which
# is what stops its storage and reader threads; left running, each thread kept its app (all
# its widgets, its database connections) alive to the end of the worker: 300 MB a worker.
made: list[GlutetuiApp] = []


def stop_made_apps() -> None:
    """Stop the threads of every app the test made (tests/conftest.py, after each test)."""
    while made:
        app = made.pop()
        for thread in (app.storage, app.reader):
            if thread._thread.is_alive():  # not started: the test never ran the app
                thread.stop(timeout=5)
        app.notifier.close()  # its connection to a test's bus, when a reminder went out with buttons


def make_app(locations: Locations, clock: Clock, tips=TEST_TIPS, db_path=None, app_class=GlutetuiApp,
             **options) -> GlutetuiApp:
    # Tabs are made when shown or needed, as when a key comes before the app has made them
    # ahead: that saves a fifth of each app's start. Making them ahead is tested on its
    # own (test_app) and in every real-terminal test, which run the app as shipped.
    options.setdefault("build_ahead", False)
    db = open_store(db_path or locations.db)
    app = app_class(db=db, locations=locations, settings=load_settings(locations.config), clock=clock, tips=tips,
                    **options)
    made.append(app)
    return app
