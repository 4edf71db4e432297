"""The Go environment patcher hands the go command: the user's, with only the toolchain and target overridden."""

from __future__ import annotations

from pathlib import Path

import pytest

from patcher.golang.gotool import GoToolchain


def test_go_environment_is_passed_through_except_what_selects_the_toolchain(monkeypatch: pytest.MonkeyPatch) -> None:
    user = {"GOFLAGS": "-tags=mytag -mod=mod", "GOWORK": "off", "GOEXPERIMENT": "rangefunc", "GONOPROXY": "corp.example",
            "GOINSECURE": "insecure.example", "GOPRIVATE": "corp.example", "GOWASM": "satconv", "GOOS": "linux", "GOTOOLCHAIN": "go1.99.0",
            "GOROOT": "/elsewhere", "HOME": "/home/u"}
    for k, v in user.items():
        monkeypatch.setenv(k, v)
    go = GoToolchain(exe=Path("/opt/go/bin/go"), goroot=Path("/opt/go"), version="1.26.6")
    env = go.env(GOOS="wasip1", GOARCH="wasm")
    for k in ("GOFLAGS", "GOWORK", "GOEXPERIMENT", "GONOPROXY", "GOINSECURE", "GOPRIVATE", "GOWASM", "HOME"):
        assert env[k] == user[k], k
    assert (env["GOOS"], env["GOARCH"], env["GOROOT"], env["GOTOOLCHAIN"]) == ("wasip1", "wasm", "/opt/go", "local")
    assert go.env()["GOOS"] == "linux"  # nothing asked to override it


@pytest.mark.parametrize("line, stack", [
    ('exec wasmtime run --dir=/ --env PWD="$PWD" --env PATH="$PATH" -W max-wasm-stack=1048576 ${GOWASIRUNTIMEARGS:-} "$1" "${@:2}"', 1 << 20),
    ('exec wasmtime run --dir=/ --env PWD="$PWD" --env PATH="$PATH" -W max-wasm-stack=8388608 ${GOWASIRUNTIMEARGS:-} "$1" "${@:2}"', 8 << 20),
])
def test_the_wasip1_runner_is_read_from_the_gos_own_script(tmp_path: Path, line: str, stack: int) -> None:
    from patcher.golang.gotool import read_wasip1_runner

    script = tmp_path / "lib" / "wasm" / "go_wasip1_wasm_exec"
    script.parent.mkdir(parents=True)
    script.write_text(f'case "$GOWASIRUNTIME" in\n\t"wasmedge")\n\t\texec wasmedge --dir=/ --env FOO="$FOO" "$1"\n\t\t;;\n\t"wasmtime" | "")\n\t\t{line}\n\t\t;;\nesac\n')
    r = read_wasip1_runner(tmp_path)
    assert (r.max_wasm_stack, r.env, r.script) == (stack, ("PWD", "PATH"), script)
    assert read_wasip1_runner(tmp_path / "none").script is None
