"""Find a Rust toolchain that can build for wasm32-unknown-unknown (installing one is
`scripts/setup`'s job, never this module's).

Order: rustup with the wasm32-unknown-unknown target installed; else Debian's
rustc-web/cargo-web/rust-web-src (Rust with std sources) used with `-Zbuild-std` and a wasm linker
that Debian's lld packages install, handed to cargo in CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from patcher.core import proc
from patcher.core.errors import MissingToolError

TARGET = "wasm32-unknown-unknown"
# What scripts/setup installs when there is no rustup. rustc-web's wasm32 target calls `rust-lld`,
# which no Debian package installs: lld-NN brings wasm-ld-NN and /usr/lib/llvm-NN/bin/wasm-ld,
# which we hand to cargo as the linker (LLVM 22 matches rustc-web 1.96).
DEBIAN_PACKAGES = ("rustc-web", "cargo-web", "rust-web-src", "lld-22")
DEBIAN_RUSTC = Path("/usr/bin/rustc")
DEBIAN_CARGO = Path("/usr/bin/cargo")
DEBIAN_RUST_SRC = Path("/usr/lib/rustlib/src/rust/library")
BUILD_STD = "std,panic_abort"
LINKER_ENV = "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER"


@dataclass(frozen=True)
class RustToolchain:
    cargo: Path
    rustc: Path
    build_std: bool  # True: std is compiled from source (-Zbuild-std), no prebuilt wasm32 target
    route: str  # "rustup" | "debian-build-std"
    version: str
    cargo_version: str
    linker: Path | None = None  # None: rustc's own default (rust-lld from the rustup target)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["RUSTC"] = str(self.rustc)
        # The toolchain's own bin dir first, so cargo's subprocesses find the matching rustc/rustdoc.
        env["PATH"] = f"{self.rustc.parent}{os.pathsep}{env.get('PATH', '')}"
        for k in ("RUSTUP_TOOLCHAIN", "CARGO_BUILD_TARGET", "RUSTFLAGS", LINKER_ENV):
            env.pop(k, None)
        if self.build_std:
            env["RUSTC_BOOTSTRAP"] = "1"  # -Zbuild-std on a stable compiler
        if self.linker is not None:
            env[LINKER_ENV] = str(self.linker)
        return env

    def cargo_args(self) -> list[str]:
        return [f"-Zbuild-std={BUILD_STD}"] if self.build_std else []

    @property
    def key(self) -> str:
        """Identity of the toolchain, for the cargo target directory."""
        ident = f"{self.route}\0{self.version}\0{self.cargo_version}\0{self.rustc}\0{self.linker or ''}"
        return hashlib.sha256(ident.encode()).hexdigest()[:16]


def _version(exe: Path, env: dict[str, str] | None = None) -> str:
    try:
        out = proc.run([str(exe), "--version"], env=env)
    except OSError:
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _rustup_which(rustup: str, tool: str) -> str:
    return proc.run([rustup, "which", tool]).stdout.strip()


def _rustup() -> RustToolchain | None:
    """rustup's active toolchain, when it has the wasm32 target installed."""
    rustup = shutil.which("rustup")
    if not rustup:
        return None
    r = proc.run([rustup, "target", "list", "--installed"])
    if r.returncode != 0 or TARGET not in r.stdout.split():
        return None
    cargo, rustc = _rustup_which(rustup, "cargo"), _rustup_which(rustup, "rustc")
    if not cargo or not rustc:
        return None
    return RustToolchain(Path(cargo), Path(rustc), False, "rustup", _version(Path(rustc)), _version(Path(cargo)))


def wasm_linkers() -> list[Path]:
    """wasm linkers the system's lld packages install, best first (newest LLVM first)."""
    found: list[Path] = []
    if Path("/usr/bin/rust-lld").exists():
        found.append(Path("/usr/bin/rust-lld"))

    def llvm_major(p: str) -> int:
        digits = "".join(ch for ch in Path(p).parent.parent.name if ch.isdigit())
        return int(digits or 0)

    found += [Path(p) for p in sorted(glob.glob("/usr/lib/llvm-*/bin/wasm-ld"), key=llvm_major, reverse=True)]
    plain = shutil.which("wasm-ld")
    if plain:
        found.append(Path(plain))
    return [p for p in found if os.access(p, os.X_OK)]


def _debian() -> RustToolchain | None:
    if not (DEBIAN_RUSTC.is_file() and DEBIAN_CARGO.is_file() and DEBIAN_RUST_SRC.is_dir()):
        return None
    linkers = wasm_linkers()
    if not linkers:
        return None
    env = {**os.environ, "RUSTUP_TOOLCHAIN": ""}
    rv = _version(DEBIAN_RUSTC, env)
    if "rustup" in rv or not rv:
        return None
    return RustToolchain(DEBIAN_CARGO, DEBIAN_RUSTC, True, "debian-build-std", rv, _version(DEBIAN_CARGO, env), linkers[0])


def find() -> RustToolchain | None:
    """The toolchain to build with, or None when the machine has none (see `provision`)."""
    return _rustup() or _debian()


SETUP_HINT = f"run scripts/setup (it installs one), or `rustup target add {TARGET}`"


def provision() -> RustToolchain:
    """The toolchain `find` discovers; none is a MissingToolError whose hint names scripts/setup.
    Nothing is installed here."""
    found = find()
    if found:
        return found
    raise MissingToolError(f"no Rust toolchain can build for {TARGET}", hint=SETUP_HINT)
