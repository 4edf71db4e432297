#!/usr/bin/env python3
"""Compare two kept runs of bench/overhead.py or bench/bindgen.py (`--json FILE`): ratios and fuel, old vs new.

    python bench/compare.py OLD.json NEW.json

Rows are matched by part and workload. Wall ratios of two different runs are only as comparable
as the machine's load was (both runs' load is printed); fuel ratios are deterministic.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import _bench

_bench.setup_path()

from patcher.core.errors import UsageError  # noqa: E402


def load(path: Path) -> dict:
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise UsageError(f"cannot read {path}: {' '.join(str(e).split())}", hint="pass two files written by bench/overhead.py --json") from e
    if not isinstance(doc, dict) or not isinstance(doc.get("rows"), list):
        raise UsageError(f"{path} is not a bench/overhead.py --json file", hint="pass two files written by bench/overhead.py --json")
    return doc


def fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    args = ap.parse_args(argv)
    try:
        old, new = load(args.old), load(args.new)
    except UsageError as e:
        print(f"compare: error: {e.one_line()}", file=sys.stderr)
        return e.exit_code
    for label, doc in (("old", old), ("new", new)):
        print(f"# {label}: {doc.get('date')} {doc.get('machine')}; a: {doc.get('a_variant')}, b: {doc.get('b_baseline')} vs {doc.get('b_candidate')}"
              f"{' (QUICK)' if doc.get('quick') else ''}")
    key = lambda r: (r["part"], r["workload"])  # noqa: E731
    o = {key(r): r for r in old["rows"]}
    n = {key(r): r for r in new["rows"]}
    head = ["part", "workload", "sides old", "sides new", "ratio old", "ratio new", "change", "fuel old", "fuel new", "target", "new verdict"]
    lines = [head]
    for k in [*o.keys(), *[k for k in n if k not in o]]:
        a, b = o.get(k), n.get(k)
        ra, rb = (a or {}).get("ratio"), (b or {}).get("ratio")
        change = f"{rb / ra - 1:+.1%}" if ra and rb else ""
        target = (b or a)["target"]
        verdict = "" if rb is None else ("met" if rb <= target else "not met")
        lines.append([k[0], k[1], f"{a['a']}/{a['b']}" if a else "-", f"{b['a']}/{b['b']}" if b else "-", fmt(ra), fmt(rb), change,
                      fmt((a or {}).get("fuel_ratio")), fmt((b or {}).get("fuel_ratio")), f"{target:.2f}", verdict])
    widths = [max(len(r[i]) for r in lines) for i in range(len(head))]
    for j, r in enumerate(lines):
        print("  ".join(c.ljust(widths[i]) if i < 4 else c.rjust(widths[i]) for i, c in enumerate(r)))
        if j == 0:
            print("  ".join("-" * w for w in widths))
    for label, doc in (("old", old), ("new", new)):
        for f in doc.get("not_measured", []):
            print(f"# not measured ({label}): {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
