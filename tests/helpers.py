"""Helpers shared by tests."""

from __future__ import annotations

import os
import subprocess
import sys


def run_cli(*args: str, env: dict | None = None, timeout: float = 60):
    """The real command in a child process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "glutetui", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})
