"""The release wheel, installed into a fresh virtualenv outside the checkout on a machine with no
Rust on PATH, turns both examples into running components (its go adapters are prebuilt)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from needs import source_or_skip

from patcher.adapter import adapters as adapter_sets
from patcher.adapter import prebuilt
from patcher.core.kinds import ADAPTER_KINDS
from patcher.patching.project import Project
from patcher.release import wheel

pytestmark = [pytest.mark.wheel, pytest.mark.cargo, pytest.mark.source, pytest.mark.go]


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    cfg = source_or_skip()
    project = Project(cfg)
    adapters = adapter_sets.variant_adapters(project, project.variant("go"), kinds=ADAPTER_KINDS)
    tmp = tmp_path_factory.mktemp("wheel")
    prebuilt.write_bundle(project, tmp / "bundle", {"go": adapters})
    out: list[Path] = []
    for i in range(2):
        (tmp / str(i)).mkdir()
        out.append(wheel.build_wheel(cfg, tmp / "bundle", tmp / str(i)))
    return out


def test_two_builds_are_identical(wheels: list[Path]) -> None:
    a, b = (hashlib.sha256(w.read_bytes()).hexdigest() for w in wheels)
    assert a == b
    assert wheels[0].name == "patcher-0.1.0-py3-none-any.whl"


def _clean_env(tmp: Path, venv: Path) -> dict[str, str]:
    """PATH with the venv and Go only: no cargo, rustc or rustup; a fresh home and cache."""
    tools = tmp / "bin"
    tools.mkdir()
    go = shutil.which("go")
    assert go
    (tools / "go").symlink_to(os.path.realpath(go))
    gocache = subprocess.run([go, "env", "GOCACHE"], capture_output=True, text=True).stdout.strip()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PATCHER_", "CARGO", "RUSTUP", "VIRTUAL_ENV", "PYTHON"))}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{tools}", HOME=str(tmp / "home"), PATCHER_CACHE_DIR=str(tmp / "cache"),
               GOCACHE=gocache, PATCHER_NO_CARGO="1")
    return env


def test_installed_wheel_componentizes_both_examples_without_rust(wheels: list[Path], tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheels[0])],
                         capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr[-2000:]
    env = _clean_env(tmp_path, venv)
    for tool in ("cargo", "rustc", "rustup"):
        assert shutil.which(tool, path=env["PATH"]) is None
    work = tmp_path / "work"
    shutil.copytree(ROOT / "examples", work)

    def patcher(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["patcher", *args], capture_output=True, text=True, env=env, cwd=work)

    r = patcher("componentize", "hello", "-o", "hello.wasm")
    assert r.returncode == 0, r.stderr
    assert "go adapters: prebuilt (command), shipped with patcher" in r.stderr
    r = patcher("run", "hello.wasm", "Gopher")
    assert (r.returncode, r.stdout) == (0, "hello, Gopher, from a Go component\n"), r.stderr
    print(f"pip install of the wheel to a running hello component: {time.monotonic() - started:.1f}s")

    r = patcher("componentize", "greet", "--wit", "greet/greet.wit", "--world", "greeter", "-o", "greet.wasm")
    assert r.returncode == 0, r.stderr
    r = patcher("run", "greet.wasm", "--invoke", "greet", "wheel")
    assert (r.returncode, r.stdout.strip()) == (0, "'Hello, wheel!'"), r.stderr

    r = patcher("doctor")
    adapters = next(l for l in r.stdout.splitlines() if l.split()[1] == "adapters")
    assert adapters.startswith("ok ") and "go: prebuilt reactor, command, proxy" in adapters and "built from source" not in adapters
    # Nothing was written next to the examples but the components asked for, nor into them.
    assert sorted(p.name for p in work.iterdir()) == sorted([*(p.name for p in (ROOT / "examples").iterdir()), "greet.wasm", "hello.wasm"])
    for example in (ROOT / "examples").iterdir():
        assert sorted(p.name for p in (work / example.name).iterdir()) == sorted(p.name for p in example.iterdir())
