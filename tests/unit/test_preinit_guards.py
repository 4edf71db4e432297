"""`--preinit` without Go: which imports are guarded while wizer runs, the guard modules, the
import moves (binary edits that must round-trip), and the one-line refusal read from a trap."""

from __future__ import annotations

import pytest

from patcher.component import preinit
from patcher.core import wasm
from patcher.core.errors import PatcherError

MODULE = """(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "adapter_monotonic_clock_set_paused" (func (param i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func (param i32 i32) (result i32)))
  (import "$root" "fetch" (func (param i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "_initialize"))
  (func (export "patcher_preinit_restore"))
  (func (export "probe") (param f64) (result f64) local.get 0))
"""


@pytest.fixture(scope="module")
def module() -> bytes:
    return wasm.wasm_tools("parse", "-", input=MODULE.encode())


def test_function_imports_and_exports_are_read_from_the_binary(module: bytes) -> None:
    imports = wasm.function_imports(module)
    assert imports[0] == ("wasi_snapshot_preview1", "clock_time_get", ("i32", "i64", "i32"), ("i32",))
    assert imports[3] == ("wasi_snapshot_preview1", "adapter_monotonic_clock_set_paused", ("i32",), ())
    assert imports[5] == ("$root", "fetch", ("i32", "i32", "i32"), ())
    assert wasm.function_exports(module) == ["_initialize", "patcher_preinit_restore", "probe"]


def test_rename_export_renames_one_and_keeps_the_module_valid(module: bytes) -> None:
    renamed = wasm.rename_export(module, "_initialize", "patcher_preinit_init")
    assert wasm.function_exports(renamed) == ["patcher_preinit_init", "patcher_preinit_restore", "probe"]
    wasm.wasm_tools("validate", "-", input=renamed)
    with pytest.raises(wasm.InvalidWasm):
        wasm.rename_export(module, "nope", "x")


def test_guarded_imports_are_the_refused_calls_the_stubs_and_every_host_import(module: bytes) -> None:
    gs = preinit.guards(module)
    assert [(g.module, g.name, g.body is None) for g in gs] == [
        ("wasi_snapshot_preview1", "path_open", True), ("wasi_snapshot_preview1", "fd_read", True),
        ("wasi_snapshot_preview1", "adapter_monotonic_clock_set_paused", False), ("wasi_snapshot_preview1", "fd_fdstat_set_flags", False),
        ("$root", "fetch", True)]
    assert "clock_time_get" not in {g.name for g in gs}  # answered by wasmtime's WASI; the restore hook re-bases it


def test_guard_modules_parse_and_export_each_guarded_import_with_its_type(module: bytes) -> None:
    gs = preinit.guards(module)
    mods = preinit.guard_modules(gs)
    assert set(mods) == {"patcher-preinit/wasi_snapshot_preview1", "patcher-preinit/$root"}
    for name, text in mods.items():
        binary = wasm.wasm_tools("parse", "-", input=text.encode())
        iface = wasmtime_exports(binary)
        for g in gs:
            if preinit.GUARD_PREFIX + g.module == name:
                assert iface[g.name] == (g.params, g.results)
    assert "unreachable" in mods["patcher-preinit/$root"]
    assert "i32.const 8" in mods["patcher-preinit/wasi_snapshot_preview1"]  # EBADF for fd_fdstat_set_flags, as the adapter on stdio


def wasmtime_exports(binary: bytes) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    import wasmtime

    m = wasmtime.Module(wasmtime.Engine(), binary)
    out = {}
    for e in m.exports:
        t = e.type
        assert isinstance(t, wasmtime.FuncType)
        out[e.name] = (tuple(str(p) for p in t.params), tuple(str(r) for r in t.results))
    return out


def test_moving_imports_round_trips_byte_for_byte(module: bytes) -> None:
    gs = preinit.guards(module)
    moved = preinit.move_imports(module, gs, back=False)
    assert moved != module
    mods = {m for m, _n, _p, _r in wasm.function_imports(moved)}
    assert mods == {"wasi_snapshot_preview1", "patcher-preinit/wasi_snapshot_preview1", "patcher-preinit/$root"}
    assert preinit.move_imports(moved, gs, back=True) == module


STDERR = """Error: failed to run main module `main.wasm`

Caused by:
    0: failed to invoke `patcher_preinit_init`
    1: error while executing at wasm backtrace:
           0:     0x9b - <unknown>!patcher_preinit_refused_0
           1: 0x14586a - <unknown>!syscall.path_open
           2: 0x147aa2 - <unknown>!syscall.openat
           3: 0x15fe03 - <unknown>!os.ReadFile
           4: 0x163adb - <unknown>!github.com_acme_conf.Load
           5: 0x163adb - <unknown>!main.init.0
           6:  0xd5457 - <unknown>!runtime.doInit1
    2: wasm trap: wasm `unreachable` instruction executed
"""


