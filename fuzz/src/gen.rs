//! A generator of Lua programs driven by fuzz input bytes (structure-aware fuzzing:
//! random bytes rarely form valid Lua). Each byte picks a production; when the input is
//! used up every choice is 0, which always picks a terminal, so generation ends. Programs
//! are syntactically valid almost always (runtime errors are expected and fine: most
//! statements run under `pcall`). Loops have small constant bounds; the instruction
//! budget stops the rest.

use std::fmt::Write;

/// Source size past which no further statement is started.
const MAX_LEN: usize = 12 * 1024;
const MAX_DEPTH: u32 = 5;

struct Gen<'a> {
    data: &'a [u8],
    pos: usize,
    out: String,
    depth: u32,
    /// Names in scope (locals and parameters), innermost last.
    scope: Vec<String>,
    /// Inside a function with `...`.
    vararg: Vec<bool>,
    fresh: u32,
}

/// The Lua program that `data` describes.
pub fn program(data: &[u8]) -> String {
    let mut g = Gen {
        data,
        pos: 0,
        out: String::new(),
        depth: 0,
        scope: Vec::new(),
        vararg: vec![true],
        fresh: 0,
    };
    g.out.push_str("local a, b, c, d = ");
    for (i, _) in ["a", "b", "c", "d"].iter().enumerate() {
        if i > 0 {
            g.out.push_str(", ");
        }
        g.expr();
    }
    g.out.push('\n');
    g.out
        .push_str("local t = {1, 2, 3, x = 1, [-1] = 'neg', [2^53] = 'big'}\n");
    g.scope.extend(["a", "b", "c", "d", "t"].map(String::from));
    while g.pos < g.data.len() && g.out.len() < MAX_LEN {
        if g.byte().is_multiple_of(4) {
            g.stat();
        } else {
            g.out.push_str("pcall(function(...)\n");
            g.vararg.push(true);
            g.block(3);
            g.vararg.pop();
            g.out.push_str("end, ");
            g.expr();
            g.out.push_str(")\n");
        }
    }
    g.out.push_str("return a, b, c, d, t\n");
    g.out
}

const EDGE_NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "3",
    "10",
    "255",
    "256",
    "-0.0",
    "0.5",
    "1e308",
    "-1e308",
    "5e-324",
    "1/0",
    "-1/0",
    "0/0",
    "math.maxinteger",
    "math.mininteger",
    "math.maxinteger + 1",
    "math.mininteger - 1",
    "0x7fffffffffffffff",
    "0xffffffffffffffff",
    "-9223372036854775808",
    "9223372036854775807",
    "2^53",
    "2^63",
    "-2^63",
    "2^53 + 1",
    "math.pi",
    "math.huge",
    "-math.huge",
    "3.0",
    "-3.5",
    "1e15",
    "0x10p-1",
    "0x.8",
    "127",
    "128",
    "-128",
    "65536",
];

const STRINGS: &[&str] = &[
    "''",
    "'a'",
    "'abc'",
    "'hello world'",
    "'10'",
    "' 0x1F '",
    "'1e2'",
    "'-7'",
    "'nan'",
    "'\\0'",
    "'\\xff\\xfe'",
    "'\\u{10FFFF}'",
    "'\\u{7FFFFFFF}'",
    "'%'",
    "'%d'",
    "'x=%5.2f'",
    "'(%a+)'",
    "'aaa'",
    "'key'",
    "'__index'",
    "'__gc'",
    "'k'",
    "'v'",
    "'kv'",
    "\"\\z   tail\"",
    "[[long\nstring]]",
    "[==[]]==]",
    "'\\65\\066'",
    "'0'",
    "'1'",
];

const PATTERNS: &[&str] = &[
    "'a*'",
    "'(a+)(b?)'",
    "'%d+'",
    "'^%s*(.-)%s*$'",
    "'%f[%w]%w+'",
    "'%b()'",
    "'[%a_][%w_]*'",
    "'(.)%1'",
    "'[^%z]'",
    "'.-'",
    "'()a()'",
    "'%'",
    "'[a'",
    "'(()'",
    "'%g'",
    "'[]]'",
    "'[^]]*'",
    "'a-b'",
    "'%1'",
    "'(a*(.)%w(%s*))'",
    "'[%]]'",
    "'.*.*.*.*b'",
    "'%x%x'",
    "'[\\0-\\255]'",
    "'%p+'",
    "'%u%l*'",
];

