"""`validate`: build the Go corpus, turn each program into a component with each adapter, run, report.

Rows are (program, adapter, Go version). Commands are also checked differentially: built natively
(`go build` for the host) and run as a wasip1 core module under wasmtime's Preview 1; both must match
the expected output, so a failing component row is the adapter's fault, not the program's.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import hashlib
import importlib.metadata
import json
import os
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from patcher import compose, corpus, gobuild, log, runner
from patcher.config import Config
from patcher.corpus import Case
from patcher.errors import PatcherError
from patcher.fsutil import ensure_cache_dir, write_atomic
from patcher.gotool import GoToolchain
from patcher.judge import judge

ORACLES = ("native", "wasip1-core")


@dataclass
class Target:
    """An adapter set to validate and the pipeline that turns a Go program into a component with it."""

    label: str
    adapters: dict[str, Path]  # kind -> adapter
    pipeline: str = "plain"  # "plain": wasm-tools component new --adapt only; "componentize": plus the variant's companion steps
    variant: str | None = None


@dataclass
class Result:
    program: str
    kind: str
    adapter: str
    go: str
    status: str  # pass | fail | error
    detail: str = ""
    pipeline: str = "plain"
    realloc: str | None = None
    seconds: float = 0.0

    def to_json(self) -> dict:
        d = asdict(self)
        d["seconds"] = round(self.seconds, 2)
        return d


@dataclass
class Job:
    case: Case
    target: Target | None  # None for oracle runs
    go: GoToolchain
    oracle: str | None = None
    core: Path | None = None
    component: Path | None = None
    native: Path | None = None
    error: str | None = None
    new_flags: tuple[str, ...] = field(default_factory=tuple)


def _prepare(job: Job, cfg: Config, plans: dict) -> None:
    """Build and compose (cached); record a one-line error on failure."""
    from patcher import componentize

    case, go = job.case, job.go
    try:
        if job.oracle == "native":
            job.native = _build_native(case, go, cfg.cache_dir)
            return
        if job.oracle == "wasip1-core":
            job.core = gobuild.build(case.dir, go, kind=case.kind, cache_dir=cfg.cache_dir, flags=case.build_flags, label=case.name)
            return
        target = job.target
        assert target is not None
        variant = target.variant if target.pipeline == "componentize" else None
        key = (variant, go.goroot, case.kind)
        if key not in plans:  # one overlay render per variant, Go and kind, not per program
            plans[key] = componentize.companion_plan(cfg, variant, go=go, kind=case.kind)
        steps = plans[key]
        overlay = steps.overlay
        if case.bindgen:  # generated bindings go in through the overlay, whatever the adapter
            from patcher.bindgen import package as bindings

            overlay = bindings.overlay(case.dir, case.wit, case.world.rsplit("/", 1)[-1], cfg.templates_dir, cfg.cache_dir, overlay, create=True) or overlay
        job.core = gobuild.build(case.dir, go, kind=case.kind, cache_dir=cfg.cache_dir, flags=case.build_flags + steps.go_flags, overlay=overlay, label=case.name)
        core = steps.rewrite(job.core, cfg.cache_dir) if steps.rewrite else job.core
        job.component = compose.new_component(core, target.adapters[case.kind], wit=case.wit, world=case.world, new_flags=steps.new_flags, cache_dir=cfg.cache_dir)
    except PatcherError as e:
        job.error = e.one_line()


def _build_native(case: Case, go: GoToolchain, cache_dir: Path) -> Path:
    key = hashlib.sha256(f"{case.source_hash()}\0{go.version}\0{go.goroot}\0native".encode()).hexdigest()[:32]
    out = ensure_cache_dir(cache_dir) / "gobuild" / f"{key}.native"
    if out.is_file():
        return out
    tmp = out.with_suffix(".tmp")
    r = subprocess.run([str(go.exe), "build", "-o", str(tmp), "."], cwd=case.dir, capture_output=True, text=True, env=go.env(), timeout=900)
    if r.returncode != 0:
        raise PatcherError(f"native go build of {case.name} failed: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else '?'}")
    os.replace(tmp, out)
    return out


def _run_native(exe: Path, case: Case) -> runner.RunResult:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="patcher-native-") as t:
        data = Path(t) / "data"
        data.mkdir()

        def sub(v: str) -> str:
            return v.replace(case.preopen, str(data), 1) if case.preopen and v.startswith(case.preopen) else v

        env = {"PATH": os.environ.get("PATH", ""), **{k: sub(v) for k, v in case.env}}
        try:
            r = subprocess.run([case.name, *map(sub, case.args)], executable=str(exe), input=(case.stdin or "").encode(), capture_output=True, env=env, timeout=case.timeout_s, cwd=t)
        except subprocess.TimeoutExpired:
            return runner.RunResult(ok=False, exit_code=None, stdout="", stderr="", trap=f"timed out after {case.timeout_s:.0f}s")
        out = r.stdout.decode(errors="replace").replace(str(data), case.preopen or "\0")
        return runner.RunResult(ok=True, exit_code=r.returncode, stdout=out, stderr=r.stderr.decode(errors="replace"), seconds=time.monotonic() - started)


def _execute(job: Job, cache_dir: str) -> tuple[str, str, float]:
    """Runs in a worker process."""
    case = job.case
    if job.oracle == "native":
        r = _run_native(job.native, case)  # type: ignore[arg-type]
    elif job.oracle == "wasip1-core":
        r = runner.run_core_p1(job.core, case)  # type: ignore[arg-type]
    else:
        r = runner.run_component(job.component, case, cache_dir=Path(cache_dir))  # type: ignore[arg-type]
    status, detail = judge(case, r, component=job.oracle is None)
    return status, detail, r.seconds


def _result_key(job: Job) -> str | None:
    """Identity of a run: what ran (component or module bytes), the program's expectations, the host."""
    import wasmtime

    from patcher import __version__
    from patcher.fsutil import sha256_file

    art = job.component or job.core
    if art is None or job.oracle == "native":
        return None
    case = job.case
    host = case.host.read_text() if case.host else None  # the host module is part of the expectations
    spec = repr((case.args, case.env, case.stdin, case.preopen, case.exit_code, case.stdout, case.stderr_contains, case.calls, case.kind, job.oracle, host))
    return hashlib.sha256(f"{sha256_file(art)}\0{spec}\0{importlib.metadata.version('wasmtime')}\0{__version__}".encode()).hexdigest()[:32]


