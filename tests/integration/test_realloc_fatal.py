"""A Go `cabi_realloc` that dies, and one run too early: the trap names the cause.

Inside `cabi_realloc` (while the host lowers arguments) nothing can reach the host, so a panic,
`os.Exit`, `log.Fatal` or a runtime throw there traps in the `go` adapter's
`patcher_noleave_exit_inside_cabi_realloc_output_lost` (docs/failures.md, 3b) instead of Go's bare
`runtime.abort`. The plain pipeline (`wasm-tools component new --adapt` with the go reactor adapter,
no componentize), on a `fmt`-importing reactor whose Go-heap `cabi_realloc` is called for the
adapter's State before its package variables exist, traps in
`patcher_use_patcher_componentize_go_runtime_not_initialized` and says so on stderr.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime
from conftest import ROOT, run_cli
from needs import source_or_skip
from wasmtime import component as C

from patcher.core import wasm
from patcher.golang import gobuild, gotool
from patcher.patching.project import Project

GO = ROOT / "tests" / "go"
OUTPUT_LOST = "patcher_noleave_exit_inside_cabi_realloc_output_lost"
TOO_EARLY = "patcher_use_patcher_componentize_go_runtime_not_initialized"


@pytest.fixture(scope="module")
def fatal(tmp_path_factory: pytest.TempPathFactory) -> tuple[wasmtime.Engine, C.Component]:
    source_or_skip()
    pkg = GO / "realloc-fatal"
    out = tmp_path_factory.mktemp("fatal") / "fatal.wasm"
    r = run_cli("componentize", str(pkg), "--wit", str(pkg / "world.wit"), "--world", "reallocfatal", "-o", str(out))
    assert r.returncode == 0, r.stderr
    engine = wasmtime.Engine()
    return engine, C.Component.from_file(engine, str(out))


def _call(engine: wasmtime.Engine, comp: C.Component, tmp: Path, mode: int, *, state_first: bool) -> tuple[str, str]:
    """(trap text, stderr) of `work` with 6,666 bytes after `arm(mode)`, on a fresh instance."""
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.stderr_file = str(tmp / "stderr")
    wasi.stdout_file = str(tmp / "stdout")
    store.set_wasi(wasi)
    linker = C.Linker(engine)
    linker.add_wasip2()
    inst = linker.instantiate(store, comp)

    def func(name: str) -> C.Func:
        f = inst.get_func(store, name)
        assert f is not None, name
        return f

    if state_first:
        func("hello")(store)  # the adapter's State exists before the window
    func("arm")(store, mode)
    with pytest.raises(wasmtime.WasmtimeError) as e:
        func("work")(store, "x" * 6666)
    return str(e.value), (tmp / "stderr").read_text()


@pytest.mark.go
@pytest.mark.cargo
@pytest.mark.source
@pytest.mark.parametrize("state_first", [False, True], ids=["before-state", "after-state"])
@pytest.mark.parametrize("mode, how, go_frame", [
    (1, "panic", "runtime.printpanics"),
    (2, "os.Exit", "os.Exit"),
    (3, "log.Fatal", "log.Fatalf"),
    (4, "throw", "runtime.fatal"),
])
def test_death_inside_cabi_realloc_traps_in_the_named_function(fatal: tuple[wasmtime.Engine, C.Component], tmp_path: Path, mode: int,
                                                              how: str, go_frame: str, state_first: bool) -> None:
    engine, comp = fatal
    trap, stderr = _call(engine, comp, tmp_path, mode, state_first=state_first)
    frames = [l.strip() for l in trap.splitlines() if " - " in l]
    assert OUTPUT_LOST in frames[0], (how, trap[:1500])
    assert any(f"!{go_frame}" in f for f in frames) and any("!main.cabiRealloc" in f for f in frames), (how, trap[:1500])
    assert stderr == ""  # nothing can be written while the host lowers arguments


@pytest.mark.go
@pytest.mark.cargo
@pytest.mark.source
def test_panic_outside_the_window_still_prints(fatal: tuple[wasmtime.Engine, C.Component], tmp_path: Path) -> None:
    engine, comp = fatal
    trap, stderr = _call(engine, comp, tmp_path, 5, state_first=False)
    assert OUTPUT_LOST not in trap and "runtime.abort" in trap
    assert stderr.startswith("panic: work got 6666 bytes\n\ngoroutine 1 [running]:\nmain.work("), stderr[:300]


def _plain_component(tmp: Path) -> Path:
    """The plain pipeline: go build -buildmode=c-shared (no overlay), component embed, component new --adapt."""
    cfg = source_or_skip()
    project = Project(cfg)
    r = run_cli("build", "--variant", "go", "--kind", "reactor", "--out", str(tmp / "adapters"))
    assert r.returncode == 0, r.stderr
    adapter = tmp / "adapters" / "wasi_snapshot_preview1.reactor.wasm"
    pkg = GO / "plain-realloc"
    go = gotool.resolve("go", project.cfg.cache_dir)
    core = gobuild.build(pkg, go, kind="reactor", cache_dir=project.cfg.cache_dir, label="plain-realloc")
    embedded, comp = tmp / "embedded.wasm", tmp / "plain.wasm"
    wasm.wasm_tools("component", "embed", str(pkg / "world.wit"), "--world", "plainrealloc", str(core), "-o", str(embedded))
    wasm.wasm_tools("component", "new", str(embedded), "--adapt", f"wasi_snapshot_preview1={adapter}", "-o", str(comp))
    return comp


def _instantiate(comp: Path, tmp: Path) -> tuple[wasmtime.Store, C.Instance]:
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.stderr_file = str(tmp / "stderr")
    wasi.stdout_file = str(tmp / "stdout")
    store.set_wasi(wasi)
    linker = C.Linker(engine)
    linker.add_wasip2()
    return store, linker.instantiate(store, C.Component.from_file(engine, str(comp)))


@pytest.mark.go
@pytest.mark.cargo
@pytest.mark.source
def test_plain_pipeline_realloc_before_package_init_names_componentize(tmp_path: Path) -> None:
    """Upstream and the go adapter before: `assertion failed at adapter line N` at instantiation."""
    with pytest.raises(wasmtime.WasmtimeError) as e:
        _instantiate(_plain_component(tmp_path), tmp_path)
    frames = [l.strip() for l in str(e.value).splitlines() if " - " in l]
    assert TOO_EARLY in frames[0] and any("!main.cabiRealloc" in f for f in frames), str(e.value)[:1500]
    stderr = (tmp_path / "stderr").read_text()
    assert "use `patcher componentize`" in stderr and "assertion failed" not in stderr, stderr


@pytest.mark.go
@pytest.mark.cargo
@pytest.mark.source
def test_componentize_runs_the_same_reactor(tmp_path: Path) -> None:
    source_or_skip()
    pkg, out = GO / "plain-realloc", tmp_path / "c.wasm"
    r = run_cli("componentize", str(pkg), "--wit", str(pkg / "world.wit"), "--world", "plainrealloc", "-o", str(out))
    assert r.returncode == 0, r.stderr
    store, inst = _instantiate(out, tmp_path)
    work = inst.get_func(store, "work")
    assert work is not None
    assert work(store, "héllo" * 2000) == 12000 and work(store, "abc") == 3
    assert (tmp_path / "stdout").read_text() == 'work: 12000 bytes, first "hé"\nwork: 3 bytes, first "abc"\n'
