"""Run a wasip1 Go test binary (core module or component) in-process, the way the Go in use's own
`go_wasip1_wasm_exec` runs it under wasmtime (patcher.golang.gotool.Wasip1Runner).

What that runner gives a test: the whole file system preopened at `/`, only the variables it names
(`PWD` = the package directory, so Go's wasip1 syscall package finds `testdata/`; and `PATH`), and
its Wasm stack (1 MiB on Go 1.24, 8 MiB from 1.25). Output goes straight to this process's
stdout/stderr, so the caller (`go test -exec`, or `patcher test`) captures it as it would a native
test binary's.

`python -m patcher.run.testrun [--core] [--cache-dir DIR] [--stack BYTES] [--env NAME]... [--deadline S]
WASM ARGV0 [ARGS...]` is the child process that `patcher test` and `validate --stdlib` start per run:
a crash of wasmtime stays in the child. At `--deadline` seconds the guest is interrupted and the
stack it was running is printed, as go test's SIGQUIT makes a native test binary print its goroutines.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import wasmtime
import wasmtime._bindings as ffi
from wasmtime import component as C

from patcher.core.fsutil import ensure_cache_dir, sha256_file
from patcher.golang.gotool import DEFAULT_RUNNER_ENV, DEFAULT_RUNNER_STACK
from patcher.run import entry

TRAP_PREFIX = "patcher: trap: "
TIMING_ENV = "PATCHER_TESTRUN_COMPILE_TIME_FILE"
KILLED_EXIT = 3  # the guest was interrupted at the deadline (a component can only exit 0 or 1 itself)
_HOST_STACK_MARGIN = 16 << 20  # native stack for wasmtime and Python beyond the Wasm stack


def engine(stack: int, *, interruptible: bool = False) -> wasmtime.Engine:
    cfg = wasmtime.Config()
    # wasmtime refuses a max_wasm_stack above async_stack_size (2 MiB by default; wasmtime-py
    # aborts the process on it), and wasmtime-py has no setter for the latter.
    ffi.wasmtime_config_async_stack_size_set(cfg.ptr(), max(stack, 2 << 20) + (1 << 20))
    cfg.max_wasm_stack = stack
    cfg.epoch_interruption = interruptible
    return wasmtime.Engine(cfg)


def _load(eng: wasmtime.Engine, path: Path, cache_dir: Path | None, core: bool, flavour: str) -> wasmtime.Module | C.Component:
    """Compile (or load the compiled copy from the cache: a big test binary takes seconds to compile)."""
    kind = wasmtime.Module if core else C.Component
    if cache_dir is None:
        return kind.from_file(eng, str(path))
    key = f"{sha256_file(path)[:32]}-wt{_wasmtime_id()}-{flavour}"
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


def _wasmtime_id() -> str:
    """Which wasmtime compiled it: the shared library's size and mtime (importlib.metadata would
    cost every test run a tenth of a second)."""
    from wasmtime import _ffi

    st = Path(_ffi.filename).stat()
    return f"{st.st_size:x}{int(st.st_mtime):x}"


def guest_env(names: Sequence[str], cwd: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The runner's variables from `environ`, PWD being the package directory."""
    environ = os.environ if environ is None else environ
    out = {n: environ[n] for n in names if n in environ}
    out["PWD"] = cwd
    return out


def wasi_config(argv: list[str], *, env: dict[str, str]) -> wasmtime.WasiConfig:
    wasi = wasmtime.WasiConfig()
    wasi.argv = argv
    wasi.env = [[k, v] for k, v in env.items()]
    wasi.inherit_stdin()
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    wasi.preopen_dir("/", "/")
    return wasi


_FRAME = re.compile(r"^\s*\d+:\s+0x[0-9a-f]+ - (?:<unknown>|[^!]*)!(?P<func>\S+)")


def goroutine_dump(trap: str) -> str:
    """The Go frames of an interrupted guest's wasm backtrace, printed the way a goroutine dump
    shows a running goroutine (Wasm has no signals: this is the one stack that was running)."""
    funcs = [m["func"] for l in trap.splitlines() if (m := _FRAME.match(l))]
    funcs = [f for f in funcs if not f.startswith(("wasm_pc_f_loop", "wasm_export_", "_rt0_wasm")) and ":" not in f]
    lines = ["SIGQUIT: quit", "", "goroutine running at the deadline [running]:"]
    lines += [f"{f}(...)" for f in funcs] or ["(no Go frames in the wasm backtrace)"]
    return "\n".join(lines) + "\n"


