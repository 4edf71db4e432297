"""Generated bindings inside a user's Go package: refresh them for componentize, explain build errors."""

from __future__ import annotations

import re
from pathlib import Path

from patcher.bindgen.render import MARKER, output_file, render_text
from patcher.errors import PatcherError, UsageError
from patcher.fsutil import write_atomic

_GO_ERROR = re.compile(r"(?P<file>[\w.-]+_bindings\.go):(?P<line>\d+):\d+: (?P<msg>.*)")
_HAVE = re.compile(r"value of type (?P<have>.*?)\) as (?P<want>.*?) value")
_CHECK = re.compile(r"// implement WIT export (\S+)")


def refresh(pkg: Path, wit: Path, world: str, templates_dir: Path) -> Path | None:
    """Regenerate PKG/<world>_bindings.go if the package has one (written only when it changed)."""
    out = output_file(pkg, world)
    if not out.is_file():
        return None
    old = out.read_text(errors="replace")
    if not old.startswith(MARKER):
        return None
    m = re.search(r"^package (\w+)", old, re.M)
    new = render_text(wit, world, package=m.group(1) if m else "main", templates_dir=templates_dir)
    if new != old:
        write_atomic(out, new.encode())
    return out


def explain(err: PatcherError, pkg: Path) -> PatcherError:
    """A go build error inside generated bindings, said in terms of the WIT item and Go symbol."""
    m = _GO_ERROR.search(str(err))
    if not m:
        return err
    try:
        line = (pkg / m["file"]).read_text().splitlines()[int(m["line"]) - 1]
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
