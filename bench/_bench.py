"""Shared helpers for the benchmark scripts: interleaved sampling, robust statistics, tables, verdicts.

Nothing here asserts a timing. Samples of the two sides are taken alternately (A B, B A, A B, ...)
so slow phases of a noisy machine hit both sides; we report medians, the median of the per-pair
ratios and its spread, and a verdict against the target that is printed, never enforced.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GO_DIR = REPO / "bench" / "go"


def setup_path() -> None:
    """Put the repository root on sys.path so `import patcher` works from a plain checkout.

    Nothing else: the upstream source is whatever patcher itself resolves (the cached pinned
    source, else PATCHER_SOURCE or the pin's URL)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))


def quantile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    if len(s) == 1:
        return s[0]
    pos = q * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


@dataclass
class Sample:
    wall: float
    cpu: float


@dataclass
class Pairwise:
    """Interleaved samples of a baseline side `a` and a candidate side `b`."""

    name: str
    a: list[Sample] = field(default_factory=list)
    b: list[Sample] = field(default_factory=list)
    ops: int = 0  # operations per sample (for the per-op delta), 0 = not meaningful
    fuel: tuple[int, int] | None = None  # wasm operators executed per sample by a and b (deterministic)

    def ratios(self, cpu: bool = False) -> list[float]:
        get = (lambda s: s.cpu) if cpu else (lambda s: s.wall)
        return [get(y) / get(x) for x, y in zip(self.a, self.b, strict=False) if get(x) > 0]

    def ratio(self, cpu: bool = False) -> float:
        """Median of the per-pair ratios b/a (what the verdict uses)."""
        return statistics.median(self.ratios(cpu))

    def med(self, side: str, cpu: bool = False) -> float:
        xs = self.a if side == "a" else self.b
        return statistics.median([s.cpu if cpu else s.wall for s in xs])


def timed(fn: Callable[[], None]) -> Sample:
    c0, w0 = time.thread_time(), time.perf_counter()
    fn()
    w1, c1 = time.perf_counter(), time.thread_time()
    return Sample(w1 - w0, c1 - c0)


def interleave(name: str, run_a: Callable[[], Sample], run_b: Callable[[], Sample], reps: int, *, warmup: int = 1, ops: int = 0,
               progress: bool | None = None) -> Pairwise:
    """`reps` pairs; the order alternates each pair. `warmup` pairs first, discarded."""
    if progress is None:
        progress = sys.stderr.isatty()
    for _ in range(warmup):
        run_a()
        run_b()
    res = Pairwise(name, ops=ops)
    for i in range(reps):
        if i % 2 == 0:
            sa = run_a()
            sb = run_b()
        else:
            sb = run_b()
            sa = run_a()
        res.a.append(sa)
        res.b.append(sb)
        if progress:
            print(f"\r  {name}: {i + 1}/{reps}", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return res


def fmt_ms(x: float) -> str:
    ms = x * 1e3
    return f"{ms:.1f}" if ms >= 10 else f"{ms:.2f}"


def table(rows: list[Pairwise], a_label: str, b_label: str) -> str:
    head = ["benchmark", "pairs", f"{a_label} ms", f"{b_label} ms", "ratio", "IQR", "min-max", "best/best", "cpu ratio", "delta/op", "fuel ratio", "fuel delta/op"]
    lines = [head]
    for r in rows:
        rs = r.ratios()
        delta = ""
        if r.ops:
            d = (r.med("b") - r.med("a")) / r.ops * 1e9
            delta = f"{d / 1e3:+.0f} us" if abs(d) >= 10_000 else f"{d:+.0f} ns"
        lines.append([
            r.name, str(len(rs)), fmt_ms(r.med("a")), fmt_ms(r.med("b")), f"{r.ratio():.3f}",
            f"{quantile(rs, 0.25):.3f}-{quantile(rs, 0.75):.3f}", f"{min(rs):.3f}-{max(rs):.3f}",
            f"{min(s.wall for s in r.b) / min(s.wall for s in r.a):.3f}", f"{r.ratio(cpu=True):.3f}", delta,
            f"{r.fuel[1] / r.fuel[0]:.3f}" if r.fuel else "",
            f"{(r.fuel[1] - r.fuel[0]) / (r.ops or 1):+.0f}" if r.fuel else "",
        ])
    widths = [max(len(row[i]) for row in lines) for i in range(len(head))]
    out = []
    for j, row in enumerate(lines):
        out.append("  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)))
        if j == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def verdict(name: str, ratio: float, target: float, spread: tuple[float, float] | None = None) -> str:
    """One line; `spread` (the IQR of the per-pair ratios) adds a note when it straddles the target."""
    ok = ratio <= target
    line = f"{name}: ratio {ratio:.3f} {'<=' if ok else '>'} {target:.2f}: {'met' if ok else 'not met'}"
    if spread and spread[0] <= target < spread[1]:
        line += f" (IQR {spread[0]:.2f}-{spread[1]:.2f} straddles the target: noisy, rerun to confirm)"
    return line


def pair_verdict(label: str, r: Pairwise, target: float) -> str:
    rs = r.ratios()
    return verdict(label, r.ratio(), target, (quantile(rs, 0.25), quantile(rs, 0.75)))


def row_json(part: str, workload: str, r: Pairwise, a_label: str, b_label: str, target: float) -> dict:
    """One measured row as plain data (bench/compare.py reads these)."""
    rs = r.ratios()
    return {
        "part": part, "workload": workload, "a": a_label, "b": b_label, "pairs": len(rs), "ops": r.ops, "target": target,
        "a_median_s": r.med("a"), "b_median_s": r.med("b"), "ratio": r.ratio(), "iqr": [quantile(rs, 0.25), quantile(rs, 0.75)],
        "min_max": [min(rs), max(rs)], "cpu_ratio": r.ratio(cpu=True),
        "fuel": list(r.fuel) if r.fuel else None, "fuel_ratio": r.fuel[1] / r.fuel[0] if r.fuel else None,
    }


def machine() -> str:
    la = os.getloadavg()
    return (f"{platform.node() or 'host'}: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
            f"load average {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}")


def load() -> str:
    la = os.getloadavg()
    return f"{la[0]:.2f} {la[1]:.2f} {la[2]:.2f}"


def add_common_args(ap: argparse.ArgumentParser, *, quick_help: str) -> None:
    """The options overhead.py and bindgen.py share."""
    ap.add_argument("--quick", action="store_true", help=quick_help)
    ap.add_argument("--only", action="append", default=[], help="workload name (repeatable)")
    ap.add_argument("--reps", type=int, help="pairs per workload (default: 15 full, 3 quick)")
    ap.add_argument("--no-fuel", action="store_true", help="skip the fuel (wasm operator count) runs")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write every row (medians, ratios, fuel) here, for bench/compare.py")
    ap.add_argument("--go", default="go", help="Go toolchain (default: go on PATH)")
    ap.add_argument("-v", "--verbose", action="store_true", help="show patcher's build log")


@dataclass
class Run:
    reps: int
    started: float
    engine: object  # wasmtime.Engine
    fuel_engine: object | None  # a fuel-metering wasmtime.Engine, unless --no-fuel


def begin(args: argparse.Namespace, title: str) -> Run:
    """Quiet patcher's log (unless -v), print the run's header, make the engines."""
    import wasmtime

    from patcher.core import log

    log.set_quiet(not args.verbose)
    reps = args.reps or (3 if args.quick else 15)
    print(f"# patcher {title}, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"# machine: {machine()}")
    print(f"# wasmtime-py {importlib.metadata.version('wasmtime')}; {'QUICK sanity run' if args.quick else 'full run'}; "
          f"{reps} interleaved pairs per workload after 1 warm-up pair")
    fuel_engine = None
    if not args.no_fuel:
        fc = wasmtime.Config()
        fc.consume_fuel = True
        fuel_engine = wasmtime.Engine(fc)
    return Run(reps, time.monotonic(), wasmtime.Engine(), fuel_engine)


def write_json(path: Path, args: argparse.Namespace, reps: int, rows: list[dict], failures: list[str], **extra: object) -> None:
    """Keep a run for bench/compare.py: every row with the date, machine and wasmtime-py version."""
    import json

    doc = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(), "wasmtime_py": importlib.metadata.version("wasmtime"),
           "quick": args.quick, "reps": reps, **extra, "rows": rows, "not_measured": failures}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"# rows written to {path}")
