"""Follow the configuration through a command: every patcher function entered with the Config or
the Project among its arguments, in call order, with its pipeline stage, from the subcommand's
entry on (the configuration's own methods, which only read it, are not places it enters).

A climb is an entry at a later pipeline stage than the entry before it (the data going back up);
a spec parse is one patch or variants TOML read and checked. `python tests/walk.py ARGS...` prints
the figures for `patcher ARGS...`."""

from __future__ import annotations

import itertools
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pipeline import STAGES  # noqa: E402  (the pipeline order the architecture test enforces)

PACKAGE = str(ROOT / "patcher")


@dataclass
class Walk:
    entries: list[tuple[str, str]] = field(default_factory=list)  # (function, stage)
    spec_parses: int = 0

    @property
    def places(self) -> int:
        return len({f for f, _ in self.entries})

    @property
    def climbs(self) -> int:
        ranks = [STAGES[s] for _, s in self.entries]
        return sum(1 for a, b in itertools.pairwise(ranks) if b > a)

    @property
    def stages(self) -> list[str]:
        """The stages in the order they are first entered."""
        return list(dict.fromkeys(s for _, s in self.entries))


def _is_config(value: object, kinds: tuple[type, ...]) -> bool:
    return isinstance(value, kinds)


def walk(argv: list[str]) -> tuple[int, Walk]:
    from patcher import cli
    from patcher.core.config import Config

    kinds: tuple[type, ...] = (Config,)
    try:
        from patcher.patching.project import Project

        kinds += (Project,)
    except ImportError:  # before the Project existed
        pass
    w = Walk()

    def profile(frame: types.FrameType, event: str, arg: Any) -> None:
        if event != "call":
            return
        code = frame.f_code
        if not code.co_filename.startswith(PACKAGE):
            return
        if code.co_name in ("load_patch", "load_variants") and code.co_filename.endswith("patchset.py"):
            w.spec_parses += 1
        names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
        if not any(_is_config(frame.f_locals.get(n), kinds) for n in names):
            return
        if names and names[0] == "self" and _is_config(frame.f_locals.get("self"), kinds):
            return  # a method of the configuration itself
        module = Path(code.co_filename).relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")
        parts = module.split(".")
        stage = parts[1] if len(parts) > 2 else "cli"
        if stage not in STAGES or (not w.entries and stage != "cli"):
            return
        w.entries.append((f"{module}.{code.co_qualname}", stage))

    sys.setprofile(profile)
    try:
        code = cli.main(argv)
    finally:
        sys.setprofile(None)
    return code, w


if __name__ == "__main__":
    rc, w = walk(sys.argv[1:])
    print(f"exit {rc}: {w.places} places entered ({len(w.entries)} entries), {w.climbs} climbs back up, {w.spec_parses} spec parses")
    print("stages in order of first entry: " + " -> ".join(w.stages))
    print("sequence: " + " ".join(s for _, s in w.entries))
