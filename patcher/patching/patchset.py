"""The patch engine: patch specs (TOML in patches/) render Jinja2 templates at anchors; variants list patches.

A patch never ships upstream code: it names an anchor (exact text that must occur exactly once in
the target file) and an operation (insert-before, insert-after, replace) whose new text is rendered
from a template in templates/. Inserted text is fenced by marker comments so re-applying a patch to
an already-patched tree is a no-op.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import jinja2

from patcher.core import schema
from patcher.core.config import Config
from patcher.core.errors import PatcherError
from patcher.patching import versions

OPS = ("insert-before", "insert-after", "replace", "create")
TARGETS = ("adapter", "goroot")


@dataclass
class Edit:
    file: str
    anchor: str
    op: str
    template: str | None
    text: str | None
    when: str = "*"


@dataclass
class Patch:
    name: str
    summary: str
    target: str
    applies: str
    edits: list[Edit]
    spec_path: Path
    evidence: list[str] = field(default_factory=list)
    opt_in_reason: str | None = None
    templates_dir: Path | None = None
    requires: list[tuple[str, str]] = field(default_factory=list)  # (file, text it must contain)
    expect: list[str] = field(default_factory=list)  # regexes the built module's text form must match
    expect_kinds: list[str] | None = None  # adapter kinds `expect` applies to (None: all)
    low_memory_end: int | None = None  # the built adapter uses linear memory [0, N): Go modules only
    marker: str | None = None  # a function the patch adds to a Go binary (goroot patches)

    @property
    def context(self) -> dict[str, Any]:
        """What the patch's own spec gives its templates, text edits and `expect` patterns."""
        return {"patch": self.name, "low_memory_end": self.low_memory_end}

    def expectations(self) -> list[str]:
        return [jinja2.Template(rx, undefined=jinja2.StrictUndefined).render(**self.context) for rx in self.expect]

    def sha256(self) -> str:
        """Identity of the patch: its spec and every template it renders."""
        h = hashlib.sha256(self.spec_path.read_bytes())
        for e in self.edits:
            if e.template and self.templates_dir:
                h.update(e.template.encode() + b"\0" + (self.templates_dir / e.template).read_bytes())
        return h.hexdigest()


# Steps besides `component new --adapt` that a variant may need (patches/variants.toml `companion`).
CompanionStep = Literal["go-runtime-overlay", "realloc-via-memory-grow", "wrap-cabi-realloc", "direct-clocks"]
COMPANION_STEPS: tuple[CompanionStep, ...] = get_args(CompanionStep)


@dataclass(frozen=True)
class Variant:
    """A variant resolved against its patch specs: everything later stages need to know about it."""

    name: str
    summary: str
    patches: tuple[Patch, ...]  # adapter patches, in order
    go_patches: tuple[Patch, ...]  # Go runtime overlay patches
    companion: tuple[CompanionStep, ...]
    recommended: bool
    opt_in: bool

    @property
    def patch_names(self) -> list[str]:
        return [p.name for p in self.patches]

    @property
    def low_memory_end(self) -> int | None:
        """The end of the low linear memory its adapters use (only Go's linker leaves it free), or None."""
        return max((p.low_memory_end for p in self.patches if p.low_memory_end), default=None)

    @property
    def overlay_markers(self) -> tuple[bytes, ...]:
        """Names a binary built with this variant's Go runtime overlay carries in its name section."""
        return tuple(p.marker.encode() for p in self.go_patches if p.marker)

    def patch_hashes(self) -> dict[str, str]:
        return {p.name: p.sha256() for p in (*self.patches, *self.go_patches)}


def _spec_error(path: Path, msg: str) -> PatcherError:
    return PatcherError(f"patch spec {path.name}: {msg}", hint="fix the spec in patches/")


