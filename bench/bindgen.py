#!/usr/bin/env python3
"""Generated bindings (`patcher bindgen`) vs. hand-written canonical ABI glue, measured in one run.

The same Go user code (`bench/go/abi-*/work.go`) behind the same WIT world (`world.wit`):

- a: `bench/go/abi-glue`, the canonical ABI written by hand in the style of the old examples/greet
  glue (cabi_realloc keeping blocks in a map, arguments copied into Go values, results handed to
  the host from Go memory until cabi_post_*);
- b: `bench/go/abi-bindgen`, with `abi_bindings.go` generated from world.wit at build time (into a
  temporary copy of the package, so the bindings are always the current generator's).

Both are componentized with the `go` variant (`componentize`, all companion steps) and called the
same way from wasmtime-py. Workloads (one sample = one instantiation, untimed, then the calls):

- string-64k: `upper: func(s: string) -> string` with 64 KiB strings, 100 calls per sample;
- records-10k: `rescore: func(items: list<item>) -> list<item>` with 10,000 records
  `{id: u32, name: string, score: f64, tags: list<string>}` (0-4 tags), 5 calls per sample.

Every side is checked once (every result compared with the expected value) before timing; then
interleaved pairs after one discarded warm-up pair; medians, the median of the per-pair ratios
b/a with its IQR, and the fuel ratio (wasm operators executed per sample, from the same component
compiled for a fuel-metering engine: deterministic, excludes wasmtime-py's lowering and lifting).
Target: bindgen/glue <= 1.10, printed, never asserted.

    python bench/bindgen.py [--quick] [--only string-64k|records-10k] [--reps N] [--no-fuel] [--go GO] [--json FILE]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import _bench
from _bench import GO_DIR, Sample, interleave, pair_verdict, table

_bench.setup_path()

import wasmtime  # noqa: E402
from overhead import load_compiled  # noqa: E402
from wasmtime import component as C  # noqa: E402

TARGET = 1.10
WORLD = "abi"
STRING = 64 << 10
RECORDS = 10_000
FUEL = 1 << 62


class BenchError(Exception):
    pass


def bench_string(i: int) -> str:
    return "".join(chr(97 + (i + j) % 26) for j in range(26)) * (STRING // 26) + "z" * (STRING % 26)


def bench_items(n: int, seed: int) -> list:
    """n records, deterministic: names of 8-24 bytes, 0-4 tags of 3-12 bytes, scores in [0, 1000)."""
    import random

    rng = random.Random(seed)
    out = []
    for i in range(n):
        r = C.Record()
        r.id = i
        r.name = f"item-{i:05d}-" + "x" * rng.randint(0, 13)
        r.score = rng.random() * 1000
        r.tags = [f"t{rng.randint(0, 99)}" + "y" * rng.randint(0, 9) for _ in range(rng.randint(0, 4))]
        out.append(r)
    return out


def _rescored(items: list) -> list[tuple]:
    return [(r.id + 1, r.name, r.score * 2, list(r.tags)) for r in items]


def _as_tuples(items: list) -> list[tuple]:
    return [(r.id, r.name, r.score, list(r.tags)) for r in items]


@dataclass
class Workload:
    name: str
    label: str
    n: int  # calls per sample (full)
    quick_n: int

    def inputs(self, n: int) -> list:
        if self.name == "string-64k":
            return [bench_string(i) for i in range(n)]
        return [bench_items(RECORDS, seed=i) for i in range(n)]

    def func(self) -> str:
        return "upper" if self.name == "string-64k" else "rescore"

    def check(self, arg, got) -> str | None:
        if self.name == "string-64k":
            return None if got == arg.upper() else f"upper() returned {len(got)} chars, not the upper-cased argument"
        if len(got) != len(arg):
            return f"rescore() returned {len(got)} records, expected {len(arg)}"
        want, have = _rescored(arg), _as_tuples(got)
        bad = next((i for i, (w, h) in enumerate(zip(want, have, strict=True)) if w != h), None)
        return None if bad is None else f"rescore() record {bad}: got {have[bad]!r:.120}, expected {want[bad]!r:.120}"


WORKLOADS = [
    Workload("string-64k", "upper, 64 KiB string in and out", 100, 20),
    Workload("records-10k", "rescore, list of 10,000 records in and out", 5, 2),
]


class Program:
    """A compiled component; each sample instantiates it afresh (untimed) and calls one export."""

    def __init__(self, engine: wasmtime.Engine, path: Path, label: str, cache_dir: Path | None, flavour: str = "default"):
        self.engine, self.path, self.label, self.cache_dir = engine, path, label, cache_dir
        self.art = load_compiled(engine, path, component=True, cache_dir=cache_dir, flavour=flavour)
        self.linker = C.Linker(engine)
        self.linker.add_wasip2()

    def instance(self, fuel: bool = False) -> tuple[wasmtime.Store, Callable]:
        store = wasmtime.Store(self.engine)
        store.set_wasi(wasmtime.WasiConfig())
        if fuel:
            store.set_fuel(FUEL)
        inst = self.linker.instantiate(store, self.art)
        return store, inst


def sampler(prog: Program, w: Workload, inputs: list) -> Callable[[], Sample]:
    def run() -> Sample:
        store, inst = prog.instance()
        f = inst.get_func(store, w.func())
        return _bench.timed(lambda: [f(store, x) for x in inputs])
    return run


def check_once(prog: Program, w: Workload, inputs: list) -> None:
    try:
        store, inst = prog.instance()
        f = inst.get_func(store, w.func())
        for x in inputs:  # a whole sample's calls: GC inside cabi_realloc comes after a few
            if err := w.check(x, f(store, x)):
                raise BenchError(f"{w.name} as {prog.label}: {err}")
    except (wasmtime.WasmtimeError, wasmtime.Trap) as e:
        lines = [l.strip() for l in str(e).splitlines() if l.strip()]
        raise BenchError(f"{w.name} as {prog.label}: {lines[-1] if lines else type(e).__name__}") from e


def fuel_of(fuel_engine: wasmtime.Engine, prog: Program, w: Workload, inputs: list) -> int:
    p = Program(fuel_engine, prog.path, prog.label + "-fuel", prog.cache_dir, flavour="fuel")
    store, inst = p.instance(fuel=True)
    before = store.get_fuel()  # instantiation (Go's _initialize) is not part of a sample
    f = inst.get_func(store, w.func())
    for x in inputs:
        f(store, x)
    return before - store.get_fuel()


def build(go_spec: str, tmp: Path, verbose: bool) -> tuple[object, Path, Path, str]:
    """Componentize both programs with the go variant; the bindgen side gets fresh bindings."""
    from patcher.bindgen import render
    from patcher.component import componentize
    from patcher.core import config
    from patcher.golang import gotool
    from patcher.patching.project import Project

    project = Project(config.load())
    cfg = project.cfg
    go = gotool.resolve(go_spec, cfg.cache_dir)
    glue_pkg = GO_DIR / "abi-glue"
    bg_pkg = tmp / "abi-bindgen"
    shutil.copytree(GO_DIR / "abi-bindgen", bg_pkg)
    render.generate(bg_pkg / "world.wit", WORLD, bg_pkg, templates_dir=cfg.templates_dir)
    out = {}
    for label, pkg in (("glue", glue_pkg), ("bindgen", bg_pkg)):
        out[label] = componentize.componentize(project, pkg, out=tmp / f"abi-{label}.wasm", variant="go", kind="reactor",
                                               wit=pkg / "world.wit", world=WORLD, go_spec=str(go.exe))
    return cfg, out["glue"], out["bindgen"], go.version


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    _bench.add_common_args(ap, quick_help="fewer calls and 3 pairs: a sanity run, not a measurement")
    args = ap.parse_args(argv)
    run = _bench.begin(args, "bindgen benchmark")
    reps, started, engine, fuel_engine = run.reps, run.started, run.engine, run.fuel_engine
    rows, verdicts, failures, results = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="patcher-bench-bindgen-") as t:
        tmp = Path(t)
        cfg, glue_wasm, bg_wasm, go_version = build(args.go, tmp, args.verbose)
        print(f"# Go {go_version}; both sides componentized with the go variant; a = hand-written glue, b = generated bindings")
        print(f"\n## generated bindings vs. hand-written glue [target <= {TARGET:.2f}]", flush=True)
        glue = Program(engine, glue_wasm, "glue", cfg.cache_dir)
        bg = Program(engine, bg_wasm, "bindgen", cfg.cache_dir)
        for w in [w for w in WORKLOADS if not args.only or w.name in args.only]:
            n = w.quick_n if args.quick else w.n
            inputs = w.inputs(n)
            try:
                for p in (glue, bg):
                    check_once(p, w, inputs)
                r = interleave(f"{w.name} ({n} x {w.label.split(',')[0]})", sampler(glue, w, inputs), sampler(bg, w, inputs), reps, ops=n)
                if fuel_engine:
                    r.fuel = (fuel_of(fuel_engine, glue, w, inputs), fuel_of(fuel_engine, bg, w, inputs))
            except (BenchError, wasmtime.WasmtimeError, wasmtime.Trap) as e:
                failures.append(f"{w.name}: {' '.join(str(e).split())[:300]}")
                print(f"  {w.name}: not measured: {failures[-1]}", flush=True)
                continue
            rows.append(r)
            verdicts.append(pair_verdict(f"bindgen {w.name}", r, TARGET))
            results.append(_bench.row_json("bindgen", w.name, r, "glue", "bindgen", TARGET))
        if rows:
            print(table(rows, "glue", "bindgen"))
        print(f"# load average now: {_bench.load()}")
    print("\n## verdicts (median of per-pair wall-time ratios)")
    for v in verdicts:
        print(v)
    for r in rows:
        if r.fuel:
            print(f"bindgen {r.name.split()[0]}: fuel ratio {r.fuel[1] / r.fuel[0]:.3f} ({r.fuel[0]:,} vs {r.fuel[1]:,} wasm operators per sample)")
    for f in failures:
        print(f"not measured: {f}")
    print(f"# total {time.monotonic() - started:.0f}s. Columns: medians of wall time per sample (one instantiation untimed, then the calls); "
          f"ratio = median of the per-pair wall ratios bindgen/glue (IQR and min-max over the pairs); best/best = fastest b / fastest a; "
          f"cpu ratio = the same on this thread's CPU time; delta/op = (median b - median a) / calls per sample; "
          f"fuel = wasm operators executed in one sample (Go code only: wasmtime-py's lowering and lifting are host time), ratio b/a and extra operators per call.")
    if args.json:
        _bench.write_json(args.json, args, reps, results, failures, go=go_version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
