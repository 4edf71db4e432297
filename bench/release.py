#!/usr/bin/env python3
"""Cold vs. warm `python -m patcher release`, measured in one run (printed, never asserted).

cold: a fresh, empty PATCHER_CACHE_DIR in a temporary directory, with PATCHER_SOURCE set to
      --source (default: the caller's PATCHER_SOURCE; without one, the pin's URL). Everything
      patcher caches is redone: source export, cargo builds of every variant and kind (target
      dirs start empty), the official adapters' download, Go builds, composing, wasmtime
      compilation, validation runs.
warm: the same command again with the same cache (a different --out, so nothing is reused from
      the first release directory). Target: warm <= 5% of cold.

Not part of patcher's cache and therefore warm in both runs: the Rust and Go toolchains, cargo's
registry (~/.cargo), Go's build cache (GOCACHE), the Python interpreter's own caches.

    python bench/release.py [--quick] [--variant V] [--only GLOB] [--strict] [--source DIR] [--workdir DIR] [--keep]

--quick is `--variant go --only cmd-hello` (a sanity run of a few minutes); the full run (all
variants, the whole corpus) takes 20+ minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import _bench

_bench.setup_path()

from patcher.core import proc  # noqa: E402

TARGET = 0.05
STEP = re.compile(r"^patcher: (?P<title>.+): done in (?P<secs>[0-9.]+)s$")


def run_release(out: Path, cache: Path, source: str | None, extra: list[str], log: Path) -> tuple[float, int, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PATCHER_CACHE_DIR", "PATCHER_SOURCE")}
    env.update(PATCHER_CACHE_DIR=str(cache), PYTHONUNBUFFERED="1")
    if source:
        env["PATCHER_SOURCE"] = source
    cmd = [sys.executable, "-m", "patcher", "release", "--out", str(out), *extra]
    print(f"$ PATCHER_CACHE_DIR={cache} PATCHER_SOURCE={source or ''} {' '.join(cmd[1:])}", flush=True)
    started = time.perf_counter()
    with log.open("w") as f:
        code = proc.call(cmd, cwd=_bench.REPO, env=env, output=f)
    secs = time.perf_counter() - started
    text = log.read_text(errors="replace")
    err = next((l for l in text.splitlines() if l.startswith("patcher: error:")), "")
    if code != 0 and not err:
        tail = [l for l in text.splitlines() if l.strip()][-3:]
        err = " | ".join(tail)
    return secs, code, err


def top_steps(log: Path, n: int = 6) -> list[tuple[float, str]]:
    steps = []
    for line in log.read_text(errors="replace").splitlines():
        m = STEP.match(line.strip())
        if m:
            steps.append((float(m["secs"]), m["title"]))
    return sorted(steps, reverse=True)[:n]


def dir_size(p: Path) -> int:
    total = 0
    for root, _, files in os.walk(p):
        for f in files:
            with contextlib.suppress(OSError):
                total += (Path(root) / f).lstat().st_size
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="--variant go --only cmd-hello: a fast sanity run")
    ap.add_argument("--variant", action="append", default=[], help="passed to release (repeatable)")
    ap.add_argument("--only", action="append", default=[], metavar="GLOB", help="passed to release (repeatable)")
    ap.add_argument("--strict", action="store_true", help="do not pass --allow-failures (a failing validation then aborts the release)")
    ap.add_argument("--source", default=os.environ.get("PATCHER_SOURCE"),
                    help="pinned wasmtime source for the cold cache (default: PATCHER_SOURCE, else the pin's URL)")
    ap.add_argument("--workdir", type=Path, help="where the fresh cache and release dirs go (default: a new temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the fresh cache and the release directories")
    args = ap.parse_args(argv)

    variants = args.variant or (["go"] if args.quick else [])
    only = args.only or (["cmd-hello"] if args.quick else [])
    extra = [a for v in variants for a in ("--variant", v)] + [a for g in only for a in ("--only", g)]
    if not args.strict:
        extra.append("--allow-failures")

    print(f"# patcher release benchmark, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"# machine: {_bench.machine()}")
    print(f"# {'QUICK sanity run' if args.quick else 'full run'}: release {' '.join(extra) or '(defaults)'}")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="patcher-bench-release-"))
    work.mkdir(parents=True, exist_ok=True)
    cache = work / "cache"
    if cache.exists() and any(cache.iterdir()):
        print(f"patcher bench: error: {cache} is not empty; a cold run needs a fresh cache", file=sys.stderr)
        return 2
    rows = []
    try:
        for label, out in (("cold", work / "release-cold"), ("warm", work / "release-warm")):
            log = work / f"{label}.log"
            secs, code, err = run_release(out, cache, args.source, extra, log)
            rows.append((label, secs, code, log))
            print(f"  {label}: {secs:.1f}s, exit {code}, load average {_bench.load()}, log {log}", flush=True)
            if code != 0:
                print(f"\n{label} release failed: {err}")
                print(f"not measured: warm/cold (release exits {code}); see {log}")
                return 1
        cold, warm = rows[0][1], rows[1][1]
        sums = [(work / f"release-{l}" / "SHA256SUMS") for l in ("cold", "warm")]
        same = all(s.is_file() for s in sums) and sums[0].read_bytes() == sums[1].read_bytes()

        print("\nrun    wall s   cache after")
        print("-----  -------  -----------")
        print(f"cold   {cold:7.1f}  {dir_size(cache) / 2**20:8.0f} MiB")
        print(f"warm   {warm:7.1f}")
        print(f"\nwarm/cold = {warm / cold:.3f} ({warm / cold * 100:.1f}% of cold); SHA256SUMS of the two releases {'identical' if same else 'DIFFER'}")
        for label, _, _, log in rows:
            steps = top_steps(log)
            if steps:
                print(f"longest {label} steps: " + "; ".join(f"{t} {s:.1f}s" for s, t in steps))
        print(f"\n## verdict\n{_bench.verdict('(c) release warm/cold', warm / cold, TARGET)}")
        print(f"# load average now: {_bench.load()}")
        return 0
    finally:
        if args.keep or args.workdir:
            print(f"# kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