def run(path: Path, argv: list[str], *, core: bool = False, cwd: str | None = None, env: dict[str, str] | None = None,
        cache_dir: Path | None = None, stack: int = DEFAULT_RUNNER_STACK, deadline_s: float = 0.0) -> int:
    """Run to completion; return the exit code (a component can only say 0 or 1). A trap prints one
    line and returns 1; the deadline interrupts the guest, prints its stack and returns KILLED_EXIT.

    `env`: the guest's whole environment (None: the default runner's variables from ours)."""
    cwd = cwd or os.getcwd()
    env = guest_env(DEFAULT_RUNNER_ENV, cwd) if env is None else env
    # The guest runs on a thread of its own whose native stack holds the Wasm stack with room to spare.
    result: list[int] = []
    previous = threading.stack_size(stack + _HOST_STACK_MARGIN)
    try:
        t = threading.Thread(target=lambda: result.append(_run(path, argv, core=core, env=env, cache_dir=cache_dir, stack=stack, deadline_s=deadline_s)),
                             name="guest", daemon=True)
        t.start()
    finally:
        threading.stack_size(previous)
    t.join()
    return result[0] if result else 1


def _run(path: Path, argv: list[str], *, core: bool, env: dict[str, str], cache_dir: Path | None, stack: int, deadline_s: float) -> int:
    from patcher.run.traps import TIMEOUT_TRAP, parse_trap

    eng = engine(stack, interruptible=deadline_s > 0)
    store = wasmtime.Store(eng)
    store.set_wasi(wasi_config(argv, env=env))
    timer: threading.Timer | None = None
    if deadline_s > 0:
        store.set_epoch_deadline(1)
        timer = threading.Timer(deadline_s, eng.increment_epoch)
        timer.daemon = True
    try:
        started = time.monotonic()
        obj = _load(eng, path, cache_dir, core, f"stack{stack}" + ("-epoch" if deadline_s > 0 else ""))
        if timing := os.environ.get(TIMING_ENV):  # the caller reports test time without the compile
            Path(timing).write_text(f"{time.monotonic() - started:.3f}")
        if timer:
            timer.start()
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
        sys.stdout.flush()
        if first.endswith(TIMEOUT_TRAP) or "wasm trap: interrupt" in str(e):
            sys.stderr.write(goroutine_dump(str(e)))
            sys.stderr.flush()
            return KILLED_EXIT
        where = "".join(f" (in {k} {v})" for k, v in frames.items())
        print(f"{TRAP_PREFIX}{first}{where}", file=sys.stderr, flush=True)
        return 1
    finally:
        if timer:
            timer.cancel()


def child_args(*, cache_dir: Path, core: bool, stack: int, env_names: Sequence[str], deadline_s: float) -> list[str]:
    """The options of `python -m patcher.run.testrun` for these settings (see `main`)."""
    out = ["--cache-dir", str(cache_dir), "--stack", str(stack), *(["--core"] if core else [])]
    for n in env_names:
        out += ["--env", n]
    if deadline_s > 0:
        out += ["--deadline", f"{deadline_s:.3f}"]
    return out


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    core, cache_dir, stack, names, deadline = False, None, DEFAULT_RUNNER_STACK, list[str](), 0.0
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--core":
            core = True
        elif opt in ("--cache-dir", "--stack", "--env", "--deadline") and args:
            value = args.pop(0)
            if opt == "--cache-dir":
                cache_dir = Path(value)
            elif opt == "--stack":
                stack = int(value)
            elif opt == "--env":
                names.append(value)
            else:
                deadline = float(value)
        else:
            print(f"patcher: error: testrun: unknown option {opt} (or no value)", file=sys.stderr)
            return 2
    if len(args) < 2:
        print("patcher: error: usage: python -m patcher.run.testrun [--core] [--cache-dir DIR] [--stack BYTES] [--env NAME]... [--deadline S] WASM ARGV0 [ARGS...]",
              file=sys.stderr)
        return 2
    cwd = os.getcwd()
    return run(Path(args[0]), args[1:], core=core, cwd=cwd, env=guest_env(names or DEFAULT_RUNNER_ENV, cwd), cache_dir=cache_dir, stack=stack,
               deadline_s=deadline)


if __name__ == "__main__":
    sys.exit(main())