def load_patch(path: Path, templates_dir: Path) -> Patch:
    doc = schema.load(path, "patch", what="patch spec", hint="fix the spec in patches/ (keys: patcher/resources/schemas/patch.schema.json)")
    name = path.stem
    target = doc.get("target", "adapter")
    if target not in TARGETS:
        raise _spec_error(path, f"target must be one of {TARGETS}, not {target!r}")
    edits = []
    for i, e in enumerate(doc.get("edit", []), 1):
        op = e.get("op")
        if op not in OPS:
            raise _spec_error(path, f"edit {i}: op must be one of {OPS}, not {op!r}")
        if not e.get("file") or (not e.get("anchor") and op != "create"):
            raise _spec_error(path, f"edit {i}: needs file and anchor")
        if bool(e.get("template")) == bool(e.get("text")) and op != "replace":
            raise _spec_error(path, f"edit {i}: give exactly one of template or text")
        if e.get("template") and not (templates_dir / e["template"]).is_file():
            raise _spec_error(path, f"edit {i}: template {e['template']} not found in {templates_dir}")
        edits.append(Edit(file=e["file"], anchor=e.get("anchor", ""), op=op, template=e.get("template"), text=e.get("text"), when=str(e.get("when", "*"))))
    if not edits:
        raise _spec_error(path, "has no [[edit]]")
    return Patch(
        name=name,
        summary=str(doc.get("summary", "")).strip(),
        target=target,
        applies=str(doc.get("applies", "*")),
        edits=edits,
        spec_path=path,
        evidence=list(doc.get("evidence", [])),
        opt_in_reason=doc.get("opt_in_reason"),
        templates_dir=templates_dir,
        requires=[(str(r["file"]), str(r["contains"])) for r in doc.get("require", [])],
        expect=[str(x) for x in doc.get("expect", [])],
        expect_kinds=[str(k) for k in doc["expect_kinds"]] if "expect_kinds" in doc else None,
        low_memory_end=int(doc["low_memory_end"]) if "low_memory_end" in doc else None,
        marker=str(doc["marker"]) if "marker" in doc else None,
    )


def load_patches(cfg: Config) -> dict[str, Patch]:
    if not cfg.patches_dir.is_dir():
        raise PatcherError(f"patch directory {cfg.patches_dir} not found", hint="run from a patcher checkout or set PATCHER_PATCHES")
    return {p.stem: load_patch(p, cfg.templates_dir) for p in sorted(cfg.patches_dir.glob("*.toml")) if p.name != "variants.toml"}


def load_variants(cfg: Config, patches: dict[str, Patch]) -> dict[str, Variant]:
    path = cfg.patches_dir / "variants.toml"
    if not path.is_file():
        raise PatcherError(f"{path} not found", hint="restore patches/variants.toml")
    doc = schema.load(path, "variants", what="variants file", hint="fix patches/variants.toml (keys: patcher/resources/schemas/variants.schema.json)")
    out = {}
    for name, v in doc.get("variant", {}).items():
        for p in [*v.get("patches", []), *v.get("go_patches", [])]:
            if p not in patches:
                raise PatcherError(f"variant {name} lists unknown patch {p!r}", hint=f"known patches: {', '.join(patches) or 'none'}")
        for p in v.get("patches", []):
            if patches[p].target != "adapter":
                raise PatcherError(f"variant {name}: patch {p} targets {patches[p].target}, not the adapter", hint="list it under go_patches")
        for p in v.get("go_patches", []):
            if patches[p].target != "goroot":
                raise PatcherError(f"variant {name}: patch {p} targets {patches[p].target}, not the Go runtime", hint="list it under patches")
        for step in v.get("companion", []):
            if step not in COMPANION_STEPS:
                raise PatcherError(f"variant {name} names unknown companion step {step!r}", hint=f"known steps: {', '.join(COMPANION_STEPS)}")
        out[name] = Variant(
            name=name,
            summary=str(v.get("summary", "")).strip(),
            patches=tuple(patches[p] for p in v.get("patches", [])),
            companion=tuple(v.get("companion", [])),
            go_patches=tuple(patches[p] for p in v.get("go_patches", [])),
            recommended=bool(v.get("recommended", False)),
            opt_in=bool(v.get("opt_in", False)),
        )
    if sum(v.recommended for v in out.values()) > 1:
        raise PatcherError(f"{path} marks more than one variant `recommended = true`", hint="the recommended variant is every command's default: keep one")
    return out


