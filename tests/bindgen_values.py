"""Seeded random WIT values for wasmtime-py component types (for bindgen round trips): patcher.bindgen.values."""

from patcher.bindgen.values import ValueGen, same  # noqa: F401
