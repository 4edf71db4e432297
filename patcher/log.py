"""Timed, labelled log steps that read well in a terminal and in CI logs.

Everything goes to stderr so stdout stays clean for machine-readable output.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time

_quiet = bool(os.environ.get("PATCHER_QUIET"))


def set_quiet(value: bool) -> None:
    global _quiet
    _quiet = value


def info(msg: str) -> None:
    if not _quiet:
        print(f"patcher: {msg}", file=sys.stderr, flush=True)


def warn(msg: str) -> None:
    print(f"patcher: warning: {msg}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def step(title: str):
    """Log the start and the duration of a long step (cibuildwheel style)."""
    start = time.monotonic()
    info(f"{title} ...")
    try:
        yield
    except BaseException:
        info(f"{title}: failed after {time.monotonic() - start:.1f}s")
        raise
    info(f"{title}: done in {time.monotonic() - start:.1f}s")


class Progress:
    """Counts items of a long loop; prints one line per item (no carriage returns, so CI logs stay readable)."""

    def __init__(self, total: int, title: str):
        self.total = total
        self.title = title
        self.done = 0
        self.start = time.monotonic()

    def item(self, label: str, status: str = "") -> None:
        self.done += 1
        elapsed = time.monotonic() - self.start
        width = len(str(self.total))
        suffix = f" {status}" if status else ""
        info(f"[{self.done:>{width}}/{self.total}] {self.title}: {label}{suffix} ({elapsed:.0f}s)")
