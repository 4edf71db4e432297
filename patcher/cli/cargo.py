"""`patcher-cargo --variant NAME [--kind K] [--out DIR]`: the cargo wrapper as its own script
(`patcher build`: finds the wasm32 toolchain, then cargo builds, verifies and stamps)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from patcher import cli

    args = list(sys.argv[1:] if argv is None else argv)
    return cli.main(["build", *args])
