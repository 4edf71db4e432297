"""Main-module rewrite: bracket the module's realloc exports with the adapter's pause calls, and
let every other export tell the adapter that the host may be called again.

The host calls a realloc export while lowering arguments, and the component model forbids calling
imports then. Go's allocator may run GC work there, which reads clocks, may park on timers, and
lets other goroutines print. Wrapping every realloc export that wit-component may call (pauses
nest, so glue that already pauses, like componentize-go's, is wrapped too) makes the adapter
answer those calls locally and hold stdout/stderr. The other exports start with an unbalanced
unpause, on which the adapter writes out what it held (the first moment the host may be called).
Done on the text format with wasm-tools (print, edit, parse).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from patcher.core import cache, wasm
from patcher.core.errors import PatcherError
from patcher.core.fsutil import ensure_cache_dir, sha256_file, write_atomic

PAUSE = ("wasi_snapshot_preview1", "adapter_monotonic_clock_set_paused")
# Export names wit-component lowers through (legacy and `cm32p2` standard mangling), and the
# realloc wit-bindgen versions export under their own name.
REALLOCS = ("cabi_realloc", "canonical_abi_realloc", "cabi_export_realloc", "cabi_import_realloc", "cm32p2_realloc")
REALLOC_PREFIXES = ("cabi_realloc_wit_bindgen_",)
# Exports that are neither: the runtime's entry points, the adapter's own realloc, post-returns.
NOT_ENTRIES = ("_start", "_initialize", "cabi_realloc_adapter")

_EXPORT = re.compile(r'^(\s*)\(export "([^"]+)" \(func (\$\S+|\d+)\)\)\s*$', re.M)
_IMPORT_LINE = re.compile(r"^  \(import ", re.M)
_PAUSE_IMPORT = re.compile(rf'^  \(import "{PAUSE[0]}" "{PAUSE[1]}" \(func (\$\S+)?\s*(?:\(;(\d+);\))?', re.M)
_TYPE = re.compile(r"^  \(type \(;(\d+);\) \(func(.*)\)\)\s*$", re.M)
_NUMERIC_FUNC_REF = re.compile(r"\b(?:call|return_call|ref\.func) (\d+)\b")


def is_realloc(name: str) -> bool:
    return name in REALLOCS or name.startswith(REALLOC_PREFIXES)


def _exports(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(realloc exports, other function exports) as (name, target) pairs."""
    reallocs: list[tuple[str, str]] = []
    entries: list[tuple[str, str]] = []
    for m in _EXPORT.finditer(text):
        name, target = m.group(2), m.group(3)
        if is_realloc(name):
            reallocs.append((name, target))
        elif "realloc" in name and name not in NOT_ENTRIES and "#" not in name:
            raise PatcherError(f"export {name!r} looks like a realloc that patcher does not know how wit-component uses",
                               hint=f"export the allocator as one of {', '.join(REALLOCS)}")
        elif name not in NOT_ENTRIES and not name.startswith(("cabi_post_", "cm32p2_post")):
            entries.append((name, target))
    return reallocs, entries


def needs_wrapper(text: str) -> bool:
    return bool(_exports(text)[0])


def _func_type(text: str, target: str) -> tuple[str, int]:
    """The `(type N)` of a defined function and its parameter count."""
    m = re.search(rf"^  \(func {re.escape(target)} \(;\d+;\) \(type (\d+)\)", text, re.M)
    if not m:
        raise PatcherError(f"cannot find function {target} in the module text")
    for t in _TYPE.finditer(text):
        if t.group(1) == m.group(1):
            params = re.findall(r"\(param ([^)]*)\)", t.group(2))
            return m.group(1), sum(len(p.split()) for p in params)
    raise PatcherError(f"cannot find type {m.group(1)} in the module text")


def _wrapper(name: str, ty: str, nparams: int, target: str, pause: str, *, realloc: bool) -> str:
    args = "".join(f"    local.get {i}\n" for i in range(nparams))
    if realloc:
        return (f"  (func {name} (type {ty}) (local i32)\n    i32.const 1\n    call {pause}\n{args}"
                f"    call {target}\n    local.set {nparams}\n    i32.const 0\n    call {pause}\n    local.get {nparams})\n")
    return f"  (func {name} (type {ty})\n    i32.const 0\n    call {pause}\n{args}    call {target})\n"


def wrap_text(text: str) -> str:
    reallocs, entries = _exports(text)
    if not reallocs:
        return text
    existing = _PAUSE_IMPORT.search(text)
    if existing:
        pause = existing.group(1) or existing.group(2)
    else:
        imports = list(_IMPORT_LINE.finditer(text))
        n_func_imports = sum(1 for i in imports if "(func" in text[i.start(): text.index("\n", i.start())])
        # The new import shifts defined functions by one; that is only safe if they are referenced by name.
        bad = [int(x) for x in _NUMERIC_FUNC_REF.findall(text) if int(x) >= n_func_imports]
        if bad or any(t.isdigit() for _, t in reallocs + entries):
            raise PatcherError("cannot wrap cabi_realloc: the module refers to functions by index", hint="build with the name section kept (no -ldflags=-s)")
        last_import_end = text.index("\n", imports[-1].start()) + 1 if imports else text.index("\n") + 1
        pause = "$__patcher_pause"
        text = text[:last_import_end] + f'  (import "{PAUSE[0]}" "{PAUSE[1]}" (func {pause} (param i32)))\n' + text[last_import_end:]
    funcs = []
    renamed = {}
    for i, (export, target) in enumerate(reallocs + entries):
        ty, nparams = _func_type(text, target)
        name = f"$__patcher_export_{i}"
        funcs.append(_wrapper(name, ty, nparams, target, pause, realloc=i < len(reallocs)))
        renamed[export] = name
    text = _EXPORT.sub(lambda m: f'{m.group(1)}(export "{m.group(2)}" (func {renamed[m.group(2)]}))' if m.group(2) in renamed else m.group(0), text)
    end = text.rstrip().rfind(")")
    return text[:end] + "".join(funcs) + text[end:]


def wrap_cabi_realloc(core: Path, cache_dir: Path) -> Path:
    """Return a module whose realloc exports pause the adapter's host calls (cached)."""
    key = hashlib.sha256(("v2\0" + sha256_file(core)).encode()).hexdigest()[:32]
    out = ensure_cache_dir(cache_dir) / "rewritten" / f"{key}.wasm"
    if out.is_file():
        return cache.used(out)
    text = wasm.wasm_tools("print", str(core)).decode()
    if not needs_wrapper(text):
        return core
    new = wrap_text(text)
    data = wasm.wasm_tools("parse", "-", "-o", "/dev/stdout", input=new.encode())
    write_atomic(out, data)
    return out
