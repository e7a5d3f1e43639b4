"""The benchmarks' five-year database: the size the issue asks for, the same every time."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# About what five years of a desk runner's data hold (issue 9), give or take 15 %.
EXPECTED = {"workdays": 1250, "posture": 25_000, "reminders": 15_000, "runs": 1_300, "warmups": 1_200}


def build(path: Path) -> str:
    result = subprocess.run([sys.executable, "-m", "benchmarks.five_years", "--out", str(path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def rows_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with sqlite3.connect(path) as conn:
        for table in ("posture", "reminders", "warmups", "runs", "aches"):
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY id"):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def counted(summary: str) -> dict[str, int]:
    """'..., seed 2026: 1,256 workdays, 26,828 posture, ...' as numbers."""
    parts = summary.split(": ", 1)[1].split(", ")
    return {name.strip(): int(number.replace(",", "")) for number, name in (part.split(" ", 1) for part in parts)}


def test_the_five_year_database_is_the_size_asked_for_and_the_same_every_time(tmp_path):
    summary = build(tmp_path / "a.db")
    counts = counted(summary)
    for name, expected in EXPECTED.items():
        assert abs(counts[name] - expected) <= 0.15 * expected, (name, counts[name])
    assert counts["aches"] > 0
    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert conn.execute("SELECT count(*) FROM runs").fetchone()[0] == counts["runs"]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert build(tmp_path / "b.db") == summary
    assert rows_digest(tmp_path / "a.db") == rows_digest(tmp_path / "b.db")
