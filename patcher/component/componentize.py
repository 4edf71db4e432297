"""Companion steps a variant needs besides the adapter, and the one-command `componentize`."""

from __future__ import annotations

from pathlib import Path

from patcher.component.plan import companion_plan
from patcher.core.config import Config
from patcher.core.errors import PatcherError
from patcher.core.kinds import PROGRAM_KINDS


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
    from patcher.adapter import adapters
    from patcher.component import compose
    from patcher.core import log
    from patcher.golang import gobuild, gotool
    from patcher.patching import patchset

    _check_main_package(pkg)
    if wit is not None and not wit.exists():
        raise PatcherError(f"WIT {wit} not found", hint="pass --wit with a .wit file or a directory of .wit files")
    if world and wit is None:
        raise PatcherError("--world needs --wit", hint="pass the WIT file or directory that defines the world")
    kind = kind or ("reactor" if wit else "command")
    if kind not in PROGRAM_KINDS:
        raise PatcherError(f"unknown kind {kind!r}", hint="use --kind command or --kind reactor")
    v = patchset.get_variant(cfg, variant)
    go = gotool.resolve(go_spec, cfg.cache_dir)
    if adapter is None:
        with log.step(f"adapter: variant {v.name} ({kind})"):
            adapter = adapters.variant_adapters(cfg, v.name, kinds=(kind,), source_arg=source_arg, ref=ref)[kind]
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
    if plan.rewrite or plan.direct_clocks:
        with log.step("rewrite the main module"):
            core, extra = plan.prepare(core, adapter, cfg.cache_dir)
    else:
        extra = {}
    names = " ".join([adapter.name, *extra])
    with log.step(f"component new --adapt {names}"):
        return compose.new_component(core, adapter, out=out, wit=wit, world=world, new_flags=plan.new_flags, extra_adapters=extra)
