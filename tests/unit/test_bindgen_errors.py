"""`patcher bindgen`'s refusals: a WIT file, world or item it cannot turn into Go bindings is one line, nothing written."""

from __future__ import annotations

from pathlib import Path
from subprocess import CompletedProcess

from conftest import ROOT, run_cli

ALLTYPES = ROOT / "patcher" / "corpus" / "reactor-bindgen-alltypes"


def _error(r: CompletedProcess[str]) -> str:
    assert r.returncode != 0
    lines = [l for l in r.stderr.splitlines() if l.startswith("patcher: error:")]
    assert len(lines) == 1, r.stderr
    return lines[0]


def test_bad_wit_unknown_world_and_unsupported_items(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wit"
    bad.write_text("package a:b;\nworld w {\n  export f: func(x: nosuch) -> u32;\n}\n")
    r = run_cli("bindgen", "--wit", str(bad), "--world", "w", "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "bad.wit: name `nosuch` does not exist" in _error(r)
    r = run_cli("bindgen", "--wit", str(ALLTYPES / "world.wit"), "--world", "nope", "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "world 'nope' not found" in _error(r) and "alltypes" in _error(r)
    res = tmp_path / "res.wit"
    res.write_text("package a:b;\nworld w {\n  resource r { constructor(); }\n  export f: func(x: r) -> u32;\n}\n")
    r = run_cli("bindgen", "--wit", str(res), "--world", "w", "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "WIT resource r (in w) is world-level; bindgen supports resources of interfaces only" in _error(r)
    flags = ", ".join(f"flag{i}" for i in range(33))
    res.write_text(f"package a:b;\nworld w {{\n  flags many {{ {flags} }}\n  export f: func(x: many);\n}}\n")
    r = run_cli("bindgen", "--wit", str(res), "--world", "w", "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "cannot have more than 32 flags" in _error(r)
    assert not (tmp_path / "out").exists()


def test_import_and_export_names_that_clash_are_refused(tmp_path: Path) -> None:
    wit = tmp_path / "w.wit"
    wit.write_text("package a:b;\nworld w {\n  export ok: func() -> u32;\n}\n")
    r = run_cli("bindgen", "--wit", str(wit), "--world", "w", "-o", str(tmp_path))
    assert r.returncode == 2 and "WIT export ok and the bindings' helper Ok both map to Go name Ok" in _error(r)
