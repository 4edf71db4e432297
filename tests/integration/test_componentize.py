"""`componentize`: one command from a Go package to a running component, and its errors."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any, Literal

import pytest
from conftest import ROOT, run_cli
from needs import source_or_skip

from patcher.core import config
from patcher.run.runner import run_component
from patcher.upstream import official
from patcher.validation.corpus import Call, Case

pytestmark = pytest.mark.go
EXAMPLES = ROOT / "examples"


def _case(kind: Literal["command", "reactor"], **kw: Any) -> Case:
    return Case(name="example", dir=EXAMPLES, summary="", kind=kind, timeout_s=60, **kw)


@pytest.mark.cargo
@pytest.mark.source
def test_hello_command_in_one_command(tmp_path: Path) -> None:
    source_or_skip()
    out = tmp_path / "hello.wasm"
    r = run_cli("componentize", str(EXAMPLES / "hello"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "companion step: go build -overlay (go-sbrk)" in r.stderr
    res = run_component(out, _case("command", args=("Gopher",)))
    assert res.ok and res.exit_code == 0
    assert res.stdout == "hello, Gopher, from a Go component\n"


@pytest.mark.cargo
@pytest.mark.source
def test_string_export_reactor_in_one_command(tmp_path: Path) -> None:
    source_or_skip()
    out = tmp_path / "greet.wasm"
    r = run_cli("componentize", str(EXAMPLES / "greet"), "--wit", str(EXAMPLES / "greet/greet.wit"), "--world", "greeter", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert b"patcher_clocks" not in out.read_bytes()  # it exports cabi_realloc: clocks inside it need the adapter's virtual clock
    calls = (Call("greet", ("Go",), "Hello, Go!", True, 1), Call("greet", ("é" * 5000,), "Hello, " + "é" * 5000 + "!", True, 200))
    res = run_component(out, _case("reactor", calls=calls))
    assert res.ok, (res.trap, res.detail)
    r = run_cli("run", str(out), "--invoke", "greet", "wasm")
    assert r.returncode == 0 and r.stdout.strip() == "'Hello, wasm!'"


def _official_reactor() -> Path:
    return official.official_adapter(config.load(), "reactor")


def _error(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode != 0
    lines = [l for l in r.stderr.splitlines() if l.startswith("patcher: error:")]
    assert len(lines) == 1, r.stderr
    return lines[0]


@pytest.mark.crates
def test_not_a_main_package(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module lib\n\ngo 1.24\n")
    (tmp_path / "lib.go").write_text("package lib\n\nfunc F() {}\n")
    line = _error(run_cli("componentize", str(tmp_path), "-o", str(tmp_path / "o.wasm"), "--adapt", str(_official_reactor())))
    assert "is package lib, not a main package" in line
    assert not (tmp_path / "o.wasm").exists()


@pytest.mark.crates
def test_package_that_does_not_build(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module broken\n\ngo 1.24\n")
    (tmp_path / "main.go").write_text("package main\n\nfunc main() { nope() }\n")
    out = tmp_path / "o.wasm"
    line = _error(run_cli("componentize", str(tmp_path), "-o", str(out), "--adapt", str(_official_reactor())))
    assert "go build of" in line and "undefined: nope" in line
    assert not out.exists()


@pytest.mark.crates
def test_wit_world_that_does_not_match_the_exports(tmp_path: Path) -> None:
    wit = tmp_path / "w.wit"
    wit.write_text("package example:greet;\n\nworld greeter {\n  export hello: func(name: string) -> string;\n}\n")
    out = tmp_path / "o.wasm"
    line = _error(run_cli("componentize", str(EXAMPLES / "greet"), "--wit", str(wit), "--world", "greeter", "-o", str(out), "--adapt", str(_official_reactor())))
    # greet's generated bindings are rebuilt from this WIT, so the missing Go function is named.
    assert "Go function Hello for WIT export hello is not defined" in line
    assert not out.exists()


@pytest.mark.crates
def test_unknown_world_and_missing_wit(tmp_path: Path) -> None:
    line = _error(run_cli("componentize", str(EXAMPLES / "greet"), "--wit", str(EXAMPLES / "greet/greet.wit"), "--world", "nosuch", "-o", str(tmp_path / "o.wasm"), "--adapt", str(_official_reactor())))
    assert "world 'nosuch' not found" in line and "(worlds: greeter)" in line
    line = _error(run_cli("componentize", str(EXAMPLES / "greet"), "--wit", str(tmp_path / "none.wit"), "-o", str(tmp_path / "o.wasm")))
    assert "none.wit not found" in line


FAST_FILES = """\
seek 7 read "world"
readat "Hello, world!" EOF
read at end 0 EOF
size 13 mode true
file "Hello, world! appended"
big 320000 equal true
readdir [e0:0 e1:1 e2:2 e3:3 e4:4]
read dir as file fails: true
"""


@pytest.mark.cargo
@pytest.mark.source
def test_go_variant_keeps_file_semantics(tmp_path: Path) -> None:
    """What go's `fast` patch changes (positional reads/writes sharing one position with seeks, fdstat from
    what open learned, ReadDir with d_ino 0) gives what `go run` prints natively. (Upstream's
    separate read and write streams print `read at end 1 <nil>` here: a stale read position.)"""
    source_or_skip()
    out = tmp_path / "fast-files.wasm"
    r = run_cli("componentize", str(ROOT / "tests/go/fast-files"), "--variant", "go", "-o", str(out))
    assert r.returncode == 0, r.stderr
    data = tmp_path / "data"
    data.mkdir()
    r = run_cli("run", str(out), "/data", "--dir", f"{data}::/data")
    assert (r.returncode, r.stdout) == (0, FAST_FILES), r.stderr
