"""`componentize --wit W --world X` on a package without `<world>_bindings.go`: the bindings are
generated through the overlay (the package untouched); where bindings are the cause of an
error, the error names `patcher bindgen`; hints name the Go package, also for `componentize .`;
`patcher run` names an import it cannot provide."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, one_line_error, run_cli
from needs import source_or_skip

from patcher.core import config
from patcher.upstream import official

EXAMPLES = ROOT / "examples"

WORLD = """\
package example:render;

world renderer {
  import log: func(line: string);
  export render: func(name: string) -> string;
}
"""


def _error(r: subprocess.CompletedProcess[str]) -> str:
    """The one `patcher: error:` line of a failed componentize (after its progress lines)."""
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    lines = [l for l in r.stderr.splitlines() if l.startswith("patcher: error:")]
    assert len(lines) == 1, r.stderr
    return lines[0]


def _files(pkg: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(pkg.iterdir())}


@pytest.mark.go
@pytest.mark.cargo
@pytest.mark.source
def test_bindings_generated_when_missing_and_run_names_a_missing_import(tmp_path: Path) -> None:
    """Before: `undefined: Log (fix the Go compile error)`; run: `trap: function implementation is missing`."""
    source_or_skip()
    pkg = tmp_path / "inventory"
    shutil.copytree(EXAMPLES / "inventory", pkg)
    (pkg / "inventory_bindings.go").unlink()  # the package calls Log, an import, and implements the exports
    before = _files(pkg)
    out = tmp_path / "inventory.wasm"
    r = run_cli("componentize", str(pkg), "--wit", str(pkg / "inventory.wit"), "--world", "inventory", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "bindings: inventory_bindings.go generated from inventory.wit (the package has none: an overlay, your files are untouched)" in r.stderr
    assert _files(pkg) == before
    line = one_line_error(run_cli("run", str(out), "--invoke", "value-cents"), 2)
    assert "inventory.wasm imports function log, which no host here implements: `patcher run` provides only WASI 0.2" in line, line


@pytest.mark.crates
def test_hint_names_the_go_package_for_componentize_dot(tmp_path: Path) -> None:
    """Before: ``define `func Greet(name string) string` in package`` (the name of `.`)."""
    pkg = tmp_path / "greet"
    shutil.copytree(EXAMPLES / "greet", pkg)
    (pkg / "greeter_bindings.go").unlink()
    main = pkg / "main.go"
    main.write_text(main.read_text().replace("func Greet(", "func Hello("))
    adapter = official.official_adapter(config.load(), "reactor")
    r = run_cli("componentize", ".", "--wit", "greet.wit", "--world", "greeter", "-o", str(tmp_path / "o.wasm"), "--adapt", str(adapter), cwd=pkg)
    line = _error(r)
    assert "Go function Greet for WIT export greet is not defined" in line and "define `func Greet(name string) string` in package main" in line, line
    assert not (tmp_path / "o.wasm").exists() and not (pkg / "greeter_bindings.go").exists()


OWN_GLUE = """\
package main

import "unsafe"

//go:wasmexport {export}
func render(p unsafe.Pointer, n uint32) uint32 {{
	{body}
	return n
}}

func main() {{}}
"""


@pytest.mark.crates
@pytest.mark.parametrize("export, body, message", [
    ("render", 'Log("rendering")', "undefined: Log: the package uses the Go bindings of WIT world renderer but has no renderer_bindings.go"),
    ("draw", "_ = p", "failed to find export of function `render`"),
])
def test_errors_caused_by_missing_bindings_name_bindgen(tmp_path: Path, export: str, body: str, message: str) -> None:
    """A package with glue of its own gets no generated bindings; what it lacks is said with the bindgen command."""
    pkg = tmp_path / "render"
    pkg.mkdir()
    (pkg / "go.mod").write_text("module render\n\ngo 1.24\n")
    (pkg / "main.go").write_text(OWN_GLUE.format(export=export, body=body))
    wit = pkg / "world.wit"
    wit.write_text(WORLD)
    adapter = official.official_adapter(config.load(), "reactor")
    r = run_cli("componentize", str(pkg), "--wit", str(wit), "--world", "renderer", "-o", str(tmp_path / "o.wasm"), "--adapt", str(adapter))
    line = _error(r)
    assert message in line and f"patcher bindgen --wit {wit} --world renderer" in line, line
    assert not (tmp_path / "o.wasm").exists() and sorted(p.name for p in pkg.iterdir()) == ["go.mod", "main.go", "world.wit"]
