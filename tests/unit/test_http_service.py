"""wasi:http services without Go or a host: bindgen of imported wasi:* interfaces, the wasihttp
module's GOPROXY layout, and the one-line refusals of componentize and serve."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import one_line_error, run_cli

from patcher.bindgen import model
from patcher.bindgen.render import output_file, render
from patcher.component import componentize, gohttp
from patcher.core import wasm
from patcher.core.errors import UsageError
from patcher.run import serve

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "bindgen"

IO_WIT = """package wasi:io@0.2.0;
interface poll {
  resource pollable {
    ready: func() -> bool;
    block: func();
  }
}
interface streams {
  use poll.{pollable};
  resource input-stream {
    read: func(len: u64) -> result<list<u8>, stream-error>;
    subscribe: func() -> pollable;
  }
  variant stream-error { last-operation-failed(string), closed }
}
"""
APP_WIT = """package t:app;
world svc {
  import wasi:io/streams@0.2.0;
  export run: func(n: u32) -> u32;
}
"""


def _wit(tmp_path: Path) -> Path:
    (tmp_path / "deps" / "io").mkdir(parents=True)
    (tmp_path / "deps" / "io" / "io.wit").write_text(IO_WIT)
    (tmp_path / "app.wit").write_text(APP_WIT)
    return tmp_path


def test_bindgen_renders_imported_wasi_interfaces_with_resources(tmp_path: Path) -> None:
    wit = _wit(tmp_path)
    w = model.load(wit, "t:app/svc")  # a package-qualified world name
    assert w.name == "svc"
    resources = {t.name: t.imported_by for t in w.types if t.kind == "resource"}
    assert resources == {"pollable": "wasi:io/poll@0.2.0", "input-stream": "wasi:io/streams@0.2.0"}
    text = render(w, package="p", source="app.wit", templates_dir=TEMPLATES)
    assert "//go:wasmimport wasi:io/streams@0.2.0 [method]input-stream.read\n" in text
    assert "func (self InputStream) Read(len uint64) Result[[]uint8, StreamError] {" in text
    # A `use`d resource returned by a method lifts to the defining interface's Go type.
    assert "func (self InputStream) Subscribe() Pollable {" in text
    assert "//go:wasmimport wasi:io/poll@0.2.0 [resource-drop]pollable\n" in text
    assert output_file(tmp_path, "t:app/svc@1.0.0") == tmp_path / "svc_bindings.go"
    with pytest.raises(UsageError, match="world 't:app/other' not found"):
        model.load(wit, "t:app/other")


def test_wasihttp_module_zip_layout() -> None:
    files = {"go.mod": b"module patcher.dev/wasihttp\n", "a.go": b"package wasihttp\n"}
    data = gohttp._zip(files, "v0.0.0-20260101000000-abcdefabcdef")
    import io

    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == ["patcher.dev/wasihttp@v0.0.0-20260101000000-abcdefabcdef/a.go", "patcher.dev/wasihttp@v0.0.0-20260101000000-abcdefabcdef/go.mod"]
    shipped = {p.name for p in gohttp.SOURCE.rglob("*.go")}
    assert {"serve_wasip1.go", "serve_other.go", "transport_wasip1.go", "hook.go"} <= shipped


def test_proxy_world_names() -> None:
    assert componentize.is_proxy_world("wasi:http/proxy") and componentize.is_proxy_world("wasi:http/proxy@0.2.12")
    assert not componentize.is_proxy_world("wasi:cli/command") and not componentize.is_proxy_world(None)


def test_addr_parsing() -> None:
    assert serve.parse_addr("127.0.0.1:8080") == ("127.0.0.1", 8080)
    assert serve.parse_addr(":0") == ("127.0.0.1", 0)
    for bad in ("8080", "host:x", "h:70000"):
        with pytest.raises(UsageError, match="is not HOST:PORT"):
            serve.parse_addr(bad)


def _pkg(tmp_path: Path, imports_wasihttp: bool) -> Path:
    pkg = tmp_path / "svc"
    pkg.mkdir()
    (pkg / "go.mod").write_text("module example.com/svc\n\ngo 1.24\n")
    imp = 'import _ "patcher.dev/wasihttp"\n' if imports_wasihttp else 'import _ "net/http"\n'
    (pkg / "main.go").write_text(f"package main\n\n{imp}\nfunc main() {{}}\n")
    return pkg


def test_componentize_refuses_package_without_handler_and_non_proxy_worlds(tmp_path: Path) -> None:
    pkg = _pkg(tmp_path, imports_wasihttp=False)
    out = tmp_path / "app.wasm"
    line = one_line_error(run_cli("componentize", str(pkg), "--world", "wasi:http/proxy", "-o", str(out)), 2)
    assert "has no HTTP handler: no Go file imports patcher.dev/wasihttp" in line
    line = one_line_error(run_cli("componentize", str(pkg), "--world", "wasi:cli/command", "-o", str(out)), 2)
    assert "world wasi:cli/command is not a proxy world" in line
    assert not out.exists()


def _component(tmp_path: Path, wit: str, world: str) -> Path:
    (tmp_path / "w.wit").write_text(wit)
    core = tmp_path / "core.wasm"
    wasm.wasm_tools("component", "embed", "--dummy", str(tmp_path / "w.wit"), "--world", world, "-o", str(core))
    comp = tmp_path / "c.wasm"
    wasm.wasm_tools("component", "new", str(core), "-o", str(comp))
    return comp


def test_serve_refuses_commands_and_non_components(tmp_path: Path) -> None:
    cmd = _component(tmp_path, "package wasi:cli@0.2.0;\ninterface run { run: func() -> result; }\nworld command { export run; }\n", "command")
    line = one_line_error(run_cli("serve", str(cmd), "--addr", "127.0.0.1:0"), 2)
    assert "is a command component (exports wasi:cli/run); serve needs one that exports wasi:http/incoming-handler" in line
    core = tmp_path / "core.wasm"
    line = one_line_error(run_cli("serve", str(core)), 2)
    assert "is a core wasm module, not a component" in line
    exports = serve.exports(cmd)
    assert exports == ["wasi:cli/run@0.2.0"]
