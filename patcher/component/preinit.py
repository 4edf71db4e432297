"""`componentize --preinit`: snapshot a Go reactor's core module after the Go runtime and every
package init have run, with `wasmtime wizer`, so an instance runs no Go start-up code.

The core module is snapshotted before `component new`, so the adapter is not part of it: the
adapter starts fresh in every instance and holds no host handle across the snapshot. The module
is built with the `go-preinit` runtime overlay; wizer calls `_initialize` under wasmtime's own
WASI Preview 1 with an empty environment, no preopened directory and no stdin, then exports the
overlay's `patcher_preinit_restore` as `_initialize`, which wit-component's start function calls
once per instance: it re-seeds the runtime's random state, continues the monotonic clock and
re-reads arguments, environment and preopens (docs/preinit.md).

What init() may not do because a snapshot cannot keep it (read a file, read stdin, use a socket,
call a host import, exit) is refused while wizer runs: those imports are moved (a binary edit of
the import section) to guard modules preloaded into wizer whose functions trap in a function
named for the call; the trap becomes a one-line error naming the call and the Go function that
made it. The imports are moved back in the snapshot.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from patcher.core import proc, wasm
from patcher.core.errors import PatcherError
from patcher.core.fsutil import ensure_cache_dir, write_atomic

WASI = "wasi_snapshot_preview1"
INIT = "_initialize"
RESTORE = "patcher_preinit_restore"  # the go-preinit overlay's export
# `_initialize` under another name while wizer runs: `wasmtime run` (which wizer drives) calls a
# core module's `_initialize` itself before the init function, and Go's start-up must run once.
WIZER_INIT = "patcher_preinit_init"
GUARD_PREFIX = "patcher-preinit/"  # import module of guarded imports while wizer runs
TRAP_PREFIX = "patcher_preinit_refused_"

# Preview 1 calls whose result a snapshot would keep although the instance's host would answer
# differently: what init() was doing when it made them.
REFUSED: dict[str, str] = {
    **{name: "opens or inspects a file" for name in (
        "path_open", "path_filestat_get", "path_filestat_set_times", "path_create_directory", "path_link", "path_readlink",
        "path_remove_directory", "path_rename", "path_symlink", "path_unlink_file")},
    "fd_read": "reads stdin or a file",
    "fd_pread": "reads a file",
    "fd_readdir": "reads a directory",
    "sock_accept": "uses a socket", "sock_recv": "uses a socket", "sock_send": "uses a socket", "sock_shutdown": "uses a socket",
    "proc_exit": "exits (os.Exit, log.Fatal or a panic)",
    "proc_raise": "raises a signal",
}
# Calls wasmtime's Preview 1 lacks or answers unlike the adapter, answered by the guard instead.
STUBS: dict[str, str] = {
    "adapter_monotonic_clock_set_paused": "",  # the adapter's pause: nothing to pause while snapshotting
    "fd_fdstat_set_flags": "i32.const 8",  # EBADF, the adapter's answer for stdio, so os.Stdin is the same kind
}
# Go frames (as the name section spells them: `/` is `_`) that are not the program's own, to name
# the function whose call was refused: the first `main.` frame, else the first other one.
_LIBRARY = re.compile(r"^(runtime|syscall|internal_|os|io|bufio|net|crypto|fmt|log|sync|encoding|time|wasm_pc|_rt0|type:)[._]")
_FRAME = re.compile(r"^\s*\d+:\s+0x[0-9a-f]+ - (?:\S+!)?(.+?)\s*$")


@dataclass(frozen=True)
class Guard:
    module: str
    name: str
    params: tuple[str, ...]
    results: tuple[str, ...]
    body: str | None  # None: refused (traps)

    @property
    def what(self) -> str:
        if self.module == WASI:
            return f"{self.name} ({REFUSED[self.name]})"
        return f"the host import {self.module}.{self.name} (an outbound request or host call)"


def guards(data: bytes) -> list[Guard]:
    """The function imports to guard while init() runs under wizer (each once: the Go linker
    may import a function twice, golang/go#60525)."""
    out: list[Guard] = []
    seen: set[tuple[str, str]] = set()
    for module, name, params, results in wasm.function_imports(data):
        if (module, name) in seen:
            continue
        seen.add((module, name))
        if module == WASI and name in STUBS:
            out.append(Guard(module, name, params, results, STUBS[name]))
        elif module != WASI or name in REFUSED:
            out.append(Guard(module, name, params, results, None))
    return out


def guard_modules(gs: list[Guard]) -> dict[str, str]:
    """WAT text of one guard module per original import module, keyed by its guard module name."""
    by_module: dict[str, list[str]] = {}
    for i, g in enumerate(gs):
        params = "".join(f" (param {p})" for p in g.params)
        results = "".join(f" (result {r})" for r in g.results)
        fid = f"${TRAP_PREFIX}{i}" if g.body is None else f"$stub_{i}"
        body = "unreachable" if g.body is None else g.body
        by_module.setdefault(GUARD_PREFIX + g.module, []).append(f'  (func {fid} (export "{_wat_string(g.name)}"){params}{results}\n    {body})')
    return {m: "(module\n" + "\n".join(fs) + ")\n" for m, fs in by_module.items()}


def _wat_string(s: str) -> str:
    return "".join(c if 0x20 <= ord(c) < 0x7F and c not in '"\\' else "".join(f"\\{b:02x}" for b in c.encode()) for c in s)


def move_imports(data: bytes, gs: list[Guard], *, back: bool) -> bytes:
    """Move the guarded imports to their guard modules (or `back`), indices unchanged."""
    for module in sorted({g.module for g in gs}):
        names = frozenset(g.name for g in gs if g.module == module)
        src, dst = (GUARD_PREFIX + module, module) if back else (module, GUARD_PREFIX + module)
        data, n = wasm.rename_import_module(data, names, src, dst)
        if n < len(names):
            raise PatcherError(f"preinit: moved {n} of {len(names)} imports of {module}", hint="report this as a patcher bug")
    return data


def refusal(stderr: str, gs: list[Guard]) -> PatcherError | None:
    """The one-line error for a guard trap in wizer's output (None: not a guard trap)."""
    lines = stderr.splitlines()
    for i, line in enumerate(lines):
        m = re.search(rf"{TRAP_PREFIX}(\d+)\b", line)
        if not m or int(m.group(1)) >= len(gs):
            continue
        g = gs[int(m.group(1))]
        frames = [f.group(1) for f in map(_FRAME.match, lines[i + 1:]) if f]
        own = [f for f in frames if f.startswith("main.")] or [f for f in frames if not _LIBRARY.match(f)]
        caller = f" in {own[0]}" if own else ""
        return PatcherError(f"--preinit: init(){caller} calls {g.what}, which a snapshot cannot keep",
                            hint="do it in the first export call instead of init(), or build without --preinit")
    return None


def snapshot(core: Path, cache_dir: Path) -> Path:
    """The pre-initialized core module (cached by the input's and wasmtime's identity)."""
    from patcher.core import hosttools, log

    data = core.read_bytes()
    exports = wasm.function_exports(data)
    if RESTORE not in exports or INIT not in exports:
        raise PatcherError(f"{core.name} was not built for --preinit (no {RESTORE} export)",
                           hint="build it through componentize --preinit (the go-preinit runtime overlay)")
    cli = hosttools.wasmtime_cli(cache_dir)
    version = hosttools.wasmtime_cli_version(cache_dir)
    gs = guards(data)
    code = Path(__file__).read_bytes() + Path(wasm.__file__).read_bytes()  # the guards and the section edits
    key = hashlib.sha256(data + f"\0{version}\0".encode() + code).hexdigest()[:32]
    out = ensure_cache_dir(cache_dir) / "preinit" / f"{key}.wasm"
    if out.is_file():
        return out
    with tempfile.TemporaryDirectory(prefix="patcher-preinit-") as t:
        tmp = Path(t)
        # Relative names only: wizer's argv[0] is the input's path, and it stays in the snapshot.
        (tmp / "main.wasm").write_bytes(wasm.rename_export(move_imports(data, gs, back=False), INIT, WIZER_INIT))
        preloads: list[str] = []
        for i, (module, text) in enumerate(sorted(guard_modules(gs).items())):
            (tmp / f"guard{i}.wat").write_text(text)
            preloads += ["--preload", f"{module}=guard{i}.wat"]
        cmd = [str(cli), "wizer", "-S", "cli=y", "-S", "inherit-env=n", "-S", "inherit-stdin=n", "-S", "inherit-network=n",
               "--init-func", WIZER_INIT, "--rename-func", f"{INIT}={RESTORE}", *preloads, "-o", "snapshot.wasm", "main.wasm"]
        # No environment for wasmtime either: nothing of the build machine reaches the snapshot.
        r = proc.run(cmd, cwd=tmp, env={"PATH": "/usr/bin:/bin"}, timeout=600)
        if r.stdout.strip():
            log.info("--preinit: init() wrote (at build time, not per instance): " + r.stdout.strip().replace("\n", " | ")[:400])
        if r.returncode != 0:
            err = refusal(r.stderr, gs)
            if err is not None:
                raise err
            last = [s for s in r.stderr.strip().splitlines() if s.strip()]
            raise PatcherError(f"--preinit: wasmtime wizer failed: {last[0] if last else 'exit ' + str(r.returncode)}",
                               hint="run with -v for wizer's whole output; init() must finish without the host")
        snap = wasm.merge_data_segments(move_imports((tmp / "snapshot.wasm").read_bytes(), gs, back=True))
    if INIT not in wasm.function_exports(snap) or RESTORE in wasm.function_exports(snap):
        raise PatcherError("--preinit: the snapshot does not export the restore hook as _initialize", hint="report this as a patcher bug")
    write_atomic(out, snap)
    return out
