"""The artifact caches' size limit: least recently used first, never a file in use, never sources."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from patcher.core import cache
from patcher.core.errors import UsageError

NOW = time.time()


def _file(root: Path, rel: str, size: int, age_s: float) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(b"x" * size)
    os.utime(p, (NOW - age_s, NOW - age_s))
    return p


def test_least_recently_used_artifacts_go_first(tmp_path: Path) -> None:
    old = _file(tmp_path, "compiled/a.cwasm", 400, age_s=9000)
    mid = _file(tmp_path, "components/b.wasm", 300, age_s=5000)
    new = _file(tmp_path, "gobuild/c.wasm", 300, age_s=3000)
    source = _file(tmp_path, "sources/big/file", 10_000, age_s=99_000)  # not an artifact: never pruned
    assert cache.prune(tmp_path, limit=700, now=NOW) == 400
    assert not old.exists() and mid.exists() and new.exists() and source.exists()
    assert cache.prune(tmp_path, limit=100, now=NOW) == 600
    assert not mid.exists() and not new.exists() and source.exists()


def test_files_in_use_are_kept_even_over_the_limit(tmp_path: Path) -> None:
    busy = _file(tmp_path, "compiled/busy.cwasm", 1000, age_s=cache.GRACE_S / 2)
    assert cache.prune(tmp_path, limit=10, now=NOW) == 0
    assert busy.exists()


def test_a_hit_makes_a_file_recently_used(tmp_path: Path) -> None:
    hit = _file(tmp_path, "rewritten/hit.wasm", 500, age_s=9000)
    other = _file(tmp_path, "rewritten/other.wasm", 500, age_s=8000)
    cache.used(hit)
    assert cache.prune(tmp_path, limit=600, now=os.stat(hit).st_mtime + cache.GRACE_S + 1) == 500
    assert hit.exists() and not other.exists()


def test_limit_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATCHER_CACHE_LIMIT_GB", "0")
    _file(tmp_path, "compiled/a.cwasm", 400, age_s=9000)
    assert cache.prune(tmp_path, now=NOW) == 0  # 0 = no limit
    monkeypatch.setenv("PATCHER_CACHE_LIMIT_GB", "1.5")
    assert cache.limit_bytes() == 1_500_000_000
    monkeypatch.setenv("PATCHER_CACHE_LIMIT_GB", "lots")
    with pytest.raises(UsageError, match="PATCHER_CACHE_LIMIT_GB='lots' is not a number"):
        cache.limit_bytes()
