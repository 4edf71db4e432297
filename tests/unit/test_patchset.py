"""The patch engine on the fake upstream: rendering, idempotence, anchors, variants, diffs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import Project, run_cli

from patcher.core import config
from patcher.core.errors import PatcherError
from patcher.core.fsutil import tree_hash
from patcher.patching import apply, patchset
from patcher.patching.project import Project as PatcherProject  # conftest's Project is the fixture's shape


def write_patch(proj: Path, name: str, spec: str, templates: dict[str, str] | None = None, variants: str | None = None) -> None:
    (proj / "patches" / f"{name}.toml").write_text(textwrap.dedent(spec))
    for rel, text in (templates or {}).items():
        p = proj / "templates" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    if variants:
        with open(proj / "patches" / "variants.toml", "a") as f:
            f.write(textwrap.dedent(variants))


CLOCK_PATCH = """\
    summary = "make clock() return a constant from a template"
    applies = ">=46"

    [[edit]]
    file = "src/lib.rs"
    anchor = "pub fn clock() -> u64 {\\n    0\\n}\\n"
    op = "replace"
    template = "clock/clock.rs.j2"
"""
CLOCK_TEMPLATE = "pub fn clock() -> u64 {\n    {{ upstream.major }} // {{ variant }} on {{ upstream.tag }}, wasi {{ wasi_version }}\n}\n"


@pytest.fixture
def clock_variant(project: Project) -> Project:
    proj, _cfg, env = project
    write_patch(proj, "clock", CLOCK_PATCH, {"clock/clock.rs.j2": CLOCK_TEMPLATE}, '\n[variant.clocked]\nsummary = "clock patch"\npatches = ["clock"]\n')
    return proj, config.load(), env


def test_upstream_variant_is_upstream_plus_generated_workspace(project: Project, tmp_path: Path) -> None:
    _, cfg, _ = project
    out = tmp_path / "out"
    prepared = apply.prepare(cfg, PatcherProject(cfg).variant("upstream"), out=out)
    assert prepared.changes == {}
    lib = (out / "crates/wasi-preview1-component-adapter/src/lib.rs").read_text()
    assert lib == (prepared.tree.adapter_dir / "src/lib.rs").read_text()
    manifest = (out / "Cargo.toml").read_text()
    assert 'members = ["crates/wasi-preview1-component-adapter", "crates/wasi-preview1-component-adapter/byte-array-literals"]' in manifest
    assert "wasip1" in manifest and "byte-array-literals" in manifest and "serde" not in manifest  # only deps the adapter uses
    assert "[profile.release.package.wasi-preview1-component-adapter]" in manifest
    assert not (out / "crates/wasi-preview1-component-adapter/verify").exists()
    assert (out / "Cargo.lock").read_text() == (prepared.tree.root / "Cargo.lock").read_text()


def test_patch_renders_template_and_twice_gives_same_tree(clock_variant: Project, tmp_path: Path) -> None:
    _, cfg, _ = clock_variant
    clocked = PatcherProject(cfg).variant("clocked")
    a = apply.prepare(cfg, clocked, out=tmp_path / "a")
    b = apply.prepare(cfg, clocked, out=tmp_path / "b")
    lib = (a.adapter_dir / "src/lib.rs").read_text()
    assert "48 // clocked on v48.0.0, wasi 0.2.12" in lib
    assert "// patcher:begin clock#1" in lib
    assert tree_hash(a.root) == tree_hash(b.root)
    # re-applying onto an already patched tree changes nothing
    changes = patchset.apply_patches(a.root, [patchset.load_patches(cfg)["clock"]], {"upstream": {"major": 48, "tag": "x"}, "variant": "v", "wasi_version": "0"}, version=(48,), label="t", base="crates/wasi-preview1-component-adapter")
    assert changes == {}
    # the cached upstream tree is never modified
    assert "pub fn clock() -> u64 {\n    0\n}" in (a.tree.adapter_dir / "src/lib.rs").read_text()


def test_diff_shows_only_the_patch(clock_variant: Project) -> None:
    _, _, env = clock_variant
    r = run_cli("apply", "--variant", "clocked", "--diff", env=env)
    assert r.returncode == 0, r.stderr
    assert "--- a/crates/wasi-preview1-component-adapter/src/lib.rs" in r.stdout
    assert "+    48 // clocked on v48.0.0" in r.stdout
    assert "-    0" in r.stdout


def test_missing_anchor_names_patch_file_anchor_and_tag(project: Project, tmp_path: Path) -> None:
    proj, _, env = project
    write_patch(proj, "broken", CLOCK_PATCH.replace("pub fn clock()", "pub fn nope()"), {"clock/clock.rs.j2": CLOCK_TEMPLATE}, '\n[variant.broken]\nsummary = "x"\npatches = ["broken"]\n')
    out = tmp_path / "out"
    r = run_cli("apply", "--variant", "broken", "--out", str(out), env=env)
    assert r.returncode == 2
    line = r.stderr.strip().splitlines()[-1]
    assert "patch broken: anchor not found in crates/wasi-preview1-component-adapter/src/lib.rs for upstream v48.0.0" in line
    assert "pub fn nope()" in line
    assert not out.exists() and not list(tmp_path.glob(".out.*"))


def test_ambiguous_anchor(project: Project, tmp_path: Path) -> None:
    proj, _cfg, _ = project
    spec = CLOCK_PATCH.replace('anchor = "pub fn clock() -> u64 {\\n    0\\n}\\n"', 'anchor = "pub fn twice() {}"').replace('op = "replace"', 'op = "insert-after"')
    write_patch(proj, "amb", spec, {"clock/clock.rs.j2": CLOCK_TEMPLATE}, '\n[variant.amb]\nsummary = "x"\npatches = ["amb"]\n')
    with pytest.raises(PatcherError, match=r"anchor ambiguous \(2 matches\)"):
        cfg = config.load()
        apply.prepare(cfg, PatcherProject(cfg).variant("amb"), out=tmp_path / "o")


def test_patch_for_other_versions_is_refused(project: Project, tmp_path: Path) -> None:
    proj, _, _ = project
    write_patch(proj, "old", CLOCK_PATCH.replace('applies = ">=46"', 'applies = "<40"'), {"clock/clock.rs.j2": CLOCK_TEMPLATE}, '\n[variant.old]\nsummary = "x"\npatches = ["old"]\n')
    with pytest.raises(PatcherError, match=r"does not support upstream v48\.0\.0"):
        cfg = config.load()
        apply.prepare(cfg, PatcherProject(cfg).variant("old"), out=tmp_path / "o")


def test_unknown_variant_lists_known_ones(project: Project) -> None:
    _, _, env = project
    r = run_cli("apply", "--variant", "nope", env=env)
    assert r.returncode == 2
    assert r.stderr.strip() == "patcher: error: unknown variant 'nope' (choose one of: upstream (see `python -m patcher variants`))"


def test_variants_lists_one_line_each(clock_variant: Project) -> None:
    _, _, env = clock_variant
    r = run_cli("variants", env=env)
    assert r.returncode == 0
    lines = r.stdout.strip().splitlines()
    assert [l.split()[0] for l in lines] == ["upstream", "clocked"]


def test_spec_errors(project: Project) -> None:
    proj, _, _ = project
    (proj / "patches" / "bad.toml").write_text('[[edit]]\nfile = "src/lib.rs"\nanchor = "x"\nop = "delete"\ntext = "y"\n')
    with pytest.raises(PatcherError, match=r"edit\[1\]\.op.*'delete' is not one of"):
        patchset.load_patches(config.load())


def test_real_patch_specs_load() -> None:
    """The project's own patches/ and templates/ parse, and every variant names known patches."""
    cfg = config.load()
    patches = patchset.load_patches(cfg)
    variants = patchset.load_variants(cfg, patches)
    assert "upstream" in variants
    for p in patches.values():
        assert p.summary, f"{p.name} needs a summary"


