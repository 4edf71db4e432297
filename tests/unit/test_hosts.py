"""The hosts' pure parts: WAVE for `wasmtime run --invoke`, reading the CLI's refusals, what a host
can drive, jco's prelude, the host table, and `--host` on the command line."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from conftest import run_cli

from patcher.core.errors import PatcherError, UsageError
from patcher.run import host_cli, host_jco, hosts, wave
from patcher.run.testflags import parse_test_args
from patcher.validation import report
from patcher.validation.corpus import Call, Case
from patcher.validation.results import Result


def test_wave_encodes_case_values() -> None:
    assert wave.call("concat", ["foo", 'b"a\\r\n']) == 'concat("foo", "b\\"a\\\\r\\n")'
    assert wave.call("add", [4294967295, 1]) == "add(4294967295, 1)"
    assert wave.call("hypot", [3.0, 4.5]) == "hypot(3.0, 4.5)"
    assert wave.call("f", [True, [1, 2], [], ["ü"]]) == 'f(true, [1, 2], [], ["ü"])'
    assert wave.encode(float("nan")) == "nan" and wave.encode(-math.inf) == "-inf"
    with pytest.raises(PatcherError, match="no WAVE encoding for a dict"):
        wave.encode({"a": 1})


def test_wave_reads_what_the_cli_prints() -> None:
    assert wave.parse('"HÉLLO \\"W\\" \\u{1f600}"') == 'HÉLLO "W" \U0001f600'
    assert wave.parse('["ünï", "ccc", "bb", "a"]') == ["ünï", "ccc", "bb", "a"]
    assert wave.parse("[0, 7, 14, 21]") == [0, 7, 14, 21]
    assert wave.parse("-9000000000") == -9000000000 and wave.parse("5.0") == 5.0
    assert wave.parse("true") is True and wave.parse("none") is None and wave.parse("some(3)") == 3
    assert wave.parse("ok(\"x\")") == {"ok": "x"} and wave.parse("'c'") == "c" and wave.parse("(1, \"a\")") == [1, "a"]
    assert wave.parse("{name: \"n\", count: 2}") == {"name": "n", "count": 2}
    with pytest.raises(PatcherError, match="trailing text"):
        wave.parse("1 2")


def test_wave_round_trips_strings_with_every_escape() -> None:
    for s in ["", "a\tb", "quote\"s", "back\\slash", "\x00\x1f", "日本"]:
        assert wave.parse(wave.encode(s)) == s


CLI_TRAP = """Error: failed to run main module `x.wasm`

Caused by:
    0: failed to invoke command default
    1: error while executing at wasm backtrace:
    0:     0x23 - adapter:wasi_snapshot_preview1!fd_write
    1:     0x99 - <unknown>!runtime.write1
    2: wasm trap: wasm `unreachable` instruction executed
"""

CLI_REFUSAL = """Error: failed to run main module `greet.wasm`

Caused by:
    0: component imports instance `wasi:io/streams@0.2.12`, but a matching implementation was not found in the linker
    1: instance export `error` has the wrong type
    2: mismatched resource types
