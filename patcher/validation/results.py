"""The models every validation tier fills in and every report reads."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from patcher.patching.patchset import Variant

Oracle = Literal["native", "wasip1-core"]  # the two references a component's run is judged against
ORACLES: tuple[Oracle, ...] = get_args(Oracle)
# "plain": wasm-tools component new --adapt only; "componentize": plus the variant's companion steps.
Pipeline = Literal["plain", "componentize"]
# "xfail": a component fails where the oracle fails too (stdlib tier); "skip": the host cannot drive
# the program (e.g. one `wasmtime run --invoke` per call for calls that share state): never a pass.
Status = Literal["pass", "fail", "error", "xfail", "skip"]
STATUSES: tuple[Status, ...] = get_args(Status)


@dataclass(frozen=True)
class Target:
    """An adapter set to validate and the pipeline that turns a Go program into a component with it."""

    label: str
    adapters: dict[str, Path]  # kind -> adapter
    pipeline: Pipeline = "plain"
    variant: Variant | None = None
    preinit: bool = False  # reactors pre-initialized (`componentize --preinit`)

    @property
    def companion(self) -> Variant | None:
        """The variant whose companion steps the pipeline performs (None: the plain pipeline)."""
        return self.variant if self.pipeline == "componentize" else None


@dataclass
class Result:
    program: str
    kind: str
    adapter: str
    go: str
    status: Status
    detail: str = ""
    pipeline: Pipeline | Literal["oracle"] = "plain"
    realloc: str | None = None
    seconds: float = 0.0
    host: str = ""  # what ran it, with its version ("wasmtime-cli 49.0.3"); "" for the native oracle


    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["seconds"] = round(self.seconds, 2)
        return d
