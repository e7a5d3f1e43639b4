"""What the suite runs against, and what the source distribution carries for its own tests."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from hypothesis import settings

import glutetui

ROOT = Path(__file__).resolve().parents[1]
# What tests/ reads besides itself: benchmarks/ (test_benchmarks), .ci/run and the
# README (test_readme), scripts/ (the screenshots), data/ and src/.
NEEDED_BY_TESTS = ("src", "data", "tests", "benchmarks", "scripts", ".ci")
NOT_SOURCE = {"__pycache__", ".hypothesis", ".pytest_cache"}


def test_the_suite_tests_src_as_it_stands():
    # An install that copied the package into site-packages would test yesterday's
    # code after every edit until the next reinstall; the README installs with -e.
    where = Path(glutetui.__file__).resolve()
    assert where.is_relative_to(ROOT / "src"), (
        f"glutetui is imported from {where}, not from {ROOT / 'src'}: install with pip install -e '.[test]'")


def test_hypothesis_replays_the_same_examples_under_ci():
    # A red CI must be reproducible: CI=true picks the derandomized profile (tests/conftest.py).
    if os.environ.get("HYPOTHESIS_PROFILE"):
        pytest.skip("HYPOTHESIS_PROFILE chooses the profile by hand")
    assert settings.default.derandomize is bool(os.environ.get("CI"))
    assert (settings.default.database is None) is bool(os.environ.get("CI"))


def source_files(folder: Path) -> set[str]:
    return {str(path.relative_to(ROOT)) for path in folder.rglob("*")
            if path.is_file() and not NOT_SOURCE & set(path.relative_to(ROOT).parts)
            and path.suffix != ".pyc"}


def test_the_sdist_carries_what_its_tests_need_and_they_collect_from_it(tmp_path):
    built = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    [sdist] = tmp_path.glob("glutetui-*.tar.gz")
    with tarfile.open(sdist) as archive:
        top = archive.getnames()[0].split("/")[0]
        shipped = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
        archive.extractall(tmp_path, filter="data")

    expected = {"README.md", "pyproject.toml"}
    for folder in NEEDED_BY_TESTS:
        expected |= source_files(ROOT / folder)
    assert expected - shipped == set(), f"the sdist leaves out what its tests need: {sorted(expected - shipped)}"

    # Every test module imports from the unpacked tree alone (benchmarks, helpers, fixtures);
    # a module that cannot is a collection error, exit status 2. Collecting runs no assert,
    # so the asserts are left as written: rewriting them was two thirds of this test's time.
    collected = subprocess.run([sys.executable, "-m", "pytest", "-n", "0", "-p", "no:cacheprovider", "--assert=plain",
                                "-q", "--collect-only", "tests"], cwd=tmp_path / top, capture_output=True,
                               text=True, timeout=120)
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
