"""examples/http (JSON API, template page, outbound call) and examples/chi (a third-party router,
from the Go module proxy) as components under `wasmtime serve`, built through `patcher serve`'s
path (componentize --world wasi:http/proxy)."""

from __future__ import annotations

import json
from pathlib import Path

import http_support as hs
import pytest

pytestmark = [pytest.mark.go, pytest.mark.cargo]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_examples_http_serves_json_template_and_outbound(tmp_path: Path) -> None:
    from patcher.component import componentize

    project = hs.project_or_skip()
    wasm = componentize.componentize_proxy(project, EXAMPLES / "http", out=tmp_path / "svc.wasm")
    with hs.upstream() as up, hs.component_server(wasm) as (base, _):
        items = hs.request(base, "GET", "/api/items")
        assert items.status == 200 and items.header("content-type") == ["application/json"]
        assert [i["name"] for i in json.loads(items.body)] == ["teapot", "kettle"]
        page = hs.request(base, "GET", "/")
        assert page.status == 200 and b"<li>teapot: 12.50</li>" in page.body and page.header("content-type") == ["text/html; charset=utf-8"]
        assert hs.request(base, "GET", "/api/items/9").status == 404
        created = hs.request(base, "POST", "/api/items", body=b'{"id": "3", "name": "cup", "price": 2}')
        assert created.status == 201  # (per-request instances: the next request starts afresh)
        fetched = json.loads(hs.request(base, "GET", "/api/fetch?url=" + up + "/hi").body)
        assert fetched == {"status": 200, "body": "upstream /hi"}


def test_examples_chi_router_unchanged(tmp_path: Path) -> None:
    from patcher.component import componentize

    project = hs.project_or_skip()
    wasm = componentize.componentize_proxy(project, EXAMPLES / "chi", out=tmp_path / "chi.wasm")
    with hs.component_server(wasm) as (base, _):
        assert hs.request(base, "GET", "/").body == b"welcome"
        assert hs.request(base, "GET", "/articles/7").body == b"article 7"
        assert hs.request(base, "GET", "/nope").status == 404
