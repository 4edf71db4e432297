"""Timed, labelled log steps that read well in a terminal and in CI logs.

Everything goes to stderr so stdout stays clean for machine-readable output. On a CI service that
folds log output (GitHub Actions, Azure Pipelines, Travis), each `step` is a folded group, as in
cibuildwheel's logger.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator

_quiet = bool(os.environ.get("PATCHER_QUIET"))
_verbose = bool(os.environ.get("PATCHER_VERBOSE"))


def set_quiet(value: bool) -> None:
    global _quiet
    _quiet = value


def set_verbose(value: bool) -> None:
    """-v: tools' own output (cargo, go) is streamed instead of kept for the error message."""
    global _verbose
    _verbose = value or bool(os.environ.get("PATCHER_VERBOSE"))


def verbose() -> bool:
    return _verbose and not _quiet


def info(msg: str) -> None:
    if not _quiet:
        print(f"patcher: {msg}", file=sys.stderr, flush=True)


def warn(msg: str) -> None:
    print(f"patcher: warning: {msg}", file=sys.stderr, flush=True)


def _fold_markers(env: dict[str, str] | os._Environ[str] = os.environ) -> tuple[str, str] | None:
    """(start, end) line templates of the CI service's folded groups, or None outside CI."""
    if env.get("GITHUB_ACTIONS") == "true":
        return "::group::{title}", "::endgroup::"
    if env.get("TF_BUILD"):
        return "##[group]{title}", "##[endgroup]"
    if env.get("TRAVIS") == "true":
        return "travis_fold:start:{slug}\r\033[0K{title}", "travis_fold:end:{slug}"
    return None


_depth = 0  # CI services do not nest groups: only the outermost step folds


@contextlib.contextmanager
def step(title: str) -> Iterator[None]:
    """Log the start and the duration of a long step; a folded group on CI."""
    global _depth
    markers = None if (_quiet or _depth) else _fold_markers()
    slug = "".join(c if c.isalnum() else "-" for c in title.lower())[:40]
    if markers:
        print(markers[0].format(title=title, slug=slug), file=sys.stderr, flush=True)
    start = time.monotonic()
    info(f"{title} ...")
    _depth += 1
    try:
        yield
    except BaseException:
        info(f"{title}: failed after {time.monotonic() - start:.1f}s")
        raise
    else:
        info(f"{title}: done in {time.monotonic() - start:.1f}s")
    finally:
        _depth -= 1
        if markers:
            print(markers[1].format(title=title, slug=slug), file=sys.stderr, flush=True)


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
