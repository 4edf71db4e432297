"""`patcher test`: Go package tests run as WASI P2 components, reported like `go test`.

`patcher test [--variant NAME] [--adapt FILE] [--go SPEC] [go test flags] [PKG...]` builds each
package's test binary for wasip1 with the variant's companion steps (the ones `componentize` does),
adapts it into a command component and runs it in a child process under the `wasmtime` package the
way the Go in use's go_wasip1_wasm_exec runs a Preview 1 test binary (see patcher.run.testrun).

As go test does, packages are built and run `-p` at a time (the number of CPUs by default) and
reported in order; output is streamed when no package is named or with -bench (runs then one at a
time), and with -v or -list when one package runs or -p is 1. The rules are cmd/go's (Go 1.24-1.27
agree on them).

The pieces: testflags (the command line), gopackages (`go list`, `go test -c`), testprep (adapter
and companion steps), testchild (one timed run); `patcher exec` is in goexec.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from patcher.component import recipe
from patcher.component.recipe import Recipe
from patcher.core.errors import PatcherError, UsageError
from patcher.golang.gotool import GoToolchain, Wasip1Runner
from patcher.patching.project import Project
from patcher.run import hosts
from patcher.run.gopackages import Package, build_test_binary, list_packages
from patcher.run.testchild import KILL_GRACE_S, Outcome
from patcher.run.testflags import Options, duration_seconds, go_duration, parse_test_args
from patcher.run.testprep import adapt_binary, command_recipe

_stdout_lock = threading.Lock()


def _echo(line: str) -> None:
    with _stdout_lock:
        sys.stdout.write(line)
        sys.stdout.flush()


@dataclass
class _Plan:
    """What every package's run shares."""

    project: Project
    go: GoToolchain
    recipe: cf.Future[Recipe]
    overlay: Path | None  # the recipe's Go runtime overlay, known before the recipe
    runner: Wasip1Runner
    o: Options
    argv_flags: list[str]
    timeout_s: float
    tmp: Path
    streamed: bool  # go test's streamOutput: output goes straight through, nothing kept
    live: bool  # output echoed as it comes (streamed, or shown-when-passing with one run at a time)
    cwd: Path | None  # -C, where the go command runs


@dataclass
class _Built:
    component: Path | None = None
    report: str = ""  # stdout when the package ends before running (no tests, build or adapt failure)
    stderr: str = ""  # the go command's own stderr (build errors, -x)
    failed: bool = False


def test_main(project: Project, argv: list[str]) -> int:
    """`patcher test`: go test's output and exit status, with every package run as a component."""
    from patcher.golang import gotool

    cfg = project.cfg
    o = parse_test_args(argv)
    cwd = Path(o.chdir).resolve() if o.chdir else None
    if cwd is not None and not cwd.is_dir():
        raise UsageError(f"-C {o.chdir}: no such directory", hint="pass -C an existing directory (your module)")
    timeout_s = duration_seconds(o.timeout)
    if o.host != hosts.DEFAULT_HOST:
        hosts.version(hosts.check_name(o.host), cfg.cache_dir)  # unknown or missing: one line, before any build
    go = gotool.resolve(o.go, cfg.cache_dir)
    variant = project.variant(o.variant)
    overlay = recipe.overlay_for(project, variant, go)
    if overlay is not None and any(f.startswith("-overlay=") for f in o.build_flags):
        raise UsageError(f"variant {variant.name} brings its own -overlay (the Go runtime overlay)", hint="drop -overlay, or use --variant upstream")
    # The adapter (prebuilt, or checked against its recipe) is resolved while go lists and builds.
    side = cf.ThreadPoolExecutor(max_workers=1)
    prep = side.submit(command_recipe, project, variant, adapt=o.adapt, go=go)
    side.shutdown(wait=False)
    pkgs = list_packages(go, o.packages, o.build_flags, cwd=cwd)
    if not pkgs:
        print("no packages to test", file=sys.stderr)
        return 1
    out = _output_target(o.output, pkgs, cwd or Path.cwd())
    jobs = o.parallel_packages or os.cpu_count() or 1
    show_pass = o.verbose or o.list_tests
    streamed = not o.packages_given or o.bench
    live = streamed or (show_pass and (len(pkgs) == 1 or jobs == 1))
    argv_flags = ["-test.paniconexit0", f"-test.timeout={o.timeout}", *o.test_flags, *o.args]
    failed = False
    with tempfile.TemporaryDirectory(prefix="patcher-test-") as t:
        plan = _Plan(project, go, prep, overlay, go.wasip1_runner(), o, argv_flags, timeout_s, Path(t), streamed, live, cwd)
        # Runs one at a time (in order) when their output is echoed live, as go test does for -bench.
        serial = live
        with cf.ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_build, plan, i, p, out) if serial else pool.submit(_build_and_run, plan, i, p, out)
                       for i, p in enumerate(pkgs)]
            try:
                for pkg, fut in zip(pkgs, futures, strict=True):
                    built = fut.result()
                    text, ok = (built.report, not built.failed) if built.component is None else _run(plan, pkg, built.component, echo=_echo)
                    with _stdout_lock:
                        sys.stderr.write(built.stderr)
                        sys.stderr.flush()
                        sys.stdout.write(text)
                        sys.stdout.flush()
                    failed |= not ok
                    if not ok and "-test.failfast=true" in o.test_flags:
                        for f in futures:
                            f.cancel()
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
    prep.result()  # an adapter that cannot be had is an error even when no package needed it
    if failed and o.packages_given:  # cmd/go's printExitStatus: not in local directory mode
        print("FAIL", flush=True)
    return 1 if failed else 0


