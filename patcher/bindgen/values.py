"""Seeded random WIT values for wasmtime-py component types, and an equality that follows the
canonical ABI (for bindgen round trips: tests/integration/test_bindgen.py and the reactor-bindgen-* corpus
programs).

Edge values are drawn on purpose: integer bounds (0, 1, -1, min, max), float zeros of both signs,
infinities, the largest and smallest (normal and subnormal) magnitudes and NaNs with random
payloads; chars at every UTF-8 length boundary and around the surrogate gap (never a surrogate:
a WIT `char` is a Unicode scalar value).
"""

from __future__ import annotations

import math
import random
import struct
from typing import Any

from wasmtime import component as C

_INT = {C.U8: (0, 2**8 - 1), C.U16: (0, 2**16 - 1), C.U32: (0, 2**32 - 1), C.U64: (0, 2**64 - 1),
        C.S8: (-2**7, 2**7 - 1), C.S16: (-2**15, 2**15 - 1), C.S32: (-2**31, 2**31 - 1), C.S64: (-2**63, 2**63 - 1)}
# ASCII, Latin/Greek/Cyrillic, CJK, emoji: 1- to 4-byte UTF-8, never surrogates.
_CHAR_RANGES = ((0x20, 0x7E), (0xA0, 0x52F), (0x4E00, 0x9FFF), (0x1F300, 0x1FAFF))
# UTF-8 length boundaries, both sides of the surrogate gap (D800-DFFF), the last scalar value.
CHAR_EDGES = tuple(map(chr, (0x0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF)))
F32_EDGES = (0.0, -0.0, 1.0, -1.0, math.inf, -math.inf, 3.4028234663852886e38, -3.4028234663852886e38,
             1.1754943508222875e-38, 1.401298464324817e-45, -1.401298464324817e-45)
F64_EDGES = (0.0, -0.0, 1.0, -1.0, math.inf, -math.inf, 1.7976931348623157e308, -1.7976931348623157e308,
             2.2250738585072014e-308, 5e-324, -5e-324)
EDGE_P = 0.2  # share of scalar values drawn from the edges


def _nan32(rng: random.Random) -> float:
    """A NaN with a random sign and payload (quiet or signalling), as an f32 value."""
    bits = (rng.getrandbits(1) << 31) | (0xFF << 23) | rng.randint(1, (1 << 23) - 1)
    value: float = struct.unpack("<f", struct.pack("<I", bits))[0]
    return value


def _nan64(rng: random.Random) -> float:
    bits = (rng.getrandbits(1) << 63) | (0x7FF << 52) | rng.randint(1, (1 << 52) - 1)
    value: float = struct.unpack("<d", struct.pack("<Q", bits))[0]
    return value


class ValueGen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def char(self) -> str:
        if self.rng.random() < 0.05:
            return self.rng.choice(CHAR_EDGES)
        lo, hi = self.rng.choice(_CHAR_RANGES)
        return chr(self.rng.randint(lo, hi))

    def length(self, big: int) -> int:
        r = self.rng.random()
        return 0 if r < 0.1 else self.rng.randint(1, 8) if r < 0.9 else self.rng.randint(9, big)

    def value(self, ty: Any, depth: int = 0) -> Any:
        rng = self.rng
        for cls, (lo, hi) in _INT.items():
            if isinstance(ty, cls):
                if rng.random() < EDGE_P:
                    return rng.choice((lo, hi, 0, 1, lo + 1, hi - 1) + ((-1,) if lo else ()))
                return rng.randint(lo, hi)
        if isinstance(ty, C.Bool):
            return rng.random() < 0.5
        if isinstance(ty, C.F32):
            if rng.random() < EDGE_P:
                return _nan32(rng) if rng.random() < 0.3 else rng.choice(F32_EDGES)
            return struct.unpack("<f", struct.pack("<f", rng.uniform(-1e6, 1e6)))[0]
        if isinstance(ty, C.F64):
            if rng.random() < EDGE_P:
                return _nan64(rng) if rng.random() < 0.3 else rng.choice(F64_EDGES)
            return rng.uniform(-1e12, 1e12)
        if isinstance(ty, C.Char):
            return self.char()
        if isinstance(ty, C.String):
            return "".join(self.char() for _ in range(self.length(4000)))
        if isinstance(ty, C.ListType):
            n = self.length(64 if depth else 2000)
            if isinstance(ty.element, C.U8):
                return rng.randbytes(n)
            return [self.value(ty.element, depth + 1) for _ in range(min(n, 40 if depth else n))]
        if isinstance(ty, C.RecordType):
            r = C.Record()
            for name, ft in ty.fields:
                setattr(r, name, self.value(ft, depth + 1))
            return r
        if isinstance(ty, C.TupleType):
            return tuple(self.value(t, depth + 1) for t in ty.elements)
        if isinstance(ty, C.EnumType):
            return rng.choice(ty.names)
        if isinstance(ty, C.FlagsType):
            return {n for n in ty.names if rng.random() < 0.5}
        if isinstance(ty, C.OptionType):
            return None if rng.random() < 0.3 else self.value(ty.payload, depth + 1)
        if isinstance(ty, (C.VariantType, C.ResultType)):
            name, payload = rng.choice(ty._cases())
            val = None if payload is None else self.value(payload, depth + 1)
            return C.Variant(name, val) if ty._tagged() else val
        raise TypeError(f"no generator for {ty!r}")


def same(a: Any, b: Any) -> bool:
    """Value equality per the canonical ABI: a NaN equals any NaN (its payload and sign may be
    canonicalized on the way, the spec leaves that to the implementation), and floats otherwise
    compare bit for bit, so 0.0 and -0.0 differ."""
    if isinstance(a, float) or isinstance(b, float):
        if not (isinstance(a, (float, int)) and isinstance(b, (float, int))) or isinstance(a, bool) or isinstance(b, bool):
            return False
        a, b = float(a), float(b)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, C.Record) and isinstance(b, C.Record):
        da, db = vars(a), vars(b)
        return da.keys() == db.keys() and all(same(v, db[k]) for k, v in da.items())
    if isinstance(a, C.Variant) and isinstance(b, C.Variant):
        return a.tag == b.tag and same(a.payload, b.payload)
    return type(a) is type(b) and a == b
