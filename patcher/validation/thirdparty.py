"""`validate --thirdparty`: popular Go modules' own test suites as a validation tier.

Each pinned module (its go.mod `go` line <= 1.24, so every Go of the matrix builds it with
GOTOOLCHAIN=local) is fetched through the go command (`go mod download`, the module proxy) and
copied to a writable directory in the cache. Its suite (`-count=1 -short ./...`) runs two ways:

- the oracle: `GOOS=wasip1 GOARCH=wasm go test -exec $GOROOT/lib/wasm/go_wasip1_wasm_exec`, Go's own
  Preview 1 runner, with the wasmtime CLI on PATH;
- `patcher test` (the command a user types), every package as a WASI 0.2 component.

Rows are per package (`ok`/`FAIL` lines of each run); a package the oracle fails is `xfail` for
patcher test when it fails too, and never counted against it. The wall time of both runs is kept
(`bench/thirdparty.py` prints their ratio).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from patcher.core import hosttools, log, proc
from patcher.core.errors import CheckFailed, UsageError
from patcher.core.fsutil import ensure_cache_dir
from patcher.golang.gotool import GoToolchain
from patcher.validation.results import Result, Status

KIND = "thirdparty-test"
ORACLE = "wasip1-core"
SUITE_FLAGS = ("-count=1", "-short", "-timeout=3m")  # a test that hangs on wasip1 fails both ways; a slow one has room
# Popular modules with their own tests, pinned; go.mod `go` lines 1.9-1.21 (none names a toolchain).
MODULES = (
    ("github.com/google/uuid", "v1.6.0"),
    ("github.com/gorilla/mux", "v1.8.1"),
    ("github.com/go-chi/chi/v5", "v5.2.1"),
    ("github.com/BurntSushi/toml", "v1.5.0"),
    ("gopkg.in/yaml.v3", "v3.0.1"),
    ("github.com/tidwall/gjson", "v1.18.0"),
    ("github.com/spf13/cast", "v1.7.1"),
    ("github.com/shopspring/decimal", "v1.4.0"),
    ("github.com/Masterminds/semver/v3", "v3.3.1"),
    ("github.com/pkg/errors", "v0.9.1"),
    ("github.com/cespare/xxhash/v2", "v2.3.0"),
    ("github.com/google/go-cmp", "v0.7.0"),
    ("github.com/stretchr/testify", "v1.10.0"),
    ("github.com/mattn/go-runewidth", "v0.0.16"),
)
_LINE = re.compile(r"^(ok|FAIL|\?)\s+(\S+)\s*(.*)$")


@dataclass
class SuiteRun:
    """One way of running a module's suite: per-package status and the wall time."""

    packages: dict[str, Status]
    seconds: float
    output: str
    exit_code: int
    cpu_seconds: float = 0.0  # user + system time of the processes it ran (steadier than wall time on a shared machine)


def only(modules: list[tuple[str, str]], globs: list[str]) -> list[tuple[str, str]]:
    import fnmatch

    if not globs:
        return modules
    picked = [m for m in modules if any(fnmatch.fnmatchcase(m[0], g) for g in globs)]
    if not picked:
        raise UsageError(f"no third-party module matches {', '.join(map(repr, globs))}", hint="see patcher/validation/thirdparty.py MODULES")
    return picked


def module_dir(go: GoToolchain, cache_dir: Path, module: str, version: str) -> Path:
    """A writable copy of the module's source (a module cache directory is read-only)."""
    dest = ensure_cache_dir(cache_dir) / "thirdparty" / f"{module.replace('/', '_')}@{version}"
    if (dest / "go.mod").is_file() or (dest / ".fetched").is_file():
        return dest
    r = proc.run([str(go.exe), "mod", "download", "-json", f"{module}@{version}"], env=go.env(GOFLAGS=_goflags()), timeout=600)
    import json

    info = json.loads(r.stdout or "{}") if r.stdout.strip().startswith("{") else {}
    src = info.get("Dir")
    if r.returncode != 0 or not src:
        raise CheckFailed(f"go mod download {module}@{version} failed: {info.get('Error') or r.stderr.strip()[:200]}", hint="check access to the Go module proxy")
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(src, tmp)
    for root, dirs, files in os.walk(tmp):
        for n in dirs + files:
            p = Path(root) / n
            p.chmod(p.stat().st_mode | 0o200)
    if not (tmp / "go.mod").is_file():  # modules from before go.mod (pkg/errors): the proxy's synthesized one
        (tmp / "go.mod").write_text(f"module {module}\n")
    (tmp / ".fetched").write_text(f"{module}@{version}\n")
    tmp.replace(dest)
    return dest


