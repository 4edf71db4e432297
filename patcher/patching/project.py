"""The project as one command sees it: settings, the upstream pin, patch specs and variants, each
read and checked once, then handed down to every stage."""

from __future__ import annotations

import functools

from patcher.core.config import Config
from patcher.core.errors import PatcherError
from patcher.patching import patchset
from patcher.patching.patchset import Patch, Variant
from patcher.upstream.pin import Pin


class Project:
    """Loaded lazily (a command that needs no patches never parses them), and at most once."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg

    @functools.cached_property
    def pin(self) -> Pin:
        return Pin.load(self.cfg.pin_file)

    @functools.cached_property
    def patches(self) -> dict[str, Patch]:
        return patchset.load_patches(self.cfg)

    @functools.cached_property
    def variants(self) -> dict[str, Variant]:
        return patchset.load_variants(self.cfg, self.patches)

    @property
    def default_variant(self) -> Variant:
        """The variant `variants.toml` marks `recommended`: every command's default."""
        for v in self.variants.values():
            if v.recommended:
                return v
        raise PatcherError(f"no variant in {self.cfg.patches_dir / 'variants.toml'} is marked `recommended = true`",
                           hint="mark one, or name a variant with --variant")

    def variant(self, name: str | None = None) -> Variant:
        """Variant `name` (None: the recommended one)."""
        if name is None:
            return self.default_variant
        if name not in self.variants:
            raise PatcherError(f"unknown variant {name!r}", hint=f"choose one of: {', '.join(self.variants)} (see `python -m patcher variants`)")
        return self.variants[name]

    @property
    def pinned_ref(self) -> bool:
        """The upstream ref to build is the pinned one (so prebuilt adapters can be ours)."""
        ref = self.cfg.ref
        return ref is None or ref in (self.pin.tag, self.pin.commit)

    def at_ref(self, ref: str | None) -> Project:
        """The same project building another upstream ref (`tags`); specs are shared, not re-read."""
        other = Project(self.cfg.at_ref(ref))
        for name in ("patches", "variants"):
            if name in self.__dict__:
                other.__dict__[name] = self.__dict__[name]
        return other
