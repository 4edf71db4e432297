"""Layered options: built-in defaults < pyproject.toml [tool.patcher] < PATCHER_* env < command line."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import tomlkit

from patcher.errors import PatcherError

PACKAGE_DIR = Path(__file__).resolve().parent


def find_project_root() -> Path:
    """The checkout that holds pyproject.toml with [tool.patcher], patches/ and templates/."""
    for base in (PACKAGE_DIR.parent, Path.cwd(), *Path.cwd().parents):
        candidate = base / "pyproject.toml"
        if candidate.is_file():
            try:
                doc = tomlkit.parse(candidate.read_text())
            except Exception:
                continue
            if "patcher" in doc.get("tool", {}):
                return base
    raise PatcherError(
        "cannot find the patcher project (pyproject.toml with [tool.patcher])",
        hint="run from a checkout of patcher or install it with `pip install -e .`",
    )


def default_cache_dir() -> Path:
    if env := os.environ.get("PATCHER_CACHE_DIR"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "patcher"


@dataclass
class Config:
    root: Path
    pin_file: Path
    patches_dir: Path
    templates_dir: Path
    cache_dir: Path
    source: str | None = None  # URL or local git dir; None means the pin's URL

    @property
    def corpus_dir(self) -> Path:
        return PACKAGE_DIR / "corpus"


_ENV_KEYS = {
    "pin": "PATCHER_PIN",
    "patches": "PATCHER_PATCHES",
    "templates": "PATCHER_TEMPLATES",
    "source": "PATCHER_SOURCE",
}


def load(**cli: object) -> Config:
    """Merge the layers; `cli` holds only options the user actually gave (None means not given)."""
    root = find_project_root()
    layered: dict[str, object] = {"pin": "vendor/wasmtime.toml", "patches": "patches", "templates": "templates", "source": None}
    doc = tomlkit.parse((root / "pyproject.toml").read_text())
    layered.update({k: v for k, v in doc["tool"]["patcher"].unwrap().items()})
    for key, env in _ENV_KEYS.items():
        if os.environ.get(env):
            layered[key] = os.environ[env]
    layered.update({k: v for k, v in cli.items() if v is not None})

    def path(key: str) -> Path:
        p = Path(str(layered[key])).expanduser()
        return p if p.is_absolute() else root / p

    cache = cli.get("cache_dir")
    return Config(
        root=root,
        pin_file=path("pin"),
        patches_dir=path("patches"),
        templates_dir=path("templates"),
        cache_dir=Path(str(cache)).expanduser() if cache else default_cache_dir(),
        source=str(layered["source"]) if layered.get("source") else None,
    )
