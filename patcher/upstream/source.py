"""Fetch only the adapter's paths of upstream wasmtime at a ref, verify them against the pin, cache by commit.

Sources: a URL (partial, shallow clone; blobs fetched only for the paths we read) or a local git
directory (bare or not; read with `git archive`, so missing unrelated blobs do not matter).
"""

from __future__ import annotations

import io
import re
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import tomlkit

from patcher.core import log
from patcher.core.config import Config
from patcher.core.errors import MissingToolError, PatcherError
from patcher.core.fsutil import (
    atomic_dir,
    ensure_cache_dir,
    extract_tar,
    tree_hash,
    write_atomic,
)
from patcher.upstream.pin import DEFAULT_PATHS, DEFAULT_URL, Pin

if TYPE_CHECKING:
    import git


def _gitpython() -> ModuleType:
    """GitPython, imported only when a source is fetched: componentize with prebuilt adapters needs no git."""
    try:
        import git
    except ImportError as e:  # GitPython refuses to import without a git executable
        raise MissingToolError("git is not installed (fetching the upstream source needs it)", hint="install git, e.g. apt-get install git") from e
    return git

MARKER = ".patcher-source.toml"
_URL = re.compile(r"^(https?|ssh|git|file)://|^[\w.-]+@[\w.-]+:")


@dataclass
class SourceTree:
    root: Path
    ref: str
    commit: str
    content_sha256: str
    origin: str

    @property
    def adapter_dir(self) -> Path:
        return self.root / "crates" / "wasi-preview1-component-adapter"



def is_url(source: str) -> bool:
    return bool(_URL.match(source))


def _open_local(source: str) -> git.Git:
    """A git command bound to the source's git directory (work tree, bare, or a bare-style snapshot)."""
    path = Path(source).expanduser()
    if not path.exists():
        raise PatcherError(f"source {source} does not exist", hint="pass --source with a wasmtime git directory or URL")
    if (path / ".git").exists():
        gitdir = path / ".git"
    elif (path / "HEAD").is_file() and (path / "objects").is_dir():
        gitdir = path
    else:
        raise PatcherError(f"source {source} is not a git repository", hint="pass --source with a wasmtime git directory (bare is fine) or a URL")
    g: git.Git = _gitpython().Git()
    g.set_persistent_git_options(git_dir=str(gitdir))
    return g


def _resolve_local(g: git.Git, ref: str, source: str) -> str:
    git = _gitpython()
    for candidate in (f"refs/tags/{ref}", ref):
        try:
            return str(g.rev_parse("--verify", "--quiet", f"{candidate}^{{commit}}").strip())
        except git.GitCommandError:
            continue
    raise PatcherError(f"ref {ref} not found in {source}", hint="check the tag name (e.g. v48.0.0) or pass --ref")


def _archive(g: git.Git, commit: str, paths: list[str], dest: Path, source: str) -> None:
    git = _gitpython()
    buf = io.BytesIO()
    try:
        g.archive("--format=tar", commit, "--", *paths, output_stream=buf)
    except git.GitCommandError as e:
        err = " ".join(str(e.stderr).split())[:300]
        raise PatcherError(f"cannot read {', '.join(paths)} at {commit[:12]} from {source}: {err}", hint="the source lacks these paths or blobs; use another snapshot or the GitHub URL") from e
    buf.seek(0)
    with tarfile.open(fileobj=buf) as tar:
        extract_tar(tar, dest)


def _fetch_remote(url: str, ref: str, paths: list[str], dest: Path) -> str:
    """Shallow, blob-less fetch of one ref; git archive then lazily fetches only the blobs of `paths`."""
    git = _gitpython()
    with tempfile.TemporaryDirectory(prefix="patcher-git-") as tmp:
        repo = git.Repo.init(tmp, bare=True)
        repo.create_remote("origin", url)
        with repo.config_writer() as cw:
            cw.set_value('remote "origin"', "promisor", "true")
            cw.set_value('remote "origin"', "partialclonefilter", "blob:none")
        try:
            repo.git.fetch("origin", ref if "/" in ref or len(ref) == 40 else f"refs/tags/{ref}:refs/tags/{ref}", depth=1, filter="blob:none", no_tags=True)
            commit: str = repo.git.rev_parse("FETCH_HEAD^{commit}").strip()
        except git.GitCommandError as e:
            err = " ".join(str(e.stderr).split())[:300]
            raise MissingToolError(f"cannot fetch {ref} from {url}: {err}", hint="check the network, the URL and the ref, or use --source LOCAL_GIT_DIR") from e
        g = git.Git()
        g.set_persistent_git_options(git_dir=tmp)
        _archive(g, commit, paths, dest, url)
        return commit


