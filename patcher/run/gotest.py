"""`patcher test` and `patcher exec`: Go package tests run as WASI P2 components, reported like `go test`.

`patcher test [--variant go] [--adapt FILE] [--go SPEC] [go test flags] [PKG...]` builds each
package's test binary for wasip1 with the variant's companion steps (the ones `componentize` does),
adapts it into a command component and runs it in a child process under the `wasmtime` package the
way go_wasip1_wasm_exec runs a Preview 1 test binary (see patcher.run.testrun).

`patcher exec` is the `go test -exec` form: go builds the test binary (with `-overlay=$(patcher
overlay)` for the go variant), patcher adapts and runs it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from patcher.component.plan import CompanionPlan
from patcher.core import log, proc
from patcher.core.config import Config
from patcher.core.errors import CheckFailed, PatcherError, UsageError
from patcher.golang.gotool import GoToolchain

# go test flags that belong to the test binary (passed as -test.NAME=VALUE), as in cmd/go's testflag.go.
TEST_VALUE_FLAGS = {"run", "skip", "count", "timeout", "bench", "benchtime", "cpu", "parallel", "list", "shuffle", "fuzztime", "fuzzminimizetime"}
TEST_BOOL_FLAGS = {"v", "short", "failfast", "benchmem", "fullpath"}
# go test flags that belong to `go test -c`.
BUILD_VALUE_FLAGS = {"tags", "ldflags", "gcflags", "asmflags", "mod", "modfile", "pkgdir", "overlay"}
BUILD_BOOL_FLAGS = {"trimpath", "a"}
UNSUPPORTED = {"json": "read the plain output", "cover": "coverage needs a coverage directory the guest cannot report", "coverprofile": "",
               "race": "the race detector does not exist for wasm", "fuzz": "fuzzing needs a cache directory protocol", "exec": "patcher test is the exec"}
# A function the variant's Go runtime overlay adds: present in the name section of a binary built with it.
OVERLAY_MARKERS = {"go-sbrk": b"runtime.sbrkSkipForeign"}
KILL_GRACE_S = 60.0  # go test kills a test binary one minute after its -timeout, so do we

USAGE = """usage: patcher test [--variant NAME] [--adapt ADAPTER.wasm] [--go SPEC] [go test flags] [PKG...] [-args ARGS...]
       patcher exec [--variant NAME] [--adapt ADAPTER.wasm] [--go SPEC] TEST_BINARY [ARGS...]
