"""The `jco` host: a component run under Node by jco (npm `@bytecodealliance/jco`, its preview2-shim).

A command is `jco run` as users type it, with a prelude (`--jco-import`) that gives the guest the
case's arguments, environment, working directory and preopened directory through the shim's own
setters: by default the shim passes Node's whole environment and preopens nothing. A reactor is
`jco transpile`d once (cached by content) and its calls are made, in one instance and in order,
by a small Node driver that prints each result as JSON. jco has no memory or fuel limit; the time
limit is the process's. Programs with a Python host module cannot run here (`drives`).
"""

from __future__ import annotations

import functools
import json
import re
import tempfile
import time
from pathlib import Path

from patcher.core import hosttools, proc
from patcher.core.fsutil import atomic_dir, ensure_cache_dir, sha256_file
from patcher.run.runner import RunResult
from patcher.run.spec import RunSpec

NAME = "jco"


def drives(case: RunSpec) -> str | None:
    if case.kind == "reactor" and case.host is not None:
        return "jco cannot load the program's Python host module (it defines the world's imports)"
    return None


def _prelude(*, args: list[str], env: dict[str, str], cwd: str | None, preopens: dict[str, str]) -> str:
    """JS run before the component: the shim's arguments, environment, cwd and preopens."""
    return "\n".join([
        "import { _setArgs, _setEnv, _setCwd } from '@bytecodealliance/preview2-shim/cli';",
        "import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';",
        f"_setArgs({json.dumps(args)});",
        f"_setEnv({json.dumps(env)});",
        f"_setCwd({json.dumps(cwd)});",
        f"_setPreopens({json.dumps(preopens)});",
        "",
    ])


