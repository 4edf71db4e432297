"""`patcher run`."""

from __future__ import annotations

import argparse
from pathlib import Path

from patcher.core.errors import UsageError
from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("run", help="run a component: a command with the terminal's stdio, or --invoke one export")
    p.add_argument("component", type=Path)
    p.add_argument("args", nargs="*", help="command arguments")
    p.add_argument("--invoke", nargs="+", metavar=("FUNC", "ARG"), help="call an exported function with arguments (JSON for non-strings) and print the result")
    p.add_argument("--dir", action="append", default=[], metavar="HOST[::GUEST]", help="preopen a directory")
    p.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--host", default="wasmtime-py", metavar="NAME",
                   help="wasmtime-py (default, in-process), wasmtime-cli (`wasmtime run`) or jco (`jco run` on Node, commands only)")
    p.set_defaults(run=_run)


def _run(project: Project, args: argparse.Namespace) -> int:
    from patcher.core import wasm
    from patcher.run import hosts

    hosts.check_name(args.host)
    wasm.require_component(args.component)
    dirs = [tuple(d.split("::", 1)) if "::" in d else (d, d) for d in args.dir]
    for host, _ in dirs:
        if not Path(host).is_dir():
            raise UsageError(f"--dir {host}: no such directory on the host", hint="give an existing directory, optionally as HOST::GUEST")
    bad_env = [e for e in args.env if "=" not in e or e.startswith("=")]
    if bad_env:
        raise UsageError(f"--env {bad_env[0]!r} is not NAME=VALUE", hint="write --env NAME=VALUE (VALUE may be empty: NAME=)")
    env = [tuple(e.split("=", 1)) for e in args.env]
    invoke = (args.invoke[0], args.invoke[1:]) if args.invoke else None
    if args.host != hosts.DEFAULT_HOST:
        hosts.version(args.host, project.cfg.cache_dir)  # missing: one line with how to get it
    return hosts.run_interactive(args.host, args.component, argv=args.args, env=env, dirs=dirs, invoke=invoke, cache_dir=project.cfg.cache_dir)
