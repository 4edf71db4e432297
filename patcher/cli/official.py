"""`patcher official`."""

from __future__ import annotations

import argparse
from pathlib import Path

from patcher.core.errors import UsageError
from patcher.core.kinds import ADAPTER_KINDS, adapter_name
from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("official", help="download the official adapters of the pinned release (the baseline)")
    p.add_argument("--out", type=Path, help="also copy them here")
    p.set_defaults(run=_official)


def _official(project: Project, args: argparse.Namespace) -> int:
    from patcher.core.fsutil import write_atomic
    from patcher.upstream import official

    cfg = project.cfg
    d = official.official_dir(cfg)
    for k in ADAPTER_KINDS:
        src = d / adapter_name(k)
        if args.out:
            try:
                args.out.mkdir(parents=True, exist_ok=True)
                write_atomic(args.out / src.name, src.read_bytes())
            except OSError as e:
                raise UsageError(f"cannot write to --out {args.out}: {e.strerror}", hint="choose a writable directory") from e
            src = args.out / src.name
        print(src)
    return 0
