"""The text rewrite the binary main-module rewrite replaced (bench/_text_rewrite.py, where the
benchmark uses it too), loaded as the oracle of the tests that compare the two."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def oracle() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_text_rewrite", ROOT / "bench" / "_text_rewrite.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["_text_rewrite"] = mod
    spec.loader.exec_module(mod)
    return mod
