"""The go command's side of `patcher test`: which packages a pattern names (`go list`) and each
package's wasip1 test binary (`go test -c`)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from patcher.core import proc
from patcher.core.errors import CheckFailed
from patcher.golang.gotool import GoToolchain


@dataclass
class Package:
    import_path: str
    dir: Path
    has_tests: bool
    error: str = ""


def list_packages(go: GoToolchain, patterns: list[str], build_flags: list[str], cwd: Path | None = None) -> list[Package]:
    flags = [f for f in build_flags if f.startswith(("-tags=", "-mod=", "-modfile="))]
    cmd = [str(go.exe), "list", "-e", "-json=ImportPath,Dir,TestGoFiles,XTestGoFiles,Error", *flags, *patterns]
    r = proc.run(cmd, env=go.env(GOOS="wasip1", GOARCH="wasm"), cwd=cwd)
    if r.returncode != 0:
        raise CheckFailed(f"go list {' '.join(patterns)} failed: {first_line(r.stderr)}", hint="run patcher test inside your Go module, with package paths or ./...")
    out, dec, pos, text = [], json.JSONDecoder(), 0, r.stdout
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        d, pos = dec.raw_decode(text, pos)
        err = (d.get("Error") or {}).get("Err", "")
        out.append(Package(d["ImportPath"], Path(d.get("Dir") or "."), bool(d.get("TestGoFiles") or d.get("XTestGoFiles")), err))
    for line in r.stderr.splitlines():  # "matched no packages" warnings
        print(line, file=sys.stderr)
    return out


def first_line(text: str) -> str:
    lines = [l.strip() for l in text.splitlines() if l.strip() and not l.startswith("#")]
    return lines[0] if lines else "unknown error"


def build_test_binary(go: GoToolchain, import_path: str, out: Path, *, build_flags: list[str], overlay: Path | None,
                      cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`GOOS=wasip1 GOARCH=wasm go test -c -o OUT PKG` (the overlay as a build flag)."""
    cmd = [str(go.exe), "test", "-c", "-o", str(out), *build_flags]
    if overlay is not None:
        cmd.append(f"-overlay={overlay}")
    cmd.append(import_path)
    return proc.run(cmd, env=go.env(GOOS="wasip1", GOARCH="wasm"), cwd=cwd, timeout=1800)
