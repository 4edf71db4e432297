"""Cold vs warm adapter build: `patcher build --variant V --kind all` into a fresh cache, then again.

Prints both wall times and warm/cold (target: warm under 10% of cold). Cold includes fetching the
source and compiling std for wasm32 (-Zbuild-std) when that is the toolchain route.

    python bench/build_time.py [--variant upstream] [--source DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import _bench

_bench.setup_path()

from patcher.core import proc  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], env: dict) -> float:
    start = time.monotonic()
    r = proc.run(cmd, env=env, cwd=ROOT)
    if r.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd[2:])} failed:\n{r.stderr[-2000:]}")
    return time.monotonic() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variant", default="upstream")
    ap.add_argument("--source", default=os.environ.get("PATCHER_SOURCE"),
                    help="wasmtime git URL or local git directory (default: PATCHER_SOURCE, else the pin's URL)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="patcher-bench-build-") as t:
        env = {**os.environ, "PATCHER_CACHE_DIR": str(Path(t) / "cache")}
        if args.source:
            env["PATCHER_SOURCE"] = args.source
        cmd = [sys.executable, "-m", "patcher", "build", "--variant", args.variant, "--kind", "all", "--out", str(Path(t) / "dist")]
        cold = timed(cmd, env)
        warm = timed(cmd, env)
    ratio = warm / cold
    print(f"| build --variant {args.variant} --kind all | seconds |")
    print("|---|---:|")
    print(f"| cold (empty cache) | {cold:.1f} |")
    print(f"| warm (nothing changed) | {warm:.1f} |")
    print(f"warm/cold = {ratio:.3f} {'<=' if ratio <= 0.10 else '>'} 0.10: {'met' if ratio <= 0.10 else 'not met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
