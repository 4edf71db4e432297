"""The Go module `patcher.dev/wasihttp` (serve a net/http Handler as a wasi:http/proxy component):
its source ships in `patcher/resources/gohttp/`; its bindings are rendered here from the pinned
upstream's WIT (`crates/wasi-http/wit`), and the whole module is published into a file-based
GOPROXY directory in the cache, which `go get`, `go build`, `go vet` and gopls read offline."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from patcher.core import log, proc
from patcher.core.errors import PatcherError
from patcher.core.fsutil import ensure_cache_dir, write_atomic
from patcher.golang.gotool import GoToolchain
from patcher.patching.project import Project

MODULE = "patcher.dev/wasihttp"
WORLD = "wasi:http/proxy"
WIT_DIR = "crates/wasi-http/wit"
SOURCE = Path(__file__).resolve().parent.parent / "resources" / "gohttp"
BINDINGS = "internal/proxy/proxy_bindings.go"
_PSEUDO_TIME = "20260101000000"  # pseudo-versions order by time: one fixed time, the hash tells them apart


@dataclass(frozen=True)
class Published:
    version: str
    proxy_dir: Path  # the GOPROXY=file:// directory

    @property
    def goproxy(self) -> str:
        return self.proxy_dir.as_uri()

    def go_env(self) -> dict[str, str]:
        """What `go` needs to resolve the module offline: this proxy first, the user's after it."""
        rest = os.environ.get("GOPROXY", "https://proxy.golang.org,direct")
        nosum = ",".join(x for x in (os.environ.get("GONOSUMDB", ""), "patcher.dev") if x)
        return {"GOPROXY": f"{self.goproxy},{rest}", "GONOSUMDB": nosum, "GOFLAGS": "-mod=mod"}


def wit_dir(project: Project) -> Path:
    """The pinned upstream's wasi-http WIT (fetched with the adapter source)."""
    from patcher.upstream import source

    d = source.fetch(project.cfg).root / WIT_DIR
    if not d.is_dir():
        raise PatcherError(f"the pinned source has no {WIT_DIR}", hint="add it to `paths` in vendor/wasmtime.toml and fetch again")
    return d


def module_files(project: Project) -> dict[str, bytes]:
    """The module's files (relative path -> content): the shipped source plus generated bindings."""
    from patcher.bindgen.render import render_text

    files = {p.relative_to(SOURCE).as_posix(): p.read_bytes() for p in sorted(SOURCE.rglob("*")) if p.is_file() and p.suffix in (".go", ".mod")}
    text = render_text(wit_dir(project), WORLD, package="proxy", templates_dir=project.cfg.templates_dir)
    # Bindings are //go:wasmimport code: wasip1 only (native builds serve with net/http).
    files[BINDINGS] = ("//go:build wasip1\n\n" + text).encode()
    return files


def _zip(files: dict[str, bytes], version: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{MODULE}@{version}/{name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, files[name])
    return buf.getvalue()


def publish(project: Project) -> Published:
    """The module in the cache's file GOPROXY (written once per content)."""
    files = module_files(project)
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + files[name] + b"\0")
    version = f"v0.0.0-{_PSEUDO_TIME}-{h.hexdigest()[:12]}"
    root = ensure_cache_dir(project.cfg.cache_dir) / "goproxy" / h.hexdigest()[:16]
    vdir = root / MODULE / "@v"
    if not (vdir / f"{version}.zip").is_file():
        with log.step(f"go module {MODULE} {version} (bindings from the pinned {WIT_DIR})"):
            write_atomic(vdir / f"{version}.mod", files["go.mod"])
            write_atomic(vdir / f"{version}.info", (json.dumps({"Version": version, "Time": "2026-01-01T00:00:00Z"}) + "\n").encode())
            write_atomic(vdir / f"{version}.zip", _zip(files, version))
            write_atomic(vdir / "list", f"{version}\n".encode())
    return Published(version, root)


def uses_module(pkg: Path) -> bool:
    """Whether the package's Go files import patcher.dev/wasihttp (a proxy world needs a handler)."""
    return any(f'"{MODULE}"' in p.read_text(errors="replace") for p in pkg.glob("*.go") if not p.name.endswith("_test.go"))


def modfile(project: Project, pkg: Path, go: GoToolchain, pub: Published) -> Path:
    """A copy of the package's go.mod (and go.sum) in the cache that requires this patcher's
    wasihttp version: `go build -modfile` uses it, the user's files are never touched."""
    pkg = pkg.resolve()
    gomod = next((d / "go.mod" for d in (pkg, *pkg.parents) if (d / "go.mod").is_file()), None)
    if gomod is None:
        raise PatcherError(f"{pkg} is not inside a Go module (no go.mod)", hint="run `go mod init NAME` in it first")
    gosum = gomod.parent / "go.sum"
    key = hashlib.sha256(gomod.read_bytes() + b"\0" + (gosum.read_bytes() if gosum.is_file() else b"") + b"\0" + pub.version.encode()).hexdigest()[:24]
    d = ensure_cache_dir(project.cfg.cache_dir) / "gohttp-mod" / key
    out = d / "go.mod"
    if out.is_file():
        return out
    d.mkdir(parents=True, exist_ok=True)
    tmp = d / f"tmp-{os.getpid()}.mod"
    shutil.copyfile(gomod, tmp)
    if gosum.is_file():
        shutil.copyfile(gosum, tmp.with_suffix(".sum"))
    env = go.env(**pub.go_env())
    r = proc.run([str(go.exe), "get", f"-modfile={tmp}", f"{MODULE}@{pub.version}"], cwd=gomod.parent, env=env, timeout=600)
    if r.returncode != 0:
        raise PatcherError(f"go get {MODULE}@{pub.version} failed: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else 'no output'}",
                           hint="check the package's go.mod; other requirements need the module proxy or GOFLAGS=-mod=mod")
    if tmp.with_suffix(".sum").is_file():
        os.replace(tmp.with_suffix(".sum"), out.with_suffix(".sum"))
    os.replace(tmp, out)
    return out


def build_native(project: Project, pkg: Path, out: Path, go: GoToolchain) -> Path:
    """The same package built for the host with net/http's own server (wasihttp.Handle listens on
    PATCHER_HTTP_ADDR): the oracle the component's answers are compared with."""
    pub = publish(project)
    mf = modfile(project, pkg, go, pub)
    out.parent.mkdir(parents=True, exist_ok=True)
    r = proc.run([str(go.exe), "build", f"-modfile={mf}", "-o", str(out), "."], cwd=pkg, env=go.env(**pub.go_env()), timeout=900)
    if r.returncode != 0:
        raise PatcherError(f"native go build of {pkg.name} failed: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else 'no output'}",
                           hint="fix the Go compile error")
    return out
