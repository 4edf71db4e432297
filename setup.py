"""The repository keeps patches/, templates/ and vendor/ at the top level; a wheel carries them as
patcher/_data/, and a release wheel also the prebuilt adapters named by PATCHER_BUNDLE_ADAPTERS."""

import os
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_DIRS = ("patches", "templates", "vendor")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads the checkout itself
        dest = Path(self.build_lib) / "patcher" / "_data"
        shutil.rmtree(dest, ignore_errors=True)  # never ship a stale bundle left in build/
        for name in DATA_DIRS:
            shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        bundle = os.environ.get("PATCHER_BUNDLE_ADAPTERS")
        if bundle:
            shutil.copytree(bundle, dest / "adapters")


setup(cmdclass={"build_py": BuildPyWithData})
