#!/usr/bin/env python3
"""HTTP service throughput and latency, measured in one run (ratios, never asserted).

examples/http (a JSON API and an html/template page) served three ways: natively with net/http
(the same package built for the host: wasihttp.Handle listens), as a component under `wasmtime
serve` with one instance per request (the default), and with `--max-instance-reuse-count N`.
The load comes from bench/httpload, a closed-loop generator in Go (keep-alive connections), so
the client is not the bottleneck. Each configuration is warmed up, then measured.

Where per-request time goes: native latency is the handler (plus net/http); reuse minus native
is running the handler as wasm behind wasi:http; per-request minus reuse is a fresh instance
(instantiation and Go runtime init) per request.

    python bench/http.py [--quick] [-n N] [-c C] [--reuse N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import _bench

_bench.setup_path()

EXAMPLE = _bench.REPO / "examples" / "http"
LOADGEN = _bench.REPO / "bench" / "httpload"
PATHS = {"json": "/api/items", "template": "/"}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=5000, help="requests per measurement (default 5000)")
    p.add_argument("-c", type=int, default=16, help="concurrent connections (default 16)")
    p.add_argument("--reuse", type=int, default=1000, help="requests per instance for the reuse side (default 1000)")
    p.add_argument("--quick", action="store_true", help="1000 requests per measurement")
    p.add_argument("--json", type=Path, help="write the rows as JSON")
    return p.parse_args(argv)


def load(loadgen: Path, url: str, n: int, c: int) -> dict[str, float]:
    from patcher.core import proc

    r = proc.run([str(loadgen), "-url", url, "-n", str(n), "-c", str(c)], timeout=1800)
    if r.returncode != 0:
        raise SystemExit(f"httpload failed: {r.stderr.strip()}")
    row: dict[str, float] = json.loads(r.stdout)
    return row


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    n = 1000 if args.quick else args.n
    from patcher.component import componentize, gohttp
    from patcher.core import config, proc
    from patcher.golang import gotool
    from patcher.patching.project import Project
    from patcher.run import serve

    project = Project(config.load())
    go = gotool.resolve("go", project.cfg.cache_dir)
    with tempfile.TemporaryDirectory(prefix="bench-http-") as t:
        tmp = Path(t)
        loadgen = tmp / "httpload"
        r = proc.run([str(go.exe), "build", "-o", str(loadgen), "."], cwd=LOADGEN, env=go.env(GOFLAGS="-mod=mod"), timeout=600)
        if r.returncode != 0:
            raise SystemExit(f"building httpload failed: {r.stderr.strip()}")
        native = gohttp.build_native(project, EXAMPLE, tmp / "service", go)
        wasm = componentize.componentize_proxy(project, EXAMPLE, out=tmp / "service.wasm")
        rows: list[dict[str, object]] = []

        def measure(side: str, base: str) -> None:
            for name, path in PATHS.items():
                load(loadgen, base + path, min(n, 500), args.c)  # warm-up
                row = load(loadgen, base + path, n, args.c)
                rows.append({"side": side, "handler": name, **row})
                print(f"  {side:<22} {name:<9} {row['rps']:>9.0f} req/s  p50 {row['p50_ms']:7.2f} ms  p99 {row['p99_ms']:7.2f} ms"
                      f"  errors {row['errors']:.0f}", flush=True)

        print(f"examples/http, {n} requests per row, {args.c} connections (Go {go.version})")
        port = serve.free_port()
        child = proc.start([str(native)], env={**os.environ, "PATCHER_HTTP_ADDR": f"127.0.0.1:{port}"})
        try:
            deadline = time.monotonic() + 60
            while not serve.listening("127.0.0.1", port) and time.monotonic() < deadline:
                time.sleep(0.1)
            measure("native net/http", f"http://127.0.0.1:{port}")
        finally:
            proc.stop(child)
        for side, reuse in (("wasmtime per-request", 1), (f"wasmtime reuse {args.reuse}", args.reuse)):
            server = serve.start(project.cfg.cache_dir, wasm, addr="127.0.0.1:0", reuse=reuse, timeout_s=900)
            try:
                measure(side, server.url.rstrip("/"))
            finally:
                server.stop()
    by = {(str(r["side"]), str(r["handler"])): r for r in rows}
    print("\nratios (requests/s, native = 1.00) and where a request's time goes (p50)")
    for name in PATHS:
        nat = by[("native net/http", name)]
        per = by[("wasmtime per-request", name)]
        reu = by[(f"wasmtime reuse {args.reuse}", name)]
        rps = {k: float(r["rps"]) for k, r in (("nat", nat), ("per", per), ("reu", reu))}
        p50 = {k: float(r["p50_ms"]) for k, r in (("nat", nat), ("per", per), ("reu", reu))}
        print(f"  {name:<9} per-request {rps['per'] / rps['nat']:.3f}  reuse {rps['reu'] / rps['nat']:.3f}"
              f"  per-request/reuse {rps['per'] / rps['reu']:.3f}   handler {p50['nat']:.2f} ms,"
              f" as wasm behind wasi:http +{p50['reu'] - p50['nat']:.2f} ms, fresh instance + Go init +{p50['per'] - p50['reu']:.2f} ms")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
