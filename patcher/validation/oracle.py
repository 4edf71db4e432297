"""The native oracle: the same Go program built for the host and run as a process (the wasip1-core
oracle is a run of the core module under Preview 1, run.runner.run_core_p1)."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path

from patcher.core import proc
from patcher.core.errors import PatcherError
from patcher.core.fsutil import ensure_cache_dir
from patcher.golang.gotool import GoToolchain
from patcher.run.runner import RunResult
from patcher.validation.corpus import Case


def build_native(case: Case, go: GoToolchain, cache_dir: Path) -> Path:
    key = hashlib.sha256(f"{case.source_hash()}\0{go.version}\0{go.goroot}\0native".encode()).hexdigest()[:32]
    out = ensure_cache_dir(cache_dir) / "gobuild" / f"{key}.native"
    if out.is_file():
        return out
    tmp = out.with_suffix(".tmp")
    r = proc.run([str(go.exe), "build", "-o", str(tmp), "."], cwd=case.dir, env=go.env(GOOS="", GOARCH=""), timeout=900)  # the host platform, whatever the shell exports
    if r.returncode != 0:
        raise PatcherError(f"native go build of {case.name} failed: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else '?'}")
    os.replace(tmp, out)
    return out


def run_native(exe: Path, case: Case) -> RunResult:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="patcher-native-") as t:
        data = Path(t) / "data"
        data.mkdir()

        def sub(v: str) -> str:
            return v.replace(case.preopen, str(data), 1) if case.preopen and v.startswith(case.preopen) else v

        env = {"PATH": os.environ.get("PATH", ""), **{k: sub(v) for k, v in case.env}}
        try:
            r = proc.run_bytes([case.name, *map(sub, case.args)], executable=str(exe), input=(case.stdin or "").encode(), env=env, timeout=case.timeout_s, cwd=t)
        except proc.TimeoutExpired:
            return RunResult(ok=False, exit_code=None, stdout="", stderr="", trap=f"timed out after {case.timeout_s:.0f}s")
        out = r.stdout.decode(errors="replace").replace(str(data), case.preopen or "\0")
        return RunResult(ok=True, exit_code=r.returncode, stdout=out, stderr=r.stderr.decode(errors="replace"), seconds=time.monotonic() - started)
