"""The README's promises: its first two commands, and that CI runs the second."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    readme = ROOT / "README.md"
    if not readme.exists():
        pytest.skip("README.md is not part of an installed package")
    return re.findall(r"```sh\n(.+?)\n```", readme.read_text(encoding="utf-8"))


def test_the_readme_starts_with_install_and_test_commands():
    install, test = readme_commands()[:2]
    assert install.endswith("pip install . && glutetui")
    assert test.endswith("pip install -e '.[test]' && pytest")


def test_ci_runs_the_readmes_test_command_word_for_word():
    test_command = readme_commands()[1]
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines
