"""The pipeline order of patcher's stages (docs/architecture.md): a stage may import from its own
rank or lower. Shared by the architecture test and the configuration walk."""

from __future__ import annotations

STAGES = {"core": 0, "upstream": 1, "patching": 2, "adapter": 3, "golang": 4, "bindgen": 4, "component": 5, "run": 6,
          "validation": 7, "release": 8, "cli": 9}
