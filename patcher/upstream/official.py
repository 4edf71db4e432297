"""The official prebuilt adapters (crates.io `wasi-preview1-component-adapter-provider`): our baseline."""

from __future__ import annotations

import io
import json
import re
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

from patcher.core import log
from patcher.core.config import Config
from patcher.core.errors import MissingToolError, PatcherError
from patcher.core.fsutil import atomic_dir, ensure_cache_dir, sha256_bytes
from patcher.core.kinds import ADAPTER_KINDS, ADAPTER_MODULE, adapter_name
from patcher.upstream.pin import OFFICIAL_CRATE, Pin

INDEX_URL = "https://index.crates.io/wa/si/" + OFFICIAL_CRATE
CRATE_URL = "https://static.crates.io/crates/{name}/{name}-{version}.crate"


def version_for_tag(tag: str) -> str | None:
    m = re.fullmatch(r"v(\d+\.\d+\.\d+)", tag)
    return m.group(1) if m else None


def _get(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            data: bytes = r.read()
            return data
    except (urllib.error.URLError, TimeoutError) as e:
        raise MissingToolError(f"cannot download {url}: {e}", hint="check network access to crates.io") from e


def index_checksum(version: str) -> str | None:
    """sha256 of the .crate as published in the crates.io index, or None if that version does not exist."""
    for line in _get(INDEX_URL).decode().splitlines():
        entry = json.loads(line)
        if entry.get("vers") == version and not entry.get("yanked"):
            return str(entry["cksum"])
    return None


def official_dir(cfg: Config, version: str | None = None, sha256: str | None = None) -> Path:
    """Directory holding wasi_snapshot_preview1.<kind>.wasm for the pinned (or given) release."""
    if version is None:
        pin = Pin.load(cfg.pin_file)
        if not pin.official_version:
            raise PatcherError(f"no official adapter release is known for {pin.tag}", hint="pin a released tag (vNN.0.0) to compare against the official adapters")
        version, sha256 = pin.official_version, pin.official_sha256
    final = ensure_cache_dir(cfg.cache_dir) / "official" / version
    if all((final / adapter_name(k)).is_file() for k in ADAPTER_KINDS):
        return final
    if sha256 is None:
        sha256 = index_checksum(version)
        if sha256 is None:
            raise PatcherError(f"{OFFICIAL_CRATE} {version} is not on crates.io", hint="pick a released wasmtime version")
    with log.step(f"download official adapters {version}"):
        data = _get(CRATE_URL.format(name=OFFICIAL_CRATE, version=version))
        got = sha256_bytes(data)
        if got != sha256:
            raise PatcherError(f"{OFFICIAL_CRATE}-{version}.crate has sha256 {got[:16]}…, expected {sha256[:16]}…", hint="the download is corrupt or the pin is wrong; nothing was cached")
        with atomic_dir(final) as tmp, tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar.getmembers():
                name = Path(member.name).name
                if member.isfile() and name.startswith(f"{ADAPTER_MODULE}.") and name.endswith(".wasm"):
                    (tmp / name).write_bytes(tar.extractfile(member).read())  # type: ignore[union-attr]
            if not all((tmp / adapter_name(k)).is_file() for k in ADAPTER_KINDS):
                raise PatcherError(f"{OFFICIAL_CRATE} {version} does not contain the three adapters", hint="report this; the crate layout changed")
    return final


def official_adapter(cfg: Config, kind: str) -> Path:
    return official_dir(cfg) / adapter_name(kind)
