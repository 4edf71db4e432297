"""What the runner needs to know about a run; corpus cases and generated stress programs provide it
(read-only, so frozen dataclasses satisfy it)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol


class CallSpec(Protocol):
    """One export call of a reactor run."""

    @property
    def func(self) -> str: ...

    @property
    def args(self) -> Sequence[Any]: ...

    @property
    def expect(self) -> object: ...

    @property
    def has_expect(self) -> bool: ...

    @property
    def repeat(self) -> int: ...

    @property
    def idle_s(self) -> float: ...


class RunSpec(Protocol):
    """A command run (args, env, stdin, a preopened directory) or a reactor's calls, with limits."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def args(self) -> Sequence[str]: ...

    @property
    def env(self) -> Sequence[tuple[str, str]]: ...

    @property
    def stdin(self) -> str | None: ...

    @property
    def preopen(self) -> str | None: ...

    @property
    def memory_mb(self) -> int: ...

    @property
    def timeout_s(self) -> float: ...

    @property
    def calls(self) -> Sequence[CallSpec]: ...

    @property
    def calls_independent(self) -> bool:
        """Every call's expectation holds in a fresh instance (a host may run one call per process)."""

    @property
    def host(self) -> Path | None:
        """A Python module that defines the world's imports and drives the exports (corpus `host`)."""
