"""Find or provision a Rust toolchain that can build for wasm32-unknown-unknown.

Order: an installed rustup target; else Debian's rustc-web/cargo-web/rust-web-src (Rust with std
sources) used with `-Zbuild-std`; else install those Debian packages when we can (root + apt).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from patcher import log
from patcher.errors import PatcherError

TARGET = "wasm32-unknown-unknown"
# rustc-web links wasm with /usr/bin/rust-lld, a symlink into lld-22 that rustc-web does not pull in.
DEBIAN_PACKAGES = ("rustc-web", "cargo-web", "rust-web-src", "lld-22")
DEBIAN_LLD = Path("/usr/bin/rust-lld")
DEBIAN_RUSTC = Path("/usr/bin/rustc")
DEBIAN_CARGO = Path("/usr/bin/cargo")
DEBIAN_RUST_SRC = Path("/usr/lib/rustlib/src/rust/library")
BUILD_STD = "std,panic_abort"


@dataclass(frozen=True)
class RustToolchain:
    cargo: Path
    rustc: Path
    build_std: bool  # True: std is compiled from source (-Zbuild-std), no prebuilt wasm32 target
    route: str  # "rustup" | "debian-build-std"
    version: str
    cargo_version: str

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["RUSTC"] = str(self.rustc)
        # The toolchain's own bin dir first, so cargo's subprocesses find the matching rustc/rustdoc.
        env["PATH"] = f"{self.rustc.parent}{os.pathsep}{env.get('PATH', '')}"
        for k in ("RUSTUP_TOOLCHAIN", "CARGO_BUILD_TARGET", "RUSTFLAGS"):
            env.pop(k, None)
        if self.build_std:
            env["RUSTC_BOOTSTRAP"] = "1"  # -Zbuild-std on a stable compiler
        return env

    def cargo_args(self) -> list[str]:
        return [f"-Zbuild-std={BUILD_STD}"] if self.build_std else []

    @property
    def key(self) -> str:
        """Identity of the toolchain, for the cargo target directory."""
        import hashlib

        return hashlib.sha256(f"{self.route}\0{self.version}\0{self.cargo_version}\0{self.rustc}".encode()).hexdigest()[:16]


def _version(exe: Path, env: dict | None = None) -> str:
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=env)
    return out.stdout.strip() if out.returncode == 0 else ""


def _rustup() -> RustToolchain | None:
    rustup = shutil.which("rustup")
    if not rustup:
        return None
    r = subprocess.run([rustup, "target", "list", "--installed"], capture_output=True, text=True)
    if r.returncode != 0 or TARGET not in r.stdout.split():
        return None
    cargo = subprocess.run([rustup, "which", "cargo"], capture_output=True, text=True).stdout.strip()
    rustc = subprocess.run([rustup, "which", "rustc"], capture_output=True, text=True).stdout.strip()
    if not cargo or not rustc:
        return None
    return RustToolchain(Path(cargo), Path(rustc), False, "rustup", _version(Path(rustc)), _version(Path(cargo)))


def _debian() -> RustToolchain | None:
    if not (DEBIAN_RUSTC.is_file() and DEBIAN_CARGO.is_file() and DEBIAN_RUST_SRC.is_dir() and DEBIAN_LLD.exists()):
        return None
    env = {**os.environ, "RUSTUP_TOOLCHAIN": ""}
    rv = _version(DEBIAN_RUSTC, env)
    if "rustup" in rv or not rv:
        return None
    return RustToolchain(DEBIAN_CARGO, DEBIAN_RUSTC, True, "debian-build-std", rv, _version(DEBIAN_CARGO, env))


def find() -> RustToolchain | None:
    return _rustup() or _debian()


def provision() -> RustToolchain:
    """Return a usable toolchain, installing Debian's Rust with std sources if none is present."""
    found = find()
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        with log.step(f"install {' '.join(DEBIAN_PACKAGES)} (Rust with std sources, for -Zbuild-std)"):
            r = subprocess.run([apt, "install", "-y", "--no-install-recommends", *DEBIAN_PACKAGES], capture_output=True, text=True,
                               env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
            if r.returncode != 0:
                subprocess.run([apt, "update"], capture_output=True)
                r = subprocess.run([apt, "install", "-y", "--no-install-recommends", *DEBIAN_PACKAGES], capture_output=True, text=True,
                                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        found = find()
        if found:
            return found
    raise PatcherError(
        f"no Rust toolchain can build for {TARGET}",
        hint=f"run `rustup target add {TARGET}`, or install Debian's {' '.join(DEBIAN_PACKAGES)} (the README set-up command does it)",
    )
