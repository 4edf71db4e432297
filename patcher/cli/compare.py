"""`patcher compare`."""

from __future__ import annotations

import argparse
from pathlib import Path

from patcher.core.errors import UsageError
from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("compare", help="compare two adapters: imports/exports, sizes, bytes")
    p.add_argument("a", type=Path)
    p.add_argument("b", type=Path)
    p.set_defaults(run=_compare)


def _compare(project: Project, args: argparse.Namespace) -> int:
    from patcher.adapter import compare

    for f in (args.a, args.b):
        if not f.is_file():
            raise UsageError(f"{f} not found", hint="pass two adapter .wasm files")
    report, _ = compare.compare(args.a, args.b)
    print(report)
    return 0
