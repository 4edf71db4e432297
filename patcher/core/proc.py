"""Every child process patcher starts goes through here: `run` captures output for error messages
(streamed too under -v), `stream` hands merged output to a callback line by line, `run_bytes`
captures binary output (stdin fed from bytes), `call` leaves the output uncaptured."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from patcher.core import log

# The exceptions callers catch, so that they need not import subprocess themselves.
TimeoutExpired = subprocess.TimeoutExpired
CalledProcessError = subprocess.CalledProcessError


def run(cmd: Sequence[str | os.PathLike[str]], *, cwd: Path | str | None = None, env: Mapping[str, str] | None = None,
        timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """subprocess.run(capture_output=True, text=True); with `-v` each line is also echoed to stderr."""
    if not log.verbose():
        return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    log.info("$ " + " ".join(map(str, cmd)))
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    chunks: dict[str, list[str]] = {"out": [], "err": []}

    def pump(stream: IO[str], key: str) -> None:
        for line in stream:
            chunks[key].append(line)
            sys.stderr.write(f"  | {line}")
        stream.close()

    threads = [threading.Thread(target=pump, args=(s, k), daemon=True) for s, k in ((proc.stdout, "out"), (proc.stderr, "err"))]
    for t in threads:
        t.start()
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise
    finally:
        for t in threads:
            t.join()
    return subprocess.CompletedProcess(list(map(str, cmd)), code, "".join(chunks["out"]), "".join(chunks["err"]))


@dataclass
class Streamed:
    returncode: int | None  # None: killed at the deadline
    output: str  # stdout and stderr merged, as a terminal shows them
    seconds: float


def stream(cmd: Sequence[str | os.PathLike[str]], *, cwd: Path | str | None = None, env: Mapping[str, str] | None = None,
           on_line: Callable[[str], None] | None = None, deadline_s: float = 0.0) -> Streamed:
    """Run `cmd` with stdout and stderr merged, handing each line to `on_line` as it arrives; with
    `deadline_s` > 0 the child is killed after that many seconds (returncode None)."""
    started = time.monotonic()
    child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        child.kill()

    timer = threading.Timer(deadline_s, kill) if deadline_s > 0 else None
    if timer:
        timer.daemon = True
        timer.start()
    chunks: list[str] = []
    try:
        assert child.stdout is not None
        for raw in child.stdout:
            line = raw.decode(errors="replace")
            chunks.append(line)
            if on_line:
                on_line(line)
        code = child.wait()
    finally:
        if timer:
            timer.cancel()
        if child.poll() is None:
            child.kill()
            child.wait()
    return Streamed(None if killed.is_set() else code, "".join(chunks), time.monotonic() - started)


def run_bytes(cmd: Sequence[str | os.PathLike[str]], *, cwd: Path | str | None = None, env: Mapping[str, str] | None = None,
              timeout: float | None = None, input: bytes | None = None,
              executable: str | os.PathLike[str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """subprocess.run(capture_output=True) in binary mode, `input` fed to stdin (None: stdin is
    inherited); `executable` runs that file with `cmd[0]` as its argv[0]. Nothing is echoed, even
    under -v: the output is often a wasm binary. A timeout kills the child and raises
    subprocess.TimeoutExpired."""
    return subprocess.run(cmd, cwd=cwd, env=env, input=input, capture_output=True, timeout=timeout, executable=executable)


def call(cmd: Sequence[str | os.PathLike[str]], *, cwd: Path | str | None = None, env: Mapping[str, str] | None = None,
         output: IO[Any] | None = None, check: bool = False) -> int:
    """Run `cmd` without capturing its output: it goes to our own stdout and stderr or, with
    `output` (a file open for writing), stdout and stderr merged into that file. Returns the exit
    code; with `check` a non-zero one raises subprocess.CalledProcessError."""
    if log.verbose():
        log.info("$ " + " ".join(map(str, cmd)))
    stderr = subprocess.STDOUT if output is not None else None
    return subprocess.run(cmd, cwd=cwd, env=env, stdout=output, stderr=stderr, check=check).returncode


def start(cmd: Sequence[str | os.PathLike[str]], *, cwd: Path | str | None = None, env: Mapping[str, str] | None = None,
          output: IO[Any] | None = None) -> subprocess.Popen[bytes]:
    """Start a long-running child (a server) and return at once; stdout and stderr merged into a
    pipe (None) or `output`. The caller stops it with `stop`."""
    if log.verbose():
        log.info("$ " + " ".join(map(str, cmd)))
    return subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=output if output is not None else subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)


def stop(child: subprocess.Popen[bytes], *, grace_s: float = 5.0) -> int:
    """SIGINT (the host's graceful shutdown), then SIGKILL after `grace_s`; returns the exit code."""
    import contextlib
    import signal

    if child.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGINT)
        try:
            child.wait(grace_s)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    return child.returncode