const FORMATS: &[&str] = &[
    "'%d'",
    "'%5d'",
    "'%-5d|'",
    "'%x'",
    "'%X'",
    "'%o'",
    "'%c'",
    "'%s'",
    "'%10.3s'",
    "'%q'",
    "'%f'",
    "'%.3f'",
    "'%e'",
    "'%g'",
    "'%.14g'",
    "'%a'",
    "'%A'",
    "'%i'",
    "'%u'",
    "'%%'",
    "'%5.2s'",
    "'%099d'",
    "'%.99f'",
    "'%+d'",
    "'% d'",
    "'%#x'",
    "'%#o'",
    "'%-+#0 12.4g'",
    "'%p'",
    "'%'",
    "'%z'",
    "'%100d'",
    "'%.100f'",
];

const PACK_FORMATS: &[&str] = &[
    "'i4'",
    "'<i8'",
    "'>I2'",
    "'b'",
    "'B'",
    "'h'",
    "'j'",
    "'J'",
    "'T'",
    "'f'",
    "'d'",
    "'n'",
    "'s1'",
    "'s'",
    "'z'",
    "'x'",
    "'Xi4'",
    "'!4 i3'",
    "'i16'",
    "'i17'",
    "'c3'",
    "'<!8 d i1 s2'",
    "'=I3'",
    "'c0'",
];

const BINOPS: &[&str] = &[
    "+", "-", "*", "/", "//", "%", "^", "..", "==", "~=", "<", "<=", ">", ">=", "and", "or", "&",
    "|", "~", "<<", ">>",
];

const METAMETHODS: &[&str] = &[
    "__index",
    "__newindex",
    "__add",
    "__sub",
    "__mul",
    "__div",
    "__mod",
    "__pow",
    "__unm",
    "__idiv",
    "__band",
    "__bor",
    "__bxor",
    "__shl",
    "__shr",
    "__bnot",
    "__concat",
    "__len",
    "__eq",
    "__lt",
    "__le",
    "__call",
    "__tostring",
    "__close",
    "__gc",
    "__mode",
    "__name",
    "__metatable",
    "__pairs",
];

/// Library calls: (function, number of arguments it usually takes).
const LIBCALLS: &[(&str, u8)] = &[
    ("tostring", 1),
    ("tonumber", 1),
    ("tonumber", 2),
    ("type", 1),
    ("select", 2),
    ("rawequal", 2),
    ("rawlen", 1),
    ("rawget", 2),
    ("rawset", 3),
    ("next", 1),
    ("getmetatable", 1),
    ("math.type", 1),
    ("math.tointeger", 1),
    ("math.floor", 1),
    ("math.ceil", 1),
    ("math.abs", 1),
    ("math.fmod", 2),
    ("math.modf", 1),
    ("math.ult", 2),
    ("math.max", 3),
    ("math.min", 2),
    ("math.sqrt", 1),
    ("math.exp", 1),
    ("math.log", 2),
    ("math.random", 2),
    ("math.randomseed", 1),
    ("string.len", 1),
    ("string.sub", 3),
    ("string.upper", 1),
    ("string.reverse", 1),
    ("string.byte", 3),
    ("string.char", 2),
    ("string.rep", 3),
    ("utf8.char", 2),
    ("utf8.len", 3),
    ("utf8.codepoint", 3),
    ("utf8.offset", 3),
    ("table.concat", 3),
    ("table.unpack", 3),
    ("table.pack", 3),
    ("table.insert", 3),
    ("table.remove", 2),
    ("table.move", 5),
    ("coroutine.isyieldable", 0),
    ("coroutine.running", 0),
    ("coroutine.status", 1),
    ("coroutine.close", 1),
    ("collectgarbage", 1),
    ("debug.traceback", 2),
    ("debug.getinfo", 2),
    ("debug.getlocal", 2),
    ("debug.getmetatable", 1),
    ("debug.setmetatable", 2),
    ("debug.getupvalue", 2),
    ("debug.setupvalue", 3),
    ("debug.upvalueid", 2),
    ("load", 1),
    ("error", 2),
    ("assert", 2),
    ("pcall", 2),
    ("xpcall", 3),
    ("ipairs", 1),
    ("pairs", 1),
    ("setmetatable", 2),
    ("string.format", 3),
    ("string.pack", 3),
    ("string.unpack", 3),
    ("string.packsize", 1),
    ("warn", 2),
    ("select", 3),
];

