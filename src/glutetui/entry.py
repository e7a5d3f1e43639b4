"""The `glutetui` command's first step: a status line's `glutetui status` takes a lean path.

tmux runs `glutetui status` every 15 s, so it should cost about what starting Python
does: its arguments are recognised here without argparse, and it loads only what it
prints (the standard library's sqlite3 and zoneinfo, tomllib only for a settings file
beyond plain `key = value` lines, and the domain math).
Every other command, and any `status` line this does not recognise exactly (--help, an
abbreviation, a mistake), goes to cli.main, which parses and answers as always.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

LOCATION_OPTIONS = ("--db", "--config")


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    asked = status_request(words)
    if asked is None:
        from glutetui.cli import main as full_main

        return full_main(words)
    return run_status(*asked)


def status_request(words: list[str]) -> tuple[str | None, str | None, bool] | None:
    """(--db, --config, --json) of a plain `status` command line, or None for anything else.

    Global options may come before or after the command, as argparse takes them; the
    last of a repeated one wins there too."""
    values: dict[str, str | None] = dict.fromkeys(LOCATION_OPTIONS)
    seen_status = as_json = False
    index = 0
    while index < len(words):
        word = words[index]
        name, equals, value = word.partition("=")
        if name in LOCATION_OPTIONS and equals:
            values[name] = value
        elif word in LOCATION_OPTIONS:
            if index + 1 == len(words) or words[index + 1].startswith("-"):
                return None  # argparse's own message for a missing value
            values[word] = words[index + 1]
            index += 1
        elif word == "status" and not seen_status:
            seen_status = True
        elif word == "--json" and seen_status:
            as_json = True
        else:
            return None
        index += 1
    return (values["--db"], values["--config"], as_json) if seen_status else None


def run_status(db: str | None, config: str | None, as_json: bool, clock=None) -> int:
    """Print the status line or its JSON; errors end as every command's do (cli.failure_exit)."""
    locations = None
    try:
        from glutetui.clock import SystemClock
        from glutetui.config import load_settings
        from glutetui.paths import resolve
        from glutetui.services.status import read_status, status_json, status_line

        locations = resolve(db, config)
        status = read_status(locations, load_settings(locations.config), clock or SystemClock())
        if as_json:
            import json

            print(json.dumps(status_json(status), indent=2))
        else:
            print(status_line(status))
        sys.stdout.flush()  # here, so a closed pipe is met inside the try and not at exit
        return 0
    except Exception as error:
        from glutetui.cli import failure_exit

        return failure_exit(error, locations)
    except KeyboardInterrupt:
        return 130
