"""Render the Go bindings file for one world with the Jinja2 template templates/bindgen/bindings.go.j2."""

from __future__ import annotations

from pathlib import Path

import jinja2

from patcher.bindgen import abi, model
from patcher.bindgen.golower import CORE_GO, Emitter, Lowering, case_field, tag_type
from patcher.bindgen.model import Function, Type
from patcher.bindgen.naming import Names, camel, lower_camel
from patcher.errors import UsageError
from patcher.fsutil import write_atomic

TEMPLATE = "bindings.go.j2"
RESERVED = ("Option", "Result", "Some", "None", "Ok", "Err", "BindgenOutstanding")


def _uint_for(nbytes: int) -> str:
    return {0: "uint8", 1: "uint8", 2: "uint16", 4: "uint32"}[nbytes]


def declare(names: Names, t: Type) -> str:
    """The Go declaration of a named WIT type."""
    go = names.go_type(t)
    doc = f"// {go} is WIT {t.kind} {t.name}" + (f" (from {t.owner})" if t.owner else "") + ".\n"
    if t.kind == "record":
        fields = "".join(f"\t{camel(n)} {names.go_type(ft)}\n" for n, ft in t.fields)
        return f"{doc}type {go} struct {{\n{fields}}}\n"
    if t.kind == "enum":
        consts = "".join(f"\t{go}{camel(n)}" + (f" {go} = iota" if i == 0 else "") + "\n" for i, (n, _) in enumerate(t.cases))
        return f"{doc}type {go} {_uint_for(abi.disc_size(len(t.cases)))}\n\nconst (\n{consts})\n"
    if t.kind == "flags":
        consts = "".join(f"\t{go}{camel(n)}" + (f" {go} = 1 << iota" if i == 0 else "") + "\n" for i, n in enumerate(t.flags))
        body = f"\nconst (\n{consts})\n" if t.flags else ""
        return f"{doc}type {go} {_uint_for(abi.flags_size(len(t.flags)))}\n{body}"
    if t.kind == "variant":
        tag = tag_type(names, t)
        consts = "".join(f"\t{go}{camel(n)}" + (f" {tag} = iota" if i == 0 else "") + "\n" for i, (n, _) in enumerate(t.cases))
        fields = "".join(f"\t{case_field(n)} {names.go_type(c)}\n" for n, c in t.cases if c is not None)
        return (f"// {tag} says which case of {go} is set.\ntype {tag} {_uint_for(abi.disc_size(len(t.cases)))}\n\n"
                f"const (\n{consts})\n\n{doc}type {go} struct {{\n\tTag {tag}\n{fields}}}\n")
    target = names.go_type_expr(t)
    if target == go:
        return ""  # a `use` of a type under the same Go name
    return f"{doc}type {go} = {target}\n"


def _params_sig(names: Names, f: Function) -> str:
    return ", ".join(f"{lower_camel(p.name)} {names.go_type(p.type)}" for p in f.params)


def _result_sig(names: Names, f: Function) -> str:
    return f" {names.go_type(f.result)}" if f.result is not None else ""


def _params_type(f: Function) -> Type:
    return Type("tuple", items=[p.type for p in f.params])


def export_code(low: Lowering, f: Function, go_name: str, export_name: str) -> tuple[str, int]:
    """The //go:wasmexport function (and cabi_post_*) for one export, and the return-area bytes it needs."""
    names = low.names
    em = Emitter()
    flat_params = [c for p in f.params for c in abi.flat(p.type)]
    if len(flat_params) > abi.MAX_FLAT_PARAMS:
        sig = "args uint32"
        args = [low.load(em, p.type, f"args+{o}") for p, o in zip(f.params, abi.sum_offsets([p.type for p in f.params])[0])]
    else:
        sig = ", ".join(f"a{i} {CORE_GO[c]}" for i, c in enumerate(flat_params))
        vals = [(f"a{i}", c) for i, c in enumerate(flat_params)]
        args = [low.lift_flat(em, p.type, vals) for p in f.params]
    arg_vars = []
    for x in args:
        v = em.tmp("arg")
        em.line(f"{v} := {x}")
        arg_vars.append(v)
    em.line("cabiReleaseHost() // the arguments are copied into Go values")
    call = f"{go_name}({', '.join(arg_vars)})"
    ret_area, result_sig, post = 0, "", ""
    if f.result is None:
        em.line(call)
    else:
        em.line(f"r := {call}")
        em.line("_ = r")
        flat_results = abi.flat(f.result)
        if len(flat_results) > abi.MAX_FLAT_RESULTS:
            ret_area = abi.size(f.result)
            em.line("ret := cabiRetArea()")
            low.store(em, f.result, "ret", "r", "&cabiKeep")
            em.line("return ret")
            result_sig, post_sig = " uint32", "uint32"
        else:
            out = low.lower_flat(em, f.result, "r", "&cabiKeep")
            core = flat_results[0] if flat_results else None
            if core:
                em.line(f"return {out[0][0]}")
            result_sig = f" {CORE_GO[core]}" if core else ""
            post_sig = CORE_GO[core] if core else ""
        post = (f"//go:wasmexport cabi_post_{export_name}\nfunc cabiPost{go_name}({'_ ' + post_sig if post_sig else ''}) {{\n"
                f"\tcabiReleaseKeep()\n}}\n")
    check = f"var _ func({_params_sig(names, f)}){_result_sig(names, f)} = {go_name} // implement WIT export {f.wit_path}\n"
    code = (f"{check}\n//go:wasmexport {export_name}\nfunc cabiExport{go_name}({sig}){result_sig} {{\n{em.text()}\n}}\n"
            + (f"\n{post}" if post else ""))
    return code, ret_area