impl Gen<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    /// A choice in `0..n`, 0 once the input is used up.
    fn pick(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n.max(1)
    }

    fn one<'s>(&mut self, list: &[&'s str]) -> &'s str {
        list[self.pick(list.len())]
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.fresh += 1;
        format!("{prefix}{}", self.fresh)
    }

    fn name(&mut self) -> String {
        let i = self.pick(self.scope.len());
        self.scope
            .iter()
            .rev()
            .nth(i)
            .cloned()
            .unwrap_or_else(|| "a".into())
    }

    /// A name that may be assigned (not a `<const>` or `<close>` local).
    fn assignable(&mut self) -> String {
        let n = self.name();
        if n.starts_with('k') {
            "a".into()
        } else {
            n
        }
    }

    fn exhausted(&self) -> bool {
        self.pos >= self.data.len() || self.depth >= MAX_DEPTH || self.out.len() >= MAX_LEN
    }

    fn block(&mut self, max: usize) {
        let mark = self.scope.len();
        let n = 1 + self.pick(max);
        for _ in 0..n {
            if self.out.len() >= MAX_LEN {
                break;
            }
            self.stat();
        }
        self.scope.truncate(mark);
    }

    /// A function body after its `function`: parameters, block, `end`.
    fn funcbody(&mut self) {
        self.depth += 1;
        let mark = self.scope.len();
        let nparams = self.pick(3);
        let vararg = self.pick(2) == 1;
        self.out.push('(');
        for i in 0..nparams {
            let p = self.fresh("p");
            if i > 0 {
                self.out.push_str(", ");
            }
            self.out.push_str(&p);
            self.scope.push(p);
        }
        if vararg {
            self.out.push_str(if nparams > 0 { ", ..." } else { "..." });
        }
        self.out.push_str(")\n");
        self.vararg.push(vararg);
        self.block(4);
        if self.pick(2) == 0 {
            self.out.push_str("return ");
            self.exprlist(3);
            self.out.push('\n');
        }
        self.vararg.pop();
        self.scope.truncate(mark);
        self.out.push_str("end");
        self.depth -= 1;
    }

    fn exprlist(&mut self, max: usize) {
        let n = 1 + self.pick(max);
        for i in 0..n {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.expr();
        }
    }

    fn args(&mut self, n: u8) {
        self.out.push('(');
        let n = usize::from(n) + self.pick(2);
        for i in 0..n {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.expr();
        }
        self.out.push(')');
    }

    fn simple(&mut self) {
        match self.pick(8) {
            0 => {
                let n = self.name();
                self.out.push_str(&n);
            }
            1 | 2 => {
                let s = self.one(EDGE_NUMBERS);
                let _ = write!(self.out, "({s})");
            }
            3 => {
                let s = self.one(STRINGS);
                self.out.push_str(s);
            }
            4 => {
                let s = self.one(&["nil", "true", "false"]);
                self.out.push_str(s);
            }
            5 if *self.vararg.last().unwrap_or(&false) => {
                let s = self.one(&["...", "select('#', ...)", "(...)"]);
                self.out.push_str(s);
            }
            6 => {
                let v = self.byte();
                let _ = write!(self.out, "({})", i64::from(v) - 64);
            }
            _ => {
                let n = self.name();
                self.out.push_str(&n);
            }
        }
    }

    fn expr(&mut self) {
        if self.exhausted() {
            return self.simple();
        }
        self.depth += 1;
        match self.pick(20) {
            0..=4 => self.simple(),
            5 | 6 => {
                self.out.push('(');
                self.expr();
                let op = self.one(BINOPS);
                let _ = write!(self.out, " {op} ");
                self.expr();
                self.out.push(')');
            }
            7 => {
                let op = ["- ", "not ", "# ", "~ "][self.pick(4)];
                self.out.push('(');
                self.out.push_str(op);
                self.expr();
                self.out.push(')');
            }
            8 => {
                // Table constructor.
                self.out.push('{');
                let n = self.pick(5);
                for _ in 0..n {
                    match self.pick(3) {
                        0 => self.expr(),
                        1 => {
                            let k = self.fresh("f");
                            let _ = write!(self.out, "{k} = ");
                            self.expr();
                        }
                        _ => {
                            self.out.push_str("[ ");
                            self.expr();
                            self.out.push_str(" ] = ");
                            self.expr();
                        }
                    }
                    let sep = self.one(&[", ", "; "]);
                    self.out.push_str(sep);
                }
                if self.pick(3) == 0 && *self.vararg.last().unwrap_or(&false) {
                    self.out.push_str("...");
                }
                self.out.push('}');
            }
            9 => {
                self.out.push_str("function");
                self.funcbody();
            }
            10 => {
                // Indexing.
                self.out.push('(');
                self.expr();
                self.out.push_str(")[ ");
                self.expr();
                self.out.push_str(" ]");
            }
            11 | 12 => {
                let (f, n) = LIBCALLS[self.pick(LIBCALLS.len())];
                self.out.push_str(f);
                self.args(n);
            }
            13 => {
                let f = [
                    "string.find",
                    "string.match",
                    "string.gsub",
                    "string.gmatch",
                ][self.pick(4)];
                let _ = write!(self.out, "{f}(");
                self.expr();
                let p = self.one(PATTERNS);
                let _ = write!(self.out, ", {p}");
                if f == "string.gsub" {
                    self.out.push_str(", ");
                    match self.pick(4) {
                        0 => self.out.push_str("'%0%1'"),
                        1 => self.out.push_str("{a = 1, aa = false}"),
                        2 => {
                            self.out.push_str("function");
                            self.funcbody();
                        }
                        _ => self.expr(),
                    }
                }
                if self.pick(2) == 0 {
                    self.out.push_str(", ");
                    self.expr();
                }
                self.out.push(')');
            }
            14 => {
                let f = self.one(FORMATS);
                let _ = write!(self.out, "string.format({f}, ");
                self.expr();
                self.out.push(')');
            }
            15 => {
                let f = self.one(PACK_FORMATS);
                let op = ["string.pack", "string.unpack", "string.packsize"][self.pick(3)];
                let _ = write!(self.out, "{op}({f}");
                if op != "string.packsize" {
                    self.out.push_str(", ");
                    self.expr();
                }
                self.out.push(')');
            }
            16 => {
                // Call of a value, method call.
                self.out.push('(');
                self.expr();
                self.out.push(')');
                if self.pick(2) == 0 {
                    let m = ["len", "sub", "rep", "byte", "upper", "format"][self.pick(6)];
                    let _ = write!(self.out, ":{m}");
                }
                self.args(1);
            }
            17 => {
                // A metatable-carrying object.
                self.out.push_str("setmetatable({}, ");
                self.metatable();
                self.out.push(')');
            }
            18 => {
                // Coroutines.
                let f = ["coroutine.wrap", "coroutine.create"][self.pick(2)];
                let _ = write!(self.out, "{f}(function");
                self.funcbody();
                self.out.push(')');
            }
            _ => {
                let f = ["load", "tostring", "pcall"][self.pick(3)];
                match f {
                    "load" => {
                        self.out.push_str("load('return ' .. tostring(");
                        self.expr();
                        self.out.push_str("))");
                    }
                    _ => {
                        let _ = write!(self.out, "{f}(");
                        self.expr();
                        self.out.push(')');
                    }
                }
            }
        }
        self.depth -= 1;
    }

    fn metatable(&mut self) {
        self.out.push('{');
        let n = 1 + self.pick(4);
        for _ in 0..n {
            let mm = self.one(METAMETHODS);
            let _ = write!(self.out, "{mm} = ");
            match mm {
                "__mode" => {
                    let m = ["'k'", "'v'", "'kv'"][self.pick(3)];
                    self.out.push_str(m);
                }
                "__name" | "__metatable" => self.expr(),
                "__index" | "__newindex" if self.pick(2) == 0 => self.expr(),
                _ => {
                    self.out.push_str("function");
                    self.funcbody();
                }
            }
            self.out.push_str(", ");
        }
        self.out.push('}');
    }

    fn lvalue(&mut self) {
        let n = self.assignable();
        self.out.push_str(&n);
        if self.pick(3) == 0 {
            self.out.push_str("[ ");
            self.expr();
            self.out.push_str(" ]");
        }
    }

    fn stat(&mut self) {
        if self.exhausted() {
            self.lvalue();
            self.out.push_str(" = ");
            self.simple();
            self.out.push('\n');
            return;
        }
        self.depth += 1;
        match self.pick(22) {
            0..=3 => {
                self.lvalue();
                if self.pick(3) == 0 {
                    self.out.push_str(", ");
                    self.lvalue();
                }
                self.out.push_str(" = ");
                self.exprlist(2);
            }
            4 | 5 => {
                let attrib = ["", "", " <const>", " <close>"][self.pick(4)];
                // Names of read-only locals start with `k` (see `assignable`).
                let v = self.fresh(if attrib.is_empty() { "l" } else { "k" });
                let _ = write!(self.out, "local {v}{attrib} = ");
                if attrib == " <close>" && self.pick(2) == 0 {
                    self.out.push_str("setmetatable({}, {__close = function");
                    self.funcbody();
                    self.out.push_str("})");
                } else {
                    self.expr();
                }
                self.scope.push(v);
            }
            6 => {
                let f = self.fresh("fn");
                let _ = write!(self.out, "local function {f}");
                self.scope.push(f);
                self.funcbody();
            }
            7 => {
                self.out.push_str("if ");
                self.expr();
                self.out.push_str(" then\n");
                self.block(3);
                if self.pick(2) == 0 {
                    self.out.push_str("elseif ");
                    self.expr();
                    self.out.push_str(" then\n");
                    self.block(2);
                }
                if self.pick(2) == 0 {
                    self.out.push_str("else\n");
                    self.block(2);
                }
                self.out.push_str("end");
            }
            8 => {
                // Numeric for with edge bounds or steps; a `continue` through goto.
                let i = self.fresh("i");
                let (lo, hi, step) = [
                    ("1", "3", "1"),
                    ("3", "1", "-1"),
                    ("math.maxinteger - 2", "math.maxinteger", "1"),
                    ("math.mininteger + 2", "math.mininteger", "-1"),
                    ("0.5", "2.5", "0.5"),
                    ("1", "0", "1"),
                    ("1", "3", "0"),
                    ("1", "2^53", "2^52"),
                    ("math.mininteger", "math.maxinteger", "math.maxinteger"),
                    ("1", "1/0", "1e300"),
                ][self.pick(10)];
                let label = self.fresh("cont");
                let _ = writeln!(self.out, "for {i} = {lo}, {hi}, {step} do");
                self.scope.push(i);
                self.out.push_str("if ");
                self.expr();
                let _ = writeln!(self.out, " then goto {label} end");
                self.block(3);
                let _ = write!(self.out, "::{label}::\nend");
                self.scope.pop();
            }
            9 => {
                let k = self.fresh("k");
                let v = self.fresh("v");
                let it = ["pairs", "ipairs", "next,"][self.pick(3)];
                if it == "next," {
                    let _ = write!(self.out, "for {k}, {v} in next, ");
                } else {
                    let _ = write!(self.out, "for {k}, {v} in {it}(");
                }
                self.expr();
                self.out
                    .push_str(if it == "next," { " do\n" } else { ") do\n" });
                self.scope.push(k);
                self.scope.push(v);
                self.block(3);
                self.out.push_str("end");
                self.scope.truncate(self.scope.len() - 2);
            }
            10 => {
                let n = self.fresh("n");
                let _ = writeln!(self.out, "local {n} = 0\nwhile {n} < 5 do\n{n} = {n} + 1");
                self.scope.push(n);
                self.block(3);
                if self.pick(3) == 0 {
                    self.out.push_str("if ");
                    self.expr();
                    self.out.push_str(" then break end\n");
                }
                self.out.push_str("end");
            }
            11 => {
                self.out.push_str("repeat\n");
                let mark = self.scope.len();
                let v = self.fresh("r");
                let _ = write!(self.out, "local {v} = ");
                self.expr();
                self.out.push('\n');
                self.scope.push(v.clone());
                self.block(2);
                // The condition sees the body's locals.
                let _ = write!(self.out, "until {v} or true");
                self.scope.truncate(mark);
            }
            12 => {
                self.out.push_str("do\n");
                self.block(3);
                self.out.push_str("end");
            }
            13 => {
                // Forward goto over statements.
                let label = self.fresh("skip");
                let _ = write!(self.out, "do\nif ");
                self.expr();
                let _ = writeln!(self.out, " then goto {label} end");
                self.block(2);
                let _ = write!(self.out, "::{label}::\nend");
            }
            14 => {
                let f = ["pcall", "xpcall"][self.pick(2)];
                let _ = write!(self.out, "{f}(function");
                self.funcbody();
                if f == "xpcall" {
                    self.out.push_str(", ");
                    match self.pick(3) {
                        0 => self.out.push_str("debug.traceback"),
                        1 => self.out.push_str("error"),
                        _ => {
                            self.out.push_str("function");
                            self.funcbody();
                        }
                    }
                }
                self.out.push_str(", ");
                self.exprlist(2);
                self.out.push(')');
            }
            15 => {
                self.out.push_str("error(");
                self.expr();
                if self.pick(2) == 0 {
                    let lvl = self.pick(4);
                    let _ = write!(self.out, ", {lvl}");
                }
                self.out.push(')');
            }
            16 => {
                // table.sort with an odd comparator.
                self.out.push_str("table.sort(");
                match self.pick(3) {
                    0 => self.out.push_str("{5, 3, 8, 1, 9, 2, 7, 3, 3, 0, 11, 4}"),
                    1 => self.out.push_str("{'b', 'a', 'c', 'aa', '', 'z'}"),
                    _ => self.expr(),
                }
                match self.pick(5) {
                    0 => self.out.push_str(", function(x, y) return true end"),
                    1 => self
                        .out
                        .push_str(", function(x, y) return math.random(2) == 1 end"),
                    2 => self.out.push_str(", function(x, y) error(x) end"),
                    3 => {
                        self.out.push_str(", function");
                        self.funcbody();
                    }
                    _ => {}
                }
                self.out.push(')');
            }
            17 => {
                self.lvalue();
                self.out.push_str(" = setmetatable(");
                self.expr();
                self.out.push_str(", ");
                self.metatable();
                self.out.push(')');
            }
            18 => {
                // Resume a coroutine until it is done or fails.
                let co = self.fresh("co");
                let _ = write!(self.out, "local {co} = coroutine.create(function");
                self.funcbody();
                let _ = write!(
                    self.out,
                    ")\nfor _ = 1, 4 do if not coroutine.resume({co}, "
                );
                self.expr();
                let _ = write!(self.out, ") then break end end");
                self.scope.push(co);
            }
            19 => {
                self.out.push_str("coroutine.yield(");
                self.exprlist(2);
                self.out.push(')');
            }
            20 => {
                // `return` must end its block: give it one.
                self.out.push_str("do return ");
                self.exprlist(2);
                self.out.push_str(" end");
            }
            _ => {
                // Expression statements are calls.
                let (f, n) = LIBCALLS[self.pick(LIBCALLS.len())];
                self.out.push_str(f);
                self.args(n);
            }
        }
        self.out.push('\n');
        self.depth -= 1;
    }
}
