"""The adapter sets a validation runs: official, a directory of adapters, or variants (one place for
`validate` and `release` to assemble them)."""

from __future__ import annotations

from pathlib import Path

from patcher.adapter import adapters as adapter_sets
from patcher.core.config import Config
from patcher.core.errors import PatcherError
from patcher.core.kinds import PROGRAM_KINDS, adapter_name
from patcher.patching import patchset
from patcher.upstream import official
from patcher.upstream.pin import Pin
from patcher.validation.results import Target


def official_target(cfg: Config) -> Target | None:
    """The official adapters of the pinned release (None when the pin names no release)."""
    pin = Pin.load(cfg.pin_file)
    if not pin.official_version:
        return None
    return Target(f"official-{pin.official_version}", {k: official.official_adapter(cfg, k) for k in PROGRAM_KINDS})


def dir_target(d: Path) -> Target:
    adapters = {k: d / adapter_name(k) for k in PROGRAM_KINDS}
    missing = [str(p) for p in adapters.values() if not p.is_file()]
    if missing:
        raise PatcherError(f"adapter file {missing[0]} not found", hint=f"--adapter-dir needs {adapter_name('command')} and {adapter_name('reactor')}")
    return Target(d.resolve().name, adapters)


def variant_target(cfg: Config, name: str, *, adapter_dir: Path | None = None, plain: bool = False,
                   source_arg: str | None = None, ref: str | None = None) -> Target:
    """Variant `name`: its adapters from `adapter_dir` (a release stage) or built/prebuilt, with its
    companion steps unless `plain` (then labelled `<name>-plain`: without them it is another thing)."""
    v = patchset.get_variant(cfg, name)
    if adapter_dir is not None:
        adapters = {k: adapter_dir / adapter_name(k) for k in PROGRAM_KINDS}
    else:
        adapters = adapter_sets.variant_adapters(cfg, name, source_arg=source_arg, ref=ref)
    if v.companion and not plain:
        return Target(name, adapters, pipeline="componentize", variant=name)
    return Target(f"{name}-plain" if v.companion else name, adapters, pipeline="plain", variant=name)
