"""The models every validation tier fills in and every report reads."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ORACLES = ("native", "wasip1-core")  # the two references a component's run is judged against


@dataclass
class Target:
    """An adapter set to validate and the pipeline that turns a Go program into a component with it."""

    label: str
    adapters: dict[str, Path]  # kind -> adapter
    pipeline: str = "plain"  # "plain": wasm-tools component new --adapt only; "componentize": plus the variant's companion steps
    variant: str | None = None


@dataclass
class Result:
    program: str
    kind: str
    adapter: str
    go: str
    status: str  # pass | fail | error
    detail: str = ""
    pipeline: str = "plain"
    realloc: str | None = None
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["seconds"] = round(self.seconds, 2)
        return d
