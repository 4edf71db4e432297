"""`patcher release`."""

from __future__ import annotations

import argparse
from pathlib import Path

from patcher.cli.common import source_args
from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("release", help="build every variant and kind, validate, write checksums, manifest and report")
    p.add_argument("--out", type=Path, required=True, help="release directory (replaced atomically)")
    p.add_argument("--allow-failures", action="store_true", help="publish even if the recommended variant fails validation")
    p.add_argument("--variant", action="append", default=[], help="only these variants (default: all)")
    p.add_argument("--validate", action="append", default=[], metavar="VARIANT", help="also validate this variant (the recommended one always is)")
    p.add_argument("--go", action="append", default=[], help="Go toolchain(s) for validation (default: go on PATH)")
    p.add_argument("--go-matrix", action="store_true", help="validate with Go 1.24-1.27")
    p.add_argument("--only", action="append", default=[], metavar="GLOB", help="corpus programs to validate")
    p.add_argument("--corpus", type=Path, help="corpus directory (default: the shipped one)")
    p.add_argument("--jobs", type=int, default=2)
    source_args(p)
    p.set_defaults(run=_release)


def _release(project: Project, args: argparse.Namespace) -> int:
    from patcher.golang import gotool
    from patcher.release import release

    go = list(gotool.GO_MATRIX) if args.go_matrix else (args.go or None)
    out = release.release(project, args.out, allow_failures=args.allow_failures, variants=args.variant or None, go_specs=go, only=args.only or None,
                          corpus_dir=args.corpus, extra_validate=args.validate, jobs=args.jobs)
    print(out)
    return 0
