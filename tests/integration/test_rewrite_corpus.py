"""The binary main-module rewrite against the text rewrite it replaced, on every corpus reactor
built as `componentize` builds it (go variant overlay, generated bindings): the same module up to
the one function the binary edit moves (`wasm-tools print` of both), or nothing to do for both.
What the rewritten components do is the corpus validation's job (`patcher validate --variant go`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import text_rewrite
from needs import missing_go

from patcher.component import pipeline, recipe, rewrite
from patcher.core import config, wasm
from patcher.golang import gotool
from patcher.patching.project import Project
from patcher.validation import corpus


def _one_per_glue_shape() -> list[str]:
    """The first reactor of each cabi_realloc style, and every one with build flags of its own
    (`//go:linkname` glue): the edit depends on the glue's shape, not on what a program computes.
    Each case costs a Go build plus the old text rewrite (minutes for the whole corpus on 2 cores);
    all 18 reactors matched when the binary edit landed."""
    seen: set[str | None] = set()
    names = []
    for c in corpus.load(config.load().corpus_dir):
        if c.kind == "reactor" and (c.realloc not in seen or c.build_flags):
            seen.add(c.realloc)
            names.append(c.name)
    return names


REACTORS = _one_per_glue_shape()


@pytest.fixture(scope="module")
def go_recipe() -> tuple[Project, recipe.Recipe]:
    if (why := missing_go()) is not None:
        pytest.skip(why)
    project = Project(config.load())
    go = gotool.resolve("go", project.cfg.cache_dir)
    variant = project.variant("go")
    # Only the Go build is needed: the adapter is never used here.
    return project, recipe.Recipe(kind="reactor", go=go, adapter=Path(os.devnull), variant=variant, overlay=recipe.overlay_for(project, variant, go))


@pytest.mark.go
@pytest.mark.parametrize("name", REACTORS)
def test_binary_rewrite_is_the_text_rewrite(name: str, go_recipe: tuple[Project, recipe.Recipe]) -> None:
    project, r = go_recipe
    (case,) = corpus.load(project.cfg.corpus_dir, [name])
    pkg = pipeline.GoPackage(dir=case.dir, label=case.name, build_flags=case.build_flags, wit=case.wit if case.bindgen else None,
                             world=case.world if case.bindgen else None, create_bindings=True)
    data = pipeline.build_core(project, r, pkg).read_bytes()
    oracle = text_rewrite.oracle()
    old = oracle.rewrite_module(data)
    chunks = rewrite.wrap(data)
    if old is None:
        assert chunks is None
        return
    assert chunks is not None
    new = b"".join(chunks)
    wasm.wasm_tools("validate", "-", input=new)
    assert oracle.difference(old, new) is None
