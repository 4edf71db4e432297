"""Validation reports: JSON for machines, a Markdown matrix (programs x adapter x Go) for people."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from patcher import __version__
from patcher.core.errors import UsageError
from patcher.core.fsutil import write_atomic

if TYPE_CHECKING:
    from patcher.validation.results import Result

# xfail: fails where the oracle fails too; skip: the host cannot drive the program (never a pass)
ICON = {"pass": "✅", "fail": "❌", "error": "⚠️", "xfail": "➖", "skip": "⏭️"}  # noqa: RUF001 (an icon, not a minus)


def who(r: Result) -> str:
    """A row's adapter, and the host that ran it when the report names one ("go @ wasmtime-cli 49.0.3")."""
    return f"{r.adapter} @ {r.host}" if r.host else r.adapter


def to_json(results: Iterable[Result], *, pin: dict[str, Any], extra: dict[str, Any] | None = None) -> str:
    doc = {"toolkit": {"name": "patcher", "version": __version__}, "pin": pin, **(extra or {}), "results": [r.to_json() for r in results]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def summary(results: Iterable[Result], *, by_host: bool = True) -> dict[str, dict[str, int]]:
    """{adapter @ host (or adapter): {pass: n, fail: n, error: n, xfail: n, skip: n}}"""
    out: dict[str, dict[str, int]] = OrderedDict()
    for r in results:
        s = out.setdefault(who(r) if by_host else r.adapter, {"pass": 0, "fail": 0, "error": 0, "xfail": 0, "skip": 0})
        s[r.status] += 1
    return out


def to_markdown(results: Sequence[Result], *, pin: dict[str, Any], title: str = "patcher validation report") -> str:
    columns = list(OrderedDict.fromkeys((who(r), r.go) for r in results))
    programs = list(OrderedDict.fromkeys(r.program for r in results))
    meta = {r.program: r for r in results}
    cell = {(r.program, who(r), r.go): r for r in results}
    lines = [f"# {title}", ""]
    lines.append(f"Upstream wasmtime {pin.get('tag')} ({str(pin.get('commit', ''))[:12]}), patcher {__version__}.")
    lines.append("")
    lines.append("| adapter @ host | pipeline | pass | fail | error | fail where the oracle fails too | not driven by the host |")
    lines.append("|---|---|---:|---:|---:|---:|---:|")
    pipelines = {who(r): r.pipeline for r in results}
    for adapter, s in summary(results).items():
        lines.append(f"| {adapter} | {pipelines[adapter]} | {s['pass']} | {s['fail']} | {s['error']} | {s['xfail']} | {s['skip']} |")
    lines.append("")
    header = "| program | kind | " + " | ".join(f"{a}<br>go{g}" for a, g in columns) + " |"
    lines += [header, "|---|---|" + "---|" * len(columns)]
    notes: list[str] = []
    for p in programs:
        m = meta[p]
        kind = m.kind + (f" ({m.realloc} realloc)" if m.realloc else "")
        row = [p, kind]
        for a, g in columns:
            r = cell.get((p, a, g))
            if r is None:
                row.append("")
            elif r.status == "pass":
                row.append(ICON["pass"])
            else:
                notes.append(f"{r.detail}")
                row.append(f"{ICON[r.status]} [{len(notes)}]")
        lines.append("| " + " | ".join(row) + " |")
    if notes:
        lines += ["", "## Failures", ""]
        lines += [f"{i}. {n.replace('|', '/')}" for i, n in enumerate(notes, 1)]
    lines.append("")
    return "\n".join(lines)


def write(path: Path, text: str) -> None:
    write_atomic(path, text.encode())


def load_json(path: Path) -> tuple[list[Result], dict[str, Any]]:
    """Results back from a JSON report (for the README's compatibility table)."""
    from patcher.validation.results import Result

    hint = "pass a report written by `python -m patcher validate --json FILE` or `release`"
    try:
        doc = json.loads(Path(path).read_text())
    except UnicodeDecodeError as e:
        raise UsageError(f"{path} is not a JSON report (not text)", hint=hint) from e
    except json.JSONDecodeError as e:
        raise UsageError(f"{path} is not valid JSON: {e}", hint=hint) from e
    keys = {"program", "kind", "adapter", "go", "status", "detail", "pipeline", "realloc", "seconds", "host"}
    required = {"program", "kind", "adapter", "go", "status"}
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), list):
        raise UsageError(f"{path} has no \"results\" list: not a patcher validation report", hint=hint)
    out = []
    for i, r in enumerate(doc["results"]):
        if not isinstance(r, dict) or not required <= r.keys():
            raise UsageError(f"{path}: result {i} lacks {', '.join(sorted(required - set(r if isinstance(r, dict) else ())))}", hint=hint)
        out.append(Result(**{k: v for k, v in r.items() if k in keys}))
    pin = doc.get("pin", {})
    return out, pin if isinstance(pin, dict) else {}


