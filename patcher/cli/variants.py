"""`patcher variants`."""

from __future__ import annotations

import argparse

from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("variants", help="list the adapter variants, one line each")
    sub.choices['variants'].set_defaults(run=_variants)


def _variants(project: Project, args: argparse.Namespace) -> int:
    variants = project.variants
    width = max(len(n) for n in variants)
    for v in variants.values():
        tags = []
        if v.recommended:
            tags.append("recommended")
        if v.opt_in:
            tags.append("opt-in")
        if v.companion:
            tags.append("needs componentize: " + ", ".join(v.companion))
        extra = f" [{'; '.join(tags)}]" if tags else ""
        print(f"{v.name:<{width}}  {v.summary}{extra}")
    return 0
