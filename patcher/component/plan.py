"""A variant's companion plan: what besides `component new --adapt` turns a Go program into a
working component (Go runtime overlay, component-new flags, main-module rewrites, extra adapters)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from patcher.core.config import Config
from patcher.core.errors import PatcherError
from patcher.golang.gotool import GoToolchain


@dataclass
class CompanionPlan:
    go_flags: tuple[str, ...] = ()
    overlay: Path | None = None
    new_flags: tuple[str, ...] = ()
    rewrite: Callable[[Path, Path], Path] | None = None
    direct_clocks: bool = False
    steps: list[str] = field(default_factory=list)

    def prepare(self, core: Path, adapter: Path, cache_dir: Path) -> tuple[Path, dict[str, Path]]:
        """The main module's rewrites: (core module to adapt, extra `--adapt` modules by import module)."""
        extra: dict[str, Path] = {}
        if self.direct_clocks:  # first: it looks at the module's own exports and imports
            from patcher.component import direct_clocks
            from patcher.core import log

            core, extra, reason = direct_clocks.apply(core, adapter, cache_dir)
            if reason and log.verbose():
                log.info(f"clock reads stay with the Preview 1 adapter: {reason}")
        if self.rewrite:
            core = self.rewrite(core, cache_dir)
        return core, extra


def companion_plan(cfg: Config, variant: str | None, *, go: GoToolchain, kind: str) -> CompanionPlan:
    """What to do besides `component new --adapt` for `variant` (None: nothing, the plain pipeline)."""
    if variant is None:
        return CompanionPlan()
    from patcher.patching import patchset

    v = patchset.get_variant(cfg, variant)
    plan = CompanionPlan()
    for step in v.companion:
        if step == "go-runtime-overlay":
            from patcher.golang import overlay

            plan.overlay = overlay.render(cfg, go, v.go_patches)
            plan.steps.append(f"go build -overlay ({', '.join(v.go_patches)})")
        elif step == "realloc-via-memory-grow":
            # The adapter takes its State and stack with memory.grow (which the overlay keeps
            # out of Go's heap) instead of calling Go's cabi_realloc before the runtime exists.
            plan.new_flags += ("--realloc-via-memory-grow",)
            plan.steps.append("component new --realloc-via-memory-grow")
        elif step == "direct-clocks":
            plan.direct_clocks = True
            plan.steps.append("clock reads straight to the Preview 2 clocks when nothing can pause the adapter (patcher_clocks adapter)")
        elif step == "wrap-cabi-realloc":
            if kind == "reactor":
                from patcher.component import rewrite

                plan.rewrite = rewrite.wrap_cabi_realloc
                plan.steps.append("pause the adapter inside cabi_realloc (main-module rewrite)")
        else:
            raise PatcherError(f"variant {variant} names unknown companion step {step!r}", hint="fix patches/variants.toml")
    return plan
