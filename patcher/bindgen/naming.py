"""Go identifiers for WIT names (kebab-case -> CamelCase) and Go type expressions for WIT types."""

from __future__ import annotations

from patcher.bindgen.model import Function, Type

GO_KEYWORDS = {"break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for", "func", "go", "goto",
               "if", "import", "interface", "map", "package", "range", "return", "select", "struct", "switch", "type", "var"}
_PRIM_GO = {"bool": "bool", "u8": "uint8", "u16": "uint16", "u32": "uint32", "u64": "uint64", "s8": "int8", "s16": "int16",
            "s32": "int32", "s64": "int64", "f32": "float32", "f64": "float64", "char": "rune", "string": "string"}


def camel(name: str) -> str:
    """`get-user-id` -> `GetUserId`; WIT's `%` keyword escape is dropped."""
    return "".join(p[:1].upper() + p[1:] for p in name.lstrip("%").split("-") if p)


def lower_camel(name: str) -> str:
    c = camel(name)
    c = c[:1].lower() + c[1:]
    return c + "_" if c in GO_KEYWORDS else c


class Names:
    """Go names of the world's named types; a name two interfaces share gets its interface as prefix."""

    def __init__(self, types: list[Type]):
        def is_use(t: Type) -> bool:  # `use iface.{x}` makes an alias of the same name: same Go type
            return t.kind == "alias" and t.items[0].name == t.name

        count: dict[str, int] = {}
        for t in types:
            if not is_use(t):
                count[camel(t.name or "")] = count.get(camel(t.name or ""), 0) + 1  # named types: name is set
        self.type_names: dict[int, str] = {}
        for t in types:
            if not is_use(t):
                base = camel(t.name or "")
                self.type_names[id(t)] = camel(t.owner or "") + base if count[base] > 1 else base
        for t in types:
            if is_use(t):
                self.type_names[id(t)] = self.go_type(t.items[0])

    def go_type(self, t: Type | None) -> str:
        if t is None:
            return "struct{}"
        if t.name and id(t) in self.type_names:
            return self.type_names[id(t)]
        return self.go_type_expr(t)

    def go_type_expr(self, t: Type) -> str:
        """The type written out (for named types: their definition's right-hand side)."""
        if t.kind in _PRIM_GO:
            return _PRIM_GO[t.kind]
        if t.kind == "list":
            return f"[]{self.go_type(t.items[0])}"
        if t.kind == "option":
            return f"Option[{self.go_type(t.items[0])}]"
        if t.kind == "result":
            return f"Result[{self.go_type(t.cases[0][1])}, {self.go_type(t.cases[1][1])}]"
        if t.kind == "tuple":
            return f"Tuple{len(t.items)}[{', '.join(self.go_type(x) for x in t.items)}]"
        if t.kind == "alias":
            return self.go_type(t.items[0])
        if t.kind == "handle":
            return self.go_type(t.items[0])
        raise ValueError(f"anonymous {t.kind}")

    def func_name(self, f: Function) -> str:
        """The Go function for a WIT function (for methods: Resource + Method, the wrapper's name)."""
        if f.kind == "constructor":
            return "New" + self.go_type(f.resource)
        if f.kind in ("method", "static"):
            return self.go_type(f.resource) + camel(method_name(f))
        return camel(f.iface_short or "") + camel(f.name)


def method_name(f: Function) -> str:
    """`[method]counter.inc` -> `inc`."""
    return f.name.rsplit(".", 1)[-1]
