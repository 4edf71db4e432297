"""`tags`: apply and build variants on several upstream refs, so we know which tags the patches survive."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from patcher.adapter import build, verify
from patcher.core import log
from patcher.core.config import Config
from patcher.core.errors import PatcherError
from patcher.patching import apply
from patcher.patching.patchset import Variant
from patcher.upstream import source

TagStatus = Literal["built", "apply-failed", "build-failed"]


@dataclass
class TagResult:
    ref: str
    commit: str
    variant: str
    status: TagStatus
    detail: str = ""


def check(cfg: Config, refs: list[str], variants: list[Variant], *, kind: str = "reactor", out: Path) -> list[TagResult]:
    results = []
    progress = log.Progress(len(refs) * len(variants), "tags")
    for ref in refs:
        at = cfg.at_ref(ref)
        for variant in variants:
            commit = ""
            try:
                tree = source.fetch(at, verify=False)
                commit = tree.commit
                try:
                    apply.prepare(at, variant)
                except PatcherError as e:
                    results.append(TagResult(ref, commit, variant.name, "apply-failed", e.one_line()))
                    continue
                paths = build.build(at, variant, (kind,), out=out / ref / variant.name)
                problems = verify.problems(paths[0])
                results.append(TagResult(ref, commit, variant.name, "built" if not problems else "build-failed", "; ".join(problems)))
            except PatcherError as e:
                results.append(TagResult(ref, commit, variant.name, "build-failed", e.one_line()))
            progress.item(f"{ref} {variant.name}", results[-1].status if results else "")
    return results


def to_markdown(results: list[TagResult], kind: str) -> str:
    lines = [f"| upstream ref | commit | variant | {kind} adapter |", "|---|---|---|---|"]
    for r in results:
        cell = "✅ applies, builds, verifies" if r.status == "built" else f"❌ {r.status}: {r.detail}"
        lines.append(f"| {r.ref} | {r.commit[:12]} | {r.variant} | {cell} |")
    return "\n".join(lines) + "\n"
