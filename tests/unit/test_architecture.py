"""The package layout is the pipeline: a stage imports only itself and earlier stages, and no
module imports itself back through others (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

from pipeline import STAGES

ROOT = Path(__file__).resolve().parents[2]

PACKAGE = ROOT / "patcher"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """patcher modules imported anywhere in the file (function-level imports included)."""
    mod = _module_name(path)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("patcher.")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                pkg = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
                base = ".".join(pkg[: len(pkg) - node.level + 1] + ([base] if base else []))
            if not base.startswith("patcher"):
                continue
            for a in node.names:
                full = f"{base}.{a.name}"
                found.add(full if _exists(full) else base)
    found.discard(mod)
    return {m for m in found if m != "patcher"}


def _exists(dotted: str) -> bool:
    p = ROOT.joinpath(*dotted.split("."))
    return p.with_suffix(".py").is_file() or (p / "__init__.py").is_file()


def graph() -> dict[str, set[str]]:
    data = ("_data", "corpus", "resources")  # shipped data, not pipeline code (corpus hosts are test programs)
    return {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py")) if not set(data) & set(p.relative_to(PACKAGE).parts[:-1])}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in STAGES) else None


def layer_violations(g: dict[str, set[str]]) -> list[str]:
    bad = []
    for mod, deps in g.items():
        s = _stage(mod)
        if s is None:
            continue
        for d in deps:
            t = _stage(d)
            if t is not None and STAGES[t] > STAGES[s]:
                bad.append(f"{mod} ({s}) imports {d} ({t}), a later stage")
    return sorted(bad)


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in g:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_every_module_belongs_to_a_stage() -> None:
    loose = [m for m in graph() if m.count(".") == 1 and m.split(".")[1] not in STAGES and m not in ("patcher.__main__",)]
    assert loose == [], f"modules outside the stage packages: {loose}"


def test_no_stage_imports_a_later_stage() -> None:
    assert layer_violations(graph()) == []


def test_no_import_cycles() -> None:
    assert cycles(graph()) == []


def test_the_checks_catch_what_they_look_for() -> None:
    g = {"patcher.core.a": {"patcher.cli.x"}, "patcher.cli.x": {"patcher.core.a"}}
    assert layer_violations(g) == ["patcher.core.a (core) imports patcher.cli.x (cli), a later stage"]
    assert cycles(g) == [["patcher.cli.x", "patcher.core.a"]]


if __name__ == "__main__":  # the closing note's check: python tests/unit/test_architecture.py
    g = graph()
    print(f"{len(g)} modules, {sum(map(len, g.values()))} patcher-internal imports")
    print("later-stage imports:", layer_violations(g) or "none")
    print("import cycles:", cycles(g) or "none")
