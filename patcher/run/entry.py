"""A command's entry point: `run` in a component's wasi:cli/run export, `_start` in a core module."""

from __future__ import annotations

import wasmtime
from wasmtime import component as C


def cli_run(store: wasmtime.Store, inst: C.Instance, run_name: str) -> C.Func:
    """`run` of the instance's wasi:cli/run export (`run_name`: that export's versioned name)."""
    iface = inst.get_export_index(store, run_name)
    index = inst.get_export_index(store, "run", iface) if iface is not None else None
    func = inst.get_func(store, index) if index is not None else None
    if func is None:
        raise wasmtime.WasmtimeError(f"{run_name} exports no function `run`")
    return func


def start(store: wasmtime.Store, inst: wasmtime.Instance) -> None:
    """Call a core module's `_start`."""
    func = inst.exports(store)["_start"]
    if not isinstance(func, wasmtime.Func):
        raise wasmtime.WasmtimeError("the module's _start export is not a function")
    func(store)
