#!/usr/bin/env python3
"""Writes the `linux.*` constant modules for the kernel whose headers are in KDIR.

    autogen.py --kdir KDIR --specs tools/autogen/specs --out build/autogen/<release>
               --work build/autogen-kbuild/<release>

Names come from the kernel's own preprocessor: each header is preprocessed with `-dD` by a
kbuild single-target build (`make -C KDIR M=work names_X.i`), so the CONFIG options, include
paths and flags are exactly those of the module build. Values come from the compiler: a file of
asm-offsets style lines (`asm("->N %0" :: "i" (NAME))`) is built to assembly by kbuild and the
numbers are read back, so no value is ever written by hand or computed here.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

LUA_KEYWORDS = set(
    "and break do else elseif end false for function global goto if in local nil not or "
    "repeat return then true until while".split()
)
# `#define NAME value`, object-like (a function-like macro has "(" right after its name).
DEFINE = re.compile(r"#define ([A-Za-z_]\w*)(?:[ \t]+(.*))?$")
UNDEF = re.compile(r"#undef ([A-Za-z_]\w*)")
LINEMARKER = re.compile(r'# \d+ "(.*)"')
NUMBER = re.compile(r"\b0[xX][0-9a-fA-F]+[uUlL]*\b|\b\d+[uUlL]*\b")
ENUM_BODY = re.compile(r"\benum\b\s*(?:\w+\s*)?\{([^{}]*)\}")
# An immediate in the assembly: `$` on x86, `#` on arm64.
MARKER = re.compile(r'\.ascii\s+"->(\d+) [$#]?(-?\d+)"')
ERROR_LINE = re.compile(r"values_(\w+)\.c:(\d+):(?:\d+:)? (error|note)")


class SpecError(Exception):
    pass


class Layout(dict):
    """A struct layout, `{size = N, fields = {...}}` in Lua; a dict of constants is a table."""


class Spec:
    """One line of the spec file: a constant spec (prefix) or a struct spec (struct)."""

    def __init__(self, tokens, lineno):
        self.lineno = lineno
        self.target = tokens[0].split(".")
        self.prefix = self.struct = None
        self.options = {"include": [], "exclude": [], "fields": []}
        if len(tokens) >= 4 and tokens[1] == "struct":
            self.struct, self.header, rest = tokens[2], tokens[3], tokens[4:]
        elif len(tokens) >= 3:
            self.prefix, self.header, rest = tokens[1], tokens[2], tokens[3:]
        else:
            raise SpecError(f"line {lineno}: want 'target PREFIX header' or "
                            "'target struct name header'")
        for opt in rest:
            key, _, values = opt.partition("=")
            if key not in self.options or not values:
                raise SpecError(f"line {lineno}: unknown option '{opt}'")
            self.options[key] += [v for v in values.split(",") if v]
        if self.struct and not self.options["fields"]:
            raise SpecError(f"line {lineno}: struct {self.struct} lists no fields=")

    def wants(self, name):
        """Whether the constant `name` belongs to this spec."""
        if not name.startswith(self.prefix):
            return False
        if any(name.startswith(p) for p in self.options["exclude"]):
            return False
        include = self.options["include"]
        return not include or name[len(self.prefix):] in include


def read_specs(path):
    """Parses the spec file: `#` comments, and lines starting with blanks continue the last."""
    entries = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            text = line.split("#", 1)[0]
            if not text.strip():
                continue
            if text[0] in " \t" and entries:
                entries[-1][1].extend(text.split())
            else:
                entries.append((lineno, text.split()))
    return [Spec(tokens, lineno) for lineno, tokens in entries]


def stem(header):
    return re.sub(r"\W", "_", header)


def kbuild(kdir, work, targets, keep_going=False):
    """Builds single targets in the external-module directory `work`; returns (ok, output)."""
    # The calling make's command-line variables (KDIR=, KERNEL=, ...) must not reach kbuild.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    cmd = ["make", "-C", kdir, f"M={os.path.abspath(work)}"] + (["-k"] if keep_going else [])
    cmd += targets
    run = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return run.returncode == 0, run.stdout


def is_integer_expression(value):
    """C Lunatik's rule: an integer expression has no lower-case letter outside its number
    literals (so casts, `sizeof` and function calls drop out) and no string or float."""
    if not value or any(c in value for c in "\"'.{;"):
        return False
    return not re.search(r"[a-z]", NUMBER.sub("0", value))


def names_in(path):
    """The object-like integer macros and the enum members a preprocessed file defines."""
    macros, code, source = {}, [], ""
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            marker = LINEMARKER.match(line)
            if marker:
                source = marker.group(1)
            elif line.startswith("#define "):
                m = DEFINE.match(line)
                builtin = source.startswith("<")
                if m and not builtin and is_integer_expression((m.group(2) or "").strip()):
                    macros[m.group(1)] = True
                elif m:
                    macros.pop(m.group(1), None)
            elif line.startswith("#undef "):
                m = UNDEF.match(line)
                if m:
                    macros.pop(m.group(1), None)
            elif not line.startswith("#"):
                code.append(line)
    enums = []
    for body in ENUM_BODY.findall("\n".join(code)):
        for member in split_top_level(body):
            m = re.match(r"\s*([A-Za-z_]\w*)", member)
            if m:
                enums.append(m.group(1))
    return list(macros) + enums


def split_top_level(body):
    """Splits an enum body at the commas outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(body):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if c == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts


