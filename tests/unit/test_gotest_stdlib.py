"""`validate --stdlib`'s pieces that need no Go: --shard, package globs, judging an Outcome
(patcher.run.testchild) and the per-Go summary."""

from __future__ import annotations

from typing import Literal

import pytest

from patcher.core.errors import UsageError
from patcher.run import testchild


def test_shard_split_is_deterministic_and_covers_everything() -> None:
    from patcher.validation import shard, stdlib

    items = [f"p{i}" for i in range(11)]
    parts = [shard.shard(list(reversed(items)), (k, 3)) for k in (1, 2, 3)]
    assert sorted(p for part in parts for p in part) == sorted(items) and all(parts)
    assert parts[0] == shard.shard(items, (1, 3))
    assert stdlib.only(["crypto/aes", "crypto/rsa", "strings"], ["crypto/*"]) == ["crypto/aes", "crypto/rsa"]
    with pytest.raises(UsageError, match="no standard-library package matches 'zz'"):
        stdlib.only(["strings"], ["zz"])
    for bad in ("0/3", "4/3", "x", "1/0"):
        with pytest.raises(UsageError, match="invalid --shard"):
            shard.parse_shard(bad)


def test_stdlib_judge_names_failing_tests_and_the_trap() -> None:
    from patcher.validation import stdlib

    out = testchild.Outcome(1, "--- FAIL: TestA (0.1s)\n    --- FAIL: TestA/x (0.0s)\nassertion failed at adapter line 2857"
                               "patcher: trap: wasm trap: unreachable (in adapter x)\n", 1.0)
    status, detail = stdlib.judge(out)
    assert status == "fail"
    assert detail == "--- FAIL: TestA, TestA/x | trap: wasm trap: unreachable (in adapter x) | assertion failed at adapter line 2857"
    assert stdlib.judge(testchild.Outcome(0, "PASS\n", 1.0)) == ("pass", "")
    assert "killed at the deadline" in stdlib.judge(testchild.Outcome(None, "", 1.0))[1]


def test_stdlib_summary_counts_per_go_and_never_blames_an_adapter_for_an_oracle_failure() -> None:
    from patcher.validation import report
    from patcher.validation.results import Result

    def row(pkg: str, adapter: str, status: Literal["pass", "fail", "error", "xfail"], go: str = "1.26.8") -> Result:
        return Result(program=pkg, kind="std-test", adapter=adapter, go=go, status=status, pipeline="oracle" if adapter == "wasip1-core" else "plain")

    rows = [row("strings", "wasip1-core", "pass"), row("strings", "official", "fail"), row("strings", "go", "pass"),
            row("os", "wasip1-core", "fail"), row("os", "official", "xfail"), row("os", "go", "xfail"),
            row("strings", "wasip1-core", "pass", "1.24.11"), row("strings", "official", "pass", "1.24.11"), row("strings", "go", "pass", "1.24.11")]
    lines = report.stdlib_summary(rows).splitlines()
    assert lines[0] == "| Go | packages | wasip1-core | official | go | differing from the oracle |"
    assert lines[2] == "| 1.24.11 | 1 | 1 | 1 | 1 | none |"
    assert lines[3] == "| 1.26.8 | 2 | 1 | 0 | 1 | official: 1 (strings) |"
    assert report.summary(rows)["go"] == {"pass": 2, "fail": 0, "error": 0, "xfail": 1, "skip": 0}
