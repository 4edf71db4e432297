"""The resolved WIT (`wasm-tools component wit --json`) as a small typed model of one world."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patcher.core import wasm
from patcher.core.errors import MissingToolError, PatcherError, UsageError

PRIMITIVES = ("bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "char", "string")


@dataclass(eq=False)
class Type:
    """A WIT type: kind is a primitive name or record/tuple/flags/enum/variant/option/result/list/alias/handle."""

    kind: str
    name: str | None = None
    owner: str | None = None  # interface or world name, for messages and disambiguation
    fields: list[tuple[str, Type]] = field(default_factory=list)  # record fields
    items: list[Type] = field(default_factory=list)  # tuple items; list/option/alias: [elem]
    cases: list[tuple[str, Type | None]] = field(default_factory=list)  # variant/enum cases; result: ok, err
    flags: list[str] = field(default_factory=list)
    handle: str | None = None  # handle: "own" or "borrow" (items: [the resource])
    exported_by: str | None = None  # resource: the qualified name of the exported interface defining it
    imported_by: str | None = None  # resource: ... of the imported interface defining it

    def resolved(self) -> Type:
        t = self
        while t.kind == "alias":
            t = t.items[0]
        return t

    def describe(self) -> str:
        return f"{self.kind} {self.name}" if self.name else self.kind


@dataclass
class Param:
    name: str
    type: Type


@dataclass
class Function:
    name: str  # WIT name
    params: list[Param]
    result: Type | None
    interface: str | None  # None: world-level; else the import/export name of the interface
    iface_short: str | None  # the interface's own short name (for Go names)
    direction: str  # "export" or "import"
    kind: str = "freestanding"  # or constructor, method, static (of `resource`)
    resource: Type | None = None

    @property
    def wit_path(self) -> str:
        return f"{self.interface}#{self.name}" if self.interface else self.name


@dataclass
class World:
    name: str
    types: list[Type]  # every named type the world's functions can reach, in declaration order
    functions: list[Function]


def resolve_json(wit: Path) -> dict[str, Any]:
    if not wit.exists():
        raise UsageError(f"WIT {wit} not found", hint="pass --wit with a .wit file or a directory of .wit files")
    try:
        out = wasm.wasm_tools("component", "wit", "--json", str(wit))
    except MissingToolError:
        raise
    except PatcherError as e:
        raise UsageError(f"bad WIT {wit}: {str(e).removeprefix('wasm-tools component failed: ')}", hint="fix the WIT") from e
    doc: dict[str, Any] = json.loads(out)
    return doc


def _opt_type_ref(doc: dict[str, Any], ref: str | int | None, cache: dict[Any, Any]) -> Type | None:
    """A type where the WIT JSON may have none (null): a variant case's payload, result's ok/err, a function's result."""
    return None if ref is None else _type_ref(doc, ref, cache)


def _type_ref(doc: dict[str, Any], ref: str | int, cache: dict[Any, Any]) -> Type:
    """A type the WIT JSON always gives: a primitive's name, or an index into `types`.

    `cache` maps type indices to their Type, and holds the interfaces defining resources."""
    if isinstance(ref, str):
        if ref not in PRIMITIVES:
            raise UsageError(f"WIT type {ref} is not supported by bindgen yet")
        return Type(ref)
    if ref in cache:
        cached: Type = cache[ref]
        return cached
    raw = doc["types"][ref]
    t = Type("?", name=raw.get("name"), owner=_owner_name(doc, raw.get("owner")))
    cache[ref] = t  # before recursing: records may refer to earlier types only, but be safe
    if raw["kind"] == "resource":
        owner = raw.get("owner") or {}
        exported = cache.get("exported_ifaces", {}).get(owner.get("interface"))
        imported = cache.get("imported_ifaces", {}).get(owner.get("interface"))
        if exported is None and imported is None:
            raise UsageError(f"WIT resource {t.name} (in {t.owner or 'the world'}) is world-level; bindgen supports resources of interfaces only")
        t.kind, t.exported_by, t.imported_by = "resource", exported, None if exported else imported
        return t
    if isinstance(raw["kind"], str):
        raise UsageError(f"WIT {raw['kind']} {t.name} (in {t.owner or 'the world'}) is not supported by bindgen yet")
    (kind, body), = raw["kind"].items()
    if kind == "record":
        t.kind, t.fields = "record", [(f["name"], _type_ref(doc, f["type"], cache)) for f in body["fields"]]
    elif kind == "tuple":
        t.kind, t.items = "tuple", [_type_ref(doc, x, cache) for x in body["types"]]
    elif kind == "flags":
        t.kind, t.flags = "flags", [f["name"] for f in body["flags"]]
        if len(t.flags) > 32:
            raise UsageError(f"WIT flags {t.name} has {len(t.flags)} members; at most 32 are supported")
    elif kind == "enum":
        t.kind, t.cases = "enum", [(c["name"], None) for c in body["cases"]]
    elif kind == "variant":
        t.kind, t.cases = "variant", [(c["name"], _opt_type_ref(doc, c["type"], cache)) for c in body["cases"]]
    elif kind == "option":
        t.kind, t.items = "option", [_type_ref(doc, body, cache)]
    elif kind == "result":
        t.kind, t.cases = "result", [("ok", _opt_type_ref(doc, body["ok"], cache)), ("err", _opt_type_ref(doc, body["err"], cache))]
    elif kind == "list":
        t.kind, t.items = "list", [_type_ref(doc, body, cache)]
    elif kind == "handle":
        (hk, rid), = body.items()
        t.kind, t.handle, t.items = "handle", hk, [_type_ref(doc, rid, cache)]
    elif kind == "type":
        t.kind, t.items = "alias", [_type_ref(doc, body, cache)]
    else:
        # resources, handles, futures, streams, fixed-size lists: not generated yet.
        where = f" {t.name}" if t.name else ""
        raise UsageError(f"WIT {kind}{where} (in {t.owner or 'the world'}) is not supported by bindgen yet")
    if t.kind == "alias" and t.name is None:
        return t.items[0]
    return t


