"""`--shard K/N`: a deterministic split of programs or packages over N machines."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from patcher.core.errors import UsageError

T = TypeVar("T")


def parse_shard(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    m = re.fullmatch(r"(\d+)/(\d+)", text)
    if not m or not (1 <= int(m.group(1)) <= int(m.group(2))):
        raise UsageError(f"invalid --shard {text!r}", hint="use K/N with 1 <= K <= N, e.g. --shard 2/4")
    return int(m.group(1)), int(m.group(2))


def shard(items: list[T], spec: tuple[int, int] | None, key: Callable[[T], Any] = lambda x: x) -> list[T]:
    """Every N-th item of the list sorted by `key`, starting at K: deterministic, and the shards cover it exactly."""
    if spec is None:
        return items
    k, n = spec
    return sorted(items, key=key)[k - 1::n]