go test flags passed to the test binary: -run -skip -count -timeout -bench -benchtime -cpu -parallel -list -shuffle -v -short -failfast -benchmem -fullpath
go test flags passed to `go test -c`: -tags -ldflags -gcflags -asmflags -mod -modfile -trimpath -a"""


@dataclass
class Options:
    variant: str = "go"
    adapt: Path | None = None
    go: str = "go"
    packages: list[str] = field(default_factory=list)
    test_flags: list[str] = field(default_factory=list)  # already -test.NAME=VALUE
    build_flags: list[str] = field(default_factory=list)
    args: list[str] = field(default_factory=list)  # after -args, verbatim
    verbose: bool = False
    timeout: str = "10m0s"


def wants_help(argv: list[str]) -> bool:
    head = argv[: argv.index("-args")] if "-args" in argv else argv
    return any(a in ("-h", "-help", "--help") for a in head)


def _patcher_option(opt: str, argv: list[str], o: Options) -> bool:
    """--variant/--adapt/--go (also NAME=VALUE); True if `opt` was one."""
    name, eq, value = opt.partition("=")
    if name not in ("--variant", "--adapt", "--go"):
        return False
    if not eq:
        if not argv:
            raise UsageError(f"{name} needs a value", hint=USAGE.splitlines()[0])
        value = argv.pop(0)
    if name == "--variant":
        o.variant = value
    elif name == "--adapt":
        o.adapt = Path(value)
    else:
        o.go = value
    return True


def parse_test_args(argv: list[str]) -> Options:
    o = Options()
    argv = list(argv)
    while argv:
        a = argv.pop(0)
        if _patcher_option(a, argv, o):
            continue
        if a == "-args":
            o.args = argv
            break
        if not a.startswith("-") or a == "-":
            o.packages.append(a)
            continue
        name, eq, value = a.lstrip("-").partition("=")
        name = name.removeprefix("test.")
        if name in UNSUPPORTED:
            why = UNSUPPORTED[name]
            raise UsageError(f"go test flag -{name} is not supported by patcher test" + (f": {why}" if why else ""), hint="drop the flag")
        if name in TEST_BOOL_FLAGS or name in BUILD_BOOL_FLAGS:
            value = value if eq else "true"
            if value not in ("true", "false"):
                raise UsageError(f"-{name} is a boolean flag, got {value!r}", hint=f"use -{name} or -{name}=false")
            if name in BUILD_BOOL_FLAGS:
                if value == "true":
                    o.build_flags.append(f"-{name}")
            else:
                if name == "v":
                    o.verbose = value == "true"
                o.test_flags.append(f"-test.{name}={value}")
            continue
        if name in TEST_VALUE_FLAGS or name in BUILD_VALUE_FLAGS:
            if not eq:
                if not argv:
                    raise UsageError(f"flag -{name} needs a value", hint=f"e.g. -{name}=VALUE")
                value = argv.pop(0)
            if name == "timeout":
                o.timeout = value
            elif name in BUILD_VALUE_FLAGS:
                o.build_flags.append(f"-{name}={value}")
            else:
                o.test_flags.append(f"-test.{name}={value}")
            continue
        raise UsageError(f"unknown go test flag {a}", hint="see `patcher test --help` for the flags patcher passes on")
    o.packages = o.packages or ["."]
    return o


def duration_seconds(text: str) -> float:
    """A Go duration (`10m`, `1h30m`, `2.5s`, `0`) in seconds."""
    if text == "0":
        return 0.0
    units = {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}
    parts = re.findall(r"(\d+(?:\.\d*)?)(h|ms|us|µs|ns|m|s)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise UsageError(f"invalid -timeout {text!r}", hint="use a Go duration such as 30s, 10m or 1h")
    return sum(float(n) * units[u] for n, u in parts)


@dataclass
class Prepared:
    """What turns a wasip1 test binary into a runnable component for one variant and Go."""

    adapter: Path
    new_flags: tuple[str, ...]
    overlay: Path | None
    marker: bytes | None
    plan: CompanionPlan = field(default_factory=CompanionPlan)


def prepare(cfg: Config, *, variant: str, adapt: Path | None, go: GoToolchain) -> Prepared:
    """The command adapter and the variant's companion steps, exactly as componentize plans them."""
    from patcher.adapter import adapters
    from patcher.component.plan import companion_plan
    from patcher.patching import patchset

    v = patchset.get_variant(cfg, variant)
    if adapt is not None:
        if not adapt.is_file():
            raise UsageError(f"adapter {adapt} not found", hint="pass --adapt with a wasi_snapshot_preview1.command.wasm file")
        adapter = adapt
    else:
        with log.step(f"adapter: variant {v.name} (command)"):
            adapter = adapters.variant_adapters(cfg, v.name, kinds=("command",))["command"]
    plan = companion_plan(cfg, v.name, go=go, kind="command")
    marker = None
    if plan.overlay is not None:
        marker = next((OVERLAY_MARKERS[p] for p in v.go_patches if p in OVERLAY_MARKERS), None)
    return Prepared(adapter=adapter, new_flags=plan.new_flags, overlay=plan.overlay, marker=marker, plan=plan)


def adapt_binary(cfg: Config, binary: Path, prep: Prepared) -> Path:
    from patcher.component import compose

    core, extra = prep.plan.prepare(binary, prep.adapter, cfg.cache_dir)
    return compose.new_component(core, prep.adapter, new_flags=prep.new_flags, cache_dir=cfg.cache_dir, extra_adapters=extra)


def check_wasm_binary(binary: Path, prep: Prepared, variant: str) -> None:
    check_core_module(binary)
    if prep.marker and prep.marker not in binary.read_bytes():
        raise UsageError(f"{binary.name} was built without the {variant} variant's Go runtime overlay",
                         hint='add -overlay="$(python -m patcher overlay)" to go test, or run `python -m patcher test`')


def check_core_module(binary: Path) -> None:
    """Before anything is built: is this a wasip1 core module at all?"""
    try:
        with open(binary, "rb") as f:
            magic = f.read(8)
    except OSError as e:
        raise UsageError(f"cannot read test binary {binary}: {e.strerror}", hint="go test -exec passes the test binary's path first") from e
    if magic[:4] != b"\0asm":
        raise UsageError(f"{binary} is not a WebAssembly module", hint="build it with GOOS=wasip1 GOARCH=wasm")
    if magic[4:8] != b"\x01\0\0\0":
        raise UsageError(f"{binary} is already a component (or not a core module)", hint="patcher exec takes the wasip1 test binary go builds")


# ---------------------------------------------------------------- packages


@dataclass
class Package:
    import_path: str
    dir: Path
    has_tests: bool
    error: str = ""