def import_code(low: Lowering, f: Function, go_name: str, module: str) -> str:
    """A Go function over //go:wasmimport that lowers the arguments and lifts the result."""
    names = low.names
    em = Emitter()
    em.line("var keep []any")
    flat_params = [c for p in f.params for c in abi.flat(p.type)]
    pnames = [lower_camel(p.name) for p in f.params]
    if len(flat_params) > abi.MAX_FLAT_PARAMS:
        pt = _params_type(f)
        em.line(f"args := cabiAlloc({abi.size(pt)}, &keep)")
        for p, o, n in zip(f.params, abi.sum_offsets(pt.items)[0], pnames):
            low.store(em, p.type, f"args+{o}", n, "&keep")
        core_params, call_args = ["uint32"], ["args"]
    else:
        vals = []
        for p, n in zip(f.params, pnames):
            vals += low.lower_flat(em, p.type, n, "&keep")
        core_params = [CORE_GO[c] for c in flat_params]
        call_args = [x for x, _ in vals]
    flat_results = abi.flat(f.result) if f.result is not None else []
    result_core = ""
    if len(flat_results) > abi.MAX_FLAT_RESULTS:
        em.line(f"ret := cabiAlloc({abi.size(f.result)}, &keep)")
        core_params.append("uint32")
        call_args.append("ret")
    elif flat_results:
        result_core = CORE_GO[flat_results[0]]
    call = f"cabiImport{go_name}({', '.join(call_args)})"
    if result_core:
        em.line(f"r0 := {call}")
    else:
        em.line(call)
    em.line("runtime.KeepAlive(keep)")
    if f.result is not None:
        if len(flat_results) > abi.MAX_FLAT_RESULTS:
            x = low.load(em, f.result, "ret")
        else:
            x = low.lift_flat(em, f.result, [("r0", flat_results[0])] if flat_results else [])
        em.line(f"result := {x}")
        em.line("cabiReleaseHost() // host-allocated parts of the result are copied")
        em.line("return result")
    decl = ", ".join(f"p{i} {c}" for i, c in enumerate(core_params))
    return (f"//go:wasmimport {module} {f.name}\nfunc cabiImport{go_name}({decl}){' ' + result_core if result_core else ''}\n\n"
            f"// {go_name} calls the host's WIT import {f.wit_path}.\nfunc {go_name}({_params_sig(names, f)}){_result_sig(names, f)} {{\n"
            f"{em.text()}\n}}\n")


def _max_tuple(types: list[Type], funcs: list[Function]) -> int:
    seen, n = set(), 0

    def walk(t: Type | None):
        nonlocal n
        if t is None or id(t) in seen:
            return
        seen.add(id(t))
        if t.kind == "tuple":
            n = max(n, len(t.items))
        for x in t.items + [ft for _, ft in t.fields] + [c for _, c in t.cases]:
            walk(x)

    for t in types:
        walk(t)
    for f in funcs:
        for p in f.params:
            walk(p.type)
        walk(f.result)
    return n


def render(w: model.World, *, package: str, source: str, templates_dir: Path) -> str:
    names = Names(w.types)
    low = Lowering(names)
    decls = [d for t in w.types if (d := declare(names, t))]
    seen: dict[str, str] = {t: f"WIT type {t}" for t in names.type_names.values()}
    seen.update({n: "the bindings' helper " + n for n in RESERVED})
    exports, imports, ret_area = [], [], 0
    for f in sorted(w.functions, key=lambda f: f.direction != "export"):
        go_name = names.func_name(f)
        if go_name in seen and f.direction == "import" and seen[go_name].startswith("WIT export"):
            go_name = "Imported" + go_name  # an interface both imported and exported
        if go_name in seen:
            raise UsageError(f"WIT {f.direction} {f.wit_path} and {seen[go_name]} both map to Go name {go_name}", hint="rename one in the WIT")
        seen[go_name] = f"WIT {f.direction} {f.wit_path}"
        if f.direction == "export":
            code, area = export_code(low, f, go_name, f.wit_path)
            exports.append(code)
            ret_area = max(ret_area, area)
        else:
            imports.append(import_code(low, f, go_name, f.interface or "$root"))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir)), keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    return env.get_template(TEMPLATE).render(
        package=package, source=source, world=w.name, decls=decls, exports=exports, imports=imports,
        helpers=[code for _, _, code in low.helpers.values()], ret_words=max(1, (ret_area + 7) // 8),
        max_tuple=_max_tuple(w.types, w.functions))


def output_file(out_dir: Path, world: str) -> Path:
    return out_dir / f"{world.replace('-', '_')}_bindings.go"


def generate(wit: Path, world: str, out_dir: Path, *, package: str = "main", templates_dir: Path) -> Path:
    """Write DIR/<world>_bindings.go; returns its path."""
    if not package.isidentifier():
        raise UsageError(f"--package {package!r} is not a Go package name")
    w = model.load(wit, world)
    text = render(w, package=package, source=wit.name, templates_dir=templates_dir / "bindgen")
    out = output_file(out_dir, world)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(out, text.encode())
    return out
