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


def explain(err: PatcherError, pkg: Path, overlay: Path | None = None) -> PatcherError:
    """A go build error inside generated bindings, said in terms of the WIT item and Go symbol."""
    m = _GO_ERROR.search(str(err))
    if not m:
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
    return UsageError(f"Go function {sym} for WIT export {c.group(1)} {what}",
                      hint=f"define `func {sym}{sig.removeprefix('func')}` in package {pkg.name}")
