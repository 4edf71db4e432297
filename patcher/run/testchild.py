"""One test binary run in a `patcher.run.testrun` child process, as go test runs one: output merged
and optionally echoed live, killed a grace period after its -timeout, timed without the compile."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from patcher.core import proc
from patcher.golang.gotool import DEFAULT_RUNNER_ENV, DEFAULT_RUNNER_STACK, Wasip1Runner

KILL_GRACE_S = 60.0  # go test kills a test binary one minute after its -timeout, so do we
HARD_KILL_AFTER_S = 15.0  # after the deadline, time for the child to print the guest's stack


@dataclass
class Outcome:
    exit_code: int | None  # None: killed at the deadline
    output: str
    seconds: float  # the test run, without compiling the module or component
    compile_seconds: float = 0.0


def run_child(wasm: Path, argv: list[str], *, cwd: Path, cache_dir: Path, core: bool = False, deadline_s: float = 0.0,
              echo: Callable[[str], None] | None = None, env: dict[str, str] | None = None, runner: Wasip1Runner | None = None) -> Outcome:
    """Run a test binary in a `patcher.run.testrun` child, stdout and stderr merged as go test sees them.

    `echo(line)` is called for each line as it arrives (live output). `runner`: the Go's own wasip1
    runner to imitate (its Wasm stack and the variables it passes; default: Go 1.24's). At
    `deadline_s` the child interrupts the guest and prints the stack it was running; it is killed
    outright only if that does not end it. `-P`: the package directory (the child's cwd) is not put
    on sys.path, so a Go package's `patcher/` directory cannot shadow us."""
    from patcher.run.testrun import KILLED_EXIT, TIMING_ENV, child_args

    runner = runner or Wasip1Runner(DEFAULT_RUNNER_STACK, DEFAULT_RUNNER_ENV, None)
    opts = child_args(cache_dir=cache_dir, core=core, stack=runner.max_wasm_stack, env_names=runner.env, deadline_s=deadline_s)
    cmd = [sys.executable, "-P", "-m", "patcher.run.testrun", *opts, str(wasm), *argv]
    fd, timing = tempfile.mkstemp(prefix="patcher-compile-", suffix=".txt")
    os.close(fd)
    child_env = {**(os.environ if env is None else env), "PWD": str(cwd), TIMING_ENV: timing}
    try:
        ran = proc.stream(cmd, cwd=cwd, env=child_env, on_line=echo, deadline_s=deadline_s + HARD_KILL_AFTER_S if deadline_s else 0.0)
    finally:
        compile_s = _read_float(timing)
        os.unlink(timing)
    code = None if ran.returncode == KILLED_EXIT else ran.returncode
    return Outcome(code, ran.output, ran.seconds - compile_s, compile_s)


def _read_float(path: str) -> float:
    try:
        return float(Path(path).read_text() or 0)
    except (OSError, ValueError):
        return 0.0
