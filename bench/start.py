"""Start time with and without `componentize --preinit`: instantiate to the first export's return.

For each program, both components are built (the same Go build; the second snapshotted after
package init by `wasmtime wizer`), compiled once, then sampled alternately, a fresh store and WASI
context per sample: under wasmtime-py (instantiate + first call) and under the wasmtime CLI
(`wasmtime run --invoke` of a precompiled `.cwasm`, one process per sample). Also reported:
component size, the engine's compile time and the time the snapshot adds to a build.
Target: the plugin (goja compiling a prelude in init()) starts at least 10x faster.

    python bench/start.py [--quick] [--reps N] [--only NAME] [--go SPEC] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _bench

_bench.setup_path()

import wasmtime  # noqa: E402
import wasmtime.component as C  # noqa: E402

from patcher.core import config, hosttools, log  # noqa: E402
from patcher.patching.project import Project  # noqa: E402

REPO = _bench.REPO
TARGET = 0.10  # preinit / plain start time for the plugin


@dataclass(frozen=True)
class Program:
    name: str
    dir: Path
    wit: Path
    world: str
    func: tuple[str, ...]  # (interface, function) or (function,)
    args: tuple[Any, ...]
    expect: Any
    cli_invoke: str | None  # the CLI's `--invoke` (WAVE), None when the CLI cannot run it
    target: float | None = None


PROGRAMS = (
    Program("trivial reactor", _bench.GO_DIR / "reactor-init", _bench.GO_DIR / "reactor-init" / "world.wit", "reactor", ("add",), (2, 3), 5,
            "add(2, 3)"),
    # Its world imports `log`, which the CLI does not provide.
    Program("examples/inventory", REPO / "examples" / "inventory", REPO / "examples" / "inventory" / "inventory.wit", "inventory",
            ("example:inventory/store", "value-cents"), (), 0, None),
    Program("goja plugin (prelude in init)", _bench.GO_DIR / "preinit-plugin", _bench.GO_DIR / "preinit-plugin" / "plugin.wit", "plugin",
            ("run",), ('route("f7", 3)',), "37", 'run("route(\\"f7\\", 3)")', TARGET),
)


def build(project: Project, p: Program, go_spec: str, out: Path, *, preinit: bool) -> tuple[Path, float]:
    """The component and the seconds its last pipeline step took (the snapshot, for preinit)."""
    from patcher.component import pipeline, recipe
    from patcher.component import preinit as pre
    from patcher.golang import gotool

    go = gotool.resolve(go_spec, project.cfg.cache_dir)
    r = recipe.resolve(project, project.variant(None), go=go, kind="reactor", preinit=preinit)
    pkg = pipeline.GoPackage(dir=p.dir, label=p.dir.name, wit=p.wit, world=p.world)
    core = pipeline.build_core(project, r, pkg)
    snap_s = 0.0
    if preinit:  # time the snapshot on its own, not found in the cache
        with tempfile.TemporaryDirectory(prefix="patcher-bench-preinit-") as t:
            hosttools.wasmtime_cli(Path(t))
            t0 = time.perf_counter()
            pre.snapshot(core, Path(t))
            snap_s = time.perf_counter() - t0
    return pipeline.to_component(project, r, core, wit=p.wit, world=p.world, out=out), snap_s


class Host:
    """wasmtime-py: one engine and linker; a store, WASI context and instance per sample."""

    def __init__(self, engine: wasmtime.Engine) -> None:
        self.engine = engine
        self.linker = C.Linker(engine)
        self.linker.add_wasip2()
        with self.linker.root() as root:
            root.add_func("log", lambda store, line: None)

    def sampler(self, comp: C.Component, p: Program) -> Callable[[], _bench.Sample]:
        def once() -> None:
            store = wasmtime.Store(self.engine)
            store.set_wasi(wasmtime.WasiConfig())
            inst = self.linker.instantiate(store, comp)
            idx = None
            for name in p.func:
                idx = inst.get_export_index(store, name, idx)
                assert idx is not None, name
            func = inst.get_func(store, idx)
            assert func is not None
            got = func(store, *p.args)
            func.post_return(store)
            assert got == p.expect, (p.name, got)
        return lambda: _bench.timed(once)


def cli_sampler(cli: Path, cwasm: Path, p: Program) -> Callable[[], _bench.Sample]:
    assert p.cli_invoke is not None
    cmd = [str(cli), "run", "--allow-precompiled", "--invoke", p.cli_invoke, str(cwasm)]

    def once() -> _bench.Sample:
        t0 = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if r.returncode != 0 or str(p.expect) not in r.stdout:
            sys.exit(f"bench: {' '.join(cmd)} failed: {r.stdout[-500:]}{r.stderr[-1500:]}")
        return _bench.Sample(wall, wall)
    return once


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3 pairs per row (a sanity run)")
    ap.add_argument("--reps", type=int, help="pairs per row (default: 15 full, 3 quick)")
    ap.add_argument("--only", action="append", default=[], help="program name substring (repeatable)")
    ap.add_argument("--go", default="go", help="Go toolchain (default: go on PATH)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write every row here")
    ap.add_argument("-v", "--verbose", action="store_true", help="show patcher's build log")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    log.set_quiet(not args.verbose)
    reps = args.reps or (3 if args.quick else 15)
    project = Project(config.load())
    cli = hosttools.wasmtime_cli(project.cfg.cache_dir)
    print(f"# patcher start time, plain vs --preinit, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"# machine: {_bench.machine()}")
    print(f"# {hosttools.wasmtime_cli_version(project.cfg.cache_dir)} (CLI); ratio = preinit / plain (lower is better), "
          f"speedup = 1 / ratio; {reps} pairs per row")
    engine = wasmtime.Engine()
    host = Host(engine)
    py_rows: list[_bench.Pairwise] = []
    cli_rows: list[_bench.Pairwise] = []
    sizes: list[list[str]] = []
    rows_json: list[dict[str, Any]] = []
    verdicts: list[str] = []
    with tempfile.TemporaryDirectory(prefix="patcher-bench-start-") as t:
        tmp = Path(t)
        for i, p in enumerate(PROGRAMS):
            if args.only and not any(o in p.name for o in args.only):
                continue
            plain, _ = build(project, p, args.go, tmp / f"{i}-plain.wasm", preinit=False)
            pre, snap_s = build(project, p, args.go, tmp / f"{i}-preinit.wasm", preinit=True)
            comps, compile_s = [], []
            for path in (plain, pre):
                t0 = time.perf_counter()
                comps.append(C.Component.from_file(engine, str(path)))
                compile_s.append(time.perf_counter() - t0)
            r = _bench.interleave(p.name, host.sampler(comps[0], p), host.sampler(comps[1], p), reps)
            py_rows.append(r)
            sizes.append([p.name, f"{plain.stat().st_size / 1e6:.2f}", f"{pre.stat().st_size / 1e6:.2f}",
                          f"{compile_s[0]:.2f}", f"{compile_s[1]:.2f}", f"{snap_s:.1f}"])
            row = _bench.row_json("wasmtime-py", p.name, r, "plain", "preinit", p.target or 1.0)
            row.update(size_bytes=[plain.stat().st_size, pre.stat().st_size], compile_s=compile_s, snapshot_s=snap_s)
            rows_json.append(row)
            if p.target is not None:
                verdicts.append(_bench.pair_verdict(f"{p.name}, wasmtime-py", r, p.target))
            if p.cli_invoke is not None:
                cw = []
                for path in (plain, pre):
                    out = path.with_suffix(".cwasm")
                    subprocess.run([str(cli), "compile", str(path), "-o", str(out)], check=True, capture_output=True)
                    cw.append(out)
                rc = _bench.interleave(p.name, cli_sampler(cli, cw[0], p), cli_sampler(cli, cw[1], p), reps)
                cli_rows.append(rc)
                rows_json.append(_bench.row_json("wasmtime-cli", p.name, rc, "plain", "preinit", p.target or 1.0))
                if p.target is not None:
                    verdicts.append(_bench.pair_verdict(f"{p.name}, wasmtime CLI", rc, p.target))
    print("\n## wasmtime-py: instantiate + first export call (compiled once)\n")
    print(_bench.table(py_rows, "plain", "preinit"))
    for r in py_rows:
        print(f"  {r.name}: speedup {1 / r.ratio():.1f}x")
    if cli_rows:
        print("\n## wasmtime CLI: `wasmtime run --allow-precompiled --invoke` of a .cwasm, one process per sample\n")
        print(_bench.table(cli_rows, "plain", "preinit"))
        for r in cli_rows:
            print(f"  {r.name}: speedup {1 / r.ratio():.1f}x")
    print("\n## size and compile time\n")
    head = ["program", "plain MB", "preinit MB", "plain compile s", "preinit compile s", "snapshot adds s"]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for s in sizes:
        print("| " + " | ".join(s) + " |")
    print()
    for v in verdicts:
        print(v)
    print(f"# load average at the end: {_bench.load()}")
    if args.json:
        args.json.write_text(json.dumps({"bench": "start", "machine": _bench.machine(), "rows": rows_json}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
