"""Find or provision a Rust toolchain that can build for wasm32-unknown-unknown.

Order: an installed rustup target (added with `rustup target add` when rustup is there but the
target is not); else Debian's rustc-web/cargo-web/rust-web-src (Rust with std sources) used with
`-Zbuild-std` and a wasm linker that Debian's lld packages install; else install those packages
when we can (root + apt). Nothing is ever written into /usr/bin.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from patcher.core import log
from patcher.core.errors import MissingToolError

TARGET = "wasm32-unknown-unknown"
# rustc-web's wasm32 target calls `rust-lld`, which no Debian package installs: lld-NN brings
# wasm-ld-NN and /usr/lib/llvm-NN/bin/wasm-ld, which we hand to cargo as the linker (LLVM 22
# matches rustc-web 1.96).
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
        out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=env)
    except OSError:
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _rustup_which(rustup: str, tool: str) -> str:
    return subprocess.run([rustup, "which", tool], capture_output=True, text=True).stdout.strip()


def _rustup(add_target: bool = False) -> RustToolchain | None:
    rustup = shutil.which("rustup")
    if not rustup:
        return None
    r = subprocess.run([rustup, "target", "list", "--installed"], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    if TARGET not in r.stdout.split():
        if not add_target:
            return None
        with log.step(f"rustup target add {TARGET}"):
            added = subprocess.run([rustup, "target", "add", TARGET], capture_output=True, text=True)
        if added.returncode != 0:
            log.warn(f"`rustup target add {TARGET}` failed: {(added.stderr.strip().splitlines() or ['?'])[-1]}")
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
    return _rustup() or _debian()


def _apt_install(packages: tuple[str, ...]) -> bool:
    apt = shutil.which("apt-get")
    if not apt or os.geteuid() != 0:
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = [apt, "install", "-y", "--no-install-recommends", *packages]
    with log.step(f"apt-get install {' '.join(packages)} (Rust with std sources, for -Zbuild-std)"):
        r = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if r.returncode != 0:
            subprocess.run([apt, "update"], capture_output=True)
            r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return r.returncode == 0


def provision() -> RustToolchain:
    """A usable toolchain: rustup's (adding the target), else Debian's, installing it if we can."""
    found = _rustup(add_target=True) or _debian()
    if found:
        return found
    if _apt_install(DEBIAN_PACKAGES) and (found := _debian()):
        return found
    raise MissingToolError(
        f"no Rust toolchain can build for {TARGET}",
        hint=f"run `rustup target add {TARGET}`, or install Debian's {' '.join(DEBIAN_PACKAGES)} (the README set-up command does it)",
    )
