"""`python -m patcher` and the `patcher` script from any directory, a `patcher/` one there included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from patcher import __version__


@pytest.mark.parametrize("shadow", [False, True])
def test_python_m_patcher_works_beside_a_patcher_directory(tmp_path: Path, shadow: bool) -> None:
    if shadow:  # a Go package named patcher: a directory without __init__.py, a namespace package to Python
        (tmp_path / "patcher").mkdir()
        (tmp_path / "patcher" / "patcher.go").write_text("package patcher\n")
    r = subprocess.run([sys.executable, "-m", "patcher", "--version"], cwd=tmp_path, capture_output=True, text=True)
    assert (r.returncode, r.stdout.strip()) == (0, f"patcher {__version__}"), r.stderr[-500:]
    r = subprocess.run([sys.executable, "-m", "patcher", "variants"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0 and "go" in r.stdout, r.stderr[-500:]
    script = Path(sys.executable).with_name("patcher")
    if script.is_file():
        r = subprocess.run([str(script), "--version"], cwd=tmp_path, capture_output=True, text=True)
        assert r.stdout.strip() == f"patcher {__version__}", r.stderr[-500:]
