"""`patcher doctor` on this machine: the real versions of Go, wasmtime-py and wasm-tools, and what is missing."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import path_without, run_cli


@pytest.mark.go
def test_doctor_reports_real_versions_and_what_is_missing(tmp_path):
    import importlib.metadata

    from patcher.core import wasm

    r = run_cli("doctor", cwd=tmp_path)
    rows = {line.split()[1]: line for line in r.stdout.splitlines()}
    go = subprocess.run([shutil.which("go"), "env", "GOVERSION"], capture_output=True, text=True).stdout.strip().removeprefix("go")
    assert rows["go"].startswith("ok ") and f"go {go} at" in rows["go"]
    assert f"wasmtime-py {importlib.metadata.version('wasmtime')}" in rows["wasmtime"]
    assert f"wasm-tools {wasm.wasm_tools_version()}" in rows["wasm-tools"]
    assert "adapters" in rows
    # Without Go on PATH the same report says so, and what to do.
    r = run_cli("doctor", env={"PATH": path_without("go")}, cwd=tmp_path)
    go_row = next(l for l in r.stdout.splitlines() if l.split()[1] == "go")
    assert go_row.startswith("MISSING") and "no `go` on PATH" in go_row
