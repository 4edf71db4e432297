"""Component values between TOML/JSON/the command line and wasmtime-py."""

from __future__ import annotations

import json
from typing import Any

import wasmtime
from wasmtime import component as C


def to_py(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return list(value)
    if isinstance(value, list):
        return [to_py(v) for v in value]
    if isinstance(value, tuple):
        return [to_py(v) for v in value]
    return value


def lower(value: Any, ty: object) -> Any:
    """TOML values -> what wasmtime-py expects for a WIT type (list<u8> is `bytes`, floats are floats)."""
    if isinstance(ty, C.ListType):
        if isinstance(ty.element, C.U8) and isinstance(value, list):
            return bytes(value)
        return [lower(v, ty.element) for v in value]
    if isinstance(ty, (C.F32, C.F64)):
        return float(value)
    return value


def func_params(engine: wasmtime.Engine, comp: C.Component) -> dict[str, list[C.ValType]]:
    out: dict[str, list[C.ValType]] = {}
    for name, item in comp.type.exports(engine).items():
        ty = getattr(item, "ty", item)  # wasmtime-py 46 gives the FuncType itself, later versions an item with .ty
        if isinstance(ty, C.FuncType):
            out[name] = [t for _, t in ty.params]
    return out


def parse_arg(text: str, ty: object) -> object:
    """Command-line text -> a value for the WIT type: strings as-is, everything else as JSON."""
    if isinstance(ty, C.String):
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text