def _children_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _goflags() -> str:
    # -mod=mod: a module's own go.sum may lack its test dependencies; both ways get the same flags.
    return f"{os.environ.get('GOFLAGS', '')} -mod=mod".strip()


def parse(output: str) -> dict[str, Status]:
    out: dict[str, Status] = {}
    for line in output.splitlines():
        m = _LINE.match(line)
        if not m or m.group(2).startswith("["):
            continue
        word, pkg, rest = m.groups()
        if word == "?":
            continue  # no test files: nothing ran either way
        out[pkg] = "pass" if word == "ok" else "fail"
        if "[build failed]" in rest or "[setup failed]" in rest:
            out[pkg] = "error"
    return out


def run_oracle(go: GoToolchain, cache_dir: Path, moddir: Path, flags: tuple[str, ...] = SUITE_FLAGS) -> SuiteRun:
    runner = go.wasip1_runner()
    if runner.script is None:
        raise CheckFailed(f"Go {go.version} has no go_wasip1_wasm_exec", hint="use a Go >= 1.24 distribution")
    wasmtime = hosttools.wasmtime_cli(cache_dir)
    env = go.env(GOOS="wasip1", GOARCH="wasm", GOFLAGS=_goflags(), PATH=f"{wasmtime.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    started, cpu = time.monotonic(), _children_cpu()
    r = proc.run([str(go.exe), "test", *flags, "-exec", str(runner.script), "./..."], cwd=moddir, env=env, timeout=3600)
    return SuiteRun(parse(r.stdout), time.monotonic() - started, r.stdout + r.stderr, r.returncode, _children_cpu() - cpu)


def run_patcher(go: GoToolchain, cache_dir: Path, moddir: Path, flags: tuple[str, ...] = SUITE_FLAGS, variant: str | None = None) -> SuiteRun:
    cmd = [sys.executable, "-m", "patcher", "-q", "--cache-dir", str(cache_dir), "test", "--go", str(go.exe), *(["--variant", variant] if variant else []),
           *flags, "./..."]
    started, cpu = time.monotonic(), _children_cpu()
    r = proc.run(cmd, cwd=moddir, env={**os.environ, "GOFLAGS": _goflags()}, timeout=3600)
    return SuiteRun(parse(r.stdout), time.monotonic() - started, r.stdout + r.stderr, r.returncode, _children_cpu() - cpu)


def compare(module: str, go: GoToolchain, oracle: SuiteRun, ours: SuiteRun, label: str) -> list[Result]:
    """Rows per package: the oracle's status, and patcher test's judged against it."""
    rows: list[Result] = []
    for pkg in sorted(set(oracle.packages) | set(ours.packages)):
        o = oracle.packages.get(pkg, "error")
        s = ours.packages.get(pkg, "error")
        detail = "" if s == o else f"oracle {o}, patcher test {s}"
        if o != "pass" and s != "pass":
            s, detail = "xfail", f"the oracle fails too ({o})"
        rows.append(Result(program=pkg, kind=KIND, adapter=ORACLE, go=go.version, status=o, pipeline="oracle", seconds=oracle.seconds))
        rows.append(Result(program=pkg, kind=KIND, adapter=label, go=go.version, status=s, detail=detail, pipeline="componentize", seconds=ours.seconds))
    log.info(f"{module}: {len(oracle.packages)} package(s), oracle {oracle.seconds:.1f}s, patcher test {ours.seconds:.1f}s")
    return rows


def run(go: GoToolchain, cache_dir: Path, modules: list[tuple[str, str]], *, variant: str | None = None, label: str = "go") -> list[Result]:
    rows: list[Result] = []
    progress = log.Progress(len(modules), f"thirdparty go{go.version}")
    for module, version in modules:
        moddir = module_dir(go, cache_dir, module, version)
        oracle = run_oracle(go, cache_dir, moddir)
        ours = run_patcher(go, cache_dir, moddir, variant=variant)
        got = compare(module, go, oracle, ours, label)
        rows += got
        bad = [r.program for r in got if r.adapter == label and r.status in ("fail", "error")]
        progress.item(f"{module}@{version}", f"{len(oracle.packages)} package(s)" + (f", differ: {', '.join(bad)}" if bad else ", equal"))
    return rows
