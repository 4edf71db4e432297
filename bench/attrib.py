#!/usr/bin/env python3
"""Where a Preview 1 call's cost goes inside an adapter: wasm operators (fuel) and host calls per call.

A tiny driver core module (WAT, generated here) makes N identical Preview 1 calls the way Go's
runtime and os package make them, and is run three ways:

- as a wasip1 core module under wasmtime's Preview 1: host functions cost no fuel, so its fuel is
  the driver's own loop;
- as a component with each adapter (`component new --adapt`, the plain pipeline): the fuel beyond
  the driver's is the adapter's wasm for those calls;
- the same component with wasmtime's trace log on, counting the host calls it makes (each Preview 2
  import call the host runs; resource drops are not host tasks and are not counted).

Per-call numbers are differences between N1 and N2 iterations, so start-up (State allocation,
preopens) cancels out. The file cycle is measured as cumulative sequences (open+close,
+fdstat, +set-flags, +read), so each call's share is a difference of two rows. Deterministic:
no timing.

    python bench/attrib.py [--adapter official] [--adapter VARIANT[+direct-clocks] ...] [--markdown]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import _bench

_bench.setup_path()

import wasmtime  # noqa: E402
from wasmtime import component as C  # noqa: E402

from patcher.core import proc  # noqa: E402

N1, N2 = 200, 1200
FUEL = 1 << 62
FILE = b"0123456789abcdef" * 4  # 64 bytes, what bench/go/file-reads reads per open
# Go's os.Open on wasip1: LOOKUP_SYMLINK_FOLLOW, read-only rights (fd_read|fd_seek|fdstat_set_flags|
# fd_tell|...), no oflags or fdflags; then fd_fdstat_get + fd_fdstat_set_flags(NONBLOCK) (SetNonblock).
RIGHTS_RDONLY = 0x2 | 0x4 | 0x8 | 0x20

# Memory of the driver: [0, 12288) is left free (the go adapters' static stack, like Go's linker).
A_PATH, A_IOV_W, A_IOV_R, A_OUT, A_FD, A_STAT, A_TIME, A_LINE, A_BUF = 16384, 16400, 16416, 16500, 16504, 16512, 16544, 16448, 17000
A_SUB, A_EVT, A_NEV = 16576, 16640, 16680  # one fd_read subscription (48 bytes), one event, the event count
A_PATH_W, A_IOV_FW = 16392, 16424  # "out0", the iovec of a 4 KiB file write (from A_BUF)
# Go's os.WriteFile: O_WRONLY|O_CREATE|O_TRUNC -> oflags CREAT|TRUNC, fd_write|fd_seek|fdstat_set_flags|fd_tell rights.
RIGHTS_WRONLY = 0x40 | 0x4 | 0x8 | 0x20

PRELUDE = f"""
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func $fd_fdstat_set_flags (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const {A_PATH}) "f000")
  (data (i32.const {A_PATH_W}) "out0")
  (data (i32.const {A_LINE}) "0123456789abcde\\n")
  (func $ok (param i32) (if (local.get 0) (then unreachable)))
  ;; Pages for the adapter (State, official adapter's stack) from memory.grow.
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
    (if (local.get 0) (then unreachable))
    (i32.mul (memory.grow (i32.shr_u (i32.add (local.get 3) (i32.const 65535)) (i32.const 16))) (i32.const 65536)))