def test_expect_kinds_limit_where_a_patch_must_show(project: Project, tmp_path: Path) -> None:
    """A patch's `expect` regexes are checked only in the adapter kinds it names."""
    from types import SimpleNamespace
    from typing import cast

    from patcher.adapter import build
    from patcher.core import wasm

    proj, _, _ = project
    write_patch(proj, "fs", """\
        summary = "needs a filesystem"
        applies = ">=46"
        expect_kinds = ["command"]
        expect = ['\\(func \\$fd_read ']

        [[edit]]
        file = "src/lib.rs"
        anchor = "pub fn clock() -> u64 {\\n    0\\n}\\n"
        op = "replace"
        text = "pub fn clock() -> u64 { 1 }"
    """, variants='\n[variant.fs]\nsummary = "fs"\npatches = ["fs"]\n')
    cfg = config.load()
    assert patchset.load_patches(cfg)["fs"].expect_kinds == ["command"]
    # check_expectations reads only the tree's variant: a stand-in for a prepared tree.
    prepared = cast(apply.PreparedTree, SimpleNamespace(variant=PatcherProject(cfg).variant("fs")))
    without, with_ = tmp_path / "without.wasm", tmp_path / "with.wasm"
    wasm.wasm_tools("parse", "-", "-o", str(without), input=b"(module (func $other))")
    wasm.wasm_tools("parse", "-", "-o", str(with_), input=b"(module (func $fd_read))")
    build.check_expectations(without, prepared, "proxy")  # not a kind the patch names
    build.check_expectations(with_, prepared, "command")
    with pytest.raises(PatcherError, match=r"patch fs did not take effect in the built adapter"):
        build.check_expectations(without, prepared, "command")
