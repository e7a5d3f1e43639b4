"""Optional spoken step names through a speech program the system already has."""

from __future__ import annotations

import shutil
import subprocess

VOICE_PROGRAMS = ("espeak-ng", "espeak", "say")


def find_voice() -> str | None:
    """The path of the first speech program on PATH, or None."""
    for program in VOICE_PROGRAMS:
        found = shutil.which(program)
        if found:
            return found
    return None


def speak(program: str, text: str) -> bool:
    """Start speaking and return at once; any failure is silent (the screen says it all anyway)."""
    try:
        # A leading dash would be read as an option by the speech program.
        subprocess.Popen([program, text.lstrip("-")], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
        return True
    except OSError:
        return False
