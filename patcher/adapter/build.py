"""`build` (and the `patcher-cargo` script): cargo-build a variant's adapters, verify, stamp, write atomically.

Settings follow upstream's ci/build-wasi-preview1-component-adapter.sh: release profile, fat LTO,
`+bulk-memory`, features per kind; the module name is stamped like upstream's. We add a `patcher`
custom section recording variant, upstream tag and commit, patch hashes and toolkit version.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections import deque
from pathlib import Path

import tomlkit

from patcher import __version__
from patcher.adapter import toolchain, verify
from patcher.core import log, proc, wasm
from patcher.core.config import Config
from patcher.core.errors import MissingToolError, PatcherError
from patcher.core.fsutil import ensure_cache_dir, file_lock, tree_hash, write_atomic
from patcher.core.kinds import ADAPTER_MODULE, adapter_name
from patcher.patching import apply
from patcher.patching.patchset import Variant

FEATURES = {"reactor": [], "command": ["--no-default-features", "--features", "command"], "proxy": ["--no-default-features", "--features", "proxy"]}
RAW = Path(f"wasm32-unknown-unknown/release/{ADAPTER_MODULE}.wasm")


# What a build does, as data: the cargo invocation and the post-processing of its output. A
# finished adapter's identity is this (with the toolchain, the patched sources and the pin), so a
# comment or a refactoring here keeps every cached and prebuilt adapter; changing what the build
# does changes it. Bump STAMP_VERSION when the stamp's content changes.
STAMP_VERSION = 2
CARGO_ENV = {"CARGO_PROFILE_RELEASE_LTO": "fat", "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS": "-Ctarget-feature=+bulk-memory"}


def recipe_hash() -> str:
    """The build recipe: cargo's arguments and environment per kind, and the post-processing steps."""
    recipe = {
        "cargo": ["build", "-p", ADAPTER_PACKAGE, "--target", toolchain.TARGET, "--release"],
        "features": FEATURES,
        "env": CARGO_ENV,
        "post": ["drop-exports", *TOOLCHAIN_EXPORTS, "demangle", "metadata-add-name", f"stamp-v{STAMP_VERSION}"],
    }
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:16]


ADAPTER_PACKAGE = "wasi-preview1-component-adapter"


def _forget_other_trees(target_dir: Path, ws: Path, tree: str) -> None:
    """Every work tree has the same workspace-relative layout, so cargo gives the adapter package the
    same unit hash in each and judges freshness by mtimes across trees; a tree built earlier can then
    look fresh and reuse another tree's build-script output. Drop the adapter's fingerprints and
    build-script outputs whenever the tree being built is not the one built last."""
    import shutil

    marker = target_dir / ".patcher-last-tree"
    current = f"{ws}\n{tree}\n"
    if marker.is_file() and marker.read_text() == current:
        return
    for profile in (target_dir / "release", target_dir / toolchain.TARGET / "release"):
        for sub in (".fingerprint", "build"):
            for d in (profile / sub).glob(f"{ADAPTER_PACKAGE}-*"):
                shutil.rmtree(d, ignore_errors=True)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(current)


def _cargo(tc: toolchain.RustToolchain, ws: Path, target_dir: Path, kind: str) -> Path:
    env = {**tc.env(), **CARGO_ENV, "CARGO_TERM_COLOR": "never"}
    cmd = [str(tc.cargo), "build", "-p", ADAPTER_PACKAGE, "--target", toolchain.TARGET, "--release",
           *FEATURES[kind], *tc.cargo_args(), "--target-dir", str(target_dir)]
    tail: deque[str] = deque(maxlen=40)

    def on_line(raw: str) -> None:
        line = raw.rstrip()
        tail.append(line)
        if log.verbose():
            sys.stderr.write(f"  | {line}\n")
        elif line.lstrip().startswith(("Compiling", "Finished")):
            log.info(f"  cargo: {line.strip()}")

    if proc.stream(cmd, cwd=ws, env=env, on_line=on_line).returncode != 0:
        errors = [l for l in tail if l.startswith("error")]
        sys.stderr.write("\n".join(tail) + "\n")
        raise PatcherError(f"cargo build of the {kind} adapter failed: {errors[0] if errors else 'see the output above'}", hint="check the patch templates and the toolchain (`python -m patcher doctor`)")
    return target_dir / RAW


# rustc < 1.97 passes --export=__heap_base --export=__data_end to wasm-ld for wasm32-unknown-unknown
# (dropped in rust-lang/rust#156174). Upstream's release toolchain no longer exports them, so we
# drop them too: the adapter's export list then equals the official build's.
TOOLCHAIN_EXPORTS = ("__heap_base", "__data_end")


def _drop_toolchain_exports(src: Path, dst: Path) -> None:
    text = wasm.wasm_tools("print", str(src)).decode()
    kept = [l for l in text.splitlines(keepends=True) if not any(l.strip().startswith(f'(export "{n}" (global') for n in TOOLCHAIN_EXPORTS)]
    wasm.wasm_tools("parse", "-", "-o", str(dst), input="".join(kept).encode())


