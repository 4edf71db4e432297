"""Arguments shared by several subcommands."""

from __future__ import annotations

import argparse

from patcher.core.kinds import ADAPTER_KINDS as KINDS

__all__ = ["KINDS", "source_args"]


def source_args(p: argparse.ArgumentParser) -> None:
    """`--source` and `--ref` are the top layer of the settings PATCHER_SOURCE and PATCHER_REF:
    `cli.main` folds them into the Config, and nothing below reads the flags."""
    p.add_argument("--source", help="wasmtime git URL or local git directory (default: PATCHER_SOURCE or the pin's URL)")
    p.add_argument("--ref", help="tag or commit (default: PATCHER_REF or the pinned tag)")
