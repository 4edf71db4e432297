"""The main-module rewrite as a binary edit, on small modules written in WAT: every realloc name
wit-component lowers through is bracketed with the adapter's pause calls, other exports first
unpause, the module computes what it computed before (run with wasmtime), and the result is the
old text rewrite's (bench/_text_rewrite.py) up to the one function the edit moves."""

from __future__ import annotations

import re

import pytest
import text_rewrite
import wasmtime

from patcher.component import rewrite
from patcher.core import wasm, wasmbin
from patcher.core.errors import PatcherError

# $first is the function the pause import displaces: referenced by call, return_call, ref.func
# (in code and a global), an element segment, the start function and an export.
MODULE = """(module
  (type (func (param i32) (result i32)))  ;; unnamed: the text rewrite only read numbered types
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  {imports}
  (memory (export "memory") 1)
  (table 4 funcref)
  (global $fp funcref (ref.func $first))
  (elem (i32.const 0) func $first $double)
  (func $first (param i32) (result i32) local.get 0 i32.const 7 i32.add)
  (func $double (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
  (func $alloc (param i32 i32 i32 i32) (result i32) local.get 3 call $first)
  (func $work (param i32 i32) (result i32)
    (i32.add (call $first (local.get 1)) (call_indirect (type 0) (local.get 0) (i32.const 1))))
  (func $tail (param i32) (result i32) local.get 0 return_call $first)
  (func $viaref (param i32) (result i32)
    (table.set (i32.const 2) (ref.func $first))
    (call_indirect (type 0) (local.get 0) (i32.const 2)))
  (func $init (i32.store (i32.const 64) (call $first (i32.const 1))))
  (func $lib)
  {filler}
  (start $init)
  (export "{realloc}" (func $alloc))
  (export "work" (func $work))
  (export "tail" (func $tail))
  (export "viaref" (func $viaref))
  (export "first" (func $first))
  (export "_initialize" (func $lib)))
"""
CALLS = {"work": (3, 4), "tail": (5,), "viaref": (6,), "first": (1,)}


def _module(realloc: str = "cabi_realloc", imports: str = "", filler: int = 0) -> bytes:
    fill = "\n  ".join(f"(func $filler{i} (result i32) i32.const {i})" for i in range(filler))
    return wasm.wasm_tools("parse", "-", "-o", "/dev/stdout", input=MODULE.format(realloc=realloc, imports=imports, filler=fill).encode())


def _wrap(data: bytes) -> bytes:
    chunks = rewrite.wrap(data)
    assert chunks is not None
    out = b"".join(chunks)
    wasm.wasm_tools("validate", "-", input=out)
    return out


def _body(text: str, export: str) -> str:
    m = re.search(rf'\(export "{re.escape(export)}" \(func (\S+)\)\)', text)
    assert m is not None, export
    return text[text.index(f"(func {m.group(1)} "):].split("\n  (", 1)[0]


class _Instance:
    """The module run with wasmtime; the pause import records its arguments."""

    def __init__(self, data: bytes) -> None:
        self.store = wasmtime.Store()
        self.pauses: list[int] = []
        linker = wasmtime.Linker(self.store.engine)
        i32 = wasmtime.ValType.i32()
        linker.define_func("wasi_snapshot_preview1", "fd_write", wasmtime.FuncType([i32] * 4, [i32]), lambda *a: 0)
        linker.define_func(*rewrite.PAUSE, wasmtime.FuncType([i32], []), self.pauses.append)
        self.inst = linker.instantiate(self.store, wasmtime.Module(self.store.engine, data))

    def call(self, name: str, *args: int) -> object:
        f = self.inst.exports(self.store)[name]
        assert isinstance(f, wasmtime.Func)
        return f(self.store, *args)

    def memory_word(self, at: int) -> int:
        mem = self.inst.exports(self.store)["memory"]
        assert isinstance(mem, wasmtime.Memory)
        return int.from_bytes(mem.read(self.store, at, at + 4), "little")


