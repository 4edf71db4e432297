"""Command line: `python -m patcher <command>` (also the `patcher` console script).

One module per subcommand (or family of subcommands), in pipeline order; each has `register(sub)`,
which adds its parser and sets `run(project, args) -> exit code`. The settings are resolved here,
once: every layer and every flag that is a setting (`--cache-dir`, `--source`, `--ref`) folded
into one Config, wrapped in the Project every stage is handed.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from patcher import __version__
from patcher.cli import (
    apply,
    bindgen,
    build,
    compare,
    componentize,
    doctor,
    fetch,
    gomod,
    gotools,
    hosts,
    official,
    pin,
    release,
    report,
    run,
    serve,
    tags,
    test,
    validate,
    variants,
    verify,
)
from patcher.core import log
from patcher.core.errors import EXIT_INTERNAL, EXIT_USAGE, PatcherError

COMMAND_MODULES = (fetch, pin, variants, apply, build, verify, compare, official, tags, doctor, gotools, hosts, bindgen, gomod, componentize,
                   run, serve, test, validate, report, release)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="patcher", description="Go-safe WASI preview1 component adapters from upstream wasmtime.")
    parser.add_argument("--version", action="version", version=f"patcher {__version__}")
    parser.add_argument("--cache-dir", type=Path, help="cache directory (default: PATCHER_CACHE_DIR or ~/.cache/patcher)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors")
    parser.add_argument("-v", "--verbose", action="store_true", help="stream cargo's and Go's own output")
    parser.add_argument("--traceback", action="store_true", help="print the full Python traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for mod in COMMAND_MODULES:
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    log.set_quiet(args.quiet)
    log.set_verbose(args.verbose)
    try:
        from patcher.core import config
        from patcher.patching.project import Project

        cfg = config.load(cache_dir=args.cache_dir, source=getattr(args, "source", None), ref=getattr(args, "ref", None))
        code: int = args.run(Project(cfg), args)
        return code
    except PatcherError as e:
        return _fail(args, e.one_line(), e.exit_code)
    except BrokenPipeError:
        # The reader went away (`patcher variants | head`): not an error of ours.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (stays open: it replaces stdout until exit)
        return 0
    except OSError as e:
        where = f"{e.filename}: " if e.filename else ""
        return _fail(args, f"{where}{e.strerror or e} (check the path and its permissions)", EXIT_USAGE)
    except KeyboardInterrupt:
        print("patcher: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # a bug: still one line, the details on request
        return _fail(args, f"internal error: {type(e).__name__}: {e} (rerun with --traceback and report it)", EXIT_INTERNAL)


def _fail(args: argparse.Namespace, line: str, code: int) -> int:
    if args.traceback:
        traceback.print_exc()
    print(f"patcher: error: {' '.join(line.split())}", file=sys.stderr)
    return code
