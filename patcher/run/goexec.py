"""`patcher exec`, the `go test -exec` form: go builds the wasip1 test binary (with `-overlay=$(patcher
overlay)` for the go variant), patcher adapts it into a command component and runs it here."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from patcher.core.errors import UsageError
from patcher.patching.project import Project
from patcher.run.testflags import Options, patcher_option
from patcher.run.testprep import adapt_binary, check_core_module, check_wasm_binary, command_recipe


def exec_main(project: Project, argv: list[str]) -> int:
    """`go test -exec 'patcher exec'`: adapt the test binary go built and run it here, output straight through."""
    from patcher.core import log
    from patcher.golang import gotool
    from patcher.run import testrun

    # go test shows what we print as the test's output: no progress lines of ours in it.
    log.set_quiet(True)
    argv = list(argv)
    o = Options(go=_default_exec_go())
    while argv and argv[0].startswith("--"):
        a = argv.pop(0)
        if not patcher_option(a, argv, o):
            raise UsageError(f"unknown patcher exec option {a}", hint="patcher exec [--variant NAME] [--adapt FILE] [--go SPEC] [--host NAME] TEST_BINARY [ARGS...]")
    if not argv:
        raise UsageError("patcher exec needs the test binary", hint="use it as: GOOS=wasip1 GOARCH=wasm go test -overlay=\"$(python -m patcher overlay)\" -exec 'python -m patcher exec' ./...")
    binary = Path(argv[0])
    check_core_module(binary)
    cfg = project.cfg
    go = gotool.resolve(o.go, cfg.cache_dir)
    r = command_recipe(project, project.variant(o.variant), adapt=o.adapt, go=go)
    check_wasm_binary(binary, r)
    component = adapt_binary(project, binary, r)
    runner = go.wasip1_runner()
    cwd = os.getcwd()
    if o.host != "wasmtime-py":  # another host's process, its output passed through as it comes
        from patcher.run import hosts

        hosts.version(hosts.check_name(o.host), cfg.cache_dir)
        out = hosts.run_test_binary(o.host, component, [str(binary), *argv[1:]], cwd=Path(cwd), cache_dir=cfg.cache_dir, runner=runner,
                                    echo=_passthrough)
        return 1 if out.exit_code is None else out.exit_code
    return testrun.run(component, [str(binary), *argv[1:]], cwd=cwd, env=testrun.guest_env(runner.env, cwd), cache_dir=cfg.cache_dir,
                       stack=runner.max_wasm_stack)


def _passthrough(line: str) -> None:
    sys.stdout.write(line)
    sys.stdout.flush()


def _default_exec_go() -> str:
    # go test -exec runs us with the GOROOT of the go that built the binary in the environment (when set).
    goroot = os.environ.get("GOROOT")
    if goroot and (Path(goroot) / "bin" / "go").is_file():
        return goroot
    return "go"
