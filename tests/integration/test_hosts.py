"""Components under the hosts users type: the wasmtime CLI and jco, as processes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from needs import source_or_skip

from patcher.core import config, hosttools

pytestmark = [pytest.mark.go, pytest.mark.cargo, pytest.mark.source]


@pytest.fixture(scope="module")
def hello(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source_or_skip()
    out = tmp_path_factory.mktemp("hosts") / "hello.wasm"
    r = run_cli("componentize", str(ROOT / "examples" / "hello"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    return out


@pytest.mark.jco
def test_pinned_jco_runs_a_go_component(hello: Path) -> None:
    argv = hosttools.jco(config.load().cache_dir)
    r = subprocess.run([*argv, "run", str(hello), "Gopher"], capture_output=True, text=True, timeout=120)
    assert (r.returncode, r.stdout) == (0, "hello, Gopher, from a Go component\n"), r.stderr
    assert hosttools.jco_version(config.load().cache_dir).startswith("1.35.")
