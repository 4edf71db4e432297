"""ruff and mypy (strict), configured in pyproject.toml, report nothing: `pytest` (the README test
command, run by .ci/run) checks them like any other test."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run_tool(module: str, *args: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (it is in the `test` and `lint` extras: pip install -e '.[lint]')")
    proc = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, f"{module} {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}{proc.stderr}"


def test_ruff() -> None:
    _run_tool("ruff", "check", "--no-cache", "patcher", "tests", "bench", "scripts")


def test_mypy() -> None:
    # files, strictness and overrides come from [tool.mypy] in pyproject.toml.
    _run_tool("mypy")
