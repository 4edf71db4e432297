"""Compare a run with a corpus program's expectations and say, in one line, what went wrong."""

from __future__ import annotations

from typing import Literal

from patcher.run.runner import RunResult
from patcher.validation.corpus import Case

_STDERR_KEYS = ("assertion failed", "unreachable executed", "fatal error:", "panic:", "runtime:", "error:", "import allocator")


def stderr_headline(stderr: str) -> str:
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    for key in _STDERR_KEYS:
        for l in lines:
            if key in l:
                return l[:200]
    return lines[-1][:200] if lines else ""


def first_difference(got: str, want: str) -> str:
    g, w = got.splitlines(), want.splitlines()
    for i, (a, b) in enumerate(zip(g, w, strict=False), 1):
        if a != b:
            return f"stdout line {i}: got {a[:80]!r}, expected {b[:80]!r}"
    if len(g) != len(w):
        return f"stdout has {len(g)} lines, expected {len(w)}"
    return "stdout differs in whitespace"


def expected_exit(case: Case, component: bool) -> int:
    """WASI 0.2's wasi:cli/exit carries only ok/err, so a component can only exit 0 or 1."""
    if component:
        return 0 if case.exit_code == 0 else 1
    return case.exit_code


def judge(case: Case, r: RunResult, *, component: bool = True) -> tuple[Literal["pass", "fail"], str]:
    """('pass'|'fail', detail)."""
    if not r.ok:
        parts = [r.trap or r.detail or "failed"]
        if r.frames.get("adapter"):
            parts.append(f"in adapter {r.frames['adapter']}")
        if r.frames.get("go"):
            parts.append(f"from Go {r.frames['go']}")
        if head := stderr_headline(r.stderr):
            parts.append(f"stderr: {head}")
        return "fail", " | ".join(parts)
    if r.detail:
        return "fail", r.detail
    want = expected_exit(case, component)
    if case.kind == "command" and r.exit_code != want:
        parts = [f"exit code {r.exit_code}, expected {want}"]
        if case.stdout is not None and r.stdout != case.stdout:
            parts.append(first_difference(r.stdout, case.stdout))
        if head := stderr_headline(r.stderr):
            parts.append(f"stderr: {head}")
        return "fail", " | ".join(parts)
    if case.stdout is not None and r.stdout != case.stdout:
        return "fail", first_difference(r.stdout, case.stdout)
    missing = [s for s in case.stderr_contains if s not in r.stderr]
    if missing:
        head = stderr_headline(r.stderr)
        return "fail", f"stderr lacks {missing[0]!r}" + (f" | stderr: {head}" if head else "")
    return "pass", ""
