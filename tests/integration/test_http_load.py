"""A bounded load run against `wasmtime serve` (issue 19 item 6): 10,000 requests at concurrency
16 from bench/httpload (Go, keep-alive), one instance per request and reuse 1000; zero errors,
and the host's resident memory flat after warm-up (measured, not timed): with reuse, 16 instances
grow their Go heaps to a steady size first, so the RSS compared is at 6,000 and at 10,000."""

from __future__ import annotations

import json
from pathlib import Path

import http_support as hs
import pytest

from patcher.core import proc

pytestmark = [pytest.mark.go, pytest.mark.cargo]

LOADGEN = Path(__file__).resolve().parents[2] / "bench" / "httpload"
TOTAL, WARM, MID, CONC = 10_000, 2_000, 4_000, 16


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _load(loadgen: Path, url: str, n: int) -> dict[str, object]:
    r = proc.run([str(loadgen), "-url", url, "-n", str(n), "-c", str(CONC)], timeout=1200)
    assert r.returncode == 0, r.stderr
    doc: dict[str, object] = json.loads(r.stdout)
    return doc


@pytest.mark.parametrize("reuse", [1, 1000], ids=["per-request", "reuse-1000"])
def test_load_zero_errors_memory_flat(tmp_path: Path, reuse: int) -> None:
    from patcher.golang import gotool

    project = hs.project_or_skip()
    go = gotool.resolve("go", project.cfg.cache_dir)
    loadgen = tmp_path / "httpload"
    r = proc.run([str(go.exe), "build", "-o", str(loadgen), "."], cwd=LOADGEN, env=go.env(), timeout=600)
    assert r.returncode == 0, r.stderr
    _, wasm = hs.build(project, tmp_path)
    with hs.component_server(wasm, reuse=reuse) as (base, server):
        runs = [_load(loadgen, base + "/json", WARM), _load(loadgen, base + "/json", MID)]
        rss_warm = _rss_kib(server.child.pid)
        rest = _load(loadgen, base + "/json", TOTAL - WARM - MID)
        runs.append(rest)
        rss_end = _rss_kib(server.child.pid)
    errors = sum(int(str(r["errors"])) for r in runs)
    print(f"load {reuse=}: {TOTAL} requests, {errors} errors, {rest['rps']:.0f} req/s, p99 {rest['p99_ms']} ms, "
          f"RSS after warm-up {rss_warm // 1024} MiB, at the end {rss_end // 1024} MiB")
    assert errors == 0, [r.get("first_error") for r in runs]
    assert rss_end <= rss_warm * 1.25 + 32 * 1024, (rss_warm, rss_end)
