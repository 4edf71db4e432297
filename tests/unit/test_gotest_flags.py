"""`patcher test`'s go test command line (patcher.run.testflags): no Go needed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_cli

from patcher.core.errors import UsageError
from patcher.run import testflags


def test_go_test_flags_become_test_binary_flags() -> None:
    o = testflags.parse_test_args(["-v", "-run", "TestX/sub", "-count=2", "-short", "-tags", "a,b", "--go", "1.25", "-timeout", "30s", "./...", "-args", "-x", "y"])
    assert o.test_flags == ["-test.v=true", "-test.run=TestX/sub", "-test.count=2", "-test.short=true"]
    assert o.build_flags == ["-tags=a,b"] and o.go == "1.25" and o.timeout == "30s"
    assert o.packages == ["./..."] and o.args == ["-x", "y"] and o.verbose
    assert testflags.parse_test_args([]).packages == ["."]
    assert testflags.duration_seconds("1m30s") == 90 and testflags.duration_seconds("0") == 0


@pytest.mark.parametrize("argv, message", [
    (["-json"], "-json is not supported"),
    (["-frobnicate"], "unknown go test flag -frobnicate"),
    (["-run"], "flag -run needs a value"),
    (["-v=maybe"], "-v is a boolean flag"),
])
def test_bad_flags_are_usage_errors(argv: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        testflags.parse_test_args(argv)
    with pytest.raises(UsageError, match="invalid -timeout"):
        testflags.duration_seconds("10 minutes")


def test_bad_flag_on_the_command_line_is_one_line(tmp_path: Path) -> None:
    r = run_cli("test", "-json", "./...", cwd=tmp_path)
    assert r.returncode == 2
    assert [l for l in r.stderr.splitlines() if l.startswith("patcher:")] == ["patcher: error: go test flag -json is not supported by patcher test: read the plain output (drop the flag)"]


def test_go_test_habits_are_accepted() -> None:
    o = testflags.parse_test_args(["-C", "mod", "-vet=off", "-p", "3", "-x", "-o", "out/", "-bench", ".", "-list", "X", "./..."])
    assert o.chdir == "mod" and o.parallel_packages == 3 and o.output == "out/" and o.bench and o.list_tests and o.packages_given
    assert o.build_flags == ["-vet=off", "-p=3", "-x"]
    assert "-test.bench=." in o.test_flags and "-test.list=X" in o.test_flags
    assert not testflags.parse_test_args([]).packages_given
    assert [testflags.go_duration(s) for s in (2, 61, 660, 3600)] == ["2s", "1m1s", "11m0s", "1h0m0s"]


@pytest.mark.parametrize("argv, message", [
    (["-cpuprofile", "cpu.out"], "-cpuprofile is not supported by patcher test: a wasip1 test binary cannot profile its CPU"),
    (["-v", "-C", "dir"], "-C must be the first flag"),
    (["-p", "0"], "-p needs a positive number"),
])
def test_flags_a_wasm_binary_cannot_honour_are_refused_in_one_line(argv: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        testflags.parse_test_args(argv)


def test_report_prints_an_exit_status_only_when_go_test_would() -> None:
    from patcher.run.gotest import report
    from patcher.run.testchild import Outcome

    def rep(out: Outcome, **kw: bool) -> str:
        opts = {"show_pass": False, "live": False, "streamed": False, **kw}
        text, _ = report("p", out, kill_after="11m0s", **opts)
        return re.sub(r"\d+\.\d{3}s", "T", text)

    printed = Outcome(1, "panic: boom\n", 1.0)
    assert rep(printed) == "panic: boom\nFAIL\tp\tT\n"  # output kept: no exit status (cmd/go 1.24-1.27)
    assert rep(Outcome(1, "", 1.0)) == "exit status 1\nFAIL\tp\tT\n"
    assert rep(printed, live=True, streamed=True) == "exit status 1\nFAIL\tp\tT\n"  # streamed: go test kept nothing
    assert rep(Outcome(None, "SIGQUIT: quit\n", 1.0)) == "SIGQUIT: quit\n*** Test killed with quit: ran too long (11m0s).\nFAIL\tp\tT\n"
    assert rep(Outcome(0, "=== RUN X\nPASS\n", 1.0), show_pass=True) == "=== RUN X\nPASS\nok  \tp\tT\n"
    assert rep(Outcome(0, "PASS\n", 1.0)) == "ok  \tp\tT\n"
    assert rep(Outcome(0, "testing: warning: no tests to run\nPASS\n", 1.0)) == "ok  \tp\tT [no tests to run]\n"
