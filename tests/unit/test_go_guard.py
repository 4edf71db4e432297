"""The go and noalloc adapters refuse modules not built by Go (their stack lives in [0, low_memory_end), from the noalloc patch spec)."""

from __future__ import annotations

from pathlib import Path

import pytest

from patcher.component import compose
from patcher.core import config, wasm
from patcher.core.errors import UsageError
from patcher.patching.project import Project

# A C/Rust-like module: its data starts at 1024, inside the go adapters' static stack.
NON_GO = '(module (memory (export "memory") 1) (data (i32.const 1024) "static") (func (export "_start")))'


def _low_memory_end() -> int:
    """What the build stamps into a go adapter: the noalloc patch spec's bound (patches/noalloc.toml)."""
    end = Project(config.load()).variant("go").low_memory_end
    assert end is not None
    return end


LOW_MEMORY_END = _low_memory_end()


def _adapter(tmp: Path, patches: dict[str, str], low_memory_end: int | None) -> Path:
    """A stand-in adapter with a patcher stamp as the build writes it (`low_memory_end` only when a patch declares one)."""
    low = f"low_memory_end = {low_memory_end}\n" if low_memory_end is not None else ""
    stamp = "variant = 'go'\nkind = 'command'\n" + low + "[patches]\n" + "".join(f"{k} = '{v}'\n" for k, v in patches.items())
    p = tmp / "adapter.wasm"
    p.write_bytes(wasm.add_custom_section(b"\0asm\x01\0\0\0", wasm.PATCHER_SECTION, stamp.encode()))
    return p


def _parse(tmp: Path, wat: str) -> Path:
    out = tmp / "core.wasm"
    out.write_bytes(wasm.wasm_tools("parse", "-", "-o", "/dev/stdout", input=wat.encode()))
    return out


def test_go_adapter_refuses_a_non_go_module(tmp_path: Path) -> None:
    core = _parse(tmp_path, NON_GO)
    out = tmp_path / "c.wasm"
    with pytest.raises(UsageError) as e:
        compose.new_component(core, _adapter(tmp_path, {"noleave": "x", "noalloc": "y"}, LOW_MEMORY_END), out=out)
    line = e.value.one_line()
    assert "is not a Go module" in line and f"[0, {LOW_MEMORY_END})" in line and "\n" not in line
    assert not out.exists()


def test_adapters_without_noalloc_take_any_module(tmp_path: Path) -> None:
    core = _parse(tmp_path, NON_GO)
    compose.check_go_module(core, _adapter(tmp_path, {"noleave": "x"}, None))  # no error
