"""WAVE (the WebAssembly Value Encoding `wasmtime run --invoke` reads and prints) for the values a
corpus call carries: strings, chars, integers, floats, bools, lists, tuples, options and results.

`call("f", [1, "x"])` is the invocation text `f(1, "x")`; `parse` reads a printed result back into
the Python value the oracles compare (lists for lists and tuples, None for `none`)."""

from __future__ import annotations

import math
import re
from typing import Any

from patcher.core.errors import PatcherError

_ESCAPES = {"\\": "\\\\", '"': '\\"', "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _quote(s: str, q: str) -> str:
    out = []
    for c in s:
        if c in _ESCAPES and (c != "'" or q == "'") and (c != '"' or q == '"'):
            out.append(_ESCAPES[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{{{ord(c):x}}}")
        else:
            out.append(c)
    return q + "".join(out) + q


def encode(value: Any) -> str:
    """A Python value from case.toml as WAVE (ints stay ints, floats keep a point, lists are lists)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _quote(value, '"')
    if isinstance(value, (list, tuple, bytes)):
        return "[" + ", ".join(encode(v) for v in value) + "]"
    raise PatcherError(f"no WAVE encoding for a {type(value).__name__} argument ({value!r:.60})", hint="the wasmtime CLI host drives calls with string, number, bool and list arguments")


def call(func: str, args: list[Any] | tuple[Any, ...]) -> str:
    return f"{func}({', '.join(encode(a) for a in args)})"


_NUMBER = re.compile(r"-?(?:inf|nan|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)")
_WORD = re.compile(r"[a-z][a-z0-9-]*")


class _Parser:
    def __init__(self, text: str):
        self.s, self.i = text, 0

    def error(self, what: str) -> PatcherError:
        return PatcherError(f"cannot read WAVE value {self.s[:120]!r}: {what} at offset {self.i}")

    def ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in " \t\r\n":
            self.i += 1

    def peek(self) -> str:
        self.ws()
        return self.s[self.i] if self.i < len(self.s) else ""

    def expect(self, c: str) -> None:
        if self.peek() != c:
            raise self.error(f"expected {c!r}")
        self.i += 1

    def string(self, q: str) -> str:
        self.expect(q)
        out: list[str] = []
        while True:
            if self.i >= len(self.s):
                raise self.error("unterminated string")
            c = self.s[self.i]
            self.i += 1
            if c == q:
                return "".join(out)
            if c != "\\":
                out.append(c)
                continue
            e = self.s[self.i]
            self.i += 1
            if e == "u":
                end = self.s.index("}", self.i)
                out.append(chr(int(self.s[self.i + 1:end], 16)))
                self.i = end + 1
            else:
                out.append({"n": "\n", "r": "\r", "t": "\t"}.get(e, e))

    def seq(self, close: str) -> list[Any]:
        items: list[Any] = []
        self.i += 1
        while self.peek() != close:
            items.append(self.value())
            if self.peek() == ",":
                self.i += 1
        self.expect(close)
        return items

    def value(self) -> Any:
        c = self.peek()
        if c == '"':
            return self.string('"')
        if c == "'":
            return self.string("'")
        if c == "[":
            return self.seq("]")
        if c == "(":
            return self.seq(")")
        if c == "{":  # a record: {name: value, ...} as a dict
            out: dict[str, Any] = {}
            self.i += 1
            while self.peek() != "}":
                m = _WORD.match(self.s, self.i)
                if not m:
                    raise self.error("expected a field name")
                self.i = m.end()
                self.expect(":")
                out[m.group()] = self.value()
                if self.peek() == ",":
                    self.i += 1
            self.expect("}")
            return out
        m = _NUMBER.match(self.s, self.i)
        if m:
            self.i = m.end()
            t = m.group()
            return float(t) if any(ch in t for ch in ".eEin") else int(t)
        m = _WORD.match(self.s, self.i)
        if not m:
            raise self.error("unexpected character")
        self.i = m.end()
        word = m.group()
        if word in ("true", "false"):
            return word == "true"
        if word == "none":
            return None
        if self.peek() == "(":  # some(x), ok(x), err(x), a variant case with a payload
            inner = self.seq(")")
            return inner[0] if word == "some" and len(inner) == 1 else {word: inner[0] if len(inner) == 1 else inner}
        return word  # an enum case or a payload-less variant case


def parse(text: str) -> Any:
    p = _Parser(text.strip())
    v = p.value()
    if p.peek():
        raise p.error("trailing text")
    return v
