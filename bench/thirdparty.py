"""Third-party suites: `patcher test` against the Preview 1 oracle (`go test -exec` with Go's own
go_wasip1_wasm_exec under the wasmtime CLI), per module, warm, in one run.

    python bench/thirdparty.py [--go SPEC] [--only GLOB]... [--rounds N]

Each module's suite runs once on each side to warm the caches (Go's build cache, the compiled
modules and components), then `--rounds` times alternately (oracle, patcher, patcher, oracle, ...);
the table shows the packages, each side's result (packages ok / with tests), the median wall
times and their ratio (patcher test / oracle; target <= 1.2), and the ratio of CPU time (user +
system of every process each side ran), which a busy shared machine disturbs less. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from _bench import setup_path

setup_path()

from patcher.core import config  # noqa: E402
from patcher.golang import gotool  # noqa: E402
from patcher.validation import thirdparty  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--go", default="go")
    ap.add_argument("--only", action="append", default=[], metavar="GLOB")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--no-warm", action="store_true", help="skip the warming runs (caches already warm)")
    args = ap.parse_args()
    cfg = config.load()
    go = gotool.resolve(args.go, cfg.cache_dir)
    print(f"Go {go.version}; patcher test vs go test -exec go_wasip1_wasm_exec (wasmtime CLI), warm, {args.rounds} round(s)")
    print("| module | packages | patcher test | oracle | equal | patcher s | oracle s | ratio | CPU ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    ratios = []
    for module, version in thirdparty.only(list(thirdparty.MODULES), args.only):
        moddir = thirdparty.module_dir(go, cfg.cache_dir, module, version)
        if not args.no_warm:
            thirdparty.run_oracle(go, cfg.cache_dir, moddir)
            thirdparty.run_patcher(go, cfg.cache_dir, moddir)
        o_times, p_times, o_cpu, p_cpu = [], [], [], []
        for i in range(args.rounds):
            first, second = (thirdparty.run_oracle, thirdparty.run_patcher) if i % 2 == 0 else (thirdparty.run_patcher, thirdparty.run_oracle)
            a = first(go, cfg.cache_dir, moddir)
            b = second(go, cfg.cache_dir, moddir)
            oracle, ours = (a, b) if first is thirdparty.run_oracle else (b, a)
            o_times.append(oracle.seconds)
            p_times.append(ours.seconds)
            o_cpu.append(oracle.cpu_seconds)
            p_cpu.append(ours.cpu_seconds)
        o, p = statistics.median(o_times), statistics.median(p_times)
        ratios.append(p / o)
        n = len(oracle.packages)
        oks = (sum(s == "pass" for s in ours.packages.values()), sum(s == "pass" for s in oracle.packages.values()))
        equal = "yes" if ours.packages == oracle.packages else "no: " + ", ".join(
            k for k in sorted(set(ours.packages) | set(oracle.packages)) if ours.packages.get(k) != oracle.packages.get(k))
        print(f"| {module}@{version} | {n} | {oks[0]}/{n} ok | {oks[1]}/{n} ok | {equal} | {p:.1f} | {o:.1f} | {p / o:.2f}x | {statistics.median(p_cpu) / max(statistics.median(o_cpu), 1e-3):.2f}x |", flush=True)
        if ours.packages != oracle.packages:  # why, for the notes under the table
            for side, run in (("patcher test", ours), ("oracle", oracle)):
                why = [l for l in run.output.splitlines() if l.startswith(("--- FAIL", "panic:", "FAIL\t", "*** Test killed"))]
                print(f"  {side}: " + " | ".join(why[:6]), file=sys.stderr, flush=True)
    if ratios:
        print(f"median ratio {statistics.median(ratios):.2f}x (target <= 1.2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
