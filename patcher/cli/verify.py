"""`patcher verify`."""

from __future__ import annotations

import argparse
from pathlib import Path

from patcher.core.errors import UsageError
from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("verify", help="check adapters against upstream's adapter rules")
    p.add_argument("files", nargs="+", type=Path)
    p.set_defaults(run=_verify)


def _verify(project: Project, args: argparse.Namespace) -> int:
    from patcher.adapter import verify

    bad = 0
    for f in args.files:
        if not f.is_file():
            raise UsageError(f"{f} not found", hint="pass adapter .wasm files")
        found = verify.problems(f)
        print(f"{f}: {'ok' if not found else 'FAIL: ' + '; '.join(found)}")
        bad += bool(found)
    return 1 if bad else 0
