"""The hosts' tool locators: jco from PATCHER_JCO, the project's pinned npm install, or PATH."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from patcher.core import hosttools
from patcher.core.errors import MissingToolError


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("PATCHER_JCO", raising=False)
    hosttools.jco.cache_clear()
    yield
    hosttools.jco.cache_clear()


def _path_with(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *names: str) -> Path:
    """PATH holding only executables named `names` (node is always one: a fake that is never run)."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for n in ("node", *names):
        exe = bindir / n
        exe.write_text("#!/bin/sh\nexit 0\n")
        exe.chmod(0o755)
    monkeypatch.setenv("PATH", str(bindir))
    return bindir


def test_pinned_jco_is_1_35_in_both_package_json_and_lock() -> None:
    pkg = json.loads((hosttools.NODE_PROJECT / "package.json").read_text())
    lock = json.loads((hosttools.NODE_PROJECT / "package-lock.json").read_text())
    assert pkg["dependencies"]["@bytecodealliance/jco"].lstrip("~^").startswith("1.35.")
    assert lock["packages"][""]["dependencies"] == pkg["dependencies"]
    locked = lock["packages"]["node_modules/@bytecodealliance/jco"]
    assert locked["version"].startswith("1.35.") and locked["integrity"].startswith("sha512-")


def test_jco_from_the_pinned_install_in_the_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bindir = _path_with(monkeypatch, tmp_path, "jco")  # the pinned install wins over PATH
    entry = hosttools.jco_prefix(tmp_path / "cache") / hosttools.JCO_ENTRY
    entry.parent.mkdir(parents=True)
    entry.write_text("")
    assert hosttools.jco(tmp_path / "cache") == [str(bindir / "node"), str(entry)]


def test_jco_prefix_is_keyed_by_the_lock_file(tmp_path: Path) -> None:
    a = hosttools.jco_prefix(tmp_path)
    assert a.parent == tmp_path / "tools" and a.name.startswith("jco-")
    assert a == hosttools.jco_prefix(tmp_path)


def test_jco_on_path_when_not_installed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bindir = _path_with(monkeypatch, tmp_path, "jco")
    assert hosttools.jco(tmp_path / "cache") == [str(bindir / "jco")]


def test_patcher_jco_env_js_runs_under_node(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bindir = _path_with(monkeypatch, tmp_path)
    js = tmp_path / "jco.js"
    js.write_text("")
    monkeypatch.setenv("PATCHER_JCO", str(js))
    assert hosttools.jco(tmp_path / "cache") == [str(bindir / "node"), str(js)]


def test_patcher_jco_env_missing_file_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATCHER_JCO", str(tmp_path / "nope"))
    with pytest.raises(MissingToolError, match=r"PATCHER_JCO=.* is not a file") as e:
        hosttools.jco(tmp_path / "cache")
    assert e.value.exit_code == 3 and "unset it" in e.value.one_line()


def test_missing_jco_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _path_with(monkeypatch, tmp_path)
    with pytest.raises(MissingToolError) as e:
        hosttools.jco(tmp_path / "cache")
    assert "patcher hosts --install" in e.value.one_line() and "\n" not in e.value.one_line()


def test_install_without_npm_is_a_missing_tool_and_writes_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _path_with(monkeypatch, tmp_path)
    with pytest.raises(MissingToolError, match="needs npm"):
        hosttools.install_jco(tmp_path / "cache")
    assert not hosttools.jco_prefix(tmp_path / "cache").exists()


def test_install_that_fails_leaves_no_prefix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bindir = _path_with(monkeypatch, tmp_path)
    npm = bindir / "npm"
    npm.write_text("#!/bin/sh\necho 'npm error network ENOTFOUND registry.npmjs.org' >&2\nexit 1\n")
    npm.chmod(0o755)
    with pytest.raises(MissingToolError, match="ENOTFOUND"):
        hosttools.install_jco(tmp_path / "cache")
    tools = tmp_path / "cache" / "tools"
    assert [p.name for p in tools.iterdir() if p.name.startswith(("jco-", ".jco-"))] == []
