"""`componentize`: a user's Go package -> WASI P2 component in one step, through the pipeline."""

from __future__ import annotations

from pathlib import Path

from patcher.component import pipeline, recipe
from patcher.core.errors import PatcherError
from patcher.core.kinds import PROGRAM_KINDS, ProgramKind
from patcher.patching.project import Project


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


def is_proxy_world(world: str | None) -> bool:
    return bool(world) and str(world).split("@")[0] in ("wasi:http/proxy", "proxy")


def componentize(project: Project, pkg: Path, *, out: Path, variant: str | None = None, kind: str | None = None, wit: Path | None = None,
                 world: str | None = None, adapter: Path | None = None, go_spec: str = "go", build_flags: tuple[str, ...] = (),
                 preinit: bool = False) -> Path:
    """Go package -> WASI P2 component with `variant` (None: the recommended one) and its companion steps."""
    from patcher.golang import gotool

    _check_main_package(pkg)
    if wit is None and world is not None and world.startswith("wasi:"):
        if not is_proxy_world(world):
            raise PatcherError(f"world {world} is not a proxy world", hint="patcher builds services for --world wasi:http/proxy")
        return componentize_proxy(project, pkg, out=out, variant=variant, adapter=adapter, go_spec=go_spec, build_flags=build_flags)
    if wit is not None and not wit.exists():
        raise PatcherError(f"WIT {wit} not found", hint="pass --wit with a .wit file or a directory of .wit files")
    if world and wit is None:
        raise PatcherError("--world needs --wit", hint="pass the WIT file or directory that defines the world")
    kind = kind or ("reactor" if wit else "command")
    if kind not in PROGRAM_KINDS:
        raise PatcherError(f"unknown kind {kind!r}", hint="use --kind command or --kind reactor")
    program_kind: ProgramKind = "reactor" if kind == "reactor" else "command"
    v = project.variant(variant)
    go = gotool.resolve(go_spec, project.cfg.cache_dir)
    r = recipe.resolve(project, v, go=go, kind=program_kind, adapter=adapter, preinit=preinit)
    from patcher.bindgen import package as bindings

    # A package with no bindings and no glue of its own gets them generated (through the overlay).
    create = wit is not None and bool(world) and not bindings.has_own_glue(pkg)
    package = pipeline.GoPackage(dir=pkg, label=pkg.resolve().name, build_flags=build_flags, wit=wit, world=world, create_bindings=create)
    return pipeline.componentize(project, r, package, out=out, announce=True)


def componentize_proxy(project: Project, pkg: Path, *, out: Path, variant: str | None = None, adapter: Path | None = None, go_spec: str = "go",
                       build_flags: tuple[str, ...] = ()) -> Path:
    """A package that calls wasihttp.Handle -> a wasi:http/proxy component (the variant's proxy adapter)."""
    from patcher.component import gohttp
    from patcher.golang import gotool

    if not gohttp.uses_module(pkg):
        raise PatcherError(f"{pkg} has no HTTP handler: no Go file imports {gohttp.MODULE}",
                           hint=f"import {gohttp.MODULE} and call wasihttp.Handle(handler) from init() or main()")
    v = project.variant(variant)
    go = gotool.resolve(go_spec, project.cfg.cache_dir)
    pub = gohttp.publish(project)
    modfile = gohttp.modfile(project, pkg, go, pub)
    r = recipe.resolve(project, v, go=go, kind="proxy", adapter=adapter)
    package = pipeline.GoPackage(dir=pkg, label=pkg.name, build_flags=(f"-modfile={modfile}", *build_flags), wit=gohttp.wit_dir(project),
                                 world=gohttp.WORLD, env=tuple(pub.go_env().items()))
    return pipeline.componentize(project, r, package, out=out, announce=True)