"""

CALLS = {
    # Returns at once in every adapter: the fixed cost of crossing into the adapter.
    "sched_yield": "(call $ok (call $sched_yield))",
    "fd_write(stdout, 16 B)": f"(call $ok (call $fd_write (i32.const 1) (i32.const {A_IOV_W}) (i32.const 1) (i32.const {A_OUT})))",
    "clock_time_get(monotonic)": f"(call $ok (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const {A_TIME})))",
    "clock_time_get(realtime)": f"(call $ok (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const {A_TIME})))",
    "path_open": f"(call $ok (call $path_open (i32.const 3) (i32.const 1) (i32.const {A_PATH}) (i32.const 4) (i32.const 0) "
                 f"(i64.const {RIGHTS_RDONLY}) (i64.const {RIGHTS_RDONLY}) (i32.const 0) (i32.const {A_FD})))",
    "path_open(create)": f"(call $ok (call $path_open (i32.const 3) (i32.const 1) (i32.const {A_PATH_W}) (i32.const 4) (i32.const 9) "
                         f"(i64.const {RIGHTS_WRONLY}) (i64.const {RIGHTS_WRONLY}) (i32.const 0) (i32.const {A_FD})))",
    "fd_write(file, 4 KiB)": f"(call $ok (call $fd_write (i32.load (i32.const {A_FD})) (i32.const {A_IOV_FW}) (i32.const 1) (i32.const {A_OUT})))",
    "fd_fdstat_get": f"(call $ok (call $fd_fdstat_get (i32.load (i32.const {A_FD})) (i32.const {A_STAT})))",
    "fd_fdstat_set_flags(NONBLOCK)": f"(call $ok (call $fd_fdstat_set_flags (i32.load (i32.const {A_FD})) (i32.const 4)))",
    # As Go does on a non-blocking file: EAGAIN -> poll_oneoff on the fd -> read again. The read must
    # return the whole 64-byte file.
    "fd_read(64 B)": f"(block $rd (loop $retry "
                     f"(local.set $e (call $fd_read (i32.load (i32.const {A_FD})) (i32.const {A_IOV_R}) (i32.const 1) (i32.const {A_OUT}))) "
                     f"(br_if $rd (i32.eqz (local.get $e))) (if (i32.ne (local.get $e) (i32.const 6)) (then unreachable)) "
                     f"(i32.store (i32.const {A_SUB + 16}) (i32.load (i32.const {A_FD}))) "
                     f"(call $ok (call $poll_oneoff (i32.const {A_SUB}) (i32.const {A_EVT}) (i32.const 1) (i32.const {A_NEV}))) (br $retry))) "
                     f"(if (i32.ne (i32.load (i32.const {A_OUT})) (i32.const {len(FILE)})) (then unreachable))",
    "fd_close": f"(call $ok (call $fd_close (i32.load (i32.const {A_FD}))))",
}


@dataclass
class Case:
    name: str  # the call this case's row is about
    body: list[str]  # calls per iteration
    base: str | None = None  # subtract this case's per-iteration numbers
    setup: tuple[str, ...] = ()  # calls made once before the loop (they cancel out of the per-call numbers)


OPEN = ["path_open"]
CASES = [
    Case("sched_yield (empty call)", ["sched_yield"]),
    Case("fd_write(stdout, 16 B)", ["fd_write(stdout, 16 B)"]),
    Case("clock_time_get(monotonic)", ["clock_time_get(monotonic)"]),
    Case("clock_time_get(realtime)", ["clock_time_get(realtime)"]),
    # A Go program's clock reads before its first output (no State yet: noalloc's clock) and after it.
    Case("time.Now()+time.Since() (3 clock reads), before any output", ["clock_time_get(realtime)", "clock_time_get(monotonic)", "clock_time_get(monotonic)"]),
    Case("clock_time_get(monotonic), after output", ["clock_time_get(monotonic)"], setup=("fd_write(stdout, 16 B)",)),
    Case("clock_time_get(realtime), after output", ["clock_time_get(realtime)"], setup=("fd_write(stdout, 16 B)",)),
    Case("time.Now()+time.Since() (3 clock reads), after output", ["clock_time_get(realtime)", "clock_time_get(monotonic)", "clock_time_get(monotonic)"],
         setup=("fd_write(stdout, 16 B)",)),
    Case("path_open + fd_close", [*OPEN, "fd_close"]),
    Case("fd_fdstat_get (file)", [*OPEN, "fd_fdstat_get", "fd_close"], base="path_open + fd_close"),
    Case("fd_fdstat_set_flags", [*OPEN, "fd_fdstat_get", "fd_fdstat_set_flags(NONBLOCK)", "fd_close"], base="fd_fdstat_get (file)"),
    Case("fd_read (non-blocking, 64 B)", [*OPEN, "fd_fdstat_get", "fd_fdstat_set_flags(NONBLOCK)", "fd_read(64 B)", "fd_close"], base="fd_fdstat_set_flags"),
    Case("path_open(create) + fdstat + set-flags + fd_close", ["path_open(create)", "fd_fdstat_get", "fd_fdstat_set_flags(NONBLOCK)", "fd_close"]),
    Case("fd_write (file, non-blocking, 4 KiB)", ["path_open(create)", "fd_fdstat_get", "fd_fdstat_set_flags(NONBLOCK)", "fd_write(file, 4 KiB)", "fd_close"],
         base="path_open(create) + fdstat + set-flags + fd_close"),
    Case("Go's os.Open+Read+Close", [*OPEN, "fd_fdstat_get", "fd_fdstat_set_flags(NONBLOCK)", "fd_read(64 B)", "fd_close"]),
]


def wat(case: Case, n: int) -> str:
    body = "\n        ".join(CALLS[c] for c in case.body)
    setup = "\n    ".join(CALLS[c] for c in case.setup)
    return PRELUDE + f"""
  (func (export "_start") (local $i i32) (local $e i32)
    (i32.store8 (i32.const {A_SUB + 8}) (i32.const 1))  ;; EVENTTYPE_FD_READ
    (i32.store (i32.const {A_IOV_W}) (i32.const {A_LINE})) (i32.store (i32.const {A_IOV_W + 4}) (i32.const 16))
    (i32.store (i32.const {A_IOV_R}) (i32.const {A_BUF})) (i32.store (i32.const {A_IOV_R + 4}) (i32.const 256))
    (i32.store (i32.const {A_IOV_FW}) (i32.const {A_BUF})) (i32.store (i32.const {A_IOV_FW + 4}) (i32.const 4096))
    {setup}
    (local.set $i (i32.const {n}))
    (block $done (loop $l
        (br_if $done (i32.eqz (local.get $i)))
        {body}
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (br $l))))
)
"""


def wasi_config(tmp: Path, data: Path) -> wasmtime.WasiConfig:
    w = wasmtime.WasiConfig()
    w.argv = ["driver"]
    w.stdout_file = str(tmp / "stdout")
    w.stderr_file = str(tmp / "stderr")
    w.preopen_dir(str(data), "/data")
    return w


def run(path: Path, *, component: bool, tmp: Path, data: Path, fuel: bool) -> int:
    """Runs once; returns the fuel used (0 without fuel). A trap or failing run raises."""
    cfg = wasmtime.Config()
    cfg.consume_fuel = fuel
    engine = wasmtime.Engine(cfg)
    store = wasmtime.Store(engine)
    store.set_wasi(wasi_config(tmp, data))
    if fuel:
        store.set_fuel(FUEL)
    if component:
        linker = C.Linker(engine)
        linker.add_wasip2()
        comp = C.Component.from_file(engine, str(path))
        run_name = next(n for n in comp.type.exports(engine) if n.startswith("wasi:cli/run@"))
        inst = linker.instantiate(store, comp)
        func = inst.get_func(store, inst.get_export_index(store, "run", inst.get_export_index(store, run_name)))
        res = func(store)
        if res is not None and getattr(res, "tag", None) == "err":
            raise RuntimeError(f"{path.name}: run returned err")
    else:
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        inst = linker.instantiate(store, wasmtime.Module.from_file(engine, str(path)))
        inst.exports(store)["_start"](store)
    return FUEL - store.get_fuel() if fuel else 0


TASK = re.compile(rb"new deferred host task")


def host_calls(path: Path, tmp: Path, data: Path) -> int:
    """Host calls of one run of a component: wasmtime's trace log, in a child process."""
    env = {**os.environ, "RUST_LOG": "wasmtime::runtime::component::concurrent=trace"}
    r = proc.run_bytes([sys.executable, __file__, "--_host-calls", str(path), str(tmp), str(data)], env=env)
    if r.returncode != 0:
        raise RuntimeError(f"{path.name}: host-call count run failed: {r.stderr[-500:].decode(errors='replace')}")
    return len(TASK.findall(r.stderr))


