"""The error checks that need this machine's real tools or downloads: `patcher doctor` with the real Go,
wasmtime-py and wasm-tools (and what is missing), and `official --out` with the official adapters."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import one_line_error, path_without, run_cli

from patcher.core.errors import EXIT_ENVIRONMENT, EXIT_USAGE


@pytest.mark.go
def test_doctor_reports_real_versions_and_what_is_missing(tmp_path: Path) -> None:
    import importlib.metadata

    from patcher.core import hosttools, wasm
    from patcher.core.config import default_cache_dir

    r = run_cli("doctor", cwd=tmp_path)
    rows = {line.split()[1]: line for line in r.stdout.splitlines()}
    go_exe = shutil.which("go")
    assert go_exe is not None
    go = subprocess.run([go_exe, "env", "GOVERSION"], capture_output=True, text=True).stdout.strip().removeprefix("go")
    assert rows["go"].startswith("ok ") and f"go {go} at" in rows["go"]
    assert f"wasmtime-py {importlib.metadata.version('wasmtime')}" in rows["wasmtime-py"]
    assert rows["wasmtime-cli"].startswith("ok ") and f"wasmtime-cli {hosttools.wasmtime_cli_version(default_cache_dir())}" in rows["wasmtime-cli"]
    assert "jco" in rows
    assert f"wasm-tools {wasm.wasm_tools_version()}" in rows["wasm-tools"]
    assert "adapters" in rows
    # Without Go on PATH the same report says so, and what to do.
    r = run_cli("doctor", env={"PATH": path_without("go")}, cwd=tmp_path)
    go_row = next(l for l in r.stdout.splitlines() if l.split()[1] == "go")
    assert go_row.startswith("MISSING") and "no `go` on PATH" in go_row


@pytest.mark.crates
def test_official_out_that_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    r = run_cli("official", "--out", str(blocker / "out"))
    if r.returncode == EXIT_ENVIRONMENT:
        pytest.skip(f"official adapters not reachable: {r.stderr.strip()}")
    assert f"cannot write to --out {blocker / 'out'}" in one_line_error(r, EXIT_USAGE)
