"""`validate --stress N`: seeded generated programs, run like corpus programs.

Each seed picks a reactor or a command and a mix of what has broken Go components: GC pressure
(and `runtime.GC()`) inside `cabi_realloc`, goroutines that print while it waits, sleeps and a
ticker goroutine (timers inside and outside the host's argument lowering), clock invariants,
`crypto/rand`, files, and list<string> exports of varied sizes and call patterns. Every expected
value is computed here from the seed, so commands are also checked as native and Preview 1 runs
(the differential oracles) and a failing row names its seed (`stress-<seed>-<kind>`).

The programs' sources are Jinja2 templates in `templates/stress/` (found through
`Config.templates_dir`); this module keeps only the seed's random choices, which are the
templates' context, and the expectations derived from them (case.toml, expected.stdout).
"""

from __future__ import annotations

import functools
import random
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import jinja2

from patcher.core.fsutil import ensure_cache_dir
from patcher.validation.corpus import Case, gen_strings, load_case

GENERATOR = "1"  # bump when the templates change, so old generated programs are not reused
TEMPLATES = "stress"  # the sub-directory of Config.templates_dir


def fnv_sum(strings: list[str]) -> int:
    total = 0
    for s in strings:
        h = 2166136261
        for c in s.encode():
            h = ((h ^ c) * 16777619) & 0xFFFFFFFF
        total = (total + h) & 0xFFFFFFFF
    return total


@dataclass(frozen=True)
class ReactorChoices:
    """A reactor seed's choices (templates/stress/reactor.go.j2); an `*_every` of 0 means never."""

    seed: int
    gc_every: int  # runtime.GC() every N cabi_realloc calls
    print_every: int  # a goroutine prints `alloc N` while cabi_realloc waits for it
    rand_every: int  # a goroutine reads crypto/rand while cabi_realloc waits
    sleep_every: int  # cabi_realloc sleeps sleep_ms
    sleep_ms: int
    garbage: int  # bytes of garbage per cabi_realloc call
    ticker: str  # "true" or "false" (the Go literal): a goroutine checks the monotonic clock every millisecond

    @classmethod
    def draw(cls, seed: int, rng: random.Random) -> ReactorChoices:
        return cls(
            seed=seed,
            gc_every=rng.choice([0, 0, 97, 500, 2000]),
            print_every=rng.choice([0, 50, 333, 1000]),
            rand_every=rng.choice([0, 0, 211, 1500]),
            sleep_every=rng.choice([0, 0, 401, 2500]),
            sleep_ms=rng.choice([1, 5, 20]),
            garbage=rng.choice([0, 64, 1024, 16384]),
            ticker="true" if rng.random() < 0.5 else "false",
        )


@dataclass(frozen=True)
class CommandChoices:
    """A command seed's choices (templates/stress/command.go.j2)."""

    seed: int
    workers: int  # goroutines that answer each round after sleep_ms
    rounds: int
    files: int  # files written to, then read back from, the preopened directory
    file_size: int
    garbage: int  # 4 KiB allocations per round
    gc_every: int  # runtime.GC() every N rounds (0: never)
    sleep_ms: int
    rand_reads: int  # 32-byte crypto/rand reads, all of which must differ

    @classmethod
    def draw(cls, seed: int, rng: random.Random) -> CommandChoices:
        return cls(seed=seed, workers=rng.randint(1, 6), rounds=rng.randint(1, 40), files=rng.randint(0, 60), file_size=rng.randint(1, 20000),
                   garbage=rng.choice([0, 16, 256]), gc_every=rng.choice([0, 3, 10]), sleep_ms=rng.choice([0, 1, 3]), rand_reads=rng.randint(0, 20))


@functools.cache
def _environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir / TEMPLATES)), undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True, trim_blocks=True, autoescape=False)


def render(templates_dir: Path, template: str, **context: object) -> str:
    """templates/stress/`template` with `context` (a missing name is an error, never an empty string)."""
    return _environment(templates_dir).get_template(template).render(**context)


def _reactor(c: ReactorChoices, rng: random.Random, d: Path, templates_dir: Path) -> None:
    (d / "main.go").write_text(render(templates_dir, "reactor.go.j2", **asdict(c)))
    (d / "world.wit").write_text(render(templates_dir, "world.wit.j2"))
    gogc = rng.choice([5, 10, 50, 100])
    lines = [f'summary = "generated reactor, seed {c.seed}: {asdict(c)}"', 'kind = "reactor"', 'realloc = "naive"',
             'world = "stress:gen/gen"', "timeout_s = 300", 'stdout = "expected.stdout"', f'env = {{ GOGC = "{gogc}" }}', ""]
    allocs, printed = 0, []
    for _ in range(rng.randint(1, 4)):
        count, length, repeat = rng.randint(1, 3000), rng.randint(1, 300), rng.randint(1, 12)
        strings = gen_strings(count, length)
        expect = f"n={count} bytes={count * length} sum={fnv_sum(strings)} ok"
        lines += ["[[call]]", 'func = "ingest"', f'args = [{{ gen = "strings", count = {count}, len = {length} }}]',
                  f'expect = "{expect}"', f"repeat = {repeat}", ""]
        for _ in range(repeat):
            for _ in range(1 + count):  # the list, then one allocation per (non-empty) string
                allocs += 1
                if c.print_every and allocs % c.print_every == 0:
                    printed.append(f"alloc {allocs}\n")
    (d / "case.toml").write_text("\n".join(lines))
    (d / "expected.stdout").write_text("".join(printed))


def _command(c: CommandChoices, d: Path, templates_dir: Path) -> None:
    (d / "main.go").write_text(render(templates_dir, "command.go.j2", **asdict(c)))
    out = []
    for r in range(c.rounds):
        out += [f"worker round {r}\n"] * c.workers
    total = sum((i * 31 + j) % 251 for i in range(c.files) for j in range(c.file_size))
    out.append(f"files={c.files} bytes={c.files * c.file_size} sum={total}\n")
    out.append(f"rand reads={c.rand_reads}\n")
    out.append("clocks ok: true\n")
    (d / "expected.stdout").write_text("".join(out))
    (d / "case.toml").write_text("\n".join([f'summary = "generated command, seed {c.seed}: {asdict(c)}"', 'kind = "command"', 'args = ["/data"]', 'preopen = "/data"',
                                             "timeout_s = 300", 'stdout = "expected.stdout"', ""]))


def generate(seed: int, root: Path, templates_dir: Path) -> Case:
    """The program for `seed` (a directory under `root`), loaded as a corpus case; the Go source
    is rendered from `templates_dir`/stress (Config.templates_dir)."""
    tdir = templates_dir
    rng = random.Random(seed)
    kind = "reactor" if rng.random() < 0.5 else "command"
    d = root / f"stress-{seed:05d}-{kind}"
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    (d / "go.mod").write_text(render(tdir, "go.mod.j2", seed=seed))
    if kind == "reactor":
        _reactor(ReactorChoices.draw(seed, rng), rng, d, tdir)
    else:
        _command(CommandChoices.draw(seed, rng), d, tdir)
    return load_case(d)


def cases(n: int, *, first: int, cache_dir: Path, templates_dir: Path) -> list[Case]:
    root = ensure_cache_dir(cache_dir) / "stress" / f"g{GENERATOR}"
    return [generate(seed, root, templates_dir) for seed in range(first, first + n)]
