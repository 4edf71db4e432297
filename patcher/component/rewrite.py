"""Main-module rewrite: bracket the module's realloc exports with the adapter's pause calls, and
let every other export tell the adapter that the host may be called again.

The host calls a realloc export while lowering arguments, and the component model forbids calling
imports then. Go's allocator may run GC work there, which reads clocks, may park on timers, and
lets other goroutines print. Wrapping every realloc export that wit-component may call (pauses
nest, so glue that already pauses, like componentize-go's, is wrapped too) makes the adapter
answer those calls locally and hold stdout/stderr. The other exports start with an unbalanced
unpause, on which the adapter writes out what it held (the first moment the host may be called).

A binary edit of the sections involved, linear in the module (a print/edit/parse round trip of a
40 MB Go module takes minutes and gigabytes). The wrappers are appended as new functions. A pause
import, when the module has none, must take the first function index after the imports: the
function there (Go's `go_buildid`, which nothing calls) moves to the end instead of every function
shifting by one, so only references to that one function change, and code bodies that hold none
are copied byte for byte (`wasmbin.func_ref_candidates` finds the few that may).
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from patcher.core import cache, wasm, wasmbin
from patcher.core.errors import PatcherError
from patcher.core.fsutil import ensure_cache_dir, sha256_file, write_atomic
from patcher.core.wasmbin import name_bytes, read_name, read_uleb, uleb

PAUSE = ("wasi_snapshot_preview1", "adapter_monotonic_clock_set_paused")
# Export names wit-component lowers through (legacy and `cm32p2` standard mangling), and the
# realloc wit-bindgen versions export under their own name.
REALLOCS = ("cabi_realloc", "canonical_abi_realloc", "cabi_export_realloc", "cabi_import_realloc", "cm32p2_realloc")
REALLOC_PREFIXES = ("cabi_realloc_wit_bindgen_",)
# Exports that are neither: the runtime's entry points, the adapter's own realloc, post-returns.
NOT_ENTRIES = ("_start", "_initialize", "cabi_realloc_adapter")
PAUSE_NAME = b"__patcher_pause"
WRAPPER_NAME = "__patcher_export_{}"
_PAUSE_TYPE = b"\x60\x01\x7f\x00"  # (func (param i32))
_I32_CONST, _CALL, _LOCAL_GET, _LOCAL_SET, _END = 0x41, 0x10, 0x20, 0x21, 0x0B


def is_realloc(name: str) -> bool:
    return name in REALLOCS or name.startswith(REALLOC_PREFIXES)


def classify(exports: list[tuple[str, int]]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(realloc exports, other entry exports) of the (name, function index) exports."""
    reallocs: list[tuple[str, int]] = []
    entries: list[tuple[str, int]] = []
    for name, index in exports:
        if is_realloc(name):
            reallocs.append((name, index))
        elif "realloc" in name and name not in NOT_ENTRIES and "#" not in name:
            raise PatcherError(f"export {name!r} looks like a realloc that patcher does not know how wit-component uses",
                               hint=f"export the allocator as one of {', '.join(REALLOCS)}")
        elif name not in NOT_ENTRIES and not name.startswith(("cabi_post_", "cm32p2_post")):
            entries.append((name, index))
    return reallocs, entries


@dataclass
class _Module:
    """What the edit reads of a module: its sections and the function index space."""

    data: bytes
    sections: list[wasmbin.Section]
    param_counts: list[int | None] = field(default_factory=list)  # per type; None: not a function type
    type_raw: list[bytes] = field(default_factory=list)
    func_imports: list[wasmbin.Import] = field(default_factory=list)
    import_count: int = 0
    defined: list[int] = field(default_factory=list)  # type index per defined function
    exports: list[tuple[str, int, int]] = field(default_factory=list)  # (name, kind, index)

    def section(self, sid: int) -> wasmbin.Section | None:
        return wasmbin.section(self.sections, sid)

    def func_type(self, index: int) -> int:
        k = len(self.func_imports)
        if index >= k:
            return self.defined[index - k]
        t = self.func_imports[index].type
        assert t is not None
        return t


def _valtype_end(data: bytes, pos: int) -> int:
    return read_uleb(data, pos + 1)[1] if data[pos] in (0x63, 0x64) else pos + 1


