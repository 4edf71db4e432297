"""Go's own wasip1 builds are recognised as Go modules, with or without a build ID (the go and
noalloc adapters take only those)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from patcher.core import wasm

# A C/Rust-like module: its data starts at 1024, inside the go adapters' static stack.
NON_GO = '(module (memory (export "memory") 1) (data (i32.const 1024) "static") (func (export "_start")))'


def _parse(tmp: Path, wat: str) -> Path:
    out = tmp / "core.wasm"
    out.write_bytes(wasm.wasm_tools("parse", "-", "-o", "/dev/stdout", input=wat.encode()))
    return out


@pytest.mark.go
def test_go_modules_are_recognised_also_without_a_build_id(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module x\n\ngo 1.24\n")
    (tmp_path / "main.go").write_text("package main\n\nfunc main() { println(1) }\n")
    env = {**os.environ, "GOOS": "wasip1", "GOARCH": "wasm", "GOTOOLCHAIN": "local"}
    for name, flags in (("a.wasm", []), ("b.wasm", ["-ldflags=-s -w -buildid="])):
        subprocess.run(["go", "build", *flags, "-o", name, "."], cwd=tmp_path, env=env, check=True)
        assert wasm.is_go_module((tmp_path / name).read_bytes()), name
    assert not wasm.is_go_module((_parse(tmp_path, NON_GO)).read_bytes())
