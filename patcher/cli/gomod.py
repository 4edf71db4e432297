"""`patcher gomod`: the wasihttp Go module for editors and plain `go` commands, offline."""

from __future__ import annotations

import argparse
from pathlib import Path

from patcher.cli.common import source_args
from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("gomod", help="publish patcher.dev/wasihttp into a local GOPROXY directory; --get DIR adds it to a module (go get)")
    p.add_argument("--get", type=Path, metavar="DIR", help="run `go get patcher.dev/wasihttp@VERSION` in the Go module at DIR")
    p.add_argument("--go", default="go", help="Go toolchain for --get (default: go on PATH)")
    source_args(p)
    p.set_defaults(run=_gomod)


def _gomod(project: Project, args: argparse.Namespace) -> int:
    from patcher.component import gohttp
    from patcher.core import proc
    from patcher.core.errors import PatcherError

    pub = gohttp.publish(project)
    if args.get is None:
        # For `eval "$(patcher gomod)"`: plain go commands then find the module offline.
        for k, v in pub.go_env().items():
            if k != "GOFLAGS":
                print(f"export {k}='{v}'")
        print(f"# then: go get {gohttp.MODULE}@{pub.version}")
        return 0
    from patcher.golang import gotool

    if not (args.get / "go.mod").is_file():
        raise PatcherError(f"{args.get} has no go.mod", hint="run `go mod init NAME` there first")
    go = gotool.resolve(args.go, project.cfg.cache_dir)
    r = proc.run([str(go.exe), "get", f"{gohttp.MODULE}@{pub.version}"], cwd=args.get, env=go.env(**pub.go_env()), timeout=600)
    if r.returncode != 0:
        raise PatcherError(f"go get {gohttp.MODULE} failed: {(r.stderr.strip().splitlines() or ['no output'])[-1]}", hint="check the module's go.mod")
    print(f"{args.get}: requires {gohttp.MODULE} {pub.version} (in the module cache: go build, go vet and gopls need no proxy now)")
    return 0