def list_packages(go: GoToolchain, patterns: list[str], build_flags: list[str], cwd: Path | None = None) -> list[Package]:
    flags = [f for f in build_flags if f.startswith(("-tags=", "-mod=", "-modfile="))]
    cmd = [str(go.exe), "list", "-e", "-json=ImportPath,Dir,TestGoFiles,XTestGoFiles,Error", *flags, *patterns]
    r = subprocess.run(cmd, capture_output=True, text=True, env=go.env(GOOS="wasip1", GOARCH="wasm"), cwd=cwd)
    if r.returncode != 0:
        raise CheckFailed(f"go list {' '.join(patterns)} failed: {first_line(r.stderr)}", hint="run patcher test inside your Go module, with package paths or ./...")
    out, dec, pos, text = [], json.JSONDecoder(), 0, r.stdout
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        d, pos = dec.raw_decode(text, pos)
        err = (d.get("Error") or {}).get("Err", "")
        out.append(Package(d["ImportPath"], Path(d.get("Dir") or "."), bool(d.get("TestGoFiles") or d.get("XTestGoFiles")), err))
    for line in r.stderr.splitlines():  # "matched no packages" warnings
        print(line, file=sys.stderr)
    return out


def first_line(text: str) -> str:
    lines = [l.strip() for l in text.splitlines() if l.strip() and not l.startswith("#")]
    return lines[0] if lines else "unknown error"


