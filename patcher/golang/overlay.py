"""Go runtime overlays: render `target = "goroot"` patches from a Go toolchain's own GOROOT.

The result is a `go build -overlay` JSON file plus the patched copies it points at, cached by
(Go version, GOROOT, patch hashes, original file hashes). The GOROOT itself is never modified.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from patcher.core.errors import PatcherError
from patcher.core.fsutil import atomic_dir, ensure_cache_dir, sha256_file
from patcher.golang.gotool import GoToolchain
from patcher.patching import patchset, versions
from patcher.patching.patchset import Patch


def render(cache_dir: Path, go: GoToolchain, patches: Sequence[Patch]) -> Path:
    """The overlay JSON for `patches` (all `target = "goroot"`) rendered from `go`'s GOROOT."""
    for p in patches:
        if p.target != "goroot":
            raise PatcherError(f"patch {p.name} targets {p.target}, not the Go runtime")
    created = {e.file for p in patches for e in p.edits if e.op == "create"}
    files = sorted({e.file for p in patches for e in p.edits} - created)
    src = go.goroot / "src"
    key = hashlib.sha256()
    key.update(f"{go.version}\0{go.goroot}\0".encode())
    for p in patches:
        key.update(p.sha256().encode())
    for f in files:  # created files have no original
        if not (src / f).is_file():
            raise PatcherError(f"Go {go.version} has no src/{f}", hint="this Go version is not supported by the runtime overlay")
        key.update(f.encode() + sha256_file(src / f).encode())
    final = ensure_cache_dir(cache_dir) / "overlays" / key.hexdigest()[:24]
    if (final / "overlay.json").is_file():
        return final / "overlay.json"
    patchset.check_requires(patches, src, label=f"Go {go.version}")
    with tempfile.TemporaryDirectory(prefix="patcher-overlay-") as t:
        staging = Path(t)
        for f in files:
            (staging / "src" / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src / f, staging / "src" / f)
        patchset.apply_patches(staging, patches, {"go": {"version": go.version, "goroot": str(go.goroot)}},
                               version=versions.parse_version(go.version), label=f"Go {go.version}", base="src")
        with atomic_dir(final) as tmp:
            shutil.copytree(staging / "src", tmp / "src")
            replace = {str(src / f): str(final / "src" / f) for f in (*files, *sorted(created))}
            (tmp / "overlay.json").write_text(json.dumps({"Replace": replace}, indent=1) + "\n")
    return final / "overlay.json"
