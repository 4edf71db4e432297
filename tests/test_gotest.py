"""`patcher test` and `patcher exec` on tests/gomod: go test's output and exit status, as components."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import pytest
from conftest import ROOT, run_cli
from needs import source_or_skip

from patcher.core.errors import UsageError
from patcher.run import gotest

GOMOD = ROOT / "tests" / "gomod"
TIME = re.compile(r"\d+\.\d+s")


def integration(f):
    return pytest.mark.source(pytest.mark.go(pytest.mark.cargo(f)))


def _go_or_skip() -> str:
    go = shutil.which("go")
    if not go:
        pytest.skip("no `go` on PATH: patcher test builds Go test binaries (install Go >= 1.24)")
    return go


def _patcher_test(*args: str, env: dict | None = None):
    source_or_skip()
    _go_or_skip()
    return run_cli("-q", "test", *args, cwd=GOMOD, env=env)


def _native_go_test(*args: str):
    env = {**os.environ, "GOTOOLCHAIN": "local"}
    return subprocess.run([_go_or_skip(), "test", "-count=1", *args], cwd=GOMOD, capture_output=True, text=True, env=env)


# ---- flags (no Go needed)

def test_go_test_flags_become_test_binary_flags():
    o = gotest.parse_test_args(["-v", "-run", "TestX/sub", "-count=2", "-short", "-tags", "a,b", "--go", "1.25", "-timeout", "30s", "./...", "-args", "-x", "y"])
    assert o.test_flags == ["-test.v=true", "-test.run=TestX/sub", "-test.count=2", "-test.short=true"]
    assert o.build_flags == ["-tags=a,b"] and o.go == "1.25" and o.timeout == "30s"
    assert o.packages == ["./..."] and o.args == ["-x", "y"] and o.verbose
    assert gotest.parse_test_args([]).packages == ["."]
    assert gotest.duration_seconds("1m30s") == 90 and gotest.duration_seconds("0") == 0


@pytest.mark.parametrize("argv, message", [
    (["-json"], "-json is not supported"),
    (["-frobnicate"], "unknown go test flag -frobnicate"),
    (["-run"], "flag -run needs a value"),
    (["-v=maybe"], "-v is a boolean flag"),
])
def test_bad_flags_are_usage_errors(argv, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        gotest.parse_test_args(argv)
    with pytest.raises(UsageError, match="invalid -timeout"):
        gotest.duration_seconds("10 minutes")


def test_bad_flag_on_the_command_line_is_one_line(tmp_path):
    r = run_cli("test", "-json", "./...", cwd=tmp_path)
    assert r.returncode == 2
    assert [l for l in r.stderr.splitlines() if l.startswith("patcher:")] == ["patcher: error: go test flag -json is not supported by patcher test: read the plain output (drop the flag)"]


@integration
def test_exec_rejects_what_is_not_a_wasip1_test_binary(tmp_path):
    source_or_skip()
    _go_or_skip()
    (tmp_path / "x.test").write_bytes(b"#!/bin/sh\n")
    r = run_cli("-q", "exec", str(tmp_path / "x.test"), cwd=tmp_path)
    assert r.returncode == 2 and "is not a WebAssembly module (build it with GOOS=wasip1 GOARCH=wasm)" in r.stderr


# ---- the test module as components

@integration
def test_passing_package_prints_ok_and_exits_0():
    r = _patcher_test("./textutil")
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.fullmatch(r"ok  \texample.com/gomod/textutil\t\d+\.\d{3}s\n", r.stdout), r.stdout


@integration
def test_failing_package_matches_go_test():
    r = _patcher_test("./failing")
    native = _native_go_test("./failing")
    assert r.returncode == native.returncode == 1, r.stdout + r.stderr
    assert "--- FAIL: TestAddBroken" in r.stdout and "failing_test.go:13: Add(2, 2) = 5, want 4" in r.stdout
    assert TIME.sub("T", r.stdout) == TIME.sub("T", native.stdout)


@integration
def test_whole_module_like_go_test():
    r = _patcher_test("./...")
    native = _native_go_test("./...")
    assert r.returncode == native.returncode == 1
    assert TIME.sub("T", r.stdout) == TIME.sub("T", native.stdout)
    assert r.stdout.endswith("\nFAIL\n")


@integration
def test_run_filter_selects_a_subtest_and_v_streams_it():
    r = _patcher_test("-v", "-run", "TestReverse/unicode|TestGolden", "./textutil")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "TestMain: set up" in r.stdout
    assert "--- PASS: TestReverse/unicode" in r.stdout and "read 44 bytes from testdata" in r.stdout
    assert "TestReverse/ascii" not in r.stdout and "TestSetUpRan" not in r.stdout


@integration
def test_timeout_is_honoured():
    started = time.monotonic()
    r = _patcher_test("-timeout", "2s", "-run", "TestSleep", "./textutil", env={"GOMOD_SLEEP": "120s"})
    assert r.returncode == 1
    assert "panic: test timed out after 2s" in r.stdout and "TestSleep" in r.stdout
    assert re.search(r"^FAIL\texample.com/gomod/textutil\t", r.stdout, re.M)
    assert time.monotonic() - started < 60


@integration
def test_exec_form_runs_the_module_with_the_overlay():
    source_or_skip()
    go = _go_or_skip()
    ov = run_cli("-q", "overlay")
    assert ov.returncode == 0, ov.stderr
    env = {**os.environ, "GOOS": "wasip1", "GOARCH": "wasm", "GOTOOLCHAIN": "local"}
    exec_cmd = f"{sys.executable} -m patcher -q exec"
    r = subprocess.run([go, "test", f"-overlay={ov.stdout.strip()}", "-exec", exec_cmd, "./..."], cwd=GOMOD, capture_output=True, text=True, env=env)
    assert r.returncode == 1, r.stdout + r.stderr
    assert re.search(r"^ok  \texample.com/gomod/textutil\t", r.stdout, re.M)
    assert "--- FAIL: TestAddBroken" in r.stdout and re.search(r"^FAIL\texample.com/gomod/failing\t", r.stdout, re.M)
    # Without the overlay the go variant refuses, saying what to add.
    r = subprocess.run([go, "test", "-exec", exec_cmd, "./textutil"], cwd=GOMOD, capture_output=True, text=True, env=env)
    assert r.returncode == 1
    assert "built without the go variant's Go runtime overlay" in r.stdout + r.stderr


# ---- validate --stdlib, --shard and merging shard reports

def test_shard_split_is_deterministic_and_covers_everything():
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


@integration
def test_stdlib_tier_on_two_packages_in_two_shards_merged(tmp_path):
    source_or_skip()
    _go_or_skip()
    docs = []
    for k in (1, 2):
        out = tmp_path / f"s{k}.json"
        r = run_cli("-q", "validate", "--stdlib", "--variant", "go", "--stdlib-packages", "unicode/utf8,errors", "--shard", f"{k}/2", "--json", str(out))
        assert r.returncode == 0, r.stderr[-2000:]
        docs.append(out)
    merged = tmp_path / "merged.json"
    r = run_cli("report", *map(str, docs), "--json", str(merged), "--markdown", str(tmp_path / "merged.md"))
    assert r.returncode == 0, r.stderr
    import json

    rows = {(x["program"], x["adapter"]): x for x in json.loads(merged.read_text())["results"]}
    assert set(rows) == {(p, a) for p in ("unicode/utf8", "errors") for a in ("wasip1-core", "go")}
    assert all(x["status"] == "pass" and x["kind"] == "std-test" for x in rows.values())
    assert rows[("errors", "wasip1-core")]["pipeline"] == "oracle"
    r = run_cli("compat", *map(str, docs))
    assert re.search(r"^\| 1\.\d+\.\d+ \| 2 \| 2 \| 2 \| none \|$", r.stdout, re.M), r.stdout


def test_stdlib_judge_names_failing_tests_and_the_trap():
    from patcher.validation import stdlib

    out = gotest.Outcome(1, "--- FAIL: TestA (0.1s)\n    --- FAIL: TestA/x (0.0s)\nassertion failed at adapter line 2857"
                            "patcher: trap: wasm trap: unreachable (in adapter x)\n", 1.0)
    status, detail = stdlib.judge(out)
    assert status == "fail"
    assert detail == "--- FAIL: TestA, TestA/x | trap: wasm trap: unreachable (in adapter x) | assertion failed at adapter line 2857"
    assert stdlib.judge(gotest.Outcome(0, "PASS\n", 1.0)) == ("pass", "")
    assert "killed at the deadline" in stdlib.judge(gotest.Outcome(None, "", 1.0))[1]


@integration
def test_build_failure_is_reported_like_go_test(tmp_path):
    source_or_skip()
    go = _go_or_skip()
    (tmp_path / "go.mod").write_text("module example.com/broken\n\ngo 1.24\n")
    (tmp_path / "b.go").write_text("package broken\n")
    (tmp_path / "b_test.go").write_text("package broken\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) { nope() }\n")
    r = run_cli("-q", "test", "./...", cwd=tmp_path)
    native = subprocess.run([go, "test", "./..."], cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "GOTOOLCHAIN": "local"})
    assert r.returncode == native.returncode == 1
    assert r.stdout == native.stdout == "FAIL\texample.com/broken [build failed]\nFAIL\n"
    assert "undefined: nope" in r.stderr


def test_stdlib_summary_counts_per_go_and_never_blames_an_adapter_for_an_oracle_failure():
    from patcher.validation import report
    from patcher.validation.results import Result

    def row(pkg, adapter, status, go="1.26.8"):
        return Result(program=pkg, kind="std-test", adapter=adapter, go=go, status=status, pipeline="oracle" if adapter == "wasip1-core" else "plain")

    rows = [row("strings", "wasip1-core", "pass"), row("strings", "official", "fail"), row("strings", "go", "pass"),
            row("os", "wasip1-core", "fail"), row("os", "official", "xfail"), row("os", "go", "xfail"),
            row("strings", "wasip1-core", "pass", "1.24.11"), row("strings", "official", "pass", "1.24.11"), row("strings", "go", "pass", "1.24.11")]
    lines = report.stdlib_summary(rows).splitlines()
    assert lines[0] == "| Go | packages | wasip1-core | official | go | differing from the oracle |"
    assert lines[2] == "| 1.24.11 | 1 | 1 | 1 | 1 | none |"
    assert lines[3] == "| 1.26.8 | 2 | 1 | 0 | 1 | official: 1 (strings) |"
    assert report.summary(rows)["go"] == {"pass": 2, "fail": 0, "error": 0, "xfail": 1}
