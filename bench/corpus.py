"""Full corpus time, cold vs warm: `patcher validate` with Go builds, components and compiled
components cached (warm) or not (cold). Adapters are built once beforehand and are not timed.

Target (issue 3): warm at most 5 minutes on 2 cores.

    python bench/corpus.py [--variant go] [--official] [--go go]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import _bench

_bench.setup_path()

from patcher.core import proc  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def run(cmd: list[str], env: dict) -> float:
    start = time.monotonic()
    r = proc.run(cmd, env=env, cwd=ROOT)
    if r.returncode not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd[2:])} failed:\n{r.stderr[-2000:]}")
    return time.monotonic() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variant", action="append", default=[])
    ap.add_argument("--official", action="store_true")
    ap.add_argument("--go", default="go")
    args = ap.parse_args()
    variants = args.variant or ["go"]
    base = Path(os.environ.get("PATCHER_CACHE_DIR") or Path.home() / ".cache" / "patcher")
    with tempfile.TemporaryDirectory(prefix="patcher-bench-corpus-") as t:
        cache = Path(t) / "cache"
        cache.mkdir()
        # Reuse what is not being measured: fetched sources, cargo targets, built adapters, Go toolchains.
        for keep in ("sources", "target", "built", "work", "official", "go"):
            if (base / keep).is_dir():
                os.symlink(base / keep, cache / keep)
        env = {**os.environ, "PATCHER_CACHE_DIR": str(cache)}
        cmd = [sys.executable, "-m", "patcher", "-q", "validate", "--go", args.go, "--report-only", "--json", str(Path(t) / "r.json")]
        cmd += [a for v in variants for a in ("--variant", v)] + (["--official"] if args.official else [])
        proc.call([sys.executable, "-m", "patcher", "-q", "build", "--variant", variants[0], "--kind", "command", "--out", str(Path(t) / "warmup")], env=env, cwd=ROOT, check=True)
        cold = run(cmd, env)
        warm = run(cmd, env)
        shutil.rmtree(Path(t) / "warmup", ignore_errors=True)
    label = " ".join([*(f"--variant {v}" for v in variants), *(["--official"] if args.official else []), f"--go {args.go}"])
    print(f"| validate {label} (28 programs + oracles) | seconds |")
    print("|---|---:|")
    print(f"| cold (no Go builds, components or compiled components cached) | {cold:.0f} |")
    print(f"| warm (cached builds) | {warm:.0f} |")
    print(f"warm = {warm / 60:.1f} min {'<=' if warm <= 300 else '>'} 5 min: {'met' if warm <= 300 else 'not met'}; warm/cold = {warm / cold:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
