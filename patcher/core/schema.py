"""Spec files (patches/*.toml, patches/variants.toml, corpus case.toml) read and checked against the
JSON schemas in patcher/resources/schemas/: a typo in a key is an error, never a silently ignored check."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import tomlkit
import tomlkit.exceptions

from patcher.core.errors import UsageError

SCHEMAS = Path(__file__).resolve().parents[1] / "resources" / "schemas"


@functools.cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _where(path: Any) -> str:
    """edit[2].op from the error's path deque."""
    out = ""
    for p in path:
        out += f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def _message(err: jsonschema.ValidationError) -> str:
    if err.validator == "additionalProperties":
        props = err.schema.get("properties", {}) if isinstance(err.schema, dict) else {}
        allowed = sorted(props)
        extra = sorted(set(err.instance) - set(allowed)) if isinstance(err.instance, dict) else []
        key = _where([*err.absolute_path, extra[0]]) if extra else _where(err.absolute_path)
        return f"unknown key {key!r}" + (f" (allowed here: {', '.join(allowed)})" if allowed else "")
    if err.validator == "required":
        return f"{_where(err.absolute_path)}: {err.message}"
    return f"key {_where(err.absolute_path)!r}: {err.message}"


def load(path: Path, schema: str, *, what: str, hint: str) -> dict[str, Any]:
    """Parse TOML file `path` and check it against `schema`; one-line PatcherError naming file and key."""
    try:
        doc: dict[str, Any] = tomlkit.parse(path.read_text()).unwrap()
    except OSError as e:
        raise UsageError(f"{what} {path}: cannot read: {e.strerror}", hint=hint) from e
    except tomlkit.exceptions.TOMLKitError as e:
        raise UsageError(f"{what} {path}: invalid TOML: {e}", hint=hint) from e
    check(doc, schema, path=path, what=what, hint=hint)
    return doc


def check(doc: dict[str, Any], schema: str, *, path: Path, what: str, hint: str) -> None:
    errors = sorted(_validator(schema).iter_errors(doc), key=lambda e: (list(map(str, e.absolute_path)), str(e.validator)))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise UsageError(f"{what} {path}: {_message(best)}{more}", hint=hint)
