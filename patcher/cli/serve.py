"""`patcher serve`: the developer loop for services (build if given a package, serve, Ctrl-C stops)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from patcher.cli.common import source_args
from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("serve", help="serve a wasi:http/proxy component (or build a Go package calling wasihttp.Handle, then serve it)")
    p.add_argument("target", type=Path, help="APP.wasm, or the directory of a Go main package")
    p.add_argument("--addr", default="127.0.0.1:8080", help="HOST:PORT to listen on (default 127.0.0.1:8080; port 0: any free port)")
    p.add_argument("--reuse", type=int, default=1, metavar="N",
                   help="requests one instance serves before a fresh one (wasmtime's --max-instance-reuse-count; default 1: per request)")
    p.add_argument("--host", choices=("wasmtime", "jco"), default="wasmtime", help="the host: wasmtime serve (default) or jco serve")
    p.add_argument("--variant", help="adapter variant when building a package (default: the recommended one)")
    p.add_argument("--go", default="go", help="Go toolchain when building a package (default: go on PATH)")
    source_args(p)
    p.set_defaults(run=_serve)


def _serve(project: Project, args: argparse.Namespace) -> int:
    from patcher.core import log
    from patcher.run import serve

    app: Path = args.target
    if app.is_dir():
        from patcher.component import componentize
        from patcher.core.fsutil import ensure_cache_dir

        out = ensure_cache_dir(project.cfg.cache_dir) / "serve" / f"{app.resolve().name}.wasm"
        app = componentize.componentize_proxy(project, app, out=out, variant=args.variant, go_spec=args.go)
    serve.check_proxy(app)
    # The host's output (the guest's stderr among it) goes straight to stderr.
    with log.step(f"{args.host} serve {app.name} (compiles it the first time)"):
        server = serve.start(project.cfg.cache_dir, app, host=args.host, addr=args.addr, reuse=args.reuse, on_line=sys.stderr.write)
    mode = "one instance per request" if args.reuse == 1 else f"{args.reuse} requests per instance"
    print(f"serving {app.name} on {server.url} ({mode}; Ctrl-C stops)", flush=True)
    try:
        code = server.child.wait()
    except KeyboardInterrupt:
        server.stop()
        print("stopped", flush=True)
        return 0
    log.warn(f"{args.host} serve exited with {code}")
    return 1 if code else 0
