"""`patcher bindgen`."""

from __future__ import annotations

import argparse
from pathlib import Path

from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("bindgen", help="generate Go bindings (pure Go, canonical ABI glue) for a WIT world")
    p.add_argument("--wit", type=Path, required=True, help="WIT file or directory")
    p.add_argument("--world", required=True, help="world in --wit")
    p.add_argument("-o", "--output", type=Path, required=True, help="directory of the Go package to write <world>_bindings.go into")
    p.add_argument("--package", default="main", help="Go package name of the generated file (default: main)")
    p.set_defaults(run=_bindgen)


def _bindgen(project: Project, args: argparse.Namespace) -> int:
    from patcher import bindgen

    cfg = project.cfg
    print(bindgen.generate(args.wit, args.world, args.output, package=args.package, templates_dir=cfg.templates_dir))
    return 0
