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
