"""Harness pieces that need no Go and no cargo: trap parsing, judging, reports, corpus loading."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from patcher.core import config
from patcher.core.errors import PatcherError
from patcher.run.runner import RunResult
from patcher.run.traps import parse_trap
from patcher.validation import corpus, report
from patcher.validation.corpus import Case
from patcher.validation.judge import judge
from patcher.validation.results import Result

TRAP = """error while executing at wasm backtrace:
    0: 0x2c2f1a - wit-component:shim!indirect-wasi:io/streams@0.2.12-[method]output-stream.blocking-write-and-flush
    1: 0x2bd4a5 - wit-component:adapter:wasi_snapshot_preview1!<wasi_snapshot_preview1::OutputStream>::blocking_write_and_flush
    2: 0x2bfa75 - wit-component:adapter:wasi_snapshot_preview1!fd_write
    3: 0x166c1c - <unknown>!syscall.fd_write
    4: 0x1b0a26 - <unknown>!main.main
    5: 0x1378db - <unknown>!wasm_pc_f_loop

Caused by:
    unknown handle index 4294967295
"""


def test_parse_trap_finds_cause_and_innermost_frames() -> None:
    first, frames = parse_trap(TRAP)
    assert first == "unknown handle index 4294967295"
    assert frames == {"adapter": "<wasi_snapshot_preview1::OutputStream>::blocking_write_and_flush", "go": "syscall.fd_write"}


def _case(**kw: Any) -> Case:
    base: dict[str, Any] = dict(name="p", dir=Path("."), summary="", kind="command", stdout="a\nb\n", exit_code=0)
    base.update(kw)
    return Case(**base)


def test_judge_pass_and_each_failure_kind() -> None:
    ok = RunResult(ok=True, exit_code=0, stdout="a\nb\n", stderr="")
    assert judge(_case(), ok) == ("pass", "")
    status, detail = judge(_case(), RunResult(ok=True, exit_code=0, stdout="a\nc\n", stderr=""))
    assert status == "fail" and "stdout line 2" in detail
    status, detail = judge(_case(), RunResult(ok=False, exit_code=None, stdout="", stderr="assertion failed at adapter line 2857", trap="wasm trap: unreachable", frames={"adapter": "clock_time_get"}))
    assert status == "fail" and "in adapter clock_time_get" in detail and "assertion failed at adapter line 2857" in detail
    status, detail = judge(_case(stderr_contains=("panic: boom",)), ok)
    assert status == "fail" and "stderr lacks" in detail


def test_component_exit_codes_are_ok_or_err() -> None:
    """WASI 0.2 exit carries ok/err only: exit 3 through a component is exit 1; natively it stays 3."""
    case = _case(exit_code=3, stdout=None)
    assert judge(case, RunResult(ok=True, exit_code=1, stdout="", stderr=""), component=True)[0] == "pass"
    assert judge(case, RunResult(ok=True, exit_code=1, stdout="", stderr=""), component=False)[0] == "fail"
    assert judge(case, RunResult(ok=True, exit_code=3, stdout="", stderr=""), component=False)[0] == "pass"


def test_reports_json_and_markdown() -> None:
    results = [
        Result("cmd-a", "command", "official-48.0.0", "1.26.8", "pass"),
        Result("cmd-a", "command", "go", "1.26.8", "pass", pipeline="componentize"),
        Result("cmd-b", "command", "official-48.0.0", "1.26.8", "fail", "wasm trap: cannot leave component instance"),
        Result("cmd-b", "command", "go", "1.26.8", "error", "go build failed"),
    ]
    doc = json.loads(report.to_json(results, pin={"tag": "v48.0.0", "commit": "f" * 40}))
    assert doc["toolkit"]["name"] == "patcher" and doc["pin"]["tag"] == "v48.0.0"
    assert {r["status"] for r in doc["results"]} == {"pass", "fail", "error"}
    assert set(doc["results"][0]) >= {"program", "kind", "adapter", "go", "status", "detail"}
    md = report.to_markdown(results, pin={"tag": "v48.0.0", "commit": "f" * 40})
    assert "| cmd-b | command | ❌ [1] | ⚠️ [2] |" in md
    assert "1. wasm trap: cannot leave component instance" in md
    assert report.summary(results)["official-48.0.0"] == {"pass": 1, "fail": 1, "error": 0, "xfail": 0, "skip": 0}


def test_shipped_corpus_covers_the_issue() -> None:
    cases = corpus.load(config.load().corpus_dir)
    assert len(cases) >= 20
    assert {c.realloc for c in cases if c.kind == "reactor"} == {"none", "naive", "pinned", "bindgen"}
    assert sum(c.kind == "command" for c in cases) >= 10
    for c in cases:
        assert c.summary, c.name
        if c.kind == "command":
            assert c.stdout is not None, f"{c.name} needs expected stdout"
        else:
            assert c.calls or c.host, f"{c.name} needs calls or a host module"
    bg = next(c for c in cases if c.name == "reactor-bindgen-alltypes")
    assert bg.bindgen and bg.host and bg.host.name == "host.py" and not list(bg.dir.glob("*_bindings.go"))  # generated at build time
    env = next(c for c in cases if c.name == "cmd-env-generated")
    assert len(env.env) >= 1000


def test_unknown_program_filter_is_an_error() -> None:
    with pytest.raises(PatcherError, match="no corpus program matches 'nope-\\*'"):
        corpus.load(config.load().corpus_dir, ["nope-*"])
