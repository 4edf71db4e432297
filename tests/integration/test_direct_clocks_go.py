"""Companion step `direct-clocks` on a real Go program: its clock reads go straight to the host."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from needs import missing_go, source_or_skip

from patcher.core import wasm


@pytest.mark.go
@pytest.mark.cargo
@pytest.mark.source
def test_go_command_reads_the_host_clocks_directly(tmp_path: Path) -> None:
    """A command's clock reads never enter the Preview 1 adapter, and what Go needs from its
    clocks still holds (the same program prints the same lines with `go run`)."""
    if (why := missing_go()) is not None:
        pytest.skip(why)
    source_or_skip()
    out = tmp_path / "clocks.wasm"
    r = run_cli("componentize", str(ROOT / "tests/go/clocks"), "--variant", "go", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert b"patcher_clocks" in out.read_bytes()
    printed = wasm.wasm_tools("print", out).decode()
    assert re.search(r'\(import "patcher_clocks" "clock_time_get"', printed)
    r = run_cli("run", str(out), "--env", f"HOST_UNIX_NANO={time.time_ns()}")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 5 and all(line.endswith(": true") for line in lines), r.stdout
