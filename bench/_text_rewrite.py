"""The text-format main-module rewrite patcher used before the binary edit (`wasm-tools print`,
regex edits, `wasm-tools parse`): kept only as the oracle the binary edit is compared with
(tests/unit/test_rewrite.py, tests/integration/test_rewrite_corpus.py, bench/rewrite.py).
Minutes and gigabytes on a 40 MB module; never a production path."""

from __future__ import annotations

import re

from patcher.component.rewrite import NOT_ENTRIES, PAUSE, REALLOCS, is_realloc
from patcher.core import wasm
from patcher.core.errors import PatcherError

_EXPORT = re.compile(r'^(\s*)\(export "([^"]+)" \(func (\$\S+|\d+)\)\)\s*$', re.M)
_IMPORT_LINE = re.compile(r"^  \(import ", re.M)
_PAUSE_IMPORT = re.compile(rf'^  \(import "{PAUSE[0]}" "{PAUSE[1]}" \(func (\$\S+)?\s*(?:\(;(\d+);\))?', re.M)
_TYPE = re.compile(r"^  \(type \(;(\d+);\) \(func(.*)\)\)\s*$", re.M)
_NUMERIC_FUNC_REF = re.compile(r"\b(?:call|return_call|ref\.func) (\d+)\b")


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


def rewrite_module(data: bytes) -> bytes | None:
    """The old `wrap_cabi_realloc` without its cache: the rewritten module, or None (no realloc export)."""
    text = wasm.wasm_tools("print", "-", input=data).decode()
    if not needs_wrapper(text):
        return None
    return wasm.wasm_tools("parse", "-", "-o", "/dev/stdout", input=wrap_text(text).encode())


_INDEX_COMMENT = re.compile(r" ?\(;\d+;\)")


def _fields(text: str) -> list[str]:
    """The module's top-level fields as printed, without `(;N;)` index comments."""
    lines = _INDEX_COMMENT.sub("", text).splitlines()
    fields: list[list[str]] = []
    for line in lines[1:]:
        if line.startswith("  (") or not fields:
            fields.append([line])
        else:
            fields[-1].append(line)
    return ["\n".join(f) for f in fields]


def difference(old: bytes, new: bytes) -> str | None:
    """None when `new` (the binary edit) is `old` (this rewrite's output) up to the one function
    the binary edit moves to the end; else what differs."""
    a, b = (_fields(wasm.wasm_tools("print", "-", input=m).decode()) for m in (old, new))
    funcs_a = [f for f in a if f.startswith("  (func ")]
    funcs_b = [f for f in b if f.startswith("  (func ")]
    others_a = [f for f in a if not f.startswith("  (func ")]
    others_b = [f for f in b if not f.startswith("  (func ")]
    if others_a != others_b:
        diff = next((x, y) for x, y in zip([*others_a, ""], [*others_b, ""], strict=False) if x != y)
        return f"non-function fields differ: {diff[0][:200]!r} vs {diff[1][:200]!r}"
    if funcs_a == funcs_b:
        return None
    first_wrapper = next(i for i, f in enumerate(funcs_a) if f.startswith("  (func $__patcher_export_"))
    moved = funcs_a[1:first_wrapper] + funcs_a[:1] + funcs_a[first_wrapper:]
    if funcs_b != moved:
        diff = next((x, y) for x, y in zip([*moved, ""], [*funcs_b, ""], strict=False) if x != y)
        return f"functions differ: {diff[0][:200]!r} vs {diff[1][:200]!r}"
    return None