def compat_table(results: Sequence[Result], adapters: list[str] | None = None) -> str:
    """Programs x Go versions; each cell shows every adapter's outcome (oracles left out) under the
    in-process host (the other hosts have their own table, host_table)."""
    rows = [r for r in results if r.pipeline != "oracle" and (not r.host or r.host.startswith("wasmtime-py"))]
    adapters = adapters or list(OrderedDict.fromkeys(r.adapter for r in rows))
    gos = sorted({r.go for r in rows}, key=lambda v: tuple(int(x) for x in v.split(".")))
    cell = {(r.program, r.adapter, r.go): r.status for r in rows}
    kinds = {r.program: r.kind + (f", {r.realloc} realloc" if r.realloc else "") for r in rows}
    lines = ["| program | kind | " + " | ".join(f"Go {g}" for g in gos) + " |", "|---|---|" + "---|" * len(gos)]
    for p in OrderedDict.fromkeys(r.program for r in rows):
        cells = []
        for g in gos:
            parts = [f"{a} {ICON[cell[(p, a, g)]]}" for a in adapters if (p, a, g) in cell]
            cells.append(" · ".join(parts))
        lines.append(f"| {p} | {kinds[p]} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _version_key(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split(".") if x.isdigit())


def host_table(results: Sequence[Result], adapter: str) -> str:
    """Programs x hosts for one adapter: each cell is the outcome on every Go version (in order),
    and a last row counts the passes; a host that cannot drive a program shows ⏭️ (not a pass)."""
    rows = [r for r in results if r.adapter == adapter and r.host and r.pipeline != "oracle"]
    hosts = list(OrderedDict.fromkeys(r.host for r in sorted(rows, key=lambda r: ("wasmtime-py" not in r.host, "jco" in r.host, r.host))))
    gos = sorted({r.go for r in rows}, key=_version_key)
    cell = {(r.program, r.host, r.go): r.status for r in rows}
    kinds = {r.program: r.kind for r in rows}
    lines = ["| program | kind | " + " | ".join(hosts) + " |", "|---|---|" + "---|" * len(hosts)]
    for p in sorted({r.program for r in rows}):
        cells = [" ".join(ICON[cell[(p, h, g)]] if (p, h, g) in cell else "·" for g in gos) for h in hosts]
        lines.append(f"| {p} | {kinds[p]} | " + " | ".join(cells) + " |")
    totals = []
    for h in hosts:
        mine = [r for r in rows if r.host == h]
        skipped = sum(r.status == "skip" for r in mine)
        totals.append(f"{sum(r.status == 'pass' for r in mine)}/{len(mine)}" + (f" ({skipped} not driven)" if skipped else ""))
    lines.append("| **passes** | | " + " | ".join(totals) + " |")
    return "\n".join(lines) + "\n"


def merge(loaded: list[tuple[list[Result], dict[str, Any]]]) -> tuple[list[Result], dict[str, Any]]:
    """Results of several reports (e.g. the shards of one validation) as one; the pins must agree."""
    from patcher.core.errors import UsageError

    results: list[Result] = []
    seen: set[tuple[str, str, str, str, str]] = set()
    pins: list[dict[str, Any]] = []
    for more, pin in loaded:
        if pin and pins and pin.get("commit") != pins[0].get("commit"):
            raise UsageError(f"reports validate different upstream commits ({pins[0].get('tag')} and {pin.get('tag')})", hint="merge reports of one pin")
        if pin:
            pins.append(pin)
        for r in more:
            key = (r.program, r.kind, r.adapter, r.go, r.host)
            if key in seen:  # overlapping shards: the first report wins
                continue
            seen.add(key)
            results.append(r)
    return results, (pins[0] if pins else {})


def stdlib_summary(results: Sequence[Result]) -> str:
    """One row per Go version: how many standard-library packages' tests pass per adapter (the oracle first)."""
    gos = sorted({r.go for r in results}, key=lambda v: tuple(int(x) for x in v.split(".")))
    adapters = list(OrderedDict.fromkeys(who(r) for r in sorted(results, key=lambda r: r.pipeline != "oracle")))
    lines = ["| Go | packages | " + " | ".join(adapters) + " | differing from the oracle |", "|---|---:|" + "---:|" * len(adapters) + "---|"]
    for g in gos:
        rows = [r for r in results if r.go == g]
        pkgs = list(OrderedDict.fromkeys(r.program for r in rows))
        cell = {(r.program, who(r)): r.status for r in rows}
        counts = [sum(cell.get((p, a)) == "pass" for p in pkgs) for a in adapters]
        oracle = next((a for a in adapters if any(who(r) == a and r.pipeline == "oracle" for r in rows)), None)
        diff = []
        for a in adapters:
            if a == oracle:
                continue
            bad = [p for p in pkgs if oracle and cell.get((p, oracle)) == "pass" and cell.get((p, a)) != "pass"]
            if bad:
                diff.append(f"{a}: {len(bad)} ({', '.join(bad[:6])}{', …' if len(bad) > 6 else ''})")
        lines.append(f"| {g} | {len(pkgs)} | " + " | ".join(map(str, counts)) + f" | {'; '.join(diff) or 'none'} |")
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- compat:begin -->", "<!-- compat:end -->"
HOSTS_MARKERS = ("<!-- hosts:begin -->", "<!-- hosts:end -->")
STDLIB_MARKERS = ("<!-- stdlib:begin -->", "<!-- stdlib:end -->")


def update_readme(readme: Path, table: str, note: str, markers: tuple[str, str] = (BEGIN, END)) -> None:
    BEGIN, END = markers
    text = readme.read_text()
    if BEGIN not in text or END not in text:
        raise ValueError(f"{readme} has no {BEGIN} ... {END} block")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    write(readme, f"{head}{BEGIN}\n{note}\n\n{table}{END}{tail}")
