"""`patcher pin`."""

from __future__ import annotations

import argparse

from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("pin", help="re-pin vendor/wasmtime.toml to another upstream ref")
    p.add_argument("--ref", required=True, help="tag to pin, e.g. v48.0.0")
    p.add_argument("--source", help="wasmtime git URL or local git directory")
    p.set_defaults(run=_pin)


def _pin(project: Project, args: argparse.Namespace) -> int:
    from patcher.upstream import repin

    cfg = project.cfg
    pin = repin.repin(cfg, ref=args.ref)
    print(f"pinned {pin.tag} {pin.commit} content {pin.content_sha256[:16]}… official {pin.official_version or 'none'}")
    return 0
