"""Stage 6: running components and core modules with wasmtime-py (limits, traps), `patcher run` and `patcher test`."""