DIRECT = "+direct-clocks"


def _component(core: Path, adapter: Path, out: Path, *, direct: bool) -> Path:
    """The plain pipeline; with `direct`, also componentize's direct-clocks step (the driver's
    clock_time_get moved to the clocks adapter; the driver leaves [0, 12288) free, as Go does)."""
    from patcher.component import compose, direct_clocks
    from patcher.core import wasm

    extra = {}
    if direct:
        moved, _ = wasm.rename_import_module(core.read_bytes(), frozenset({"clock_time_get"}), direct_clocks.P1_MODULE, direct_clocks.MODULE)
        core = core.with_suffix(".direct.wasm")
        core.write_bytes(moved)
        versions = direct_clocks.clock_versions(adapter)
        assert versions is not None
        extra = {direct_clocks.MODULE: direct_clocks.clocks_adapter(versions, out.parent)}
    return compose.new_component(core, adapter, out=out, low_memory_free=True, extra_adapters=extra)


def measure(paths: dict[str, Path], cases: list[Case]) -> dict[str, dict[str, tuple[float, float]]]:
    """{case: {"p1" | adapter: (wasm operators per iteration beyond the driver's, host calls per iteration)}}."""
    from patcher.core import wasm

    rows: dict[str, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="patcher-attrib-") as t:
        tmp = Path(t)
        data = tmp / "data"
        data.mkdir()
        (data / "f000").write_bytes(FILE)
        for i, case in enumerate(cases):
            per: dict[str, tuple[float, float]] = {}
            cores = {}
            for n in (N1, N2):
                src = tmp / f"driver-{n}.wat"
                src.write_text(wat(case, n))
                cores[n] = tmp / f"driver-{i}-{n}.wasm"
                wasm.wasm_tools("parse", str(src), "-o", str(cores[n]))
            f = {n: run(cores[n], component=False, tmp=tmp, data=data, fuel=True) for n in (N1, N2)}
            per["p1"] = ((f[N2] - f[N1]) / (N2 - N1), float(len(case.body)))
            for a, ad in paths.items():
                comps = {n: _component(cores[n], ad, tmp / f"c-{a}-{n}.wasm", direct=a.endswith(DIRECT)) for n in (N1, N2)}
                f = {n: run(comps[n], component=True, tmp=tmp, data=data, fuel=True) for n in (N1, N2)}
                h = {n: host_calls(comps[n], tmp, data) for n in (N1, N2)}
                per[a] = ((f[N2] - f[N1]) / (N2 - N1) - per["p1"][0], (h[N2] - h[N1]) / (N2 - N1))
            rows[case.name] = per
            print(f"  {case.name}: " + ", ".join(f"{k} {v[0]:.0f} ops {v[1]:.2f} calls" for k, v in per.items()), file=sys.stderr, flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--adapter", action="append", default=[], metavar="official|VARIANT[+direct-clocks]",
                    help="adapters to attribute (default: official, go, go+direct-clocks; repeatable); +direct-clocks adds "
                         "componentize's direct-clocks step (what Go commands get)")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--_host-calls", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._host_calls:
        path, tmp, data = (Path(p) for p in args._host_calls)
        run(path, component=True, tmp=tmp, data=data, fuel=False)
        return 0

    from patcher.adapter import adapters as adapter_sets
    from patcher.core import config, log
    from patcher.patching.project import Project
    from patcher.upstream import official

    log.set_quiet(True)
    project = Project(config.load())
    cfg = project.cfg
    adapters = args.adapter or ["official", "go", "go" + DIRECT]
    def adapter(a: str) -> Path:
        a = a.removesuffix(DIRECT)
        return official.official_adapter(cfg, "command") if a == "official" else adapter_sets.variant_adapters(project, project.variant(a), kinds=("command",))["command"]

    paths = {a: adapter(a) for a in adapters}
    rows = measure(paths, CASES)

    head = ["Preview 1 call", "P1 host calls", *[f"{a} host calls" for a in adapters], *[f"{a} adapter ops" for a in adapters]]
    lines = [head]
    for case in CASES:
        per = rows[case.name]
        base = rows.get(case.base) if case.base else None

        def d(side: str, i: int) -> float:
            return per[side][i] - (base[side][i] if base else 0)  # noqa: B023 (called only in this iteration)

        lines.append([case.name, f"{d('p1', 1):.0f}", *[f"{d(a, 1):.2f}".rstrip("0").rstrip(".") for a in adapters], *[f"{d(a, 0):+.0f}" for a in adapters]])
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|---|" + "---:|" * (len(head) - 1))
        for row in lines[1:]:
            print("| " + " | ".join(row) + " |")
    else:
        print(_bench.format_rows(lines) if hasattr(_bench, "format_rows") else "\n".join("  ".join(r) for r in lines))
    print("# adapter ops = wasm operators the adapter executes per call (component fuel minus the driver's own, which is the "
          "P1 core module's fuel); host calls = Preview 2 host calls per call (resource drops not counted); rows with a base are "
          "differences of cumulative sequences.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
