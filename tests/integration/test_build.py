"""Integration: build adapters from the pinned upstream source and compare with the official ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from needs import private_artifact_cache, source_or_skip

from patcher.adapter import build, compare, verify
from patcher.core import config, wasm
from patcher.core.kinds import ADAPTER_KINDS
from patcher.patching.project import Project
from patcher.upstream import official

pytestmark = [pytest.mark.source, pytest.mark.cargo, pytest.mark.crates]

# The config the upstream adapters were built with, and each kind's adapter.
Built = tuple[config.Config, dict[str, Path]]


@pytest.fixture(scope="module")
def upstream_adapters(tmp_path_factory: pytest.TempPathFactory) -> Built:
    cfg = source_or_skip()
    out = tmp_path_factory.mktemp("upstream")
    paths = build.build(cfg, Project(cfg).variant("upstream"), ADAPTER_KINDS, out=out)
    return cfg, dict(zip(ADAPTER_KINDS, paths, strict=True))


@pytest.mark.parametrize("kind", ADAPTER_KINDS)
def test_upstream_build_matches_official_interface(upstream_adapters: Built, kind: str) -> None:
    cfg, adapters = upstream_adapters
    ours = adapters[kind]
    assert verify.problems(ours) == []
    wasm.validate(ours)
    report, same = compare.compare(official.official_adapter(cfg, kind), ours)
    assert same, report
    assert "imports: A" in report and "identical" in report


def test_stamp_records_variant_and_upstream(upstream_adapters: Built) -> None:
    _, adapters = upstream_adapters
    stamp = wasm.read_stamp(adapters["reactor"])
    assert stamp is not None
    assert stamp["variant"] == "upstream"
    assert stamp["upstream_tag"] == "v48.0.0"
    assert len(stamp["upstream_commit"]) == 40
    assert stamp["patches"] == {}
    names = wasm.custom_sections(adapters["command"].read_bytes())
    assert "name" in names


def test_rebuild_reuses_finished_adapters_and_the_target_dir(upstream_adapters: Built, tmp_path: Path) -> None:
    cfg, adapters = upstream_adapters
    priv = private_artifact_cache(cfg, tmp_path)
    env = {"PATCHER_CACHE_DIR": str(priv.cache_dir)}
    # Without a finished adapter, cargo runs again but std and the dependencies are reused.
    r = run_cli("build", "--variant", "upstream", "--kind", "command", "--out", str(tmp_path / "b"), env=env)
    assert r.returncode == 0, r.stderr
    assert "Compiling core" not in r.stderr and "Compiling wit-bindgen" not in r.stderr
    assert (tmp_path / "b" / "wasi_snapshot_preview1.command.wasm").read_bytes() == adapters["command"].read_bytes()
    # With it, nothing is compiled at all.
    r = run_cli("build", "--variant", "upstream", "--kind", "command", "--out", str(tmp_path / "a"), env=env)
    assert r.returncode == 0, r.stderr
    assert "unchanged, reusing" in r.stderr and "Compiling" not in r.stderr
    assert (tmp_path / "a" / "wasi_snapshot_preview1.command.wasm").read_bytes() == adapters["command"].read_bytes()


def test_compare_cli_shows_equal_interfaces(upstream_adapters: Built) -> None:
    cfg, adapters = upstream_adapters
    r = run_cli("compare", str(official.official_adapter(cfg, "reactor")), str(adapters["reactor"]))
    assert r.returncode == 0
    assert "interface: equal" in r.stdout and "bytes: differ" in r.stdout


def _stack_init(path: Path) -> str:
    import re

    text = wasm.wasm_tools("print", str(path)).decode()
    m = re.search(r"\(global \$__stack_pointer \(;\d+;\) \(mut i32\) i32\.const (\d+)\)", text)
    return m.group(1) if m else "?"


def test_switching_variants_never_reuses_another_trees_build(upstream_adapters: Built, tmp_path: Path) -> None:
    """Work trees share cargo units (same relative layout); each build must still be its own."""
    import shutil

    cfg = private_artifact_cache(upstream_adapters[0], tmp_path)
    project = Project(cfg)
    # go's stack starts at the end of the low memory its noalloc patch claims (patches/noalloc.toml); noleave keeps upstream's.
    for round_ in range(2):
        for variant, expect in (("noleave", "0"), ("go", str(project.variant("go").low_memory_end))):
            shutil.rmtree(cfg.cache_dir / "built", ignore_errors=True)  # force cargo, not the artifact cache (a private one)
            (path,) = build.build(cfg, project.variant(variant), ("command",), out=tmp_path / f"{variant}-{round_}")
            assert _stack_init(path) == expect, (variant, round_)
            assert verify.problems(path) == []


# Our own budget (no issue sets one): the go adapters against the official ones of the pin. It was
# 1.10 until issue 9's pause work (1.17x), then 1.20. The same source builds 0.3-0.4% larger with
# Debian's rustc 1.96 (rustc-web, the no-rustup route) than with rustup's 1.95: on 2026-12-02 the
# go command/reactor adapters were 1.197/1.198 with rustup and 1.201/1.204 with Debian's rustc, so
# the budget is 1.21 to hold on both toolchains. Issue 22's named deaths inside cabi_realloc
# (noleave's stderr check, noalloc's State re-entry trap) took them to 1.212/1.213 with rustup,
# so 1.23 holds both toolchains again; growth beyond that fails.
SIZE_BUDGET = 1.23


@pytest.mark.parametrize("variant", ("go",))
@pytest.mark.parametrize("kind", ("command", "reactor"))
def test_go_adapters_build_within_size_budget(upstream_adapters: Built, tmp_path: Path, kind: str, variant: str) -> None:
    """`go` (noleave + noalloc + fast) proves its patches in the binary (the build checks each patch's `expect`s)
    and stay within the size budget against the official adapter."""
    cfg, _ = upstream_adapters
    (path,) = build.build(cfg, Project(cfg).variant(variant), (kind,), out=tmp_path)
    assert verify.problems(path) == []
    assert path.stat().st_size <= SIZE_BUDGET * official.official_adapter(cfg, kind).stat().st_size
