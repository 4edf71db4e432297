"""Companion steps a variant needs besides the adapter, and the one-command `componentize`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from patcher.config import Config
from patcher.errors import PatcherError
from patcher.gotool import GoToolchain


@dataclass
class CompanionPlan:
    go_flags: tuple[str, ...] = ()
    overlay: Path | None = None
    new_flags: tuple[str, ...] = ()
    rewrite: Callable[[Path, Path], Path] | None = None
    steps: list[str] = field(default_factory=list)


def companion_plan(cfg: Config, variant: str | None, *, go: GoToolchain, kind: str) -> CompanionPlan:
    """What to do besides `component new --adapt` for `variant` (None: nothing, the plain pipeline)."""
    if variant is None:
        return CompanionPlan()
    from patcher import patchset

    v = patchset.get_variant(cfg, variant)
    plan = CompanionPlan()
    for step in v.companion:
        if step == "go-runtime-overlay":
            from patcher import overlay

            plan.overlay = overlay.render(cfg, go, v.go_patches)
            plan.steps.append(f"go build -overlay ({', '.join(v.go_patches)})")
        elif step == "realloc-via-memory-grow":
            # The adapter takes its State and stack with memory.grow (which the overlay keeps
            # out of Go's heap) instead of calling Go's cabi_realloc before the runtime exists.
            plan.new_flags += ("--realloc-via-memory-grow",)
            plan.steps.append("component new --realloc-via-memory-grow")
        elif step == "wrap-cabi-realloc":
            if kind == "reactor":
                from patcher import rewrite

                plan.rewrite = rewrite.wrap_cabi_realloc
                plan.steps.append("pause the adapter inside cabi_realloc (main-module rewrite)")
        else:
            raise PatcherError(f"variant {variant} names unknown companion step {step!r}", hint="fix patches/variants.toml")
    return plan


def _check_main_package(pkg: Path) -> None:
    if not pkg.is_dir():
        raise PatcherError(f"{pkg} is not a directory", hint="pass the directory of your Go main package")
    files = [p for p in pkg.glob("*.go") if not p.name.endswith("_test.go")]
    if not files:
        raise PatcherError(f"{pkg} has no Go files", hint="pass the directory of your Go main package")
    names = set()
    for p in files:
        for line in p.read_text(errors="replace").splitlines():
            s = line.strip()
            if s.startswith("package "):
                names.add(s.split()[1])
                break
    if "main" not in names:
        raise PatcherError(f"{pkg} is package {', '.join(sorted(names))}, not a main package", hint="componentize needs a `package main` with func main() (empty for reactors)")


def componentize(cfg: Config, pkg: Path, *, out: Path, variant: str = "go", kind: str | None = None, wit: Path | None = None,
                 world: str | None = None, adapter: Path | None = None, go_spec: str = "go", build_flags: tuple[str, ...] = (),
                 source_arg: str | None = None, ref: str | None = None) -> Path:
    """Go package -> WASI P2 component in one step, with the variant's companion steps."""
    from patcher import build, compose, gobuild, gotool, log, patchset

    _check_main_package(pkg)
    if wit is not None and not wit.exists():
        raise PatcherError(f"WIT {wit} not found", hint="pass --wit with a .wit file or a directory of .wit files")
    if world and wit is None:
        raise PatcherError("--world needs --wit", hint="pass the WIT file or directory that defines the world")
    kind = kind or ("reactor" if wit else "command")
    if kind not in ("command", "reactor"):
        raise PatcherError(f"unknown kind {kind!r}", hint="use --kind command or --kind reactor")
    v = patchset.get_variant(cfg, variant)
    go = gotool.resolve(go_spec, cfg.cache_dir)
    if adapter is None:
        with log.step(f"adapter: variant {v.name} ({kind})"):
            adapter = build.variant_adapters(cfg, v.name, kinds=(kind,), source_arg=source_arg, ref=ref)[kind]
    elif not adapter.is_file():
        raise PatcherError(f"adapter {adapter} not found", hint="pass --adapt with a wasi_snapshot_preview1.<kind>.wasm file")
    plan = companion_plan(cfg, v.name, go=go, kind=kind)
    for s in plan.steps:
        log.info(f"companion step: {s}")
    if wit is not None and world:
        from patcher.bindgen import package as bindings

        # Generated bindings in the package are rebuilt from this WIT (through the overlay).
        if (ov := bindings.overlay(pkg, wit, world, cfg.templates_dir, cfg.cache_dir, plan.overlay)) is not None:
            plan.overlay = ov
            log.info(f"bindings: {world.replace('-', '_')}_bindings.go built from {wit.name}")
    with log.step(f"go build ({kind}, Go {go.version})"):
        try:
            core = gobuild.build(pkg, go, kind=kind, cache_dir=cfg.cache_dir, flags=build_flags + plan.go_flags, overlay=plan.overlay, label=pkg.name)
        except PatcherError as e:
            from patcher.bindgen import package as bindings

            raise bindings.explain(e, pkg, plan.overlay) from e
    if plan.rewrite:
        with log.step("rewrite cabi_realloc"):
            core = plan.rewrite(core, cfg.cache_dir)
    with log.step(f"component new --adapt {adapter.name}"):
        return compose.new_component(core, adapter, out=out, wit=wit, world=world, new_flags=plan.new_flags)
