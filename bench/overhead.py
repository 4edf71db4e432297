#!/usr/bin/env python3
"""Runtime overhead of patcher's components, measured in one run (ratios, never asserted).

(a) component built with `componentize` (variant `go`, or --a-variant, all companion steps) vs. the same Go program
    as a wasip1 core module under wasmtime's Preview 1 (`Linker.define_wasi`, `_start`).
    Target: component/core <= 1.10.
(b) the `go` adapter vs. the official adapter of the pinned release (or --b-candidate vs.
    --b-baseline), both with the plain pipeline (`component new --adapt` only) on the SAME core
    module, built with the go-sbrk overlay unless --b-core stock. Target: candidate/baseline <= 1.02.

Compilation is excluded: each Component/Module is compiled once. A sample is instantiate + run
(commands), n whole runs (env-start), n x instantiate [+ `_initialize`] (reactor-init), or one
untimed instantiation and then n export calls (reactor-strings). Store and WASI context creation
are outside the timed region on both sides. Samples alternate between the sides (A B, B A, ...).

Each side of a workload also gets a fuel count (wasm operators executed in one sample, from the
same artifact compiled for a fuel-metering engine): deterministic, so it shows how much wasm the
adapter adds even when wall times are noisy; it excludes host time (canonical-ABI trampolines,
blocking I/O).

    python bench/overhead.py [--quick] [--part a|b] [--only NAME] [--reps N] [--no-fuel] [--a-variant VARIANT]
                             [--b-core overlay|stock] [--b-baseline official|VARIANT] [--b-candidate VARIANT[+direct-clocks]] [--json FILE]

`--json FILE` keeps every row (medians, ratios, IQR, fuel) so a later run can be compared with
`python bench/compare.py OLD NEW`.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast

import _bench
from _bench import GO_DIR, Pairwise, Sample, interleave, pair_verdict, table

_bench.setup_path()

import wasmtime  # noqa: E402
from wasmtime import component as C  # noqa: E402

TARGET_A = 1.10
TARGET_B = 1.02
LINE = b"0123456789abcde\n"  # what bench/go/stdout-writes writes
NFILES, FILE_SIZE = 100, 64
REACTOR_BATCH = 20  # instantiations per reactor sample
NDIR = 300  # entries of /data/dir300 (dir-read)
NENV = 200  # environment variables of env-start
STRING = 64 << 10  # bytes per string of reactor-strings


class BenchError(Exception):
    pass


# --- the workloads -----------------------------------------------------------------------------

def file_bytes(i: int) -> bytes:
    return bytes((i * 7 + j * 13 + 1) % 251 for j in range(FILE_SIZE))


def expected_file_reads(n: int) -> str:
    s = 0
    for i in range(n):
        for b in file_bytes(i % NFILES):
            s = (s * 31 + b) & 0xFFFFFFFF
    return f"reads={n} bytes={n * FILE_SIZE} sum={s:08x}\n"


def dir_names() -> list[str]:
    return [f"entry-{i:03d}" for i in range(NDIR)]


def expected_dir_read(n: int) -> str:
    s = 0
    for _ in range(n):
        for name in sorted(dir_names()):
            for b in name.encode():
                s = (s * 31 + b) & 0xFFFFFFFF
    return f"calls={n} entries={NDIR} sum={s:08x}\n"


def bench_env() -> list[tuple[str, str]]:
    return [(f"BENCH_VAR_{i:03d}", f"value-{i:03d}-" + "x" * 40) for i in range(NENV)]


def expected_env_start(n: int) -> str:
    s = 0
    for k, v in bench_env():
        for b in f"{k}={v}".encode():
            s = (s * 31 + b) & 0xFFFFFFFF
    return f"env={NENV} sum={s:08x}\n"


def bench_string(i: int) -> str:
    return "".join(chr(97 + (i + j) % 26) for j in range(26)) * (STRING // 26) + "z" * (STRING % 26)


@dataclass
class Workload:
    name: str
    pkg: str
    # command: one run does n operations; starts: a sample is n whole runs; reactor: n
    # instantiations (+ _initialize); calls: one instantiation (untimed), then n export calls.
    kind: str
    n: int  # operations per sample (full)
    quick_n: int
    argv: Callable[[int], list[str]]
    check: Callable[[int, Path], str | None]  # (n, stdout file) -> error or None
    preopen: bool = False
    label: str = ""
    env: Callable[[], list[tuple[str, str]]] | None = None
    world: str | None = None  # WIT world in world.wit (reactors)

    @property
    def reactor(self) -> bool:
        return self.kind in ("reactor", "calls")


def _check_stdout_writes(n: int, out: Path) -> str | None:
    data = out.read_bytes()
    if len(data) != n * len(LINE) or data[: len(LINE)] != LINE or data[-len(LINE):] != LINE:
        return f"stdout has {len(data)} bytes, expected {n * len(LINE)}"
    return None


def _check_text(expected: Callable[[int], str]) -> Callable[[int, Path], str | None]:
    def check(n: int, out: Path) -> str | None:
        got = out.read_text(errors="replace")
        want = expected(n)
        return None if got == want else f"stdout {got[:120]!r}, expected {want[:120]!r}"
    return check


def _pingpong(n: int) -> str:
    return f"pingpong={n} squares={sum(i * i for i in range(n))}\n"


WORKLOADS = [
    Workload("stdout-writes", "stdout-writes", "command", 100_000, 20_000, lambda n: ["stdout-writes", str(n)], _check_stdout_writes,
             label="100k small writes to stdout"),
    Workload("file-reads", "file-reads", "command", 10_000, 2_000, lambda n: ["file-reads", "/data", str(n)], _check_text(expected_file_reads),
             preopen=True, label="10k open/read/close"),
    Workload("clock-reads", "clock-reads", "command", 1_000_000, 200_000, lambda n: ["clock-reads", str(n)],
             _check_text(lambda n: f"reads={n} monotonic=true\n"), label="1M time.Now+time.Since"),
    Workload("goroutines", "goroutines", "command", 200_000, 40_000, lambda n: ["goroutines", str(n)], _check_text(_pingpong),
             label="200k chan ping-pongs + pool"),
    Workload("reactor-init", "reactor-init", "reactor", REACTOR_BATCH, 5, lambda n: ["reactor-init"], lambda n, out: None,
             label="instantiate+_initialize", world="reactor"),
    Workload("dir-read", "dir-read", "command", 100, 20, lambda n: ["dir-read", "/data/dir300", str(n)], _check_text(expected_dir_read),
             preopen=True, label=f"100 os.ReadDir of {NDIR} entries"),
    Workload("big-file", "big-file", "command", 1, 1, lambda n: ["big-file", "/data", str(n)],
             _check_text(lambda n: f"files={n} bytes={16 << 20} equal=true\n"), preopen=True, label="16 MiB WriteFile+ReadFile"),
    Workload("env-start", "env-start", "starts", 10, 3, lambda n: ["env-start"], _check_text(lambda n: expected_env_start(1)),
             label=f"10 starts with {NENV} env vars", env=bench_env),
    Workload("reactor-strings", "reactor-strings", "calls", 100, 20, lambda n: ["reactor-strings"], lambda n, out: None,
             label="100 calls, 64 KiB string in and out", world="strings"),
]
A_WORKLOADS = ("stdout-writes", "file-reads", "clock-reads", "reactor-init", "dir-read", "big-file", "env-start", "reactor-strings")
B_WORKLOADS = ("stdout-writes", "clock-reads", "goroutines", "file-reads", "reactor-init", "dir-read", "big-file", "env-start", "reactor-strings")


# --- running one artifact ----------------------------------------------------------------------

def load_compiled(engine: wasmtime.Engine, path: Path, *, component: bool, cache_dir: Path | None, flavour: str = "default"):
    """Compile once per artifact and wasmtime version; the serialized code is kept in the cache under
    bench-compiled/ (separate from the runner's compiled/, whose engine has epoch interruption on)."""
    from patcher.core.fsutil import sha256_file

    cls = C.Component if component else wasmtime.Module
    if cache_dir is None:
        return cls.from_file(engine, str(path))
    cached = cache_dir / "bench-compiled" / f"{sha256_file(path)[:32]}-{flavour}-wt{importlib.metadata.version('wasmtime')}.cwasm"
    if cached.is_file():
        try:
            return cls.deserialize_file(engine, str(cached))
        except wasmtime.WasmtimeError:
            cached.unlink()
    art = cls.from_file(engine, str(path))
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    tmp.write_bytes(art.serialize())
    tmp.replace(cached)
    return art


class Program:
    """A compiled component or core module, run with a fresh Store per instantiation."""

    def __init__(self, engine: wasmtime.Engine, path: Path, *, component: bool, tmp: Path, label: str, data: Path | None,
                 cache_dir: Path | None = None, flavour: str = "default"):
        self.engine, self.component, self.label, self.data = engine, component, label, data
        self.path, self.tmp, self.cache_dir = path, tmp, cache_dir
        self.out, self.err = tmp / f"{label}.stdout", tmp / f"{label}.stderr"
        self.art = load_compiled(engine, path, component=component, cache_dir=cache_dir, flavour=flavour)
        if component:
            self.linker = C.Linker(engine)
            self.linker.add_wasip2()
            self.run_name = next((n for n in self.art.type.exports(engine) if n.startswith("wasi:cli/run@")), None)
        else:
            self.linker = wasmtime.Linker(engine)
            self.linker.define_wasi()

    def store(self, argv: list[str], env: list[tuple[str, str]] | None = None) -> wasmtime.Store:
        wasi = wasmtime.WasiConfig()
        wasi.argv = argv
        if env:
            wasi.env = env
        wasi.stdout_file = str(self.out)
        wasi.stderr_file = str(self.err)
        if self.data is not None:
            wasi.preopen_dir(str(self.data), "/data")
        store = wasmtime.Store(self.engine)
        store.set_wasi(wasi)
        return store

    def command(self, store: wasmtime.Store) -> int:
        try:
            if self.component:
                inst = self.linker.instantiate(store, self.art)
                func = inst.get_func(store, inst.get_export_index(store, "run", inst.get_export_index(store, self.run_name)))
                res = func(store)
                return 1 if res is not None and getattr(res, "tag", None) == "err" else 0
            inst = self.linker.instantiate(store, self.art)
            inst.exports(store)["_start"](store)
            return 0
        except wasmtime.ExitTrap as e:
            return e.code

    def reactor(self, store: wasmtime.Store):
        inst = self.linker.instantiate(store, self.art)  # a wit-component component runs _initialize here
        if not self.component:
            inst.exports(store)["_initialize"](store)
        return inst

    def call_add(self, store: wasmtime.Store, inst, a: int, b: int) -> int:
        if self.component:
            return inst.get_func(store, "add")(store, a, b)
        return inst.exports(store)["add"](store, a, b)

    def upper_caller(self, store: wasmtime.Store, inst) -> Callable[[str], str]:
        """`upper(s)`: the component's export, or for the core module the canonical ABI done here
        (argument through cabi_realloc, result through the return area, then cabi_post_upper)."""
        if self.component:
            f = inst.get_func(store, "upper")
            return lambda s: f(store, s)
        ex = inst.exports(store)
        mem, realloc, upper, post = ex["memory"], ex["cabi_realloc"], ex["upper"], ex["cabi_post_upper"]

        def call(s: str) -> str:
            data = s.encode()
            p = realloc(store, 0, 0, 1, len(data))
            mem.write(store, data, p)
            r = upper(store, p, len(data))
            ptr, ln = struct.unpack("<II", mem.read(store, r, r + 8))
            out = bytes(mem.read(store, ptr, ptr + ln)).decode()
            post(store, r)
            return out
        return call

    def stderr_tail(self) -> str:
        return self.err.read_text(errors="replace")[-300:] if self.err.exists() else ""


def sampler(prog: Program, w: Workload, n: int) -> Callable[[], Sample]:
    """A function taking one timed sample of `prog` (store set-up untimed)."""
    env = w.env() if w.env else None
    if w.kind in ("command", "starts"):
        argv = w.argv(n)

        def run_once() -> Sample:
            store = prog.store(argv, env)
            code = [None]
            s = _bench.timed(lambda: code.__setitem__(0, prog.command(store)))
            if code[0] != 0:
                raise BenchError(f"{w.name} as {prog.label}: exit code {code[0]}; stderr: {prog.stderr_tail()}")
            return s

        if w.kind == "command":
            return run_once

        def run_starts() -> Sample:
            samples = [run_once() for _ in range(n)]
            return Sample(sum(s.wall for s in samples), sum(s.cpu for s in samples))
        return run_starts

    if w.kind == "calls":
        strings = [bench_string(i) for i in range(n)]

        def run_calls() -> Sample:
            store = prog.store(w.argv(n))
            call = prog.upper_caller(store, prog.reactor(store))
            return _bench.timed(lambda: [call(s) for s in strings])
        return run_calls

    def run_reactor() -> Sample:
        wall = cpu = 0.0
        for _ in range(n):
            store = prog.store(w.argv(n))
            s = _bench.timed(lambda store=store: prog.reactor(store))
            wall += s.wall
            cpu += s.cpu
            del store
        return Sample(wall, cpu)
    return run_reactor


FUEL = 1 << 62


def fuel_of(fuel_engine: wasmtime.Engine, prog: Program, w: Workload, n: int) -> int:
    """Wasm operators executed by one sample (a run; n runs or n instantiations for starts and reactor
    workloads; for calls, the instantiation and its n calls, so unlike the timed sample it counts the
    instantiation too): deterministic, no host time.

    Same artifact, compiled for an engine with fuel metering on; the timed runs use the default engine."""
    p = Program(fuel_engine, prog.path, component=prog.component, tmp=prog.tmp, label=prog.label + "-fuel", data=prog.data,
                cache_dir=prog.cache_dir, flavour="fuel")
    used = 0
    env = w.env() if w.env else None
    for _ in range(n if w.kind in ("reactor", "starts") else 1):  # such a sample is n instantiations
        store = p.store(w.argv(n), env)
        store.set_fuel(FUEL)
        if w.kind in ("command", "starts"):
            p.command(store)
        elif w.kind == "calls":
            call = p.upper_caller(store, p.reactor(store))
            for i in range(n):
                call(bench_string(i))
        else:
            p.reactor(store)
        used += FUEL - store.get_fuel()
    return used


def check_once(prog: Program, w: Workload, n: int) -> None:
    """Run once untimed and check the output, so a wrong or crashing side never gets a number."""
    try:
        if w.kind in ("command", "starts"):
            sampler(prog, w, 1 if w.kind == "starts" else n)()
            err = w.check(n, prog.out)
            if err:
                raise BenchError(f"{w.name} as {prog.label}: {err}")
        elif w.kind == "calls":
            store = prog.store(w.argv(n))
            call = prog.upper_caller(store, prog.reactor(store))
            for i in range(n):  # all of a sample's calls: GC inside cabi_realloc comes after a few
                got = call(bench_string(i))
                if got != bench_string(i).upper():
                    raise BenchError(f"{w.name} as {prog.label}: upper() returned {len(got)} chars, not the upper-cased argument")
        else:
            store = prog.store(w.argv(n))
            inst = prog.reactor(store)
            got = prog.call_add(store, inst, 40, 2)
            if got != 42:
                raise BenchError(f"{w.name} as {prog.label}: add(40, 2) = {got!r}")
    except (wasmtime.WasmtimeError, wasmtime.Trap) as e:
        lines = [l.strip() for l in str(e).splitlines() if l.strip()]
        raise BenchError(f"{w.name} as {prog.label}: {lines[-1] if lines else type(e).__name__}") from e


# --- building ----------------------------------------------------------------------------------

DIRECT = "+direct-clocks"


class Builder:
    """Every component here comes from the pipeline (`patcher.component.pipeline`), as `componentize` makes them."""

    def __init__(self, go_spec: str, out: Path):
        from patcher.core import config
        from patcher.golang import gotool
        from patcher.patching.project import Project

        self.project = Project(config.load())
        self.cfg = self.project.cfg
        self.go = gotool.resolve(go_spec, self.cfg.cache_dir)
        self.out = out
        self._adapters: dict[tuple[str, str], Path] = {}

    def wit(self, w: Workload) -> tuple[Path | None, str | None]:
        if w.world:
            return GO_DIR / w.pkg / "world.wit", w.world
        return None, None

    @staticmethod
    def go_kind(w: Workload) -> Literal["command", "reactor"]:
        return "reactor" if w.reactor else "command"

    def componentize(self, w: Workload, variant: str | None = None) -> Path:
        from patcher.component import componentize

        wit, world = self.wit(w)
        name = variant or self.project.default_variant.name
        return componentize.componentize(self.project, GO_DIR / w.pkg, out=self.out / f"{w.name}.{name}-componentize.wasm", variant=variant,
                                         kind=self.go_kind(w), wit=wit, world=world, go_spec=str(self.go.exe))

    def core(self, w: Workload, overlay: bool) -> Path:
        """The Preview 1 core module, built with the recommended variant's Go runtime overlay or stock."""
        from patcher.component import recipe
        from patcher.golang import gobuild

        ov = recipe.overlay_for(self.project, self.project.default_variant, self.go) if overlay else None
        return gobuild.build(GO_DIR / w.pkg, self.go, kind=self.go_kind(w), cache_dir=self.cfg.cache_dir, overlay=ov, label=w.name)

    def adapter(self, which: str, kind: str) -> Path:
        from patcher.adapter import adapters
        from patcher.upstream import official

        if (which, kind) not in self._adapters:
            if which == "official":
                self._adapters[(which, kind)] = official.official_adapter(self.cfg, kind)
            else:
                self._adapters[(which, kind)] = adapters.variant_adapters(self.project, self.project.variant(which), kinds=(kind,))[kind]
        return self._adapters[(which, kind)]

    def plain(self, w: Workload, core: Path, which: str) -> Path:
        """`component new --adapt` only; `VARIANT+direct-clocks` adds componentize's direct-clocks step (where it applies)."""
        from patcher.component import pipeline
        from patcher.component.recipe import Recipe

        wit, world = self.wit(w)
        name = which.removesuffix(DIRECT)
        r = Recipe(kind=self.go_kind(w), go=self.go, adapter=self.adapter(name, self.go_kind(w)))
        if which.endswith(DIRECT):
            r = Recipe(kind=r.kind, go=r.go, adapter=r.adapter, variant=self.project.variant(name), direct_clocks=True)
        return pipeline.to_component(self.project, r, core, wit=wit, world=world, out=self.out / f"{w.name}.{which}-plain.wasm")


# --- main --------------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    _bench.add_common_args(ap, quick_help="smaller workloads and 3 pairs: a sanity run, not a measurement")
    ap.add_argument("--part", choices=("a", "b", "both"), default="both")
    ap.add_argument("--b-core", choices=("overlay", "stock"), default="overlay",
                    help="core module for (b): built with the go-sbrk overlay (default) or stock")
    ap.add_argument("--b-baseline", default="official", metavar="official|VARIANT",
                    help="baseline adapter for (b): the official release (default) or a variant built from source, e.g. upstream "
                         "(go vs upstream isolates the patches from the toolchain difference)")
    ap.add_argument("--b-candidate", default="go", metavar="VARIANT[+direct-clocks]",
                    help="candidate adapter for (b) (default: go); +direct-clocks adds componentize's direct-clocks step, "
                         "i.e. what a Go command gets from `componentize --variant go` on the same core module")
    ap.add_argument("--a-variant", metavar="VARIANT", help="variant componentized for (a) (default: the recommended one)")
    return ap.parse_args(argv)


def write_data(tmp: Path) -> Path:
    """The directory preopened as /data: the files of file-reads and the entries of dir-read."""
    data = tmp / "data"
    data.mkdir()
    for i in range(NFILES):
        (data / f"f{i:03d}").write_bytes(file_bytes(i))
    (data / "dir300").mkdir()
    for name in dir_names():
        (data / "dir300" / name).write_bytes(b"")
    return data


@dataclass
class Context:
    """What both parts share: the options, the engines, the builder and the scratch and data directories."""

    args: argparse.Namespace
    reps: int
    engine: wasmtime.Engine
    fuel_engine: wasmtime.Engine | None
    builder: Builder
    tmp: Path
    data: Path
    a_variant: str

    def workloads(self, names: tuple[str, ...]) -> list[Workload]:
        return [w for w in WORKLOADS if (not self.args.only or w.name in self.args.only) and w.name in names]

    def n(self, w: Workload) -> int:
        return w.quick_n if self.args.quick else w.n

    def program(self, w: Workload, path: Path, *, component: bool, label: str) -> Program:
        return Program(self.engine, path, component=component, tmp=self.tmp, label=label, data=self.data if w.preopen else None,
                       cache_dir=self.builder.cfg.cache_dir)

    def a_sides(self, w: Workload) -> tuple[Program, Program]:
        core = self.program(w, self.builder.core(w, overlay=False), component=False, label="p1-core")
        comp = self.program(w, self.builder.componentize(w, self.a_variant), component=True, label=f"{self.a_variant}-component")
        return core, comp

    def b_sides(self, w: Workload) -> tuple[Program, Program]:
        core = self.builder.core(w, overlay=self.args.b_core == "overlay")
        base, cand = self.args.b_baseline, self.args.b_candidate
        off = self.program(w, self.builder.plain(w, core, base), component=True, label=base)
        ours = self.program(w, self.builder.plain(w, core, cand), component=True, label=cand)
        return off, ours


def set_up(args: argparse.Namespace, run: _bench.Run, tmp: Path) -> Context:
    from patcher.upstream.pin import Pin

    data = write_data(tmp)
    b = Builder(args.go, tmp)
    # _bench.Run types the engines as object: _bench imports wasmtime only when called.
    ctx = Context(args, run.reps, cast(wasmtime.Engine, run.engine), cast("wasmtime.Engine | None", run.fuel_engine), b, tmp, data,
                  args.a_variant or b.project.default_variant.name)
    pin = Pin.load(b.cfg.pin_file)
    print(f"# Go {b.go.version}; adapters: variant go built from wasmtime {pin.tag}, official {pin.official_version} from crates.io")
    return ctx


@dataclass
class Results:
    """Everything reported after the parts, in measuring order."""

    verdicts: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)  # kept with --json


