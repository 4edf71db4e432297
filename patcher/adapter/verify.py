"""Upstream's adapter rules (crates/wasi-preview1-component-adapter/verify), reimplemented in Python.

An adapter must be a core module that imports its memory, imports functions only from `wasi:*`
and `__main_module__`, imports no tables, globals or tags, and has no memory, data, element or
start sections (wit-component cannot splice those into a component).
"""

from __future__ import annotations

from pathlib import Path

from patcher.core import wasm
from patcher.core.errors import PatcherError

ALLOWED_SECTIONS = {"types", "imports", "functions", "tables", "globals", "exports", "code"}


def problems(path: Path) -> list[str]:
    data = Path(path).read_bytes()
    if data[:4] != b"\0asm":
        return ["not a wasm binary"]
    if data[4:8] != b"\x01\0\0\0":
        return ["adapter must be a core wasm module, not a component"]
    try:
        wasm.validate(path)
    except wasm.InvalidWasm as e:  # a missing wasm-tools is not a verdict on the file: it propagates
        return [f"not valid WebAssembly: {str(e).split(': ', 1)[1]}"]
    found = []
    for section in wasm.sections(path):
        if section.startswith("custom:"):
            continue
        if section not in ALLOWED_SECTIONS:
            found.append(f"unsupported section {section!r}")
    iface = wasm.interface(path)
    memories = 0
    for module, name, ty in iface.imports:
        if ty.startswith("func("):
            if not (module.startswith("wasi:") or module == "__main_module__"):
                found.append(f"import from unknown module {module!r} ({name})")
        elif ty.startswith("memory("):
            memories += 1
        else:
            found.append(f"should not import {ty.split('(')[0]} {module}/{name}")
    if memories != 1:
        found.append(f"must import exactly one memory, imports {memories}")
    return found


def check(path: Path) -> None:
    found = problems(path)
    if found:
        raise PatcherError(f"{path} breaks the adapter rules: {'; '.join(found)}", hint="a newer rustc can emit sections the rules reject; build with the toolchain the tag expects")
