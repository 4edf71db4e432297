"""Integration: the corpus as components. The official adapter's failure classes are detected;
the `go` variant passes everything (when the upstream source can be had to build it)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from needs import source_or_skip

from patcher.core import config
from patcher.upstream import official

pytestmark = pytest.mark.go

PRE_INIT = ("uninitialized element", "call stack exhausted", "out of bounds memory access", "wasmexport function called before runtime initialization")
CLOBBERED = ("assertion failed at adapter line", "Bad file number", "unknown handle index", "import allocator already set", "fatal error:")


def _validate(tmp: Path, *args: str) -> dict[str, Any]:
    out = tmp / "r.json"
    r = run_cli("validate", *args, "--json", str(out), "--report-only")
    assert r.returncode == 0, r.stderr[-2000:]
    doc: dict[str, Any] = json.loads(out.read_text())
    return doc


def _rows(doc: dict[str, Any], adapter: str) -> dict[str, dict[str, Any]]:
    return {r["program"]: r for r in doc["results"] if r["adapter"] == adapter}


@pytest.fixture(scope="module")
def official_doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("official")
    programs = ["cmd-hello", "cmd-files-heavy", "cmd-gc-churn", "reactor-scalars", "reactor-strings-naive", "reactor-gc-realloc-pinned"]
    args = [a for p in programs for a in ("--only", p)]
    return _validate(tmp, "--official", "--no-differential", *args)


def _official_label() -> str:
    from patcher.upstream.pin import Pin

    return f"official-{Pin.load(config.load().pin_file).official_version}"


@pytest.mark.crates
def test_official_runs_simple_programs(official_doc: dict[str, Any]) -> None:
    rows = _rows(official_doc, _official_label())
    assert rows["cmd-hello"]["status"] == "pass"
    assert rows["reactor-scalars"]["status"] == "pass"


@pytest.mark.crates
def test_detects_pre_init_reentry(official_doc: dict[str, Any]) -> None:
    row = _rows(official_doc, _official_label())["reactor-strings-naive"]
    assert row["status"] == "fail"
    assert any(s in row["detail"] for s in PRE_INIT), row["detail"]


@pytest.mark.crates
def test_detects_clobbered_adapter_state(official_doc: dict[str, Any]) -> None:
    rows = _rows(official_doc, _official_label())
    for name in ("cmd-files-heavy", "cmd-gc-churn"):
        assert rows[name]["status"] == "fail"
        assert any(s in rows[name]["detail"] for s in CLOBBERED), rows[name]["detail"]
    assert "assertion failed at adapter line" in rows["cmd-gc-churn"]["detail"]


@pytest.mark.crates
def test_detects_leaving_the_instance_in_cabi_realloc(official_doc: dict[str, Any]) -> None:
    row = _rows(official_doc, _official_label())["reactor-gc-realloc-pinned"]
    assert row["status"] == "fail"
    assert "cannot leave component instance" in row["detail"]


@pytest.fixture(scope="module")
def go_doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    source_or_skip()
    return _validate(tmp_path_factory.mktemp("go"), "--variant", "go")


@pytest.mark.cargo
@pytest.mark.source
def test_go_variant_passes_the_whole_corpus(go_doc: dict[str, Any]) -> None:
    rows = [r for r in go_doc["results"] if r["adapter"] == "go"]
    assert len(rows) >= 20
    failing = {r["program"]: r["detail"] for r in rows if r["status"] != "pass"}
    assert failing == {}
    assert {r["pipeline"] for r in rows} == {"componentize"}


@pytest.mark.cargo
@pytest.mark.source
def test_corpus_oracles_agree(go_doc: dict[str, Any]) -> None:
    """Native and wasip1-core runs of every command match the expected output: the corpus is right."""
    oracles = [r for r in go_doc["results"] if r["pipeline"] == "oracle"]
    assert oracles and all(r["status"] == "pass" for r in oracles), [r for r in oracles if r["status"] != "pass"]


@pytest.mark.cargo
@pytest.mark.source
@pytest.mark.crates
def test_go_reactor_adapter_is_drop_in(tmp_path: Path) -> None:
    """Plain `wasm-tools component new --adapt` with the go reactor adapter, no companion step:
    componentize-go's glue (pinned) including GC inside cabi_realloc, and plain Go cabi_realloc
    (naive) at instantiation, where the official adapter fails."""
    source_or_skip()
    only = ["reactor-*-pinned", "reactor-strings-naive", "reactor-kv-naive"]
    doc = _validate(tmp_path, "--variant", "go", "--pipeline", "plain", "--official", *[a for o in only for a in ("--only", o)], "--no-differential")
    go = [r for r in doc["results"] if r["adapter"] == "go-plain"]
    assert len(go) == 5 and all(r["pipeline"] == "plain" for r in go)
    assert all(r["status"] == "pass" for r in go), go
    official_rows = _rows(doc, _official_label())
    for name in ("reactor-gc-realloc-pinned", "reactor-strings-naive", "reactor-kv-naive"):
        assert official_rows[name]["status"] == "fail"


# --- bad input -------------------------------------------------------------------------------

def _one_line_error(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode != 0
    lines = [l for l in r.stderr.strip().splitlines() if l.startswith("patcher: error:")]
    assert len(lines) == 1, r.stderr
    return lines[0]


def test_unknown_program_filter() -> None:
    assert "no corpus program matches 'zzz*'" in _one_line_error(run_cli("validate", "--official", "--only", "zzz*"))


def test_missing_adapter_file(tmp_path: Path) -> None:
    (tmp_path / "wasi_snapshot_preview1.command.wasm").write_bytes(b"\0asm\1\0\0\0")
    line = _one_line_error(run_cli("validate", "--adapter-dir", str(tmp_path), "--only", "cmd-hello"))
    assert "wasi_snapshot_preview1.reactor.wasm not found" in line


def test_go_older_than_1_24_is_refused() -> None:
    line = _one_line_error(run_cli("validate", "--official", "--go", "1.23", "--only", "cmd-hello"))
    assert "Go 1.24 or newer is needed" in line


@pytest.mark.crates
def test_corpus_program_that_does_not_compile(tmp_path: Path) -> None:
    cfg = config.load()
    prog = tmp_path / "corpus" / "cmd-broken"
    prog.mkdir(parents=True)
    (prog / "go.mod").write_text("module broken\n\ngo 1.24\n")
    (prog / "main.go").write_text("package main\n\nfunc main() { undefinedThing() }\n")
    (prog / "case.toml").write_text('summary = "does not compile"\nkind = "command"\nstdout = "expected.stdout"\n')
    (prog / "expected.stdout").write_text("")
    adapters = tmp_path / "adapters"
    shutil.copytree(official.official_dir(cfg), adapters)
    r = run_cli("validate", "--adapter-dir", str(adapters), "--corpus", str(tmp_path / "corpus"), "--no-differential")
    line = _one_line_error(r)
    assert "go build of cmd-broken" in line and "undefined: undefinedThing" in line
