"""patcher: Go-safe WASI preview1 component adapters, built from upstream wasmtime."""

__version__ = "0.1.0"
