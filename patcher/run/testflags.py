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
BUILD_VALUE_FLAGS = {"tags", "ldflags", "gcflags", "asmflags", "mod", "modfile", "pkgdir", "overlay"}
BUILD_BOOL_FLAGS = {"trimpath", "a"}
UNSUPPORTED = {"json": "read the plain output", "cover": "coverage needs a coverage directory the guest cannot report", "coverprofile": "",
               "race": "the race detector does not exist for wasm", "fuzz": "fuzzing needs a cache directory protocol", "exec": "patcher test is the exec"}

USAGE = """usage: patcher test [--variant NAME] [--adapt ADAPTER.wasm] [--go SPEC] [go test flags] [PKG...] [-args ARGS...]
       patcher exec [--variant NAME] [--adapt ADAPTER.wasm] [--go SPEC] TEST_BINARY [ARGS...]
go test flags passed to the test binary: -run -skip -count -timeout -bench -benchtime -cpu -parallel -list -shuffle -v -short -failfast -benchmem -fullpath
go test flags passed to `go test -c`: -tags -ldflags -gcflags -asmflags -mod -modfile -trimpath -a"""


@dataclass
class Options:
    variant: str | None = None  # None: the recommended variant
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


def patcher_option(opt: str, argv: list[str], o: Options) -> bool:
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
