"""The core-module binary format, for the edits wasm-tools has no command for: LEB128, the list of
sections, and where instructions refer to functions by index (`call`, `return_call`, `ref.func`).

Decoding every instruction of a 40 MB Go module in Python takes tens of seconds, so nothing here
does: `func_ref_candidates` finds, by a byte search at C speed, the few places whose bytes could
encode a reference to one function, and only the function bodies holding them are decoded."""

from __future__ import annotations

import re
from dataclasses import dataclass

from patcher.core.errors import PatcherError

MAGIC = b"\0asm\x01\0\0\0"

TYPE, IMPORT, FUNCTION, TABLE, MEMORY, GLOBAL, EXPORT, START, ELEMENT, CODE, DATA, DATA_COUNT = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
CUSTOM = 0
FUNC_KIND = 0  # import/export kind of a function
FUNC_REF_OPCODES = (0x10, 0x12, 0xD2)  # call, return_call, ref.func


class InvalidWasm(PatcherError):
    """The input is not valid WebAssembly (bad input: exit 2)."""


def uleb(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def uleb_padded(n: int, width: int) -> bytes:
    """`n` in at least `width` bytes (padding with continuation bytes is valid LEB128), so that an
    index rewritten in place keeps the body's size where it fits."""
    b = bytearray(uleb(n))
    while len(b) < width:
        b[-1] |= 0x80
        b.append(0)
    return bytes(b)


def read_uleb(data: bytes | memoryview, pos: int) -> tuple[int, int]:
    result = shift = 0
    try:
        if data[pos] < 0x80:  # most numbers are one byte
            return data[pos], pos + 1
        while True:
            byte = data[pos]
            pos += 1
            result |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return result, pos
    except IndexError:
        raise InvalidWasm(f"unexpected end of module in a LEB128 number at byte {pos}") from None


def read_sleb(data: bytes | memoryview, pos: int) -> tuple[int, int]:
    value, end = read_uleb(data, pos)
    bits = 7 * (end - pos)
    return (value - (1 << bits) if value >> (bits - 1) & 1 else value), end


def sleb(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40):
            return bytes(out + bytes([byte]))
        out.append(byte | 0x80)


def read_name(data: bytes | memoryview, pos: int) -> tuple[bytes, int]:
    n, pos = read_uleb(data, pos)
    return bytes(data[pos:pos + n]), pos + n


def name_bytes(name: bytes) -> bytes:
    return uleb(len(name)) + name


def section_bytes(section_id: int, payload: bytes) -> bytes:
    return bytes([section_id]) + uleb(len(payload)) + payload


@dataclass(frozen=True)
class Section:
    id: int
    start: int  # the id byte
    body: int  # first byte of the contents
    end: int
    name: str = ""  # a custom section's name


def sections(data: bytes) -> list[Section]:
    if data[:8] != MAGIC:
        raise InvalidWasm("not a core wasm module (bad magic or version)")
    out, pos = [], 8
    while pos < len(data):
        sid = data[pos]
        size, body = read_uleb(data, pos + 1)
        end = body + size
        if end > len(data):
            raise InvalidWasm(f"section {sid} at byte {pos} runs past the end of the module")
        name = read_name(data, body)[0].decode(errors="replace") if sid == CUSTOM else ""
        out.append(Section(sid, pos, body, end, name))
        pos = end
    return out


def _skip_limits(data: bytes, pos: int) -> int:
    flags = data[pos]
    pos = read_uleb(data, pos + 1)[1]
    return read_uleb(data, pos)[1] if flags & 1 else pos


def skip_import_desc(data: bytes, pos: int) -> int:
    """The end of the import description (kind and type) at `pos`."""
    kind = data[pos]
    pos += 1
    if kind == 0:  # func: type index
        return read_uleb(data, pos)[1]
    if kind == 1:  # table: reftype, limits
        return _skip_limits(data, pos + 1)
    if kind == 2:  # memory: limits
        return _skip_limits(data, pos)
    if kind == 3:  # global: valtype, mutability
        return pos + 2
    if kind == 4:  # tag: attribute, type index
        return read_uleb(data, pos + 1)[1]
    raise InvalidWasm(f"import of unknown kind 0x{kind:02x} at byte {pos - 1}")


def custom_payload(data: bytes, s: Section) -> int:
    """Where a custom section's contents start (after its name)."""
    return read_name(data, s.body)[1]


# --- instructions ----------------------------------------------------------------------------
# One regular expression matches any run of instructions other than the function references and
# the two whose immediates are counted vectors (br_table, try_table); the loop in `func_refs`
# handles those one at a time. GC instructions (0xfb) are not decoded: no Go module has them.

_L = rb"[\x80-\xff]*[\x00-\x7f]"  # one LEB128 number
_MEMARG = rb"(?:[\x40-\x7f]" + _L + rb"|[\xc0-\xff][\x80-\xff]*[\x00-\x7f]" + _L + rb"|" + _L + rb")" + _L  # align (bit 6: memory index follows), offset
_HEAPTYPE_OR_LEB = rb"(?:[\x63\x64]" + _L + rb"|" + _L + rb")"
_PLAIN = b"|".join([
    rb"[\x07-\x09\x0c\x0d\x14\x15\x18\x20-\x26\x3f-\x42\xd0\xd5\xd6]" + _L,  # one index or constant
    rb"[\x28-\x3e]" + _MEMARG,  # loads and stores
    rb"[\x00\x01\x05\x0a\x0b\x0f\x19\x1a\x1b\x45-\xc4\xd1\xd3\xd4]",  # no immediate
    rb"[\x02-\x04\x06]" + _HEAPTYPE_OR_LEB,  # block, loop, if, try: block type
    rb"[\x11\x13]" + _L + _L,  # call_indirect, return_call_indirect
    rb"\x43[\x00-\xff]{4}",
    rb"\x44[\x00-\xff]{8}",
    rb"\x1c\x01(?:[\x63\x64]" + _L + rb"|[\x00-\x7f])",  # typed select
    rb"\xfc(?:[\x00-\x07]|[\x08\x0a\x0c\x0e]" + _L + _L + rb"|[\x09\x0b\x0d\x0f-\x11]" + _L + rb")",  # saturating, bulk memory, tables
    rb"\xfd(?:[\x00-\x0b\x5c\x5d]" + _MEMARG + rb"|[\x54-\x5b]" + _MEMARG + rb"[\x00-\xff]|[\x0c\x0d][\x00-\xff]{16}|[\x15-\x22][\x00-\xff]"
    rb"|[\x0e-\x14\x23-\x53\x5e-\x7f]|[\x80-\xff][\x01-\x7f])",  # SIMD
    rb"\xfe(?:\x03\x00|[\x00-\x02\x10-\x4e]" + _MEMARG + rb")",  # atomics
])
_RUN = re.compile(rb"(?:" + _PLAIN + rb")*+")
# memory.init and data.drop (0xfc 8, 0xfc 9) are the only instructions naming a data segment: a run
# that stops before them finds every use.
_RUN_NO_DATA_OPS = re.compile(rb"(?:" + _PLAIN.replace(rb"[\x08\x0a\x0c\x0e]", rb"[\x0a\x0c\x0e]").replace(rb"[\x09\x0b", rb"[\x0b")
                              + rb")*+")
_ONE = re.compile(_PLAIN)
_BLOCK_TYPE = re.compile(_HEAPTYPE_OR_LEB)


def func_refs(data: bytes | memoryview, pos: int, end: int) -> list[tuple[int, int, int]]:
    """(function index, immediate start, immediate end) of every call, return_call and ref.func in
    the instructions data[pos:end] (a function body after its locals, or a constant expression)."""
    return _walk(data, pos, end, _RUN)


def uses_data_segments(data: bytes | memoryview, pos: int, end: int) -> bool:
    """Whether the instructions data[pos:end] contain a memory.init or data.drop."""
    try:
        _walk(data, pos, end, _RUN_NO_DATA_OPS, stop_at_data_ops=True)
    except _DataOp:
        return True
    return False


class _DataOp(Exception):
    pass


def _walk(data: bytes | memoryview, pos: int, end: int, run: re.Pattern[bytes], *, stop_at_data_ops: bool = False) -> list[tuple[int, int, int]]:
    refs: list[tuple[int, int, int]] = []
    while True:
        m = run.match(data, pos, end)
        assert m is not None  # `*+` matches the empty string
        pos = m.end()
        if pos >= end:
            return refs
        op = data[pos]
        if stop_at_data_ops and op == 0xFC and data[pos + 1] in (0x08, 0x09):
            raise _DataOp
        if op in FUNC_REF_OPCODES:
            index, after = read_uleb(data, pos + 1)
            refs.append((index, pos + 1, after))
            pos = after
        elif op == 0x0E:  # br_table: vec(label) label
            count, pos = read_uleb(data, pos + 1)
            for _ in range(count + 1):
                pos = read_uleb(data, pos)[1]
        elif op == 0x1F:  # try_table: block type, vec(catch)
            m = _BLOCK_TYPE.match(data, pos + 1)
            if m is None:
                raise InvalidWasm(f"bad try_table at byte {pos}")
            count, pos = read_uleb(data, m.end())
            for _ in range(count):
                kind = data[pos]
                pos = read_uleb(data, pos + 1)[1]
                if kind in (0, 1):  # catch, catch_ref: tag, label
                    pos = read_uleb(data, pos)[1]
        else:
            raise InvalidWasm(f"instruction 0x{op:02x} at byte {pos} is not supported by patcher's module edit",
                              hint="report this with the module (GC instructions are not decoded)")


def locals_end(data: bytes | memoryview, pos: int) -> int:
    """The first instruction of a function body whose locals start at `pos`."""
    count, pos = read_uleb(data, pos)
    for _ in range(count):
        pos = read_uleb(data, pos)[1]
        if data[pos] in (0x63, 0x64):  # (ref null? ht)
            pos = read_uleb(data, pos + 1)[1]
        else:
            pos += 1
    return pos


def const_expr_end(data: bytes | memoryview, pos: int) -> int:
    """The byte after the `end` of the constant expression at `pos`."""
    while True:
        if data[pos] in FUNC_REF_OPCODES:
            pos = read_uleb(data, pos + 1)[1]
            continue
        m = _ONE.match(data, pos)
        if m is None:
            raise InvalidWasm(f"bad constant expression at byte {pos}")
        if data[pos] == 0x0B:
            return int(m.end())
        pos = m.end()


def func_ref_candidates(data: bytes | memoryview, start: int, end: int, index: int) -> list[int]:
    """Offsets in data[start:end] where the bytes could be a call, return_call or ref.func of
    `index`, in any LEB128 width: a superset of the real ones (decode the bodies they fall in)."""
    canon = uleb(index)
    forms = b"|".join(re.escape(f) for f in [canon] + [uleb_padded(index, w) for w in range(len(canon) + 1, 6)])
    found: list[int] = []
    for op in FUNC_REF_OPCODES:  # one pattern per opcode: a literal first byte makes re search fast
        pattern = re.compile(re.escape(bytes([op])) + b"(?=" + forms + b")")  # lookahead: overlapping hits count too
        found += [m.start() for m in pattern.finditer(data, start, end)]
    return sorted(found)


# --- what a module imports, exports and where its data goes ------------------------------------

@dataclass(frozen=True)
class Import:
    module: str
    name: str
    kind: int
    type: int | None  # a function's type index


def section(secs: list[Section], sid: int) -> Section | None:
    return next((s for s in secs if s.id == sid), None)


def imports(data: bytes, secs: list[Section]) -> list[Import]:
    s = section(secs, IMPORT)
    if s is None:
        return []
    out = []
    count, p = read_uleb(data, s.body)
    for _ in range(count):
        module, p = read_name(data, p)
        name, p = read_name(data, p)
        kind = data[p]
        out.append(Import(module.decode(), name.decode(), kind, read_uleb(data, p + 1)[0] if kind == FUNC_KIND else None))
        p = skip_import_desc(data, p)
    return out


def exports(data: bytes, secs: list[Section]) -> list[tuple[str, int, int]]:
    """(name, kind, index) of every export."""
    s = section(secs, EXPORT)
    if s is None:
        return []
    out = []
    count, p = read_uleb(data, s.body)
    for _ in range(count):
        name, p = read_name(data, p)
        index, after = read_uleb(data, p + 1)
        out.append((name.decode(), data[p], index))
        p = after
    return out


def data_offsets(data: bytes, secs: list[Section]) -> list[int]:
    """The `i32.const` start addresses of the active data segments."""
    s = section(secs, DATA)
    if s is None:
        return []
    out = []
    count, p = read_uleb(data, s.body)
    for _ in range(count):
        flags, p = read_uleb(data, p)
        if flags == 2:  # explicit memory index
            p = read_uleb(data, p)[1]
        if flags != 1:  # active: offset expression
            if data[p] == 0x41:  # i32.const (an address: its i32 read unsigned)
                value, q = read_sleb(data, p + 1)
                if data[q] == 0x0B:
                    out.append(value & 0xFFFFFFFF)
            p = const_expr_end(data, p)
        size, p = read_uleb(data, p)
        p += size
    return out
