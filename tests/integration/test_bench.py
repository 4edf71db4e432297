"""The benchmarks' own checks that need adapters built: host calls and adapter operators per
Preview 1 call (bench/attrib.py), and both sides of bench/bindgen.py computing the same."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _attrib() -> ModuleType:
    import importlib.util

    # bench/ on sys.path only while attrib imports its siblings: left there, its scripts would
    # shadow packages of the same name (PyPA `build`) for every later test.
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        spec = importlib.util.spec_from_file_location("attrib", ROOT / "bench" / "attrib.py")
        assert spec is not None and spec.loader is not None
        mod = importlib.util.module_from_spec(spec)
        sys.modules["attrib"] = mod  # dataclasses look their module up there
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return mod


@pytest.mark.cargo
@pytest.mark.source
def test_go_open_read_close_needs_three_host_calls() -> None:
    """Go's os.Open + Read + Close as Preview 1 calls: 5 host calls under Preview 1, 10 through the
    upstream adapter (stream per read, EAGAIN, poll_oneoff, get-flags/get-type), 3 through go
    (its `fast` patch)."""
    from needs import source_or_skip

    from patcher.adapter import adapters
    from patcher.patching.project import Project

    project = Project(source_or_skip())
    attrib = _attrib()
    paths = {v: adapters.variant_adapters(project, project.variant(v), kinds=("command",))["command"] for v in ("upstream", "go")}
    case = next(c for c in attrib.CASES if c.name.startswith("Go's os.Open"))
    per = attrib.measure(paths, [case])[case.name]
    assert (per["p1"][1], per["upstream"][1], per["go"][1]) == (5, 10, 3)
    assert per["go"][0] < per["upstream"][0] * 0.6  # adapter wasm operators per cycle


def _bench_module(name: str) -> ModuleType:
    import importlib.util

    sys.path.insert(0, str(ROOT / "bench"))  # only while the script imports its siblings (see _attrib)
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        mod = importlib.util.module_from_spec(spec)
        sys.modules[f"bench_{name}"] = mod
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return mod


@pytest.mark.go
@pytest.mark.cargo
@pytest.mark.source
def test_bindgen_benchmark_sides_compute_the_same(tmp_path: Path) -> None:
    """bench/bindgen.py without timing: both Go programs (hand-written glue, generated bindings)
    componentized with the go variant give the checked results for both workloads (64 KiB strings,
    a list of 10,000 records), so a measured ratio compares two correct sides."""
    import wasmtime
    from needs import source_or_skip

    source_or_skip()
    b = _bench_module("bindgen")
    _, glue, bg, _ = b.build("go", tmp_path, False)
    engine = wasmtime.Engine()
    for w in b.WORKLOADS:
        inputs = w.inputs(2)
        for path, label in ((glue, "glue"), (bg, "bindgen")):
            b.check_once(b.Program(engine, path, label, None), w, inputs)
    # The checker rejects a wrong answer (it is not vacuous).
    rec = b.WORKLOADS[1]
    items = rec.inputs(1)[0]
    assert rec.check(items, items) and "record 0" in rec.check(items, items)
    assert b.WORKLOADS[0].check("ab", "ab")


@pytest.mark.cargo
@pytest.mark.source
def test_go_clock_and_stdout_short_paths() -> None:
    """The `fast` patch's clock and stdout paths: one host call per Preview 1 call, and at most
    the adapter operators measured when they were written (bench/README.md) plus a margin."""
    from needs import source_or_skip

    from patcher.adapter import adapters
    from patcher.patching.project import Project

    project = Project(source_or_skip())
    attrib = _attrib()
    paths = {"go": adapters.variant_adapters(project, project.variant("go"), kinds=("command",))["command"]}
    limits = {
        "fd_write(stdout, 16 B)": 170,
        "clock_time_get(monotonic)": 45,
        "clock_time_get(monotonic), after output": 55,
        "time.Now()+time.Since() (3 clock reads), before any output": 170,
        "time.Now()+time.Since() (3 clock reads), after output": 185,
    }
    cases = [c for c in attrib.CASES if c.name in limits]
    rows = attrib.measure(paths, cases)
    for name, limit in limits.items():
        ops, calls = rows[name]["go"]
        assert calls == rows[name]["p1"][1], name  # one host call per Preview 1 call
        assert ops <= limit, (name, ops)


@pytest.mark.cargo
@pytest.mark.source
def test_direct_clocks_cut_the_adapter_out_of_clock_reads() -> None:
    """componentize's direct-clocks step: a clock read costs the crossing into an adapter and a
    handful of operators (one host call each, as under Preview 1), whatever the go adapter's State."""
    from needs import source_or_skip

    from patcher.adapter import adapters
    from patcher.patching.project import Project

    project = Project(source_or_skip())
    attrib = _attrib()
    go = adapters.variant_adapters(project, project.variant("go"), kinds=("command",))["command"]
    limits = {
        "clock_time_get(monotonic)": 20,
        "clock_time_get(realtime), after output": 45,
        "time.Now()+time.Since() (3 clock reads), before any output": 80,
        "time.Now()+time.Since() (3 clock reads), after output": 80,
    }
    rows = attrib.measure({"go+direct-clocks": go, "go": go}, [c for c in attrib.CASES if c.name in limits])
    for name, limit in limits.items():
        ops, calls = rows[name]["go+direct-clocks"]
        assert calls == rows[name]["p1"][1], name
        assert ops <= limit, (name, ops)
        assert ops < rows[name]["go"][0] / 2 + 5, (name, ops, rows[name]["go"][0])
