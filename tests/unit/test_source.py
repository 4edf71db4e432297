"""fetch/pin against a fake upstream repository: caching, verification, errors."""

from __future__ import annotations

from pathlib import Path

import git
import pytest
import tomlkit
from conftest import Project, run_cli

from patcher.core import config
from patcher.core.errors import PatcherError
from patcher.upstream import source
from patcher.upstream.pin import Pin


def test_pin_records_commit_paths_and_hash(project: Project, fake_upstream: Path) -> None:
    _proj, cfg, _ = project
    pin = Pin.load(cfg.pin_file)
    repo = git.Repo(fake_upstream)
    assert pin.tag == "v48.0.0"
    assert pin.commit == repo.commit("v48.0.0").hexsha
    assert "crates/wasi-preview1-component-adapter" in pin.paths
    assert len(pin.content_sha256) == 64


def test_fetch_reads_only_pinned_paths_and_second_fetch_is_noop(project: Project, tmp_path: Path) -> None:
    _proj, cfg, _env = project
    cfg = config.load(cache_dir=tmp_path / "fresh-cache")
    tree = source.fetch(cfg)
    assert (tree.root / "crates/wasi-preview1-component-adapter/src/lib.rs").is_file()
    assert not (tree.root / "crates/other").exists()  # unrelated paths are never read
    assert (cfg.cache_dir / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    marker = tree.root / source.MARKER
    before = marker.stat().st_mtime_ns
    again = source.fetch(cfg)
    assert again.root == tree.root and marker.stat().st_mtime_ns == before


def test_fetch_other_ref_is_cached_by_commit(project: Project, fake_upstream: Path) -> None:
    _, cfg, _ = project
    t48 = source.fetch(cfg)
    t49 = source.fetch(cfg.at_ref("v49.0.0"), verify=False)
    assert t48.commit != t49.commit and t48.root != t49.root
    assert "1\n}" in (t49.adapter_dir / "src/lib.rs").read_text()


def test_hash_mismatch_is_an_error_and_caches_nothing(project: Project, tmp_path: Path) -> None:
    _proj, cfg, env = project
    doc = tomlkit.parse(cfg.pin_file.read_text())
    doc["upstream"]["content_sha256"] = "0" * 64
    cfg.pin_file.write_text(tomlkit.dumps(doc))
    fresh = tmp_path / "cache-mismatch"
    r = run_cli("--cache-dir", str(fresh), "fetch", env=env)
    assert r.returncode != 0
    assert r.stderr.strip().splitlines()[-1].startswith("patcher: error: content hash of v48.0.0")
    assert not any((fresh / "sources").glob("*")) if (fresh / "sources").exists() else True


def test_commit_mismatch_is_an_error(project: Project) -> None:
    _proj, cfg, _env = project
    doc = tomlkit.parse(cfg.pin_file.read_text())
    doc["upstream"]["commit"] = "f" * 40
    cfg.pin_file.write_text(tomlkit.dumps(doc))
    with pytest.raises(PatcherError, match="but the pin says ffffffffffff"):
        source.fetch(config.load())


@pytest.mark.parametrize("bad,expect", [("/nonexistent/wasmtime", "does not exist"), ("/", "is not a git repository")])
def test_bad_source_path_is_one_line_error(project: Project, bad: str, expect: str) -> None:
    _, _, env = project
    r = run_cli("fetch", "--source", bad, env=env)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and expect in lines[0]


def test_unknown_ref(project: Project) -> None:
    _, _, env = project
    r = run_cli("fetch", "--ref", "v1.2.3", env=env)
    assert r.returncode == 2 and "ref v1.2.3 not found" in r.stderr


def test_fetch_from_url_uses_partial_clone(project: Project, fake_upstream: Path, tmp_path: Path) -> None:
    _, _, _env = project
    cfg = config.load(cache_dir=tmp_path / "url-cache", source=f"file://{fake_upstream}")
    assert cfg.source == f"file://{fake_upstream}"  # the flag's layer is above PATCHER_SOURCE
    tree = source.fetch(cfg)
    assert (tree.adapter_dir / "Cargo.toml").is_file()
    assert tree.commit == Pin.load(cfg.pin_file).commit


def test_missing_pin_file_is_one_line_error(project: Project, tmp_path: Path) -> None:
    _, _, env = project
    r = run_cli("fetch", env={**env, "PATCHER_PIN": str(tmp_path / "nope.toml")})
    assert r.returncode == 2 and "pin file" in r.stderr and "not found" in r.stderr


def test_tar_extraction_without_the_data_filter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Python < 3.11.4 (Debian 12 ships 3.11.2) has no tarfile data filter: the fallback extracts
    files and refuses members that would land outside the destination."""
    import io
    import tarfile

    from patcher.core.fsutil import extract_tar

    monkeypatch.delattr(tarfile, "data_filter", raising=False)

    def tar_of(*names: str) -> tarfile.TarFile:
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as t:
            for n in names:
                info = tarfile.TarInfo(n)
                info.size = 2
                t.addfile(info, io.BytesIO(b"ok"))
        buf.seek(0)
        return tarfile.open(fileobj=buf)

    extract_tar(tar_of("crates/a/lib.rs"), tmp_path / "out")
    assert (tmp_path / "out/crates/a/lib.rs").read_text() == "ok"
    with pytest.raises(ValueError, match=r"refusing tar member '\.\./escape'"):
        extract_tar(tar_of("../escape"), tmp_path / "out")
    assert not (tmp_path / "escape").exists()
