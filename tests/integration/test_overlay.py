"""Go runtime overlay rendering from a GOROOT (the real one, and a fake one with moved code)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from patcher.core import config
from patcher.core.errors import PatcherError
from patcher.golang import gotool, overlay
from patcher.golang.gotool import GoToolchain
from patcher.patching.project import Project


@pytest.mark.go
def test_renders_overlay_from_the_machine_goroot(tmp_path: Path) -> None:
    cfg = config.load(cache_dir=tmp_path / "cache")
    go = gotool.resolve("go", cfg.cache_dir)
    path = overlay.render(cfg.cache_dir, go, [Project(cfg).patches["go-sbrk"]])
    replace = json.loads(path.read_text())["Replace"]
    assert set(replace) == {str(go.goroot / "src/runtime" / f) for f in ("mem_wasm.go", "mem_sbrk.go", "os_wasm.go")}
    mem = Path(replace[str(go.goroot / "src/runtime/mem_wasm.go")]).read_text()
    assert "func sbrkSkipForeign()" in mem and "\t\tsbrkSkipForeign()\n" in mem
    osw = Path(replace[str(go.goroot / "src/runtime/os_wasm.go")]).read_text()
    assert "blocMax = wasmInitialBlocMax()" in osw
    # cached: a second render returns the same file without rewriting it
    mtime = path.stat().st_mtime_ns
    assert overlay.render(cfg.cache_dir, go, [Project(cfg).patches["go-sbrk"]]) == path and path.stat().st_mtime_ns == mtime
    # the GOROOT itself is untouched
    assert "sbrkSkipForeign" not in (go.goroot / "src/runtime/mem_wasm.go").read_text()


def _fake_goroot(tmp_path: Path, real: Path) -> Path:
    root = tmp_path / "goroot"
    for rel in ("src/runtime/mem_wasm.go", "src/runtime/mem_sbrk.go", "src/runtime/os_wasm.go", "src/cmd/link/internal/wasm/asm.go"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(real / rel, root / rel)
    return root


@pytest.mark.go  # a fake GOROOT copied from the real one
def test_anchor_moved_in_a_future_go_is_a_clear_error(tmp_path: Path) -> None:
    cfg = config.load(cache_dir=tmp_path / "cache")
    real = gotool.resolve("go", cfg.cache_dir)
    root = _fake_goroot(tmp_path, real.goroot)
    p = root / "src/runtime/mem_wasm.go"
    p.write_text(p.read_text().replace("\tbl := bloc\n", "\tbrk := bloc\n"))
    fake = GoToolchain(exe=real.exe, goroot=root, version="1.99.0")
    with pytest.raises(PatcherError, match=r"patch go-sbrk: anchor not found in src/runtime/mem_wasm.go for Go 1.99.0"):
        overlay.render(cfg.cache_dir, fake, [Project(cfg).patches["go-sbrk"]])


@pytest.mark.go  # a fake GOROOT copied from the real one
def test_changed_linker_formula_is_refused(tmp_path: Path) -> None:
    cfg = config.load(cache_dir=tmp_path / "cache")
    real = gotool.resolve("go", cfg.cache_dir)
    root = _fake_goroot(tmp_path, real.goroot)
    p = root / "src/cmd/link/internal/wasm/asm.go"
    p.write_text(p.read_text().replace("dataEnd + 1<<20", "dataEnd + 2<<20"))
    fake = GoToolchain(exe=real.exe, goroot=root, version="1.99.0")
    with pytest.raises(PatcherError, match="no longer contains"):
        overlay.render(cfg.cache_dir, fake, [Project(cfg).patches["go-sbrk"]])
