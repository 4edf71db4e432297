"""`patcher hosts`: the hosts components can run under, their versions, and `--install` for jco."""

from __future__ import annotations

import argparse

from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("hosts", help="list the hosts components run under (wasmtime-py, wasmtime-cli, jco); --install installs the pinned jco")
    p.add_argument("--install", action="store_true", help="npm ci the project's pinned jco into the cache (needs Node >= 20 and npm)")
    p.set_defaults(run=_hosts)


def _hosts(project: Project, args: argparse.Namespace) -> int:
    from patcher.core import hosttools
    from patcher.run import hosts

    if args.install:
        hosttools.install_jco(project.cfg.cache_dir)
    found = hosts.survey(project.cfg.cache_dir)
    width = max(len(h.name) for h in found)
    for h in found:
        print(f"{'ok ' if h.ok else 'MISSING'} {h.name:<{width}}  {h.text}")
    return 0 if all(h.ok for h in found) or not args.install else 1
