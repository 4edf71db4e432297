"""bindgen's canonical ABI layout and Go naming, checked against CanonicalABI.md's rules (no Go needed)."""

from __future__ import annotations

import pytest
from conftest import ROOT

from patcher.bindgen import abi
from patcher.bindgen.model import Type
from patcher.bindgen.naming import camel, lower_camel
from patcher.bindgen.render import output_file, render_text


def P(kind: str) -> Type:
    return Type(kind)


def record(*items: Type) -> Type:
    return Type("record", name="r", fields=[(f"f{i}", t) for i, t in enumerate(items)])


def variant(*cases: Type | None) -> Type:
    return Type("variant", name="v", cases=[(f"c{i}", c) for i, c in enumerate(cases)])


@pytest.mark.parametrize("t, size, align, flat", [
    (P("bool"), 1, 1, ["i32"]),
    (P("s16"), 2, 2, ["i32"]),
    (P("char"), 4, 4, ["i32"]),
    (P("u64"), 8, 8, ["i64"]),
    (P("f32"), 4, 4, ["f32"]),
    (P("string"), 8, 4, ["i32", "i32"]),
    (Type("list", items=[P("f64")]), 8, 4, ["i32", "i32"]),
    (record(P("u8"), P("u32"), P("u8")), 12, 4, ["i32", "i32", "i32"]),
    (record(P("u8"), P("u64")), 16, 8, ["i32", "i64"]),
    (Type("tuple", items=[P("u16"), P("u8")]), 4, 2, ["i32", "i32"]),
    (Type("option", items=[P("u8")]), 2, 1, ["i32", "i32"]),
    (Type("option", items=[P("u64")]), 16, 8, ["i32", "i64"]),
    (Type("result", cases=[("ok", None), ("err", P("string"))]), 12, 4, ["i32", "i32", "i32"]),
    # Joined payloads: f32 with i32 is i32; f32 with f64, or i32 with i64, is i64.
    (variant(P("f32"), P("u32")), 8, 4, ["i32", "i32"]),
    (variant(P("f32"), P("f64")), 16, 8, ["i32", "i64"]),
    (variant(P("string"), P("u64"), None), 16, 8, ["i32", "i64", "i32"]),
    (Type("enum", name="e", cases=[(str(i), None) for i in range(300)]), 2, 2, ["i32"]),
    (Type("flags", name="f", flags=[str(i) for i in range(9)]), 2, 2, ["i32"]),
    (Type("flags", name="f", flags=[str(i) for i in range(32)]), 4, 4, ["i32"]),
])
def test_layout(t: Type, size: int, align: int, flat: list[str]) -> None:
    assert (abi.size(t), abi.alignment(t), abi.flat(t)) == (size, align, flat)


def test_alias_has_its_target_layout() -> None:
    alias = Type("alias", name="a", items=[record(P("u8"), P("u64"))])
    assert (abi.size(alias), abi.flat(alias)) == (16, ["i32", "i64"])


def test_go_names() -> None:
    assert camel("get-user-id") == "GetUserId" and camel("%type") == "Type" and camel("echo-u32s") == "EchoU32s"
    assert lower_camel("price-cents") == "priceCents" and lower_camel("type") == "type_"


@pytest.mark.parametrize("example, world", [("greet", "greeter"), ("inventory", "inventory")])
def test_committed_example_bindings_are_current(example: str, world: str) -> None:
    """The examples' generated files are what bindgen writes today (no hand edits, no drift)."""
    pkg = ROOT / "examples" / example
    wit = next(pkg.glob("*.wit"))
    assert output_file(pkg, world).read_text() == render_text(wit, world, package="main", templates_dir=ROOT / "templates")