def _read(data: bytes) -> _Module:
    m = _Module(data, wasmbin.sections(data))
    if (s := m.section(wasmbin.TYPE)) is not None:
        count, p = read_uleb(data, s.body)
        for _ in range(count):
            start = p
            if data[p] != 0x60:  # rec groups and subtypes (GC): no Go module has them
                raise wasmbin.InvalidWasm(f"type {len(m.type_raw)} is not a plain function type", hint="patcher's module edit supports no GC types")
            nparams, p = read_uleb(data, p + 1)
            for _ in range(nparams):
                p = _valtype_end(data, p)
            nresults, p = read_uleb(data, p)
            for _ in range(nresults):
                p = _valtype_end(data, p)
            m.param_counts.append(nparams)
            m.type_raw.append(data[start:p])
    imports = wasmbin.imports(data, m.sections)
    m.import_count, m.func_imports = len(imports), [i for i in imports if i.kind == wasmbin.FUNC_KIND]
    if (s := m.section(wasmbin.FUNCTION)) is not None:
        count, p = read_uleb(data, s.body)
        for _ in range(count):
            t, p = read_uleb(data, p)
            m.defined.append(t)
    m.exports = wasmbin.exports(data, m.sections)
    return m


def _wrapper(nparams: int, target: int, pause: int, *, realloc: bool) -> bytes:
    """The body (locals, code) of an export's wrapper: pause around a realloc, unpause before an entry."""
    args = b"".join(bytes([_LOCAL_GET]) + uleb(i) for i in range(nparams))
    call_pause = bytes([_CALL]) + uleb(pause)
    if realloc:
        code = (b"\x01\x01\x7f" + bytes([_I32_CONST, 1]) + call_pause + args + bytes([_CALL]) + uleb(target)
                + bytes([_LOCAL_SET]) + uleb(nparams) + bytes([_I32_CONST, 0]) + call_pause + bytes([_LOCAL_GET]) + uleb(nparams))
    else:
        code = b"\x00" + bytes([_I32_CONST, 0]) + call_pause + args + bytes([_CALL]) + uleb(target)
    code += bytes([_END])
    return uleb(len(code)) + code


def _splice(data: bytes, start: int, end: int, edits: list[tuple[int, int, bytes]]) -> bytes:
    """data[start:end] with each (from, to) range replaced by its bytes."""
    out, pos = bytearray(), start
    for a, b, new in edits:
        out += data[pos:a] + new
        pos = b
    return bytes(out + data[pos:end])


def _ref_edits(refs: list[tuple[int, int, int]], old: int, new: int) -> list[tuple[int, int, bytes]]:
    return [(a, b, wasmbin.uleb_padded(new, b - a)) for index, a, b in refs if index == old]


def _expr_edits(data: bytes, pos: int, old: int, new: int) -> tuple[int, list[tuple[int, int, bytes]]]:
    """(end, edits) of the constant expression at `pos`."""
    end = wasmbin.const_expr_end(data, pos)
    return end, _ref_edits(wasmbin.func_refs(data, pos, end), old, new)


