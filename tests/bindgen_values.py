"""Seeded random WIT values for wasmtime-py component types (for bindgen round trips)."""

from __future__ import annotations

import random
import struct

from wasmtime import component as C

_INT = {C.U8: (0, 2**8 - 1), C.U16: (0, 2**16 - 1), C.U32: (0, 2**32 - 1), C.U64: (0, 2**64 - 1),
        C.S8: (-2**7, 2**7 - 1), C.S16: (-2**15, 2**15 - 1), C.S32: (-2**31, 2**31 - 1), C.S64: (-2**63, 2**63 - 1)}
# ASCII, Latin/Greek/Cyrillic, CJK, emoji: 1- to 4-byte UTF-8, never surrogates.
_CHAR_RANGES = ((0x20, 0x7E), (0xA0, 0x52F), (0x4E00, 0x9FFF), (0x1F300, 0x1FAFF))


class ValueGen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def char(self) -> str:
        lo, hi = self.rng.choice(_CHAR_RANGES)
        return chr(self.rng.randint(lo, hi))

    def length(self, big: int) -> int:
        r = self.rng.random()
        return 0 if r < 0.1 else self.rng.randint(1, 8) if r < 0.9 else self.rng.randint(9, big)

    def value(self, ty, depth: int = 0):
        rng = self.rng
        for cls, (lo, hi) in _INT.items():
            if isinstance(ty, cls):
                return rng.choice((lo, hi, 0)) if rng.random() < 0.2 else rng.randint(lo, hi)
        if isinstance(ty, C.Bool):
            return rng.random() < 0.5
        if isinstance(ty, C.F32):
            return struct.unpack("<f", struct.pack("<f", rng.uniform(-1e6, 1e6)))[0]
        if isinstance(ty, C.F64):
            return rng.choice((0.0, -1.5e300, float("inf"))) if rng.random() < 0.1 else rng.uniform(-1e12, 1e12)
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
