"""The stress programs rendered from templates/stress/: the same bytes the generator wrote when
its Go source lived in Python strings, valid Go, and no silently empty template variable."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import jinja2
import pytest

from patcher.core import config
from patcher.validation import stress

# sha256 of every file the generator wrote for three seeds, recorded from the generator before its
# Go source moved into templates (a reactor without the ticker, a command, a reactor with it).
# All 800 seeds 0..799 were compared byte for byte at the move; these keep a reduced form of it.
OLD_GENERATOR_SHA256 = {
    1: {
        "case.toml": "d23b5373e3e7d841f80e5e28ab77931ef233e461eb939cd21debc12466560cbf",
        "expected.stdout": "f0ed03d62542b7b8a00954040f2fbb1b9c845ff2101b11f094d1b35f80e77187",
        "go.mod": "4edece66c87d786258076450ae8cb441db15e1e5cab23de69f9eddf290a49c5c",
        "main.go": "5a8818bf83f2339c0a0ca0b1d354658b286d68e12106f52ae34094227bd4c9e9",
        "world.wit": "4bfe2606c3af7abb05d9267cdf8ae514cdcc23efc8c39771b458639043fcd2c4",
    },
    2: {
        "case.toml": "c6889cd64b05d7652b2a7f4383fbfc9f9d462518eae9975807690adbc2035d66",
        "expected.stdout": "91a686ae40fd7fa15b7c0fc7a49f50c41a3478efc3a12f4765ecddba3ce919a0",
        "go.mod": "1ebea651a339405f0f2647e3fa723f7d3df84dbee90fdaf1154f508e82e8ef46",
        "main.go": "6fe26b5065e6e152722d1984d2664dea77b9d684470b81854aaa19c72d180b22",
    },
    7: {
        "case.toml": "56eedb5723a3153439a0822bc45d988a845bc1af8538be43a03d425e9cac214b",
        "expected.stdout": "c01fbe6b630fb6a1afaf21ad8fa9dd7aad5588826dc09b80c6d3699932bb136a",
        "go.mod": "52cc28f044ea674b0f15a62da4ec5ac0660f96955476e742bb4180173d3b987e",
        "main.go": "2498003627bb6a9712b0067c229b33a5d02a9b288d4a69b09ef872495eff39fe",
        "world.wit": "4bfe2606c3af7abb05d9267cdf8ae514cdcc23efc8c39771b458639043fcd2c4",
    },
}

TEMPLATES = config.load().templates_dir


def _sha256s(d: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir())}


@pytest.mark.parametrize("seed", sorted(OLD_GENERATOR_SHA256))
def test_rendered_files_are_the_old_generators_bytes(tmp_path: Path, seed: int) -> None:
    case = stress.generate(seed, tmp_path, TEMPLATES)
    assert _sha256s(tmp_path / case.name) == OLD_GENERATOR_SHA256[seed]


def _gofmt() -> Path:
    go = shutil.which("go")
    if go is None:
        pytest.skip("go is not on PATH, so gofmt cannot check the rendered Go")
    gofmt = shutil.which("gofmt")
    if gofmt is not None:
        return Path(gofmt)
    goroot = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()
    candidate = Path(goroot) / "bin" / "gofmt"
    if not candidate.is_file():
        pytest.skip(f"go is on PATH but gofmt is neither on PATH nor in {candidate.parent}")
    return candidate


def _collapsed(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def test_rendered_go_is_gofmt_clean(tmp_path: Path) -> None:
    """Commands are exactly gofmt's layout. Reactors parse, and gofmt only realigns them: the
    generator has always padded the second `var (...)` block of reactor.go.j2 to the first one's
    column, and changing that would change every reactor's bytes (and need a GENERATOR bump)."""
    gofmt = _gofmt()
    cases = [stress.generate(seed, tmp_path, TEMPLATES) for seed in range(12)]
    assert {c.kind for c in cases} == {"reactor", "command"}
    for case in cases:
        main = tmp_path / case.name / "main.go"
        r = subprocess.run([str(gofmt), "-e", str(main)], capture_output=True, text=True)
        assert r.returncode == 0, f"{case.name}: {r.stderr}"  # a syntax error: a non-zero status and the errors on stderr
        rendered = main.read_text()
        if case.kind == "command":
            assert r.stdout == rendered, f"{case.name}: not in gofmt's layout"
        else:
            assert _collapsed(r.stdout) == _collapsed(rendered), f"{case.name}: gofmt changed more than whitespace"


def test_every_choice_reaches_the_template_and_none_may_be_missing(tmp_path: Path) -> None:
    templates = config.load().templates_dir
    case = stress.generate(7, tmp_path, TEMPLATES)
    assert case.kind == "reactor"
    main = (tmp_path / case.name / "main.go").read_text()
    assert "{{" not in main and "{#" not in main
    assert "\tticker     = true\n" in main  # seed 7 draws the ticker
    with pytest.raises(jinja2.UndefinedError):  # StrictUndefined: a forgotten choice fails, never renders as ""
        stress.render(templates, "reactor.go.j2", seed=7)
    with pytest.raises(jinja2.UndefinedError):
        stress.render(templates, "command.go.j2", seed=2)
