"""`patcher build`."""

from __future__ import annotations

import argparse
from pathlib import Path

from patcher.cli.common import KINDS, source_args
from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("build", help="build, verify and stamp a variant's adapters with cargo")
    p.add_argument("--variant", required=True)
    p.add_argument("--kind", default="all", choices=(*KINDS, "all"))
    p.add_argument("--out", type=Path, default=Path("dist"), help="output directory (default: dist)")
    source_args(p)
    p.set_defaults(run=_build)


def _build(project: Project, args: argparse.Namespace) -> int:
    from patcher.adapter import build

    cfg = project.cfg
    kinds = KINDS if args.kind == "all" else (args.kind,)
    for path in build.build(cfg, project.variant(args.variant), kinds, out=args.out):
        print(path)
    return 0
