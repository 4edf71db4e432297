"""`release`: reproducible checksums, a parseable manifest, and atomic refusal on failure."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from conftest import run_cli
from needs import source_or_skip

from patcher.core import config

pytestmark = [pytest.mark.source, pytest.mark.cargo, pytest.mark.go, pytest.mark.crates]
ARGS = ["--variant", "go", "--variant", "upstream", "--only", "cmd-hello", "--only", "reactor-gc-realloc-naive"]


@pytest.fixture(scope="module")
def first_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source_or_skip()
    out = tmp_path_factory.mktemp("rel") / "release"
    r = run_cli("release", "--out", str(out), *ARGS)
    assert r.returncode == 0, r.stderr[-3000:]
    return out


def test_manifest_lists_every_artifact(first_release: Path) -> None:
    manifest = tomllib.loads((first_release / "manifest.toml").read_text())
    assert manifest["upstream"]["tag"] == "v48.0.0" and len(manifest["upstream"]["commit"]) == 40
    assert manifest["recommended"] == "go"
    for key in ("patcher", "rustc", "cargo", "wasm_tools", "go"):
        assert manifest["toolchain"][key]
    arts = {(a["variant"], a["kind"]): a for a in manifest["artifact"]}
    assert set(arts) == {(v, k) for v in ("go", "upstream") for k in ("reactor", "command", "proxy")}
    for a in arts.values():
        assert (first_release / a["path"]).stat().st_size == a["size"]
    assert set(arts[("go", "reactor")]["patches"]) == {"noleave", "noalloc", "fast", "go-sbrk"}
    assert manifest["validation"]["go"]["pass"] >= 2 and manifest["validation"]["go"]["fail"] == 0
    sums = (first_release / "SHA256SUMS").read_text()
    assert len(sums.splitlines()) == 7 and all(a["sha256"] in sums for a in arts.values())
    wheel = manifest["wheel"]
    assert wheel["path"] == "wheel/patcher-0.1.0-py3-none-any.whl" and f"{wheel['sha256']}  {wheel['path']}" in sums
    assert wheel["prebuilt"]["variant"] == "go" and wheel["prebuilt"]["kinds"] == ["reactor", "command", "proxy"]
    import zipfile

    with zipfile.ZipFile(first_release / wheel["path"]) as z:
        names = set(z.namelist())
        bundled = tomllib.loads(z.read("patcher/_data/adapters/adapters.toml").decode())
        for kind in ("reactor", "command", "proxy"):
            entry = bundled["variant"]["go"]["adapter"][kind]
            assert f"patcher/_data/adapters/{entry['file']}" in names
            assert entry["sha256"] == arts[("go", kind)]["sha256"]  # the very adapters of this release
    assert {"patcher/_data/vendor/wasmtime.toml", "patcher/_data/patches/variants.toml"} <= names
    assert (first_release / "report.md").read_text().startswith("# patcher")


def test_second_release_has_identical_checksums(first_release: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    r = run_cli("release", "--out", str(out), *ARGS)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (out / "SHA256SUMS").read_bytes() == (first_release / "SHA256SUMS").read_bytes()


def test_failed_validation_leaves_previous_release_untouched(first_release: Path, tmp_path: Path) -> None:
    out = tmp_path / "release"
    shutil.copytree(first_release, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    corpus = tmp_path / "corpus"
    shutil.copytree(config.load().corpus_dir / "cmd-hello", corpus / "cmd-hello")
    (corpus / "cmd-hello" / "expected.stdout").write_text("not what the program prints\n")
    r = run_cli("release", "--out", str(out), "--variant", "go", "--corpus", str(corpus))
    assert r.returncode == 1
    assert "not publishing: the recommended variant go fails 1 program(s)" in r.stderr
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".release")]
    # --allow-failures publishes anyway
    r = run_cli("release", "--out", str(out), "--variant", "go", "--corpus", str(corpus), "--allow-failures")
    assert r.returncode == 0, r.stderr[-2000:]
    assert tomllib.loads((out / "manifest.toml").read_text())["validation"]["go"]["fail"] == 1
