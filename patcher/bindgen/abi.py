"""Canonical ABI layout (Component Model CanonicalABI.md): size, alignment, flattening."""

from __future__ import annotations

from patcher.bindgen.model import Type

MAX_FLAT_PARAMS = 16
MAX_FLAT_RESULTS = 1

_PRIM = {"bool": (1, 1, "i32"), "u8": (1, 1, "i32"), "s8": (1, 1, "i32"), "u16": (2, 2, "i32"), "s16": (2, 2, "i32"),
         "u32": (4, 4, "i32"), "s32": (4, 4, "i32"), "char": (4, 4, "i32"), "f32": (4, 4, "f32"),
         "u64": (8, 8, "i64"), "s64": (8, 8, "i64"), "f64": (8, 8, "f64")}


def align_to(n: int, a: int) -> int:
    return (n + a - 1) // a * a


def disc_size(n_cases: int) -> int:
    return 1 if n_cases <= 256 else 2 if n_cases <= 65536 else 4


def flags_size(n: int) -> int:
    return 0 if n == 0 else 1 if n <= 8 else 2 if n <= 16 else 4


def variant_cases(t: Type) -> list[Type | None]:
    """Payload types of a variant-like type, in case order."""
    t = t.resolved()
    if t.kind == "option":
        return [None, t.items[0]]
    if t.kind in ("variant", "result", "enum"):
        return [c for _, c in t.cases]
    raise ValueError(t.kind)


def is_variant_like(t: Type) -> bool:
    return t.resolved().kind in ("variant", "option", "result", "enum")


def record_items(t: Type) -> list[Type]:
    t = t.resolved()
    return [ft for _, ft in t.fields] if t.kind == "record" else t.items


def alignment(t: Type) -> int:
    t = t.resolved()
    if t.kind in _PRIM:
        return _PRIM[t.kind][1]
    if t.kind in ("string", "list"):
        return 4
    if t.kind == "handle":
        return 4
    if t.kind in ("record", "tuple"):
        return max([alignment(x) for x in record_items(t)], default=1)
    if t.kind == "flags":
        return max(1, flags_size(len(t.flags)))
    cases = variant_cases(t)
    return max([disc_size(len(cases))] + [alignment(c) for c in cases if c is not None])


def size(t: Type) -> int:
    t = t.resolved()
    if t.kind in _PRIM:
        return _PRIM[t.kind][0]
    if t.kind in ("string", "list"):
        return 8
    if t.kind == "handle":
        return 4
    if t.kind in ("record", "tuple"):
        return align_to(sum_offsets(record_items(t))[1], alignment(t))
    if t.kind == "flags":
        return flags_size(len(t.flags))
    cases = variant_cases(t)
    off = payload_offset(t)
    return align_to(off + max([size(c) for c in cases if c is not None], default=0), alignment(t))


def sum_offsets(items: list[Type]) -> tuple[list[int], int]:
    """Field offsets of a record/tuple and the end of the last field."""
    offs, s = [], 0
    for x in items:
        s = align_to(s, alignment(x))
        offs.append(s)
        s += size(x)
    return offs, s


def payload_offset(t: Type) -> int:
    cases = variant_cases(t)
    return align_to(disc_size(len(cases)), max([alignment(c) for c in cases if c is not None], default=1))


def join(a: str, b: str) -> str:
    if a == b:
        return a
    if {a, b} == {"i32", "f32"}:
        return "i32"
    return "i64"


def flat(t: Type) -> list[str]:
    t = t.resolved()
    if t.kind in _PRIM:
        return [_PRIM[t.kind][2]]
    if t.kind in ("string", "list"):
        return ["i32", "i32"]
    if t.kind == "handle":
        return ["i32"]
    if t.kind in ("record", "tuple"):
        return [c for x in record_items(t) for c in flat(x)]
    if t.kind == "flags":
        return ["i32"] if t.flags else []
    payload: list[str] = []
    for c in variant_cases(t):
        if c is None:
            continue
        for i, ft in enumerate(flat(c)):
            if i < len(payload):
                payload[i] = join(payload[i], ft)
            else:
                payload.append(ft)
    return ["i32", *payload]


def has_memory(t: Type | None) -> bool:
    """Whether lowering `t` hands the other side pointers (strings, lists)."""
    if t is None:
        return False
    t = t.resolved()
    if t.kind in ("string", "list"):
        return True
    if t.kind in ("record", "tuple"):
        return any(has_memory(x) for x in record_items(t))
    if is_variant_like(t):
        return any(has_memory(c) for c in variant_cases(t))
    return False
