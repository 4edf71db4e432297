"""The release wheel: patcher itself plus the recommended variant's prebuilt adapters.

Built with PyPA's `build` from a clean copy of the checkout (no stale build/ directory can leak
into it), with SOURCE_DATE_EPOCH fixed so that two builds from the same inputs are identical.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from patcher.core import log
from patcher.core.config import Config
from patcher.core.errors import MissingToolError, UsageError

# What the wheel is built from; everything else in a checkout (tests, docs, caches) stays out.
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "patcher", "patches", "templates", "vendor")
# 2020-01-01: any fixed time makes the zip entries' timestamps reproducible.
DEFAULT_EPOCH = "1577836800"


def build_wheel(cfg: Config, bundle: Path | None, out_dir: Path) -> Path:
    """Build the wheel into `out_dir` (which must exist); `bundle` is a prebuilt-adapter directory."""
    try:
        from build import ProjectBuilder
        from pyproject_hooks import quiet_subprocess_runner
    except ImportError as e:
        raise MissingToolError("the `build` package is not installed", hint="pip install 'patcher[release]' (the README set-up command does it)") from e
    if not (cfg.root / "setup.py").is_file():
        raise UsageError(f"{cfg.root} is not a patcher checkout", hint="build the release wheel from a checkout of patcher")
    with tempfile.TemporaryDirectory(prefix="patcher-wheel-") as t:
        src = Path(t) / "src"
        for name in SOURCES:
            p = cfg.root / name
            if p.is_dir():
                shutil.copytree(p, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_data", "*.egg-info"))
            else:
                src.mkdir(parents=True, exist_ok=True)
                shutil.copy2(p, src / name)
        env = {"SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)}
        if bundle is not None:
            env["PATCHER_BUNDLE_ADAPTERS"] = str(bundle)
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            with log.step("build the patcher wheel" + (" with prebuilt adapters" if bundle else "")):
                builder = ProjectBuilder(src, runner=quiet_subprocess_runner)
                missing = builder.check_dependencies("wheel")
                if missing:
                    raise MissingToolError(f"building the wheel needs {', '.join(sorted(str(m) for ms in missing for m in ms))}",
                                           hint="pip install 'patcher[release]' (the README set-up command does it)")
                built = Path(builder.build("wheel", str(Path(t) / "dist")))
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        dest = out_dir / built.name
        shutil.copyfile(built, dest)
    return dest
