"""`componentize --preinit`: instances of one snapshot are each their own (randomness, clocks,
environment, files), nothing of the build environment is in the component, and an init() that
needs the host is refused at build time."""

from __future__ import annotations

import secrets
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import wasmtime
import wasmtime.component as C
from conftest import ROOT, run_cli
from needs import source_or_skip

pytestmark = [pytest.mark.go, pytest.mark.cargo, pytest.mark.source]
PROBE = ROOT / "tests" / "go" / "preinit"
SOURCES = ("math-rand-v2", "math-rand", "map-order", "maphash", "crypto-rand")
SECRET = secrets.token_hex(16)
NONCE = secrets.token_hex(8)


def _error_line(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode != 0, r.stderr[-2000:]
    lines = [l for l in r.stderr.splitlines() if l.startswith("patcher: error:")]
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr[-3000:]
    return lines[0]


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The probe reactor pre-initialized, built with a secret in the build environment (PROBE,
    which its init() reads) and a fresh nonce so the snapshot is taken now, not found cached."""
    source_or_skip()
    out = tmp_path_factory.mktemp("preinit") / "probe.wasm"
    r = run_cli("componentize", str(PROBE), "--wit", str(PROBE / "probe.wit"), "--world", "probe", "--preinit",
                f"--build-flag=-ldflags=-X main.nonce={NONCE}", "-o", str(out), env={"PROBE": SECRET, "PATCHER_TEST_SECRET": SECRET})
    assert r.returncode == 0, r.stderr[-3000:]
    assert "companion step: go build -overlay (go-sbrk, go-preinit)" in r.stderr
    return out


class Instances:
    """Instances of one compiled component, each in its own store with its own WASI context."""

    def __init__(self, path: Path) -> None:
        self.engine = wasmtime.Engine()
        self.component = C.Component.from_file(self.engine, str(path))
        self.linker = C.Linker(self.engine)
        self.linker.add_wasip2()

    def new(self, *, env: dict[str, str] | None = None, argv: tuple[str, ...] = ("probe",), data: Path | None = None) -> Callable[[str], str]:
        """A new instance; returns its `probe` export as a function."""
        store = wasmtime.Store(self.engine)
        wasi = wasmtime.WasiConfig()
        wasi.argv = list(argv)
        wasi.env = list((env or {}).items())
        if data is not None:
            wasi.preopen_dir(str(data), "/data")
        store.set_wasi(wasi)
        func = self.linker.instantiate(store, self.component).get_func(store, "probe")
        assert func is not None

        def ask(what: str) -> str:
            out = func(store, what)
            func.post_return(store)
            return str(out)
        return ask


def test_twenty_instances_no_two_equal_in_any_randomness_source(probe: Path) -> None:
    host = Instances(probe)
    seen: dict[str, set[str]] = {s: set() for s in SOURCES}
    for _ in range(20):
        inst = host.new()
        for s in SOURCES:
            seen[s].add(inst(s))
        assert inst("crypto-rand") not in seen["crypto-rand"]  # crypto/rand is per call, too
    for s in SOURCES:
        assert len(seen[s]) == 20, (s, sorted(seen[s]))


def test_clocks_timers_and_goroutines_from_init(probe: Path) -> None:
    host = Instances(probe)
    for _ in range(5):
        inst = host.new()
        since = int(inst("since-init"))
        assert 0 <= since < 5_000_000_000  # never negative: the monotonic clock continues from the snapshot
        wall = int(inst("wall"))
        assert abs(wall - time.time_ns()) < 5_000_000_000  # the host's wall clock, not the build's
        assert int(inst("since-init")) >= since
        assert inst("timers") == "true true true"  # AfterFunc, a ticker and a goroutine from init()
        assert inst("init-map") == "1000"  # a map built in init() still finds every key


def test_environment_arguments_and_files_are_the_instance_s(probe: Path, tmp_path: Path) -> None:
    (tmp_path / "hello.txt").write_text("from the instance\n")
    host = Instances(probe)
    a = host.new(env={"PROBE": "one", "X": "1"}, argv=("probe", "--flag"), data=tmp_path)
    b = host.new(env={"PROBE": "two"})
    # init() ran with an empty environment: initEnv is "" in both; the export sees each instance's own.
    assert a("env") == '"one" "" ["probe" "--flag"] 2'
    assert b("env") == '"two" "" ["probe"] 1'
    assert a("file") == "from the instance\n"
    assert b("file").startswith("error: ")
    assert a("nonce") == NONCE


def test_no_byte_of_the_build_environment_in_the_component(probe: Path) -> None:
    data = probe.read_bytes()
    for needle in (SECRET.encode(), SECRET.encode("utf-16-le"), bytes.fromhex(SECRET)):
        assert needle not in data
    assert NONCE.encode() in data  # the search works: a string the build did put in is found


def _reactor(tmp_path: Path, init_body: str, imports: str = "", wit_import: str = "") -> tuple[Path, Path]:
    (tmp_path / "go.mod").write_text("module refused\n\ngo 1.24\n")
    (tmp_path / "w.wit").write_text(f"package x:refused;\n\nworld refused {{\n{wit_import}  export size: func() -> u32;\n}}\n")
    (tmp_path / "main.go").write_text(f"package main\n\nimport (\n{imports})\n\nvar n int\n\nfunc init() {{\n{init_body}\n}}\n\n"
                                      "// Size implements the WIT export size.\nfunc Size() uint32 { return uint32(n) }\n\nfunc main() {}\n")
    r = run_cli("bindgen", "--wit", str(tmp_path / "w.wit"), "--world", "refused", "-o", str(tmp_path))
    assert r.returncode == 0, r.stderr
    return tmp_path, tmp_path / "w.wit"


@pytest.mark.parametrize(("imports", "body", "wit_import", "expect"), [
    ('\t"os"\n', '\tb, _ := os.ReadFile("/etc/app.conf")\n\tn = len(b)', "", "init() in main.init.0 calls path_open (opens or inspects a file)"),
    ('\t"io"\n\t"os"\n', "\tb, _ := io.ReadAll(os.Stdin)\n\tn = len(b)", "", "init() in main.init.0 calls fd_read (reads stdin or a file)"),
    ("", '\tn = len(Fetch("http://example.com/"))', "  import fetch: func(url: string) -> string;\n",
     "calls the host import $root.fetch (an outbound request or host call)"),
    ('\t"os"\n', "\tos.Exit(3)", "", "calls proc_exit (exits"),
])
def test_init_that_needs_the_host_is_refused_in_one_line(tmp_path: Path, imports: str, body: str, wit_import: str, expect: str) -> None:
    source_or_skip()
    pkg, wit = _reactor(tmp_path, body, imports, wit_import)
    out = tmp_path / "o.wasm"
    line = _error_line(run_cli("componentize", str(pkg), "--wit", str(wit), "--world", "refused", "--preinit", "-o", str(out)))
    assert expect in line and "which a snapshot cannot keep" in line, line
    assert not out.exists()


def test_preinit_is_for_reactors(tmp_path: Path) -> None:
    source_or_skip()
    line = _error_line(run_cli("componentize", str(ROOT / "examples" / "hello"), "--preinit", "-o", str(tmp_path / "o.wasm")))
    assert "--preinit is for reactors" in line
