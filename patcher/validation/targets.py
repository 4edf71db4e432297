"""The adapter sets a validation runs: official, a directory of adapters, or variants (one place for
`validate` and `release` to assemble them)."""

from __future__ import annotations

from pathlib import Path

from patcher.adapter.adapters import variant_adapters
from patcher.core.errors import PatcherError
from patcher.core.kinds import PROGRAM_KINDS, adapter_name
from patcher.patching.patchset import Variant
from patcher.patching.project import Project
from patcher.upstream import official
from patcher.validation.results import Target


def official_target(project: Project) -> Target | None:
    """The official adapters of the pinned release (None when the pin names no release)."""
    pin = project.pin
    if not pin.official_version:
        return None
    return Target(f"official-{pin.official_version}", {k: official.official_adapter(project.cfg, k) for k in PROGRAM_KINDS})


def dir_target(d: Path) -> Target:
    adapters: dict[str, Path] = {k: d / adapter_name(k) for k in PROGRAM_KINDS}
    missing = [str(p) for p in adapters.values() if not p.is_file()]
    if missing:
        raise PatcherError(f"adapter file {missing[0]} not found", hint=f"--adapter-dir needs {adapter_name('command')} and {adapter_name('reactor')}")
    return Target(d.resolve().name, adapters)


def variant_target(project: Project, v: Variant, *, adapter_dir: Path | None = None, plain: bool = False) -> Target:
    """Variant `v`: its adapters from `adapter_dir` (a release stage) or built/prebuilt, with its
    companion steps unless `plain` (then labelled `<name>-plain`: without them it is another thing)."""
    if adapter_dir is not None:
        adapters: dict[str, Path] = {k: adapter_dir / adapter_name(k) for k in PROGRAM_KINDS}
    else:
        adapters = dict(variant_adapters(project, v))
    if v.companion and not plain:
        return Target(v.name, adapters, pipeline="componentize", variant=v)
    return Target(f"{v.name}-plain" if v.companion else v.name, adapters, pipeline="plain", variant=v)