def build_test_binary(go: GoToolchain, import_path: str, out: Path, *, build_flags: list[str], overlay: Path | None,
                      cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`GOOS=wasip1 GOARCH=wasm go test -c -o OUT PKG` (the overlay as a build flag)."""
    cmd = [str(go.exe), "test", "-c", "-o", str(out), *build_flags]
    if overlay is not None:
        cmd.append(f"-overlay={overlay}")
    cmd.append(import_path)
    return proc.run(cmd, env=go.env(GOOS="wasip1", GOARCH="wasm"), cwd=cwd, timeout=1800)


# ---------------------------------------------------------------- running


@dataclass
class Outcome:
    exit_code: int | None  # None: killed at the deadline
    output: str
    seconds: float  # the test run, without compiling the module or component
    compile_seconds: float = 0.0


def run_child(wasm: Path, argv: list[str], *, cwd: Path, cache_dir: Path, core: bool = False, deadline_s: float = 0.0,
              echo: Callable[[str], None] | None = None, env: dict[str, str] | None = None) -> Outcome:
    """Run a test binary in a `patcher.run.testrun` child, stdout and stderr merged as go test sees them.

    `echo(line)` is called for each line as it arrives (live output)."""
    from patcher.run.testrun import TIMING_ENV

    cmd = [sys.executable, "-m", "patcher.run.testrun", "--cache-dir", str(cache_dir), *(["--core"] if core else []), str(wasm), *argv]
    fd, timing = tempfile.mkstemp(prefix="patcher-compile-", suffix=".txt")
    os.close(fd)
    child_env = {**(os.environ if env is None else env), "PWD": str(cwd), TIMING_ENV: timing}
    started = time.monotonic()
    child = subprocess.Popen(cmd, cwd=cwd, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        child.kill()

    timer = threading.Timer(deadline_s, kill) if deadline_s > 0 else None
    if timer:
        timer.daemon = True
        timer.start()
    chunks = []
    try:
        assert child.stdout is not None
        for raw in child.stdout:
            line = raw.decode(errors="replace")
            chunks.append(line)
            if echo:
                echo(line)
        code = child.wait()
    finally:
        if timer:
            timer.cancel()
        if child.poll() is None:
            child.kill()
            child.wait()
        compile_s = _read_float(timing)
        os.unlink(timing)
    return Outcome(None if killed.is_set() else code, "".join(chunks), time.monotonic() - started - compile_s, compile_s)


def _read_float(path: str) -> float:
    try:
        return float(Path(path).read_text() or 0)
    except (OSError, ValueError):
        return 0.0


def _echo(line: str) -> None:
    sys.stdout.write(line)
    sys.stdout.flush()


def test_main(cfg: Config, argv: list[str]) -> int:
    """`patcher test`: go test's output and exit status, with every package run as a component."""
    from patcher.golang import gotool

    o = parse_test_args(argv)
    timeout_s = duration_seconds(o.timeout)
    go = gotool.resolve(o.go, cfg.cache_dir)
    prep = prepare(cfg, variant=o.variant, adapt=o.adapt, go=go)
    if prep.overlay is not None and any(f.startswith("-overlay=") for f in o.build_flags):
        raise UsageError(f"variant {o.variant} brings its own -overlay (the Go runtime overlay)", hint="drop -overlay, or use --variant upstream")
    pkgs = list_packages(go, o.packages, o.build_flags)
    if not pkgs:
        print("no packages to test", file=sys.stderr)
        return 1
    argv_flags = ["-test.paniconexit0", f"-test.timeout={o.timeout}", *o.test_flags, *o.args]
    failed = False
    with tempfile.TemporaryDirectory(prefix="patcher-test-") as t:
        for pkg in pkgs:
            if pkg.error:
                print(f"{pkg.error}\nFAIL\t{pkg.import_path} [setup failed]", flush=True)
                failed = True
                continue
            if not pkg.has_tests:
                print(f"?   \t{pkg.import_path}\t[no test files]", flush=True)
                continue
            name = pkg.import_path.rsplit("/", 1)[-1] + ".test"
            binary = Path(t) / f"{len(os.listdir(t))}-{name}.wasm"
            r = build_test_binary(go, pkg.import_path, binary, build_flags=o.build_flags, overlay=prep.overlay)
            if r.returncode != 0 or not binary.is_file():
                sys.stderr.write(r.stderr)
                print(f"FAIL\t{pkg.import_path} [build failed]", flush=True)
                failed = True
                continue
            try:
                component = adapt_binary(cfg, binary, prep)
            except PatcherError as e:
                print(f"patcher: {e.one_line()}\nFAIL\t{pkg.import_path} [adapt failed]", flush=True)
                failed = True
                continue
            outcome = run_child(component, [name, *argv_flags], cwd=pkg.dir, cache_dir=cfg.cache_dir,
                                deadline_s=timeout_s + KILL_GRACE_S if timeout_s else 0.0, echo=_echo if o.verbose else None)
            failed |= not _report(pkg.import_path, outcome, streamed=o.verbose, timeout_s=timeout_s)
    if failed:
        print("FAIL", flush=True)
    return 1 if failed else 0


def _report(import_path: str, outcome: Outcome, *, streamed: bool, timeout_s: float) -> bool:
    """Print go test's summary line for one package; True if it passed."""
    secs = f"{outcome.seconds:.3f}s"
    if outcome.exit_code == 0:
        norun = " [no tests to run]" if "testing: warning: no tests to run" in outcome.output else ""
        print(f"ok  \t{import_path}\t{secs}{norun}", flush=True)
        return True
    if not streamed:
        sys.stdout.write(outcome.output)
    if outcome.exit_code is None:
        print(f"*** Test killed: ran too long ({timeout_s + KILL_GRACE_S:.0f}s).")
    elif not outcome.output or not outcome.output.endswith("\nFAIL\n"):
        print(f"exit status {outcome.exit_code}")  # as go test: only when the binary's own FAIL line is missing
    print(f"FAIL\t{import_path}\t{secs}", flush=True)
    return False


def exec_main(cfg: Config, argv: list[str]) -> int:
    """`go test -exec 'patcher exec'`: adapt the test binary go built and run it here, output straight through."""
    from patcher.golang import gotool
    from patcher.run import testrun

    argv = list(argv)
    o = Options(go=_default_exec_go())
    while argv and argv[0].startswith("--"):
        a = argv.pop(0)
        if not _patcher_option(a, argv, o):
            raise UsageError(f"unknown patcher exec option {a}", hint="patcher exec [--variant NAME] [--adapt FILE] [--go SPEC] TEST_BINARY [ARGS...]")
    if not argv:
        raise UsageError("patcher exec needs the test binary", hint="use it as: GOOS=wasip1 GOARCH=wasm go test -overlay=\"$(python -m patcher overlay)\" -exec 'python -m patcher exec' ./...")
    binary = Path(argv[0])
    check_core_module(binary)
    go = gotool.resolve(o.go, cfg.cache_dir)
    prep = prepare(cfg, variant=o.variant, adapt=o.adapt, go=go)
    check_wasm_binary(binary, prep, o.variant)
    component = adapt_binary(cfg, binary, prep)
    return testrun.run(component, [str(binary), *argv[1:]], cwd=os.getcwd(), env=dict(os.environ), cache_dir=cfg.cache_dir)


def _default_exec_go() -> str:
    # go test -exec runs us with the GOROOT of the go that built the binary in the environment (when set).
    goroot = os.environ.get("GOROOT")
    if goroot and (Path(goroot) / "bin" / "go").is_file():
        return goroot
    return "go"


def overlay_path(cfg: Config, variant: str, go_spec: str) -> Path:
    """The -overlay JSON a `go test -exec 'patcher exec'` build needs for `variant`."""
    from patcher.component.plan import companion_plan
    from patcher.golang import gotool
    from patcher.patching import patchset

    v = patchset.get_variant(cfg, variant)
    go = gotool.resolve(go_spec, cfg.cache_dir)
    plan = companion_plan(cfg, v.name, go=go, kind="command")
    if plan.overlay is None:
        raise UsageError(f"variant {variant} has no Go runtime overlay", hint="go test -exec 'patcher exec --variant NAME' works without -overlay for it")
    return plan.overlay