def _owner_name(doc: dict[str, Any], owner: dict[str, int] | None) -> str | None:
    if not owner:
        return None
    name: str | None = doc["interfaces"][owner["interface"]]["name"] if "interface" in owner else doc["worlds"][owner["world"]]["name"]
    return name


def _qualified(doc: dict[str, Any], iface_id: int, key: str) -> tuple[str, str]:
    """(the import/export name wit-component expects, a short name for Go identifiers)."""
    iface = doc["interfaces"][iface_id]
    if iface.get("name") is None:
        return key, key
    pkg = doc["packages"][iface["package"]]["name"]
    base, _, ver = pkg.partition("@")
    return f"{base}/{iface['name']}" + (f"@{ver}" if ver else ""), iface["name"]


def _functions(doc: dict[str, Any], funcs: dict[str, Any], interface: str | None, short: str | None, direction: str, cache: dict[Any, Any]) -> list[Function]:
    out = []
    for f in funcs.values():
        kind, res = "freestanding", None
        if isinstance(f["kind"], dict):
            (kind, rid), = f["kind"].items()
            res = _type_ref(doc, rid, cache)
        params = [Param(p["name"], _type_ref(doc, p["type"], cache)) for p in f["params"]]
        out.append(Function(f["name"], params, _opt_type_ref(doc, f.get("result"), cache), interface, short, direction, kind, res))
    return out


def _world_matches(doc: dict[str, Any], w: dict[str, Any], world: str) -> bool:
    """`world` is a bare name or package-qualified (`wasi:http/proxy`, with or without `@version`)."""
    if "/" not in world:
        return bool(w["name"] == world)
    pkg, _, rest = world.rpartition("/")
    name, _, ver = rest.partition("@")
    base, _, pver = doc["packages"][w["package"]]["name"].partition("@")
    return bool(w["name"] == name and base == pkg and (not ver or ver == pver))


def load(wit: Path, world: str) -> World:
    doc = resolve_json(wit)
    worlds = [w for w in doc["worlds"] if _world_matches(doc, w, world)]
    if not worlds:
        known = ", ".join(sorted(w["name"] for w in doc["worlds"])) or "none"
        raise UsageError(f"world {world!r} not found in {wit} (worlds: {known})", hint="pass --world with one of them")
    w = worlds[-1]  # the main package's world comes last when dependencies define one too
    # Resources may be defined only by exported interfaces: record which those are first.
    cache: dict[Any, Any] = {"exported_ifaces": {}, "imported_ifaces": {}}
    for direction in ("export", "import"):
        for key, item in w[direction + "s"].items():
            if "interface" in item:
                cache[f"{direction}ed_ifaces"][item["interface"]["id"]] = _qualified(doc, item["interface"]["id"], key)[0]
    functions: list[Function] = []
    for direction in ("import", "export"):
        for key, item in w[direction + "s"].items():
            if "function" in item:
                functions += _functions(doc, {key: item["function"]}, None, None, direction, cache)
            elif "interface" in item:
                iid = item["interface"]["id"]
                qname, short = _qualified(doc, iid, key)
                iface = doc["interfaces"][iid]
                for tref in iface.get("types", {}).values():
                    _type_ref(doc, tref, cache)
                functions += _functions(doc, iface.get("functions", {}), qname, short, direction, cache)
            elif "type" in item:
                _type_ref(doc, item["type"], cache)
    named = [t for k, t in sorted((k, v) for k, v in cache.items() if isinstance(k, int)) if t.name]
    return World(w["name"], named, functions)
