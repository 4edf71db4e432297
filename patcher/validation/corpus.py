"""The validation corpus: real Go programs with their expected behaviour (patcher/corpus/<name>/case.toml)."""

from __future__ import annotations

import fnmatch
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patcher.core import schema
from patcher.core.errors import PatcherError
from patcher.core.kinds import PROGRAM_KINDS, ProgramKind

REALLOC_STYLES = ("none", "naive", "pinned", "bindgen")
GLUE_DIR = "_glue"  # Go files any program may list in `glue` (canonical ABI helpers, cabi_realloc styles)
SHARED_DIR = "_shared"  # program sources several cases build (`shared`), e.g. a naive and a pinned pair
_SOURCE_SUFFIXES = (".go", ".wit")


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple[object, ...]
    expect: object = None
    has_expect: bool = False
    repeat: int = 1
    idle_s: float = 0.0  # the host waits this long before the call (no guest code runs)


@dataclass(frozen=True)
class Case:
    name: str
    dir: Path
    summary: str
    kind: ProgramKind
    realloc: str | None = None
    build_flags: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    stdin: str | None = None
    preopen: str | None = None
    exit_code: int = 0
    stdout: str | None = None  # expected stdout text
    stderr_contains: tuple[str, ...] = ()
    timeout_s: float = 120.0
    memory_mb: int = 4096
    world: str | None = None
    wit: Path | None = None
    calls: tuple[Call, ...] = ()
    bindgen: bool = False  # build with bindings generated from world.wit (patcher bindgen)
    host: Path | None = None  # Python module: host imports (define) and a driver of the exports (drive)
    calls_independent: bool = False  # every call's expectation holds in a fresh instance (hosts that run one call per process)
    tags: tuple[str, ...] = field(default_factory=tuple)

    def source_hash(self) -> str:
        h = hashlib.sha256()
        for p in sorted(self.dir.rglob("*")):
            if p.is_file() and (p.suffix in (".go", ".wit") or p.name in ("go.mod", "go.sum")):
                h.update(p.relative_to(self.dir).as_posix().encode() + b"\0" + p.read_bytes())
        return h.hexdigest()


def _generated_env(spec: dict[str, Any]) -> list[tuple[str, str]]:
    count, length, prefix = int(spec["count"]), int(spec["value_len"]), str(spec.get("prefix", "GEN_"))
    width = max(4, len(str(count - 1)))
    return [(f"{prefix}{i:0{width}d}", "x" * length) for i in range(count)]


