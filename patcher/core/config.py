"""Layered options: built-in defaults < pyproject.toml [tool.patcher] < PATCHER_* env < command line."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import tomlkit

from patcher.core import schema
from patcher.core.errors import MissingToolError, UsageError

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # patcher/, this file is patcher/core/config.py
# An installed wheel carries patches/, templates/ and vendor/ (and, from a release, prebuilt adapters) here.
BUNDLED_DATA = PACKAGE_DIR / "_data"
DEFAULTS: dict[str, object] = {"pin": "vendor/wasmtime.toml", "patches": "patches", "templates": "templates", "source": None, "ref": None}


def find_project_root() -> tuple[Path, dict[str, object]]:
    """Where patcher's data lives, and the [tool.patcher] settings found there.

    A checkout (editable install or `python -m patcher` from it) is the package's own parent, with
    patches/ and pyproject.toml (whose [tool.patcher] table, if any, is a settings layer); an installed
    wheel has the data inside the package. Never the working directory.
    """
    checkout = PACKAGE_DIR.parent
    candidate = checkout / "pyproject.toml"
    if candidate.is_file() and (checkout / "patches" / "variants.toml").is_file():
        try:
            doc = tomlkit.parse(candidate.read_text())
        except Exception as e:
            raise UsageError(f"{candidate} is not valid TOML: {e}", hint="fix the file") from e
        settings = doc.get("tool", {}).get("patcher")
        options: dict[str, object] = settings.unwrap() if settings is not None else {}
        schema.check(options, "options", path=candidate, what="[tool.patcher] in", hint="see patcher/resources/schemas/options.schema.json")
        return checkout, options
    if (BUNDLED_DATA / "patches").is_dir():
        return BUNDLED_DATA, {}
    raise MissingToolError(
        f"patcher's data files (patches/, templates/, vendor/) are missing from {PACKAGE_DIR}",
        hint="reinstall patcher from a wheel or a checkout (`pip install .`)",
    )


def default_cache_dir() -> Path:
    if env := os.environ.get("PATCHER_CACHE_DIR"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "patcher"


@dataclass(frozen=True)
class Config:
    """Every setting, resolved once per command from all layers; handed down, never re-read."""

    root: Path
    pin_file: Path
    patches_dir: Path
    templates_dir: Path
    cache_dir: Path
    source: str | None = None  # URL or local git dir; None means the pin's URL
    ref: str | None = None  # upstream tag or commit; None means the pinned tag

    def at_ref(self, ref: str | None) -> Config:
        """The same settings for another upstream ref (`tags` walks several)."""
        return replace(self, ref=ref)

    @property
    def corpus_dir(self) -> Path:
        return PACKAGE_DIR / "corpus"

    @property
    def prebuilt_dir(self) -> Path:
        """Prebuilt adapters shipped in a release wheel (absent in a checkout)."""
        return Path(os.environ.get("PATCHER_PREBUILT") or BUNDLED_DATA / "adapters")


_ENV_KEYS = {
    "pin": "PATCHER_PIN",
    "patches": "PATCHER_PATCHES",
    "templates": "PATCHER_TEMPLATES",
    "source": "PATCHER_SOURCE",
    "ref": "PATCHER_REF",
}


def load(**cli: object) -> Config:
    """Merge the layers; `cli` holds only options the user actually gave (None means not given).

    `--source` and `PATCHER_SOURCE` (and `--ref`/`PATCHER_REF`) are one setting: the flag is
    only the top layer, so everything downstream sees `Config.source` and never the flag."""
    root, settings = find_project_root()
    layered = dict(DEFAULTS)
    layered.update(settings)
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
        ref=str(layered["ref"]) if layered.get("ref") else None,
    )