class _Plan:
    """The new bytes of each edited section, by its position in the module (None: new sections)."""

    def __init__(self, m: _Module, old: int | None, new: int) -> None:
        self.m, self.old, self.new = m, old, new  # `old` function index now called `new` (None: none moves)

    def code(self, wrappers: list[bytes]) -> list[bytes | memoryview]:
        data, s = self.m.data, self.m.section(wasmbin.CODE)
        if s is None:
            raise wasmbin.InvalidWasm("the module has functions but no code section")
        view = memoryview(data)
        count, first = read_uleb(data, s.body)
        head = uleb(count + len(wrappers))
        if self.old is None or count == 0:
            return [head, view[first:s.end], *wrappers]
        entries, p = [], first  # (entry start, body start, end) per function
        for _ in range(count):
            size, b = read_uleb(data, p)
            entries.append((p, b, b + size))
            p = b + size
        starts = [e[0] for e in entries]
        edited: dict[int, bytes] = {}
        for j in sorted({bisect.bisect_right(starts, c) - 1 for c in wasmbin.func_ref_candidates(data, first, s.end, self.old)}):
            _, b, e = entries[j]
            edits = _ref_edits(wasmbin.func_refs(data, wasmbin.locals_end(data, b), e), self.old, self.new)
            if edits:
                body = _splice(data, b, e, edits)
                edited[j] = uleb(len(body)) + body
        # Function 0 goes last; runs of unedited bodies are copied as one slice.
        out: list[bytes | memoryview] = [head]
        run_start = entries[1][0] if count > 1 else s.end
        for j in range(1, count):
            if j in edited:
                out += [view[run_start:entries[j][0]], edited[j]]
                run_start = entries[j][2]
        out.append(view[run_start:s.end])
        out.append(edited.get(0, view[entries[0][0]:entries[0][2]]))
        return out + wrappers

    def index(self, i: int) -> int:
        return self.new if i == self.old else i

    def elements(self) -> bytes | None:
        data, s = self.m.data, self.m.section(wasmbin.ELEMENT)
        if s is None or self.old is None:
            return None
        count, p = read_uleb(data, s.body)
        out = bytearray(uleb(count))
        for _ in range(count):
            start = p
            flags, p = read_uleb(data, p)
            if flags & 3 == 2:  # explicit table index
                p = read_uleb(data, p)[1]
            edits: list[tuple[int, int, bytes]] = []
            if not flags & 1:  # active: offset expression
                p, e = _expr_edits(data, p, self.old, self.new)
                edits += e
            if flags & 3:  # elemkind or reftype
                p = _valtype_end(data, p) if flags & 4 else p + 1
            n, p = read_uleb(data, p)
            for _ in range(n):
                if flags & 4:  # expressions
                    p, e = _expr_edits(data, p, self.old, self.new)
                    edits += e
                else:
                    index, after = read_uleb(data, p)
                    if index == self.old:
                        edits.append((p, after, wasmbin.uleb_padded(self.new, after - p)))
                    p = after
            out += _splice(data, start, p, edits)
        return bytes(out)

    def globals(self) -> bytes | None:
        data, s = self.m.data, self.m.section(wasmbin.GLOBAL)
        if s is None or self.old is None:
            return None
        count, p = read_uleb(data, s.body)
        edits: list[tuple[int, int, bytes]] = []
        for _ in range(count):
            p = _valtype_end(data, p) + 1  # valtype, mutability
            p, e = _expr_edits(data, p, self.old, self.new)
            edits += e
        return _splice(data, s.body, s.end, edits) if edits else None

    def exports(self, wrapped: dict[str, int]) -> bytes:
        out = bytearray(uleb(len(self.m.exports)))
        for name, kind, index in self.m.exports:
            if kind == wasmbin.FUNC_KIND:
                index = wrapped.get(name, self.index(index))
            out += name_bytes(name.encode()) + bytes([kind]) + uleb(index)
        return bytes(out)

    def names(self, payload_start: int, end: int, added: list[tuple[int, bytes]]) -> bytes:
        """The name section's contents: the maps keyed by function index renumbered, `added` named."""
        data = self.m.data
        out, p, named = bytearray(name_bytes(b"name")), payload_start, False

        def subsection(sid: int, content: bytes) -> None:
            out.extend(bytes([sid]) + uleb(len(content)) + content)

        while p < end:
            sid = data[p]
            size, b = read_uleb(data, p + 1)
            if sid > 1 and not named:
                subsection(1, self._name_map(b"", 0, 0, added, indirect=False))
                named = True
            if sid in (1, 2, 3):  # function, local and label names
                subsection(sid, self._name_map(data, b, b + size, added if sid == 1 else [], indirect=sid != 1))
                named = named or sid == 1
            else:
                out += data[p:b + size]
            p = b + size
        if not named:
            subsection(1, self._name_map(b"", 0, 0, added, indirect=False))
        return bytes(out)

    def _name_map(self, data: bytes, pos: int, end: int, added: list[tuple[int, bytes]], *, indirect: bool) -> bytes:
        """A name map (or indirect one) with the moved function's entry last and `added` in place.

        Entries are sorted by index: only those up to the moved one are decoded, the rest copied."""
        count, p = read_uleb(data, pos) if end else (0, pos)
        split = self.old if self.old is not None else -1
        head: list[tuple[int, bytes]] = []
        moved: list[tuple[int, bytes]] = []
        while count and p < end:
            index, q = read_uleb(data, p)
            if index > split:
                break
            if indirect:
                n, r = read_uleb(data, q)
                for _ in range(n):
                    r = read_name(data, read_uleb(data, r)[1])[1]
            else:
                r = read_name(data, q)[1]
            (moved if index == self.old else head).append((self.index(index), data[q:r]))
            p = r
        new = [(i, name_bytes(n)) for i, n in added]
        before = head + [e for e in new if e[0] <= split]
        after = moved + [e for e in new if e[0] > split]
        return (uleb(count + len(new)) + b"".join(uleb(i) + rest for i, rest in before) + data[p:end]
                + b"".join(uleb(i) + rest for i, rest in after))


