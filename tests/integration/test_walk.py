"""The configuration's walk through `componentize` (tests/walk.py): specs read once, every place
entered once, the data going back up the pipeline at most where adapters had to be built."""

from __future__ import annotations

from pathlib import Path

import pytest
from needs import source_or_skip
from walk import walk

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.go
@pytest.mark.source
@pytest.mark.cargo
def test_componentize_walks_the_pipeline_once(tmp_path: Path) -> None:
    source_or_skip()
    out = tmp_path / "hello.wasm"
    code, w = walk(["-q", "componentize", str(ROOT / "examples/hello"), "-o", str(out)])
    assert code == 0 and out.is_file()
    specs = [p for p in (ROOT / "patches").glob("*.toml")]
    assert w.spec_parses == len(specs), "each patch spec and variants.toml is read once"
    assert w.places == len(w.entries), [f for f, _ in w.entries]
    # cli -> component -> (specs) -> adapters (-> patched tree -> source, when built) -> the pipeline
    assert w.climbs <= 2, " ".join(s for _, s in w.entries)
    assert w.stages[:2] == ["cli", "component"]
