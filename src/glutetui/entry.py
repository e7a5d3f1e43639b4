"""The `glutetui` command's first step: `glutetui status` and the app itself take lean paths.

tmux runs `glutetui status` every 15 s, so it should cost about what starting Python
does: its arguments are recognised here without argparse, and it loads only what it
prints (the standard library's sqlite3 and zoneinfo, tomllib only for a settings file
beyond plain `key = value` lines, and the domain math).
`glutetui` with no command (only --db and --config, if any) opens the app the same way:
argparse and the parser of every command were 8 ms of each start.
Every other command, and any line this does not recognise exactly (--help, an
abbreviation, a mistake), goes to cli.main, which parses and answers as always.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

LOCATION_OPTIONS = ("--db", "--config")


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if (asked := status_request(words)) is not None:
        return run_status(*asked)
    if (places := app_request(words)) is not None:
        return run_app(*places)
    from glutetui.cli import main as full_main

    return full_main(words)


def split_locations(words: list[str]) -> tuple[dict[str, str | None], list[str]] | None:
    """The --db and --config values, and the other words in order; None when an option
    lacks its value. Global options may come anywhere, as argparse takes them; the last
    of a repeated one wins there too."""
    values: dict[str, str | None] = dict.fromkeys(LOCATION_OPTIONS)
    rest = []
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
        else:
            rest.append(word)
        index += 1
    return values, rest


def status_request(words: list[str]) -> tuple[str | None, str | None, bool] | None:
    """(--db, --config, --json) of a plain `status` command line, or None for anything else."""
    split = split_locations(words)
    if split is None or split[1] not in (["status"], ["status", "--json"]):
        return None
    values, rest = split
    return values["--db"], values["--config"], len(rest) == 2


def app_request(words: list[str]) -> tuple[str | None, str | None] | None:
    """(--db, --config) of a command line that only opens the app, or None for anything else."""
    split = split_locations(words)
    if split is None or split[1]:
        return None
    return split[0]["--db"], split[0]["--config"]


def run_app(db: str | None, config: str | None) -> int:
    """Open the app; errors end as every command's do (cli.failure_exit)."""
    locations = None
    try:
        from glutetui.launch import open_app
        from glutetui.paths import resolve

        locations = resolve(db, config)
        return open_app(locations)
    except Exception as error:
        from glutetui.cli import failure_exit

        return failure_exit(error, locations)
    except KeyboardInterrupt:
        return 130


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