def command(path: Path, *, args: list[str], env: dict[str, str], cwd: str | None, preopens: dict[str, str], work: Path, cache_dir: Path) -> list[str]:
    """`jco run` with the prelude written into `work` (jco's output directory, where the shim resolves)."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "patcher-prelude.mjs").write_text(_prelude(args=args, env=env, cwd=cwd, preopens=preopens))
    return [*hosttools.jco(cache_dir), "run", "--jco-dir", str(work), "--jco-import", str(work / "patcher-prelude.mjs"), str(path), *args[1:]]


def _result(code: int | None, out: str, err: str, started: float) -> RunResult:
    if code in (0, 1) and not _js_failure(err):
        return RunResult(ok=True, exit_code=code, stdout=out, stderr=err, seconds=time.monotonic() - started)
    return RunResult(ok=False, exit_code=None, stdout=out, stderr=err, trap=_js_failure(err) or f"node exited {code}", seconds=time.monotonic() - started)


_JS_ERROR = re.compile(r"^(?:Uncaught )?(?:RuntimeError|TypeError|RangeError|Error|WebAssembly\.\w+): .+", re.M)


def _js_failure(stderr: str) -> str | None:
    """A trap or a JS error jco reports (a guest's own exit 1 prints none)."""
    m = _JS_ERROR.search(stderr)
    return m.group(0)[:300] if m else None


def run_component(path: Path, case: RunSpec, *, cache_dir: Path) -> RunResult:
    started = time.monotonic()
    why = drives(case)
    if why is not None:
        return RunResult(ok=False, exit_code=None, stdout="", stderr="", trap=f"not driven: {why}")
    with tempfile.TemporaryDirectory(prefix="patcher-jco-") as t:
        data = Path(t) / "preopen"
        data.mkdir()
        preopens = {case.preopen: str(data)} if case.preopen else {}
        env = dict(case.env)
        stdin = (case.stdin or "").encode()
        deadline = case.timeout_s + 30  # transpiling takes a few seconds on top of the run
        try:
            if case.kind == "command":
                cmd = command(path, args=[case.name, *case.args], env=env, cwd=None, preopens=preopens, work=Path(t) / "jco", cache_dir=cache_dir)
                r = proc.run_bytes(cmd, input=stdin, timeout=deadline, cwd=t)
                return _result(r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace"), started)
            mod = transpiled(path, cache_dir)
            driver = Path(t) / "driver.mjs"
            results_file = Path(t) / "results.jsonl"  # not stdout: the guest's output must stay exactly its own
            driver.write_text(_driver(mod, case, env=env, preopens=preopens, results=results_file))
            # The driver's shim imports must resolve to the component's own shim (one module instance).
            _link_shim(Path(t), cache_dir)
            r = proc.run_bytes([_node(cache_dir), str(driver)], input=stdin, timeout=deadline, cwd=t)
            results = [json.loads(l) for l in results_file.read_text().splitlines()] if results_file.is_file() else []
        except proc.TimeoutExpired:
            return RunResult(ok=False, exit_code=None, stdout="", stderr="", trap=f"timed out after {deadline:.0f}s (the node process)")
    guest, err = r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
    if r.returncode != 0 or _js_failure(err):
        return RunResult(ok=False, exit_code=None, stdout=guest, stderr=err, trap=_js_failure(err) or f"node exited {r.returncode}", seconds=time.monotonic() - started)
    if len(results) < len(case.calls):
        return RunResult(ok=False, exit_code=0, stdout=guest, stderr=err, detail=f"the driver made {len(results)} of {len(case.calls)} calls",
                         seconds=time.monotonic() - started)
    for call, got in zip(case.calls, results, strict=False):
        want = _plain(call.expect)
        if call.has_expect and any(_plain(g) != want for g in got):
            bad = next(g for g in got if _plain(g) != want)
            return RunResult(ok=False, exit_code=0, stdout=guest, stderr=err, detail=f"call {call.func}: got {bad!r:.200}, expected {call.expect!r:.200}",
                             seconds=time.monotonic() - started)
    return RunResult(ok=True, exit_code=0, stdout=guest, stderr=err, seconds=time.monotonic() - started)


def _plain(v: object) -> object:
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, float) and v.is_integer():
        return v  # 5.0 == 5 in Python either way
    return v


def transpiled(path: Path, cache_dir: Path) -> Path:
    """`jco transpile` of the component (cached by content): the directory holding `component.js`,
    with the shim linked where its imports resolve."""
    final = ensure_cache_dir(cache_dir) / "jco" / f"{sha256_file(path)[:32]}-{hosttools.jco_version(cache_dir)}"
    if (final / "component.js").is_file():
        return final
    with atomic_dir(final) as tmp:
        r = proc.run([*hosttools.jco(cache_dir), "transpile", str(path), "--name", "component", "--no-typescript", "-q", "-o", str(tmp)])
        if r.returncode != 0:
            from patcher.core.errors import PatcherError

            raise PatcherError(f"jco transpile {path.name} failed: {(r.stderr.strip() or r.stdout.strip())[-300:]}")
        _link_shim(tmp, cache_dir)
    return final


def _link_shim(d: Path, cache_dir: Path) -> None:
    """`d` as an ES module directory whose `@bytecodealliance/preview2-shim` is jco's own."""
    (d / "package.json").write_text('{"type": "module"}\n')
    (d / "node_modules" / "@bytecodealliance").mkdir(parents=True, exist_ok=True)
    (d / "node_modules" / "@bytecodealliance" / "preview2-shim").symlink_to(_shim_dir(cache_dir), target_is_directory=True)


def _node(cache_dir: Path) -> str:
    argv = hosttools.jco(cache_dir)
    return argv[0] if len(argv) > 1 else "node"


@functools.cache
def _shim_dir(cache_dir: Path) -> Path:
    """The preview2-shim jco itself resolves (`jco run` links the same one)."""
    argv = hosttools.jco(cache_dir)
    script = "console.log(import.meta.resolve('@bytecodealliance/preview2-shim'))"
    jco_js = Path(argv[-1]).resolve()
    r = proc.run([_node(cache_dir), "--input-type=module", "-e", script], cwd=jco_js.parent)
    url = r.stdout.strip()
    if r.returncode != 0 or not url.startswith("file://"):
        from patcher.core.errors import MissingToolError

        raise MissingToolError("cannot find jco's @bytecodealliance/preview2-shim", hint=hosttools.MISSING_JCO_HINT)
    p = Path(url.removeprefix("file://"))
    while p.name != "preview2-shim":
        p = p.parent
    return p


def _camel(name: str) -> str:
    head, *rest = re.split(r"[-]", name)
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def _driver(mod: Path, case: RunSpec, *, env: dict[str, str], preopens: dict[str, str], results: Path) -> str:
    """Node driver: the prelude, then every call in order in one instance, each call's results as a
    JSON line appended to `results`."""
    calls = [{"func": _camel(c.func), "args": list(c.args), "repeat": c.repeat, "idle_ms": int(c.idle_s * 1000)} for c in case.calls]
    return _prelude(args=[case.name], env=env, cwd=None, preopens=preopens) + f"""
import {{ appendFileSync }} from 'node:fs';
const mod = await import({json.dumps((mod / "component.js").as_uri())});
const calls = {json.dumps(calls)};
const big = (k, v) => typeof v === 'bigint' ? Number(v) : (v instanceof Uint8Array ? Array.from(v) : v);
for (const c of calls) {{
  if (c.idle_ms) await new Promise(r => setTimeout(r, c.idle_ms));
  const f = mod[c.func];
  if (typeof f !== 'function') {{ console.error(`Error: component does not export ${{c.func}}`); process.exit(3); }}
  const got = [];
  for (let i = 0; i < c.repeat; i++) got.push(f(...c.args));
  appendFileSync({json.dumps(str(results))}, JSON.stringify(got, big) + '\\n');
}}
"""


def test_command(wasm: Path, argv: list[str], *, cwd: Path, env: dict[str, str], cache_dir: Path, work: Path) -> list[str]:
    """`jco run` of a Go test binary as go_wasip1_wasm_exec runs one: `/` preopened, PWD, the environment."""
    return command(wasm, args=argv, env={**env, "PWD": str(cwd)}, cwd=str(cwd), preopens={"/": "/"}, work=work, cache_dir=cache_dir)


def interactive_command(path: Path, *, argv: list[str], env: list[tuple[str, str]], dirs: list[tuple[str, str]], cache_dir: Path, work: Path) -> list[str]:
    """`patcher run --host jco` of a command: `jco run` with the given environment and preopens."""
    return command(path, args=[path.name, *argv], env=dict(env), cwd=None, preopens={guest: host for host, guest in dirs}, work=work, cache_dir=cache_dir)

