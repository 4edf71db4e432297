"""Names every stage agrees on: adapter kinds and adapter file names."""

from __future__ import annotations

from typing import Literal, get_args

AdapterKind = Literal["reactor", "command", "proxy"]  # upstream's three builds of the adapter
# What a Go program is (`_start`, exports, or a wasi:http/proxy service); the adapters Go uses.
ProgramKind = Literal["command", "reactor", "proxy"]
ADAPTER_KINDS: tuple[AdapterKind, ...] = get_args(AdapterKind)
PROGRAM_KINDS: tuple[ProgramKind, ...] = ("command", "reactor")  # the kinds a WIT or `_start` decides (a proxy: --world wasi:http/proxy)
EXPORT_KINDS: tuple[ProgramKind, ...] = ("reactor", "proxy")  # built -buildmode=c-shared: `_initialize` and //go:wasmexport
ADAPTER_MODULE = "wasi_snapshot_preview1"  # the core module name Go's imports use; also the adapter's file stem


def adapter_name(kind: str) -> str:
    """File name of the `kind` adapter, as upstream and the official crate spell it."""
    return f"{ADAPTER_MODULE}.{kind}.wasm"

