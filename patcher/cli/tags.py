"""`patcher tags`."""

from __future__ import annotations

import argparse
from pathlib import Path

from patcher.cli.common import KINDS
from patcher.core.config import Config


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("tags", help="apply and build variants on several upstream refs (which tags do the patches survive?)")
    p.add_argument("--ref", action="append", required=True, help="upstream tag or commit (repeatable)")
    p.add_argument("--variant", action="append", default=[], help="variants (default: all with adapter patches)")
    p.add_argument("--kind", default="reactor", choices=KINDS)
    p.add_argument("--out", type=Path, default=Path("build/tags"))
    p.add_argument("--markdown", type=Path, help="write the table here")
    p.add_argument("--source", help="wasmtime git URL or local git directory")
    p.set_defaults(run=_tags)


def _tags(cfg: Config, args: argparse.Namespace) -> int:
    from patcher.adapter import tags
    from patcher.patching import patchset
    from patcher.validation import report

    names = args.variant or [v.name for v in patchset.load_variants(cfg).values() if v.patches]
    results = tags.check(cfg, args.ref, names, kind=args.kind, source_arg=args.source, out=args.out)
    table = tags.to_markdown(results, args.kind)
    if args.markdown:
        report.write(args.markdown, table)
    print(table, end="")
    return 0 if all(r.status == "built" for r in results) else 1
