"""A variant's adapters, ready to use: the prebuilt ones shipped with this installation when their
recipe is ours, else built from source into the cache."""

from __future__ import annotations

from pathlib import Path

from patcher.adapter import build, prebuilt, toolchain
from patcher.core import log
from patcher.core.config import Config
from patcher.core.errors import MissingToolError
from patcher.core.kinds import PROGRAM_KINDS


def variant_adapters(cfg: Config, variant: str, kinds: tuple[str, ...] = PROGRAM_KINDS, *, source_arg: str | None = None, ref: str | None = None) -> dict[str, Path]:
    """Adapters of `variant`: prebuilt ones shipped with this installation when their recipe is
    ours, else built into the cache (rebuilding is cheap when nothing changed).

    Built paths are content-addressed: a per-variant copy would be overwritten by a run from another
    work tree whose patches differ, between the build and the use."""
    if source_arg is None and ref is None:
        found = prebuilt.find(cfg, variant, kinds)
        if found:
            log.info(f"{variant} adapters: prebuilt ({', '.join(kinds)}), shipped with patcher")
            return found
        if toolchain.find() is None and (stale := [s for s in prebuilt.status(cfg, variant, kinds) if s.state != "missing"]):
            raise MissingToolError(
                f"the prebuilt {variant} {stale[0].kind} adapter does not match this installation ({stale[0].state}) and no Rust toolchain can rebuild it",
                hint=f"reinstall the patcher wheel, or install Rust (`rustup target add {toolchain.TARGET}`)")
    paths = build.build(cfg, variant, kinds, out=None, source_arg=source_arg, ref=ref)
    return dict(zip(kinds, paths, strict=True))
