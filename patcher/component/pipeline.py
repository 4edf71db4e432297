"""The one way a Go program becomes a component: generated bindings (through the overlay), `go
build` with the recipe's overlay and flags, the main-module rewrites, `component new --adapt`.
`componentize`, `validate` and its tiers, `test`/`exec` and the benchmarks all go through here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from patcher.component import compose
from patcher.component.recipe import Recipe
from patcher.core import log
from patcher.core.errors import PatcherError
from patcher.golang import gobuild
from patcher.patching.project import Project


@dataclass(frozen=True)
class GoPackage:
    """A Go main package to build, and the WIT world its exports implement (reactors)."""

    dir: Path
    label: str
    build_flags: tuple[str, ...] = ()
    wit: Path | None = None
    world: str | None = None  # a world name in `wit`, possibly package-qualified (`pkg:name/world`)
    create_bindings: bool = False  # generate `<world>_bindings.go` even where the package has none
    env: tuple[tuple[str, str], ...] = ()  # extra Go environment (the wasihttp module's file GOPROXY)


def build_core(project: Project, recipe: Recipe, pkg: GoPackage, *, announce: bool = False) -> Path:
    """The package as a wasip1 core module (cached), built with the recipe's Go runtime overlay."""
    overlay = recipe.overlay
    if pkg.wit is not None and pkg.world:
        from patcher.bindgen import package as bindings
        from patcher.bindgen.render import output_file

        # Generated bindings in the package are rebuilt from this WIT (through the overlay).
        world = pkg.world.rsplit("/", 1)[-1]
        had = output_file(pkg.dir.resolve(), world).is_file()
        fresh = bindings.overlay(pkg.dir, pkg.wit, world, project.cfg.templates_dir, project.cfg.cache_dir, overlay, create=pkg.create_bindings)
        if fresh is not None:
            overlay = fresh
            if announce:
                how = "" if had else " (the package has none: an overlay, your files are untouched)"
                log.info(f"bindings: {output_file(pkg.dir, world).name} {'built' if had else 'generated'} from {pkg.wit.name}{how}")
    try:
        return gobuild.build(pkg.dir, recipe.go, kind=recipe.kind, cache_dir=project.cfg.cache_dir, flags=pkg.build_flags,
                             overlay=overlay, label=pkg.label, env=dict(pkg.env))
    except PatcherError as e:
        from patcher.bindgen import package as bindings

        short = pkg.world.rsplit("/", 1)[-1] if pkg.world else None
        raise bindings.explain(e, pkg.dir, overlay, wit=pkg.wit, world=short, templates_dir=project.cfg.templates_dir) from e


def prepare_core(project: Project, recipe: Recipe, core: Path) -> tuple[Path, dict[str, Path]]:
    """The main module's rewrites: (core module to adapt, extra `--adapt` modules by import module)."""
    extra: dict[str, Path] = {}
    cache_dir = project.cfg.cache_dir
    if recipe.direct_clocks and recipe.low_memory_end is not None:  # first: it looks at the module's own exports and imports
        from patcher.component import direct_clocks

        core, extra, reason = direct_clocks.apply(core, recipe.adapter, cache_dir, low_memory_end=recipe.low_memory_end)
        if reason and log.verbose():
            log.info(f"clock reads stay with the Preview 1 adapter: {reason}")
    if recipe.wrap_realloc:
        from patcher.component import rewrite

        core = rewrite.wrap_cabi_realloc(core, cache_dir)
    return core, extra


def to_component(project: Project, recipe: Recipe, core: Path, *, wit: Path | None = None, world: str | None = None, out: Path | None = None,
                 announce: bool = False) -> Path:
    """A built core module (a `go build`, a `go test -c` binary) -> component, written to `out`
    or the content-addressed cache. `announce` logs each step (the interactive commands)."""
    if recipe.preinit:  # first: the rewrites below change imports wasmtime's WASI would not know
        from patcher.component import preinit

        if announce:
            with log.step("snapshot after package init (wasmtime wizer)"):
                core = preinit.snapshot(core, project.cfg.cache_dir)
        else:
            core = preinit.snapshot(core, project.cfg.cache_dir)
    if recipe.wrap_realloc or recipe.direct_clocks:
        if announce:
            with log.step("rewrite the main module"):
                core, extra = prepare_core(project, recipe, core)
        else:
            core, extra = prepare_core(project, recipe, core)
    else:
        extra = {}

    def new() -> Path:
        return compose.new_component(core, recipe.adapter, out=out, wit=wit, world=world, new_flags=recipe.new_flags,
                                     cache_dir=project.cfg.cache_dir, extra_adapters=extra)

    if not announce:
        return new()
    with log.step(f"component new --adapt {' '.join([recipe.adapter.name, *extra])}"):
        return new()


def componentize(project: Project, recipe: Recipe, pkg: GoPackage, *, out: Path | None = None, announce: bool = False) -> Path:
    """Go package -> component: `build_core` then `to_component`."""
    if announce:
        for s in recipe.steps:
            log.info(f"companion step: {s}")
        with log.step(f"go build ({recipe.kind}, Go {recipe.go.version})"):
            core = build_core(project, recipe, pkg, announce=True)
    else:
        core = build_core(project, recipe, pkg)
    return to_component(project, recipe, core, wit=pkg.wit, world=pkg.world, out=out, announce=announce)
