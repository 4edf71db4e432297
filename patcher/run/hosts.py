"""The hosts a component runs under, by name: `wasmtime-py` (in-process, `runner.py`),
`wasmtime-cli` (`wasmtime run` as a process, `host_cli.py`) and `jco` (`jco run` under Node,
`host_jco.py`). `survey` says which are usable here, with versions."""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

from patcher.core import hosttools
from patcher.core.errors import PatcherError

HOST_NAMES = ("wasmtime-py", "wasmtime-cli", "jco")
DEFAULT_HOST = "wasmtime-py"


@dataclass(frozen=True)
class Found:
    name: str
    ok: bool
    text: str  # version and where, or the one-line error with how to get it


def version(name: str, cache_dir: Path) -> str:
    """The host's version, e.g. "wasmtime-cli 49.0.3"; MissingToolError when it is not installed."""
    if name == "wasmtime-py":
        return f"wasmtime-py {importlib.metadata.version('wasmtime')}"
    if name == "wasmtime-cli":
        return f"wasmtime-cli {hosttools.wasmtime_cli_version(cache_dir)}"
    if name == "jco":
        return f"jco {hosttools.jco_version(cache_dir)}"
    raise PatcherError(f"unknown host {name!r}", hint=f"hosts: {', '.join(HOST_NAMES)}")


def _where(name: str, cache_dir: Path) -> str:
    if name == "wasmtime-cli":
        return str(hosttools.wasmtime_cli(cache_dir))
    if name == "jco":
        return " ".join(hosttools.jco(cache_dir))
    return "in-process"


def survey(cache_dir: Path) -> list[Found]:
    out = []
    for name in HOST_NAMES:
        try:
            out.append(Found(name, True, f"{version(name, cache_dir)} ({_where(name, cache_dir)})"))
        except PatcherError as e:
            out.append(Found(name, False, e.one_line()))
    return out
