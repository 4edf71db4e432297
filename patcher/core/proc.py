"""Run a tool (go, cargo) with its output captured for error messages, streamed too under -v."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from patcher.core import log


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