def measure(w: Workload, n: int, sides: Callable[[Workload], tuple[Program, Program]], reps: int,
            fuel_engine: wasmtime.Engine | None) -> tuple[Pairwise, str, str]:
    """Check both sides once, then time them interleaved (and count fuel): the row and the two sides' labels.
    A failing side raises BenchError, so it is reported, not timed."""
    try:
        a, c = sides(w)
        for p in (a, c):
            check_once(p, w, n)
        r = interleave(f"{w.name} ({w.label})", sampler(a, w, n), sampler(c, w, n), reps, ops=n)
        if fuel_engine:
            r.fuel = (fuel_of(fuel_engine, a, w, n), fuel_of(fuel_engine, c, w, n))
    except (wasmtime.WasmtimeError, wasmtime.Trap) as e:  # a side that fails only later (e.g. a GC-dependent trap)
        raise BenchError(f"{w.name}: trap while measuring: {' / '.join(l.strip() for l in str(e).splitlines() if 'trap' in l or 'Caused' in l)[:200]}") from e
    return r, a.label, c.label


def measure_part(ctx: Context, res: Results, part: str, names: tuple[str, ...], sides: Callable[[Workload], tuple[Program, Program]],
                 target: float, skipped: str) -> list[Pairwise]:
    """The part's selected workloads, measured one after the other; the rows that got numbers."""
    rows: list[Pairwise] = []
    for w in ctx.workloads(names):
        try:
            r, a_label, c_label = measure(w, ctx.n(w), sides, ctx.reps, ctx.fuel_engine)
        except BenchError as e:
            res.failures.append(f"{part} {w.name}: {e}")
            print(f"  {w.name}: {skipped}: {e}", flush=True)
            continue
        rows.append(r)
        res.verdicts.append(pair_verdict(f"{part} {w.name}", r, target))
        res.rows.append(_bench.row_json(part, w.name, r, a_label, c_label, target))
    return rows


