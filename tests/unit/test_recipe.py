"""One source of each fact: the project is read once per command, settings are one layer stack,
patch facts come from the patch specs, and the build recipe is what the build does."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from patcher import cli
from patcher.adapter import adapters, build, prebuilt
from patcher.core import config
from patcher.core.errors import MissingToolError, PatcherError
from patcher.core.kinds import ADAPTER_KINDS
from patcher.patching import patchset
from patcher.patching.project import Project

ROOT = Path(__file__).resolve().parents[2]


def _parse(argv: list[str]) -> argparse.Namespace:
    return cli.build_parser().parse_args(argv)


def test_specs_are_parsed_once_per_project(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real = patchset.load_patch

    def counting(path: Path, templates_dir: Path) -> patchset.Patch:
        parsed.append(path.name)
        return real(path, templates_dir)

    monkeypatch.setattr(patchset, "load_patch", counting)
    project = Project(config.load())
    for _ in range(3):  # what componentize, the recipe, prebuilt and the build each ask
        v = project.variant("go")
        assert project.variant(None) is v
        assert project.default_variant is v
        assert project.variants["upstream"].patches == ()
    assert sorted(parsed) == sorted(p.name for p in (ROOT / "patches").glob("*.toml") if p.name != "variants.toml")


def test_the_default_variant_is_the_recommended_one() -> None:
    project = Project(config.load())
    recommended = [v.name for v in project.variants.values() if v.recommended]
    assert recommended == [project.default_variant.name]
    # No command spells the default: they all leave it to variants.toml.
    for argv in (["componentize", "x", "-o", "y"], ["overlay"]):
        assert _parse(argv).variant is None
    from patcher.run import testflags

    assert testflags.parse_test_args([]).variant is None


def test_a_variant_without_a_recommended_one_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    patches = tmp_path / "patches"
    patches.mkdir()
    (patches / "variants.toml").write_text('[variant.upstream]\nsummary = "no patches"\npatches = []\n')
    monkeypatch.setenv("PATCHER_PATCHES", str(patches))
    project = Project(config.load())
    assert project.variant("upstream").name == "upstream"
    with pytest.raises(PatcherError, match="recommended = true"):
        project.variant(None)


def test_source_flag_and_environment_are_one_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    src = str(tmp_path / "wasmtime")
    monkeypatch.delenv("PATCHER_SOURCE", raising=False)
    by_flag = config.load(source=src, ref="v48.0.0")
    monkeypatch.setenv("PATCHER_SOURCE", src)
    monkeypatch.setenv("PATCHER_REF", "v48.0.0")
    by_env = config.load()
    assert by_flag == by_env
    # The flag is the top layer: it wins over the environment.
    assert config.load(source=str(tmp_path / "other")).source == str(tmp_path / "other")


def test_source_flag_keeps_the_prebuilt_adapters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--source X` used to force a cargo build where `PATCHER_SOURCE=X` did not (PATCHER_NO_CARGO is
    set in unit tests, so a build would raise)."""
    base = Project(config.load())
    files: dict[str, Path] = {}
    for kind in ADAPTER_KINDS:
        f = tmp_path / f"{kind}.wasm"
        f.write_bytes(b"\0asm\x01\0\0\0" + kind.encode())
        files[kind] = f
    prebuilt.write_bundle(base, tmp_path / "adapters", {"go": files})
    monkeypatch.setenv("PATCHER_PREBUILT", str(tmp_path / "adapters"))
    src = str(tmp_path / "some-wasmtime-clone")
    monkeypatch.delenv("PATCHER_SOURCE", raising=False)
    by_flag = Project(config.load(source=src))
    monkeypatch.setenv("PATCHER_SOURCE", src)
    by_env = Project(config.load())
    want = {"command": tmp_path / "adapters/go/wasi_snapshot_preview1.command.wasm"}
    assert adapters.variant_adapters(by_flag, by_flag.variant("go"), kinds=("command",)) == want
    assert adapters.variant_adapters(by_env, by_env.variant("go"), kinds=("command",)) == want
    # The pinned tag named explicitly is still the pin; another ref is another build.
    pinned = Project(config.load(ref=base.pin.tag))
    assert adapters.variant_adapters(pinned, pinned.variant("go"), kinds=("command",)) == want
    other = Project(config.load(ref="v47.0.4"))
    with pytest.raises(MissingToolError, match="PATCHER_NO_CARGO"):
        adapters.variant_adapters(other, other.variant("go"), kinds=("command",))


def test_cli_folds_source_and_ref_into_the_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[config.Config] = []

    def fake_fetch(project: Project, args: argparse.Namespace) -> int:
        seen.append(project.cfg)
        return 0

    from patcher.cli import fetch

    monkeypatch.setattr(fetch, "_fetch", fake_fetch)  # register() binds it when main builds the parser
    assert cli.main(["fetch", "--source", str(tmp_path), "--ref", "v47.0.4"]) == 0
    assert (seen[0].source, seen[0].ref) == (str(tmp_path), "v47.0.4")


def test_patch_facts_come_from_the_specs() -> None:
    project = Project(config.load())
    go = project.variant("go")
    noalloc = project.patches["noalloc"]
    assert noalloc.low_memory_end is not None and go.low_memory_end == noalloc.low_memory_end
    assert project.variant("upstream").low_memory_end is None
    assert go.overlay_markers == (str(project.patches["go-sbrk"].marker).encode(),)
    # The spec renders the bound into its edits, templates and expectations.
    assert any(str(noalloc.low_memory_end) in rx for rx in noalloc.expectations())
    assert "{{" not in "".join(noalloc.expectations())
    # ... and no Python module restates them.
    sources = {p: p.read_text() for p in (ROOT / "patcher").rglob("*.py") if "corpus" not in p.parts}
    for fact in (str(noalloc.low_memory_end), str(project.patches["go-sbrk"].marker)):
        assert [str(p) for p, text in sources.items() if fact in text] == []
    assert [str(p) for p, text in sources.items() if re.search(r'"--variant", default="', text)] == []


def test_build_recipe_is_what_the_build_does(monkeypatch: pytest.MonkeyPatch) -> None:
    before = build.recipe_hash()
    assert build.recipe_hash() == before  # a pure function of the description, not of build.py's bytes
    monkeypatch.setattr(build, "CARGO_ENV", {**build.CARGO_ENV, "CARGO_PROFILE_RELEASE_LTO": "thin"})
    assert build.recipe_hash() != before
    monkeypatch.undo()
    monkeypatch.setattr(build, "STAMP_VERSION", build.STAMP_VERSION + 1)
    assert build.recipe_hash() != before
    monkeypatch.undo()
    monkeypatch.setattr(build, "FEATURES", {**build.FEATURES, "proxy": ["--features", "proxy,extra"]})
    assert build.recipe_hash() != before
    # The build reads the same description it hashes.
    text = (ROOT / "patcher/adapter/build.py").read_text()
    assert "Path(__file__)" not in text and "CARGO_ENV" in text.split("def _cargo", 1)[1]
