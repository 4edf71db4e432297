import sys

# `python -m` puts the current directory first on sys.path, so a `patcher/` directory there (a Go
# package of that name, say) is found before an editable install's finder and becomes an empty
# namespace package. Drop that directory from the path and import the real package again.
if getattr(sys.modules.get("patcher"), "__file__", None) is None:
    import os

    here = os.getcwd()
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    for name in [m for m in sys.modules if m == "patcher" or m.startswith("patcher.")]:
        del sys.modules[name]

from patcher.cli import main

raise SystemExit(main())
