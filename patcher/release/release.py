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

from patcher import __version__
from patcher.adapter import build, prebuilt, toolchain
from patcher.core import log, wasm
from patcher.core.errors import CheckFailed
from patcher.core.fsutil import atomic_dir, sha256_file
from patcher.core.kinds import ADAPTER_KINDS, adapter_name
from patcher.golang import gotool
from patcher.patching.patchset import Variant
from patcher.patching.project import Project
from patcher.release import wheel
from patcher.release.manifest import Artifact, Manifest, Tools, Wheel
from patcher.validation import corpus, report, validate
from patcher.validation.targets import official_target, variant_target


def _sha256sums(root: Path, files: list[Path]) -> str:
    return "".join(f"{sha256_file(f)}  {f.relative_to(root).as_posix()}\n" for f in sorted(files, key=lambda p: p.relative_to(root).as_posix()))


def _wheel(project: Project, stage: Path, variant: str) -> Path:
    """patcher's wheel with `variant`'s adapters prebuilt: no Rust needed to componentize."""
    with tempfile.TemporaryDirectory(prefix="patcher-bundle-") as t:
        bundle = Path(t) / "adapters"
        prebuilt.write_bundle(project, bundle, {variant: {k: stage / variant / adapter_name(k) for k in ADAPTER_KINDS}})
        (stage / "wheel").mkdir(exist_ok=True)
        return wheel.build_wheel(project.cfg, bundle, stage / "wheel")


def _build_adapters(project: Project, stage: Path, variants: list[Variant]) -> list[Artifact]:
    artifacts = []
    progress = log.Progress(len(variants), "release build")
    for v in variants:
        paths = build.build(project.cfg, v, ADAPTER_KINDS, out=stage / v.name)
        for kind, path in zip(ADAPTER_KINDS, paths, strict=True):
            artifacts.append(Artifact.of(stage, path, variant=v.name, kind=kind, patches=v.patch_hashes(), companion=v.companion))
        progress.item(v.name)
    return artifacts


def _tools(tc: toolchain.RustToolchain, gos: list[gotool.GoToolchain]) -> Tools:
    return Tools(patcher=__version__, rustc=tc.version, cargo=tc.cargo_version, rust_route=tc.route, wasm_tools=wasm.wasm_tools_version(),
                 wasmtime_py=importlib.metadata.version("wasmtime"), go=[g.version for g in gos])


def release(project: Project, out: Path, *, allow_failures: bool = False, variants: list[str] | None = None, go_specs: list[str] | None = None,
            only: list[str] | None = None, corpus_dir: Path | None = None, extra_validate: list[str] | None = None, jobs: int = 2) -> Path:
    cfg = project.cfg
    chosen = [project.variant(n) for n in variants] if variants else list(project.variants.values())
    recommended = project.default_variant
    validated = [recommended, *[project.variant(n) for n in (extra_validate or []) if n != recommended.name]]
    pin = project.pin
    tc = toolchain.provision()
    gos = [gotool.resolve(s, cfg.cache_dir) for s in (go_specs or ["go"])]
    cases = corpus.load(corpus_dir or cfg.corpus_dir, only)

    with atomic_dir(out) as stage:
        artifacts = _build_adapters(project, stage, chosen)
        off = official_target(project)
        targets = [off] if off else []
        targets += [variant_target(project, v, adapter_dir=stage / v.name) for v in validated]
        with log.step(f"validate {len(cases)} program(s) with {', '.join(t.label for t in targets)}"):
            results = validate.run(project, targets, gos, cases, jobs=jobs, differential=True, use_result_cache=True)
        summary = report.summary(results, by_host=False)
        rec = summary.get(recommended.name, {})
        failed = rec.get("fail", 0) + rec.get("error", 0)
        (stage / "report.md").write_text(report.to_markdown(results, pin=pin.summary(), title=f"patcher {__version__} release validation"))
        (stage / "report.json").write_text(report.to_json(results, pin=pin.summary()))

        manifest = Manifest(upstream=pin.summary(), tools=_tools(tc, gos), recommended=recommended.name, artifacts=artifacts,
                            programs=len(cases), validation=summary)
        files = [stage / a.path for a in artifacts]
        if recommended in chosen:
            whl = _wheel(project, stage, recommended.name)
            manifest.wheel = Wheel(whl.relative_to(stage).as_posix(), sha256_file(whl), whl.stat().st_size, recommended.name, ADAPTER_KINDS,
                                   prebuilt.recipe(project, recommended))
            files.append(whl)
        (stage / "manifest.toml").write_text(manifest.dumps())
        (stage / "SHA256SUMS").write_text(_sha256sums(stage, files))

        if failed and not allow_failures:
            bad = next(r for r in results if r.adapter == recommended.name and r.status != "pass")
            raise CheckFailed(f"not publishing: the recommended variant {recommended.name} fails {failed} program(s), e.g. {bad.program}: {bad.detail}",
                               hint="fix it, or pass --allow-failures; the previous release is untouched")
    log.info(f"release written to {out}")
    return out
