"""`patcher test` and `patcher exec` on tests/gomod: go test's output and exit status, as components."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from conftest import ROOT, run_cli
from needs import source_or_skip

GOMOD = ROOT / "tests" / "gomod"
TIME = re.compile(r"\d+\.\d+s")

F = TypeVar("F", bound=Callable[..., Any])


def integration(f: F) -> F:
    marked: F = pytest.mark.source(pytest.mark.go(pytest.mark.cargo(f)))
    return marked


def _go_or_skip() -> str:
    go = shutil.which("go")
    if not go:
        pytest.skip("no `go` on PATH: patcher test builds Go test binaries (install Go >= 1.24)")
    return go


def _patcher_test(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    source_or_skip()
    _go_or_skip()
    return run_cli("-q", "test", *args, cwd=GOMOD, env=env)


def _native_go_test(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GOTOOLCHAIN": "local"}
    return subprocess.run([_go_or_skip(), "test", "-count=1", *args], cwd=GOMOD, capture_output=True, text=True, env=env)


@integration
def test_exec_rejects_what_is_not_a_wasip1_test_binary(tmp_path: Path) -> None:
    source_or_skip()
    _go_or_skip()
    (tmp_path / "x.test").write_bytes(b"#!/bin/sh\n")
    r = run_cli("-q", "exec", str(tmp_path / "x.test"), cwd=tmp_path)
    assert r.returncode == 2 and "is not a WebAssembly module (build it with GOOS=wasip1 GOARCH=wasm)" in r.stderr


# ---- the test module as components

@integration
def test_passing_package_prints_ok_and_exits_0() -> None:
    r = _patcher_test("./textutil")
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.fullmatch(r"ok  \texample.com/gomod/textutil\t\d+\.\d{3}s\n", r.stdout), r.stdout


@integration
def test_failing_package_matches_go_test() -> None:
    r = _patcher_test("./failing")
    native = _native_go_test("./failing")
    assert r.returncode == native.returncode == 1, r.stdout + r.stderr
    assert "--- FAIL: TestAddBroken" in r.stdout and "failing_test.go:13: Add(2, 2) = 5, want 4" in r.stdout
    assert TIME.sub("T", r.stdout) == TIME.sub("T", native.stdout)


@integration
def test_whole_module_like_go_test() -> None:
    r = _patcher_test("./...")
    native = _native_go_test("./...")
    assert "FAIL\texample.com/gomod/failing" in native.stdout and "ok  \texample.com/gomod/textutil" in native.stdout
    assert r.returncode == native.returncode == 1
    assert TIME.sub("T", r.stdout) == TIME.sub("T", native.stdout)
    assert r.stdout.endswith("\nFAIL\n")


@integration
def test_run_filter_selects_a_subtest_and_v_streams_it() -> None:
    r = _patcher_test("-v", "-run", "TestReverse/unicode|TestGolden", "./textutil")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "TestMain: set up" in r.stdout
    assert "--- PASS: TestReverse/unicode" in r.stdout and "read 44 bytes from testdata" in r.stdout
    assert "TestReverse/ascii" not in r.stdout and "TestSetUpRan" not in r.stdout


@integration
def test_timeout_is_honoured() -> None:
    started = time.monotonic()
    r = _patcher_test("-timeout", "2s", "-run", "TestSleep", "./textutil", "-args", "-sleep=120s")
    assert r.returncode == 1
    assert "panic: test timed out after 2s" in r.stdout and "TestSleep" in r.stdout
    assert re.search(r"^FAIL\texample.com/gomod/textutil\t", r.stdout, re.M)
    assert time.monotonic() - started < 60


@integration
def test_exec_form_runs_the_module_with_the_overlay() -> None:
    source_or_skip()
    go = _go_or_skip()
    ov = run_cli("-q", "overlay")
    assert ov.returncode == 0, ov.stderr
    env = {**os.environ, "GOOS": "wasip1", "GOARCH": "wasm", "GOTOOLCHAIN": "local"}
    exec_cmd = f"{sys.executable} -m patcher exec"  # as README writes it: no -q
    r = subprocess.run([go, "test", f"-overlay={ov.stdout.strip()}", "-exec", exec_cmd, "./..."], cwd=GOMOD, capture_output=True, text=True, env=env)
    assert r.returncode == 1, r.stdout + r.stderr
    assert re.search(r"^ok  \texample.com/gomod/textutil\t", r.stdout, re.M)
    assert "--- FAIL: TestAddBroken" in r.stdout and re.search(r"^FAIL\texample.com/gomod/failing\t", r.stdout, re.M)
    assert not [l for l in r.stdout.splitlines() if l.startswith("patcher:")], r.stdout  # no progress lines in a package's output
    # Without the overlay the go variant refuses, saying what to add.
    r = subprocess.run([go, "test", "-exec", exec_cmd, "./textutil"], cwd=GOMOD, capture_output=True, text=True, env=env)
    assert r.returncode == 1
    assert "built without the go variant's Go runtime overlay" in r.stdout + r.stderr
    assert "an empty -overlay= is no overlay to go" in r.stdout + r.stderr


# ---- validate --stdlib, --shard and merging shard reports

@integration
def test_stdlib_tier_on_two_packages_in_two_shards_merged(tmp_path: Path) -> None:
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


@integration
def test_build_failure_is_reported_like_go_test(tmp_path: Path) -> None:
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


@integration
def test_goflags_reach_the_go_command() -> None:
    env = {**os.environ, "GOFLAGS": "-tags=mytag"}
    r = _patcher_test("./tagged", env=env)
    native = subprocess.run([_go_or_skip(), "test", "-count=1", "./tagged"], cwd=GOMOD, capture_output=True, text=True, env={**env, "GOTOOLCHAIN": "local"})
    assert r.returncode == native.returncode == 1, r.stdout + r.stderr
    assert "--- FAIL: TestOnlyWithMytag" in r.stdout and TIME.sub("T", r.stdout) == TIME.sub("T", native.stdout)


@integration
def test_exit_status_line_only_when_the_binary_printed_nothing() -> None:
    r = _patcher_test("./exits")
    native = _native_go_test("./exits")
    assert r.returncode == native.returncode == 1
    assert TIME.sub("T", r.stdout) == TIME.sub("T", native.stdout) == "set-up failed: exiting 3\nFAIL\texample.com/gomod/exits\tT\nFAIL\n"


@integration
def test_bench_and_list_output_is_shown() -> None:
    r = _patcher_test("-run", "^$", "-bench", "Reverse", "-benchtime", "100x", "./textutil")
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"^BenchmarkReverse\s+100\s+[\d.]+ ns/op$", r.stdout, re.M), r.stdout
    assert re.search(r"^ok  \texample.com/gomod/textutil\t", r.stdout, re.M)
    r = _patcher_test("-list", "Test(Reverse|Golden)", "./textutil", "./failing")
    assert r.returncode == 0, r.stdout + r.stderr
    native = _native_go_test("-list", "Test(Reverse|Golden)", "./textutil", "./failing")
    assert TIME.sub("T", r.stdout) == TIME.sub("T", native.stdout)
    assert "TestReverse\nTestGolden\nok  \texample.com/gomod/textutil" in r.stdout


@integration
def test_build_flags_C_p_o_x_and_vet_off(tmp_path: Path) -> None:
    source_or_skip()
    _go_or_skip()
    r = run_cli("-q", "test", "-C", str(GOMOD), "-vet=off", "-p", "1", "-x", "-o", f"{tmp_path}/", "./textutil", "./failing", cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stdout.index("ok  \texample.com/gomod/textutil") < r.stdout.index("FAIL\texample.com/gomod/failing")  # command-line order
    assert (tmp_path / "textutil.test").read_bytes()[:4] == b"\0asm" and (tmp_path / "failing.test").is_file()
    assert "WORK=" in r.stderr  # -x: the go command's commands


@integration
def test_a_binary_that_never_yields_is_stopped_with_its_stack() -> None:
    started = time.monotonic()
    r = _patcher_test("-timeout", "1s", "-run", "TestSpin", "./textutil", "-args", "-spin")
    assert r.returncode == 1
    assert "SIGQUIT: quit" in r.stdout and "textutil.TestSpin(...)\ntesting.tRunner(...)\n" in r.stdout, r.stdout
    assert "*** Test killed with quit: ran too long (1m1s).\nFAIL\texample.com/gomod/textutil\t" in r.stdout
    assert time.monotonic() - started < 120


@integration
def test_local_directory_mode_streams_and_prints_the_exit_status() -> None:
    source_or_skip()
    go = _go_or_skip()
    r = run_cli("-q", "test", cwd=GOMOD / "failing")
    native = subprocess.run([go, "test", "-count=1"], cwd=GOMOD / "failing", capture_output=True, text=True, env={**os.environ, "GOTOOLCHAIN": "local"})
    assert r.returncode == native.returncode == 1
    assert TIME.sub("T", r.stdout) == TIME.sub("T", native.stdout)
    assert "\nFAIL\nexit status 1\nFAIL\texample.com/gomod/failing\t" in r.stdout and not r.stdout.endswith("\nFAIL\n")