class Probe:
    """The numbered values one header's values file asks the compiler for."""

    def __init__(self, header):
        self.header = header
        self.exprs = {}  # id -> (C expression, constant name or None for a struct fact)
        self.line_of = {}  # line of the values file -> id

    def add(self, expr, name):
        n = len(self.exprs)
        self.exprs[n] = (expr, name)
        return n

    def source(self):
        lines = [f"#include <{self.header}>", ""]
        self.line_of = {}
        for n, (expr, _) in self.exprs.items():
            self.line_of[len(lines) + 1] = n
            # One function per value: gcc reports an undeclared name once per function. The
            # cast makes gcc print an unsigned int such as 0x80000000 as itself, not negative.
            lines.append(
                f'static void __attribute__((used)) lk_autogen_{n}(void) {{ asm volatile('
                f'"\\n.ascii \\"->{n} %0\\"" : : "i" ((long long)({expr}))); }}'
            )
        return "\n".join(lines) + "\n"

    def drop(self, lines, output):
        """Drops the constants on `lines`, which the compiler rejected; an error anywhere else
        (the header itself, a struct fact) is fatal."""
        ids = [self.line_of.get(line) for line in lines]
        if None in ids or any(self.exprs[n][1] is None for n in ids):
            raise SpecError(f"values for {self.header} do not compile:\n{errors_in(output)}")
        for n in ids:
            del self.exprs[n]


def field_facts(probe, struct, field):
    member = f"((struct {struct} *)0)->{field}"
    return (
        probe.add(f"__builtin_offsetof(struct {struct}, {field})", None),
        probe.add(f"sizeof({member})", None),
        probe.add(f"(__typeof__({member}))-1 < 0", None),
    )


def evaluate(kdir, work, probes):
    """Builds every values file to assembly and reads the numbers back, {stem: {id: value}}.
    A constant the compiler rejects (not a constant expression after all) is dropped and the
    file rebuilt: an undeclared name shows at once, an impossible `asm` constraint only once
    the front end has passed."""
    values, pending = {}, dict(probes)
    for _ in range(4):
        for header, probe in pending.items():
            base = os.path.join(work, f"values_{stem(header)}")
            with open(base + ".c", "w") as f:
                f.write(probe.source())
            if os.path.exists(base + ".s"):
                os.remove(base + ".s")
        _, output = kbuild(kdir, work, [f"values_{stem(h)}.s" for h in pending], keep_going=True)
        failed = {}
        for m in ERROR_LINE.finditer(output):
            failed.setdefault(m.group(1), set()).add(int(m.group(2)))
        for header, probe in list(pending.items()):
            s = stem(header)
            if s in failed:
                probe.drop(failed[s], output)
                continue
            try:
                with open(os.path.join(work, f"values_{s}.s")) as f:
                    values[s] = {int(n): int(v) for n, v in MARKER.findall(f.read())}
            except FileNotFoundError:
                raise SpecError(f"kbuild made no values for {header}:\n{errors_in(output)}")
            del pending[header]
        if not pending:
            return values
    raise SpecError(f"values still failing after retries:\n{errors_in(output)}")


