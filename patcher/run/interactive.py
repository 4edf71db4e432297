"""`patcher run`: a component with the terminal's stdio, or one export called from the command line."""

from __future__ import annotations

from pathlib import Path

import wasmtime
from wasmtime import component as C

from patcher.core.errors import PatcherError
from patcher.run import entry, values
from patcher.run.traps import missing_import, parse_trap


def run_interactive(path: Path, *, argv: list[str], env: list[tuple[str, str]], dirs: list[tuple[str, str]], invoke: tuple[str, list[str]] | None) -> int:
    """`patcher run`: run a component with the terminal's stdio (commands) or call one export (reactors)."""
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.argv = [path.name, *argv]
    wasi.env = [list(kv) for kv in env]
    wasi.inherit_stdin()
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    for host, guest in dirs:
        wasi.preopen_dir(host, guest)
    store.set_wasi(wasi)
    linker = C.Linker(engine)
    linker.add_wasip2()
    try:
        comp = C.Component.from_file(engine, str(path))
        try:
            inst = linker.instantiate(store, comp)
        except wasmtime.WasmtimeError as e:
            if (missing := missing_import(str(e))) is None:
                raise
            kind, name = missing
            raise PatcherError(f"{path.name} imports {kind} {name}, which no host here implements: `patcher run` provides only WASI 0.2 (wasi:cli, "
                               "wasi:clocks, wasi:filesystem, wasi:io, wasi:random, wasi:sockets)",
                               hint=f"run it in a host that implements {name} (e.g. wasmtime-py with Linker.root().add_func), or remove the import from the world") from e
        if invoke is None:
            run_name = next((n for n in comp.type.exports(engine) if n.startswith("wasi:cli/run@")), None)
            if run_name is None:
                raise PatcherError(f"{path} is not a command (no wasi:cli/run export)", hint="call an export with --invoke NAME ARG...")
            res = entry.cli_run(store, inst, run_name)(store)
            return 1 if getattr(res, "tag", None) == "err" else 0
        name, args = invoke
        func = inst.get_func(store, name)
        if func is None:
            exports = ", ".join(comp.type.exports(engine))
            raise PatcherError(f"{path} does not export {name!r}", hint=f"exports: {exports}")
        params = values.func_params(engine, comp).get(name, [])
        lowered = [values.lower(values.parse_arg(a, t), t) for a, t in zip(args, params, strict=False)]
        if len(args) != len(params):
            raise PatcherError(f"{name} takes {len(params)} argument(s), got {len(args)}")
        print(repr(values.to_py(func(store, *lowered))))
        return 0
    except wasmtime.ExitTrap as e:
        return e.code
    except (wasmtime.WasmtimeError, wasmtime.Trap) as e:
        first, frames = parse_trap(str(e))
        raise PatcherError(f"trap: {first}" + (f" (in adapter {frames['adapter']})" if "adapter" in frames else "")) from e