def run(cfg: Config, targets: list[Target], gos: list[GoToolchain], cases: list[Case], *, jobs: int = 2, differential: bool = True,
        use_result_cache: bool = False) -> list[Result]:
    work: list[Job] = []
    for go in gos:
        for case in cases:
            if differential and case.kind == "command":
                for oracle in ORACLES:
                    work.append(Job(case=case, target=None, go=go, oracle=oracle))
            for t in targets:
                work.append(Job(case=case, target=t, go=go))

    progress = log.Progress(len(work), "build")
    plans: dict = {}
    for job in work:
        _prepare(job, cfg, plans)
        progress.item(f"{job.case.name} / {_label(job)} / go{job.go.version}", "error" if job.error else "")

    results: dict[int, Result] = {}
    runnable = []
    cache_dir = ensure_cache_dir(cfg.cache_dir) / "results"
    keys: dict[int, str | None] = {}
    for i, job in enumerate(work):
        if job.error:
            results[i] = _result(job, "error", job.error, 0.0)
            continue
        keys[i] = _result_key(job) if use_result_cache else None
        cached = cache_dir / f"{keys[i]}.json" if keys[i] else None
        if cached is not None and cached.is_file():
            d = json.loads(cached.read_text())
            results[i] = _result(job, d["status"], d["detail"], d["seconds"])
        else:
            runnable.append(i)
    progress = log.Progress(len(runnable), "run")
    if runnable:
        with cf.ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(_execute, work[i], str(cfg.cache_dir)): i for i in runnable}
            for fut in cf.as_completed(futures):
                i = futures[fut]
                job = work[i]
                try:
                    status, detail, secs = fut.result()
                except Exception as e:  # a crash of the worker is a harness error, not a pass
                    status, detail, secs = "error", f"runner crashed: {type(e).__name__}: {e}", 0.0
                results[i] = _result(job, status, detail, secs)
                if keys.get(i) and status != "error":
                    write_atomic(cache_dir / f"{keys[i]}.json", json.dumps({"status": status, "detail": detail, "seconds": secs}).encode())
                progress.item(f"{job.case.name} / {_label(job)} / go{job.go.version}", status.upper() + (f": {detail[:160]}" if detail else ""))
    return [results[i] for i in range(len(work))]


def _label(job: Job) -> str:
    return job.oracle if job.oracle else job.target.label  # type: ignore[union-attr]


def _result(job: Job, status: str, detail: str, secs: float) -> Result:
    return Result(
        program=job.case.name, kind=job.case.kind, adapter=_label(job), go=job.go.version, status=status, detail=detail,
        pipeline="oracle" if job.oracle else job.target.pipeline, realloc=job.case.realloc, seconds=secs,  # type: ignore[union-attr]
    )