def check_expectations(raw: Path, prepared: apply.PreparedTree, kind: str) -> None:
    """Each patch may state what must be visible in the built module (of the kinds it names), proving it took effect."""
    import re

    wanted = [(p.name, rx) for p in prepared.variant.patches for rx in p.expectations()
              if (only := p.expect_kinds) is None or kind in only]
    if not wanted:
        return
    text = wasm.wasm_tools("print", str(raw)).decode()
    for name, rx in wanted:
        if not re.search(rx, text):
            raise PatcherError(f"patch {name} did not take effect in the built adapter: no match for {rx!r}", hint="a stale build or a changed toolchain; rebuild with an empty cache dir")


def check_lock(prepared: apply.PreparedTree) -> None:
    """cargo prunes upstream's Cargo.lock to our small workspace; every package left must be upstream's."""
    def packages(path: Path) -> set[tuple[str, str, str]]:
        doc = tomlkit.parse(path.read_text()).unwrap()
        return {(p["name"], p["version"], p.get("checksum", "")) for p in doc.get("package", []) if "source" in p}

    ours = packages(prepared.root / "Cargo.lock")
    drift = sorted(ours - packages(prepared.tree.root / "Cargo.lock"))
    if drift:
        name, version, _ = drift[0]
        raise PatcherError(f"dependency {name} {version} is not the version upstream {prepared.tree.ref} locks", hint="the generated workspace must reuse upstream's Cargo.lock; report this")


def stamp(raw: Path, kind: str, prepared: apply.PreparedTree, tc: toolchain.RustToolchain) -> bytes:
    with tempfile.TemporaryDirectory() as t:
        trimmed = Path(t) / "trimmed.wasm"
        _drop_toolchain_exports(raw, trimmed)
        # Demangled function names: what wasmtime prints in backtraces anyway, and shorter, which
        # keeps the patched adapters within their size budget (1.10x the official ones).
        demangled = Path(t) / "demangled.wasm"
        wasm.wasm_tools("demangle", str(trimmed), "-o", str(demangled))
        named = Path(t) / "named.wasm"
        wasm.wasm_tools("metadata", "add", "--name", f"wasi_preview1_component_adapter.{kind}.adapter", "--processed-by", f"patcher={__version__}", str(demangled), "-o", str(named))
        data = named.read_bytes()
    doc = tomlkit.document()
    doc.add("variant", prepared.variant.name)
    doc.add("kind", kind)
    doc.add("upstream_tag", prepared.tree.ref)
    doc.add("upstream_commit", prepared.tree.commit)
    doc.add("toolkit_version", __version__)
    # Hash prefixes keep the section small (the adapters have a size budget); manifest.toml has them in full.
    doc.add("patches", {name: h[:16] for name, h in prepared.patch_hashes.items()})
    if (low := prepared.variant.low_memory_end) is not None:
        doc.add("low_memory_end", low)  # linear memory [0, low) is the adapter's: Go modules only
    return wasm.add_custom_section(data, wasm.PATCHER_SECTION, tomlkit.dumps(doc).encode())


def build(cfg: Config, variant: Variant, kinds: tuple[str, ...] | list[str], *, out: Path | None) -> list[Path]:
    """Build `variant`'s adapters of `kinds` from `cfg`'s upstream source and ref."""
    # Syncing the work tree and running cargo must not interleave with another run on the same
    # cache: cargo decides freshness by mtimes, so a tree rewritten under a running build goes stale.
    with file_lock(ensure_cache_dir(cfg.cache_dir) / "build.lock"):
        return _build(cfg, variant, kinds, out=out)


def _build(cfg: Config, v: Variant, kinds: tuple[str, ...] | list[str], *, out: Path | None) -> list[Path]:
    variant = v.name
    if os.environ.get("PATCHER_NO_CARGO"):
        raise MissingToolError(f"building the {variant} adapters needs cargo, which PATCHER_NO_CARGO forbids",
                               hint="pass --adapt FILE, install a wheel with prebuilt adapters, or unset PATCHER_NO_CARGO")
    prepared = apply.prepare(cfg, v)
    tc = toolchain.provision()
    target_dir = ensure_cache_dir(cfg.cache_dir) / "target" / tc.key
    tree = tree_hash(prepared.root)
    written = []
    for kind in kinds:
        # Kinds share one target dir, but the cdylib's file name is not per feature set, so switching
        # kinds relinks; finished adapters are therefore also kept by (sources, kind, toolchain).
        key = hashlib.sha256(f"{tree}\0{kind}\0{tc.key}\0{__version__}\0{recipe_hash()}".encode()).hexdigest()[:32]
        built = ensure_cache_dir(cfg.cache_dir) / "built" / f"{variant}-{kind}-{key}.wasm"
        if built.is_file():
            log.info(f"{variant} {kind} adapter: unchanged, reusing {built.name}")
            data = built.read_bytes()
        else:
            with log.step(f"build {variant} {kind} adapter ({prepared.tree.ref}, {tc.route})"):
                _forget_other_trees(target_dir, prepared.root, tree)
                raw = _cargo(tc, prepared.root, target_dir, kind)
                check_lock(prepared)
                verify.check(raw)
                check_expectations(raw, prepared, kind)
                data = stamp(raw, kind, prepared, tc)
                with tempfile.TemporaryDirectory() as t:
                    (Path(t) / "a.wasm").write_bytes(data)
                    verify.check(Path(t) / "a.wasm")
            write_atomic(built, data)
        if out is None:  # the content-addressed file itself
            written.append(built)
            continue
        dest = out / adapter_name(kind)
        write_atomic(dest, data)
        written.append(dest)
    return written
