"""`apply`: the upstream adapter sources, cut into a standalone workspace, with a variant's patches applied."""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit

from patcher import __version__
from patcher.core import log
from patcher.core.config import Config
from patcher.core.fsutil import atomic_dir, ensure_cache_dir, sync_tree, write_atomic
from patcher.patching import patchset, versions, workspace
from patcher.upstream import source

STAMP = ".patcher-variant.toml"


@dataclass
class PreparedTree:
    root: Path
    variant: patchset.Variant
    tree: source.SourceTree
    upstream_version: str
    patch_hashes: dict[str, str]
    changes: dict[str, tuple[str, str]]

    @property
    def adapter_dir(self) -> Path:
        return self.root / workspace.ADAPTER


def upstream_context(ws_root: Path, tree: source.SourceTree) -> tuple[str, dict[str, Any]]:
    manifest = tomlkit.parse((ws_root / "Cargo.toml").read_text())
    version = str(manifest["workspace"]["package"]["version"])
    lib = (ws_root / workspace.ADAPTER / "src" / "lib.rs").read_text()
    m = re.search(r"wasi:cli/[a-z-]+@(\d+\.\d+\.\d+)", lib)
    ctx = {
        "upstream": {"tag": tree.ref, "commit": tree.commit, "version": version, "major": versions.parse_version(version)[0]},
        "wasi_version": m.group(1) if m else "0.2.0",
        "toolkit_version": __version__,
    }
    return version, ctx


def _render(variant: patchset.Variant, tree: source.SourceTree, dest: Path) -> tuple[str, dict[str, str], dict[str, Any]]:
    workspace.materialize(tree, dest)
    version, ctx = upstream_context(dest, tree)
    adapter_patches = list(variant.patches)
    patchset.check_requires(adapter_patches, dest / workspace.ADAPTER, label=f"upstream {tree.ref}")
    changes = patchset.apply_patches(
        dest, adapter_patches, {**ctx, "variant": variant.name, "patches": variant.patch_names},
        version=versions.parse_version(version), label=f"upstream {tree.ref}", base=workspace.ADAPTER,
    )
    hashes = variant.patch_hashes()
    stamp = tomlkit.document()
    stamp.add("variant", variant.name)
    stamp.add("upstream_tag", tree.ref)
    stamp.add("upstream_commit", tree.commit)
    stamp.add("upstream_version", version)
    stamp.add("toolkit_version", __version__)
    stamp.add("patches", hashes)
    write_atomic(dest / STAMP, tomlkit.dumps(stamp).encode())
    return version, hashes, changes


def prepare(cfg: Config, variant: patchset.Variant, *, out: Path | None = None) -> PreparedTree:
    """Render `variant` on `cfg`'s upstream source and ref into `out` (atomically), or into its
    cache work dir (synced, keeping mtimes)."""
    tree = source.fetch(cfg)
    staging = Path(tempfile.mkdtemp(prefix="patcher-apply-"))
    try:
        version, hashes, changes = _render(variant, tree, staging)
        if out is None:
            out = ensure_cache_dir(cfg.cache_dir) / "work" / f"{variant.name}-{tree.commit[:12]}"
            n = sync_tree(staging, out)
            log.info(f"variant {variant.name} on {tree.ref}: {len(changes)} file(s) patched, {n} file(s) updated in {out}")
        else:
            with atomic_dir(out) as tmp:
                shutil.copytree(staging, tmp, dirs_exist_ok=True)
            log.info(f"variant {variant.name} on {tree.ref}: {len(changes)} file(s) patched, written to {out}")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return PreparedTree(root=out, variant=variant, tree=tree, upstream_version=version, patch_hashes=hashes, changes=changes)
