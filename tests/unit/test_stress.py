"""The stress generator: a seed always yields the same program, and seeds cover both kinds."""

from __future__ import annotations

from pathlib import Path

from patcher.core import config
from patcher.validation import stress

TEMPLATES = config.load().templates_dir


def _files(d: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(d.iterdir())}


def test_a_seed_yields_the_same_program(tmp_path: Path) -> None:
    a = stress.generate(7, tmp_path / "a", TEMPLATES)
    b = stress.generate(7, tmp_path / "b", TEMPLATES)
    assert a.name == b.name and _files(a.dir) == _files(b.dir)
    assert a.stdout is not None and (a.calls or a.kind == "command")


def test_seeds_cover_reactors_and_commands(tmp_path: Path) -> None:
    kinds = {stress.generate(s, tmp_path, TEMPLATES).kind for s in range(1, 9)}
    assert kinds == {"reactor", "command"}


def test_reactor_expectations_match_the_strings_sent(tmp_path: Path) -> None:
    case = next(c for c in (stress.generate(s, tmp_path, TEMPLATES) for s in range(1, 20)) if c.kind == "reactor")
    for call in case.calls:
        items = call.args[0]
        assert isinstance(items, list)
        assert call.expect == f"n={len(items)} bytes={sum(map(len, items))} sum={stress.fnv_sum(items)} ok"