def errors_in(output):
    return "\n".join(line for line in output.splitlines() if "error" in line)


def insert(tree, path, key, value, where):
    table = tree
    for name in path:
        table = table.setdefault(name, {})
        if not isinstance(table, dict):
            raise SpecError(f"{where}: '{name}' is both a constant and a table")
    if key in table and table[key] != value:
        raise SpecError(f"{where}: '{'.'.join(path + [key])}' set twice ({table[key]} and {value})")
    table[key] = value


def lua_key(key):
    if re.fullmatch(r"[A-Za-z_]\w*", key) and key not in LUA_KEYWORDS:
        return key
    return f'["{key}"]'


def lua_layout(layout, indent):
    pad = "\t" * (indent + 1)
    fields = "".join(
        f'{pad}{{name = "{f["name"]}", offset = {f["offset"]}, size = {f["size"]}, '
        f'signed = {"true" if f["signed"] else "false"}}},\n'
        for f in layout["fields"]
    )
    end = "\t" * indent
    return f'{{size = {layout["size"]}, fields = {{\n{fields}{end}}}}}'


def lua_table(table, indent=1):
    pad = "\t" * indent
    consts = sorted((v, k) for k, v in table.items() if isinstance(v, int))
    out = [f"{pad}{lua_key(k)} = {v},\n" for v, k in consts]
    for k in sorted(k for k, v in table.items() if not isinstance(v, int)):
        v = table[k]
        if isinstance(v, Layout):
            out.append(f"{pad}{lua_key(k)} = {lua_layout(v, indent)},\n")
        else:
            out.append(f"{pad}{lua_key(k)} = {{\n{lua_table(v, indent + 1)}{pad}}},\n")
    return "".join(out)


def layout_of(spec, facts, values):
    fields = []
    for name, (off, size, signed) in zip(spec.options["fields"], facts["fields"]):
        fields.append({"name": name, "offset": values[off], "size": values[size],
                       "signed": values[signed] == 1})
    fields.sort(key=lambda f: f["offset"])
    total = values[facts["size"]]
    end = 0
    for f in fields:
        if f["offset"] < end or f["offset"] + f["size"] > total:
            raise SpecError(f"line {spec.lineno}: struct {spec.struct}: field {f['name']} "
                            "overlaps another or the end (a union?)")
        end = f["offset"] + f["size"]
    return Layout(size=total, fields=fields)


