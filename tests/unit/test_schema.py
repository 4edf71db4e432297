"""Spec files are checked against their schemas: a typo is a one-line error naming the file and the key."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, Project, run_cli

from patcher.core import config
from patcher.core.errors import PatcherError
from patcher.patching import patchset
from patcher.validation import corpus


def _one_error_line(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 2, r.stderr  # bad input (README, exit codes)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


def test_shipped_specs_pass_their_schemas() -> None:
    cfg = config.load()
    patches = patchset.load_patches(cfg)
    assert set(patchset.load_variants(cfg, patches)) >= {"go", "upstream"}
    assert len(patches) >= 5
    assert len(corpus.load(cfg.corpus_dir)) >= 30


def test_unknown_patch_key_is_named(project: Project) -> None:
    proj, _, env = project
    (proj / "patches" / "p.toml").write_text('summary = "x"\nexpct = ["a"]\n[[edit]]\nfile = "f"\nanchor = "a"\nop = "replace"\ntext = "b"\n')
    line = _one_error_line(run_cli("variants", env=env))
    assert "patch spec" in line and "p.toml" in line and "unknown key 'expct'" in line and "expect" in line


def test_wrong_type_in_an_edit_is_named(project: Project) -> None:
    proj, _, env = project
    (proj / "patches" / "p.toml").write_text('summary = "x"\n[[edit]]\nfile = "f"\nanchor = "a"\nop = "swap"\ntext = "b"\n')
    line = _one_error_line(run_cli("variants", env=env))
    assert "p.toml" in line and "edit[1].op" in line and "'swap'" in line


def test_unknown_variant_key_is_named(project: Project) -> None:
    proj, _, env = project
    (proj / "patches" / "variants.toml").write_text('[variant.upstream]\nsummary = "s"\npatches = []\nrecomended = true\n')
    line = _one_error_line(run_cli("variants", env=env))
    assert "variants.toml" in line and "unknown key 'variant.upstream.recomended'" in line


def test_unknown_case_key_is_named(tmp_path: Path) -> None:
    prog = tmp_path / "corpus" / "cmd-x"
    shutil.copytree(ROOT / "patcher" / "corpus" / "cmd-hello", prog)
    with (prog / "case.toml").open("a") as f:
        f.write('stdot = "expected.txt"\n')
    with pytest.raises(PatcherError, match=r"corpus program .*cmd-x/case.toml: unknown key 'stdot'"):
        corpus.load(tmp_path / "corpus")
    r = run_cli("validate", "--corpus", str(tmp_path / "corpus"), "--official")
    assert r.returncode == 2 and "unknown key 'stdot'" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_wrong_type_in_a_call_is_named(tmp_path: Path) -> None:
    prog = tmp_path / "corpus" / "reactor-x"
    shutil.copytree(ROOT / "patcher" / "corpus" / "reactor-scalars", prog)
    text = (prog / "case.toml").read_text().replace("[[call]]\nfunc = \"add\"", "[[call]]\nfunc = \"add\"\nrepeat = \"twice\"", 1)
    (prog / "case.toml").write_text(text)
    with pytest.raises(PatcherError, match=r"key 'call\[1\]\.repeat': 'twice' is not of type 'integer'"):
        corpus.load(tmp_path / "corpus")


def test_glue_and_shared_sources_are_assembled_into_one_program() -> None:
    """Corpus glue is written once (_glue/, _shared/) and copied into each program that lists it."""
    cases = {c.name: c for c in corpus.load(config.load().corpus_dir)}
    naive, pinned = cases["reactor-kv-naive"], cases["reactor-kv-pinned"]
    corpus_dir = config.load().corpus_dir
    assert naive.dir.name.startswith("reactor-kv-naive-") and naive.dir.parent != corpus_dir  # assembled, not the case directory
    assert {p.name for p in naive.dir.iterdir()} >= {"main.go", "world.wit", "go.mod", "glue_abi.go", "glue_realloc_naive.go", "glue_alloc.go"}
    assert (naive.dir / "main.go").read_bytes() == (pinned.dir / "main.go").read_bytes()
    assert "glue_realloc_pinned.go" in {p.name for p in pinned.dir.iterdir()}
    assert naive.source_hash() != pinned.source_hash()  # different glue, different build
    assert naive.wit == naive.dir / "world.wit"


def test_unknown_glue_is_named(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(ROOT / "patcher" / "corpus" / "_glue", root / "_glue")
    prog = root / "reactor-x"
    shutil.copytree(ROOT / "patcher" / "corpus" / "reactor-scalars", prog)
    (prog / "case.toml").write_text((prog / "case.toml").read_text().replace('kind = "reactor"', 'kind = "reactor"\nglue = ["realloc-fancy"]'))
    with pytest.raises(PatcherError, match=r"reactor-x: glue 'realloc-fancy' not found") as e:
        corpus.load(root)
    assert "glue files: abi, alloc, realloc-naive, realloc-pinned" in e.value.one_line()
