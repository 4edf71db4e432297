"""Companion steps a variant needs besides the adapter, and the one-command `componentize`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from patcher.config import Config
from patcher.gotool import GoToolchain


@dataclass
class CompanionPlan:
    go_flags: tuple[str, ...] = ()
    overlay: Path | None = None
    new_flags: tuple[str, ...] = ()
    rewrite: Callable[[Path, Path], Path] | None = None
    steps: list[str] = field(default_factory=list)


def companion_plan(cfg: Config, variant: str | None, *, go: GoToolchain, kind: str, realloc: str | None) -> CompanionPlan:
    """What to do besides `component new --adapt` for `variant` (None: nothing, the plain pipeline)."""
    if variant is None:
        return CompanionPlan()
    from patcher import patchset

    v = patchset.get_variant(cfg, variant)
    plan = CompanionPlan()
    for step in v.companion:
        raise NotImplementedError(step)
    return plan
