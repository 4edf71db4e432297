"""A variant's adapters, ready to use: the prebuilt ones shipped with this installation when their
recipe is ours, else built from source into the cache."""

from __future__ import annotations

from pathlib import Path

from patcher.adapter import build, prebuilt, toolchain
from patcher.core import log
from patcher.core.errors import MissingToolError
from patcher.core.kinds import PROGRAM_KINDS
from patcher.patching.patchset import Variant
from patcher.patching.project import Project


def variant_adapters(project: Project, variant: Variant, kinds: tuple[str, ...] = PROGRAM_KINDS) -> dict[str, Path]:
    """Adapters of `variant`: prebuilt ones shipped with this installation when their recipe is
    ours, else built into the cache (rebuilding is cheap when nothing changed).

    Where the upstream source comes from (`--source`, `PATCHER_SOURCE`) does not matter: the pin
    fixes its content. Only another upstream ref (`--ref`) rules the prebuilt adapters out.

    Built paths are content-addressed: a per-variant copy would be overwritten by a run from another
    work tree whose patches differ, between the build and the use."""
    if project.pinned_ref:
        found = prebuilt.find(project, variant, kinds)
        if found:
            log.info(f"{variant.name} adapters: prebuilt ({', '.join(kinds)}), shipped with patcher")
            return found
        if toolchain.find() is None and (stale := [s for s in prebuilt.status(project, variant, kinds) if s.state != "missing"]):
            raise MissingToolError(
                f"the prebuilt {variant.name} {stale[0].kind} adapter does not match this installation ({stale[0].state}) and no Rust toolchain can rebuild it",
                hint=f"reinstall the patcher wheel, or install Rust for wasm32 (scripts/setup, or `rustup target add {toolchain.TARGET}`)")
    paths = build.build(project.cfg, variant, kinds, out=None)
    return dict(zip(kinds, paths, strict=True))
