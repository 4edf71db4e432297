"""Run components (and wasip1 core modules) in-process with wasmtime, with a time and a memory limit.

A run never stalls: the engine uses epoch interruption and a timer bumps the epoch at the deadline.
Failures keep the first trap line plus the innermost adapter frame and Go frame of the backtrace.
"""

from __future__ import annotations

import importlib.metadata
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import wasmtime
from wasmtime import component as C

from patcher.core import cache
from patcher.core.errors import PatcherError
from patcher.core.fsutil import ensure_cache_dir, sha256_file
from patcher.run import entry, values
from patcher.run.spec import RunSpec
from patcher.run.traps import TIMEOUT_TRAP, parse_trap


@dataclass
class RunResult:
    ok: bool
    exit_code: int | None
    stdout: str
    stderr: str
    trap: str | None = None  # first line of the trap, if any
    frames: dict[str, str] = field(default_factory=dict)  # {"adapter": ..., "go": ...}
    detail: str = ""
    seconds: float = 0.0


def _engine() -> wasmtime.Engine:
    cfg = wasmtime.Config()
    cfg.epoch_interruption = True
    return wasmtime.Engine(cfg)


def _load_component(engine: wasmtime.Engine, path: Path, cache_dir: Path | None) -> C.Component:
    if cache_dir is None:
        return C.Component.from_file(engine, str(path))
    key = f"{sha256_file(path)[:32]}-wt{importlib.metadata.version('wasmtime')}"
    cached = ensure_cache_dir(cache_dir) / "compiled" / f"{key}.cwasm"
    if cached.is_file():
        try:
            return C.Component.deserialize_file(engine, str(cache.used(cached)))
        except wasmtime.WasmtimeError:
            cached.unlink()
    cache.prune_now_and_then(cache_dir)
    comp = C.Component.from_file(engine, str(path))
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{threading.get_ident()}.tmp")
    tmp.write_bytes(comp.serialize())
    tmp.replace(cached)
    return comp


def _wasi(case: RunSpec, tmp: Path, argv0: str, preopen_host: Path | None) -> tuple[wasmtime.WasiConfig, Path, Path]:
    wasi = wasmtime.WasiConfig()
    wasi.argv = [argv0, *case.args]
    wasi.env = [list(kv) for kv in case.env]
    out, err = tmp / "stdout", tmp / "stderr"
    wasi.stdout_file = str(out)
    wasi.stderr_file = str(err)
    if case.stdin is not None:
        (tmp / "stdin").write_text(case.stdin)
        wasi.stdin_file = str(tmp / "stdin")
    if case.preopen and preopen_host:
        wasi.preopen_dir(str(preopen_host), case.preopen)
    return wasi, out, err


class _Deadline:
    def __init__(self, engine: wasmtime.Engine, seconds: float):
        self.timer = threading.Timer(seconds, engine.increment_epoch)
        self.timer.daemon = True

    def __enter__(self) -> _Deadline:
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()


def _read(p: Path) -> str:
    return p.read_text(errors="replace") if p.exists() else ""


def _fail(exc: BaseException, out: Path, err: Path, started: float, timeout: float) -> RunResult:
    msg = str(exc)
    first, frames = parse_trap(msg)
    if first.endswith(TIMEOUT_TRAP):
        first = f"timed out after {timeout:.0f}s (epoch interrupt)"
    return RunResult(ok=False, exit_code=None, stdout=_read(out), stderr=_read(err), trap=first, frames=frames, seconds=time.monotonic() - started)


def _limited_store(engine: wasmtime.Engine, case: RunSpec, tmp: Path) -> tuple[wasmtime.Store, Path, Path]:
    """A store with the case's WASI set-up, a memory limit, and an epoch deadline armed."""
    data = tmp / "preopen"
    data.mkdir()
    wasi, out, err = _wasi(case, tmp, case.name, data)
    store = wasmtime.Store(engine)
    store.set_limits(memory_size=case.memory_mb << 20)
    store.set_epoch_deadline(1)
    store.set_wasi(wasi)
    return store, out, err


