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
