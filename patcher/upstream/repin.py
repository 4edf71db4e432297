"""`patcher pin --ref TAG`: point vendor/wasmtime.toml at another upstream ref."""

from __future__ import annotations

from patcher.core.config import Config
from patcher.upstream import official
from patcher.upstream import source as upstream_source
from patcher.upstream.pin import DEFAULT_PATHS, DEFAULT_URL, Pin


def repin(cfg: Config, *, ref: str) -> Pin:
    """Point the pin at `ref`: resolve it, hash the adapter paths, and look up the official release."""
    old = Pin.load(cfg.pin_file) if cfg.pin_file.is_file() else None
    tree = upstream_source.fetch(cfg.at_ref(ref), verify=False)
    version = official.version_for_tag(tree.ref)
    sha = official.index_checksum(version) if version else None
    pin = Pin(
        url=old.url if old else DEFAULT_URL,
        tag=ref,
        commit=tree.commit,
        paths=old.paths if old else list(DEFAULT_PATHS),
        content_sha256=tree.content_sha256,
        official_version=version if sha else None,
        official_sha256=sha,
    )
    pin.save(cfg.pin_file)
    return pin
