"""Prebuilt adapters shipped inside a release wheel, so users need no Rust toolchain.

A bundle is a directory with the adapters and `adapters.toml`, which records, per variant, the
recipe they were built from: the upstream pin, the adapter patches' hashes, the build recipe and
the toolkit version. An adapter is used only when that recipe equals the one this installation
would build, and its sha256 matches; anything else is built from source as usual.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import tomlkit

from patcher import __version__
from patcher.core.config import Config
from patcher.core.fsutil import sha256_file, write_atomic
from patcher.core.kinds import adapter_name
from patcher.patching.patchset import Variant
from patcher.patching.project import Project

MANIFEST = "adapters.toml"


def recipe(project: Project, variant: Variant) -> str:
    """What determines a variant's adapters, computable without the upstream source or a toolchain:
    the pin, the adapter patches, the build recipe (cargo's invocation and post-processing) and
    the toolkit version. Which rustc built them is recorded in the manifest, not compared."""
    from patcher.adapter import build

    pin = project.pin
    parts = [pin.commit, pin.content_sha256, variant.name, build.recipe_hash(), __version__]
    parts += [f"{p.name}={p.sha256()}" for p in variant.patches]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


State = Literal["prebuilt", "recipe differs", "missing", "corrupt"]


@dataclass
class Status:
    variant: str
    kind: str
    state: State
    path: Path | None


def _manifest(cfg: Config) -> dict[str, Any]:
    path = cfg.prebuilt_dir / MANIFEST
    if not path.is_file():
        return {}
    return tomlkit.parse(path.read_text()).unwrap()


def status(project: Project, variant: Variant, kinds: tuple[str, ...] | list[str]) -> list[Status]:
    cfg = project.cfg
    doc = _manifest(cfg).get("variant", {}).get(variant.name)
    out = []
    for kind in kinds:
        entry = (doc or {}).get("adapter", {}).get(kind)
        if not entry:
            out.append(Status(variant.name, kind, "missing", None))
            continue
        path = cfg.prebuilt_dir / entry["file"]
        if doc["recipe"] != recipe(project, variant):
            out.append(Status(variant.name, kind, "recipe differs", path))
        elif not path.is_file() or sha256_file(path) != entry["sha256"]:
            out.append(Status(variant.name, kind, "corrupt", path))
        else:
            out.append(Status(variant.name, kind, "prebuilt", path))
    return out


def find(project: Project, variant: Variant, kinds: tuple[str, ...] | list[str]) -> dict[str, Path] | None:
    """The prebuilt adapters of `variant` for every kind asked, or None."""
    found = status(project, variant, kinds)
    if all(s.state == "prebuilt" for s in found):
        return {s.kind: s.path for s in found if s.path is not None}
    return None


def write_bundle(project: Project, dest: Path, adapters: dict[str, dict[str, Path]]) -> None:
    """Copy {variant: {kind: path}} into `dest` with their manifest."""
    from patcher.adapter import build

    pin = project.pin
    doc = tomlkit.document()
    doc.add(tomlkit.comment("Prebuilt adapters bundled by `python -m patcher release`; see patcher/adapter/prebuilt.py."))
    up = tomlkit.table()
    up.add("tag", pin.tag)
    up.add("commit", pin.commit)
    doc.add("upstream", up)
    doc.add("toolkit_version", __version__)
    variants = tomlkit.table()
    for variant, by_kind in sorted(adapters.items()):
        t = tomlkit.table()
        t.add("recipe", recipe(project, project.variant(variant)))
        t.add("build_recipe", build.recipe_hash())
        kinds = tomlkit.table()
        for kind, path in sorted(by_kind.items()):
            name = f"{variant}/{adapter_name(kind)}"
            (dest / variant).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest / name)
            k = tomlkit.inline_table()
            k.update({"file": name, "sha256": sha256_file(dest / name)})
            kinds.add(kind, k)
        t.add("adapter", kinds)
        variants.add(variant, t)
    doc.add("variant", variants)
    write_atomic(dest / MANIFEST, tomlkit.dumps(doc).encode())
