"""`patcher fetch`."""

from __future__ import annotations

import argparse

from patcher.cli.common import source_args
from patcher.core.config import Config


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("fetch", help="fetch the pinned adapter source (verified) into the cache")
    source_args(p)
    p.set_defaults(run=_fetch)


def _fetch(cfg: Config, args: argparse.Namespace) -> int:
    from patcher.upstream import source

    tree = source.fetch(cfg, source=args.source, ref=args.ref)
    print(f"{tree.ref} {tree.commit} {tree.root}")
    return 0