@pytest.mark.parametrize("name", ["cabi_realloc", "cabi_export_realloc", "canonical_abi_realloc", "cm32p2_realloc", "cabi_realloc_wit_bindgen_0_46_0"])
def test_every_realloc_name_is_paused(name: str) -> None:
    new = wasm.wasm_tools("print", "-", input=_wrap(_module(name))).decode()
    body = _body(new, name)
    assert re.search(r"i32\.const 1\s+call \$__patcher_pause.*call \$alloc.*i32\.const 0\s+call \$__patcher_pause", body, re.S), body
    # Other exports unpause first (the adapter writes out held output then); entry points do not.
    assert re.search(r"i32\.const 0\s+call \$__patcher_pause.*call \$work", _body(new, "work"), re.S)
    assert '(export "_initialize" (func $lib))' in new


@pytest.mark.parametrize("filler", [0, 130])  # 130: the moved function's index needs a wider LEB128 than its callers had
def test_the_module_computes_the_same_and_pauses_around_realloc(filler: int) -> None:
    data = _module(filler=filler)
    before, after = _Instance(data), _Instance(_wrap(data))
    assert after.memory_word(64) == before.memory_word(64) == 8  # the start function still calls $first
    assert after.pauses == []
    for name, args in CALLS.items():
        assert after.call(name, *args) == before.call(name, *args), name
        assert after.pauses == [0], name  # entries unpause once, before the call
        after.pauses.clear()
    assert after.call("cabi_realloc", 0, 0, 8, 32) == before.call("cabi_realloc", 0, 0, 8, 32) == 39
    assert after.pauses == [1, 0]


@pytest.mark.parametrize("filler", [0, 130])
def test_same_module_as_the_text_rewrite(filler: int) -> None:
    data = _module(filler=filler)
    oracle = text_rewrite.oracle()
    assert oracle.difference(oracle.rewrite_module(data), _wrap(data)) is None


def test_a_module_without_names_is_rewritten_too() -> None:
    """The text rewrite refused modules built with -ldflags=-s; the binary edit needs no names."""
    stripped = wasm.wasm_tools("strip", "--all", "-", "-o", "/dev/stdout", input=_module())
    assert [s.name for s in wasmbin.sections(stripped) if s.id == wasmbin.CUSTOM] == []
    after = _Instance(_wrap(stripped))
    assert after.call("work", 3, 4) == 17
    assert after.call("cabi_realloc", 0, 0, 8, 32) == 39 and after.pauses == [0, 1, 0]


def test_glue_that_already_pauses_is_wrapped_with_its_own_import() -> None:
    pause = '(import "wasi_snapshot_preview1" "adapter_monotonic_clock_set_paused" (func $glue_pause (param i32)))'
    data = _module(imports=pause)
    new = wasm.wasm_tools("print", "-", input=_wrap(data)).decode()
    assert new.count('"adapter_monotonic_clock_set_paused"') == 1
    assert "call $glue_pause" in _body(new, "cabi_realloc")
    old = wasm.wasm_tools("print", "-", input=data).decode()
    # No import added, so no function moves: the original functions print as before.
    funcs = [line for line in old.splitlines() if line.startswith("  (func ")]
    assert [line for line in new.splitlines() if line.startswith("  (func ")][:len(funcs)] == funcs
    oracle = text_rewrite.oracle()
    assert oracle.difference(oracle.rewrite_module(data), _wrap(data)) is None


def test_module_without_realloc_is_left_alone() -> None:
    assert rewrite.wrap(_module("not_an_allocator")) is None


def test_unknown_realloc_name_fails_clearly() -> None:
    with pytest.raises(PatcherError, match="looks like a realloc"):
        rewrite.wrap(_module("my_realloc"))


def test_func_refs_reads_padded_indices_and_skips_lookalike_bytes() -> None:
    # i32.const 16 (0x41 0x10: a call opcode byte inside an immediate), br_table, a 5-byte padded
    # `call 3`, ref.func 3, drop, drop, end.
    code = b"\x41\x10\x02\x40\x41\x00\x0e\x02\x00\x00\x00\x0b" + b"\x10\x83\x80\x80\x80\x00" + b"\xd2\x03\x1a\x1a\x0b"
    assert wasmbin.func_refs(code, 0, len(code)) == [(3, 13, 18), (3, 19, 20)]
    assert set(wasmbin.func_ref_candidates(code, 0, len(code), 3)) == {12, 18}
    assert wasmbin.func_ref_candidates(code, 0, len(code), 16) == []
    assert wasmbin.uleb_padded(3, 5) == b"\x83\x80\x80\x80\x00" and wasmbin.read_uleb(wasmbin.uleb_padded(300, 5), 0) == (300, 5)