def wrap(data: bytes) -> list[bytes | memoryview] | None:
    """The module with its realloc and entry exports wrapped, as chunks to write (None: it has no
    realloc export, nothing to do)."""
    m = _read(data)
    reallocs, entries = classify([(n, i) for n, k, i in m.exports if k == wasmbin.FUNC_KIND])
    if not reallocs:
        return None
    if m.section(wasmbin.FUNCTION) is None:
        raise wasmbin.InvalidWasm("the module exports a realloc but defines no function")
    k, n = len(m.func_imports), len(m.defined)
    replaced: dict[int, bytes | list[bytes | memoryview]] = {}  # by section id
    pause = next((i for i, imp in enumerate(m.func_imports) if (imp.module, imp.name) == PAUSE), None)
    added_names: list[tuple[int, bytes]] = []
    if pause is None:
        ptype = m.type_raw.index(_PAUSE_TYPE) if _PAUSE_TYPE in m.type_raw else len(m.type_raw)
        if ptype == len(m.type_raw):
            s = m.section(wasmbin.TYPE)
            raw = data[read_uleb(data, s.body)[1]:s.end] if s is not None else b""
            replaced[wasmbin.TYPE] = uleb(ptype + 1) + raw + _PAUSE_TYPE
        s = m.section(wasmbin.IMPORT)
        raw = data[read_uleb(data, s.body)[1]:s.end] if s is not None else b""
        entry = name_bytes(PAUSE[0].encode()) + name_bytes(PAUSE[1].encode()) + bytes([wasmbin.FUNC_KIND]) + uleb(ptype)
        replaced[wasmbin.IMPORT] = uleb(m.import_count + 1) + raw + entry
        pause, total = k, k + n + 1
        plan = _Plan(m, k if n else None, k + n)  # function k moves to the end
        added_names.append((pause, PAUSE_NAME))
    else:
        total = k + n
        plan = _Plan(m, None, 0)
    wrapped: dict[str, int] = {}
    bodies, types = [], []
    for i, (export, target) in enumerate(reallocs + entries):
        t = m.func_type(target)
        count = m.param_counts[t]
        assert count is not None
        bodies.append(_wrapper(count, plan.index(target), pause, realloc=i < len(reallocs)))
        types.append(t)
        wrapped[export] = total + i
        added_names.append((total + i, WRAPPER_NAME.format(i).encode()))
    fs = m.section(wasmbin.FUNCTION)
    assert fs is not None
    first = read_uleb(data, fs.body)[1]
    after0 = read_uleb(data, first)[1] if n else first
    moved = data[first:after0] if plan.old is not None else b""
    replaced[wasmbin.FUNCTION] = uleb(n + len(types)) + data[after0 if plan.old is not None else first:fs.end] + moved + b"".join(map(uleb, types))
    replaced[wasmbin.CODE] = plan.code(bodies)
    replaced[wasmbin.EXPORT] = plan.exports(wrapped)
    if (g := plan.globals()) is not None:
        replaced[wasmbin.GLOBAL] = g
    if (e := plan.elements()) is not None:
        replaced[wasmbin.ELEMENT] = e
    if (s := m.section(wasmbin.START)) is not None:
        replaced[wasmbin.START] = uleb(plan.index(read_uleb(data, s.body)[0]))
    return _assemble(m, replaced, plan, added_names)


def _assemble(m: _Module, replaced: dict[int, bytes | list[bytes | memoryview]], plan: _Plan, added_names: list[tuple[int, bytes]]) -> list[bytes | memoryview]:
    data, view = m.data, memoryview(m.data)
    out: list[bytes | memoryview] = [wasmbin.MAGIC]

    def emit(sid: int, payload: bytes | list[bytes | memoryview]) -> None:
        chunks = [payload] if isinstance(payload, bytes) else payload
        out.extend([bytes([sid]), uleb(sum(len(c) for c in chunks)), *chunks])

    present = {s.id for s in m.sections}
    named = False
    for s in m.sections:
        if s.id == wasmbin.CUSTOM and s.name == "name" and not named:
            emit(wasmbin.CUSTOM, plan.names(wasmbin.custom_payload(data, s), s.end, added_names))
            named = True
            continue
        if s.id in replaced:
            emit(s.id, replaced[s.id])
        else:
            out.append(view[s.start:s.end])
        if s.id == wasmbin.TYPE and wasmbin.IMPORT in replaced and wasmbin.IMPORT not in present:
            emit(wasmbin.IMPORT, replaced[wasmbin.IMPORT])
    if wasmbin.IMPORT in replaced and wasmbin.IMPORT not in present and wasmbin.TYPE not in present:
        raise wasmbin.InvalidWasm("the module has functions but no type section")
    if not named:
        emit(wasmbin.CUSTOM, plan.names(0, 0, added_names))
    return out


def wrap_cabi_realloc(core: Path, cache_dir: Path) -> Path:
    """Return a module whose realloc exports pause the adapter's host calls (cached)."""
    key = hashlib.sha256(("v3\0" + sha256_file(core)).encode()).hexdigest()[:32]
    out = ensure_cache_dir(cache_dir) / "rewritten" / f"{key}.wasm"
    if out.is_file():
        return cache.used(out)
    chunks = wrap(core.read_bytes())
    if chunks is None:
        return core
    data = b"".join(chunks)
    try:
        wasm.wasm_tools("validate", "-", input=data)
    except PatcherError as e:
        raise PatcherError(f"{core}: the rewritten module does not validate: {e}", hint="report this with the module: patcher's edit is wrong") from e
    write_atomic(out, data)
    return out