def gen_strings(count: int, length: int) -> list[str]:
    """The list a `{ gen = "strings", count = N, len = L }` call argument in case.toml stands for.

    `count` strings of exactly `length` bytes each (ASCII, so also characters): `s<index>:` (the
    index zero-padded to five digits) followed by `abc...xyz0123456789` repeated, cut at `length`. The same
    arguments always give the same list, so a generator (the stress tier) can compute expected
    results from the arguments it writes."""
    return [(f"s{i:05d}:" + "abcdefghijklmnopqrstuvwxyz0123456789" * (length // 36 + 1))[:length] for i in range(count)]


def _expand_arg(case_dir: Path, value: object) -> object:
    if isinstance(value, dict) and "gen" in value:
        if value["gen"] != "strings":
            raise PatcherError(f"corpus program {case_dir.name}: unknown generated argument {value['gen']!r}")
        return gen_strings(int(value["count"]), int(value["len"]))
    return value


def _is_source(p: Path) -> bool:
    return p.is_file() and (p.suffix in _SOURCE_SUFFIXES or p.name in ("go.mod", "go.sum"))


def _assemble(case_dir: Path, shared: str | None, glue: list[str]) -> Path:
    """The program's build directory: `_shared/<shared>` + the case's own sources + `_glue/<g>.go`.

    Written once per content (a hash names it) under the temp directory, atomically: the shipped
    corpus may be read-only, and parallel runs may assemble the same program."""
    root = case_dir.parent
    files: dict[str, bytes] = {}
    if shared:
        sdir = root / SHARED_DIR / shared
        if not sdir.is_dir():
            raise PatcherError(f"corpus program {case_dir.name}: shared sources {sdir} not found", hint=f"add {SHARED_DIR}/{shared}/ or fix `shared` in case.toml")
        files |= {p.name: p.read_bytes() for p in sorted(sdir.iterdir()) if _is_source(p)}
    files |= {p.name: p.read_bytes() for p in sorted(case_dir.iterdir()) if _is_source(p)}
    for g in glue:
        src = root / GLUE_DIR / f"{g}.go"
        if not src.is_file():
            known = ", ".join(sorted(p.stem for p in (root / GLUE_DIR).glob("*.go"))) or "none"
            raise PatcherError(f"corpus program {case_dir.name}: glue {g!r} not found in {root / GLUE_DIR}", hint=f"glue files: {known}")
        files[f"glue_{g.replace('-', '_')}.go"] = src.read_bytes()
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + files[name] + b"\0")
    dest = Path(tempfile.gettempdir()) / f"patcher-corpus-{os.getuid() if hasattr(os, 'getuid') else 0}" / f"{case_dir.name}-{h.hexdigest()[:16]}"
    if not dest.is_dir():
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{case_dir.name}-", dir=dest.parent))
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        try:
            tmp.rename(dest)
        except OSError:  # another process assembled the same content first
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


def load_case(case_dir: Path) -> Case:
    path = case_dir / "case.toml"
    doc = schema.load(path, "case", what="corpus program", hint="fix its case.toml (keys: patcher/resources/schemas/case.schema.json)")
    kind = doc.get("kind")
    if kind not in PROGRAM_KINDS:
        raise PatcherError(f"corpus program {case_dir.name}: kind must be one of {PROGRAM_KINDS}")
    realloc = doc.get("realloc")
    if kind == "reactor" and realloc not in REALLOC_STYLES:
        raise PatcherError(f"corpus program {case_dir.name}: reactors need realloc = one of {REALLOC_STYLES}")
    env = list(doc.get("env", {}).items())
    if "env_generated" in doc:
        env += _generated_env(doc["env_generated"])
    stdout = None
    if "stdout" in doc:
        stdout = (case_dir / doc["stdout"]).read_text()
    calls = []
    for c in doc.get("call", []):
        calls.append(Call(func=c["func"], args=tuple(_expand_arg(case_dir, a) for a in c.get("args", [])), expect=c.get("expect"), has_expect="expect" in c, repeat=int(c.get("repeat", 1)), idle_s=float(c.get("idle_s", 0))))
    glue, shared = [str(g) for g in doc.get("glue", [])], doc.get("shared")
    build_dir = _assemble(case_dir, shared, glue) if (glue or shared) else case_dir
    wit = build_dir / "world.wit" if (build_dir / "world.wit").is_file() else None
    if kind == "reactor" and calls and (wit is None or not doc.get("world")):
        raise PatcherError(f"corpus program {case_dir.name}: reactor calls need world.wit and world = ...")
    bindgen = bool(doc.get("bindgen", False))
    if bindgen and (wit is None or not doc.get("world")):
        raise PatcherError(f"corpus program {case_dir.name}: bindgen = true needs world.wit and world = ...")
    host = case_dir / doc["host"] if "host" in doc else None
    if host is not None and not host.is_file():
        raise PatcherError(f"corpus program {case_dir.name}: host module {doc['host']} not found")
    return Case(
        name=case_dir.name,
        dir=build_dir,
        summary=str(doc.get("summary", "")),
        kind=kind,
        realloc=realloc,
        build_flags=tuple(doc.get("build_flags", [])),
        args=tuple(str(a) for a in doc.get("args", [])),
        env=tuple((str(k), str(v)) for k, v in env),
        stdin=doc.get("stdin"),
        preopen=doc.get("preopen"),
        exit_code=int(doc.get("exit_code", 0)),
        stdout=stdout,
        stderr_contains=tuple(doc.get("stderr_contains", [])),
        timeout_s=float(doc.get("timeout_s", 120)),
        memory_mb=int(doc.get("memory_mb", 4096)),
        world=doc.get("world"),
        wit=wit,
        calls=tuple(calls),
        bindgen=bindgen,
        host=host,
        calls_independent=bool(doc.get("calls_independent", False)),
    )


def load(corpus_dir: Path, only: list[str] | None = None) -> list[Case]:
    if not corpus_dir.is_dir():
        raise PatcherError(f"corpus directory {corpus_dir} not found", hint="pass --corpus DIR with one sub-directory per Go program")
    dirs = sorted(d for d in corpus_dir.iterdir() if (d / "case.toml").is_file())
    if only:
        picked = [d for d in dirs if any(fnmatch.fnmatch(d.name, pat) for pat in only)]
        unmatched = [pat for pat in only if not any(fnmatch.fnmatch(d.name, pat) for d in dirs)]
        if unmatched:
            raise PatcherError(f"no corpus program matches {', '.join(map(repr, unmatched))}", hint=f"programs: {', '.join(d.name for d in dirs)}")
        dirs = picked
    return [load_case(d) for d in dirs]
