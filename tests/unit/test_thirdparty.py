"""`validate --thirdparty`'s pieces that need no Go: go test's per-package lines, and patcher test
judged against the oracle."""

from __future__ import annotations

from pathlib import Path

import pytest

from patcher.core.errors import UsageError
from patcher.golang.gotool import GoToolchain
from patcher.validation import thirdparty

ORACLE_OUT = """--- FAIL: TestX (0.00s)
FAIL
FAIL\texample.com/m/a\t0.10s
ok  \texample.com/m/b\t0.20s
ok  \texample.com/m/c\t0.01s [no tests to run]
?   \texample.com/m/d\t[no test files]
FAIL\texample.com/m/e [build failed]
FAIL
"""


def test_parse_reads_go_tests_package_lines() -> None:
    assert thirdparty.parse(ORACLE_OUT) == {"example.com/m/a": "fail", "example.com/m/b": "pass", "example.com/m/c": "pass", "example.com/m/e": "error"}


def test_compare_never_blames_patcher_test_for_what_the_oracle_fails() -> None:
    go = GoToolchain(exe=Path("go"), goroot=Path("/g"), version="1.26.8")
    oracle = thirdparty.SuiteRun(thirdparty.parse(ORACLE_OUT), 2.0, ORACLE_OUT, 1)
    ours = thirdparty.SuiteRun({"example.com/m/a": "fail", "example.com/m/b": "fail", "example.com/m/c": "pass"}, 2.2, "", 1)
    rows = {(r.program, r.adapter): r for r in thirdparty.compare("example.com/m", go, oracle, ours, "go")}
    assert rows[("example.com/m/a", "go")].status == "xfail"
    assert (rows[("example.com/m/b", "go")].status, rows[("example.com/m/b", "go")].detail) == ("fail", "oracle pass, patcher test fail")
    assert rows[("example.com/m/c", "go")].status == "pass" and rows[("example.com/m/b", "wasip1-core")].status == "pass"
    assert rows[("example.com/m/e", "go")].status == "xfail"  # missing on our side, build failed on the oracle's


def test_at_least_ten_pinned_modules_and_globs() -> None:
    assert len(thirdparty.MODULES) >= 10 and all(v.startswith("v") for _, v in thirdparty.MODULES)
    assert thirdparty.only(list(thirdparty.MODULES), ["github.com/google/*"]) == [("github.com/google/uuid", "v1.6.0"), ("github.com/google/go-cmp", "v0.7.0")]
    with pytest.raises(UsageError, match="no third-party module matches 'zz'"):
        thirdparty.only(list(thirdparty.MODULES), ["zz"])
