"""bindgen and borrow<T> inside other types: parameters only (the component model allows no borrow
in results), lifted in exports, lowered in imports. Round trips: tests/integration/test_bindgen.py
(the reactor-bindgen-alltypes corpus program's `sizes`, `via-host-names` and `book-names`)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, one_line_error, run_cli

from patcher.bindgen.render import render_text

TEMPLATES = ROOT / "templates"

NESTED = """\
package test:b;

interface things {
  resource thing { constructor(n: u32); }
  record thing-ref { t: borrow<thing>, w: u32 }
  variant pick { one(borrow<thing>), two(tuple<borrow<thing>, borrow<thing>>), none }
  sum: func(xs: list<borrow<thing>>) -> u32;
  take: func(xs: list<thing>) -> u32;
  maybe: func(x: option<borrow<thing>>, p: tuple<borrow<thing>, u32>, r: list<thing-ref>, v: pick) -> u32;
}

interface host {
  resource book { constructor(); }
  record book-ref { b: borrow<book>, w: u32 }
  count: func(xs: list<borrow<book>>, r: option<book-ref>) -> u32;
}

world w {
  import host;
  export things;
  use host.{book};
  export read: func(xs: list<borrow<book>>, one: option<borrow<book>>) -> u32;
}
"""


def _func(text: str, name: str) -> str:
    m = re.search(rf"^func {name}\(.*?^}}\n", text, re.M | re.S)
    assert m, name
    return m.group(0)


def test_borrows_inside_lists_options_tuples_records_variants(tmp_path: Path) -> None:
    wit = tmp_path / "w.wit"
    wit.write_text(NESTED)
    text = render_text(wit, "w", package="main", templates_dir=TEMPLATES)
    # Exports lift borrows of their own resource by rep; a list of them gets a lift helper only
    # (before: "bindgen cannot return borrow<...> handles", from a lowering nobody called).
    sum_ = _func(text, "cabiExportThingsSum")
    lift = re.search(r"(liftList\d+)\(a0, a1\)", sum_)
    assert lift, sum_
    assert "cabiBorrowThing(loadU32(a))" in _func(text, lift.group(1))
    # list<thing> (own) and list<borrow<thing>> share the Go type []Thing, not the helper.
    take = _func(text, "cabiExportThingsTake")
    own = re.search(r"(liftList\d+)\(a0, a1\)", take)
    assert own and own.group(1) != lift.group(1) and "cabiTakeThing(loadU32(a))" in _func(text, own.group(1))
    assert not re.search(r"^func lowerList\d+\(v \[\]Thing,", text, re.M)
    maybe = _func(text, "cabiExportThingsMaybe")
    assert maybe.count("cabiBorrowThing(") >= 3  # option, tuple, variant (the record's is in its list helper)
    # Imports lower borrows of the host's resource as its handles, nested too.
    count = _func(text, "HostCount")
    assert re.search(r"lowerList\d+\(xs, &keep\)", count) and "cabiLowerBook(r.Value.B)" in count
    # Borrows the host lends to an export are dropped before it returns (the canonical ABI traps otherwise).
    read = _func(text, "cabiExportRead")
    assert read.index("r := Read(") < read.index("cabiReturnLentBook()")
    assert "cabiLendBook(" in read or "cabiLendBook(loadU32(a))" in text


def test_import_passing_an_exported_resource_names_the_item_and_the_rule(tmp_path: Path) -> None:
    wit = tmp_path / "w.wit"
    wit.write_text("""\
package test:b;
interface things {
  resource thing { constructor(n: u32); }
}
interface host {
  use things.{thing};
  show: func(xs: list<borrow<thing>>) -> u32;
}
world w {
  export things;
  import host;
}
""")
    line = one_line_error(run_cli("bindgen", "--wit", str(wit), "--world", "w", "-o", str(tmp_path / "out")), 2)
    # (host's `use` imports `things` too: its constructor is the first import that passes one.)
    assert re.search(r"WIT import test:b/\S+ passes (own|borrow)<thing>, a resource this world exports", line), line
    assert "only to the host's calls of this world's exports" in line
    assert not (tmp_path / "out").exists()
