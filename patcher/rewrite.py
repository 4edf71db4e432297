"""Main-module rewrite: bracket the module's exported `cabi_realloc` with the adapter's pause calls.

The host calls `cabi_realloc` while lowering arguments, and the component model forbids calling
imports then. Go's allocator may run GC work there, which reads clocks and may park on timers. A
module that already calls `adapter_monotonic_clock_set_paused` around allocation (componentize-go's
glue) is left alone; for any other module we add a wrapper export that does it, so the adapter
answers those calls locally. Done on the text format with wasm-tools (print, edit, parse).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from patcher import wasm
from patcher.errors import PatcherError
from patcher.fsutil import ensure_cache_dir, sha256_file, write_atomic

PAUSE = ("wasi_snapshot_preview1", "adapter_monotonic_clock_set_paused")
_EXPORT = re.compile(r'^(\s*)\(export "cabi_realloc" \(func (\$\S+|\d+)\)\)\s*$', re.M)
_IMPORT_LINE = re.compile(r"^  \(import ", re.M)
_NUMERIC_FUNC_REF = re.compile(r"\b(?:call|return_call|ref\.func) (\d+)\b")


def needs_wrapper(text: str) -> bool:
    return bool(_EXPORT.search(text)) and f'(import "{PAUSE[0]}" "{PAUSE[1]}"' not in text


def wrap_text(text: str) -> str:
    m = _EXPORT.search(text)
    if not m:
        return text
    target = m.group(2)
    imports = list(_IMPORT_LINE.finditer(text))
    n_func_imports = sum(1 for i in imports if "(func" in text[i.start(): text.index("\n", i.start())])
    # The new import shifts defined functions by one; that is only safe if they are referenced by name.
    bad = [int(x) for x in _NUMERIC_FUNC_REF.findall(text) if int(x) >= n_func_imports]
    if bad or target.isdigit():
        raise PatcherError("cannot wrap cabi_realloc: the module refers to functions by index", hint="build with the name section kept (no -ldflags=-s)")
    last_import_end = text.index("\n", imports[-1].start()) + 1 if imports else text.index("\n") + 1
    new_import = f'  (import "{PAUSE[0]}" "{PAUSE[1]}" (func $__patcher_pause (param i32)))\n'
    wrapper = (
        "  (func $__patcher_cabi_realloc (param i32 i32 i32 i32) (result i32) (local i32)\n"
        "    i32.const 1\n    call $__patcher_pause\n"
        "    local.get 0\n    local.get 1\n    local.get 2\n    local.get 3\n"
        f"    call {target}\n    local.set 4\n"
        "    i32.const 0\n    call $__patcher_pause\n    local.get 4)\n"
    )
    text = text[:last_import_end] + new_import + text[last_import_end:]
    text = _EXPORT.sub(lambda mm: f'{mm.group(1)}(export "cabi_realloc" (func $__patcher_cabi_realloc))', text, count=1)
    end = text.rstrip().rfind(")")
    return text[:end] + wrapper + text[end:]


def wrap_cabi_realloc(core: Path, cache_dir: Path) -> Path:
    """Return a module whose exported cabi_realloc pauses the adapter's host calls (cached)."""
    key = hashlib.sha256(("v1\0" + sha256_file(core)).encode()).hexdigest()[:32]
    out = ensure_cache_dir(cache_dir) / "rewritten" / f"{key}.wasm"
    if out.is_file():
        return out
    text = wasm.wasm_tools("print", str(core)).decode()
    if not needs_wrapper(text):
        return core
    new = wrap_text(text)
    data = wasm.wasm_tools("parse", "-", "-o", "/dev/stdout", input=new.encode())
    write_atomic(out, data)
    return out
