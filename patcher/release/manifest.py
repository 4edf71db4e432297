"""The release's `manifest.toml`: a typed model, written by tomlkit in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import tomlkit

from patcher.core.fsutil import sha256_file
from patcher.core.kinds import AdapterKind


@dataclass(frozen=True)
class Tools:
    patcher: str
    rustc: str
    cargo: str
    rust_route: str
    wasm_tools: str
    wasmtime_py: str
    go: list[str]


@dataclass(frozen=True)
class Artifact:
    path: str  # relative to the release directory
    variant: str
    kind: AdapterKind
    sha256: str
    size: int
    patches: dict[str, str]  # name -> sha256 of the spec and its templates
    companion: tuple[str, ...] = ()

    @classmethod
    def of(cls, root: Path, path: Path, *, variant: str, kind: AdapterKind, patches: dict[str, str], companion: tuple[str, ...]) -> Artifact:
        return cls(path.relative_to(root).as_posix(), variant, kind, sha256_file(path), path.stat().st_size, patches, companion)


@dataclass(frozen=True)
class Wheel:
    path: str
    sha256: str
    size: int
    variant: str  # whose adapters it carries prebuilt
    kinds: tuple[AdapterKind, ...]
    recipe: str


@dataclass
class Manifest:
    upstream: dict[str, str]  # url, tag, commit
    tools: Tools
    recommended: str
    artifacts: list[Artifact] = field(default_factory=list)
    programs: int = 0
    validation: dict[str, dict[str, int]] = field(default_factory=dict)  # adapter -> {pass, fail, ...}
    wheel: Wheel | None = None

    def dumps(self) -> str:
        doc = tomlkit.document()
        doc.add(tomlkit.comment("Written by `python -m patcher release`."))
        up = tomlkit.table()
        for key in ("url", "tag", "commit"):
            up.add(key, self.upstream[key])
        doc.add("upstream", up)
        tools = tomlkit.table()
        for key, value in vars(self.tools).items():
            tools.add(key, value)
        doc.add("toolchain", tools)
        doc.add("recommended", self.recommended)
        arts = tomlkit.aot()
        for a in self.artifacts:
            t = tomlkit.table()
            t.update({"path": a.path, "variant": a.variant, "kind": a.kind, "sha256": a.sha256, "size": a.size, "patches": a.patches})
            if a.companion:
                t.add("companion", list(a.companion))
            arts.append(t)
        doc.add("artifact", arts)
        val = tomlkit.table()
        val.add("programs", self.programs)
        for adapter, counts in self.validation.items():
            row = tomlkit.inline_table()
            row.update(counts)
            val.add(adapter, row)
        doc.add("validation", val)
        if self.wheel is not None:
            w = tomlkit.table()
            w.update({"path": self.wheel.path, "sha256": self.wheel.sha256, "size": self.wheel.size})
            w.add("prebuilt", {"variant": self.wheel.variant, "kinds": list(self.wheel.kinds), "recipe": self.wheel.recipe})
            doc.add("wheel", w)
        return tomlkit.dumps(doc)
