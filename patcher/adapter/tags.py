"""`tags`: apply and build variants on several upstream refs, so we know which tags the patches survive."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from patcher.adapter import build, verify
from patcher.core import log
from patcher.core.config import Config
from patcher.core.errors import PatcherError
from patcher.patching import apply
from patcher.upstream import source


@dataclass
class TagResult:
    ref: str
    commit: str
    variant: str
    status: str  # built | apply-failed | build-failed
    detail: str = ""


def check(cfg: Config, refs: list[str], variants: list[str], *, kind: str = "reactor", source_arg: str | None = None, out: Path) -> list[TagResult]:
    results = []
    progress = log.Progress(len(refs) * len(variants), "tags")
    for ref in refs:
        for variant in variants:
            commit = ""
            try:
                tree = source.fetch(cfg, source=source_arg, ref=ref, verify=False)
                commit = tree.commit
                try:
                    apply.prepare(cfg, variant, source_arg=source_arg, ref=ref)
                except PatcherError as e:
                    results.append(TagResult(ref, commit, variant, "apply-failed", e.one_line()))
                    continue
                paths = build.build(cfg, variant, (kind,), out=out / ref / variant, source_arg=source_arg, ref=ref)
                problems = verify.problems(paths[0])
                results.append(TagResult(ref, commit, variant, "built" if not problems else "build-failed", "; ".join(problems)))
            except PatcherError as e:
                results.append(TagResult(ref, commit, variant, "build-failed", e.one_line()))
            progress.item(f"{ref} {variant}", results[-1].status if results else "")
    return results


def to_markdown(results: list[TagResult], kind: str) -> str:
    lines = [f"| upstream ref | commit | variant | {kind} adapter |", "|---|---|---|---|"]
    for r in results:
        cell = "✅ applies, builds, verifies" if r.status == "built" else f"❌ {r.status}: {r.detail}"
        lines.append(f"| {r.ref} | {r.commit[:12]} | {r.variant} | {cell} |")
    return "\n".join(lines) + "\n"
