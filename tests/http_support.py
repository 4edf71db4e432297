"""Shared by the HTTP conformance, load and fan-out tests: the conformance handler built natively
(the oracle) and as a wasi:http/proxy component, the hosts that serve it, a local upstream
server for outbound cases, and a small HTTP/1.1 client that sees the wire's framing."""

from __future__ import annotations

import contextlib
import http.client
import http.server
import os
import socketserver
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from patcher.core import config
from patcher.patching.project import Project
from patcher.run.serve import Host, Server

APP = Path(__file__).resolve().parent / "integration" / "httpapp"
HOP = {"date", "connection", "keep-alive", "transfer-encoding"}  # the transport's business


@dataclass(frozen=True)
class Answer:
    status: int
    headers: tuple[tuple[str, str], ...]  # lower-case names, in order, hop-by-hop ones left out
    framing: str  # "length N", "chunked" or "none"
    body: bytes

    def header(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k == name]


def request(base: str, method: str, path: str, *, headers: dict[str, str] | None = None, body: bytes | None = None,
            chunked: bool = False, timeout: float = 30) -> Answer:
    host, port = base.removeprefix("http://").rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        if chunked:
            conn.request(method, path, body=iter([body or b""]), headers=headers or {}, encode_chunked=True)
        else:
            conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        raw = resp.getheaders()
    finally:
        conn.close()
    te = [v for k, v in raw if k.lower() == "transfer-encoding"]
    cl = [v for k, v in raw if k.lower() == "content-length"]
    framing = "chunked" if te else f"length {cl[0]}" if cl else "none"
    kept = tuple((k.lower(), v) for k, v in raw if k.lower() not in HOP)
    return Answer(resp.status, tuple(sorted(kept)), framing, data)


def normalize(a: Answer, base: str) -> Answer:
    """The server's own address in a body (the Host it saw) is the only expected difference."""
    hostport = base.removeprefix("http://").rstrip("/").encode()
    return Answer(a.status, a.headers, a.framing, a.body.replace(hostport, b"HOST"))


class Upstream(http.server.BaseHTTPRequestHandler):
    """The outbound cases' server: /slow (300 ms), /stream (chunks), /echo (POST body back), else a short text."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path.startswith("/slow"):
            time.sleep(0.3)
        if self.path.startswith("/stream"):
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(3):
                d = f"chunk {i}\n".encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(d), d))
                self.wfile.flush()
                time.sleep(0.05)
            self.wfile.write(b"0\r\n\r\n")
            return
        b = b"upstream " + self.path.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(b)))
        self.send_header("Content-Type", "text/plain")
        self.send_header("X-Multi", "1")
        self.send_header("X-Multi", "2")
        self.end_headers()
        self.wfile.write(b)

    def do_POST(self) -> None:
        n = int(self.headers.get("Content-Length") or 0)
        if self.headers.get("Transfer-Encoding") == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    break
                data += self.rfile.read(size)
                self.rfile.readline()
        else:
            data = self.rfile.read(n)
        b = b'{"got": %d}' % len(data)
        self.send_response(200)
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Threading(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


@contextlib.contextmanager
def upstream() -> Iterator[str]:
    srv = _Threading(("127.0.0.1", 0), Upstream)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


def project_or_skip() -> Project:
    import needs

    cfg = needs.source_or_skip()
    if (why := needs.missing_go()) is not None:
        pytest.skip(why)
    return Project(cfg)


def build(project: Project, tmp: Path) -> tuple[Path, Path]:
    """(native binary, component) of the conformance handler."""
    from patcher.component import componentize, gohttp
    from patcher.golang import gotool

    go = gotool.resolve("go", project.cfg.cache_dir)
    native = gohttp.build_native(project, APP, tmp / "httpapp", go)
    wasm = componentize.componentize_proxy(project, APP, out=tmp / "httpapp.wasm")
    return native, wasm


def wait_listening(base: str, child: subprocess.Popen[bytes], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"server exited with {child.returncode}")
        try:
            request(base, "GET", "/hello", timeout=5)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{base} did not answer within {timeout} s")


@contextlib.contextmanager
def native_server(binary: Path) -> Iterator[str]:
    from patcher.core import proc
    from patcher.run.serve import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    child = proc.start([str(binary)], env={**os.environ, "PATCHER_HTTP_ADDR": f"127.0.0.1:{port}"})
    try:
        wait_listening(base, child)
        yield base
    finally:
        proc.stop(child)


@contextlib.contextmanager
def component_server(component: Path, host: Host = "wasmtime", reuse: int = 1) -> Iterator[tuple[str, Server]]:
    from patcher.run import serve

    cfg = config.load()
    server = serve.start(cfg.cache_dir, component, host=host, addr="127.0.0.1:0", reuse=reuse, timeout_s=900)
    base = server.url.rstrip("/")
    try:
        wait_listening(base, server.child)
        yield base, server
    finally:
        server.stop()