def _marker(patch: str, i: int, which: str, comment: str) -> str:
    return f"{comment} patcher:{which} {patch}#{i}"


class Renderer:
    def __init__(self, templates_dir: Path | None) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(self, edit: Edit, context: dict[str, Any]) -> str:
        if edit.template:
            return self.env.get_template(edit.template).render(**context)
        return self.env.from_string(edit.text or "").render(**context)


def apply_patches(root: Path, patches: Sequence[Patch], context: dict[str, Any], *, version: tuple[int, ...], label: str, base: str = "", comment: str = "//") -> dict[str, tuple[str, str]]:
    """Apply `patches` in order to files under root/base. Returns {relpath: (before, after)} of changed files.

    Raises PatcherError (nothing written) on a missing or ambiguous anchor.
    """
    renderer = Renderer(patches[0].templates_dir if patches else None)  # renders nothing without patches
    originals: dict[str, str] = {}
    current: dict[str, str] = {}
    for patch in patches:
        if not versions.matches(patch.applies, version):
            raise PatcherError(f"patch {patch.name} does not support {label}", hint=f"it applies to {patch.applies}; pick a supported version")
        for i, edit in enumerate(patch.edits, 1):
            if not versions.matches(edit.when, version):
                continue
            rel = f"{base}/{edit.file}" if base else edit.file
            path = root / rel
            if edit.op == "create":
                begin = _marker(patch.name, i, "begin", comment)
                if rel in current or path.exists():
                    existing = current[rel] if rel in current else path.read_text()
                    if begin in existing:
                        continue
                    raise PatcherError(f"patch {patch.name}: cannot create {rel} for {label}: it exists upstream", hint="upstream added a file of that name; rename the patch's file")
                body = renderer.render(edit, {**context, **patch.context}).rstrip("\n")
                originals[rel] = ""
                current[rel] = f"{begin}\n{body}\n{_marker(patch.name, i, 'end', comment)}\n"
                continue
            if rel not in current:
                if not path.is_file():
                    raise PatcherError(f"patch {patch.name}: file {rel} not found for {label}", hint="the upstream layout changed; update the patch spec")
                originals[rel] = current[rel] = path.read_text()
            text = current[rel]
            begin = _marker(patch.name, i, "begin", comment)
            if begin in text:
                continue  # already applied
            count = text.count(edit.anchor)
            short = " ".join(edit.anchor.split())[:60]
            if count != 1:
                what = "not found" if count == 0 else f"ambiguous ({count} matches)"
                raise PatcherError(
                    f"patch {patch.name}: anchor {what} in {rel} for {label}: {short!r}",
                    hint="upstream changed this code; update the anchor in the patch spec",
                )
            body = renderer.render(edit, {**context, **patch.context}).rstrip("\n")
            fenced = f"{begin}\n{body}\n{_marker(patch.name, i, 'end', comment)}\n"
            if edit.op == "insert-before":
                new = fenced + edit.anchor
            elif edit.op == "insert-after":
                new = edit.anchor + ("\n" if not edit.anchor.endswith("\n") else "") + fenced
            else:
                new = fenced
            current[rel] = text.replace(edit.anchor, new, 1)
    for rel, text in current.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return {rel: (originals[rel], current[rel]) for rel in current if current[rel] != originals[rel]}


def check_requires(patches: Sequence[Patch], root: Path, *, label: str) -> None:
    """A patch may depend on facts outside the files it edits (e.g. a Go linker formula)."""
    for patch in patches:
        for rel, text in patch.requires:
            path = root / rel
            if not path.is_file() or text not in path.read_text(errors="replace"):
                raise PatcherError(f"patch {patch.name}: {rel} no longer contains {text!r} for {label}", hint="the assumption behind this patch changed upstream; update the patch")


def unified_diff(changes: dict[str, tuple[str, str]]) -> str:
    out: list[str] = []
    for rel, (before, after) in sorted(changes.items()):
        out.extend(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{rel}", f"b/{rel}"))
    return "".join(out)
