"""Generated bindings inside a user's Go package: rebuild them from the WIT for componentize, explain build errors."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from patcher.bindgen.render import MARKER, output_file, render_text
from patcher.core.errors import PatcherError, UsageError
from patcher.core.fsutil import ensure_cache_dir, write_atomic

_GO_ERROR = re.compile(r"(?P<file>[\w.-]+_bindings\.go):(?P<line>\d+):\d+: (?P<msg>.*)")
_UNDEFINED = re.compile(r"[\w./-]+\.go:\d+:\d+: undefined: (?P<sym>\w+)")
_DECLARED = re.compile(r"^(?:func|type) (?P<name>[A-Z]\w*)", re.M)
_PACKAGE = re.compile(r"^package (\w+)", re.M)
_HAVE = re.compile(r"value of type (?P<have>.*?)\) as (?P<want>.*?) value")
_CHECK = re.compile(r"// implement WIT export (\S+)")


def overlay(pkg: Path, wit: Path, world: str, templates_dir: Path, cache_dir: Path, base: Path | None, *, create: bool = False) -> Path | None:
    """A `go build -overlay` that swaps PKG/<world>_bindings.go (if the package has one from bindgen)
    for bindings freshly generated from `wit`, merged with `base`; the source tree is not touched.
    With `create`, a package without the file gets it too (`package main`): the corpus programs
    with `bindgen = true` commit no generated code."""
    target = output_file(pkg.resolve(), world)
    if target.is_file():
        old = target.read_text(errors="replace")
        if not old.startswith(MARKER):
            return None
    elif create:
        old = ""
    else:
        return None
    m = re.search(r"^package (\w+)", old, re.M)
    new = render_text(wit, world, package=m.group(1) if m else "main", templates_dir=templates_dir)
    if new == old:
        return None
    replace = json.loads(base.read_text())["Replace"] if base else {}
    key = hashlib.sha256(new.encode()).hexdigest()[:32]
    gen = ensure_cache_dir(cache_dir) / "bindgen" / key / target.name
    if not gen.is_file():
        write_atomic(gen, new.encode())
    replace[str(target)] = str(gen)
    doc = json.dumps({"Replace": replace}, indent=1, sort_keys=True) + "\n"
    out = ensure_cache_dir(cache_dir) / "bindgen" / f"overlay-{hashlib.sha256(doc.encode()).hexdigest()[:32]}.json"
    if not out.is_file():
        write_atomic(out, doc.encode())
    return out


def has_own_glue(pkg: Path) -> bool:
    """Whether the package writes its canonical ABI glue by hand (a `//go:wasmexport` outside
    generated bindings): then componentize must not add bindings of its own."""
    for f in sorted(pkg.glob("*.go")):
        if f.name.endswith("_test.go"):
            continue
        text = f.read_text(errors="replace")
        if not text.startswith(MARKER) and "//go:wasmexport" in text:
            return True
    return False


def go_package_name(pkg: Path) -> str:
    """The Go package name of a directory's (non-test) files; "main" if none says."""
    for f in sorted(pkg.glob("*.go")):
        if not f.name.endswith("_test.go") and (m := _PACKAGE.search(f.read_text(errors="replace"))):
            return m.group(1)
    return "main"


def bindgen_command(pkg: Path, wit: Path, world: str) -> str:
    return f"patcher bindgen --wit {wit} --world {world} -o {pkg}"


def explain(err: PatcherError, pkg: Path, overlay: Path | None = None, *, wit: Path | None = None, world: str | None = None,
            templates_dir: Path | None = None) -> PatcherError:
    """A go build error caused by bindings, said in terms of the WIT item and Go symbol: inside
    generated bindings, or a bindings symbol the package uses but has no bindings for."""
    m = _GO_ERROR.search(str(err))
    if not m:
        if wit is not None and world and templates_dir is not None:
            return _missing_bindings(err, pkg, wit, world, templates_dir)
        return err
    src = pkg.resolve() / m["file"]
    if overlay is not None:
        src = Path(json.loads(overlay.read_text())["Replace"].get(str(src), src))
    try:
        line = src.read_text().splitlines()[int(m["line"]) - 1]
    except (OSError, IndexError):
        return err
    c = _CHECK.search(line)
    if not c:
        return err
    sym = line.split("= ")[-1].split()[0]
    sig = line[len("var _ "):line.index(" = ")]
    have = _HAVE.search(m["msg"])
    what = "is not defined" if "undefined" in m["msg"] else f"has type {have['have']}" if have else f"does not match: {m['msg']}"
    gopkg = _PACKAGE.search(src.read_text(errors="replace"))
    return UsageError(f"Go function {sym} for WIT export {c.group(1)} {what}",
                      hint=f"define `func {sym}{sig.removeprefix('func')}` in package {gopkg.group(1) if gopkg else go_package_name(pkg)}")


def _missing_bindings(err: PatcherError, pkg: Path, wit: Path, world: str, templates_dir: Path) -> PatcherError:
    """`undefined: Log` in a package without `<world>_bindings.go`, where Log is what bindgen generates."""
    m = _UNDEFINED.search(str(err))
    if not m or output_file(pkg.resolve(), world).is_file():
        return err
    try:
        generated = {d["name"] for d in _DECLARED.finditer(render_text(wit, world, package="main", templates_dir=templates_dir))}
    except PatcherError:
        return err
    if m["sym"] not in generated:
        return err
    return UsageError(f"undefined: {m['sym']}: the package uses the Go bindings of WIT world {world} but has no {output_file(pkg, world).name}",
                      hint=f"run `{bindgen_command(pkg, wit, world)}` (componentize generates them itself when the package has no //go:wasmexport glue of its own)")
