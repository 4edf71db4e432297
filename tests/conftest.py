"""Shared fixtures: a small fake wasmtime repository, and isolated patcher configs pointing at it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import git
import pytest

from patcher.core import config

ROOT = Path(__file__).resolve().parent.parent

# What the `project` fixture gives: the project directory, its config, and the PATCHER_* variables set.
Project = tuple[Path, config.Config, dict[str, str]]


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip, with the reason, a test whose markers name something this machine lacks; and make
    cargo refuse to run in a test that is not marked `cargo`, so `-m "not cargo"` is true."""
    from needs import REQUIREMENTS

    for name, missing in REQUIREMENTS.items():
        if item.get_closest_marker(name) is not None and (reason := missing()):
            pytest.skip(reason)
    if item.get_closest_marker("cargo") is None:
        os.environ["PATCHER_NO_CARGO"] = "1"
    else:
        os.environ.pop("PATCHER_NO_CARGO", None)

FAKE_ROOT_CARGO = """\
[workspace]
resolver = '2'
members = ["crates/wasi-preview1-component-adapter", "crates/other"]

[workspace.package]
version = "48.0.0"
edition = "2021"
rust-version = "1.70.0"

[workspace.lints.rust]
unused_extern_crates = 'warn'

[workspace.dependencies]
byte-array-literals = { path = "crates/wasi-preview1-component-adapter/byte-array-literals" }
wasip1 = { version = "1.0.0", default-features = false }
serde = "1"

[profile.release.package.wasi-preview1-component-adapter]
opt-level = 's'
"""

FAKE_LIB = """\
// A stand-in for the adapter's lib.rs.
#[link(wasm_import_module = "wasi:cli/environment@0.2.12")]
unsafe extern "C" {}

pub fn clock() -> u64 {
    0
}

pub fn twice() {}
pub fn twice() {}
"""


def _commit_tree(repo: git.Repo, files: dict[str, str], message: str) -> str:
    assert repo.working_tree_dir is not None  # not bare
    work = Path(repo.working_tree_dir)
    for rel, text in files.items():
        p = work / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    repo.index.add(list(files))
    return repo.index.commit(message).hexsha


@pytest.fixture
def fake_upstream(tmp_path: Path) -> Path:
    """A git work tree shaped like wasmtime, with tag v48.0.0 and a later tag v49.0.0."""
    repo = git.Repo.init(tmp_path / "wasmtime")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "test")
        cw.set_value("user", "email", "test@example.com")
        cw.set_value("uploadpack", "allowFilter", "true")
        cw.set_value("uploadpack", "allowAnySHA1InWant", "true")
    files = {
        "Cargo.toml": FAKE_ROOT_CARGO,
        "Cargo.lock": "# lock\nversion = 4\n",
        "crates/wasi-preview1-component-adapter/Cargo.toml": textwrap.dedent("""\
            [package]
            name = "wasi-preview1-component-adapter"
            version.workspace = true
            edition.workspace = true

            [dependencies]
            wasip1 = { workspace = true }
            byte-array-literals = { workspace = true }
            """),
        "crates/wasi-preview1-component-adapter/src/lib.rs": FAKE_LIB,
        "crates/wasi-preview1-component-adapter/byte-array-literals/Cargo.toml": "[package]\nname = \"byte-array-literals\"\nversion.workspace = true\n",
        "crates/wasi-preview1-component-adapter/byte-array-literals/src/lib.rs": "",
        "crates/wasi-preview1-component-adapter/verify/Cargo.toml": "[package]\nname = \"verify\"\n",
        "crates/wasi/src/p2/wit/world.wit": "package wasi:cli@0.2.12;\n",
        "crates/wasi-http/wit/world.wit": "package wasi:http@0.2.12;\n",
        "crates/other/big.bin": "unrelated\n",
    }
    _commit_tree(repo, files, "v48")
    repo.create_tag("v48.0.0", message="v48.0.0")
    _commit_tree(repo, {"crates/wasi-preview1-component-adapter/src/lib.rs": FAKE_LIB.replace("0\n}", "1\n}")}, "v49")
    repo.create_tag("v49.0.0")
    assert repo.working_tree_dir is not None
    return Path(repo.working_tree_dir)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_upstream: Path) -> Project:
    """An isolated patcher config: its own pin, patches, templates and cache; source = the fake repo."""
    proj = tmp_path / "proj"
    (proj / "patches").mkdir(parents=True)
    (proj / "templates").mkdir()
    (proj / "vendor").mkdir()
    (proj / "patches" / "variants.toml").write_text("[variant.upstream]\nsummary = \"no patches\"\npatches = []\n")
    env = {
        "PATCHER_PIN": str(proj / "vendor" / "wasmtime.toml"),
        "PATCHER_PATCHES": str(proj / "patches"),
        "PATCHER_TEMPLATES": str(proj / "templates"),
        "PATCHER_CACHE_DIR": str(tmp_path / "cache"),
        "PATCHER_SOURCE": str(fake_upstream),
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    from patcher.upstream import repin

    cfg = config.load()
    # Write the pin the same way `python -m patcher pin` does (no crates.io lookup for a fake tag).
    monkeypatch.setattr("patcher.upstream.official.index_checksum", lambda version: None)
    repin.repin(cfg, ref="v48.0.0")
    return proj, config.load(), env


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "patcher", *args], capture_output=True, text=True, env=full_env, cwd=cwd or ROOT)


def one_line_error(r: subprocess.CompletedProcess[str], code: int) -> str:
    """The single `patcher: error:` line of a failed run, which must exit with `code` and show no traceback."""
    assert r.returncode == code, (r.returncode, r.stderr[-2000:])
    lines = [l for l in r.stderr.strip().splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("patcher: error: "), r.stderr
    assert "Traceback" not in r.stderr
    return lines[0]


def path_without(*tools: str) -> str:
    """PATH without the directories that hold any of `tools`: a machine where they are not installed."""
    keep = [d for d in os.environ["PATH"].split(os.pathsep) if not any((Path(d) / t).exists() for t in tools)]
    return os.pathsep.join(keep)
