"""The net/http contract of a wasi:http/proxy component (issue 19 items 2-3): the same handler
(tests/integration/httpapp) answers natively with net/http's own server (the oracle) and as a
component under `wasmtime serve` (one instance per request) and `jco serve`; every case compares
status, headers, framing and body byte for byte, except where the transport differs (noted)."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import http_support as hs
import pytest

# The go variant's proxy adapter is built with cargo on a machine without the prebuilt one.
pytestmark = [pytest.mark.go, pytest.mark.cargo]


@dataclass(frozen=True)
class Case:
    id: str
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    chunked: bool = False
    outbound: bool = False  # the path gets ?url=<local upstream server>


BIG = bytes(range(256)) * 4096  # 1 MiB

CASES = [
    Case("hello", "/hello"),
    Case("echo-get", "/echo"),
    Case("echo-query-multi", "/echo?a=1&a=2&b=%20x"),
    Case("echo-raw-path", "/echo/..%2Fx?q"),
    Case("echo-headers-multi", "/echo", headers={"x-foo-bar": "1", "X-Other": "a, b"}),
    Case("echo-post-length", "/echo", "POST", {"Content-Type": "text/plain"}, b"hello body"),
    Case("echo-post-chunked", "/echo", "POST", {}, b"chunked body", chunked=True),
    Case("echo-post-1mib", "/echo", "POST", {}, BIG),
    Case("echo-post-128mib-streamed", "/echo", "POST", {}, BIG * 128),
    Case("echo-put", "/echo", "PUT", {}, b"put"),
    Case("echo-delete", "/echo", "DELETE"),
    Case("echo-patch", "/echo", "PATCH", {}, b"{}"),
    Case("echo-options", "/echo", "OPTIONS"),
    Case("echo-custom-method", "/echo", "PURGE"),
    Case("mux-pattern", "/items/42"),
    Case("mux-pattern-405", "/items/42", "POST", {}, b""),
    Case("mux-head-of-get", "/items/7", "HEAD"),
    Case("not-found", "/nope"),
    Case("status-201", "/status/201"),
    Case("status-404", "/status/404"),
    Case("status-500", "/status/500"),
    Case("status-204", "/status/204"),
    Case("status-304", "/notmodified"),
    Case("nocontent-write", "/nocontent"),
    Case("superfluous-writeheader", "/superfluous"),
    Case("headers-multi-canonical", "/multi"),
    Case("json", "/json"),
    Case("template", "/template"),
    Case("content-length-small", "/big?n=100"),
    Case("content-length-2048", "/big?n=2048"),
    Case("chunked-2049", "/big?n=2049"),
    Case("chunked-1mib", "/big?n=1048576"),
    Case("explicit-content-length", "/cl"),
    Case("sniff-html", "/sniff"),
    Case("sniff-png", "/sniff-png"),
    Case("empty", "/empty"),
    Case("head-small", "/big?n=100", "HEAD"),
    Case("head-big", "/big?n=5000", "HEAD"),
    Case("head-empty", "/empty", "HEAD"),
    Case("redirect", "/redirect"),
    Case("http-error", "/error"),
    Case("form-post", "/form", "POST", {"Content-Type": "application/x-www-form-urlencoded"}, b"a=1&b=2&a=3"),
    Case("form-query", "/form?x=1&y=2"),
    Case("cookie", "/cookie", headers={"Cookie": "session=abc123"}),
    Case("cookie-missing", "/cookie"),
    Case("controller-flush", "/controller-flush"),
    Case("out-get", "/go/get", outbound=True),
    Case("out-get-stream", "/go/stream", outbound=True),
    Case("out-post-stream", "/go/post", "POST", {}, BIG, outbound=True),
    Case("out-post-chunked", "/go/post", "POST", {}, b"x" * 100_000, chunked=True, outbound=True),
    Case("out-timeout", "/go/timeout", outbound=True),
    Case("out-ctx-deadline", "/go/ctx", outbound=True),
    Case("out-refused", "/go/get?url=http://127.0.0.1:1/"),
]

OUT_PATHS = {"out-get": "/x", "out-get-stream": "/stream", "out-post-stream": "/echo", "out-post-chunked": "/echo",
             "out-timeout": "/slow", "out-ctx-deadline": "/slow"}


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    from patcher.core import config, hosttools
    from patcher.core.errors import MissingToolError

    project = hs.project_or_skip()
    native, wasm = hs.build(project, tmp_path_factory.mktemp("httpapp"))
    with contextlib.ExitStack() as stack:
        bases = {"upstream": stack.enter_context(hs.upstream()), "native": stack.enter_context(hs.native_server(native)),
                 "wasmtime": stack.enter_context(hs.component_server(wasm))[0]}
        try:
            hosttools.jco(config.load().cache_dir)
            bases["jco"] = stack.enter_context(hs.component_server(wasm, host="jco"))[0]
        except MissingToolError:
            pass
        yield bases


def _ask(bases: dict[str, str], host: str, c: Case) -> hs.Answer:
    path = c.path
    if c.outbound:
        path += ("&" if "?" in path else "?") + "url=" + bases["upstream"] + OUT_PATHS[c.id]
    return hs.normalize(hs.request(bases[host], c.method, path, headers=c.headers, body=c.body, chunked=c.chunked), bases[host])


_oracle: dict[str, hs.Answer] = {}


# jco serve's own answers where they differ from net/http's (the component is the same).
JCO_DIFFERS = {
    "echo-custom-method": "jco serve lowercases a method it does not know (PURGE reaches the guest as purge)",
    "headers-multi-canonical": "jco serve keeps only the last value of a repeated response header",
    "out-get": "jco's outgoing handler keeps only the last value of a repeated response header",
}


def _params() -> list[object]:
    out: list[object] = []
    for c in CASES:
        out.append(pytest.param("wasmtime", c, id=f"{c.id}-wasmtime"))
        marks = [pytest.mark.xfail(strict=True, reason=JCO_DIFFERS[c.id])] if c.id in JCO_DIFFERS else []
        out.append(pytest.param("jco", c, id=f"{c.id}-jco", marks=marks))
    return out


@pytest.mark.parametrize(("host", "case"), _params())
def test_same_answer_as_native(servers: dict[str, str], host: str, case: Case) -> None:
    if host not in servers:
        pytest.skip("jco is not installed (scripts/setup installs it with npm)")
    if case.id not in _oracle:
        _oracle[case.id] = _ask(servers, "native", case)
    want = _oracle[case.id]
    got = _ask(servers, host, case)
    assert (got.status, got.headers, got.body) == (want.status, want.headers, want.body)
    # Framing: a body the handler finished within net/http's buffer gets a Content-Length, a
    # longer one is chunked; HEAD and bodiless statuses carry neither body.
    assert got.framing == want.framing or (want.framing == "none" and got.framing == "length 0" and case.method == "HEAD")


def test_panic_is_500_and_instance_survives(servers: dict[str, str]) -> None:
    # net/http closes the connection on a panic; wasi:http has no such answer: a 500 instead.
    a = hs.request(servers["wasmtime"], "GET", "/panic")
    assert a.status == 500 and a.body == b"Internal Server Error\n"
    assert hs.request(servers["wasmtime"], "GET", "/hello").body == b"hello, world\n"


def test_panic_under_reuse_keeps_instance(tmp_path_factory: pytest.TempPathFactory, servers: dict[str, str]) -> None:
    project = hs.project_or_skip()
    _, wasm = hs.build(project, tmp_path_factory.mktemp("reuse"))
    with hs.component_server(wasm, reuse=10) as (base, server):
        assert hs.request(base, "GET", "/panic").status == 500
        for _ in range(3):
            assert hs.request(base, "GET", "/hello").body == b"hello, world\n"
        out = server.output()
    assert "wasihttp: panic serving GET /panic: boom" in out


def test_forbidden_headers_dropped(servers: dict[str, str]) -> None:
    a = hs.request(servers["wasmtime"], "GET", "/forbidden-headers")
    n = hs.request(servers["native"], "GET", "/forbidden-headers")
    assert a.status == n.status == 200 and a.body == n.body
    assert a.header("x-kept") == ["yes"] and not a.header("keep-alive") and not a.header("upgrade")


def test_flush_delivers_first_event_early(servers: dict[str, str]) -> None:
    import http.client

    for host in ("native", "wasmtime"):
        h, p = servers[host].removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(h, int(p), timeout=30)
        conn.request("GET", "/flush")
        resp = conn.getresponse()
        t0 = time.monotonic()
        first = resp.readline()
        t_first = time.monotonic() - t0
        rest = resp.read()
        t_all = time.monotonic() - t0
        conn.close()
        assert first.startswith(b"data: first") and b"data: second" in rest, host
        assert t_all - t_first >= 0.15, f"{host}: the first event came only with the second"


def test_fanout_runs_concurrently(servers: dict[str, str]) -> None:
    got = {}
    for host in ("native", "wasmtime"):
        a = hs.request(servers[host], "GET", "/go/fanout?url=" + servers["upstream"] + "/slow")
        doc = json.loads(a.body)
        assert doc["codes"] == [200, 200, 200], doc
        got[host] = doc["ms"]
    print(f"fan-out of three 300 ms requests: native {got['native']} ms, wasmtime serve {got['wasmtime']} ms")
    assert got["wasmtime"] < 600, got


def test_ticker_ticks_while_body_is_read(servers: dict[str, str]) -> None:
    import http.client

    def slow() -> Iterator[bytes]:
        for _ in range(6):
            time.sleep(0.05)
            yield b"x" * 100

    h, p = servers["wasmtime"].removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(h, int(p), timeout=30)
    conn.request("POST", "/ticker-upload", body=slow(), encode_chunked=True)
    doc = json.loads(conn.getresponse().read())
    conn.close()
    assert doc == {"bytes": 600, "ticked": True}
