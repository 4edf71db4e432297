"""The main-module rewrite on a big Go reactor: the binary edit (`rewrite.wrap_cabi_realloc`) vs
the text rewrite it replaced (`_text_rewrite`: wasm-tools print, regex edits, parse).

The reactor is generated from bench/bigreactor/ (PACKAGES packages of FUNCS functions each, every
function reachable, a plain Go `cabi_realloc`) and built with the go variant's runtime overlay, as
`componentize` builds it (cached by content after the first run). Each side runs in a fresh
process, so its peak RSS is its own (the larger of the Python process and its wasm-tools runs).
Seconds are wall time (what the user waits; inflated on a loaded machine), CPU seconds those
of the process and its wasm-tools runs. Target (issue 22): the new rewrite under 3 s and under 300 MB for a 40 MB module.

    python bench/rewrite.py [--packages 64] [--funcs 80] [--go go] [--skip-old]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import _bench

_bench.setup_path()

import jinja2  # noqa: E402

from patcher.core import config, proc  # noqa: E402

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "bigreactor"
TARGET_S, TARGET_MB = 3.0, 300


def generate(out: Path, packages: int, funcs: int) -> Path:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    names = [f"p{i:03d}" for i in range(packages)]
    (out / "go.mod").write_text("module bigreactor\n\ngo 1.24\n")
    (out / "main.go").write_text(env.get_template("main.go.j2").render(pkgs=names, funcs=funcs))
    for name in names:
        (out / name).mkdir()
        (out / name / "pkg.go").write_text(env.get_template("pkg.go.j2").render(pkg=name, funcs=funcs))
    return out


def build(src: Path, go_spec: str) -> Path:
    from patcher.component import recipe
    from patcher.core import log
    from patcher.golang import gobuild, gotool
    from patcher.patching.project import Project

    project = Project(config.load())
    go = gotool.resolve(go_spec, project.cfg.cache_dir)
    overlay = recipe.overlay_for(project, project.variant("go"), go)
    with log.step(f"go build of the generated reactor (Go {go.version}, cached after the first run)"):
        return gobuild.build(src, go, kind="reactor", cache_dir=project.cfg.cache_dir, overlay=overlay, label="bigreactor")


def child(side: str, module: Path, out_dir: Path) -> None:
    """One side, in this fresh process: prints seconds and peak RSS as JSON."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    cpu_at_start = me.ru_utime + me.ru_stime  # the interpreter's start-up is not the rewrite's
    start = time.monotonic()
    if side == "new":
        from patcher.component import rewrite

        result = rewrite.wrap_cabi_realloc(module, out_dir)
    else:
        import _text_rewrite

        from patcher.core.fsutil import write_atomic

        data = _text_rewrite.rewrite_module(module.read_bytes())
        assert data is not None
        result = out_dir / "old.wasm"
        write_atomic(result, data)
    seconds = time.monotonic() - start
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime - cpu_at_start
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": max(me.ru_maxrss, kids.ru_maxrss) / 1024, "size": result.stat().st_size}))


def measure(side: str, module: Path, out_dir: Path) -> dict[str, float | str]:
    out_dir.mkdir()
    r = proc.run([sys.executable, __file__, "--child", side, str(module), str(out_dir)])
    if r.returncode != 0:
        sys.exit(f"bench: the {side} rewrite failed:\n{r.stderr[-3000:]}")
    result: dict[str, float | str] = json.loads(r.stdout.splitlines()[-1])
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--packages", type=int, default=64)
    ap.add_argument("--funcs", type=int, default=80, help="functions per package")
    ap.add_argument("--go", default="go", help="Go to build with: go (PATH), a version, a GOROOT")
    ap.add_argument("--skip-old", action="store_true", help="measure only the binary edit (the text rewrite takes minutes)")
    ap.add_argument("--child", nargs=3, metavar=("SIDE", "MODULE", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return 0
    with tempfile.TemporaryDirectory(prefix="patcher-bench-rewrite-") as t:
        src = Path(t) / "bigreactor"
        src.mkdir()
        module = build(generate(src, args.packages, args.funcs), args.go)
        size_mb = module.stat().st_size / 1e6
        sides = {"new": measure("new", module, Path(t) / "new")}
        if not args.skip_old:
            sides["old"] = measure("old", module, Path(t) / "old")
        print(f"| rewrite of a generated Go reactor ({args.packages} packages x {args.funcs} functions, {size_mb:.1f} MB) | seconds | CPU seconds | peak RSS (MB) | output (MB) |")
        print("|---|---:|---:|---:|---:|")
        labels = {"old": "old: wasm-tools print, regex edits, parse", "new": "new: binary edit of the sections involved + wasm-tools validate"}
        for side in ("old", "new"):
            if side in sides:
                s = sides[side]
                print(f"| {labels[side]} | {float(s['seconds']):.2f} | {float(s['cpu']):.2f} | {float(s['peak_mb']):.0f} | {int(s['size']) / 1e6:.1f} |")
        new_s, new_mb = float(sides["new"]["seconds"]), float(sides["new"]["peak_mb"])
        if "old" in sides:
            old = sides["old"]
            print(f"old/new: {float(old['seconds']) / new_s:.0f}x the time ({float(old['cpu']) / float(sides['new']['cpu']):.0f}x the CPU time),"
                  f" {float(old['peak_mb']) / new_mb:.0f}x the memory")
        met = new_s < TARGET_S and new_mb < TARGET_MB
        print(f"new: {new_s:.2f} s {'<' if new_s < TARGET_S else '>='} {TARGET_S:.0f} s, {new_mb:.0f} MB {'<' if new_mb < TARGET_MB else '>='} {TARGET_MB} MB"
              f" for {size_mb:.1f} MB: {'met' if met else 'not met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
