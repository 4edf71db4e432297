"""Run a wasip1 Go test binary (core module or component) in-process, the way Go's go_wasip1_wasm_exec does.

What `$GOROOT/misc/wasm/go_wasip1_wasm_exec` gives a test: the whole file system preopened at `/`,
`PWD` set to the package directory (Go's wasip1 syscall package takes its cwd from it), the
environment, and a 1 MiB Wasm stack. Output goes straight to this process's stdout/stderr, so the
caller (`go test -exec`, or `patcher test`) captures it as it would a native test binary's.

`python -m patcher.run.testrun [--core] [--cache-dir DIR] WASM ARGV0 [ARGS...]` is the child process
that `patcher test` and `validate --stdlib` start per run: a crash of wasmtime stays in the child.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
import threading
import time
from pathlib import Path

import wasmtime
from wasmtime import component as C

from patcher.core.fsutil import ensure_cache_dir, sha256_file
from patcher.run import entry

WASM_STACK = 1 << 20  # go_wasip1_wasm_exec: -W max-wasm-stack=1048576 (must stay below async_stack_size)
TRAP_PREFIX = "patcher: trap: "
TIMING_ENV = "PATCHER_TESTRUN_COMPILE_TIME_FILE"


def engine() -> wasmtime.Engine:
    cfg = wasmtime.Config()
    cfg.max_wasm_stack = WASM_STACK
    return wasmtime.Engine(cfg)


def _load(eng: wasmtime.Engine, path: Path, cache_dir: Path | None, core: bool) -> wasmtime.Module | C.Component:
    """Compile (or load the compiled copy from the cache: a big test binary takes seconds to compile)."""
    kind = wasmtime.Module if core else C.Component
    if cache_dir is None:
        return kind.from_file(eng, str(path))
    key = f"{sha256_file(path)[:32]}-wt{importlib.metadata.version('wasmtime')}-stack{WASM_STACK}"
    cached = ensure_cache_dir(cache_dir) / "compiled" / f"{key}.{'cwasm' if not core else 'cwasm1'}"
    if cached.is_file():
        try:
            return kind.deserialize_file(eng, str(cached))
        except wasmtime.WasmtimeError:
            cached.unlink(missing_ok=True)
    obj = kind.from_file(eng, str(path))
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(obj.serialize())
    tmp.replace(cached)
    return obj


def wasi_config(argv: list[str], *, cwd: str, env: dict[str, str]) -> wasmtime.WasiConfig:
    wasi = wasmtime.WasiConfig()
    wasi.argv = argv
    wasi.env = [[k, v] for k, v in {**env, "PWD": cwd}.items()]
    wasi.inherit_stdin()
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    wasi.preopen_dir("/", "/")
    return wasi


def run(path: Path, argv: list[str], *, core: bool = False, cwd: str | None = None, env: dict[str, str] | None = None,
        cache_dir: Path | None = None) -> int:
    """Run to completion; return the exit code (a component can only say 0 or 1). A trap prints one line and returns 1."""
    from patcher.run.traps import parse_trap

    eng = engine()
    store = wasmtime.Store(eng)
    store.set_wasi(wasi_config(argv, cwd=cwd or os.getcwd(), env=dict(os.environ) if env is None else env))
    try:
        started = time.monotonic()
        obj = _load(eng, path, cache_dir, core)
        if timing := os.environ.get(TIMING_ENV):  # the caller reports test time without the compile
            Path(timing).write_text(f"{time.monotonic() - started:.3f}")
        if isinstance(obj, wasmtime.Module):  # core
            linker = wasmtime.Linker(eng)
            linker.define_wasi()
            entry.start(store, linker.instantiate(store, obj))
            return 0
        comp_linker = C.Linker(eng)
        comp_linker.add_wasip2()
        inst = comp_linker.instantiate(store, obj)
        run_name = next((n for n in obj.type.exports(eng) if n.startswith("wasi:cli/run@")), None)
        if run_name is None:
            print(f"{TRAP_PREFIX}{path} exports no wasi:cli/run (not a command component)", file=sys.stderr, flush=True)
            return 1
        res = entry.cli_run(store, inst, run_name)(store)
        return 1 if getattr(res, "tag", None) == "err" else 0
    except wasmtime.ExitTrap as e:
        return e.code
    except (wasmtime.WasmtimeError, wasmtime.Trap) as e:
        first, frames = parse_trap(str(e))
        where = "".join(f" (in {k} {v})" for k, v in frames.items())
        sys.stdout.flush()
        print(f"{TRAP_PREFIX}{first}{where}", file=sys.stderr, flush=True)
        return 1


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    core = cache_dir = None
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--core":
            core = True
        elif opt == "--cache-dir":
            cache_dir = Path(args.pop(0))
        else:
            print(f"patcher: error: testrun: unknown option {opt}", file=sys.stderr)
            return 2
    if len(args) < 2:
        print("patcher: error: usage: python -m patcher.run.testrun [--core] [--cache-dir DIR] WASM ARGV0 [ARGS...]", file=sys.stderr)
        return 2
    return run(Path(args[0]), args[1:], core=bool(core), cache_dir=cache_dir)


if __name__ == "__main__":
    sys.exit(main())
