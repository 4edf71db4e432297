"""Serve a wasi:http/proxy component with a real host: `wasmtime serve` (one instance per request,
or reused N times) or jco's `serve` (Node). Starts the host, waits until it listens, hands back
the URL; `stop` ends it the way Ctrl-C does."""

from __future__ import annotations

import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from patcher.core import hosttools, proc, wasm
from patcher.core.errors import PatcherError, UsageError

Host = Literal["wasmtime", "jco"]
HOSTS: tuple[Host, ...] = ("wasmtime", "jco")
INCOMING_HANDLER = "wasi:http/incoming-handler"


def exports(component: Path) -> list[str]:
    """The interfaces a component exports (from its WIT)."""
    text = wasm.wasm_tools("component", "wit", str(component)).decode()
    return re.findall(r"^\s*export ([\w:/.@-]+);", text, re.M)


def check_proxy(component: Path) -> None:
    """A one-line error unless `component` exports wasi:http/incoming-handler."""
    wasm.require_component(component)
    ex = exports(component)
    if not any(e.split("@")[0] == INCOMING_HANDLER for e in ex):
        what = "a command component (exports wasi:cli/run)" if any(e.startswith("wasi:cli/run") for e in ex) else f"not a wasi:http/proxy component (exports: {', '.join(ex) or 'nothing'})"
        raise UsageError(f"{component} is {what}; serve needs one that exports {INCOMING_HANDLER}",
                         hint="build it with `patcher componentize PKG --world wasi:http/proxy -o app.wasm`")


def parse_addr(addr: str) -> tuple[str, int]:
    host, sep, port = addr.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:
        raise UsageError(f"--addr {addr!r} is not HOST:PORT", hint="e.g. --addr 127.0.0.1:8080 (port 0: any free port)")
    return host or "127.0.0.1", int(port)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def argv(cache_dir: Path, component: Path, *, host: Host, addr: tuple[str, int], reuse: int = 1) -> list[str]:
    if host == "wasmtime":
        cmd = [str(hosttools.wasmtime_cli(cache_dir)), "serve", "--addr", f"{addr[0]}:{addr[1]}"]
        if reuse > 1:
            cmd += ["--max-instance-reuse-count", str(reuse)]
        return [*cmd, str(component)]
    cmd = [*hosttools.jco(cache_dir), "serve", "--host", addr[0], "--port", str(addr[1])]
    return [*cmd, str(component)]


@dataclass
class Server:
    child: subprocess.Popen[bytes]
    url: str
    host: Host
    lines: list[str] = field(default_factory=list)  # the host's output so far (stderr and stdout)

    def stop(self) -> int:
        return proc.stop(self.child)

    def output(self) -> str:
        return "".join(self.lines)


def listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def start(cache_dir: Path, component: Path, *, host: Host = "wasmtime", addr: str = "127.0.0.1:8080", reuse: int = 1,
          on_line: Callable[[str], object] | None = None, timeout_s: float = 300.0) -> Server:
    """Start `host` serving `component` and wait until it accepts connections (the first start
    compiles the component: minutes on a loaded machine; the compile cache makes later ones fast)."""
    check_proxy(component)
    if reuse < 1:
        raise UsageError(f"--reuse {reuse} must be at least 1", hint="1 is one instance per request (the default)")
    if host == "jco" and reuse > 1:
        raise UsageError("--reuse is a wasmtime serve option; jco serve has its own isolation", hint="drop --reuse with --host jco")
    h, port = parse_addr(addr)
    if port == 0:
        port = free_port(h)
    if listening(h, port):
        raise UsageError(f"{h}:{port} is already in use", hint="pass --addr with a free port (or :0 for any)")
    child = proc.start(argv(cache_dir, component, host=host, addr=(h, port), reuse=reuse))
    server = Server(child, f"http://{h}:{port}/", host)

    def pump() -> None:
        assert child.stdout is not None
        for raw in child.stdout:
            line = raw.decode(errors="replace")
            server.lines.append(line)
            if on_line:
                on_line(line)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + timeout_s
    while not listening(h, port):
        if child.poll() is not None:
            time.sleep(0.2)
            out = server.output().strip().splitlines()
            raise PatcherError(f"{host} serve exited with {child.returncode}: {out[-1] if out else 'no output'}",
                               hint="run it with -v to see the host's output")
        if time.monotonic() > deadline:
            server.stop()
            raise PatcherError(f"{host} serve did not listen on {h}:{port} within {timeout_s:.0f} s", hint="see the host's output with -v")
        time.sleep(0.1)
    return server
