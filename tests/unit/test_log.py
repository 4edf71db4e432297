"""Log output: timed steps fold into groups on CI services, and -v streams tools' own output."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from patcher.core import log, proc


@pytest.fixture(autouse=True)
def _reset_log() -> Iterator[None]:
    log.set_quiet(False)
    yield
    log.set_quiet(False)
    log.set_verbose(False)


def test_steps_fold_on_github_actions(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    with log.step("build go adapters"), log.step("inner"):  # CI services do not nest groups: only the outer step folds
        log.info("working")
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "::group::build go adapters"
    assert err[-1] == "::endgroup::"
    assert sum(line.startswith("::group::") for line in err) == 1
    assert any("build go adapters: done in" in line for line in err)


def test_failed_step_still_closes_its_group(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("TF_BUILD", "True")
    with pytest.raises(RuntimeError), log.step("validate"):
        raise RuntimeError("boom")
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "##[group]validate" and err[-1] == "##[endgroup]"
    assert any("validate: failed after" in line for line in err)


def test_no_fold_markers_outside_ci(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for var in ("GITHUB_ACTIONS", "TF_BUILD", "TRAVIS"):
        monkeypatch.delenv(var, raising=False)
    with log.step("apply"):
        pass
    err = capsys.readouterr().err
    assert "group" not in err and "apply: done in" in err


def test_verbose_streams_tool_output_and_still_captures_it(capsys: pytest.CaptureFixture[str]) -> None:
    code = "import sys; print('out line'); print('err line', file=sys.stderr)"
    quiet = proc.run([sys.executable, "-c", code])
    assert (quiet.stdout, quiet.stderr) == ("out line\n", "err line\n")
    assert capsys.readouterr().err == ""
    log.set_verbose(True)
    loud = proc.run([sys.executable, "-c", code])
    assert (loud.returncode, loud.stdout, loud.stderr) == (0, "out line\n", "err line\n")
    err = capsys.readouterr().err
    assert "  | out line" in err and "  | err line" in err and "$ " in err


def test_cli_takes_verbose_flag() -> None:
    from patcher import cli

    args = cli.build_parser().parse_args(["-v", "variants"])
    assert args.verbose is True
