"""What a wasmtime trap says: its first meaningful line and the innermost adapter and Go frames."""

from __future__ import annotations

import re

TIMEOUT_TRAP = "interrupt"  # how wasmtime reports an epoch deadline

_FRAME = re.compile(r"^\s*\d+:\s+0x[0-9a-f]+ - (?P<where>.+)$")
# wasmtime's link error for an import no host function or instance was given for.
_UNLINKED = re.compile(r"component imports (?P<what>\w+) `(?P<name>[^`]+)`, but a matching implementation was not found")


def missing_import(message: str) -> tuple[str, str] | None:
    """(kind, name) of the import a link error says is missing (`function`, `log`), else None."""
    m = _UNLINKED.search(message)
    return (m["what"], m["name"]) if m else None


def parse_trap(message: str) -> tuple[str, dict[str, str]]:
    """First meaningful trap line and the innermost adapter and Go frames from a wasmtime error."""
    lines = [l.rstrip() for l in message.splitlines()]
    frames = [m["where"] for l in lines if (m := _FRAME.match(l))]
    caused = [l.strip() for i, l in enumerate(lines) if i > 0 and lines[i - 1].strip() == "Caused by:"]
    first = ""
    for cand in caused + [l.strip() for l in lines]:
        if cand and not cand.startswith(("error while executing", "Caused by", "wasm backtrace")) and not _FRAME.match(cand):
            first = cand
            break
    out = {}
    for f in frames:
        if "adapter:wasi_snapshot_preview1!" in f and "adapter" not in out:
            out["adapter"] = f.split("!", 1)[1]
        elif f.startswith("<unknown>!") and "go" not in out and not f.startswith("<unknown>!wasm_pc_f_loop"):
            out["go"] = f.split("!", 1)[1]
    return first or (lines[0] if lines else "unknown error"), out
