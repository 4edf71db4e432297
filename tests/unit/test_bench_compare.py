"""The benchmark helpers that need no build: kept runs compared by bench/compare.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "bench" / "compare.py"), *args], capture_output=True, text=True, cwd=ROOT)


def _doc(ratio: float, fuel: float) -> dict[str, Any]:
    row = {"part": "(a)", "workload": "file-reads", "a": "p1-core", "b": "go-component", "target": 1.10, "ratio": ratio, "fuel_ratio": fuel}
    return {"date": "2026-12-01 20:00", "machine": "test", "a_variant": "go", "rows": [row], "not_measured": ["(b) x: failed"]}


def test_compare_shows_change_and_verdict(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(_doc(1.70, 1.60)))
    new.write_text(json.dumps(_doc(1.02, 1.05)))
    r = _run(str(old), str(new))
    assert r.returncode == 0, r.stderr
    line = next(l for l in r.stdout.splitlines() if l.startswith("(a)"))
    assert line.split()[4:] == ["1.700", "1.020", "-40.0%", "1.600", "1.050", "1.10", "met"]
    assert "# not measured (new): (b) x: failed" in r.stdout


def test_compare_refuses_other_files_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    r = _run(str(bad), str(bad))
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [f"compare: error: {bad} is not a bench/overhead.py --json file (pass two files written by bench/overhead.py --json)"]
