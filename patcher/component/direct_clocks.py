"""Companion step `direct-clocks`: Go's clock reads go to the Preview 2 clocks through a
40-line WAT adapter of patcher's own, not through the Preview 1 adapter.

The Preview 1 adapter keeps books on every clock read so that it can answer clocks inside
cabi_realloc, where the host must not be called (noleave's virtual clock: a floor, a skew, the
wall/monotonic pairing). Only the main module can open such a pause (it is the only caller of
`adapter_monotonic_clock_set_paused`, directly or through patcher's cabi_realloc wrapper), so a
module with no realloc export and no pause import never pauses, and its clocks can be the host's
as they are: exactly what upstream's adapter returns, without the books. Its `clock_time_get`
imports are moved to the import module `patcher_clocks` (a binary edit of the import section;
no index changes) and `component new --adapt patcher_clocks=...` satisfies them with the clocks
adapter rendered from `patcher/resources/direct_clocks/`. Every other module (reactors with a
cabi_realloc, glue that pauses) keeps the Preview 1 adapter's clocks.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tempfile
from pathlib import Path

import jinja2

from patcher.core import cache, wasm, wasmbin
from patcher.core.errors import PatcherError
from patcher.core.fsutil import ensure_cache_dir, sha256_file, write_atomic

MODULE = "patcher_clocks"
P1_MODULE = "wasi_snapshot_preview1"
PAUSE_IMPORT = "adapter_monotonic_clock_set_paused"
RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "direct_clocks"
# The wall clock's record is returned through memory at [SCRATCH, SCRATCH + 16): inside the low
# memory the Go linker leaves free (cmd/link wasmMinDataAddr; its end is the variant's
# `low_memory_end`, from the noalloc patch spec), which wasip1 never uses, and far below the go
# adapter's stack (it starts at that end and uses < 1 KiB; the two adapters never run at the same time).
SCRATCH = 4096

_CLOCK_VERSION = re.compile(r'"wasi:clocks/(monotonic-clock|wall-clock)@([0-9A-Za-z.+-]+)" "now"')


def not_applicable(data: bytes, low_memory_end: int) -> str | None:
    """Why the module must keep the Preview 1 adapter's clocks (None: it need not).

    Read from the binary's import, export and data sections; `low_memory_end` is the end of the
    low memory the Go linker leaves free."""
    from patcher.component.rewrite import is_realloc

    secs = wasmbin.sections(data)
    imports = [(i.module, i.name) for i in wasmbin.imports(data, secs)]
    if (P1_MODULE, "clock_time_get") not in imports:
        return "the module does not import clock_time_get"
    if (P1_MODULE, PAUSE_IMPORT) in imports:
        return f"the module imports {PAUSE_IMPORT} (it pauses the adapter itself)"
    reallocs = [name for name, kind, _ in wasmbin.exports(data, secs) if kind == wasmbin.FUNC_KIND and is_realloc(name)]
    if reallocs:
        return f"the module exports {reallocs[0]} (clocks read inside it must come from the adapter's virtual clock)"
    if not wasm.is_go_module(data):
        return "not a Go module (the clocks adapter's scratch memory is in the Go linker's reserved range)"
    low = [o for o in wasmbin.data_offsets(data, secs) if o < low_memory_end]
    if low:
        return f"a data segment starts at {low[0]}, inside [0, {low_memory_end}) that the Go linker keeps free"
    return None


def clock_versions(adapter: Path) -> dict[str, str] | None:
    """The WASI versions the Preview 1 adapter imports the two clocks' `now` from (None: it does not)."""
    st = adapter.stat()
    return _clock_versions(str(adapter.resolve()), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=32)
def _clock_versions(adapter: str, _mtime_ns: int, _size: int) -> dict[str, str] | None:
    found = dict(_CLOCK_VERSION.findall(wasm.wasm_tools("print", "--skeleton", adapter).decode()))
    if "monotonic-clock" not in found or "wall-clock" not in found:
        return None
    return {"monotonic_version": found["monotonic-clock"], "wall_version": found["wall-clock"]}


def clocks_adapter(versions: dict[str, str], cache_dir: Path) -> Path:
    """The clocks adapter for these WASI versions: rendered WAT, parsed, its WIT world embedded (cached)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(RESOURCES), undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    params = {**versions, "module": MODULE, "scratch": SCRATCH}
    wat = env.get_template("clocks.wat.j2").render(params)
    wit = env.get_template("clocks.wit.j2").render(params)
    key = hashlib.sha256(f"{wat}\0{wit}\0{wasm.wasm_tools_version()}".encode()).hexdigest()[:24]
    out = ensure_cache_dir(cache_dir) / "rewritten" / f"clocks-adapter-{key}.wasm"
    if out.is_file():
        return cache.used(out)
    with tempfile.TemporaryDirectory(prefix="patcher-clocks-") as t:
        (Path(t) / "clocks.wit").write_text(wit)
        core = wasm.wasm_tools("parse", "-", "-o", "/dev/stdout", input=wat.encode())
        (Path(t) / "clocks.wasm").write_bytes(core)
        embedded = Path(t) / "embedded.wasm"
        wasm.wasm_tools("component", "embed", Path(t) / "clocks.wit", Path(t) / "clocks.wasm", "--world", "clocks-adapter", "-o", embedded)
        write_atomic(out, embedded.read_bytes())
    return out


def apply(core: Path, adapter: Path, cache_dir: Path, *, low_memory_end: int) -> tuple[Path, dict[str, Path], str | None]:
    """(core module, extra adapters for `component new`, why not applied or None).

    The decision about the module is cached with it (the moved module, or the reason in a `.skip`
    file), so a cached module costs no wasm-tools run."""
    key = hashlib.sha256(f"direct-clocks-v2\0{sha256_file(core)}\0{low_memory_end}".encode()).hexdigest()[:32]
    out = ensure_cache_dir(cache_dir) / "rewritten" / f"clocks-{key}.wasm"
    skip = out.with_suffix(".skip")
    if skip.is_file():
        return core, {}, cache.used(skip).read_text()
    if not out.is_file():
        data = core.read_bytes()
        reason = not_applicable(data, low_memory_end)
        if reason is not None:
            write_atomic(skip, reason.encode())
            return core, {}, reason
        moved, n = wasm.rename_import_module(data, frozenset({"clock_time_get"}), P1_MODULE, MODULE)
        if n == 0:
            raise PatcherError(f"{core}: no clock_time_get import was moved", hint="report this: the skeleton listed one")
        write_atomic(out, moved)
    versions = clock_versions(adapter)
    if versions is None:
        return core, {}, f"the adapter {adapter.name} imports no wasi:clocks now functions"
    return cache.used(out), {MODULE: clocks_adapter(versions, cache_dir)}, None
