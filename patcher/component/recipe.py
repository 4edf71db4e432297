"""A variant resolved for one Go toolchain and program kind: the adapter and every companion step
besides `component new --adapt` (Go runtime overlay, component-new flags, main-module rewrites,
extra adapters). Resolved once, then handed to the pipeline for every program of that kind."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from patcher.core.errors import PatcherError
from patcher.core.kinds import EXPORT_KINDS, ProgramKind
from patcher.golang.gotool import GoToolchain
from patcher.patching.patchset import Variant
from patcher.patching.project import Project


@dataclass(frozen=True)
class Recipe:
    kind: ProgramKind
    go: GoToolchain
    adapter: Path
    variant: Variant | None = None  # None: the plain pipeline (`component new --adapt` only)
    overlay: Path | None = None  # the variant's Go runtime overlay (`go build -overlay`)
    new_flags: tuple[str, ...] = ()
    wrap_realloc: bool = False  # pause the adapter inside the module's cabi_realloc exports
    direct_clocks: bool = False  # clock reads to the Preview 2 clocks where nothing can pause the adapter
    preinit: bool = False  # snapshot the core module after package init (`--preinit`, component/preinit.py)
    steps: tuple[str, ...] = ()  # what the companion steps are, for the log

    @property
    def low_memory_end(self) -> int | None:
        return self.variant.low_memory_end if self.variant else None

    @property
    def overlay_markers(self) -> tuple[bytes, ...]:
        """What a binary built with this recipe's overlay carries (to refuse one built without it)."""
        return self.variant.overlay_markers if self.variant and self.overlay else ()


def overlay_for(project: Project, variant: Variant, go: GoToolchain) -> Path | None:
    """`variant`'s Go runtime overlay for `go` (None: it has none)."""
    if "go-runtime-overlay" not in variant.companion:
        return None
    from patcher.golang import overlay

    return overlay.render(project.cfg.cache_dir, go, variant.go_patches)


PREINIT_PATCH = "go-preinit"  # the runtime overlay patch `--preinit` adds to the variant's


def resolve(project: Project, variant: Variant | None, *, go: GoToolchain, kind: ProgramKind, adapter: Path | None = None,
            preinit: bool = False) -> Recipe:
    """`variant`'s recipe for `kind` programs built with `go`; `adapter` overrides the variant's own
    (`--adapt`, a release stage, the official adapter). `variant` None is the plain pipeline.
    `preinit`: reactors snapshotted after package init (the variant's overlay plus go-preinit)."""
    if preinit and (kind != "reactor" or variant is None or "go-runtime-overlay" not in variant.companion):
        why = "is for reactors" if kind != "reactor" else "needs a variant with the Go runtime overlay (go)"
        raise PatcherError(f"--preinit {why}", hint="use --kind reactor with the go variant, or build without --preinit")
    if adapter is None:
        if variant is None:
            raise ValueError("the plain pipeline needs an adapter")
        from patcher.adapter import adapters
        from patcher.core import log

        with log.step(f"adapter: variant {variant.name} ({kind})"):
            adapter = adapters.variant_adapters(project, variant, kinds=(kind,))[kind]
    elif not adapter.is_file():
        raise PatcherError(f"adapter {adapter} not found", hint=f"pass --adapt with a wasi_snapshot_preview1.{kind}.wasm file")
    if variant is None:
        return Recipe(kind=kind, go=go, adapter=adapter)
    overlay: Path | None = None
    new_flags: tuple[str, ...] = ()
    wrap = direct = False
    steps: list[str] = []
    for step in variant.companion:
        if step == "go-runtime-overlay":
            if preinit:
                from patcher.golang import overlay as go_overlay

                patches = (*variant.go_patches, project.patches[PREINIT_PATCH])
                overlay = go_overlay.render(project.cfg.cache_dir, go, patches)
            else:
                patches = variant.go_patches
                overlay = overlay_for(project, variant, go)
            steps.append(f"go build -overlay ({', '.join(p.name for p in patches)})")
            if preinit:
                steps.append("snapshot after package init (wasmtime wizer; restored per instance by the go-preinit hook)")
        elif step == "realloc-via-memory-grow":
            # The adapter takes its State and stack with memory.grow (which the overlay keeps
            # out of Go's heap) instead of calling Go's cabi_realloc before the runtime exists.
            new_flags += ("--realloc-via-memory-grow",)
            steps.append("component new --realloc-via-memory-grow")
        elif step == "direct-clocks":
            direct = variant.low_memory_end is not None  # its scratch memory is in that range
            if direct:
                steps.append("clock reads straight to the Preview 2 clocks when nothing can pause the adapter (patcher_clocks adapter)")
        elif step == "wrap-cabi-realloc" and kind in EXPORT_KINDS:
            wrap = True
            steps.append("pause the adapter inside cabi_realloc (main-module rewrite)")
    return Recipe(kind=kind, go=go, adapter=adapter, variant=variant, overlay=overlay, new_flags=new_flags, wrap_realloc=wrap,
                  direct_clocks=direct, preinit=preinit, steps=tuple(steps))
