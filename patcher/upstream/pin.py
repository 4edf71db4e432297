"""The upstream pin in vendor/: which wasmtime tag and commit we build, and the hash of what we read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import tomlkit

from patcher.core.errors import PatcherError
from patcher.core.fsutil import write_atomic

DEFAULT_URL = "https://github.com/bytecodealliance/wasmtime"
# Everything the adapter build reads; the WIT paths are relative to the adapter crate in lib.rs.
DEFAULT_PATHS = [
    "Cargo.toml",
    "Cargo.lock",
    "crates/wasi-preview1-component-adapter",
    "crates/wasi/src/p2/wit",
    "crates/wasi-http/wit",
]
OFFICIAL_CRATE = "wasi-preview1-component-adapter-provider"


@dataclass
class Pin:
    url: str
    tag: str
    commit: str
    paths: list[str]
    content_sha256: str
    official_version: str | None
    official_sha256: str | None
    path: Path | None = None

    @classmethod
    def load(cls, path: Path) -> Pin:
        if not path.is_file():
            raise PatcherError(f"pin file {path} not found", hint="run `python -m patcher pin --ref TAG` to create it")
        try:
            doc = tomlkit.parse(path.read_text())
            up = doc["upstream"]
            off = doc.get("official", {})
            return cls(
                url=str(up["url"]),
                tag=str(up["tag"]),
                commit=str(up["commit"]),
                paths=[str(p) for p in up["paths"]],
                content_sha256=str(up["content_sha256"]),
                official_version=str(off["version"]) if "version" in off else None,
                official_sha256=str(off["sha256"]) if "sha256" in off else None,
                path=path,
            )
        except (KeyError, tomlkit.exceptions.TOMLKitError) as e:
            raise PatcherError(f"pin file {path} is malformed: {e}", hint="restore it from git or re-create it with `python -m patcher pin`") from e

    def save(self, path: Path) -> None:
        doc = tomlkit.document()
        doc.add(tomlkit.comment("Upstream pin for the adapter source. Rewritten by `python -m patcher pin --ref TAG`."))
        up = tomlkit.table()
        up.add("url", self.url)
        up.add("tag", self.tag)
        up.add("commit", self.commit)
        paths = tomlkit.array()
        paths.multiline(True)
        paths.extend(self.paths)
        up.add("paths", paths)
        up.add("content_sha256", self.content_sha256)
        doc.add("upstream", up)
        off = tomlkit.table()
        off.add(tomlkit.comment("Prebuilt adapters of the same release on crates.io: the baseline we compare against."))
        off.add("crate", OFFICIAL_CRATE)
        if self.official_version:
            off.add("version", self.official_version)
            off.add("sha256", self.official_sha256 or "")
        doc.add("official", off)
        write_atomic(path, tomlkit.dumps(doc).encode())

    def summary(self) -> dict[str, str]:
        return {"url": self.url, "tag": self.tag, "commit": self.commit, "content_sha256": self.content_sha256}
