"""Test binaries through the pipeline: the command recipe `patcher test` and `exec` use, and the
checks on the binary `patcher exec` is given."""

from __future__ import annotations

from pathlib import Path

from patcher.component import pipeline, recipe
from patcher.component.recipe import Recipe
from patcher.core.errors import UsageError
from patcher.golang.gotool import GoToolchain
from patcher.patching.patchset import Variant
from patcher.patching.project import Project


def command_recipe(project: Project, variant: Variant, *, adapt: Path | None, go: GoToolchain) -> Recipe:
    """The command adapter and the variant's companion steps, as componentize resolves them."""
    if adapt is not None and not adapt.is_file():
        raise UsageError(f"adapter {adapt} not found", hint="pass --adapt with a wasi_snapshot_preview1.command.wasm file")
    return recipe.resolve(project, variant, go=go, kind="command", adapter=adapt)


def adapt_binary(project: Project, binary: Path, r: Recipe) -> Path:
    """A `go test -c` binary -> command component (cached)."""
    return pipeline.to_component(project, r, binary)


def check_wasm_binary(binary: Path, r: Recipe) -> None:
    check_core_module(binary)
    if any(m not in binary.read_bytes() for m in r.overlay_markers):
        name = r.variant.name if r.variant else "?"
        raise UsageError(f"{binary.name} was built without the {name} variant's Go runtime overlay",
                         hint="pass go test -overlay=PATH with the path `python -m patcher overlay` prints (an empty -overlay= is no overlay to go:"
                              " if that command failed, its own error says why), or run `python -m patcher test`")


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


def overlay_path(project: Project, variant: Variant, go: GoToolchain) -> Path:
    """The -overlay JSON a `go test -exec 'patcher exec'` build needs for `variant`."""
    overlay = recipe.overlay_for(project, variant, go)
    if overlay is None:
        raise UsageError(f"variant {variant.name} has no Go runtime overlay", hint="go test -exec 'patcher exec --variant NAME' works without -overlay for it")
    return overlay