"""


def test_cli_trap_text_gives_the_trap_and_frames() -> None:
    first, frames = host_cli._refusal(CLI_TRAP)
    assert first == "wasm `unreachable` instruction executed"
    assert frames == {"adapter": "fd_write", "go": "runtime.write1"}


def test_cli_refusal_gives_the_innermost_cause() -> None:
    first, _ = host_cli._refusal(CLI_REFUSAL)
    assert first == "mismatched resource types"
    assert host_cli._refusal("Error: boom\n")[0] == "boom"
    assert host_cli._refusal("stack\n    2: wasm trap: interrupt\n")[0] == "timed out (wasmtime -W timeout)"


def _reactor(**kw: object) -> Case:
    kw.setdefault("calls", (Call("f", ()),))
    return Case(name="r", dir=Path("."), summary="", kind="reactor", **kw)  # type: ignore[arg-type]


def test_what_each_host_can_drive() -> None:
    cmd = Case(name="c", dir=Path("."), summary="", kind="command")
    assert all(hosts.drives(h, cmd) is None for h in hosts.HOST_NAMES)
    stateful = _reactor()
    assert hosts.drives("wasmtime-py", stateful) is None and hosts.drives("jco", stateful) is None
    assert "fresh instance per call" in (hosts.drives("wasmtime-cli", stateful) or "")
    assert hosts.drives("wasmtime-cli", _reactor(calls_independent=True)) is None
    with_host = _reactor(host=Path("host.py"), calls_independent=True)
    assert "Python host module" in (hosts.drives("wasmtime-cli", with_host) or "")
    assert "Python host module" in (hosts.drives("jco", with_host) or "")


def test_unknown_host_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown host 'wasmer'") as e:
        hosts.check_name("wasmer")
    assert "wasmtime-py, wasmtime-cli, jco" in e.value.one_line()


def test_jco_prelude_sets_what_the_case_gives() -> None:
    js = host_jco._prelude(args=["prog", "a b"], env={"K": "v\"q"}, cwd="/pkg", preopens={"/data": "/tmp/x"})
    assert "_setArgs([\"prog\", \"a b\"]);" in js and '_setEnv({"K": "v\\"q"});' in js
    assert '_setCwd("/pkg");' in js and '_setPreopens({"/data": "/tmp/x"});' in js
    assert host_jco._camel("alloc-big") == "allocBig" and host_jco._camel("sum") == "sum"


def test_test_host_flag_is_a_patcher_option() -> None:
    o = parse_test_args(["--host", "wasmtime-cli", "-run", "X", "./..."])
    assert o.host == "wasmtime-cli" and o.packages == ["./..."]
    assert parse_test_args(["--host=jco"]).host == "jco" and parse_test_args([]).host == "wasmtime-py"


def _row(program: str, host: str, go: str, status: str, kind: str = "command") -> Result:
    return Result(program=program, kind=kind, adapter="go", go=go, status=status, pipeline="componentize", host=host)  # type: ignore[arg-type]


def test_host_table_counts_passes_and_never_counts_a_skip() -> None:
    rows = [_row("a", "wasmtime-py 50.0.1", "1.24.11", "pass"), _row("a", "wasmtime-py 50.0.1", "1.27.3", "pass"),
            _row("a", "wasmtime-cli 49.0.3", "1.24.11", "pass"), _row("a", "wasmtime-cli 49.0.3", "1.27.3", "fail"),
            _row("r", "wasmtime-py 50.0.1", "1.24.11", "pass", "reactor"), _row("r", "wasmtime-cli 49.0.3", "1.24.11", "skip", "reactor"),
            Result(program="a", kind="command", adapter="native", go="1.24.11", status="pass", pipeline="oracle")]
    lines = report.host_table(rows, "go").splitlines()
    assert lines[0] == "| program | kind | wasmtime-py 50.0.1 | wasmtime-cli 49.0.3 |"
    assert lines[2] == "| a | command | ✅ ✅ | ✅ ❌ |"
    assert lines[3] == "| r | reactor | ✅ · | ⏭️ · |"
    assert lines[4] == "| **passes** | | 3/3 | 1/3 (1 not driven) |"
    s = report.summary(rows)
    assert s["go @ wasmtime-cli 49.0.3"] == {"pass": 1, "fail": 1, "error": 0, "xfail": 0, "skip": 1}
    assert report.summary(rows, by_host=False)["go"]["pass"] == 4


def test_merge_keeps_one_row_per_host(tmp_path: Path) -> None:
    a = [_row("a", "wasmtime-py 50.0.1", "1.24.11", "pass")]
    b = [_row("a", "wasmtime-cli 49.0.3", "1.24.11", "fail")]
    merged, _ = report.merge([(a, {}), (b, {}), (a, {})])
    assert [(r.host, r.status) for r in merged] == [("wasmtime-py 50.0.1", "pass"), ("wasmtime-cli 49.0.3", "fail")]


def test_validate_with_an_unknown_host_fails_before_building(tmp_path: Path) -> None:
    r = run_cli("validate", "--variant", "go", "--host", "wasmer", cwd=tmp_path)
    assert r.returncode == 2 and "unknown host 'wasmer'" in r.stderr and "Traceback" not in r.stderr


def test_compat_writes_the_host_table_and_leaves_the_others(tmp_path: Path) -> None:
    rows = [_row("a", "wasmtime-py 50.0.1", "1.24.11", "pass"), _row("a", "wasmtime-cli 49.0.3", "1.24.11", "fail"),
            _row("r", "wasmtime-py 50.0.1", "1.24.11", "pass", "reactor"), _row("r", "wasmtime-cli 49.0.3", "1.24.11", "skip", "reactor")]
    rep = tmp_path / "r.json"
    rep.write_text(report.to_json(rows, pin={"tag": "v48.0.0", "commit": "f" * 40}))
    readme = tmp_path / "README.md"
    readme.write_text("x\n<!-- compat:begin -->\nOLD CORPUS\n<!-- compat:end -->\n<!-- hosts:begin -->\nOLD\n<!-- hosts:end -->\ny\n")
    r = run_cli("compat", str(rep), "--readme", str(readme), "--tables", "hosts", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text = readme.read_text()
    assert "OLD CORPUS" in text and "\nOLD\n" not in text
    assert "| a | command | ✅ | ❌ |" in text and "| r | reactor | ✅ | ⏭️ |" in text and "| **passes** | | 2/2 | 0/2 (1 not driven) |" in text
    bad = run_cli("compat", str(rep), "--tables", "nope", cwd=tmp_path)
    assert bad.returncode == 2 and "choose from corpus, hosts, stdlib" in bad.stderr


def test_cli_cannot_pass_a_call_longer_than_one_argument_may_be() -> None:
    big = _reactor(calls_independent=True, calls=(Call("summary", (["x" * 200] * 5000,)),))
    why = hosts.drives("wasmtime-cli", big) or ""
    assert "MAX_ARG_STRLEN" in why and "summary" in why
    small = _reactor(calls_independent=True, calls=(Call("summary", (["x" * 200] * 10,)),))
    assert hosts.drives("wasmtime-cli", small) is None


def test_stdlib_judge_reads_the_wasmtime_clis_trap() -> None:
    from patcher.run.testchild import Outcome
    from patcher.validation import stdlib

    out = Outcome(134, "=== RUN TestX\n" + CLI_TRAP, 1.0)
    status, detail = stdlib.judge(out)
    assert status == "fail" and "trap: wasm `unreachable` instruction executed" in detail
