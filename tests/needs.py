"""Helpers for integration tests: is an upstream source reachable, which Go and adapters to use."""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

import pytest

from patcher.core import config
from patcher.upstream import source
from patcher.upstream.pin import Pin


def source_or_skip() -> config.Config:
    """The project config if the pinned upstream source can be had, else skip with the reason."""
    cfg = config.load()
    pin = Pin.load(cfg.pin_file)
    cached = cfg.cache_dir / "sources" / pin.commit / source.MARKER
    if cached.is_file():
        return cfg
    tried = [f"cache {cfg.cache_dir}"]
    if cfg.source:
        if source.is_url(cfg.source) or Path(cfg.source).exists():
            return cfg
        tried.append(f"PATCHER_SOURCE={cfg.source} (missing)")
    else:
        tried.append("PATCHER_SOURCE (unset)")
    try:
        r = subprocess.run(["git", "ls-remote", "--exit-code", pin.url, f"refs/tags/{pin.tag}"], capture_output=True, timeout=15,
                           env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
        if r.returncode == 0:
            return cfg
        tried.append(f"{pin.url} (unreachable)")
    except (OSError, subprocess.TimeoutExpired):
        tried.append(f"{pin.url} (timed out)")
    pytest.skip(f"no upstream wasmtime source reachable for {pin.tag}; tried {', '.join(tried)}. "
                "Set PATCHER_SOURCE to a wasmtime git directory to run this test.")


@functools.cache
def missing_go() -> str | None:
    """Why the tests that build Go programs cannot run here, or None."""
    from patcher.core.errors import PatcherError
    from patcher.golang import gotool

    try:
        gotool.resolve("go", config.default_cache_dir())
    except PatcherError as e:
        return f"no usable Go: {e.one_line()}"
    return None


@functools.cache
def missing_rust() -> str | None:
    from patcher.adapter import toolchain

    if toolchain.find() is None:
        return f"no Rust toolchain for {toolchain.TARGET}; run scripts/setup (it adds the rustup target or installs Debian's Rust)"
    return None


@functools.cache
def missing_crates() -> str | None:
    """The official adapters come from crates.io: cached, or crates.io reachable."""
    import urllib.request

    cfg = config.load()
    pin = Pin.load(cfg.pin_file)
    if pin.official_version and (cfg.cache_dir / "official" / pin.official_version).is_dir():
        return None
    try:
        urllib.request.urlopen("https://index.crates.io/config.json", timeout=10).close()
    except OSError as e:
        return f"the official adapters are not cached and crates.io is unreachable ({e})"
    return None


@functools.cache
def missing_jco() -> str | None:
    """jco: the project's pinned install (scripts/setup), PATCHER_JCO, or jco on PATH."""
    from patcher.core import hosttools
    from patcher.core.errors import PatcherError

    try:
        hosttools.jco(config.load().cache_dir)
    except PatcherError as e:
        return f"no jco: {e.one_line()}"
    return None


REQUIREMENTS = {"go": missing_go, "cargo": missing_rust, "crates": missing_crates, "jco": missing_jco}


def private_artifact_cache(cfg: config.Config, tmp: Path) -> config.Config:
    """`cfg` with a cache of its own for finished adapters, sharing everything else (sources, cargo
    target dirs): a test can force cargo by emptying `built/` without deleting adapters that other
    runs on this machine are using."""
    import dataclasses

    priv = tmp / "cache"
    priv.mkdir(parents=True, exist_ok=True)
    for d in cfg.cache_dir.iterdir():
        if d.name != "built" and not (priv / d.name).exists():
            (priv / d.name).symlink_to(d)
    return dataclasses.replace(cfg, cache_dir=priv)

