"""The host of reactor-bindgen-alltypes (case.toml `host`): implements every import of the world
(test:all/host: echo functions and the log-book resource) and drives every export with seeded
random values, 1,000 calls under GC pressure. Used by `validate` (runner) and by
tests/integration/test_bindgen.py (other seeds, on Go 1.24-1.27).

`define(linker, component, engine) -> Host` before instantiation; `drive(host, store, instance,
component, engine, seed=1, calls=1000) -> str | None`: None when every value came back equal
(canonical-ABI equality: any NaN equals any NaN), nothing leaked (no blocks held by the bindings,
no host resources left, Go heap flat), else one line saying what differed.
"""

from __future__ import annotations

from wasmtime import component as C

from patcher.bindgen import values as V
from patcher.bindgen.values import ValueGen, same

API = "test:all/api"
STACKS = "test:all/stacks"
HOST = "test:all/host"
SCALARS = ("bool", "u8", "s8", "u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64", "char", "string")
HOST_FUNCS = 33  # distinct host functions the exports must reach (28 echo functions, 5 name-in-*)
BORROWS = ("via-host-names", "book-names")  # world exports lending log books: driven by exercise_borrows


class Host:
    def __init__(self):
        self.calls: list[str] = []  # names of host functions called
        self.books: dict[int, dict] = {}  # the host's log-book resources by rep


def define(linker: C.Linker, comp: C.Component, engine) -> Host:
    host = Host()
    host_types = comp.type.imports(engine)[HOST].ty.exports(engine)
    with linker.root() as root, root.add_instance(HOST) as inst:
        _add_log_book(inst, host.books)
        _add_names(inst, host)
        for name, ft in host_types.items():
            if not isinstance(ft.ty, C.FuncType) or name.startswith(("[", "name-in-")):
                continue

            many = len(ft.ty.params) > 1

            def echo(store, *args, _name=name, _many=many):
                host.calls.append(_name)
                return tuple(args) if _many else args[0]
            inst.add_func(name, echo)
    return host


def _add_log_book(inst, books: dict) -> None:
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

    inst.add_resource("log-book", C.ResourceType.host(0), lambda store, rep: books.pop(rep))
    inst.add_func("[constructor]log-book", make)
    inst.add_func("[method]log-book.add", add)
    inst.add_func("[method]log-book.get", get)
    inst.add_func("[method]log-book.name", lambda store, b: book(store, b)["name"])
    inst.add_func("[static]log-book.close", lambda store, b: books.pop(b.to_host(store).rep)["bags"])


def _add_names(inst, host: Host) -> None:
    """name-in-*: a log book Go lends inside a list, an option, a tuple, a record and a variant."""
    def name(store, b):
        return host.books[b.to_host(store).rep]["name"]

    def add(wit_name, fn):
        def call(store, x):
            host.calls.append(wit_name)
            return fn(store, x)
        inst.add_func(wit_name, call)

    add("name-in-list", lambda store, xs: "".join(name(store, b) for b in xs))
    add("name-in-option", lambda store, x: name(store, x) if x is not None else "-")
    add("name-in-tuple", lambda store, x: f"{name(store, x[0])}#{x[1]}")
    add("name-in-record", lambda store, x: f"{name(store, x.b)}*{x.weight}")
    # wasmtime-py may give a variant case by its payload
    add("name-in-variant", lambda store, x: name(store, p) if (p := getattr(x, "payload", x)) is not None else "-")


def exercise_borrows(host: Host, store, funcs: dict, gen: ValueGen, rounds: int) -> None:
    """Borrows of the imported log-book both ways: Go lends its books to the host (via-host-names:
    in a list, an option, a tuple, a record, a variant),
    the host lends its own to Go (book-names: the bindings must drop those borrows before the
    export returns, or wasmtime traps)."""
    via, book_names = funcs["via-host-names"][0], funcs["book-names"][0]
    for i in range(rounds):
        names = [gen.value(C.String()) for _ in range(gen.rng.randint(1, 5))]
        want = [x for k, b in enumerate(names) for x in (b, b if k % 2 == 0 else "-", f"{b}#{k}", f"{b}*{k}", b if k % 2 == 0 else "-")]
        got = via(store, names)
        assert got == want, f"borrows round {i}: via-host-names({names!r:.200}) -> {got!r:.200}"
        assert not host.books, f"borrows round {i}: log books left after via-host-names"
        reps = []
        for n in names:
            reps.append(max(host.books, default=0) + 1)
            host.books[reps[-1]] = {"name": n, "bags": []}
        got = book_names(store, [C.ResourceHost.own(rep, 0) for rep in reps])
        assert got == names, f"borrows round {i}: book-names -> {got!r:.200}"
        for rep in reps:
            host.books.pop(rep)


def exports(store, inst, comp, engine) -> tuple[dict, dict]:
    """{name: (func, type)} of the api interface (as api.NAME) and the world, and the stacks functions."""
    ex = comp.type.exports(engine)
    api_idx = inst.get_export_index(store, API)
    funcs = {}
    for name, item in ex[API].ty.exports(engine).items():
        if isinstance(item.ty, C.FuncType):
            funcs[f"api.{name}"] = (inst.get_func(store, inst.get_export_index(store, name, api_idx)), item.ty)
    for name, item in ex.items():
        if isinstance(item.ty, C.FuncType):
            funcs[name] = (inst.get_func(store, name), item.ty)
    stacks_idx = inst.get_export_index(store, STACKS)
    stacks = {name: inst.get_func(store, inst.get_export_index(store, name, stacks_idx))
              for name, item in ex[STACKS].ty.exports(engine).items() if isinstance(item.ty, C.FuncType)}
    return funcs, stacks


