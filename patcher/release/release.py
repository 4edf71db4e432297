"""`release`: every variant and kind built, validated, checksummed and described, published atomically.

The release directory is assembled in a temporary sibling and renamed only when complete, so a
failed release leaves the previous one intact. It refuses to publish when the recommended variant
fails validation, unless allowed. Adapters are reproducible, so two releases from the same inputs
have identical SHA256SUMS.
"""

from __future__ import annotations

import importlib.metadata
import tempfile
from pathlib import Path

import tomlkit

from patcher import __version__
from patcher.adapter import build, prebuilt, toolchain
from patcher.core import log, wasm
from patcher.core.config import Config
from patcher.core.errors import CheckFailed, PatcherError
from patcher.core.fsutil import atomic_dir, sha256_file
from patcher.core.kinds import ADAPTER_KINDS, adapter_name
from patcher.golang import gotool
from patcher.patching import patchset
from patcher.release import wheel
from patcher.upstream.pin import Pin
from patcher.validation import corpus, report, validate
from patcher.validation.targets import official_target, variant_target


def _sha256sums(root: Path, files: list[Path]) -> str:
    return "".join(f"{sha256_file(f)}  {f.relative_to(root).as_posix()}\n" for f in sorted(files, key=lambda p: p.relative_to(root).as_posix()))


def _wheel(cfg: Config, stage: Path, variant: str) -> Path:
    """patcher's wheel with `variant`'s adapters prebuilt: no Rust needed to componentize."""
    with tempfile.TemporaryDirectory(prefix="patcher-bundle-") as t:
        bundle = Path(t) / "adapters"
        prebuilt.write_bundle(cfg, bundle, {variant: {k: stage / variant / adapter_name(k) for k in ADAPTER_KINDS}})
        (stage / "wheel").mkdir(exist_ok=True)
        return wheel.build_wheel(cfg, bundle, stage / "wheel")


def release(cfg: Config, out: Path, *, allow_failures: bool = False, variants: list[str] | None = None, go_specs: list[str] | None = None,
            only: list[str] | None = None, corpus_dir: Path | None = None, extra_validate: list[str] | None = None,
            source_arg: str | None = None, ref: str | None = None, jobs: int = 2) -> Path:
    all_variants = patchset.load_variants(cfg)
    all_patches = patchset.load_patches(cfg)
    names = variants or list(all_variants)
    for n in names:
        patchset.get_variant(cfg, n)
    recommended = next((v.name for v in all_variants.values() if v.recommended), None)
    if recommended is None:
        raise PatcherError("no variant is marked recommended in patches/variants.toml")
    pin = Pin.load(cfg.pin_file)
    tc = toolchain.provision()
    gos = [gotool.resolve(s, cfg.cache_dir) for s in (go_specs or ["go"])]
    cases = corpus.load(corpus_dir or cfg.corpus_dir, only)

    with atomic_dir(out) as stage:
        artifacts: list[tuple[str, str, Path]] = []
        progress = log.Progress(len(names), "release build")
        for name in names:
            for path in build.build(cfg, name, ADAPTER_KINDS, out=stage / name, source_arg=source_arg, ref=ref):
                artifacts.append((name, path.name.split(".")[1], path))
            progress.item(name)

        off = official_target(cfg)
        targets = [off] if off else []
        targets += [variant_target(cfg, name, adapter_dir=stage / name) for name in [recommended, *[v for v in (extra_validate or []) if v != recommended]]]
        with log.step(f"validate {len(cases)} program(s) with {', '.join(t.label for t in targets)}"):
            results = validate.run(cfg, targets, gos, cases, jobs=jobs, differential=True, use_result_cache=True)
        summary = report.summary(results)
        rec = summary.get(recommended, {})
        failed = rec.get("fail", 0) + rec.get("error", 0)
        (stage / "report.md").write_text(report.to_markdown(results, pin=pin.summary(), title=f"patcher {__version__} release validation"))
        (stage / "report.json").write_text(report.to_json(results, pin=pin.summary()))

        manifest = tomlkit.document()
        manifest.add(tomlkit.comment("Written by `python -m patcher release`."))
        up = tomlkit.table()
        up.add("url", pin.url)
        up.add("tag", pin.tag)
        up.add("commit", pin.commit)
        manifest.add("upstream", up)
        tools = tomlkit.table()
        tools.add("patcher", __version__)
        tools.add("rustc", tc.version)
        tools.add("cargo", tc.cargo_version)
        tools.add("rust_route", tc.route)
        tools.add("wasm_tools", wasm.wasm_tools_version())
        tools.add("wasmtime_py", importlib.metadata.version("wasmtime"))
        tools.add("go", [g.version for g in gos])
        manifest.add("toolchain", tools)
        manifest.add("recommended", recommended)
        arts = tomlkit.aot()
        for name, kind, path in artifacts:
            t = tomlkit.table()
            t.add("path", path.relative_to(stage).as_posix())
            t.add("variant", name)
            t.add("kind", kind)
            t.add("sha256", sha256_file(path))
            t.add("size", path.stat().st_size)
            t.add("patches", {p: all_patches[p].sha256() for p in [*all_variants[name].patches, *all_variants[name].go_patches]})
            companion = all_variants[name].companion
            if companion:
                t.add("companion", companion)
            arts.append(t)
        manifest.add("artifact", arts)
        val = tomlkit.table()
        val.add("programs", len(cases))
        for adapter, s in summary.items():
            row = tomlkit.inline_table()
            row.update(s)
            val.add(adapter, row)
        manifest.add("validation", val)
        files = [p for _, _, p in artifacts]
        if recommended in names:
            whl = _wheel(cfg, stage, recommended)
            w = tomlkit.table()
            w.add("path", whl.relative_to(stage).as_posix())
            w.add("sha256", sha256_file(whl))
            w.add("size", whl.stat().st_size)
            w.add("prebuilt", {"variant": recommended, "kinds": list(ADAPTER_KINDS), "recipe": prebuilt.recipe(cfg, recommended)})
            manifest.add("wheel", w)
            files.append(whl)
        (stage / "manifest.toml").write_text(tomlkit.dumps(manifest))
        (stage / "SHA256SUMS").write_text(_sha256sums(stage, files))

        if failed and not allow_failures:
            bad = next(r for r in results if r.adapter == recommended and r.status != "pass")
            raise CheckFailed(f"not publishing: the recommended variant {recommended} fails {failed} program(s), e.g. {bad.program}: {bad.detail}",
                               hint="fix it, or pass --allow-failures; the previous release is untouched")
    log.info(f"release written to {out}")
    return out
