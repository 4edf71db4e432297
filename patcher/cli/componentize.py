"""`patcher componentize`."""

from __future__ import annotations

import argparse
from pathlib import Path

from patcher.cli.common import source_args
from patcher.core.kinds import PROGRAM_KINDS
from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("componentize", help="Go package -> WASI P2 component in one command (with the variant's companion steps)")
    p.add_argument("package", type=Path, help="directory of the Go main package")
    p.add_argument("-o", "--output", type=Path, required=True, help="component to write")
    p.add_argument("--wit", type=Path, help="WIT file or directory (reactors with exports)")
    p.add_argument("--world", help="world in --wit")
    p.add_argument("--kind", choices=PROGRAM_KINDS, help="default: reactor when --wit is given, else command")
    p.add_argument("--variant", help="adapter variant (default: the recommended one, see `patcher variants`)")
    p.add_argument("--adapt", type=Path, help="use this adapter file instead of building the variant's")
    p.add_argument("--go", default="go", help="Go toolchain: 'go', a version (1.24..1.27) or a path (default: go on PATH)")
    p.add_argument("--build-flag", action="append", default=[], help="extra `go build` flag (repeatable), e.g. -ldflags=-checklinkname=0")
    p.add_argument("--preinit", action="store_true",
                   help="reactors: snapshot after the Go runtime and package init ran (wasmtime wizer), so instances start ready (docs/preinit.md)")
    source_args(p)
    p.set_defaults(run=_componentize)


def _componentize(project: Project, args: argparse.Namespace) -> int:
    from patcher.component import componentize

    out = componentize.componentize(project, args.package, out=args.output, variant=args.variant, kind=args.kind, wit=args.wit, world=args.world,
                                    adapter=args.adapt, go_spec=args.go, build_flags=tuple(args.build_flag), preinit=args.preinit)
    print(out)
    return 0
