"""Companion step `direct-clocks`: which modules get it, the binary import move, the clocks
adapter's answers against upstream's (a Go program's clocks through it: integration/test_direct_clocks_go.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import wasmtime

from patcher.component import direct_clocks
from patcher.core import config, wasm
from patcher.core.errors import PatcherError
from patcher.patching.project import Project


def _low_memory_end() -> int:
    """The end of the low memory the Go linker leaves free, as the noalloc patch spec gives it (patches/noalloc.toml)."""
    end = Project(config.load()).variant("go").low_memory_end
    assert end is not None
    return end


LOW_MEMORY_END = _low_memory_end()

U64 = (1 << 64) - 1
MODULE = """(module
  (type $t (func (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (type $t)))
  (import "env" "table" (table 1 2 funcref))
  (import "env" "g" (global i32))
  (import "other" "clock_time_get" (func $other (type $t)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock2 (type $t)))
  (import "env" "mem" (memory 1 100))
  (func $f (result i32) i32.const 0 i64.const 0 i32.const 0 call $clock)
  (func $g (result i32) i32.const 1 i64.const 0 i32.const 8 call $clock2)
  (export "f" (func $f))
  (export "g" (func $g)))
"""


def test_import_move_changes_module_names_only() -> None:
    data = wasm.wasm_tools("parse", "-", "-o", "/dev/stdout", input=MODULE.encode())
    moved, n = wasm.rename_import_module(data, frozenset({"clock_time_get"}), "wasi_snapshot_preview1", "patcher_clocks")
    assert n == 2
    wasm.wasm_tools("validate", "-", input=moved)
    before = wasm.wasm_tools("print", "-", input=data).decode()
    after = wasm.wasm_tools("print", "-", input=moved).decode()
    assert after.count('"patcher_clocks" "clock_time_get"') == 2
    assert '"other" "clock_time_get"' in after  # another module's import of the same name stays
    # Same indices, same bodies: the texts differ in the two import lines only.
    diff = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert [b.replace("patcher_clocks", "wasi_snapshot_preview1") for _, b in diff] == [a for a, _ in diff] and len(diff) == 2


def test_import_move_refuses_what_is_not_a_core_module() -> None:
    with pytest.raises(PatcherError, match="not a core wasm module"):
        wasm.rename_import_module(b"\0asm\x0d\0\x01\0", frozenset({"x"}), "a", "b")


# The shape of a Go module, for the decision: read from the binary as `apply` reads it.
GO_MODULE = """(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32) (result i32)))
  {imports}
  (memory 1)
  (func $_rt0_wasm_wasip1)
  (func $main.cabi_realloc (param i32 i32 i32 i32) (result i32) i32.const 0)
  (export "_start" (func $_rt0_wasm_wasip1))
  {exports}
  (data (i32.const 28579) "go")
  {data}
  {custom})
