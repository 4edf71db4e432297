"""The hosts a component runs under, by name: `wasmtime-py` (the `wasmtime` Python package,
in-process: `runner.py`, `testrun.py`), `wasmtime-cli` (`wasmtime run` as a process: `host_cli.py`)
and `jco` (`jco run` under Node: `host_jco.py`). Every tier and command picks one by name; each
gets the same preopens, environment, arguments, stdin, stack size and time limit, and returns the
RunResult (or test Outcome) the oracles judge. `survey` says which are usable here, with versions.
"""

from __future__ import annotations

import importlib.metadata
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from patcher.core import hosttools, proc
from patcher.core.errors import PatcherError, UsageError
from patcher.golang.gotool import DEFAULT_RUNNER_ENV, DEFAULT_RUNNER_STACK, Wasip1Runner
from patcher.run import host_cli, host_jco, runner
from patcher.run.runner import RunResult
from patcher.run.spec import RunSpec
from patcher.run.testchild import Outcome, run_child

HOST_NAMES = ("wasmtime-py", "wasmtime-cli", "jco")
DEFAULT_HOST = "wasmtime-py"


@dataclass(frozen=True)
class Found:
    name: str
    ok: bool
    text: str  # version and where, or the one-line error with how to get it


def check_name(name: str) -> str:
    if name not in HOST_NAMES:
        raise UsageError(f"unknown host {name!r}", hint=f"hosts: {', '.join(HOST_NAMES)}")
    return name


def version(name: str, cache_dir: Path) -> str:
    """The host's version, e.g. "49.0.3"; MissingToolError (one line, how to get it) when it is missing."""
    check_name(name)
    if name == "wasmtime-py":
        return importlib.metadata.version("wasmtime")
    if name == "wasmtime-cli":
        return hosttools.wasmtime_cli_version(cache_dir)
    return hosttools.jco_version(cache_dir)


def label(name: str, cache_dir: Path) -> str:
    """What a report says ran a row: the host and its version, e.g. "wasmtime-cli 49.0.3"."""
    return f"{name} {version(name, cache_dir)}"


def _where(name: str, cache_dir: Path) -> str:
    if name == "wasmtime-cli":
        return str(hosttools.wasmtime_cli(cache_dir))
    if name == "jco":
        return " ".join(hosttools.jco(cache_dir))
    return "in-process"


def survey(cache_dir: Path) -> list[Found]:
    out = []
    for name in HOST_NAMES:
        try:
            out.append(Found(name, True, f"{name} {version(name, cache_dir)} ({_where(name, cache_dir)})"))
        except PatcherError as e:
            out.append(Found(name, False, e.one_line()))
    return out


def drives(name: str, case: RunSpec) -> str | None:
    """None when host `name` can run `case`; else why not (reported as not driven, never a pass)."""
    if name == "wasmtime-cli":
        return host_cli.drives(case)
    if name == "jco":
        return host_jco.drives(case)
    return None


_RUNNERS: dict[str, Callable[..., RunResult]] = {
    "wasmtime-py": runner.run_component,
    "wasmtime-cli": host_cli.run_component,
    "jco": host_jco.run_component,
}


def run_component(name: str, path: Path, case: RunSpec, *, cache_dir: Path) -> RunResult:
    """Run a corpus or stress case's component under host `name`."""
    return _RUNNERS[check_name(name)](path, case, cache_dir=cache_dir)


def run_test_binary(name: str, wasm: Path, argv: list[str], *, cwd: Path, cache_dir: Path, deadline_s: float = 0.0,
                    echo: Callable[[str], None] | None = None, env: dict[str, str] | None = None, runner: Wasip1Runner | None = None) -> Outcome:
    """A Go test binary (already a component) under host `name`, as this Go's go_wasip1_wasm_exec
    (`runner`) runs one: `/` preopened, PWD, only the variables it passes, its Wasm stack; output
    merged as go test sees it. wasmtime-py runs it in a `patcher.run.testrun` child."""
    check_name(name)
    if name == "wasmtime-py":
        return run_child(wasm, argv, cwd=cwd, cache_dir=cache_dir, deadline_s=deadline_s, echo=echo, env=env, runner=runner)
    runner = runner or Wasip1Runner(DEFAULT_RUNNER_STACK, DEFAULT_RUNNER_ENV, None)
    child_env = dict(os.environ if env is None else env)
    passed = {k: child_env[k] for k in runner.env if k in child_env and k != "PWD"}
    with tempfile.TemporaryDirectory(prefix=f"patcher-{name}-") as t:
        if name == "wasmtime-cli":
            cmd = host_cli.test_command(wasm, argv, cwd=cwd, env=passed, cache_dir=cache_dir, stack=runner.max_wasm_stack)
            run_env = {**child_env, "RUST_BACKTRACE": "0"}
        else:
            cmd = host_jco.test_command(wasm, argv, cwd=cwd, env=passed, cache_dir=cache_dir, work=Path(t) / "jco")
            run_env = child_env
        ran = proc.stream(cmd, cwd=cwd, env=run_env, on_line=echo, deadline_s=deadline_s)
    return Outcome(ran.returncode, ran.output, ran.seconds)


def run_interactive(name: str, path: Path, *, argv: list[str], env: list[tuple[str, str]], dirs: list[tuple[str, str]],
                    invoke: tuple[str, list[str]] | None, cache_dir: Path) -> int:
    """`patcher run --host NAME`: the terminal's stdio, the host's own exit code."""
    from patcher.run import interactive

    check_name(name)
    if name == "wasmtime-py":
        return interactive.run_interactive(path, argv=argv, env=env, dirs=dirs, invoke=invoke)
    if name == "wasmtime-cli":
        return proc.call(host_cli.interactive_command(path, argv=argv, env=env, dirs=dirs, invoke=invoke, cache_dir=cache_dir),
                         env={**os.environ, "RUST_BACKTRACE": "0"})
    if invoke is not None:
        raise UsageError("jco runs commands only (`jco run`); it has no --invoke", hint="use --host wasmtime-py or wasmtime-cli to call an export")
    with tempfile.TemporaryDirectory(prefix="patcher-jco-") as t:
        return proc.call(host_jco.interactive_command(path, argv=argv, env=env, dirs=dirs, cache_dir=cache_dir, work=Path(t) / "jco"))
