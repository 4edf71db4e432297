"""`patcher tags`."""

from __future__ import annotations

import argparse
from pathlib import Path

from patcher.cli.common import KINDS
from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("tags", help="apply and build variants on several upstream refs (which tags do the patches survive?)")
    p.add_argument("--ref", dest="refs", action="append", required=True, help="upstream tag or commit (repeatable)")
    p.add_argument("--variant", action="append", default=[], help="variants (default: all with adapter patches)")
    p.add_argument("--kind", default="reactor", choices=KINDS)
    p.add_argument("--out", type=Path, default=Path("build/tags"))
    p.add_argument("--markdown", type=Path, help="write the table here")
    p.add_argument("--source", help="wasmtime git URL or local git directory")
    p.set_defaults(run=_tags)


def _tags(project: Project, args: argparse.Namespace) -> int:
    from patcher.adapter import tags
    from patcher.validation import report

    cfg = project.cfg
    chosen = [project.variant(n) for n in args.variant] if args.variant else [v for v in project.variants.values() if v.patches]
    results = tags.check(cfg, args.refs, chosen, kind=args.kind, out=args.out)
    table = tags.to_markdown(results, args.kind)
    if args.markdown:
        report.write(args.markdown, table)
    print(table, end="")
    return 0 if all(r.status == "built" for r in results) else 1
