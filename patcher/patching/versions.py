"""Tiny version specs for patches: '>=46', '>=46,<49', '==48.0', '*'."""

from __future__ import annotations

import re

from patcher.core.errors import PatcherError

_CLAUSE = re.compile(r"^\s*(>=|<=|==|>|<|!=)?\s*(\d+(?:\.\d+)*)\s*$")


def parse_version(text: str) -> tuple[int, ...]:
    m = re.search(r"(\d+(?:\.\d+)*)", text)
    if not m:
        raise PatcherError(f"cannot read a version from {text!r}")
    return tuple(int(x) for x in m.group(1).split("."))


def matches(spec: str, version: tuple[int, ...]) -> bool:
    spec = spec.strip()
    if spec in ("", "*"):
        return True
    for clause in spec.split(","):
        m = _CLAUSE.match(clause)
        if not m:
            raise PatcherError(f"bad version spec {spec!r}", hint="use forms like '>=46', '>=46,<49' or '*'")
        op, bound = m.group(1) or "==", tuple(int(x) for x in m.group(2).split("."))
        v = version[: len(bound)]
        ok = {
            ">=": v >= bound, "<=": v <= bound, ">": v > bound, "<": v < bound, "==": v == bound, "!=": v != bound,
        }[op]
        if not ok:
            return False
    return True