def edge_scalars(store, funcs: dict, gen: ValueGen) -> int:
    """Every scalar type through an import (via-host-T: Go lowers to the host, lifts its answer)
    and an export (api.echo-T), with every edge value of the type and 20 seeded random ones:
    integer bounds, signed zeros, infinities, extreme and subnormal floats, NaNs with random
    payloads (any NaN may come back: the canonical ABI lets an implementation canonicalize them),
    chars at the UTF-8 length boundaries and on both sides of the surrogate gap, strings of those.
    Returns the number of calls."""
    lo_hi = {t.__name__.lower(): r for t, r in V._INT.items()}
    n = 0
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
                n += 1
    return n


def exercise_stacks(store, s: dict, gen: ValueGen, bag_ty, rounds: int) -> None:
    """The exported resource under the same pressure: make, push, pop, concat (borrows), consume (own), drop."""
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
        # Borrows in a list, an option, a tuple, records and a variant (both variant payloads and none).
        na, nb = len(bags_a), len(bags_b)
        ref = C.Record()
        ref.s, ref.weight = a, 2
        ref_b = C.Record()
        ref_b.s, ref_b.weight = b, 3
        maybe, want_maybe = (a, na) if i % 2 else (None, 1000)
        # stack-pick's cases carry distinct Python types: wasmtime-py takes them untagged.
        pick, want_pick = [(b, nb), ((a, b), na + nb), (None, 1000)][i % 3]
        got = s["[static]stack.sizes"](store, [a, b, a], maybe, (b, 7), [ref, ref_b], pick)
        assert got == [na, nb, na, want_maybe, nb + 7, na * 2, nb * 3, want_pick], f"stacks round {i}: sizes {got}"
        c = s["[static]stack.concat"](store, a, b)
        assert s["[method]stack.label"](store, c) == la + lb
        if bags_a:
            assert same(s["[method]stack.pop"](store, a), bags_a[-1])
        assert same(s["[static]stack.consume"](store, c), bags_a + bags_b)  # c is taken over by Go
        a.drop(store)
        b.drop(store)
        dropped += 2
        assert s["counts"](store) == (0, dropped), f"stacks round {i}: counts {s['counts'](store)}, expected (0, {dropped})"


def args_for(gen: ValueGen, name: str, ty) -> list:
    if name == "via-host-book":  # two host calls per bag: up to 8 bags keep the run short
        (_, name_ty), (_, bags_ty) = ty.params
        return [gen.value(name_ty), [gen.value(bags_ty.element, 1) for _ in range(gen.rng.randint(0, 8))]]
    return [gen.value(t) for _, t in ty.params]


def expected(name: str, args: list):
    if name == "api.no-result":
        return None
    if name == "via-host-book":
        return (args[0], args[1], args[1])
    return tuple(args) if len(args) > 1 else args[0]


def round_trip(host: Host, store, inst, comp, engine, *, seed: int = 1, calls: int = 1000) -> dict:
    """The whole check; raises AssertionError with a one-line message. Returns counts for reports."""
    funcs, stacks = exports(store, inst, comp, engine)
    probes = {n: funcs.pop(n)[0] for n in ("outstanding", "heap-alloc")}
    borrows = {n: funcs.pop(n) for n in BORROWS}
    gen = ValueGen(seed)
    exercise_borrows(host, store, borrows, gen, rounds=20)
    edge_calls = edge_scalars(store, funcs, gen)
    names = sorted(funcs)
    for name in names:  # every export at least once, then seeded random picks
        fn, ty = funcs[name]
        args = args_for(gen, name, ty)
        assert same(fn(store, *args), expected(name, args)), f"first call of {name}"
    heap_third = 0
    for i in range(calls):
        name = gen.rng.choice(names)
        fn, ty = funcs[name]
        args = args_for(gen, name, ty)
        got = fn(store, *args)
        assert same(got, expected(name, args)), f"seed {seed} call {i} {name}{tuple(args)!r:.300} -> {got!r:.300}"
        if i % 100 == 0:
            assert probes["outstanding"](store) == 0, f"blocks held by the bindings after {name}"
        assert not host.books, f"host log-books left after {name}"  # dropped or taken over, every call
        if i == calls // 3:
            heap_third = probes["heap-alloc"](store)
    bag_ty = funcs["api.echo-bag"][1].params[0][1]
    exercise_stacks(store, stacks, gen, bag_ty, rounds=60)
    assert probes["outstanding"](store) == 0, "blocks held by the bindings at the end"
    heap_after = probes["heap-alloc"](store)
    # Nothing accumulates: once the largest values have been seen (tables at their high-water
    # mark), the live heap after GC stays flat, and small in absolute terms.
    assert heap_after < heap_third + (1 << 20) and heap_after < 8 << 20, f"Go heap grew: {heap_third} -> {heap_after} bytes"
    assert len(set(host.calls)) == HOST_FUNCS, f"host functions reached: {sorted(set(host.calls))}"
    return {"exports": len(names), "edge_calls": edge_calls, "calls": calls, "host_calls": len(host.calls)}


def drive(host: Host, store, inst, comp, engine, *, seed: int = 1, calls: int = 1000) -> str | None:
    try:
        round_trip(host, store, inst, comp, engine, seed=seed, calls=calls)
    except AssertionError as e:
        return f"round trip: {' '.join(str(e).split())[:300]}"
    return None
