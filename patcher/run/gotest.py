"""`patcher test`: Go package tests run as WASI P2 components, reported like `go test`.

`patcher test [--variant NAME] [--adapt FILE] [--go SPEC] [go test flags] [PKG...]` builds each
package's test binary for wasip1 with the variant's companion steps (the ones `componentize` does),
adapts it into a command component and runs it in a child process under the `wasmtime` package the
way go_wasip1_wasm_exec runs a Preview 1 test binary (see patcher.run.testrun).

The pieces: testflags (the command line), gopackages (`go list`, `go test -c`), testprep (adapter
and companion steps), testchild (one timed run); `patcher exec` is in goexec.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from patcher.core.errors import PatcherError, UsageError
from patcher.patching.project import Project
from patcher.run.gopackages import build_test_binary, list_packages
from patcher.run.testchild import KILL_GRACE_S, Outcome, run_child
from patcher.run.testflags import duration_seconds, parse_test_args
from patcher.run.testprep import adapt_binary, command_recipe


def _echo(line: str) -> None:
    sys.stdout.write(line)
    sys.stdout.flush()


def test_main(project: Project, argv: list[str]) -> int:
    """`patcher test`: go test's output and exit status, with every package run as a component."""
    from patcher.golang import gotool

    cfg = project.cfg
    o = parse_test_args(argv)
    timeout_s = duration_seconds(o.timeout)
    go = gotool.resolve(o.go, cfg.cache_dir)
    variant = project.variant(o.variant)
    prep = command_recipe(project, variant, adapt=o.adapt, go=go)
    if prep.overlay is not None and any(f.startswith("-overlay=") for f in o.build_flags):
        raise UsageError(f"variant {variant.name} brings its own -overlay (the Go runtime overlay)", hint="drop -overlay, or use --variant upstream")
    pkgs = list_packages(go, o.packages, o.build_flags)
    if not pkgs:
        print("no packages to test", file=sys.stderr)
        return 1
    argv_flags = ["-test.paniconexit0", f"-test.timeout={o.timeout}", *o.test_flags, *o.args]
    failed = False
    with tempfile.TemporaryDirectory(prefix="patcher-test-") as t:
        for pkg in pkgs:
            if pkg.error:
                print(f"{pkg.error}\nFAIL\t{pkg.import_path} [setup failed]", flush=True)
                failed = True
                continue
            if not pkg.has_tests:
                print(f"?   \t{pkg.import_path}\t[no test files]", flush=True)
                continue
            name = pkg.import_path.rsplit("/", 1)[-1] + ".test"
            binary = Path(t) / f"{len(os.listdir(t))}-{name}.wasm"
            r = build_test_binary(go, pkg.import_path, binary, build_flags=o.build_flags, overlay=prep.overlay)
            if r.returncode != 0 or not binary.is_file():
                sys.stderr.write(r.stderr)
                print(f"FAIL\t{pkg.import_path} [build failed]", flush=True)
                failed = True
                continue
            try:
                component = adapt_binary(project, binary, prep)
            except PatcherError as e:
                print(f"patcher: {e.one_line()}\nFAIL\t{pkg.import_path} [adapt failed]", flush=True)
                failed = True
                continue
            outcome = run_child(component, [name, *argv_flags], cwd=pkg.dir, cache_dir=cfg.cache_dir,
                                deadline_s=timeout_s + KILL_GRACE_S if timeout_s else 0.0, echo=_echo if o.verbose else None)
            failed |= not _report(pkg.import_path, outcome, streamed=o.verbose, timeout_s=timeout_s)
    if failed:
        print("FAIL", flush=True)
    return 1 if failed else 0


def _report(import_path: str, outcome: Outcome, *, streamed: bool, timeout_s: float) -> bool:
    """Print go test's summary line for one package; True if it passed."""
    secs = f"{outcome.seconds:.3f}s"
    if outcome.exit_code == 0:
        norun = " [no tests to run]" if "testing: warning: no tests to run" in outcome.output else ""
        print(f"ok  \t{import_path}\t{secs}{norun}", flush=True)
        return True
    if not streamed:
        sys.stdout.write(outcome.output)
    if outcome.exit_code is None:
        print(f"*** Test killed: ran too long ({timeout_s + KILL_GRACE_S:.0f}s).")
    elif not outcome.output or not outcome.output.endswith("\nFAIL\n"):
        print(f"exit status {outcome.exit_code}")  # as go test: only when the binary's own FAIL line is missing
    print(f"FAIL\t{import_path}\t{secs}", flush=True)
    return False
