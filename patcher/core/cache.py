"""A size limit for the regenerable artifact caches (compiled components, components, Go builds,
test binaries, rewritten modules): past it, the least recently used files go first.

Without one, a stress run or a few `patcher test` runs leave tens of GB behind (one compiled Go
test component is 50-100 MB). Sources, toolchains, adapters and results are never pruned: they
are small or slow to get again. `PATCHER_CACHE_LIMIT_GB` sets the limit (default 20; 0 = none).
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

ARTIFACT_DIRS = ("compiled", "components", "gobuild", "gotest", "rewritten")
DEFAULT_LIMIT_GB = 20.0
# A file written or used this recently is never deleted: a concurrent job may be about to read it.
GRACE_S = 600.0
_last_prune = 0.0


def limit_bytes() -> int:
    raw = os.environ.get("PATCHER_CACHE_LIMIT_GB", "")
    try:
        gb = float(raw) if raw else DEFAULT_LIMIT_GB
    except ValueError:
        from patcher.core.errors import UsageError

        raise UsageError(f"PATCHER_CACHE_LIMIT_GB={raw!r} is not a number", hint="set it to a size in GB, or 0 for no limit") from None
    return max(0, int(gb * 1e9))


def used(path: Path) -> Path:
    """Mark a cache hit (the mtime is what prune's "least recently used" reads)."""
    with contextlib.suppress(OSError):
        os.utime(path)
    return path


def prune(cache_dir: Path, *, limit: int | None = None, now: float | None = None) -> int:
    """Delete least recently used artifact files until they fit in `limit` bytes; returns bytes freed."""
    limit = limit_bytes() if limit is None else limit
    if limit <= 0:
        return 0
    now = time.time() if now is None else now
    files: list[tuple[float, int, str]] = []
    for sub in ARTIFACT_DIRS:
        with contextlib.suppress(FileNotFoundError):
            for entry in os.scandir(cache_dir / sub):
                with contextlib.suppress(FileNotFoundError):
                    if entry.is_file(follow_symlinks=False):
                        st = entry.stat(follow_symlinks=False)
                        files.append((st.st_mtime, st.st_size, entry.path))
    total = sum(size for _, size, _ in files)
    freed = 0
    for mtime, size, path in sorted(files):
        if total - freed <= limit or now - mtime < GRACE_S:
            break
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
            freed += size
    return freed


def prune_now_and_then(cache_dir: Path, every_s: float = 60.0) -> None:
    """prune() at most once a minute per process: for loops that write many artifacts."""
    global _last_prune
    t = time.monotonic()
    if t - _last_prune >= every_s:
        _last_prune = t
        prune(cache_dir)
