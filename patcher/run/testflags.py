"""go test's command line for `patcher test` (and patcher's own --variant/--adapt/--go, which `patcher
exec` takes too): which flags go to the test binary as -test.NAME=VALUE, which to `go test -c`, which
are refused, and -timeout as a Go duration."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from patcher.core.errors import UsageError

# go test flags that belong to the test binary (passed as -test.NAME=VALUE), as in cmd/go's testflag.go.
TEST_VALUE_FLAGS = {"run", "skip", "count", "timeout", "bench", "benchtime", "cpu", "parallel", "list", "shuffle", "fuzztime", "fuzzminimizetime"}
TEST_BOOL_FLAGS = {"v", "short", "failfast", "benchmem", "fullpath"}
# go test flags that belong to `go test -c`.
BUILD_VALUE_FLAGS = {"tags", "ldflags", "gcflags", "asmflags", "mod", "modfile", "pkgdir", "overlay", "vet"}
BUILD_BOOL_FLAGS = {"trimpath", "a", "x", "work"}
UNSUPPORTED = {"json": "read the plain output", "cover": "coverage needs a coverage directory the guest cannot report", "coverprofile": "",
               "race": "the race detector does not exist for wasm", "fuzz": "fuzzing needs a cache directory protocol", "exec": "patcher test is the exec",
               "cpuprofile": "a wasip1 test binary cannot profile its CPU (runtime/pprof samples on SIGPROF, and WASI has no signals)",
               "c": "use `GOOS=wasip1 GOARCH=wasm go test -c` (patcher test always runs the binary)", "i": ""}

USAGE = """usage: patcher test [--variant NAME] [--adapt ADAPTER.wasm] [--go SPEC] [--host NAME] [go test flags] [PKG...] [-args ARGS...]
       patcher exec [--variant NAME] [--adapt ADAPTER.wasm] [--go SPEC] TEST_BINARY [ARGS...]
go test flags passed to the test binary: -run -skip -count -timeout -bench -benchtime -cpu -parallel -list -shuffle -v -short -failfast -benchmem -fullpath
go test flags passed to `go test -c`: -tags -ldflags -gcflags -asmflags -mod -modfile -pkgdir -trimpath -a -vet -x -work
go test flags patcher test honours itself: -C DIR (first), -p N (packages built and run at once), -o FILE|DIR (keeps the wasip1 test binary)"""


@dataclass
class Options:
    variant: str | None = None  # None: the recommended variant
    adapt: Path | None = None
    go: str = "go"
    host: str = "wasmtime-py"  # patcher test --host: wasmtime-py, wasmtime-cli or jco (patcher.run.hosts)
    packages: list[str] = field(default_factory=list)
    test_flags: list[str] = field(default_factory=list)  # already -test.NAME=VALUE
    build_flags: list[str] = field(default_factory=list)
    args: list[str] = field(default_factory=list)  # after -args, verbatim
    verbose: bool = False
    timeout: str = "10m0s"
    parallel_packages: int = 0  # -p; 0: the number of CPUs, as go test
    chdir: str | None = None  # -C
    output: str | None = None  # -o
    bench: bool = False  # -bench given: output streamed, runs one at a time (as go test)
    list_tests: bool = False  # -list given: passing output shown
    packages_given: bool = False  # no package: go test's "local directory mode" streams output


def wants_help(argv: list[str]) -> bool:
    head = argv[: argv.index("-args")] if "-args" in argv else argv
    return any(a in ("-h", "-help", "--help") for a in head)


def patcher_option(opt: str, argv: list[str], o: Options) -> bool:
    """--variant/--adapt/--go/--host (also NAME=VALUE); True if `opt` was one."""
    name, eq, value = opt.partition("=")
    if name not in ("--variant", "--adapt", "--go", "--host"):
        return False
    if not eq:
        if not argv:
            raise UsageError(f"{name} needs a value", hint=USAGE.splitlines()[0])
        value = argv.pop(0)
    if name == "--variant":
        o.variant = value
    elif name == "--adapt":
        o.adapt = Path(value)
    elif name == "--host":
        o.host = value
    else:
        o.go = value
    return True


def parse_test_args(argv: list[str]) -> Options:
    o = Options()
    argv = list(argv)
    while argv:
        a = argv.pop(0)
        if patcher_option(a, argv, o):
            continue
        if a == "-args":
            o.args = argv
            break
        if not a.startswith("-") or a == "-":
            o.packages.append(a)
            continue
        name, eq, value = a.lstrip("-").partition("=")
        name = name.removeprefix("test.")
        if name == "C":
            if o.test_flags or o.build_flags or o.packages or o.chdir is not None:
                raise UsageError("-C must be the first flag of patcher test's go test flags", hint="as with go test: patcher test -C DIR [flags] [PKG...]")
            o.chdir = value if eq else _value(name, argv)
            continue
        if name in ("p", "o"):
            value = value if eq else _value(name, argv)
            if name == "o":
                o.output = value
            else:
                if not value.isdigit() or int(value) < 1:
                    raise UsageError(f"-p needs a positive number, got {value!r}", hint="e.g. -p 2")
                o.parallel_packages = int(value)
                o.build_flags.append(f"-p={value}")
            continue
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
            elif name == "bench":
                o.bench = value != ""
                o.test_flags.append(f"-test.{name}={value}")
            elif name == "list":
                o.list_tests = True
                o.test_flags.append(f"-test.{name}={value}")
            elif name in BUILD_VALUE_FLAGS:
                o.build_flags.append(f"-{name}={value}")
            else:
                o.test_flags.append(f"-test.{name}={value}")
            continue
        raise UsageError(f"unknown go test flag {a}", hint="see `patcher test --help` for the flags patcher passes on")
    o.packages_given = bool(o.packages)
    o.packages = o.packages or ["."]
    return o


def _value(name: str, argv: list[str]) -> str:
    if not argv:
        raise UsageError(f"flag -{name} needs a value", hint=f"e.g. -{name}=VALUE")
    return argv.pop(0)


def duration_seconds(text: str) -> float:
    """A Go duration (`10m`, `1h30m`, `2.5s`, `0`) in seconds."""
    if text == "0":
        return 0.0
    units = {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}
    parts = re.findall(r"(\d+(?:\.\d*)?)(h|ms|us|µs|ns|m|s)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise UsageError(f"invalid -timeout {text!r}", hint="use a Go duration such as 30s, 10m or 1h")
    return sum(float(n) * units[u] for n, u in parts)


def go_duration(seconds: float) -> str:
    """Seconds as Go's time.Duration prints them for whole seconds: 1m0s, 11m0s, 1h0m0s, 2s."""
    total = round(seconds)
    h, rest = divmod(total, 3600)
    m, sec = divmod(rest, 60)
    if h:
        return f"{h}h{m}m{sec}s"
    return f"{m}m{sec}s" if m else f"{sec}s"