def run_a(ctx: Context, res: Results) -> None:
    v = ctx.a_variant
    print(f"\n## (a) component (componentize, {v} adapter) vs. wasip1 core module under Preview 1 [target <= {TARGET_A:.2f}]", flush=True)
    rows = measure_part(ctx, res, "(a)", A_WORKLOADS, ctx.a_sides, TARGET_A, "skipped")
    if rows:
        print(table(rows, "P1 core", f"{v} component"))
    print(f"# load average now: {_bench.load()}")


def run_b(ctx: Context, res: Results) -> None:
    base, cand = ctx.args.b_baseline, ctx.args.b_candidate
    print(f"\n## (b) {cand} adapter vs. {base} adapter, plain pipeline, same core module ({ctx.args.b_core}) [target <= {TARGET_B:.2f}]", flush=True)
    rows = measure_part(ctx, res, "(b)", B_WORKLOADS, ctx.b_sides, TARGET_B, "skipped (both sides must pass)")
    if rows:
        print(table(rows, base, cand))
    print(f"# load average now: {_bench.load()}")


def report(res: Results, started: float) -> None:
    print("\n## verdicts (median of per-pair wall-time ratios)")
    for v in res.verdicts:
        print(v)
    for f in res.failures:
        print(f"not measured: {f}")
    print(f"# total {time.monotonic() - started:.0f}s. Columns: medians of wall time per sample; ratio = median of the per-pair wall ratios "
          f"(IQR and min-max over the pairs); best/best = fastest b / fastest a; cpu ratio = median per-pair ratio of this thread's CPU time "
          f"(misses wasmtime's blocking-I/O threads); delta/op = (median b - median a) / operations per sample; "
          f"fuel = wasm operators executed in one sample (Go + adapter code, no host time; deterministic), ratio b/a and extra operators per operation.")


def write_kept(path: Path, ctx: Context, res: Results) -> None:
    _bench.write_json(path, ctx.args, ctx.reps, res.rows, res.failures, a_variant=ctx.a_variant, b_baseline=ctx.args.b_baseline,
                      b_candidate=ctx.args.b_candidate)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run = _bench.begin(args, "overhead benchmark")
    res = Results()
    with tempfile.TemporaryDirectory(prefix="patcher-bench-") as t:
        ctx = set_up(args, run, Path(t))
        if args.part in ("a", "both"):
            run_a(ctx, res)
        if args.part in ("b", "both"):
            run_b(ctx, res)
    report(res, run.started)
    if args.json:
        write_kept(args.json, ctx, res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
