"""Shared by every stage: configuration layers, the error family, logging, tool runs, atomic files, wasm-tools, names and spec schemas."""
