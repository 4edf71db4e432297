"""Components under the hosts users type: the wasmtime CLI and jco, as processes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

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


def _validate(tmp: Path, *args: str) -> dict[str, Any]:
    out = tmp / "r.json"
    r = run_cli("validate", *args, "--json", str(out), "--report-only")
    assert r.returncode == 0, r.stderr[-2000:]
    doc: dict[str, Any] = json.loads(out.read_text())
    return doc


@pytest.mark.hosts
def test_corpus_under_the_wasmtime_cli(tmp_path: Path) -> None:
    """The CI tier: every corpus program as a `wasmtime run` process; what the CLI cannot drive is
    reported as such (never a pass), everything it runs passes."""
    source_or_skip()
    doc = _validate(tmp_path, "--variant", "go", "--host", "wasmtime-cli", "--no-differential")
    version = hosttools.wasmtime_cli_version(config.load().cache_dir)
    assert doc["hosts"] == [f"wasmtime-cli {version}"]
    rows = [r for r in doc["results"] if r["adapter"] == "go"]
    assert len(rows) >= 30 and {r["host"] for r in rows} == {f"wasmtime-cli {version}"}
    failing = {r["program"]: r["detail"] for r in rows if r["status"] not in ("pass", "skip")}
    assert failing == {}
    skipped = [r for r in rows if r["status"] == "skip"]
    assert all(r["kind"] == "reactor" and "cannot drive it" in r["detail"] for r in skipped)
    driven = [r for r in rows if r["kind"] == "reactor" and r["status"] == "pass"]
    assert len(driven) >= 4  # reactors whose calls are independent and fit one argument, through --invoke and WAVE
    assert all(r["kind"] == "reactor" or r["status"] == "pass" for r in rows)


@pytest.mark.hosts
@pytest.mark.crates
def test_cli_host_reports_the_official_adapters_failure(tmp_path: Path) -> None:
    """A failure under the CLI is a failure with the adapter's own message, not a pass or a crash."""
    doc = _validate(tmp_path, "--official", "--host", "wasmtime-cli", "--only", "cmd-files-heavy", "--only", "cmd-hello", "--no-differential")
    rows = {r["program"]: r for r in doc["results"]}
    assert rows["cmd-files-heavy"]["status"] == "fail"
    assert any(s in rows["cmd-files-heavy"]["detail"] for s in ("assertion failed at adapter line", "Bad file number", "fatal error:", "unreachable")), rows["cmd-files-heavy"]


@pytest.mark.jco
def test_jco_drives_a_stateful_reactor_and_a_command(tmp_path: Path) -> None:
    source_or_skip()
    doc = _validate(tmp_path, "--variant", "go", "--host", "jco", "--only", "reactor-kv-naive", "--only", "cmd-files-basic", "--only", "cmd-stdin-echo",
                    "--no-differential")
    assert {r["program"]: r["status"] for r in doc["results"]} == {"reactor-kv-naive": "pass", "cmd-files-basic": "pass", "cmd-stdin-echo": "pass"}


def test_run_host_cli_invokes_an_export(tmp_path: Path) -> None:
    source_or_skip()
    out = tmp_path / "greet.wasm"
    r = run_cli("componentize", str(ROOT / "examples" / "greet"), "--wit", str(ROOT / "examples/greet/greet.wit"), "--world", "greeter", "-o", str(out))
    assert r.returncode == 0, r.stderr
    r = run_cli("run", "--host", "wasmtime-cli", str(out), "--invoke", "greet", "Gopher")
    assert (r.returncode, r.stdout) == (0, '"Hello, Gopher!"\n'), r.stderr