"""


def _go_module(*, imports: str = "", exports: str = "", data: str = "", go: bool = True, clock: bool = True) -> bytes:
    text = GO_MODULE.format(imports=imports, exports=exports, data=data, custom='(@custom "go:buildid" "b")' if go else "")
    if not clock:
        text = text.replace("clock_time_get", "sched_yield")
    return wasm.wasm_tools("parse", "-", "-o", "/dev/stdout", input=text.encode())


@pytest.mark.parametrize(("extra", "reason"), [
    ({}, None),
    ({"exports": '(export "add" (func $_rt0_wasm_wasip1))'}, None),  # scalar exports never lower through cabi_realloc
    ({"exports": '(export "memory" (memory 0))'}, None),
    ({"exports": '(export "cabi_realloc" (func $main.cabi_realloc))'}, "exports cabi_realloc"),
    ({"exports": '(export "cabi_realloc_wit_bindgen_0_46_0" (func $main.cabi_realloc))'}, "exports cabi_realloc_wit_bindgen_0_46_0"),
    ({"imports": '(import "wasi_snapshot_preview1" "adapter_monotonic_clock_set_paused" (func (param i32)))'}, "pauses the adapter itself"),
    ({"data": '(data (i32.const 4096) "x")'}, "data segment starts at 4096"),
    ({"data": '(data (i32.const -1) "x")'}, None),  # the last byte of a 4 GiB memory: far above
    ({"data": '(data "passive")'}, None),
])
def test_which_modules_get_direct_clocks(extra: dict[str, str], reason: str | None) -> None:
    module = _go_module(imports=extra.get("imports", ""), exports=extra.get("exports", ""), data=extra.get("data", ""))
    got = direct_clocks.not_applicable(module, low_memory_end=LOW_MEMORY_END)
    assert got is None if reason is None else (got is not None and reason in got), got


def test_non_go_and_clockless_modules_keep_the_adapter_clocks() -> None:
    not_go = direct_clocks.not_applicable(_go_module(go=False), low_memory_end=LOW_MEMORY_END)
    assert not_go is not None and "not a Go module" in not_go
    clockless = direct_clocks.not_applicable(_go_module(clock=False), low_memory_end=LOW_MEMORY_END)
    assert clockless is not None and "does not import clock_time_get" in clockless


class _Host:
    """Core-wasm stand-ins for the two Preview 2 clocks, so every branch can be driven."""

    def __init__(self, tmp_path: Path) -> None:
        versions = {"monotonic_version": "0.2.12", "wall_version": "0.2.12"}
        adapter = direct_clocks.clocks_adapter(versions, tmp_path)
        self.store = wasmtime.Store()
        self.memory = wasmtime.Memory(self.store, wasmtime.MemoryType(wasmtime.Limits(1, None)))
        self.mono, self.wall = 0, (0, 0)
        linker = wasmtime.Linker(self.store.engine)
        linker.define(self.store, "env", "memory", self.memory)
        i64, i32 = wasmtime.ValType.i64(), wasmtime.ValType.i32()
        linker.define(self.store, "wasi:clocks/monotonic-clock@0.2.12", "now",
                      wasmtime.Func(self.store, wasmtime.FuncType([], [i64]), lambda: self.mono))
        linker.define(self.store, "wasi:clocks/wall-clock@0.2.12", "now",
                      wasmtime.Func(self.store, wasmtime.FuncType([i32], []), self._wall))
        inst = linker.instantiate(self.store, wasmtime.Module.from_file(self.store.engine, str(adapter)))
        clock = inst.exports(self.store)["clock_time_get"]
        assert isinstance(clock, wasmtime.Func)
        self.clock = clock

    def _wall(self, ptr: int) -> None:
        s, ns = self.wall
        self.memory.write(self.store, s.to_bytes(8, "little") + ns.to_bytes(4, "little"), ptr)

    def call(self, clock_id: int) -> tuple[int, int]:
        self.memory.write(self.store, b"\xaa" * 8, 64)
        errno = self.clock(self.store, clock_id, 0, 64)
        return errno, int.from_bytes(self.memory.read(self.store, 64, 72), "little")


def _upstream(seconds: int, nanos: int) -> tuple[int, int | None]:
    """wasi-preview1-component-adapter: seconds.checked_mul(1e9).and_then(|ns| ns.checked_add(nanos)), else ERRNO_OVERFLOW."""
    ns = seconds * 1_000_000_000 + nanos
    return (0, ns) if seconds * 1_000_000_000 <= U64 and ns <= U64 else (61, None)


@pytest.mark.parametrize(("seconds", "nanos"), [
    (0, 0), (1_764_633_600, 123_456_789), (1, 999_999_999), (1, U64 >> 32),
    (18_446_744_073, 709_551_615), (18_446_744_073, 709_551_616), (18_446_744_072, U64 >> 32),
    (18_446_744_074, 0), (U64, U64 >> 32),
])
def test_clocks_adapter_answers_the_wall_clock_as_upstream(tmp_path: Path, seconds: int, nanos: int) -> None:
    host = _Host(tmp_path)
    host.wall = (seconds, nanos)
    errno, value = host.call(0)
    want_errno, want = _upstream(seconds, nanos)
    assert errno == want_errno
    if want is not None:
        assert value == want


def test_clocks_adapter_answers_monotonic_and_refuses_other_clocks(tmp_path: Path) -> None:
    host = _Host(tmp_path)
    for v in (0, 1, 123_456_789_012, U64):
        host.mono = v - (1 << 64) if v >= 1 << 63 else v  # an i64 result carries the u64's bits
        assert host.call(1) == (0, v)
    for clock_id in (2, 3, 4, -1):
        assert host.call(clock_id)[0] == 8  # ERRNO_BADF, as upstream for CPU-time clocks


def test_clocks_adapter_writes_only_the_result_and_its_scratch(tmp_path: Path) -> None:
    host = _Host(tmp_path)
    host.wall = (1_764_633_600, 5)
    host.memory.write(host.store, b"\x5a" * 16384, 0)
    assert host.call(0) == (0, 1_764_633_600_000_000_005)
    after = host.memory.read(host.store, 0, 16384)
    changed = [i for i, b in enumerate(after) if b != 0x5A]
    scratch = range(direct_clocks.SCRATCH, direct_clocks.SCRATCH + 16)
    assert changed and all(i in range(64, 72) or i in scratch for i in changed)


def test_clocks_adapter_imports_each_clock_at_the_adapter_s_version(tmp_path: Path) -> None:
    """The Preview 1 adapter may import the two clocks from different WASI patch versions."""
    built = direct_clocks.clocks_adapter({"monotonic_version": "0.2.12", "wall_version": "0.2.6"}, tmp_path)
    imports = re.findall(r'\(import "([^"]+)" "([^"]+)"', wasm.wasm_tools("print", built).decode())
    assert ("wasi:clocks/monotonic-clock@0.2.12", "now") in imports and ("wasi:clocks/wall-clock@0.2.6", "now") in imports
    assert ("env", "memory") in imports
    assert len(imports) == 3
