#!/usr/bin/env python3
"""The host floor: which part of a component's extra time per Preview 1 call is the host's
Preview 2 path (canonical-ABI trampolines, the resource table, the WASI implementation) and so
out of any adapter's reach.

attrib.py's driver core module makes N identical calls (16-byte stdout writes; the three clock
reads of `time.Now()+time.Since()`), timed (interleaved, median of the samples) as:

- `p1`: the core module under wasmtime's Preview 1;
- `go`: with the go adapter (plain pipeline);
- `minimal`: the same component with the calls moved to an adapter that makes the one host call
  and nothing else (stdout: `bench/floor/stdout-adapter.wat`, one `blocking-write-and-flush` on a
  handle kept in a global; clocks: patcher's direct-clocks adapter).

`minimal - p1` is a floor for every adapter (its wasm is 10-20 operators), so a target below
`p1 + floor` cannot be met by adapter work. Timed, never asserted.

    python bench/floor.py [--n N] [--reps R]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import _bench

_bench.setup_path()

import attrib  # noqa: E402
import wasmtime  # noqa: E402
from wasmtime import component as C  # noqa: E402

FLOOR_DIR = Path(__file__).resolve().parent / "floor"
CALLS = {
    "stdout write (16 B)": ("fd_write(stdout, 16 B)", "fd_write", "patcher_floor_stdout"),
    "time.Now()+time.Since() (3 clock reads)": ("time.Now()+time.Since() (3 clock reads), after output", "clock_time_get", "patcher_clocks"),
}


def stdout_adapter(version: str, tmp: Path) -> Path:
    from patcher.core import wasm

    (tmp / "stdout.wit").write_text((FLOOR_DIR / "stdout-adapter.wit").read_text().replace("0.2.12", version))
    wasm.wasm_tools("parse", FLOOR_DIR / "stdout-adapter.wat", "-o", tmp / "stdout0.wasm")
    wasm.wasm_tools("component", "embed", tmp / "stdout.wit", tmp / "stdout0.wasm", "--world", "stdout-adapter", "-o", tmp / "stdout.wasm")
    return tmp / "stdout.wasm"


def sampler(engine: wasmtime.Engine, path: Path, tmp: Path, *, component: bool) -> Callable[[], float]:
    """One run of the driver; returns the seconds its `_start`/`run` took (instantiation excluded)."""
    comp = C.Component.from_file(engine, str(path)) if component else None
    module = None if component else wasmtime.Module.from_file(engine, str(path))
    (tmp / "data").mkdir(exist_ok=True)

    def once() -> float:
        store = wasmtime.Store(engine)
        store.set_wasi(attrib.wasi_config(tmp, tmp / "data"))
        if comp is not None:
            linker = C.Linker(engine)
            linker.add_wasip2()
            inst = linker.instantiate(store, comp)
            run_name = next(n for n in comp.type.exports(engine) if n.startswith("wasi:cli/run@"))
            run = inst.get_func(store, inst.get_export_index(store, "run", inst.get_export_index(store, run_name)))
            t = time.perf_counter()
            run(store)
            return time.perf_counter() - t
        core_linker = wasmtime.Linker(engine)
        core_linker.define_wasi()
        core_inst = core_linker.instantiate(store, module)
        start = core_inst.exports(store)["_start"]
        t = time.perf_counter()
        start(store)  # type: ignore[operator]
        return time.perf_counter() - t

    return once


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200_000, help="calls per sample (default 200000)")
    ap.add_argument("--reps", type=int, default=11, help="samples per side (default 11)")
    args = ap.parse_args(argv)

    from patcher.adapter import adapters
    from patcher.component import compose, direct_clocks
    from patcher.core import config, log, wasm
    from patcher.patching.project import Project

    log.set_quiet(True)
    project = Project(config.load())
    go = adapters.variant_adapters(project, project.variant("go"), kinds=("command",))["command"]
    versions = direct_clocks.clock_versions(go)
    assert versions is not None
    engine = wasmtime.Engine()
    print(f"# host floor, {time.strftime('%Y-%m-%d %H:%M')}; {_bench.machine()}; load {_bench.load()}; N={args.n}, {args.reps} samples per side")
    print("| call | P1 ns | go ns | minimal ns | go - P1 | minimal - P1 (floor) | floor share of go's gap |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="patcher-floor-") as t:
        tmp = Path(t)
        minimal = {"patcher_floor_stdout": stdout_adapter(versions["monotonic_version"], tmp),
                   "patcher_clocks": direct_clocks.clocks_adapter(versions, tmp)}
        for label, (case_name, imported, module) in CALLS.items():
            case = next(c for c in attrib.CASES if c.name == case_name)
            (tmp / "driver.wat").write_text(attrib.wat(case, args.n))
            core = tmp / "driver.wasm"
            wasm.wasm_tools("parse", tmp / "driver.wat", "-o", core)
            moved, n = wasm.rename_import_module(core.read_bytes(), frozenset({imported}), "wasi_snapshot_preview1", module)
            assert n
            (tmp / "moved.wasm").write_bytes(moved)
            sides = {
                "p1": sampler(engine, core, tmp, component=False),
                "go": sampler(engine, compose.new_component(core, go, out=tmp / "go.wasm", low_memory_free=True), tmp, component=True),
                "minimal": sampler(engine, compose.new_component(tmp / "moved.wasm", go, out=tmp / "min.wasm", low_memory_free=True,
                                                                 extra_adapters={module: minimal[module]}), tmp, component=True),
            }
            for run in sides.values():
                run()  # warm-up
            samples: dict[str, list[float]] = {k: [] for k in sides}
            order = list(sides)
            for i in range(args.reps):
                for k in order if i % 2 == 0 else reversed(order):
                    samples[k].append(sides[k]())
            ns = {k: statistics.median(v) / args.n * 1e9 for k, v in samples.items()}
            gap, floor = ns["go"] - ns["p1"], ns["minimal"] - ns["p1"]
            share = f"{floor / gap:.0%}" if gap > 0 else "n/a"
            print(f"| {label} | {ns['p1']:.1f} | {ns['go']:.1f} | {ns['minimal']:.1f} | {gap:+.1f} | {floor:+.1f} | {share} |", flush=True)
    print(f"# ns per iteration of the driver's loop (medians); load now {_bench.load()}. A Go program adds its own work per call "
          "(bench/overhead.py), which dilutes these gaps in its ratios but not the floor in ns.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
