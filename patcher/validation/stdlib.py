"""`validate --stdlib`: Go's own standard-library tests as a validation tier.

Each package's `go test -c` binary (wasip1, `-test.short`) runs three ways, as go_wasip1_wasm_exec
would run it (root preopened, PWD and PATH only, that Go's Wasm stack: 1 MiB on 1.24, 8 MiB from 1.25):
the Preview 1 core module under wasmtime's Preview 1 host (the oracle), and as a component with
each adapter set. A package the oracle fails is reported as such (`xfail` for a component that
fails it too) and is never counted against an adapter.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from patcher.component import recipe
from patcher.component.recipe import Recipe
from patcher.core import cache, log, proc
from patcher.core.config import Config
from patcher.core.errors import CheckFailed, PatcherError, UsageError
from patcher.core.fsutil import ensure_cache_dir, sha256_file
from patcher.golang.gotool import GoToolchain
from patcher.patching.project import Project
from patcher.run import gopackages, hosts, testchild, testflags, testprep
from patcher.run.testrun import TRAP_PREFIX
from patcher.validation.results import Pipeline, Result, Status, Target

KIND = "std-test"
ORACLE = "wasip1-core"
TEST_TIMEOUT = "5m"
# 86 standard-library packages that build for wasip1 and have tests (from `GOOS=wasip1 GOARCH=wasm go list std`),
# chosen to cover every area in about 15 minutes per Go version on 2 cores; --stdlib-packages picks others.
DEFAULT_PACKAGES = (  # noqa: SIM905 (a word list reads better than 86 quoted strings)
    "archive/tar archive/zip bufio bytes compress/bzip2 compress/flate compress/gzip compress/lzw compress/zlib "
    "container/heap container/list context crypto/aes crypto/cipher crypto/ecdsa crypto/ed25519 crypto/mlkem "
    "crypto/rand crypto/rsa crypto/sha256 crypto/sha3 crypto/sha512 database/sql embed encoding/asn1 "
    "encoding/base64 encoding/binary encoding/csv encoding/gob encoding/hex encoding/json encoding/xml errors flag "
    "fmt go/ast go/constant go/format go/parser go/printer go/scanner go/token hash/crc32 html html/template image "
    "image/draw image/gif image/jpeg image/png index/suffixarray io io/fs log log/slog math math/big math/bits "
    "math/rand math/rand/v2 mime mime/multipart net/mail net/netip net/textproto net/url os path path/filepath "
    "reflect regexp regexp/syntax slices sort strconv strings sync sync/atomic testing/fstest testing/iotest "
    "text/scanner text/tabwriter text/template time unicode unicode/utf8"
).split()
# Left out on purpose (docs/evidence.md): what wasip1 cannot do at all, or what needs the go command.
SKIPPED = {
    "net, net/http/..., net/rpc/..., net/smtp, crypto/tls, expvar, log/syslog": "sockets: wasip1 has no listen/dial",
    "os/exec, os/signal, os/user, plugin, syscall": "processes, signals, users, plugins: not in WASI",
    "runtime, runtime/...": "the runtime's own tests fork the test binary and need signals",
    "go/build, go/importer, go/types, go/doc, cmd/..., testing": "run the go command or re-exec the test binary",
    "internal/..., vendor/...": "not public API",
}


@dataclass
class Way:
    label: str
    pipeline: Pipeline | Literal["oracle"]
    recipe: Recipe | None = None  # None: the oracle (no adapter)
    host: str = hosts.DEFAULT_HOST  # components: the host's name; the oracle: its label (wasmtime-py's Preview 1)


def select(go: GoToolchain, wanted: list[str] | None) -> list[str]:
    """The packages to run that this Go has (an explicitly named package it lacks is an error)."""
    names = wanted or list(DEFAULT_PACKAGES)
    r = proc.run([str(go.exe), "list", "-e", "-f", "{{.ImportPath}} {{if .Error}}ERR{{end}}", *names],
                 env=go.env(GOOS="wasip1", GOARCH="wasm"), cwd=go.goroot / "src")
    have = {l.split()[0] for l in r.stdout.splitlines() if l.strip() and not l.endswith("ERR")}
    missing = [p for p in names if p not in have]
    if wanted and missing:
        raise UsageError(f"Go {go.version} has no standard-library package {missing[0]} for wasip1", hint="check --stdlib-packages")
    if missing:
        log.info(f"Go {go.version} lacks {len(missing)} listed package(s): {', '.join(missing)}")
    return [p for p in names if p in have]


def only(packages: list[str], globs: list[str]) -> list[str]:
    import fnmatch

    if not globs:
        return packages
    picked = [p for p in packages if any(fnmatch.fnmatchcase(p, g) for g in globs)]
    if not picked:
        raise UsageError(f"no standard-library package matches {', '.join(map(repr, globs))}", hint="see --stdlib-packages and patcher/validation/stdlib.py")
    return picked


def _binary(cfg: Config, go: GoToolchain, pkg: str, overlay: Path | None) -> Path:
    """The package's wasip1 test binary, cached by package, Go version, GOROOT, flags and overlay."""
    key = hashlib.sha256("\0".join([pkg, go.version, str(go.goroot), "-c", sha256_file(overlay) if overlay else ""]).encode()).hexdigest()[:32]
    out = ensure_cache_dir(cfg.cache_dir) / "gotest" / f"{key}.wasm"
    if out.is_file():
        return cache.used(out)
    cache.prune_now_and_then(cfg.cache_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="patcher-std-", dir=out.parent) as t:
        tmp = Path(t) / "pkg.test.wasm"
        r = gopackages.build_test_binary(go, pkg, tmp, build_flags=[], overlay=overlay, cwd=go.goroot / "src")
        if r.returncode != 0 or not tmp.is_file():
            raise CheckFailed(f"go test -c {pkg} failed: {gopackages.first_line(r.stderr)}")
        tmp.replace(out)
    return out