def test_a_guard_trap_becomes_one_line_naming_the_call_and_the_program_s_function(module: bytes) -> None:
    gs = preinit.guards(module)
    err = preinit.refusal(STDERR, gs)
    assert isinstance(err, PatcherError)
    assert err.one_line().startswith("--preinit: init() in main.init.0 calls path_open (opens or inspects a file), which a snapshot cannot keep")
    library_only = STDERR.replace("main.init.0", "runtime.doInit1")
    err = preinit.refusal(library_only, gs)
    assert err is not None and "init() in github.com_acme_conf.Load calls path_open" in err.one_line()
    host = STDERR.replace("patcher_preinit_refused_0", "patcher_preinit_refused_4")
    err = preinit.refusal(host, gs)
    assert err is not None and "calls the host import $root.fetch" in err.one_line()
    assert preinit.refusal("Error: wasm trap: out of bounds memory access", gs) is None


def test_data_segments_merge_into_the_same_memory_image() -> None:
    import wasmtime

    text = '(module (memory (export "memory") 1) (data (i32.const 16) "ab") (data (i32.const 20) "cd") (data (i32.const 4000) "ef"))'
    module = wasm.wasm_tools("parse", "-", input=text.encode())
    assert wasm.merge_data_segments(module, limit=3) == module  # within the limit: untouched
    merged = wasm.merge_data_segments(module, limit=1)
    assert merged.count(b"cd") == 1 and len(merged) > len(module)  # one segment, the gaps filled with zeros
    images = []
    for m in (module, merged):
        store = wasmtime.Store()
        inst = wasmtime.Instance(store, wasmtime.Module(store.engine, m), [])
        mem = inst.exports(store)["memory"]
        assert isinstance(mem, wasmtime.Memory)
        images.append(bytes(mem.read(store, 0, 4096)))
    assert images[0] == images[1]


def test_leading_passive_segments_keep_their_indices() -> None:
    text = '(module (memory 1) (func data.drop 1) (data "") (data "") (data (i32.const 16) "ab") (data (i32.const 20) "cd"))'
    module = wasm.wasm_tools("parse", "-", input=text.encode())
    merged = wasm.merge_data_segments(module, limit=3)
    printed = wasm.wasm_tools("print", "-", input=merged).decode()
    assert printed.count('(data (;0;) "")') == 1 and printed.count('(data (;1;) "")') == 1
    assert '(data (;2;) (i32.const 16) "ab\\00\\00cd")' in printed


def test_more_passive_segments_than_the_limit_still_ends_merged() -> None:
    # wizer leaves the original segments as empty passive ones: once they alone exceed `limit`, the
    # merge must still end (it looped forever), with the active segments in as few runs as needed.
    text = ('(module (memory 1) (func i32.const 0 i32.const 0 i32.const 0 memory.init 2) (data "") (data "") (data "")'
            ' (data (i32.const 16) "ab") (data (i32.const 2000) "cd") (data (i32.const 60000) "ef"))')
    module = wasm.wasm_tools("parse", "-", input=text.encode())
    merged = wasm.merge_data_segments(module, limit=2)
    printed = wasm.wasm_tools("print", "-", input=merged).decode()
    data = [l.strip() for l in printed.splitlines() if l.strip().startswith("(data")]
    assert [d.split(";)")[1] for d in data[:3]] == [' "")'] * 3  # the passive ones kept, first
    assert 1 <= len(data) - 3 <= 2
    wasm.wasm_tools("validate", "-", input=merged)


def test_empty_passive_segments_no_instruction_names_are_dropped() -> None:
    # A snapshot of a Go module that already had Go's 100,000 segments: its empty passive ones
    # alone reach wasm-tools' limit, and Go's code never uses memory.init or data.drop.
    body = "i32.const 0 i32.const 0 i32.const 8 memory.fill"  # 0xfc 0x0b: bulk memory, but no segment index
    text = f'(module (memory 1) (func {body}) (data "") (data "") (data (i32.const 16) "ab") (data (i32.const 4000) "cd"))'
    module = wasm.wasm_tools("parse", "-", input=text.encode())
    merged = wasm.merge_data_segments(module, limit=1)
    printed = wasm.wasm_tools("print", "-", input=merged).decode()
    assert printed.count("(data (;") == 1 and '(data (;0;) (i32.const 16) "ab' in printed
    wasm.wasm_tools("validate", "-", input=merged)
