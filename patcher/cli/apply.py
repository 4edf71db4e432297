"""`patcher apply`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from patcher.cli.common import source_args
from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("apply", help="render a variant's patched source tree")
    p.add_argument("--variant", required=True)
    p.add_argument("--out", type=Path, help="write the patched workspace here (default: the cache work dir)")
    p.add_argument("--diff", action="store_true", help="print the unified diff against upstream")
    source_args(p)
    p.set_defaults(run=_apply)


def _apply(project: Project, args: argparse.Namespace) -> int:
    from patcher.patching import apply, patchset

    cfg = project.cfg
    prepared = apply.prepare(cfg, project.variant(args.variant), out=args.out)
    if args.diff:
        sys.stdout.write(patchset.unified_diff(prepared.changes))
    else:
        print(prepared.root)
    return 0
