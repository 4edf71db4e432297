"""Build a Go package as a wasip1 core module, cached by (source hash, Go version, flags, overlay)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from patcher.core import cache, proc
from patcher.core.errors import PatcherError
from patcher.core.fsutil import ensure_cache_dir, sha256_file
from patcher.core.kinds import EXPORT_KINDS
from patcher.golang.gotool import GoToolchain


def package_hash(pkg_dir: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(pkg_dir.rglob("*")):
        if p.is_file() and (p.suffix in (".go", ".s", ".wit") or p.name in ("go.mod", "go.sum")):
            h.update(p.relative_to(pkg_dir).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _first_error(text: str) -> str:
    lines = [l.strip() for l in text.splitlines() if l.strip() and not l.startswith("#")]
    return lines[0] if lines else "unknown error"


def build(pkg_dir: Path, go: GoToolchain, *, kind: str, cache_dir: Path, flags: tuple[str, ...] = (), overlay: Path | None = None, label: str | None = None,
          env: dict[str, str] | None = None) -> Path:
    """Return the path of the built core module (from cache when nothing changed). `env`: extra
    Go environment (a module proxy), which does not change what is built."""
    pkg_dir = pkg_dir.resolve()
    if not (pkg_dir / "go.mod").is_file() and not list(pkg_dir.glob("*.go")):
        raise PatcherError(f"{pkg_dir} is not a Go package (no .go files)", hint="pass the directory of your main package")
    mode = ("-buildmode=c-shared",) if kind in EXPORT_KINDS else ()
    key = hashlib.sha256()
    # An overlay's JSON names files in a directory keyed by their contents, so its hash covers them.
    for part in (package_hash(pkg_dir), go.version, str(go.goroot), kind, *flags, sha256_file(overlay) if overlay else ""):
        key.update(part.encode() + b"\0")
    out = ensure_cache_dir(cache_dir) / "gobuild" / f"{key.hexdigest()[:32]}.wasm"
    if out.is_file():
        return cache.used(out)
    cache.prune_now_and_then(cache_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".wasm", dir=out.parent)
    os.close(fd)
    cmd = [str(go.exe), "build", "-o", tmp, *mode, *flags]
    if overlay:
        cmd.append(f"-overlay={overlay}")
    cmd.append(".")
    env = go.env(GOOS="wasip1", GOARCH="wasm", **(env or {}))
    try:
        r = proc.run(cmd, cwd=pkg_dir, env=env, timeout=900)
    except proc.TimeoutExpired as e:
        os.unlink(tmp)
        raise PatcherError(f"go build of {label or pkg_dir} timed out") from e
    if r.returncode != 0 and "invalid reference to runtime." in r.stderr and not any("checklinkname" in f for f in flags):
        # //go:linkname into the runtime (componentize-go's glue reaches runtime.sbrk): Go >= 1.23's
        # linker refuses it unless told not to check, which such glue always needs.
        from patcher.core import log

        log.info("go:linkname into the runtime: building again with -ldflags=-checklinkname=0")
        cmd = [c if not c.startswith("-ldflags=") else f"{c} -checklinkname=0" for c in cmd]
        if not any(c.startswith("-ldflags=") for c in cmd):
            cmd.insert(cmd.index("build") + 1, "-ldflags=-checklinkname=0")
        r = proc.run(cmd, cwd=pkg_dir, env=env, timeout=900)
    if r.returncode != 0:
        os.unlink(tmp)
        main_missing = "is not a main package" in r.stderr or "no non-test Go files" in r.stderr
        hint = "componentize needs a `package main` directory" if main_missing else "fix the Go compile error"
        raise PatcherError(f"go build of {label or pkg_dir.name} with Go {go.version} failed: {_first_error(r.stderr)}", hint=hint)
    os.replace(tmp, out)
    return out