_FAIL = re.compile(r"^\s*--- FAIL: (\S+)", re.M)


def judge(out: testchild.Outcome) -> tuple[Status, str]:
    if out.exit_code == 0:
        return "pass", ""
    parts = []
    names = list(dict.fromkeys(_FAIL.findall(out.output)))
    if names:
        parts.append("--- FAIL: " + ", ".join(names[:8]) + (f" (+{len(names) - 8} more)" if len(names) > 8 else ""))
    lines = out.output.splitlines()
    # The adapter's own messages end without a newline, so the trap line may follow one.
    trap = next((l.split(TRAP_PREFIX, 1)[1] for l in lines if TRAP_PREFIX in l), None)
    trap = trap or next((l.split("wasm trap: ", 1)[1] for l in lines if "wasm trap: " in l), None)  # the wasmtime CLI's own report
    if trap:
        parts.append(f"trap: {trap[:200]}")
    head = next((l.split(TRAP_PREFIX, 1)[0].strip() for l in lines if l.startswith(("panic:", "fatal error:", "runtime:", "assertion failed"))), None)
    if head:
        parts.append(head[:200])
    if out.exit_code is None:
        parts.append("killed at the deadline")
    if not parts:
        parts.append(f"exit {out.exit_code}: {lines[-1][:200] if lines else 'no output'}")
    return "fail", " | ".join(parts)


def run(project: Project, targets: list[Target], go: GoToolchain, packages: list[str], *, jobs: int = 2,
        host_names: tuple[str, ...] = (hosts.DEFAULT_HOST,)) -> list[Result]:
    """Oracle + every target under every host for every package; results in package order."""
    cfg = project.cfg
    ways = [Way(ORACLE, "oracle", host=hosts.label(hosts.DEFAULT_HOST, cfg.cache_dir))]
    for t in targets:  # the plain pipeline (no companion variant) is `component new --adapt` only
        r = recipe.resolve(project, t.companion, go=go, kind="command", adapter=t.adapters["command"])
        ways += [Way(t.label, t.pipeline, r, host=h) for h in host_names]
    labels = {h: hosts.label(h, cfg.cache_dir) for h in host_names}
    progress = log.Progress(len(packages) * len(ways), f"stdlib go{go.version}")
    lock = threading.Lock()
    argv_flags = ["-test.paniconexit0", f"-test.timeout={TEST_TIMEOUT}", "-test.short"]
    deadline = testflags.duration_seconds(TEST_TIMEOUT) + testchild.KILL_GRACE_S

    def one(pkg: str) -> list[Result]:
        results: list[Result] = []
        pkg_dir = go.goroot / "src" / pkg
        name = pkg.rsplit("/", 1)[-1] + ".test"
        oracle_ok = True
        for way in ways:
            overlay = way.recipe.overlay if way.recipe else None
            status: Status
            try:
                binary = _binary(cfg, go, pkg, overlay)
                wasm = binary if way.recipe is None else testprep.adapt_binary(project, binary, way.recipe)
                if way.recipe is None:
                    out = testchild.run_child(wasm, [name, *argv_flags], cwd=pkg_dir, cache_dir=cfg.cache_dir, core=True, deadline_s=deadline,
                                              runner=go.wasip1_runner())
                else:
                    out = hosts.run_test_binary(way.host, wasm, [name, *argv_flags], cwd=pkg_dir, cache_dir=cfg.cache_dir, deadline_s=deadline,
                                                runner=go.wasip1_runner())
                status, detail = judge(out)
                secs = out.seconds
            except PatcherError as e:  # a build or adapt failure is this row's error, not the run's
                status, detail, secs = "error", e.one_line(), 0.0
            if way.recipe is None:
                oracle_ok = status == "pass"
            elif not oracle_ok and status != "pass":
                status, detail = "xfail", f"the oracle fails too | {detail}"
            host = way.host if way.recipe is None else labels[way.host]
            results.append(Result(program=pkg, kind=KIND, adapter=way.label, go=go.version, status=status, detail=detail,
                                  pipeline=way.pipeline, seconds=secs, host=host))
            with lock:
                progress.item(f"{pkg} / {way.label} / {host}", status.upper() + (f": {detail[:140]}" if detail else f" {secs:.1f}s"))
        return results

    by_pkg: dict[str, list[Result]] = {}
    with cf.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for pkg, res in zip(packages, pool.map(one, packages), strict=True):
            by_pkg[pkg] = res
    return [r for p in packages for r in by_pkg[p]]
