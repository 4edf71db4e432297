"""The `wasmtime-cli` host: a component run as `wasmtime run` in its own process, as users type it.

A command gets the case's arguments (`--argv0` = the program's name, as the in-process host gives
it), environment (`--env`), stdin, its preopened directory (`--dir HOST::GUEST`), a memory limit
(`-W max-memory-size`) and a time limit (`-W timeout`). A reactor's calls are `--invoke` with the
arguments in WAVE, one call per process: the CLI starts a fresh instance for every invocation, so
it can drive only programs whose calls do not depend on each other (`calls_independent` in
case.toml); for the others `drives` says why not, and validation reports them as not driven.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from patcher.core import hosttools, proc
from patcher.run import wave
from patcher.run.runner import RunResult
from patcher.run.spec import RunSpec
from patcher.run.traps import parse_trap

if TYPE_CHECKING:
    from subprocess import CompletedProcess

NAME = "wasmtime-cli"
MAX_ARG_BYTES = 128 * 1024  # Linux's MAX_ARG_STRLEN: one command-line argument, its NUL included
TRAP_EXIT = 134  # the CLI aborts (SIGABRT's 128 + 6) when the guest traps or the host refuses it


def _env() -> dict[str, str]:
    # No Rust backtrace of the CLI itself in the trap text we keep.
    return {**os.environ, "RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"}


def drives(case: RunSpec) -> str | None:
    """None when this host can run the case, else why it cannot (a reason, never a pass)."""
    if case.kind == "command":
        return None
    if case.host is not None:
        return "wasmtime run cannot load the program's Python host module (it defines the world's imports)"
    if not case.calls_independent:
        return "wasmtime run --invoke starts a fresh instance per call, and this program's calls share state"
    for call in case.calls:
        size = len(wave.call(call.func, list(call.args)).encode()) + 1
        if size > MAX_ARG_BYTES:
            return (f"the call {call.func}(...) is {size >> 10} KiB of WAVE, and --invoke takes it as one command-line argument, "
                    f"which Linux caps at {MAX_ARG_BYTES >> 10} KiB (MAX_ARG_STRLEN)")
    return None


def _limits(case: RunSpec) -> list[str]:
    return ["-W", f"max-memory-size={case.memory_mb << 20}", "-W", f"timeout={case.timeout_s:g}s"]


def _refusal(stderr: str) -> tuple[str, dict[str, str]]:
    """The trap (or the host's refusal) in the CLI's `Error: ... Caused by: N: ...` text."""
    lines = [l.strip() for l in stderr.splitlines()]
    traps = [l.split("wasm trap: ", 1)[1] for l in lines if "wasm trap: " in l]
    _, frames = parse_trap(stderr)
    if traps:
        first = traps[-1]
        if first == "interrupt":
            first = "timed out (wasmtime -W timeout)"
        return first, frames
    causes = [l.split(": ", 1)[1] for l in lines if l[:1].isdigit() and ": " in l and " - " not in l]
    if causes:
        return causes[-1], frames
    err = next((l for l in lines if l.startswith("Error: ")), "")
    return err.removeprefix("Error: ") or (lines[-1] if lines else "wasmtime exited abnormally"), frames


def _result(r: CompletedProcess[bytes], started: float) -> RunResult:
    out, err = r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
    if r.returncode in (0, 1):  # a WASI 0.2 command can only say ok or err
        return RunResult(ok=True, exit_code=r.returncode, stdout=out, stderr=err, seconds=time.monotonic() - started)
    first, frames = _refusal(err)
    guest_err = "\n".join(l for l in err.splitlines() if not l.startswith(("Error: ", "Caused by:")) and not l.startswith("    "))
    return RunResult(ok=False, exit_code=None, stdout=out, stderr=guest_err, trap=first, frames=frames, seconds=time.monotonic() - started)


def run_component(path: Path, case: RunSpec, *, cache_dir: Path) -> RunResult:
    exe = str(hosttools.wasmtime_cli(cache_dir))
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="patcher-cli-") as t:
        data = Path(t) / "preopen"
        data.mkdir()
        base = [exe, "run", *_limits(case)]
        for k, v in case.env:
            base += ["--env", f"{k}={v}"]
        if case.preopen:
            base += ["--dir", f"{data}::{case.preopen}"]
        stdin = (case.stdin or "").encode()
        deadline = case.timeout_s + 120  # -W timeout stops the guest; this, a stuck host (compiling is outside -W timeout)
        try:
            if case.kind == "command":
                r = proc.run_bytes([*base, "--argv0", case.name, str(path), *case.args], input=stdin, env=_env(), timeout=deadline, cwd=t)
                return _result(r, started)
            why = drives(case)
            if why is not None:
                return RunResult(ok=False, exit_code=None, stdout="", stderr="", trap=f"not driven: {why}")
            stdout = []
            for call in case.calls:
                if call.idle_s:
                    time.sleep(call.idle_s)
                r = proc.run_bytes([*base, "--invoke", wave.call(call.func, list(call.args)), str(path)], input=stdin, env=_env(), timeout=deadline, cwd=t)
                res = _result(r, started)
                if not res.ok or res.exit_code != 0:
                    return res if not res.ok else RunResult(ok=False, exit_code=res.exit_code, stdout=res.stdout, stderr=res.stderr,
                                                            trap=f"call {call.func}: wasmtime exited {res.exit_code}")
                # The result is the last line the CLI prints; the guest's own output comes before it.
                *guest, printed = res.stdout.rstrip("\n").split("\n") if res.stdout.strip() else [""]
                stdout += [g + "\n" for g in guest]
                if call.has_expect:
                    got = wave.parse(printed) if printed else None
                    if got != _plain(call.expect):
                        return RunResult(ok=False, exit_code=0, stdout="".join(stdout), stderr=res.stderr,
                                         detail=f"call {call.func}: got {got!r:.200}, expected {call.expect!r:.200}", seconds=time.monotonic() - started)
        except proc.TimeoutExpired:
            return RunResult(ok=False, exit_code=None, stdout="", stderr="", trap=f"timed out after {deadline:.0f}s (the wasmtime process)")
    return RunResult(ok=True, exit_code=0, stdout="".join(stdout), stderr="", seconds=time.monotonic() - started)


def _plain(v: object) -> object:
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def test_command(wasm: Path, argv: list[str], *, cwd: Path, env: dict[str, str], cache_dir: Path, stack: int) -> list[str]:
    """`wasmtime run` of a Go test binary the way go_wasip1_wasm_exec runs one: `/` preopened,
    PWD = the package directory, the variables it passes (`env`), its Wasm stack (`stack` bytes)."""
    cmd = [str(hosttools.wasmtime_cli(cache_dir)), "run", "-W", f"max-wasm-stack={stack}", "--dir", "/::/"]
    for k, v in {**env, "PWD": str(cwd)}.items():
        cmd += ["--env", f"{k}={v}"]
    return [*cmd, "--argv0", argv[0], str(wasm), *argv[1:]]


def interactive_command(path: Path, *, argv: list[str], env: list[tuple[str, str]], dirs: list[tuple[str, str]],
                        invoke: tuple[str, list[str]] | None, cache_dir: Path) -> list[str]:
    """`patcher run --host wasmtime-cli`: the `wasmtime run` line that does the same."""
    cmd = [str(hosttools.wasmtime_cli(cache_dir)), "run"]
    for k, v in env:
        cmd += ["--env", f"{k}={v}"]
    for host, guest in dirs:
        cmd += ["--dir", f"{host}::{guest}"]
    if invoke is not None:
        return [*cmd, "--invoke", wave.call(invoke[0], [_cli_arg(a) for a in invoke[1]]), str(path)]
    return [*cmd, "--argv0", path.name, str(path), *argv]


def _cli_arg(text: str) -> object:
    """A command-line argument of `--invoke`: JSON for numbers, bools and lists, else a string."""
    import json

    try:
        v = json.loads(text)
    except json.JSONDecodeError:
        return text
    return v if not isinstance(v, dict) else text
