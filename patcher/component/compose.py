"""Core module -> component: `wasm-tools component embed` (reactors with a WIT world) and `component new --adapt`."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from patcher.core import cache, wasm
from patcher.core.errors import PatcherError, UsageError
from patcher.core.fsutil import ensure_cache_dir, sha256_file


def _wit_hash(wit: Path | None) -> str:
    if wit is None:
        return ""
    if wit.is_dir():
        h = hashlib.sha256()
        for p in sorted(wit.rglob("*.wit")):
            h.update(p.relative_to(wit).as_posix().encode() + p.read_bytes())
        return h.hexdigest()
    return sha256_file(wit)


def check_go_module(core: Path, adapter: Path) -> None:
    """Refuse a non-Go module with an adapter that relies on the Go linker's memory layout."""
    stamp = wasm.read_stamp(adapter)
    low = wasm.low_memory_end(stamp)
    if low is not None and not wasm.is_go_module(core.read_bytes()):
        raise UsageError(
            f"{core} is not a Go module, and the {(stamp or {}).get('variant', '?')} adapter keeps its stack in linear memory [0, {low}), "
            "which only the Go linker leaves unused",
            hint="use the upstream variant or the official adapter for Rust, C or TinyGo modules",
        )


def new_component(core: Path, adapter: Path, *, out: Path | None = None, wit: Path | None = None, world: str | None = None,
                  new_flags: tuple[str, ...] = (), cache_dir: Path | None = None, low_memory_free: bool = False,
                  extra_adapters: Mapping[str, Path] | None = None) -> Path:
    """Embed `wit`/`world` (if given) and adapt `core` into a component, atomically written to `out` or the cache.

    `extra_adapters`: more `--adapt NAME=FILE` modules, by the import module they satisfy.

    `low_memory_free`: the caller vouches that a non-Go `core` leaves the adapter's low memory unused, as Go does."""
    if not adapter.is_file():
        raise PatcherError(f"adapter {adapter} not found", hint="build it with `python -m patcher build` or pass an existing adapter file")
    if not low_memory_free:
        check_go_module(core, adapter)
    if out is None:
        if cache_dir is None:
            raise ValueError("out or cache_dir required")
        extra = [f"{name}={sha256_file(path)}" for name, path in sorted((extra_adapters or {}).items())]
        key = hashlib.sha256("\0".join([sha256_file(core), sha256_file(adapter), _wit_hash(wit), world or "", *new_flags, *extra]).encode()).hexdigest()[:32]
        out = ensure_cache_dir(cache_dir) / "components" / f"{key}.wasm"
        if out.is_file():
            return cache.used(out)
        cache.prune_now_and_then(cache_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="patcher-compose-", dir=out.parent) as t:
        src = core
        if wit is not None:
            embedded = Path(t) / "embedded.wasm"
            args = ["component", "embed", str(wit), str(core), "-o", str(embedded)]
            if world:
                args += ["--world", world]
            try:
                wasm.wasm_tools(*args)
            except PatcherError as e:
                raise PatcherError(f"cannot embed WIT {wit} (world {world or 'default'}): {str(e).removeprefix('wasm-tools component failed: ')}", hint="check --wit and --world") from e
            src = embedded
        tmp_out = Path(t) / "component.wasm"
        try:
            more = [a for name, path in sorted((extra_adapters or {}).items()) for a in ("--adapt", f"{name}={path}")]
            wasm.wasm_tools("component", "new", str(src), "--adapt", f"wasi_snapshot_preview1={adapter}", *more, *new_flags, "-o", str(tmp_out))
        except PatcherError as e:
            msg = str(e).removeprefix("wasm-tools component failed: ")
            hint = None
            if wit:
                hint = (f"the module's //go:wasmexport functions must match WIT world {world or 'default'}: "
                        f"`patcher bindgen --wit {wit} --world {world or 'WORLD'} -o PKG` generates them")
            raise PatcherError(f"wasm-tools component new failed: {msg}", hint=hint) from e
        os.replace(tmp_out, out)
    return out
