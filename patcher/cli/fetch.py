"""`patcher fetch`."""

from __future__ import annotations

import argparse

from patcher.cli.common import source_args
from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("fetch", help="fetch the pinned adapter source (verified) into the cache")
    source_args(p)
    p.set_defaults(run=_fetch)


def _fetch(project: Project, args: argparse.Namespace) -> int:
    from patcher.upstream import source

    cfg = project.cfg
    tree = source.fetch(cfg)
    print(f"{tree.ref} {tree.commit} {tree.root}")
    return 0
