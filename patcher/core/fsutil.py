"""Atomic outputs: write to a temporary sibling, rename on success, leave nothing half-written."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tarfile

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by patcher.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)


def ensure_cache_dir(path: Path) -> Path:
    tag = path / "CACHEDIR.TAG"
    try:
        path.mkdir(parents=True, exist_ok=True)
        if not tag.exists():
            write_atomic(tag, CACHEDIR_TAG.encode())
    except OSError as e:
        from patcher.core.errors import UsageError

        raise UsageError(f"cannot use {path} as a cache directory: {e.strerror or e}",
                         hint="pass a writable --cache-dir or set PATCHER_CACHE_DIR") from e
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_dir(final: Path, *, replace: bool = True) -> Iterator[Path]:
    """Yield a temporary directory next to `final`; on success it becomes `final`.

    An existing `final` is swapped out only after the new one is complete, so a failure
    leaves the previous contents untouched.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent))
    os.chmod(tmp, 0o777 & ~_umask())
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if final.exists():
        if not replace:
            shutil.rmtree(tmp, ignore_errors=True)
            return
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, final)


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock, so concurrent patcher runs sharing a cache take turns."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tree_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def tree_hash(root: Path) -> str:
    """Content hash of a file tree: sorted relative paths and the sha256 of each file."""
    h = hashlib.sha256()
    for p in tree_files(root):
        rel = p.relative_to(root).as_posix()
        h.update(f"{rel}\0{sha256_file(p)}\n".encode())
    return h.hexdigest()


def sync_tree(src: Path, dst: Path) -> int:
    """Make dst equal to src, rewriting only changed files so mtimes (and cargo fingerprints) survive.

    Returns the number of files written or removed.
    """
    changed = 0
    dst.mkdir(parents=True, exist_ok=True)
    wanted = {p.relative_to(src) for p in tree_files(src)}
    for rel in sorted(wanted):
        s, d = src / rel, dst / rel
        data = s.read_bytes()
        if d.is_file() and d.read_bytes() == data:
            continue
        write_atomic(d, data)
        changed += 1
    for p in tree_files(dst):
        if p.relative_to(dst) not in wanted:
            p.unlink()
            changed += 1
    return changed


def extract_tar(tar: tarfile.TarFile, dest: Path) -> None:
    """Extract regular files and directories only, never outside `dest` (tarfile's "data" filter,
    which Python < 3.11.4, e.g. Debian 12's 3.11.2, lacks)."""
    import tarfile

    if hasattr(tarfile, "data_filter"):
        tar.extractall(dest, filter="data")
        return
    root = dest.resolve()
    for member in tar.getmembers():
        target = (dest / member.name).resolve()
        if not (member.isfile() or member.isdir()) or (target != root and root not in target.parents):
            raise ValueError(f"refusing tar member {member.name!r}")
        tar.extract(member, dest)