def run_component(path: Path, case: RunSpec, *, cache_dir: Path | None = None) -> RunResult:
    engine = _engine()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="patcher-run-") as t:
        store, out, err = _limited_store(engine, case, Path(t))
        linker = C.Linker(engine)
        linker.add_wasip2()
        try:
            comp = _load_component(engine, path, cache_dir)
        except wasmtime.WasmtimeError as e:
            return RunResult(ok=False, exit_code=None, stdout="", stderr="", trap=f"component does not load: {str(e).splitlines()[0]}", seconds=0.0)
        host_mod = host = None
        if case.host is not None:  # the case's Python host: imports before instantiation, then a driver
            host_mod = _host_module(case)
            host = host_mod.define(linker, comp, engine)
        exit_code = 0
        detail = ""
        with _Deadline(engine, case.timeout_s):
            try:
                inst = linker.instantiate(store, comp)
                if case.kind == "command":
                    run_name = next((n for n in comp.type.exports(engine) if n.startswith("wasi:cli/run@")), None)
                    if run_name is None:
                        return RunResult(ok=False, exit_code=None, stdout="", stderr="", trap="component exports no wasi:cli/run")
                    res = entry.cli_run(store, inst, run_name)(store)
                    if res is not None and getattr(res, "tag", None) == "err":
                        exit_code = 1
                else:
                    types = values.func_params(engine, comp)
                    for call in case.calls:
                        func = inst.get_func(store, call.func)
                        if func is None:
                            return RunResult(ok=False, exit_code=None, stdout=_read(out), stderr=_read(err), trap=f"component does not export {call.func!r}")
                        params = types.get(call.func, [])
                        args = [values.lower(a, params[i]) if i < len(params) else a for i, a in enumerate(call.args)]
                        if call.idle_s:
                            time.sleep(call.idle_s)
                        for i in range(call.repeat):
                            got = values.to_py(func(store, *args))
                            if call.has_expect and got != values.to_py(call.expect):
                                detail = f"call {call.func} #{i + 1}: got {got!r:.200}, expected {call.expect!r:.200}"
                                return RunResult(ok=False, exit_code=0, stdout=_read(out), stderr=_read(err), detail=detail, seconds=time.monotonic() - started)
                    if host_mod is not None and (detail := host_mod.drive(host, store, inst, comp, engine)):
                        return RunResult(ok=False, exit_code=0, stdout=_read(out), stderr=_read(err), detail=detail, seconds=time.monotonic() - started)
            except wasmtime.ExitTrap as e:
                exit_code = e.code
            except (wasmtime.WasmtimeError, wasmtime.Trap) as e:
                return _fail(e, out, err, started, case.timeout_s)
        return RunResult(ok=True, exit_code=exit_code, stdout=_read(out), stderr=_read(err), seconds=time.monotonic() - started)


def _host_module(case: RunSpec) -> Any:
    """A corpus program's `host = "FILE.py"`: `define(linker, component, engine) -> state` adds the
    world's imports; `drive(state, store, instance, component, engine) -> str | None` calls the
    exports and returns a one-line failure (None: every check passed)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"patcher_corpus_host_{case.name.replace('-', '_')}", str(case.host))
    if spec is None or spec.loader is None:
        raise PatcherError(f"corpus program {case.name}: cannot load host module {case.host}", hint="host = must name a .py file in the program's directory")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_core_p1(path: Path, case: RunSpec) -> RunResult:
    """Run a command core module under wasmtime's Preview 1 (the differential oracle)."""
    engine = _engine()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="patcher-p1-") as t:
        store, out, err = _limited_store(engine, case, Path(t))
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        module = wasmtime.Module.from_file(engine, str(path))
        exit_code = 0
        with _Deadline(engine, case.timeout_s):
            try:
                inst = linker.instantiate(store, module)
                entry.start(store, inst)
            except wasmtime.ExitTrap as e:
                exit_code = e.code
            except (wasmtime.WasmtimeError, wasmtime.Trap) as e:
                return _fail(e, out, err, started, case.timeout_s)
        return RunResult(ok=True, exit_code=exit_code, stdout=_read(out), stderr=_read(err), seconds=time.monotonic() - started)


