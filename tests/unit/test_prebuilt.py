"""Prebuilt adapters in a wheel are used only when their recipe is this installation's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from patcher.adapter import adapters, prebuilt, toolchain
from patcher.core import config
from patcher.core.errors import MissingToolError
from patcher.core.kinds import ADAPTER_KINDS


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[config.Config, Path]:
    """A bundle for the go variant, made from stand-in files, and a config that reads it."""
    cfg = config.load()
    files: dict[str, Path] = {}
    for kind in ADAPTER_KINDS:
        f = tmp_path / f"{kind}.wasm"
        f.write_bytes(b"\0asm\x01\0\0\0" + kind.encode())
        files[kind] = f
    dest = tmp_path / "adapters"
    prebuilt.write_bundle(cfg, dest, {"go": files})
    monkeypatch.setenv("PATCHER_PREBUILT", str(dest))
    return config.load(), dest


def test_matching_recipe_is_used_without_cargo(bundle: tuple[config.Config, Path]) -> None:
    cfg, dest = bundle
    got = adapters.variant_adapters(cfg, "go", kinds=("command", "reactor"))  # PATCHER_NO_CARGO is set: no build possible
    assert got == {"command": dest / "go/wasi_snapshot_preview1.command.wasm", "reactor": dest / "go/wasi_snapshot_preview1.reactor.wasm"}
    assert got["reactor"].read_bytes().endswith(b"reactor")


def test_a_changed_patch_is_a_different_recipe(bundle: tuple[config.Config, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg, _ = bundle
    patches = tmp_path / "patches"
    shutil.copytree(cfg.patches_dir, patches)
    spec = patches / "noleave.toml"
    spec.write_text(spec.read_text() + "\n# changed\n")
    monkeypatch.setenv("PATCHER_PATCHES", str(patches))
    cfg2 = config.load()
    assert prebuilt.recipe(cfg2, "go") != prebuilt.recipe(cfg, "go")
    assert {s.state for s in prebuilt.status(cfg2, "go", ADAPTER_KINDS)} == {"recipe differs"}
    assert prebuilt.find(cfg2, "go", ADAPTER_KINDS) is None
    # The upstream variant has no noleave patch: its recipe is unchanged.
    assert prebuilt.recipe(cfg2, "upstream") == prebuilt.recipe(cfg, "upstream")


def test_stale_bundle_without_rust_says_what_to_do(bundle: tuple[config.Config, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg, dest = bundle
    (dest / "go/wasi_snapshot_preview1.reactor.wasm").write_bytes(b"tampered")
    assert {s.kind: s.state for s in prebuilt.status(cfg, "go", ADAPTER_KINDS)}["reactor"] == "corrupt"
    monkeypatch.setattr(toolchain, "find", lambda: None)
    with pytest.raises(MissingToolError, match=r"prebuilt go reactor adapter does not match this installation \(corrupt\)"):
        adapters.variant_adapters(cfg, "go", kinds=("reactor",))


def test_other_variants_and_refs_are_built(bundle: tuple[config.Config, Path]) -> None:
    cfg, _ = bundle
    assert prebuilt.find(cfg, "upstream", ("reactor",)) is None
    with pytest.raises(MissingToolError, match="PATCHER_NO_CARGO"):
        adapters.variant_adapters(cfg, "go", kinds=("reactor",), ref="v47.0.4")