def _output_target(output: str | None, pkgs: list[Package], cwd: Path) -> tuple[Path, bool] | None:
    """-o as go test reads it: (path, is a directory); a directory if it ends in / or is one, else a
    file, which only one package may write."""
    if output is None:
        return None
    path = Path(output) if Path(output).is_absolute() else cwd / output
    if output.endswith(("/", os.sep)) or path.is_dir():
        return path, True
    if len(pkgs) > 1:
        raise UsageError("with multiple packages, -o must refer to a directory", hint="pass -o DIR/ (as go test)")
    return path, False


def _build(plan: _Plan, index: int, pkg: Package, out: tuple[Path, bool] | None) -> _Built:
    """`go test -c` and the adapter; what to print if the package stops here."""
    if pkg.error:
        return _Built(report=f"{pkg.error}\nFAIL\t{pkg.import_path} [setup failed]\n", failed=True)
    if not pkg.has_tests:
        return _Built(report=f"?   \t{pkg.import_path}\t[no test files]\n")
    name = pkg.import_path.rsplit("/", 1)[-1] + ".test"
    binary = plan.tmp / f"{index}-{name}.wasm"
    r = build_test_binary(plan.go, pkg.import_path, binary, build_flags=plan.o.build_flags, overlay=plan.overlay, cwd=plan.cwd)
    if r.returncode != 0 or not binary.is_file():
        return _Built(report=f"FAIL\t{pkg.import_path} [build failed]\n", stderr=r.stderr, failed=True)
    if out is not None:  # -o: the wasip1 test binary, as go test -o keeps the native one
        target = out[0] / name if out[1] else out[0]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(binary, target)
    prep = plan.recipe.result()  # its errors are the command's, not this package's
    try:
        return _Built(component=adapt_binary(plan.project, binary, prep), stderr=r.stderr if "-x" in plan.o.build_flags else "")
    except PatcherError as e:
        return _Built(report=f"patcher: {e.one_line()}\nFAIL\t{pkg.import_path} [adapt failed]\n", failed=True)


def _build_and_run(plan: _Plan, index: int, pkg: Package, out: tuple[Path, bool] | None) -> _Built:
    built = _build(plan, index, pkg, out)
    if built.component is None:
        return built
    text, ok = _run(plan, pkg, built.component, echo=None)
    return _Built(report=text, stderr=built.stderr, failed=not ok)


def _run(plan: _Plan, pkg: Package, component: Path, *, echo: Callable[[str], None] | None) -> tuple[str, bool]:
    name = pkg.import_path.rsplit("/", 1)[-1] + ".test"
    deadline = plan.timeout_s + KILL_GRACE_S if plan.timeout_s else 0.0
    outcome = hosts.run_test_binary(plan.o.host, component, [name, *plan.argv_flags], cwd=pkg.dir, cache_dir=plan.project.cfg.cache_dir,
                                    deadline_s=deadline, echo=echo, runner=plan.runner)
    return report(pkg.import_path, outcome, show_pass=plan.o.verbose or plan.o.list_tests, live=echo is not None, streamed=plan.streamed,
                  kill_after=go_duration(deadline))


def report(import_path: str, outcome: Outcome, *, show_pass: bool, live: bool, streamed: bool, kill_after: str) -> tuple[str, bool]:
    """What go test prints for one package's run (cmd/go's runTestActor), and whether it passed.

    `live`: the output was already echoed; `streamed`: go test kept none of it (so an exit status
    is printed on every failure, as cmd/go prints one when it saw no output)."""
    secs = f"{outcome.seconds:.3f}s"
    out = outcome.output
    text = ""
    if outcome.exit_code == 0:
        if show_pass and not live:
            text += out
        if out and not out.endswith("\n"):
            text += "\n"
        norun = " [no tests to run]" if out.startswith("testing: warning: no tests to run\n") or "\ntesting: warning: no tests to run\n" in out else ""
        return text + f"ok  \t{import_path}\t{secs}{norun}\n", True
    if not live:
        text += out
    if outcome.exit_code is None:
        text += f"*** Test killed with quit: ran too long ({kill_after}).\n"
    elif streamed or not out:
        text += f"exit status {outcome.exit_code}\n"  # cmd/go prints the exit status only when it kept no output
    elif not out.endswith("\n"):
        text += "\n"
    return text + f"FAIL\t{import_path}\t{secs}\n", False
