"""Go code that lifts and lowers WIT values: flat (core wasm values) and in linear memory.

Go sees every i32 as uint32 and every i64 as uint64; addresses are uint32 (wasm32). Each
function appends statements to an Emitter and returns the Go expression(s) for the value.
Lowering takes `keep`, a Go `*cabiKeeper` that keeps lowered Go memory reachable until released.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from patcher.bindgen import abi
from patcher.bindgen.model import Type
from patcher.bindgen.naming import Names, camel
from patcher.core.errors import UsageError

CORE_GO = {"i32": "uint32", "i64": "uint64", "f32": "float32", "f64": "float64"}
_LOAD = {"bool": "(loadU8({a}) != 0)", "u8": "loadU8({a})", "s8": "int8(loadU8({a}))", "u16": "loadU16({a})",
         "s16": "int16(loadU16({a}))", "u32": "loadU32({a})", "s32": "int32(loadU32({a}))", "char": "rune(loadU32({a}))",
         "u64": "loadU64({a})", "s64": "int64(loadU64({a}))", "f32": "loadF32({a})", "f64": "loadF64({a})"}
_STORE = {"bool": "storeU8({a}, uint8(cabiBool({x})))", "u8": "storeU8({a}, uint8({x}))", "s8": "storeU8({a}, uint8({x}))",
          "u16": "storeU16({a}, uint16({x}))", "s16": "storeU16({a}, uint16({x}))", "u32": "storeU32({a}, uint32({x}))",
          "s32": "storeU32({a}, uint32({x}))", "char": "storeU32({a}, uint32({x}))", "u64": "storeU64({a}, uint64({x}))",
          "s64": "storeU64({a}, uint64({x}))", "f32": "storeF32({a}, {x})", "f64": "storeF64({a}, {x})"}
_FROM_CORE = {"bool": "({x} != 0)", "u8": "uint8({x})", "s8": "int8({x})", "u16": "uint16({x})", "s16": "int16({x})",
              "u32": "{x}", "s32": "int32({x})", "char": "rune({x})", "u64": "{x}", "s64": "int64({x})", "f32": "{x}", "f64": "{x}"}
_TO_CORE = {"bool": "cabiBool({x})", "u8": "uint32({x})", "s8": "uint32({x})", "u16": "uint32({x})", "s16": "uint32({x})",
            "u32": "uint32({x})", "s32": "uint32({x})", "char": "uint32({x})", "u64": "uint64({x})", "s64": "uint64({x})",
            "f32": "{x}", "f64": "{x}"}
_DISC_LOAD = {1: "uint32(loadU8({a}))", 2: "uint32(loadU16({a}))", 4: "loadU32({a})"}
_DISC_STORE = {1: "storeU8({a}, uint8({x}))", 2: "storeU16({a}, uint16({x}))", 4: "storeU32({a}, uint32({x}))"}


def conv_in(val: tuple[str, str], want: str) -> str:
    """A flat value of core type `have` (joined by a variant) read as core type `want`."""
    x, have = val
    if have == want:
        return x
    return {("i32", "f32"): f"math.Float32frombits({x})", ("i64", "i32"): f"uint32({x})",
            ("i64", "f32"): f"math.Float32frombits(uint32({x}))", ("i64", "f64"): f"math.Float64frombits({x})"}[(have, want)]


def conv_out(x: str, have: str, want: str) -> str:
    if have == want:
        return x
    return {("f32", "i32"): f"math.Float32bits({x})", ("i32", "i64"): f"uint64({x})",
            ("f32", "i64"): f"uint64(math.Float32bits({x}))", ("f64", "i64"): f"math.Float64bits({x})"}[(have, want)]


def handle_kinds(t: Type | None, seen: frozenset[int] = frozenset()) -> str:
    """The own/borrow handles inside `t`, in order ("" without any): what its Go type does not say."""
    if t is None or id(t) in seen:
        return ""
    if t.kind == "handle":
        return "/" + (t.handle or "")
    seen = seen | {id(t)}
    return "".join(handle_kinds(x, seen) for x in [*t.items, *(ft for _, ft in t.fields), *(c for _, c in t.cases)])


def lent_resources(types: list[Type], seen: set[int] | None = None) -> list[Type]:
    """Imported resources of which `types` (an export's parameters) hold borrow<...> handles."""
    seen = set() if seen is None else seen
    out: list[Type] = []
    for t in types:
        if id(t) in seen:
            continue
        seen.add(id(t))
        res = t.items[0].resolved() if t.kind == "handle" else None
        if res is not None and t.handle == "borrow" and res.imported_by and res not in out:
            out.append(res)
        for r in lent_resources([*t.items, *(ft for _, ft in t.fields), *(c for _, c in t.cases if c is not None)], seen):
            if r not in out:
                out.append(r)
    return out


def tag_type(names: Names, t: Type) -> str:
    return names.go_type(t) + "Tag"


def case_field(name: str) -> str:
    f = camel(name)
    return f + "Value" if f == "Tag" else f


class Emitter:
    def __init__(self, counter: list[int] | None = None, indent: int = 1):
        self.lines: list[str] = []
        self.ind = indent
        self.counter = counter if counter is not None else [0]

    def tmp(self, prefix: str = "v") -> str:
        self.counter[0] += 1
        return f"{prefix}{self.counter[0]}"

    def line(self, s: str) -> None:
        self.lines.append("\t" * self.ind + s)

    @contextmanager
    def block(self, head: str, tail: str = "}") -> Iterator[None]:
        self.line(head)
        self.ind += 1
        yield
        self.ind -= 1
        if tail:
            self.line(tail)

    def text(self) -> str:
        return "\n".join(self.lines)


class Lowering:
    """Generates lift/lower code; list element helpers are collected once per element type."""

    def __init__(self, names: Names):
        self.names = names
        # (go elem type, "lift" or "lower") -> (helper name, code): each generated only where a
        # value goes that way (a borrow<T> element is only ever lifted in exports, lowered in imports).
        self.helpers: dict[tuple[str, str], tuple[str, str]] = {}
        self._list_ids: dict[str, int] = {}  # go elem type -> the N of liftListN/lowerListN

    def go(self, t: Type | None) -> str:
        return self.names.go_type(t)

    # --- flat ---------------------------------------------------------------------------

    def lift_flat(self, em: Emitter, t: Type, vals: list[tuple[str, str]]) -> str:
        r = t.resolved()
        k = r.kind
        if k in _FROM_CORE:
            return _FROM_CORE[k].format(x=conv_in(vals.pop(0), abi.flat(r)[0]))
        if k in ("string", "list"):
            p, n = conv_in(vals.pop(0), "i32"), conv_in(vals.pop(0), "i32")
            return f"{self._lift_seq(r)}({p}, {n})"
        if k == "handle":
            return self._handle(r, "lift") + f"({conv_in(vals.pop(0), 'i32')})"
        if k in ("record", "tuple"):
            parts = [self.lift_flat(em, x, vals) for x in abi.record_items(r)]
            return self._composite(t, r, parts)
        if k in ("flags", "enum"):
            if k == "flags" and not r.flags:
                return f"{self.go(t)}(0)"
            return f"{self.go(t)}({conv_in(vals.pop(0), 'i32')})"
        disc = conv_in(vals.pop(0), "i32")
        payload = [vals.pop(0) for _ in abi.flat(r)[1:]]
        v = em.tmp()
        em.line(f"var {v} {self.go(t)}")
        with em.block(f"switch {disc} {{"):
            for i, c in enumerate(abi.variant_cases(r)):
                em.line(f"case {i}:")
                em.ind += 1
                x = self.lift_flat(em, c, list(payload)) if c is not None else None
                self._set_case(em, t, r, v, i, x)
                em.ind -= 1
            em.line("default:")
            em.line('\tpanic("bindgen: invalid discriminant")')
        return v

    def lower_flat(self, em: Emitter, t: Type, x: str, keep: str) -> list[tuple[str, str]]:
        r = t.resolved()
        k = r.kind
        if k in _TO_CORE:
            return [(_TO_CORE[k].format(x=x), abi.flat(r)[0])]
        if k in ("string", "list"):
            p, n = em.tmp("p"), em.tmp("n")
            em.line(f"{p}, {n} := {self._lower_seq(r)}({x}, {keep})")
            return [(p, "i32"), (n, "i32")]
        if k == "handle":
            return [(self._handle(r, "lower") + f"({x})", "i32")]
        if k in ("record", "tuple"):
            out = []
            for name, ft in self._members(r):
                out += self.lower_flat(em, ft, f"{x}.{name}", keep)
            return out
        if k in ("flags", "enum"):
            return [(f"uint32({x})", "i32")] if (k == "enum" or r.flags) else []
        joined = abi.flat(r)[1:]
        d = em.tmp("d")
        js = [em.tmp("j") for _ in joined]
        em.line(f"var {d} uint32")
        for j, jt in zip(js, joined, strict=True):
            em.line(f"var {j} {CORE_GO[jt]}")
        for i, c, sel in self._cases(em, r, x):
            with em.block(sel, tail=""):
                em.line(f"{d} = {i}")
                if c is not None:
                    for j, (val, have), jt in zip(js, self.lower_flat(em, c, self._payload(r, x, i), keep), joined, strict=False):  # a case flattens to a prefix of the joined types
                        em.line(f"{j} = {conv_out(val, have, jt)}")
        em.line("}")
        return [(d, "i32"), *zip(js, joined, strict=True)]

    # --- memory -------------------------------------------------------------------------

    def load(self, em: Emitter, t: Type, a: str) -> str:
        r = t.resolved()
        k = r.kind
        if k in _LOAD:
            return _LOAD[k].format(a=a)
        if k in ("string", "list"):
            return f"{self._lift_seq(r)}(loadU32({a}), loadU32({a}+4))"
        if k == "handle":
            return self._handle(r, "lift") + f"(loadU32({a}))"
        if k in ("record", "tuple"):
            offs, _ = abi.sum_offsets(abi.record_items(r))
            parts = [self.load(em, x, f"{a}+{o}") for x, o in zip(abi.record_items(r), offs, strict=True)]
            return self._composite(t, r, parts)
        if k == "flags":
            sz = abi.flags_size(len(r.flags))
            return f"{self.go(t)}({_DISC_LOAD[sz].format(a=a)})" if sz else f"{self.go(t)}(0)"
        cases = abi.variant_cases(r)
        if k == "enum":
            return f"{self.go(t)}({_DISC_LOAD[abi.disc_size(len(cases))].format(a=a)})"
        q, v = em.tmp("q"), em.tmp()
        em.line(f"{q} := {a}")
        em.line(f"var {v} {self.go(t)}")
        off = abi.payload_offset(r)
        with em.block(f"switch {_DISC_LOAD[abi.disc_size(len(cases))].format(a=q)} {{"):
            for i, c in enumerate(cases):
                em.line(f"case {i}:")
                em.ind += 1
                x = self.load(em, c, f"{q}+{off}") if c is not None else None
                self._set_case(em, t, r, v, i, x)
                em.ind -= 1
            em.line("default:")
            em.line('\tpanic("bindgen: invalid discriminant")')
        return v

    def store(self, em: Emitter, t: Type, a: str, x: str, keep: str) -> None:
        r = t.resolved()
        k = r.kind
        if k in _STORE:
            em.line(_STORE[k].format(a=a, x=x))
        elif k == "handle":
            em.line(f"storeU32({a}, {self._handle(r, 'lower')}({x}))")
        elif k in ("string", "list"):
            p, n = em.tmp("p"), em.tmp("n")
            em.line(f"{p}, {n} := {self._lower_seq(r)}({x}, {keep})")
            em.line(f"storeU32({a}, {p})")
            em.line(f"storeU32({a}+4, {n})")
        elif k in ("record", "tuple"):
            offs, _ = abi.sum_offsets(abi.record_items(r))
            for (name, ft), o in zip(self._members(r), offs, strict=True):
                self.store(em, ft, f"{a}+{o}", f"{x}.{name}", keep)
        elif k == "flags":
            sz = abi.flags_size(len(r.flags))
            if sz:
                em.line(_DISC_STORE[sz].format(a=a, x=x))
        elif k == "enum":
            em.line(_DISC_STORE[abi.disc_size(len(r.cases))].format(a=a, x=x))
        else:
            cases = abi.variant_cases(r)
            ds, off = abi.disc_size(len(cases)), abi.payload_offset(r)
            for i, c, sel in self._cases(em, r, x):
                with em.block(sel, tail=""):
                    em.line(_DISC_STORE[ds].format(a=a, x=i))
                    if c is not None:
                        self.store(em, c, f"{a}+{off}", self._payload(r, x, i), keep)
            em.line("}")

    # --- pieces -------------------------------------------------------------------------

    def _members(self, r: Type) -> list[tuple[str, Type]]:
        if r.kind == "record":
            return [(camel(n), ft) for n, ft in r.fields]
        return [(f"F{i}", x) for i, x in enumerate(r.items)]

    def _composite(self, t: Type, r: Type, parts: list[str]) -> str:
        inits = ", ".join(f"{name}: {p}" for (name, _), p in zip(self._members(r), parts, strict=True))
        return f"{self.go(t)}{{{inits}}}"

    def _set_case(self, em: Emitter, t: Type, r: Type, v: str, i: int, x: str | None) -> None:
        if r.kind == "option":
            if i == 1:
                em.line(f"{v}.Some = true")
                em.line(f"{v}.Value = {x}")
        elif r.kind == "result":
            if i == 1:
                em.line(f"{v}.IsErr = true")
            if x is not None:
                em.line(f"{v}.{'Err' if i else 'Ok'} = {x}")
        else:
            em.line(f"{v}.Tag = {i}")
            if x is not None:
                em.line(f"{v}.{case_field(r.cases[i][0])} = {x}")

    def _cases(self, em: Emitter, r: Type, x: str) -> list[tuple[int, Type | None, str]]:
        """(index, payload type, Go line opening the branch) for lowering a variant-like value."""
        cases = abi.variant_cases(r)
        if r.kind == "option":
            return [(0, None, f"if !{x}.Some {{"), (1, cases[1], "} else {")]
        if r.kind == "result":
            return [(0, cases[0], f"if !{x}.IsErr {{"), (1, cases[1], "} else {")]
        em.line(f"switch {x}.Tag {{")
        return [(i, c, f"case {i}:") for i, c in enumerate(cases)]

    def _payload(self, r: Type, x: str, i: int) -> str:
        if r.kind == "option":
            return f"{x}.Value"
        if r.kind == "result":
            return f"{x}.{'Err' if i else 'Ok'}"
        return f"{x}.{case_field(r.cases[i][0])}"

    def _handle(self, r: Type, op: str) -> str:
        """Helpers generated per exported resource: a borrow lifts to the Go value by rep, an own
        is taken over from its handle, and lowering an own makes a new handle."""
        res = r.items[0].resolved()  # a `use`d resource is an alias of the defining interface's
        name = self.go(res)
        if res.imported_by:
            if op == "lift" and r.handle == "borrow":
                return "cabiLend" + name  # a handle the host lends for one export call
            return ("cabiLift" if op == "lift" else "cabiLower") + name
        if op == "lower" and r.handle == "borrow":
            # Only an import's parameter lowers a borrow, and import_code refuses exported resources there.
            raise UsageError(f"bindgen cannot pass borrow<{res.name}> of the exported resource {res.name} to the host",
                             hint="the host holds its own handles to this world's resources; pass a value or an imported resource")
        return {("lift", "borrow"): "cabiBorrow", ("lift", "own"): "cabiTake", ("lower", "own"): "cabiNew"}[(op, r.handle or "")] + name

    def _lift_seq(self, r: Type) -> str:
        if r.kind == "string":
            return "liftString"
        if r.items[0].resolved().kind == "u8":
            return "liftBytes"
        return self._list_helper(r.items[0], "lift")

    def _lower_seq(self, r: Type) -> str:
        if r.kind == "string":
            return "lowerString"
        if r.items[0].resolved().kind == "u8":
            return "lowerBytes"
        return self._list_helper(r.items[0], "lower")

    def helper_code(self) -> list[str]:
        return [code for _, code in self.helpers.values()]

    def _list_helper(self, elem: Type, op: str) -> str:
        go = self.go(elem)
        key = go + handle_kinds(elem)  # list<own<T>> and list<borrow<T>> share a Go type, not their lifting
        if (key, op) in self.helpers:
            return self.helpers[key, op][0]
        n = self._list_ids.setdefault(key, len(self._list_ids))
        name = f"{op}List{n}"
        self.helpers[key, op] = (name, "")  # placeholder: element types may recurse into other lists
        sz, al = abi.size(elem), abi.alignment(elem)
        em = Emitter(indent=2)
        em.line(f"a := p + uint32(i)*{sz}")
        if op == "lift":
            x = self.load(em, elem, "a")
            em.line(f"v[i] = {x}")
            code = (f"func {name}(p, n uint32) []{go} {{\n\tv := make([]{go}, n)\n\tfor i := range v {{\n{em.text()}\n\t}}\n"
                    f"\treturn v\n}}\n")
        else:
            self.store(em, elem, "a", "v[i]", "keep")
            code = (f"func {name}(v []{go}, keep *cabiKeeper) (uint32, uint32) {{\n\tif len(v) == 0 {{\n\t\treturn 0, 0\n\t}}\n"
                    f"\tp := cabiAlloc(uint32(len(v))*{sz}, keep) // {al}-aligned: cabiAlloc gives 8\n"
                    f"\tfor i := range v {{\n{em.text()}\n\t}}\n\treturn p, uint32(len(v))\n}}\n")
        self.helpers[key, op] = (name, code)
        return name
