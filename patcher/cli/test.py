"""`patcher test / exec / overlay`."""

from __future__ import annotations

import argparse

from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("test", help="run Go package tests as WASI P2 components, reported like `go test`", prefix_chars="+", add_help=False)
    p.add_argument("args", nargs="*", help="[--variant NAME] [--adapt FILE] [--go SPEC] [go test flags] [PKG...]")
    p.set_defaults(run=_test)
    p = sub.add_parser("exec", help="`go test -exec` form: adapt and run one wasip1 test binary as a component", prefix_chars="+", add_help=False)
    p.add_argument("args", nargs="*", help="[--variant NAME] [--adapt FILE] [--go SPEC] TEST_BINARY [ARGS...]")
    p.set_defaults(run=_exec)
    p = sub.add_parser("overlay", help="print the -overlay JSON path a variant needs for `go test -exec 'patcher exec'`")
    p.add_argument("--variant", help="adapter variant (default: the recommended one)")
    p.add_argument("--go", default="go", help="the Go that will build the tests: 'go', a version or a path (default: go on PATH)")
    p.set_defaults(run=_overlay)


def _test(project: Project, args: argparse.Namespace) -> int:
    from patcher.run import gotest, testflags

    if testflags.wants_help(args.args):
        print(testflags.USAGE)
        return 0
    return gotest.test_main(project, args.args)


def _exec(project: Project, args: argparse.Namespace) -> int:
    from patcher.run import goexec, testflags

    if args.args[:1] in (["-h"], ["--help"]):
        print(testflags.USAGE)
        return 0
    return goexec.exec_main(project, args.args)


def _overlay(project: Project, args: argparse.Namespace) -> int:
    from patcher.golang import gotool
    from patcher.run import testprep

    go = gotool.resolve(args.go, project.cfg.cache_dir)
    print(testprep.overlay_path(project, project.variant(args.variant), go))
    return 0
