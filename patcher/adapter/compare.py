"""`compare A B`: import/export differences (names and types), sizes, byte identity."""

from __future__ import annotations

from pathlib import Path

from patcher.core import wasm
from patcher.core.fsutil import sha256_file


def compare(a: Path, b: Path) -> tuple[str, bool]:
    """Report and whether the interfaces are equal."""
    ia, ib = wasm.interface(a), wasm.interface(b)
    lines = [f"A: {a} ({a.stat().st_size} bytes)", f"B: {b} ({b.stat().st_size} bytes)"]
    size_a, size_b = a.stat().st_size, b.stat().st_size
    lines.append(f"size: B/A = {size_b / size_a:.3f}")
    same = True
    for label, xa, xb in (("import", ia.imports, ib.imports), ("export", ia.exports, ib.exports)):
        names_a = {x[:-1]: x[-1] for x in xa}
        names_b = {x[:-1]: x[-1] for x in xb}
        only_a = sorted(set(names_a) - set(names_b))
        only_b = sorted(set(names_b) - set(names_a))
        retyped = sorted(k for k in set(names_a) & set(names_b) if names_a[k] != names_b[k])
        for k in only_a:
            lines.append(f"- {label} only in A: {'/'.join(k)} {names_a[k]}")
        for k in only_b:
            lines.append(f"+ {label} only in B: {'/'.join(k)} {names_b[k]}")
        for k in retyped:
            lines.append(f"~ {label} {'/'.join(k)}: A {names_a[k]} / B {names_b[k]}")
        same &= not (only_a or only_b or retyped)
        lines.append(f"{label}s: A {len(xa)}, B {len(xb)}, {'identical' if not (only_a or only_b or retyped) else 'DIFFERENT'}")
    identical = sha256_file(a) == sha256_file(b)
    lines.append(f"bytes: {'identical' if identical else 'differ'}")
    lines.append(f"interface: {'equal' if same else 'different'}")
    return "\n".join(lines), same
