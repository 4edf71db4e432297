"""What turns a wasip1 test binary into a runnable component: the command adapter and the
variant's companion steps (as componentize plans them), and the checks on the binary `patcher exec` is given."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from patcher.component.plan import CompanionPlan
from patcher.core import log
from patcher.core.config import Config
from patcher.core.errors import UsageError
from patcher.golang.gotool import GoToolchain

# A function the variant's Go runtime overlay adds: present in the name section of a binary built with it.
OVERLAY_MARKERS = {"go-sbrk": b"runtime.sbrkSkipForeign"}


@dataclass
class Prepared:
    """What turns a wasip1 test binary into a runnable component for one variant and Go."""

    adapter: Path
    new_flags: tuple[str, ...]
    overlay: Path | None
    marker: bytes | None
    plan: CompanionPlan = field(default_factory=CompanionPlan)


def prepare(cfg: Config, *, variant: str, adapt: Path | None, go: GoToolchain) -> Prepared:
    """The command adapter and the variant's companion steps, exactly as componentize plans them."""
    from patcher.adapter import adapters
    from patcher.component.plan import companion_plan
    from patcher.patching import patchset

    v = patchset.get_variant(cfg, variant)
    if adapt is not None:
        if not adapt.is_file():
            raise UsageError(f"adapter {adapt} not found", hint="pass --adapt with a wasi_snapshot_preview1.command.wasm file")
        adapter = adapt
    else:
        with log.step(f"adapter: variant {v.name} (command)"):
            adapter = adapters.variant_adapters(cfg, v.name, kinds=("command",))["command"]
    plan = companion_plan(cfg, v.name, go=go, kind="command")
    marker = None
    if plan.overlay is not None:
        marker = next((OVERLAY_MARKERS[p] for p in v.go_patches if p in OVERLAY_MARKERS), None)
    return Prepared(adapter=adapter, new_flags=plan.new_flags, overlay=plan.overlay, marker=marker, plan=plan)


def adapt_binary(cfg: Config, binary: Path, prep: Prepared) -> Path:
    from patcher.component import compose

    core, extra = prep.plan.prepare(binary, prep.adapter, cfg.cache_dir)
    return compose.new_component(core, prep.adapter, new_flags=prep.new_flags, cache_dir=cfg.cache_dir, extra_adapters=extra)


def check_wasm_binary(binary: Path, prep: Prepared, variant: str) -> None:
    check_core_module(binary)
    if prep.marker and prep.marker not in binary.read_bytes():
        raise UsageError(f"{binary.name} was built without the {variant} variant's Go runtime overlay",
                         hint='add -overlay="$(python -m patcher overlay)" to go test, or run `python -m patcher test`')


def check_core_module(binary: Path) -> None:
    """Before anything is built: is this a wasip1 core module at all?"""
    try:
        with open(binary, "rb") as f:
            magic = f.read(8)
    except OSError as e:
        raise UsageError(f"cannot read test binary {binary}: {e.strerror}", hint="go test -exec passes the test binary's path first") from e
    if magic[:4] != b"\0asm":
        raise UsageError(f"{binary} is not a WebAssembly module", hint="build it with GOOS=wasip1 GOARCH=wasm")
    if magic[4:8] != b"\x01\0\0\0":
        raise UsageError(f"{binary} is already a component (or not a core module)", hint="patcher exec takes the wasip1 test binary go builds")


def overlay_path(cfg: Config, variant: str, go_spec: str) -> Path:
    """The -overlay JSON a `go test -exec 'patcher exec'` build needs for `variant`."""
    from patcher.component.plan import companion_plan
    from patcher.golang import gotool
    from patcher.patching import patchset

    v = patchset.get_variant(cfg, variant)
    go = gotool.resolve(go_spec, cfg.cache_dir)
    plan = companion_plan(cfg, v.name, go=go, kind="command")
    if plan.overlay is None:
        raise UsageError(f"variant {variant} has no Go runtime overlay", hint="go test -exec 'patcher exec --variant NAME' works without -overlay for it")
    return plan.overlay
