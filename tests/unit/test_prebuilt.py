"""Prebuilt adapters in a wheel are used only when their recipe is this installation's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from patcher.adapter import adapters, prebuilt, toolchain
from patcher.core import config
from patcher.core.errors import MissingToolError
from patcher.core.kinds import ADAPTER_KINDS
from patcher.patching.project import Project


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Project, Path]:
    """A bundle for the go variant, made from stand-in files, and a project that reads it."""
    cfg = config.load()
    files: dict[str, Path] = {}
    for kind in ADAPTER_KINDS:
        f = tmp_path / f"{kind}.wasm"
        f.write_bytes(b"\0asm\x01\0\0\0" + kind.encode())
        files[kind] = f
    dest = tmp_path / "adapters"
    prebuilt.write_bundle(Project(cfg), dest, {"go": files})
    monkeypatch.setenv("PATCHER_PREBUILT", str(dest))
    return Project(config.load()), dest


def test_matching_recipe_is_used_without_cargo(bundle: tuple[Project, Path]) -> None:
    project, dest = bundle
    got = adapters.variant_adapters(project, project.variant("go"), kinds=("command", "reactor"))  # PATCHER_NO_CARGO is set: no build possible
    assert got == {"command": dest / "go/wasi_snapshot_preview1.command.wasm", "reactor": dest / "go/wasi_snapshot_preview1.reactor.wasm"}
    assert got["reactor"].read_bytes().endswith(b"reactor")


def test_a_changed_patch_is_a_different_recipe(bundle: tuple[Project, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, _ = bundle
    patches = tmp_path / "patches"
    shutil.copytree(project.cfg.patches_dir, patches)
    spec = patches / "noleave.toml"
    spec.write_text(spec.read_text() + "\n# changed\n")
    monkeypatch.setenv("PATCHER_PATCHES", str(patches))
    project2 = Project(config.load())
    assert prebuilt.recipe(project2, project2.variant("go")) != prebuilt.recipe(project, project.variant("go"))
    assert {s.state for s in prebuilt.status(project2, project2.variant("go"), ADAPTER_KINDS)} == {"recipe differs"}
    assert prebuilt.find(project2, project2.variant("go"), ADAPTER_KINDS) is None
    # The upstream variant has no noleave patch: its recipe is unchanged.
    assert prebuilt.recipe(project2, project2.variant("upstream")) == prebuilt.recipe(project, project.variant("upstream"))


def test_stale_bundle_without_rust_says_what_to_do(bundle: tuple[Project, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, dest = bundle
    (dest / "go/wasi_snapshot_preview1.reactor.wasm").write_bytes(b"tampered")
    assert {s.kind: s.state for s in prebuilt.status(project, project.variant("go"), ADAPTER_KINDS)}["reactor"] == "corrupt"
    monkeypatch.setattr(toolchain, "find", lambda: None)
    with pytest.raises(MissingToolError, match=r"prebuilt go reactor adapter does not match this installation \(corrupt\)"):
        adapters.variant_adapters(project, project.variant("go"), kinds=("reactor",))


def test_other_variants_and_refs_are_built(bundle: tuple[Project, Path]) -> None:
    project, _ = bundle
    assert prebuilt.find(project, project.variant("upstream"), ("reactor",)) is None
    other_ref = project.at_ref("v47.0.4")
    with pytest.raises(MissingToolError, match="PATCHER_NO_CARGO"):
        adapters.variant_adapters(other_ref, other_ref.variant("go"), kinds=("reactor",))
