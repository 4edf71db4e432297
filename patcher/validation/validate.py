"""`validate`: build the Go corpus, turn each program into a component with each adapter, run, report.

Rows are (program, adapter, Go version). Commands are also checked differentially: built natively
(`go build` for the host) and run as a wasip1 core module under wasmtime's Preview 1; both must match
the expected output, so a failing component row is the adapter's fault, not the program's.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import importlib.metadata
import json
import multiprocessing
from dataclasses import dataclass
from pathlib import Path

from patcher.component import pipeline, recipe
from patcher.component.recipe import Recipe
from patcher.core import log
from patcher.core.errors import PatcherError
from patcher.core.fsutil import ensure_cache_dir, write_atomic
from patcher.golang import gobuild
from patcher.golang.gotool import GoToolchain
from patcher.patching.project import Project
from patcher.run import hosts, runner
from patcher.validation import oracle
from patcher.validation.corpus import Case
from patcher.validation.judge import judge
from patcher.validation.results import ORACLES, STATUSES, Oracle, Result, Status, Target

# Recipes by (target, GOROOT, program kind): one overlay render per variant, Go and kind, not per program.
_Recipes = dict[tuple[str, Path, str], Recipe]


@dataclass
class Job:
    case: Case
    target: Target | None  # None for oracle runs
    go: GoToolchain
    oracle: Oracle | None = None
    core: Path | None = None
    component: Path | None = None
    native: Path | None = None
    error: str | None = None
    host: str = hosts.DEFAULT_HOST  # the host's name (oracle runs: native, or wasmtime-py's Preview 1)
    host_label: str = ""


def _prepare(job: Job, project: Project, recipes: _Recipes) -> None:
    """Build and compose (cached); record a one-line error on failure."""
    case, go = job.case, job.go
    cache_dir = project.cfg.cache_dir
    try:
        if job.oracle == "native":
            job.native = oracle.build_native(case, go, cache_dir)
            return
        if job.oracle == "wasip1-core":
            job.core = gobuild.build(case.dir, go, kind=case.kind, cache_dir=cache_dir, flags=case.build_flags, label=case.name)
            return
        target = job.target
        assert target is not None
        key = (target.label, go.goroot, case.kind)
        if key not in recipes:
            recipes[key] = recipe.resolve(project, target.companion, go=go, kind=case.kind, adapter=target.adapters[case.kind],
                                          preinit=target.preinit)
        r = recipes[key]
        # Generated bindings go in through the overlay, whatever the adapter.
        pkg = pipeline.GoPackage(dir=case.dir, label=case.name, build_flags=case.build_flags, wit=case.wit if case.bindgen else None,
                                 world=case.world if case.bindgen else None, create_bindings=True)
        job.core = pipeline.build_core(project, r, pkg)
        job.component = pipeline.to_component(project, r, job.core, wit=case.wit, world=case.world)
    except PatcherError as e:
        job.error = e.one_line()


def _execute(job: Job, cache_dir: str) -> tuple[Status, str, float]:
    """Runs in a worker process."""
    case = job.case
    if job.oracle is None and (why := hosts.drives(job.host, case)):
        return "skip", f"{job.host} cannot drive it: {why}", 0.0
    if job.oracle == "native":
        assert job.native is not None
        r = oracle.run_native(job.native, case)
    elif job.oracle == "wasip1-core":
        assert job.core is not None
        r = runner.run_core_p1(job.core, case)
    else:
        assert job.component is not None
        r = hosts.run_component(job.host, job.component, case, cache_dir=Path(cache_dir))
    status, detail = judge(case, r, component=job.oracle is None)
    return status, detail, r.seconds


def _result_key(job: Job) -> str | None:
    """Identity of a run: what ran (component or module bytes), the program's expectations, the host."""

    from patcher import __version__
    from patcher.core.fsutil import sha256_file

    art = job.component or job.core
    if art is None or job.oracle == "native":
        return None
    case = job.case
    host = case.host.read_text() if case.host else None  # the host module is part of the expectations
    spec = repr((case.args, case.env, case.stdin, case.preopen, case.exit_code, case.stdout, case.stderr_contains, case.calls, case.kind, job.oracle, host, case.calls_independent))
    return hashlib.sha256(f"{sha256_file(art)}\0{spec}\0{importlib.metadata.version('wasmtime')}\0{job.host_label}\0{__version__}".encode()).hexdigest()[:32]


def run(project: Project, targets: list[Target], gos: list[GoToolchain], cases: list[Case], *, jobs: int = 2, differential: bool = True,
        use_result_cache: bool = False, host_names: tuple[str, ...] = (hosts.DEFAULT_HOST,)) -> list[Result]:
    """Every case x target x Go x host (the oracles once per case and Go, whatever the hosts)."""
    cfg = project.cfg
    labels = {h: hosts.label(h, cfg.cache_dir) for h in host_names}  # a missing host fails here, in one line
    py_label = hosts.label(hosts.DEFAULT_HOST, cfg.cache_dir)
    work: list[Job] = []
    for go in gos:
        for case in cases:
            if differential and case.kind == "command":
                for oracle in ORACLES:
                    work.append(Job(case=case, target=None, go=go, oracle=oracle, host_label="" if oracle == "native" else py_label))
            for t in targets:
                for h in host_names:
                    work.append(Job(case=case, target=t, go=go, host=h, host_label=labels[h]))

    progress = log.Progress(len(work), "build")
    recipes: _Recipes = {}
    built: dict[tuple[str, str, str, str], Job] = {}  # one build per program, adapter or oracle, and Go: every host runs the same bytes
    for job in work:
        key = (job.case.name, _label(job), str(job.go.goroot), job.oracle or "")
        if job.oracle is None and hosts.drives(job.host, job.case):
            pass  # not built for a host that cannot run it (_execute reports why)
        elif key in built:
            done = built[key]
            job.core, job.component, job.native, job.error = done.core, done.component, done.native, done.error
        else:
            _prepare(job, project, recipes)
            built[key] = job
        progress.item(f"{job.case.name} / {_label(job)} / go{job.go.version}", "error" if job.error else "")

    results: dict[int, Result] = {}
    runnable = []
    cache_dir = ensure_cache_dir(cfg.cache_dir) / "results"
    keys: dict[int, str | None] = {}
    for i, job in enumerate(work):
        if job.oracle is None and (why := hosts.drives(job.host, job.case)):
            results[i] = _result(job, "skip", f"{job.host} cannot drive it: {why}", 0.0)
            continue
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
                assert status in STATUSES, status
                results[i] = _result(job, status, detail, secs)
                if keys.get(i) and status != "error":
                    write_atomic(cache_dir / f"{keys[i]}.json", json.dumps({"status": status, "detail": detail, "seconds": secs}).encode())
                progress.item(f"{job.case.name} / {_label(job)} / go{job.go.version} / {job.host_label or 'native'}", status.upper() + (f": {detail[:160]}" if detail else ""))
    return [results[i] for i in range(len(work))]


def _label(job: Job) -> str:
    if job.oracle:
        return job.oracle
    assert job.target is not None
    return job.target.label


def _result(job: Job, status: Status, detail: str, secs: float) -> Result:
    pipe = "oracle" if job.oracle or job.target is None else job.target.pipeline
    return Result(
        program=job.case.name, kind=job.case.kind, adapter=_label(job), go=job.go.version, status=status, detail=detail,
        pipeline=pipe, realloc=job.case.realloc, seconds=secs, host=job.host_label,
    )
