"""The import direction of DESIGN.md: domain at the bottom, Textual only in ui/."""

from __future__ import annotations

import ast
from pathlib import Path

import glutetui

PACKAGE = Path(glutetui.__file__).parent
BELOW_UI = ["domain", "store", "services", "clock.py", "paths.py", "config.py", "errors.py", "crashlog.py"]


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def files_of(part: str) -> list[Path]:
    target = PACKAGE / part
    return [target] if target.is_file() else sorted(target.rglob("*.py"))


def test_the_package_has_every_layer():
    for part in ["cli.py", "ui", "services", "store", "domain", "clock.py", "paths.py", "config.py"]:
        assert (PACKAGE / part).exists(), part


def test_nothing_below_ui_imports_textual():
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for part in BELOW_UI
        for path in files_of(part)
        for name in imported_modules(path)
        if name == "textual" or name.startswith("textual.") or name.startswith("glutetui.ui")
    ]
    assert offenders == []


def test_domain_is_pure():
    forbidden = ("glutetui.store", "glutetui.services", "glutetui.ui", "glutetui.cli", "glutetui.clock",
                 "glutetui.paths", "glutetui.config", "sqlite3", "sqlite_utils", "textual", "time", "os")
    offenders = [
        f"{path.name} imports {name}"
        for path in files_of("domain")
        for name in imported_modules(path)
        if any(name == bad or name.startswith(bad + ".") for bad in forbidden)
    ]
    assert offenders == []


def test_store_does_not_reach_up():
    offenders = [
        f"{path.name} imports {name}"
        for path in files_of("store")
        for name in imported_modules(path)
        if name.startswith(("glutetui.services", "glutetui.ui", "glutetui.cli"))
    ]
    assert offenders == []


UI_FORBIDDEN = ("glutetui.store", "sqlite3", "sqlite_utils")


def test_ui_talks_to_services_only():
    """Like harlequin's import-linter "forbidden" contract: the screens never touch the file."""
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in files_of("ui")
        for name in imported_modules(path)
        if any(name == bad or name.startswith(bad + ".") for bad in UI_FORBIDDEN)
    ]
    assert offenders == []


def test_this_test_would_catch_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from textual.app import App\nimport glutetui.ui.app\nimport sqlite3\n"
                   "from glutetui.store.db import storage_problem\n")
    found = imported_modules(bad)
    assert {"textual.app", "glutetui.ui.app"} <= found
    assert {name for name in found if name.startswith(UI_FORBIDDEN)} == {"sqlite3", "glutetui.store.db"}