def fetch(cfg: Config, *, verify: bool = True) -> SourceTree:
    """Return the cached source tree for `cfg.ref` (default: the pinned tag) from `cfg.source`
    (default: the pin's URL), fetching it if needed.

    With verify=True and ref equal to the pinned tag, commit and content hash must equal the pin.
    """
    if cfg.pin_file.is_file() or verify:
        pin = Pin.load(cfg.pin_file)
    else:  # bootstrapping a pin: nothing to verify against yet
        pin = Pin(url=DEFAULT_URL, tag="", commit="", paths=list(DEFAULT_PATHS), content_sha256="", official_version=None, official_sha256=None)
    ref = cfg.ref or pin.tag
    origin = cfg.source or pin.url
    pinned = bool(pin.tag) and ref in (pin.tag, pin.commit)
    cache = ensure_cache_dir(cfg.cache_dir) / "sources"

    repo: git.Git | None = None
    commit: str | None
    if is_url(origin):
        commit = None
    else:
        repo = _open_local(origin)
        commit = _resolve_local(repo, ref, origin)
        if verify and pinned and commit != pin.commit:
            raise PatcherError(f"{ref} in {origin} is commit {commit[:12]}, but the pin says {pin.commit[:12]}", hint="use a source with the pinned commit, or re-pin with `python -m patcher pin --ref TAG`")
        cached = _cached(cache, commit)
        if cached:
            return cached

    if commit is None and pinned:
        cached = _cached(cache, pin.commit)
        if cached:
            return cached

    with log.step(f"fetch {ref} from {origin}"):
        staging = Path(tempfile.mkdtemp(prefix="patcher-src-"))
        try:
            if repo is not None:
                assert commit is not None  # resolved with the local repo above
                _archive(repo, commit, pin.paths, staging, origin)
            else:
                commit = _fetch_remote(origin, ref, pin.paths, staging)
                if verify and pinned and commit != pin.commit:
                    raise PatcherError(f"{ref} at {origin} is commit {commit[:12]}, but the pin says {pin.commit[:12]}", hint="the tag moved upstream; re-pin with `python -m patcher pin --ref TAG` if intended")
            missing = [p for p in pin.paths if not (staging / p).exists()]
            if missing:
                raise PatcherError(f"{ref} from {origin} lacks {', '.join(missing)}", hint="this upstream version has another layout; pick a supported tag")
            digest = tree_hash(staging)
            if verify and pinned and digest != pin.content_sha256:
                raise PatcherError(
                    f"content hash of {ref} from {origin} is {digest[:16]}…, the pin says {pin.content_sha256[:16]}…",
                    hint="the source differs from the pinned upstream; nothing was cached. Re-pin with `python -m patcher pin --ref TAG` only if you trust this source",
                )
            final = cache / commit
            with atomic_dir(final) as tmp:
                shutil.copytree(staging, tmp, dirs_exist_ok=True, symlinks=True)
                doc = tomlkit.document()
                doc.add("ref", ref)
                doc.add("commit", commit)
                doc.add("content_sha256", digest)
                doc.add("origin", str(origin))
                write_atomic(tmp / MARKER, tomlkit.dumps(doc).encode())
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    log.info(f"source {ref} ({commit[:12]}) cached in {final}")
    return _cached(cache, commit)  # type: ignore[return-value]


def _cached(cache: Path, commit: str) -> SourceTree | None:
    marker = cache / commit / MARKER
    if not marker.is_file():
        return None
    doc = tomlkit.parse(marker.read_text())
    return SourceTree(root=cache / commit, ref=str(doc["ref"]), commit=str(doc["commit"]), content_sha256=str(doc["content_sha256"]), origin=str(doc["origin"]))
