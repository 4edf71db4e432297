"""The main-module rewrite: every realloc name wit-component lowers through is bracketed with the
adapter's pause calls; other exports first unpause (flush); unknown realloc names fail clearly."""

from __future__ import annotations

import re

import pytest

from patcher.component import rewrite
from patcher.core import wasm
from patcher.core.errors import PatcherError

MODULE = """(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  {imports}
  (memory (export "memory") 1)
  (func $alloc (param i32 i32 i32 i32) (result i32) i32.const 16)
  (func $work (param i32 i32) (result i32) local.get 1)
  (func $init)
  (export "{realloc}" (func $alloc))
  (export "work" (func $work))
  (export "_initialize" (func $init)))
"""


def _text(realloc: str, imports: str = "") -> str:
    data = wasm.wasm_tools("parse", "-", "-o", "/dev/stdout", input=MODULE.format(realloc=realloc, imports=imports).encode())
    return wasm.wasm_tools("print", "-", input=data).decode()


def _body(text: str, export: str) -> str:
    m = re.search(rf'\(export "{re.escape(export)}" \(func (\S+)\)\)', text)
    assert m is not None, export
    target = m.group(1)
    return text[text.index(f"(func {target} "):].split("\n  (", 1)[0]


@pytest.mark.parametrize("name", ["cabi_realloc", "cabi_export_realloc", "canonical_abi_realloc", "cm32p2_realloc", "cabi_realloc_wit_bindgen_0_46_0"])
def test_every_realloc_name_is_paused(name: str) -> None:
    new = rewrite.wrap_text(_text(name))
    wasm.wasm_tools("parse", "-", "-o", "/dev/stdout", input=new.encode())  # still a valid module
    body = _body(new, name)
    assert re.search(r"i32\.const 1\s+call \$__patcher_pause.*call \$alloc.*i32\.const 0\s+call \$__patcher_pause", body, re.S), body
    # Other exports unpause first (the adapter writes out held output then); entry points do not.
    assert re.search(r"i32\.const 0\s+call \$__patcher_pause.*call \$work", _body(new, "work"), re.S)
    assert '(export "_initialize" (func $init))' in new


def test_glue_that_already_pauses_is_wrapped_with_its_own_import() -> None:
    pause = '(import "wasi_snapshot_preview1" "adapter_monotonic_clock_set_paused" (func $glue_pause (param i32)))'
    new = rewrite.wrap_text(_text("cabi_realloc", pause))
    assert new.count('"adapter_monotonic_clock_set_paused"') == 1
    assert "call $glue_pause" in _body(new, "cabi_realloc")


def test_unknown_realloc_name_fails_clearly() -> None:
    with pytest.raises(PatcherError, match="looks like a realloc"):
        rewrite.wrap_text(_text("my_realloc"))