def generate(kdir, specs, work):
    """Returns ({module: tree}, number of constants dropped by the compiler)."""
    headers = list(dict.fromkeys(s.header for s in specs))
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "Kbuild"), "w") as f:
        f.write("# Generated by tools/autogen/autogen.py: preprocess the names files with -dD.\n")
        for h in headers:
            f.write(f"CFLAGS_names_{stem(h)}.o := -dD\n")
    for h in headers:
        with open(os.path.join(work, f"names_{stem(h)}.c"), "w") as f:
            f.write(f"#include <{h}>\n")
    ok, output = kbuild(kdir, work, [f"names_{stem(h)}.i" for h in headers])
    if not ok:
        raise SpecError(f"preprocessing failed:\n{errors_in(output)}")
    names = {h: names_in(os.path.join(work, f"names_{stem(h)}.i")) for h in headers}

    probes = {h: Probe(h) for h in headers}
    wanted = []  # (spec, [(key, id)]) or (spec, struct facts)
    for spec in specs:
        probe = probes[spec.header]
        if spec.struct:
            facts = {"size": probe.add(f"sizeof(struct {spec.struct})", None),
                     "fields": [field_facts(probe, spec.struct, f) for f in spec.options["fields"]]}
            wanted.append((spec, facts))
        else:
            picked = [n for n in dict.fromkeys(names[spec.header]) if spec.wants(n)]
            missing = set(spec.options["include"]) - {n[len(spec.prefix):] for n in picked}
            if missing:  # newer names, or a typo in the specs
                names = ",".join(sorted(missing))
                print(f"autogen: note: line {spec.lineno}: no {spec.prefix}{{{names}}} in "
                      f"{spec.header}", file=sys.stderr)
            wanted.append((spec, [(n[len(spec.prefix):], probe.add(n, n)) for n in picked]))
    values = evaluate(kdir, work, probes)

    modules, dropped = {}, 0
    for spec, facts in wanted:
        got = values[stem(spec.header)]
        where = f"line {spec.lineno}"
        top, path = spec.target[0], spec.target[1:]
        if spec.struct:
            insert(modules, [top] + path[:-1], path[-1], layout_of(spec, facts, got), where)
            continue
        modules.setdefault(top, {})
        for key, n in facts:
            if n in got:
                insert(modules, [top] + path, key, got[n], where)
            else:
                dropped += 1
    return modules, dropped


def sources_comment(specs, top):
    lines = []
    for s in specs:
        if s.target[0] == top:
            what = f"struct {s.struct}" if s.struct else f"{s.prefix}*"
            lines.append(f"-- {'.'.join(s.target)}: {what} from {s.header}\n")
    return "".join(lines)


def write_tree(out, release, specs, modules):
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.join(tmp, "linux"))
    os.makedirs(os.path.join(tmp, "lunatik"))
    head = ("-- Generated by tools/autogen from the kernel headers; do not edit.\n"
            f"-- kernel: {release}\n")
    for top, tree in modules.items():
        with open(os.path.join(tmp, "linux", f"{top}.lua"), "w") as f:
            f.write(f"-- linux.{top}\n{head}{sources_comment(specs, top)}"
                    f"return {{\n{lua_table(tree)}}}\n")
    with open(os.path.join(tmp, "lunatik", "config.lua"), "w") as f:
        # lunatik-rs has one kernel module, lunatik.ko, holding every binding.
        f.write(f'-- lunatik.config\n{head}return {{\n\tkernel_version = "{release}",\n'
                '\tmodules = {"lunatik"},\n}\n')
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)


def kernel_release(kdir):
    """The release `uname -r` reports on that kernel: UTS_RELEASE, which on Debian 6.1 is
    not include/config/kernel.release (6.1.0-N-amd64 against 6.1.M)."""
    with open(os.path.join(kdir, "include/generated/utsrelease.h")) as f:
        m = re.search(r'UTS_RELEASE "([^"]+)"', f.read())
    if not m:
        raise SpecError(f"no UTS_RELEASE in {kdir}/include/generated/utsrelease.h")
    return m.group(1)


def count_constants(tree):
    return sum(1 if isinstance(v, int) else count_constants(v) for v in tree.values()
               if not isinstance(v, Layout))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kdir", required=True)
    ap.add_argument("--specs", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    try:
        release = kernel_release(args.kdir)
        specs = read_specs(args.specs)
        modules, dropped = generate(args.kdir, specs, args.work)
        write_tree(args.out, release, specs, modules)
    except (SpecError, OSError) as e:
        print(f"autogen: {e}", file=sys.stderr)
        return 1
    print(f"autogen: {release}: {count_constants(modules)} constants in {len(modules)} modules "
          f"in {args.out}; {dropped} names dropped as not constant")
    return 0


if __name__ == "__main__":
    sys.exit(main())
