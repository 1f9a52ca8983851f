//! Parser: Lua 5.5 source to a `Proto` tree in one pass, driving the code generator as
//! it reads (lparser.c's role).
//!
//! The grammar is lparser.c's recursive descent with the recursion made explicit: every
//! construct that nests (blocks, function bodies, table constructors, call arguments,
//! indexes, parentheses, pending operators) pushes a [`Frame`] on a heap stack, and one
//! loop ([`Parser::run`]) goes on in the [`Mode`] the grammar asks for next. Nesting
//! therefore costs heap, not native stack: the kernel stack the parser uses is the same
//! at any depth. Nesting is still counted where lparser.c counts it (statements,
//! subexpressions, pending operators) and bounded at `MAX_LEVELS` by `enter_level`,
//! which also consults the `StackGuard`, so pathological source gets PUC Lua's
//! `C stack overflow` error at the same depth. Errors are a two-byte `Error` with the
//! message kept in the lexer.

use alloc::vec::Vec;

use crate::code::{
    BinOpr, BlockCnt, Code, ExpDesc, ExpKind, FuncState, KValue, UnOpr, VarDesc, VdKind, NO_JUMP,
    NO_NAME,
};
use crate::lex::{push_int, Error, Lexer, SemInfo, StrId, Token};
use crate::opcode::{self, ins, Op};
use crate::proto::{Proto, UpvalDesc, VarKind};
use crate::stack::StackGuard;
use crate::tvec::{AllocError, TryVec};

/// Why a chunk did not compile.
#[derive(Debug, PartialEq, Eq)]
pub enum CompileError {
    /// A syntax error; the full message, e.g. `t.lua:3: 'end' expected near <eof>`.
    Syntax(Vec<u8>),
    /// An allocation failed.
    Memory,
}

/// Compiles a Lua 5.5 chunk.
///
/// `chunkname` is the name given to `load` (`"@file"`, `"=name"` or source text); it
/// becomes the prototype's `source` and names the chunk in messages. `guard` bounds the
/// native stack the parser's recursion may use.
///
/// # Errors
/// `CompileError::Syntax` with PUC Lua's message for malformed source (a binary chunk
/// included), `CompileError::Memory` when an allocation fails.
pub fn compile(source: &[u8], chunkname: &[u8], guard: &StackGuard) -> Result<Proto, CompileError> {
    let lex = Lexer::new(source, chunkname).map_err(|_| CompileError::Memory)?;
    let fs = FuncState::new(chunkname, 0, 0, 0).map_err(|_| CompileError::Memory)?;
    let mut p = Parser {
        lex,
        frames: Vec::new(),
        block_done: false,
        code: Code::new(fs),
        labels: Vec::new(),
        gotos: Vec::new(),
        guard,
        depth: 0,
        env_name: 0,
        break_name: 0,
        global_name: 0,
        chunkname,
    };
    let result = p.main_func();
    if result.is_err() {
        // The finished functions inside the open ones may nest deeply.
        for fs in p.code.outer.iter_mut() {
            crate::proto::drop_nested(core::mem::take(&mut fs.f.protos));
        }
        crate::proto::drop_nested(core::mem::take(&mut p.code.fs.f.protos));
    }
    match result {
        Ok(proto) => Ok(proto),
        Err(Error::Memory) => Err(CompileError::Memory),
        Err(Error::Near(limit)) => match p.lex.syntax_error(limit.text()) {
            Error::Reported => Err(CompileError::Syntax(core::mem::take(&mut p.lex.report))),
            _ => Err(CompileError::Memory),
        },
        Err(Error::Reported) => Err(CompileError::Syntax(core::mem::take(&mut p.lex.report))),
    }
}

type R<T> = Result<T, Error>;

/// Deepest nesting of statements and subexpressions (`LUAI_MAXCCALLS`).
const MAX_LEVELS: u32 = 200;
/// Most local variables a function may declare at once (`MAXVARS`).
const MAX_VARS: usize = 200;
/// Most declarations (locals, globals, constants) a function may have in scope at once
/// (the `SHRT_MAX` bound of lparser.c's `actvar`): `ExpKind::Local` keeps a 16-bit index.
const MAX_DECLARATIONS: usize = i16::MAX as usize;
/// Most upvalues of a function (`MAXUPVAL`).
const MAX_UPVAL: usize = 255;
/// Binding power of unary operators.
const UNARY_PRIORITY: u8 = 12;

/// A pending `goto` or a visible label (`Labeldesc`).
#[derive(Clone, Copy, Debug)]
struct LabelDesc {
    name: StrId,
    pc: usize,
    line: u32,
    nactvar: u32,
    /// The goto leaves the scope of a variable captured as an upvalue.
    close: bool,
}

struct Parser<'s, 'g> {
    lex: Lexer<'s>,
    /// Open constructs, innermost last (see `run`).
    frames: Vec<Frame>,
    /// The last statement was a `return`: it ends its block's statement list.
    block_done: bool,
    code: Code,
    /// Labels visible in the current functions (`dyd->label`).
    labels: Vec<LabelDesc>,
    /// Pending gotos (`dyd->gt`).
    gotos: Vec<LabelDesc>,
    guard: &'g StackGuard,
    depth: u32,
    env_name: StrId,
    break_name: StrId,
    /// `global`, a name that may open a declaration.
    global_name: StrId,
    chunkname: &'s [u8],
}

/// Left and right priorities of binary operators, in `BinOpr` order.
const PRIORITY: [(u8, u8); 21] = [
    (10, 10),
    (10, 10), // + -
    (11, 11),
    (11, 11), // * %
    (14, 13), // ^ (right associative)
    (11, 11),
    (11, 11), // / //
    (6, 6),
    (4, 4),
    (5, 5), // & | ~
    (7, 7),
    (7, 7), // << >>
    (9, 8), // .. (right associative)
    (3, 3),
    (3, 3),
    (3, 3), // == < <=
    (3, 3),
    (3, 3),
    (3, 3), // ~= > >=
    (2, 2),
    (1, 1), // and or
];

fn binary_op(t: Token) -> Option<BinOpr> {
    Some(match t {
        Token::Char(b'+') => BinOpr::Add,
        Token::Char(b'-') => BinOpr::Sub,
        Token::Char(b'*') => BinOpr::Mul,
        Token::Char(b'%') => BinOpr::Mod,
        Token::Char(b'^') => BinOpr::Pow,
        Token::Char(b'/') => BinOpr::Div,
        Token::IDiv => BinOpr::IDiv,
        Token::Char(b'&') => BinOpr::BAnd,
        Token::Char(b'|') => BinOpr::BOr,
        Token::Char(b'~') => BinOpr::BXor,
        Token::Shl => BinOpr::Shl,
        Token::Shr => BinOpr::Shr,
        Token::Concat => BinOpr::Concat,
        Token::Ne => BinOpr::Ne,
        Token::Eq => BinOpr::Eq,
        Token::Char(b'<') => BinOpr::Lt,
        Token::Le => BinOpr::Le,
        Token::Char(b'>') => BinOpr::Gt,
        Token::Ge => BinOpr::Ge,
        Token::And => BinOpr::And,
        Token::Or => BinOpr::Or,
        _ => return None,
    })
}

fn unary_op(t: Token) -> Option<UnOpr> {
    Some(match t {
        Token::Not => UnOpr::Not,
        Token::Char(b'-') => UnOpr::Minus,
        Token::Char(b'~') => UnOpr::BNot,
        Token::Char(b'#') => UnOpr::Len,
        _ => return None,
    })
}

/// A growing message.
struct Msg(Vec<u8>);

impl Msg {
    fn new() -> Self {
        Msg(Vec::new())
    }
    fn s(mut self, text: &[u8]) -> Result<Self, AllocError> {
        self.0.try_extend_from_slice(text)?;
        Ok(self)
    }
    fn n(mut self, n: i64) -> Result<Self, AllocError> {
        push_int(&mut self.0, n)?;
        Ok(self)
    }
}

impl<'s, 'g> Parser<'s, 'g> {
    // ---- tokens and errors ----

    fn next(&mut self) -> R<()> {
        self.lex.next(&mut self.code.strings)?;
        self.code.line = self.lex.lastline;
        Ok(())
    }

    fn token(&self) -> Token {
        self.lex.token
    }

    fn test_next(&mut self, t: Token) -> R<bool> {
        if self.lex.token == t {
            self.next()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    #[cold]
    #[inline(never)]
    fn error_expected(&mut self, t: Token) -> Error {
        let mut msg = Vec::new();
        if t.push_text(&mut msg)
            .and_then(|_| msg.try_extend_from_slice(b" expected"))
            .is_err()
        {
            return Error::Memory;
        }
        self.lex.syntax_error(&msg)
    }

    fn check(&mut self, t: Token) -> R<()> {
        if self.lex.token != t {
            return Err(self.error_expected(t));
        }
        Ok(())
    }

    fn check_next(&mut self, t: Token) -> R<()> {
        self.check(t)?;
        self.next()
    }

    /// Checks that `what` closes the `who` opened at line `line`.
    fn check_match(&mut self, what: Token, who: Token, line: u32) -> R<()> {
        if self.test_next(what)? {
            return Ok(());
        }
        if line == self.lex.line {
            return Err(self.error_expected(what));
        }
        Err(self.match_error(what, who, line))
    }

    #[cold]
    #[inline(never)]
    fn match_error(&mut self, what: Token, who: Token, line: u32) -> Error {
        let mut msg = Vec::new();
        let built = (|| -> Result<(), AllocError> {
            what.push_text(&mut msg)?;
            msg.try_extend_from_slice(b" expected (to close ")?;
            who.push_text(&mut msg)?;
            msg.try_extend_from_slice(b" at line ")?;
            push_int(&mut msg, line as i64)
        })();
        if built.is_err() {
            return Error::Memory;
        }
        msg.try_push(b')')
            .map_or(Error::Memory, |_| self.lex.syntax_error(&msg))
    }

    #[cold]
    #[inline(never)]
    fn syntax_error(&mut self, msg: &[u8]) -> Error {
        self.lex.syntax_error(msg)
    }

    /// A semantic error: no `near` part (`luaK_semerror`).
    #[cold]
    #[inline(never)]
    fn sem_error(&mut self, msg: Result<Msg, AllocError>) -> Error {
        // On the line of the last token used, not of the lookahead (5.5).
        self.lex.line = self.lex.lastline;
        match msg {
            Ok(m) => self.lex.report(&m.0, None),
            Err(_) => Error::Memory,
        }
    }

    /// `'name'` in a message.
    fn quoted(&self, m: Msg, name: StrId) -> Result<Msg, AllocError> {
        m.s(b"'")?.s(self.code.strings.get(name))?.s(b"'")
    }

    /// A declared name in quotes; `global *` declares the name `*`.
    fn quoted_var(&self, m: Msg, name: StrId) -> Result<Msg, AllocError> {
        if name == NO_NAME {
            return m.s(b"'*'");
        }
        self.quoted(m, name)
    }

    #[cold]
    #[inline(never)]
    fn error_limit(&mut self, level: usize, limit: usize, what: &[u8]) -> Error {
        let line = self.fs_at(level).map_or(0, |fs| fs.f.line_defined);
        // `too many <what> (limit is <n>) in <where>`, as lparser.c's `errorlimit`.
        let msg = (|| {
            let m = Msg::new()
                .s(b"too many ")?
                .s(what)?
                .s(b" (limit is ")?
                .n(limit as i64)?
                .s(b") in ")?;
            if line == 0 {
                m.s(b"main function")
            } else {
                m.s(b"function at line ")?.n(line as i64)
            }
        })();
        match msg {
            Ok(m) => self.lex.report(&m.0, Some(self.lex.token)),
            Err(_) => Error::Memory,
        }
    }

    #[inline(always)]
    fn enter_level(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_LEVELS || !self.guard.check() {
            return Err(self.stack_overflow());
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn stack_overflow(&mut self) -> Error {
        self.lex.report(b"C stack overflow", None)
    }

    fn leave_level(&mut self) {
        self.depth -= 1;
    }

    fn str_checkname(&mut self) -> R<StrId> {
        self.check(Token::Name)?;
        let id = match self.lex.sem {
            SemInfo::Str(s) => s,
            _ => 0,
        };
        self.next()?;
        Ok(id)
    }

    fn intern(&mut self, s: &[u8]) -> R<StrId> {
        Ok(self.code.strings.intern(s)?)
    }

    // ---- variables ----

    /// The function at nesting level `level` (0 is the main function).
    fn fs_at(&self, level: usize) -> Option<&FuncState> {
        if level == self.code.outer.len() {
            Some(&self.code.fs)
        } else {
            self.code.outer.get(level)
        }
    }

    fn fs_at_mut(&mut self, level: usize) -> Option<&mut FuncState> {
        if level == self.code.outer.len() {
            Some(&mut self.code.fs)
        } else {
            self.code.outer.get_mut(level)
        }
    }

    fn top_level(&self) -> usize {
        self.code.outer.len()
    }

    fn var_desc(&self, fs: &FuncState, vidx: u32) -> Option<&VarDesc> {
        self.code.actvar.get(fs.firstlocal + vidx as usize)
    }

    /// Registers used by the first `nvar` variables of the current function
    /// (`reglevel`).
    fn reg_level(&self, nvar: u32) -> u32 {
        let fs = &self.code.fs;
        for i in (0..nvar).rev() {
            if let Some(vd) = self.code.actvar.get(fs.firstlocal + i as usize) {
                if vd.kind.in_register() {
                    return vd.ridx as u32 + 1;
                }
            }
        }
        0
    }

    /// Declares a variable of `kind`, not yet active (`new_varkind`); returns its index
    /// in the current function.
    #[inline(never)]
    fn new_var(&mut self, name: StrId, kind: VdKind) -> R<u32> {
        let count = self.code.actvar.len() + 1 - self.code.fs.firstlocal;
        if count > MAX_DECLARATIONS {
            return Err(self.error_limit(
                self.top_level(),
                MAX_DECLARATIONS,
                b"variable declarations",
            ));
        }
        self.code.actvar.try_push(VarDesc {
            name,
            kind,
            ridx: 0,
            pidx: 0,
            k: KValue::Nil,
        })?;
        Ok(count as u32 - 1)
    }

    fn new_local(&mut self, name: StrId) -> R<u32> {
        self.new_var(name, VdKind::Regular)
    }

    /// Activates the next `nvars` declared variables, giving them registers
    /// (`adjustlocalvars`).
    #[inline(never)]
    fn adjust_local_vars(&mut self, nvars: u32) -> R<()> {
        let mut reglevel = self.code.fs.nvarstack;
        for _ in 0..nvars {
            let vidx = self.code.fs.nactvar;
            self.code.fs.nactvar += 1;
            let at = self.code.fs.firstlocal + vidx as usize;
            let name = self.code.actvar.get(at).map_or(0, |v| v.name);
            let pidx = self.code.register_local(name)?;
            if let Some(vd) = self.code.actvar.get_mut(at) {
                vd.ridx = reglevel as u8;
                vd.pidx = pidx;
            }
            reglevel += 1;
            // Only variables in registers count (globals and constants need none).
            if reglevel as usize > MAX_VARS {
                return Err(self.error_limit(self.top_level(), MAX_VARS, b"local variables"));
            }
        }
        self.code.fs.nvarstack = reglevel;
        Ok(())
    }

    /// Activates declarations that need no register (compile-time constants, globals).
    fn activate_without_register(&mut self, n: u32) {
        self.code.fs.nactvar += n;
    }

    /// Ends the scope of variables from `tolevel` on (`removevars`).
    fn remove_vars(&mut self, tolevel: u32) {
        let pc = self.code.fs.pc() as u32;
        let first = self.code.fs.firstlocal;
        for i in tolevel..self.code.fs.nactvar {
            if let Some(vd) = self.code.actvar.get(first + i as usize) {
                if vd.kind.in_register() {
                    if let Some(lv) = self.code.fs.f.locals.get_mut(vd.pidx as usize) {
                        lv.end_pc = pc;
                    }
                }
            }
        }
        self.code.actvar.truncate(first + tolevel as usize);
        self.code.fs.nactvar = tolevel;
        self.code.fs.nvarstack = self.reg_level(tolevel);
    }

    /// Looks `name` up among the active declarations of `fs` (`searchvar`). `gdecl`
    /// tracks global declarations met on the way: -1 while the implicit `global *`
    /// holds, -2 once a named global declaration voids it, else the index of the
    /// collective declaration in force.
    fn search_var(&self, level: usize, name: StrId, gdecl: &mut i64) -> Option<ExpKind> {
        let fs = self.fs_at(level)?;
        for i in (0..fs.nactvar).rev() {
            let at = fs.firstlocal + i as usize;
            let vd = self.code.actvar.get(at)?;
            if vd.kind.is_global() {
                if vd.name == NO_NAME {
                    if *gdecl < 0 {
                        *gdecl = at as i64;
                    }
                } else if vd.name == name {
                    *gdecl = at as i64;
                    return Some(ExpKind::Void); // a declared global
                } else if *gdecl == -1 {
                    *gdecl = -2;
                }
            } else if vd.name == name {
                return Some(if vd.kind == VdKind::CompileTimeConst {
                    ExpKind::Const(at as u32)
                } else {
                    ExpKind::Local {
                        ridx: vd.ridx,
                        vidx: i as u16,
                    }
                });
            }
        }
        None
    }

    /// Marks the block where variable `vidx` of function `level` was declared as having
    /// an upvalue (`markupval`).
    fn mark_upval(&mut self, level: usize, vidx: u32) {
        if let Some(fs) = self.fs_at_mut(level) {
            if let Some(bl) = fs.blocks.iter_mut().rev().find(|bl| bl.nactvar <= vidx) {
                bl.upval = true;
            }
            fs.needclose = true;
        }
    }

    fn new_upvalue(&mut self, level: usize, name: StrId, desc: UpvalDesc) -> R<u32> {
        let n = self.fs_at(level).map_or(0, |fs| fs.f.upvalues.len());
        if n + 1 > MAX_UPVAL {
            return Err(self.error_limit(level, MAX_UPVAL, b"upvalues"));
        }
        if let Some(fs) = self.fs_at_mut(level) {
            fs.f.upvalues.try_push(desc)?;
            fs.upval_names.try_push(name)?;
        }
        Ok(n as u32)
    }

    /// Resolves `name` (`singlevaraux`, iteratively): a local, an upvalue (created in
    /// every function between the declaration and here), a compile-time constant, or a
    /// global, returned as `Err(gdecl)` with the declaration state of `search_var`.
    fn resolve(&mut self, name: StrId) -> R<Result<ExpKind, i64>> {
        let top = self.top_level();
        let mut gdecl = -1i64;
        let mut level = top;
        let (found_level, found) = loop {
            if let Some(k) = self.search_var(level, name, &mut gdecl) {
                match k {
                    ExpKind::Void => return Ok(Err(gdecl)),
                    ExpKind::Const(_) => return Ok(Ok(k)),
                    _ => break (level, k),
                }
            }
            if let Some(idx) = self
                .fs_at(level)
                .and_then(|fs| fs.upval_names.iter().position(|&n| n == name))
            {
                break (level, ExpKind::Upval(idx as u32));
            }
            if level == 0 {
                return Ok(Err(gdecl));
            }
            level -= 1;
        };
        if found_level == top {
            return Ok(Ok(found));
        }
        // Thread the variable down through the enclosing functions.
        let (mut in_stack, mut index, kind) = match found {
            ExpKind::Local { ridx, vidx } => {
                self.mark_upval(found_level, vidx as u32);
                let kind = self
                    .fs_at(found_level)
                    .and_then(|fs| self.var_desc(fs, vidx as u32))
                    .map_or(VarKind::Regular, Code::upvalue_kind);
                (true, ridx, kind)
            }
            ExpKind::Upval(u) => {
                let kind = self
                    .fs_at(found_level)
                    .and_then(|fs| fs.f.upvalues.get(u as usize))
                    .map_or(VarKind::Regular, |d| d.kind);
                (false, u as u8, kind)
            }
            _ => return Ok(Ok(found)),
        };
        let mut idx = 0;
        for l in found_level + 1..=top {
            let desc = UpvalDesc {
                name: crate::tvec::try_copy_of(self.code.strings.get(name))?,
                in_stack,
                index,
                kind,
            };
            idx = self.new_upvalue(l, name, desc)?;
            in_stack = false;
            index = idx as u8;
        }
        Ok(Ok(ExpKind::Upval(idx)))
    }

    /// `_ENV[name]` (`buildglobal`).
    fn build_global(&mut self, name: StrId, var: &mut ExpDesc) -> R<()> {
        let env = match self.resolve(self.env_name)? {
            Ok(k) => k,
            Err(_) => {
                let msg = Msg::new()
                    .s(b"_ENV is global when accessing variable ")
                    .and_then(|m| self.quoted(m, name));
                return Err(self.sem_error(msg));
            }
        };
        *var = ExpDesc::new(env);
        self.code.exp2anyregup(var)?;
        let mut key = ExpDesc::new(ExpKind::KStr(name));
        self.code.indexed(var, &mut key)?;
        set_global_name(var, name, false);
        Ok(())
    }

    /// A variable reference by name (`singlevar`).
    #[inline(never)]
    fn single_var(&mut self, var: &mut ExpDesc) -> R<()> {
        let name = self.str_checkname()?;
        self.single_var_named(name, var)
    }

    fn single_var_named(&mut self, name: StrId, var: &mut ExpDesc) -> R<()> {
        match self.resolve(name)? {
            Ok(k) => *var = ExpDesc::new(k),
            Err(gdecl) => {
                if gdecl == -2 {
                    let msg = Msg::new()
                        .s(b"variable ")
                        .and_then(|m| self.quoted(m, name))
                        .and_then(|m| m.s(b" not declared"));
                    return Err(self.sem_error(msg));
                }
                self.build_global(name, var)?;
                let ro = gdecl >= 0
                    && self
                        .code
                        .actvar
                        .get(gdecl as usize)
                        .is_some_and(|v| v.kind == VdKind::GlobalConst);
                set_global_name(var, name, ro);
            }
        }
        Ok(())
    }

    /// Fails when `e` is a read-only variable (`check_readonly`).
    fn check_readonly(&mut self, e: &ExpDesc) -> R<()> {
        let name = match e.k {
            ExpKind::Const(abs) => self.code.actvar.get(abs as usize).map(|v| v.name),
            ExpKind::Local { vidx, .. } => self
                .var_desc(&self.code.fs, vidx as u32)
                .filter(|v| v.kind != VdKind::Regular)
                .map(|v| v.name),
            ExpKind::Upval(u) => {
                let fs = &self.code.fs;
                match fs.f.upvalues.get(u as usize) {
                    Some(d) if d.kind != VarKind::Regular => {
                        fs.upval_names.get(u as usize).copied()
                    }
                    _ => None,
                }
            }
            ExpKind::Indexed { ro: true, name, .. }
            | ExpKind::IndexUp { ro: true, name, .. }
            | ExpKind::IndexStr { ro: true, name, .. } => Some(name),
            _ => None,
        };
        if let Some(name) = name {
            let msg = Msg::new()
                .s(b"attempt to assign to const variable ")
                .and_then(|m| self.quoted(m, name));
            return Err(self.sem_error(msg));
        }
        Ok(())
    }

    /// Completes or truncates the values of an assignment (`adjust_assign`).
    fn adjust_assign(&mut self, nvars: u32, nexps: u32, e: &mut ExpDesc) -> R<()> {
        let needed = nvars as i32 - nexps as i32;
        if e.has_multret() {
            let extra = (needed + 1).max(0);
            self.code.set_returns(e, extra)?;
        } else {
            if e.k != ExpKind::Void {
                self.code.exp2nextreg(e)?;
            }
            if needed > 0 {
                let from = self.code.fs.freereg;
                self.code.nil(from, needed as u32)?;
            }
        }
        if needed > 0 {
            self.code.reserve_regs(needed as u32)?;
        } else {
            self.code.fs.freereg = (self.code.fs.freereg as i32 + needed) as u32;
        }
        Ok(())
    }

    // ---- blocks, labels and gotos ----

    #[inline(never)]
    fn enter_block(&mut self, is_loop: bool) -> R<()> {
        let fs = &mut self.code.fs;
        let bl = BlockCnt {
            first_label: self.labels.len(),
            first_goto: self.gotos.len(),
            nactvar: fs.nactvar,
            upval: false,
            is_loop,
            inside_tbc: fs.blocks.last().is_some_and(|b| b.inside_tbc),
        };
        fs.blocks.try_push(bl)?;
        Ok(())
    }

    fn current_block(&self) -> Option<BlockCnt> {
        self.code.fs.blocks.last().copied()
    }

    /// Ends the current block (`leaveblock`): resolves its `break`s, closes captured
    /// variables, ends its variables' scope and hands pending gotos outwards.
    fn leave_block(&mut self) -> R<()> {
        let Some(bl) = self.current_block() else {
            return Ok(());
        };
        let has_previous = self.code.fs.blocks.len() > 1;
        let stklevel = self.reg_level(bl.nactvar);
        let mut hasclose = false;
        if bl.is_loop {
            hasclose = self.create_break_label(&bl, stklevel)?;
        }
        if !hasclose && has_previous && bl.upval {
            self.code.code_abc(Op::Close, stklevel, 0, 0)?;
        }
        self.code.fs.blocks.pop();
        // Before `remove_vars`: the levels of the gotos' variables are still known.
        if has_previous {
            self.move_gotos_out(&bl);
        }
        self.remove_vars(bl.nactvar);
        self.code.fs.freereg = stklevel;
        self.labels.truncate(bl.first_label);
        if !has_previous {
            if let Some(gt) = self.gotos.get(bl.first_goto).copied() {
                return Err(self.undef_goto(&gt));
            }
        }
        Ok(())
    }

    /// Moves the block's pending gotos to the enclosing block (`movegotosout`).
    fn move_gotos_out(&mut self, bl: &BlockCnt) {
        let outside = self.reg_level(bl.nactvar);
        for i in bl.first_goto..self.gotos.len() {
            let Some(gt) = self.gotos.get(i).copied() else {
                break;
            };
            let close = self.reg_level(gt.nactvar) > outside && bl.upval;
            if let Some(g) = self.gotos.get_mut(i) {
                g.close |= close;
                g.nactvar = bl.nactvar;
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn undef_goto(&mut self, gt: &LabelDesc) -> Error {
        let msg = if gt.name == self.break_name {
            Msg::new()
                .s(b"break outside a loop at line ")
                .and_then(|m| m.n(gt.line as i64))
        } else {
            Msg::new()
                .s(b"no visible label ")
                .and_then(|m| self.quoted(m, gt.name))
                .and_then(|m| m.s(b" for <goto> at line "))
                .and_then(|m| m.n(gt.line as i64))
        };
        self.sem_error(msg)
    }

    fn find_label(&self, name: StrId) -> Option<LabelDesc> {
        self.labels
            .get(self.code.fs.firstlabel..)?
            .iter()
            .find(|l| l.name == name)
            .copied()
    }

    fn new_goto(&mut self, name: StrId, line: u32, pc: i32) -> R<()> {
        let nactvar = self.code.fs.nactvar;
        self.gotos.try_push(LabelDesc {
            name,
            pc: pc as usize,
            line,
            nactvar,
            close: false,
        })?;
        Ok(())
    }

    /// Resolves pending goto `g` to `label` (`solvegoto`).
    fn solve_goto(&mut self, g: usize, label: &LabelDesc) -> R<()> {
        let Some(gt) = self.gotos.get(g).copied() else {
            return Ok(());
        };
        if gt.nactvar < label.nactvar {
            let varname = self
                .var_desc(&self.code.fs, gt.nactvar)
                .map_or(0, |v| v.name);
            let msg = Msg::new()
                .s(b"<goto ")
                .and_then(|m| m.s(self.code.strings.get(gt.name)))
                .and_then(|m| m.s(b"> at line "))
                .and_then(|m| m.n(gt.line as i64))
                .and_then(|m| m.s(b" jumps into the scope of "))
                .and_then(|m| self.quoted_var(m, varname));
            return Err(self.sem_error(msg));
        }
        self.code.patch_list(gt.pc as i32, label.pc)?;
        self.gotos.remove(g);
        Ok(())
    }

    /// Resolves the current block's pending gotos to `lb`; true if one of them needs to
    /// close upvalues (`solvegotos`).
    fn solve_gotos(&mut self, lb: &LabelDesc) -> R<bool> {
        let mut i = self.current_block().map_or(0, |b| b.first_goto);
        let mut needs_close = false;
        while let Some(gt) = self.gotos.get(i).copied() {
            if gt.name == lb.name {
                needs_close |= gt.close;
                self.solve_goto(i, lb)?;
            } else {
                i += 1;
            }
        }
        Ok(needs_close)
    }

    /// Resolves the pending breaks of loop block `bl` to the current pc, where its
    /// variables are out of scope: a break that needs a close closes from `level`, the
    /// level outside the loop, so the closing value of a generic `for` is closed too.
    fn create_break_label(&mut self, bl: &BlockCnt, level: u32) -> R<bool> {
        let lb = LabelDesc {
            name: self.break_name,
            pc: self.code.get_label(),
            line: 0,
            nactvar: bl.nactvar,
            close: false,
        };
        self.labels.try_push(lb)?;
        if self.solve_gotos(&lb)? {
            self.code.code_abc(Op::Close, level, 0, 0)?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Declares a label at the current pc (`createlabel`); `last` when it ends its
    /// block, so block locals are already out of scope.
    fn create_label(&mut self, name: StrId, line: u32, last: bool) -> R<bool> {
        let pc = self.code.get_label();
        let nactvar = if last {
            self.current_block().map_or(0, |b| b.nactvar)
        } else {
            self.code.fs.nactvar
        };
        let lb = LabelDesc {
            name,
            pc,
            line,
            nactvar,
            close: false,
        };
        self.labels.try_push(lb)?;
        if self.solve_gotos(&lb)? {
            let level = self.code.fs.nvarstack;
            self.code.code_abc(Op::Close, level, 0, 0)?;
            return Ok(true);
        }
        Ok(false)
    }

    // ---- functions ----

    #[inline(never)]
    fn open_func(&mut self, line: u32) -> R<()> {
        let fs = FuncState::new(
            self.chunkname,
            line,
            self.code.actvar.len(),
            self.labels.len(),
        )?;
        // Room first: a failed push would drop the enclosing function, and the
        // functions nested in it, recursively.
        self.code.outer.try_reserve(1).map_err(|_| Error::Memory)?;
        let outer = core::mem::replace(&mut self.code.fs, fs);
        self.code.outer.try_push(outer)?;
        self.enter_block(false)
    }

    /// Ends the current function: final return, scope end, code fix-ups
    /// (`close_func`).
    #[inline(never)]
    fn close_func(&mut self) -> R<Proto> {
        let level = self.code.fs.nvarstack;
        self.code.ret(level, 0)?;
        self.leave_block()?;
        self.code.finish()?;
        let done = match self.code.outer.pop() {
            Some(outer) => core::mem::replace(&mut self.code.fs, outer),
            None => core::mem::replace(&mut self.code.fs, FuncState::new(b"", 0, 0, 0)?),
        };
        Ok(done.f)
    }

    fn set_vararg(&mut self, nparams: u32) -> R<()> {
        self.code.fs.f.is_vararg = true;
        self.code.code_abc(Op::VarArgPrep, nparams, 0, 0)?;
        Ok(())
    }

    fn main_func(&mut self) -> R<Proto> {
        self.env_name = self.intern(b"_ENV")?;
        self.break_name = self.intern(b"break")?;
        self.global_name = self.intern(b"global")?;
        self.enter_block(false)?;
        self.set_vararg(0)?;
        let env = UpvalDesc {
            name: crate::tvec::try_copy_of(b"_ENV")?,
            in_stack: true,
            index: 0,
            kind: VarKind::Regular,
        };
        self.code.fs.f.upvalues.try_push(env)?;
        self.code.fs.upval_names.try_push(self.env_name)?;
        self.next()?;
        self.push(Frame::Main)?;
        self.run()?;
        self.check(Token::Eof)?;
        self.close_func()
    }

    /// `(parlist)` of a function body opened on `line` (`body`); its block follows.
    /// `in_expr` when the closure is an operand, else a statement frame below takes it.
    #[inline(never)]
    fn open_body(&mut self, line: u32, is_method: bool, in_expr: bool) -> R<Mode> {
        self.open_func(line)?;
        if is_method {
            let name = self.intern(b"self")?;
            self.new_local(name)?;
            self.adjust_local_vars(1)?;
        }
        self.check_next(Token::Char(b'('))?;
        self.par_list()?;
        self.check_next(Token::Char(b')'))?;
        self.push(Frame::Body { line, in_expr })?;
        Ok(Mode::Stat)
    }

    /// `end` of a function body: leaves the closure in the next register.
    #[inline(never)]
    fn close_body(&mut self, line: u32, in_expr: bool) -> R<Mode> {
        self.code.fs.f.last_line_defined = self.lex.line;
        self.check_match(Token::End, Token::Function, line)?;
        let np = self.close_nested()?;
        let mut e = ExpDesc::new(ExpKind::Reloc(self.code.code_abx(Op::Closure, 0, np)?));
        self.code.exp2nextreg(&mut e)?;
        if in_expr {
            Ok(Mode::Operators(e))
        } else {
            self.func_stat_end(e)
        }
    }

    /// Closes a nested function and adds it to the enclosing one; returns its index.
    #[inline(never)]
    fn close_nested(&mut self) -> R<u32> {
        let mut proto = self.close_func()?;
        let np = self.code.fs.f.protos.len() as u32;
        let full = np > opcode::MAXARG_BX;
        if full || self.code.fs.f.protos.try_reserve(1).is_err() {
            // The functions nested in `proto` go without recursing.
            crate::proto::drop_nested(core::mem::take(&mut proto.protos));
            if !full {
                return Err(Error::Memory);
            }
            return Err(self.error_limit(
                self.top_level(),
                opcode::MAXARG_BX as usize,
                b"functions",
            ));
        }
        self.code.fs.f.protos.try_push(proto)?;
        Ok(np)
    }

    /// Parameters: names, then an optional `...` with an optional name (5.5).
    #[inline(never)]
    fn par_list(&mut self) -> R<()> {
        let mut nparams = 0;
        let mut is_vararg = false;
        let mut table_name = None;
        if self.token() != Token::Char(b')') {
            loop {
                match self.token() {
                    Token::Name => {
                        let name = self.str_checkname()?;
                        self.new_local(name)?;
                        nparams += 1;
                    }
                    Token::Dots => {
                        self.next()?;
                        is_vararg = true;
                        if self.token() == Token::Name {
                            table_name = Some(self.str_checkname()?);
                        }
                    }
                    _ => return Err(self.syntax_error(b"<name> or '...' expected")),
                }
                if is_vararg || !self.test_next(Token::Char(b','))? {
                    break;
                }
            }
        }
        self.adjust_local_vars(nparams)?;
        let nactvar = self.code.fs.nactvar;
        self.code.fs.f.num_params = nactvar as u8;
        if is_vararg {
            self.set_vararg(nactvar)?;
        }
        self.code.reserve_regs(nactvar)?;
        if let Some(name) = table_name {
            // The named vararg table is a read-only local materialised on entry.
            self.new_var(name, VdKind::Const)?;
            let reg = self.code.fs.freereg;
            self.code.code_abc(Op::VarArgTab, reg, 0, 0)?;
            self.adjust_local_vars(1)?;
            self.code.reserve_regs(1)?;
            self.code.fs.vararg_table = Some(reg as u8);
        }
        Ok(())
    }

    // ---- the parsing loop ----

    /// Runs the grammar until the main block is closed.
    ///
    /// lparser.c recurses once per nested block, function body, constructor, argument
    /// list, index and parenthesis. Here each of those pushes a [`Frame`] on
    /// `self.frames` (on the heap) and the loop goes on in the [`Mode`] the grammar asks
    /// for next; when the nested part ends, the frame it left on top says how to go on.
    /// So nesting costs no native stack: only heap, bounded by `MAX_LEVELS`. Each step
    /// makes the code generator calls lparser.c makes, in the same order, and counts
    /// nesting levels where lparser.c does (statements, subexpressions, pending
    /// operators).
    fn run(&mut self) -> R<()> {
        let mut mode = Mode::Stat;
        loop {
            mode = match mode {
                Mode::Stat => self.step_stat()?,
                Mode::Expr => {
                    self.enter_level()?;
                    self.operand()?
                }
                Mode::Operand => self.operand()?,
                Mode::Suffixes { v, line, stat } => self.suffixes(v, line, stat)?,
                Mode::Operators(v) => self.operators(v)?,
                Mode::Done => return Ok(()),
            };
        }
    }

    fn push(&mut self, frame: Frame) -> R<()> {
        self.frames.try_push(frame)?;
        Ok(())
    }

    /// Starts an expression whose value goes to `consumer`.
    fn start_expr(&mut self, consumer: Frame) -> R<Mode> {
        self.push(consumer)?;
        Ok(Mode::Expr)
    }

    /// Starts an expression list whose values go to `consumer` (`explist`).
    fn start_exp_list(&mut self, consumer: Frame) -> R<Mode> {
        self.push(consumer)?;
        self.start_expr(Frame::ExpList { n: 1 })
    }

    /// A frame on top that does not fit the step that found it: the loop's own bug.
    #[cold]
    #[inline(never)]
    fn broken(&mut self) -> Error {
        self.lex.syntax_error(b"syntax error")
    }

    // ---- expressions ----

    /// The operand of an expression: prefix operators and opening parentheses wait
    /// as frames, then the simple expression (`simpleexp`).
    fn operand(&mut self) -> R<Mode> {
        loop {
            if let Some(op) = unary_op(self.token()) {
                let line = self.lex.line;
                self.next()?;
                self.push_pending(Frame::Unary { op, line })?;
            } else if self.token() == Token::Char(b'(') {
                let line = self.lex.line;
                self.next()?;
                self.push_pending(Frame::Paren { line })?;
            } else {
                break;
            }
        }
        let k = match self.token() {
            Token::Float => match self.lex.sem {
                SemInfo::Float(f) => ExpKind::KFlt(f),
                _ => ExpKind::KFlt(0.0),
            },
            Token::Int => match self.lex.sem {
                SemInfo::Int(i) => ExpKind::KInt(i),
                _ => ExpKind::KInt(0),
            },
            Token::String => match self.lex.sem {
                SemInfo::Str(s) => ExpKind::KStr(s),
                _ => ExpKind::Nil,
            },
            Token::Nil => ExpKind::Nil,
            Token::True => ExpKind::True,
            Token::False => ExpKind::False,
            Token::Dots => self.vararg_exp()?,
            Token::Char(b'{') => return self.open_table(false),
            Token::Function => {
                self.next()?;
                let line = self.lex.line;
                return self.open_body(line, false, true);
            }
            _ => return self.suffixed_exp(false),
        };
        self.next()?;
        Ok(Mode::Operators(ExpDesc::new(k)))
    }

    #[inline(never)]
    fn push_pending(&mut self, pending: Frame) -> R<()> {
        self.enter_level()?;
        self.push(pending)
    }

    /// After an operand: takes a binary operator that binds tighter than the pending
    /// one, or completes pending operations; when none is left, the expression is
    /// complete and goes to its consumer (`subexpr`).
    ///
    /// The binding limit is that of the innermost pending operator (0 at the start of
    /// the expression and inside parentheses), so frames need not save it.
    fn operators(&mut self, mut v: ExpDesc) -> R<Mode> {
        loop {
            let limit = match self.frames.last() {
                Some(Frame::Unary { .. }) => UNARY_PRIORITY,
                Some(Frame::Binary { op, .. }) => PRIORITY[*op as usize].1, // one entry per `BinOpr`
                _ => 0,
            };
            if let Some(o) = binary_op(self.token()) {
                let (left, _) = PRIORITY[o as usize]; // `o as usize` < 21: one entry per `BinOpr`
                if left > limit {
                    let line = self.lex.line;
                    self.next()?;
                    self.code.infix(o, &mut v)?;
                    self.push_pending(Frame::Binary {
                        op: o,
                        line,
                        left: v,
                    })?;
                    return Ok(Mode::Operand);
                }
            }
            if !matches!(
                self.frames.last(),
                Some(Frame::Unary { .. } | Frame::Binary { .. } | Frame::Paren { .. })
            ) {
                self.leave_level();
                return self.expr_done(v);
            }
            if let Some(line) = self.finish_pending(&mut v)? {
                return Ok(Mode::Suffixes {
                    v,
                    line,
                    stat: false,
                });
            }
        }
    }

    /// Completes the innermost pending operation with operand `v`. For a parenthesis
    /// returns its line: suffixes may follow it.
    #[inline(never)]
    fn finish_pending(&mut self, v: &mut ExpDesc) -> R<Option<u32>> {
        let Some(pending) = self.frames.pop() else {
            return Ok(None);
        };
        self.leave_level();
        match pending {
            Frame::Unary { op, line } => self.code.prefix(op, v, line)?,
            Frame::Binary { op, line, left } => {
                let mut e1 = left;
                self.code.posfix(op, &mut e1, v, line)?;
                *v = e1;
            }
            Frame::Paren { line } => {
                self.check_match(Token::Char(b')'), Token::Char(b'('), line)?;
                self.code.discharge_vars(v)?;
                return Ok(Some(line));
            }
            _ => return Err(self.broken()),
        }
        Ok(None)
    }

    /// A complete expression: hands it to the frame that asked for it.
    #[inline(never)]
    fn expr_done(&mut self, mut v: ExpDesc) -> R<Mode> {
        let Some(consumer) = self.frames.pop() else {
            return Err(self.broken());
        };
        match consumer {
            Frame::ExpList { n } => {
                if self.test_next(Token::Char(b','))? {
                    self.code.exp2nextreg(&mut v)?;
                    return self.start_expr(Frame::ExpList { n: n + 1 });
                }
                self.exp_list_done(v, n)
            }
            Frame::PrimaryParen { line, stat } => {
                self.check_match(Token::Char(b')'), Token::Char(b'('), line)?;
                self.code.discharge_vars(&mut v)?;
                Ok(Mode::Suffixes { v, line, stat })
            }
            Frame::Index { t, line, stat } => {
                let mut t = t;
                self.code.exp2val(&mut v)?;
                self.check_next(Token::Char(b']'))?;
                self.code.indexed(&mut t, &mut v)?;
                Ok(Mode::Suffixes { v: t, line, stat })
            }
            Frame::Table(mut c) => {
                c.cc.v = v;
                c.cc.tostore += 1;
                self.table_separator(c)
            }
            Frame::RecKey { reg } => {
                self.code.exp2val(&mut v)?;
                self.check_next(Token::Char(b']'))?;
                self.rec_value(v, reg)
            }
            Frame::RecValue { tab, reg } => {
                self.code.store_var(&tab, &mut v)?;
                self.code.fs.freereg = reg;
                match self.frames.pop() {
                    Some(Frame::Table(c)) => self.table_separator(c),
                    _ => Err(self.broken()),
                }
            }
            Frame::WhileCond { line, init } => {
                let exit = self.cond_exit(v)?;
                self.enter_block(true)?;
                self.check_next(Token::Do)?;
                self.enter_block(false)?;
                self.push(Frame::While { line, init, exit })?;
                Ok(Mode::Stat)
            }
            Frame::RepeatCond { init } => self.repeat_end(v, init),
            Frame::IfCond => self.then_part(v),
            Frame::ForNum { line, base, step } => {
                self.code.exp2nextreg(&mut v)?;
                self.for_num_next(line, base, step)
            }
            _ => Err(self.broken()),
        }
    }

    /// A complete expression list of `n` expressions, `e` the last one.
    #[inline(never)]
    fn exp_list_done(&mut self, mut e: ExpDesc, n: u32) -> R<Mode> {
        let Some(consumer) = self.frames.pop() else {
            return Err(self.broken());
        };
        match consumer {
            Frame::CallArgs { f, line, stat } => {
                if e.has_multret() {
                    self.code.set_multret(&e)?;
                }
                self.check_match(Token::Char(b')'), Token::Char(b'('), line)?;
                self.call(f, e, line, stat)
            }
            Frame::LocalStat {
                toclose,
                nvars,
                vidx,
            } => self.local_stat_end(toclose, nvars, vidx, e, n),
            Frame::GlobalInit {
                targets,
                nvars,
                line,
            } => {
                self.adjust_assign(nvars, n, &mut e)?;
                for (name, var) in targets.iter().rev() {
                    self.check_global(*name, line)?;
                    let mut value = ExpDesc::new(ExpKind::NonReloc(self.code.fs.freereg - 1));
                    self.code.store_var(var, &mut value)?;
                }
                self.activate_without_register(nvars);
                self.end_stat()
            }
            Frame::AssignValues { lhs } => self.assign_end(&lhs, e, n),
            Frame::Return { first } => self.ret_end(first, e, n),
            Frame::ForList {
                line,
                base,
                nvars,
                exp_line,
            } => {
                self.adjust_assign(4, n, &mut e)?;
                self.adjust_local_vars(4)?;
                self.mark_to_be_closed();
                self.code.check_stack(3)?;
                self.for_body(line, exp_line, base, nvars - 4, true)
            }
            _ => Err(self.broken()),
        }
    }

    fn vararg_exp(&mut self) -> R<ExpKind> {
        if !self.code.fs.f.is_vararg {
            return Err(self.syntax_error(b"cannot use '...' outside a vararg function"));
        }
        let pc = match self.code.fs.vararg_table {
            Some(t) => self.code.code_abc(Op::VarArgT, 0, t as u32, 1)?,
            None => self.code.code_abc(Op::VarArg, 0, 0, 1)?,
        };
        Ok(ExpKind::Vararg(pc))
    }

    /// `primaryexp { suffix }`: the primary expression (`primaryexp`), then
    /// [`Mode::Suffixes`]. `stat` when a statement, not an operand, reads it.
    #[inline(never)]
    fn suffixed_exp(&mut self, stat: bool) -> R<Mode> {
        let line = self.lex.line;
        match self.token() {
            Token::Char(b'(') => {
                self.next()?;
                self.start_expr(Frame::PrimaryParen { line, stat })
            }
            Token::Name => {
                let mut v = ExpDesc::new(ExpKind::Void);
                self.single_var(&mut v)?;
                Ok(Mode::Suffixes { v, line, stat })
            }
            _ => Err(self.syntax_error(b"unexpected symbol")),
        }
    }

    /// `{ '.' NAME | '[' exp ']' | ':' NAME funcargs | funcargs }` after an expression
    /// that started on `line`.
    fn suffixes(&mut self, mut v: ExpDesc, line: u32, stat: bool) -> R<Mode> {
        loop {
            match self.token() {
                Token::Char(b'.') => self.field_sel(&mut v)?,
                Token::Char(b'[') => {
                    self.code.exp2anyregup(&mut v)?;
                    self.next()?;
                    return self.start_expr(Frame::Index { t: v, line, stat });
                }
                Token::Char(b':') => {
                    self.method_call(&mut v)?;
                    return self.func_args(v, line, stat);
                }
                Token::Char(b'(') | Token::String | Token::Char(b'{') => {
                    self.code.exp2nextreg(&mut v)?;
                    return self.func_args(v, line, stat);
                }
                _ => break,
            }
        }
        if !stat {
            return Ok(Mode::Operators(v));
        }
        match self.frames.pop() {
            Some(Frame::ExprStat) => self.expr_stat_end(v),
            Some(Frame::Assign { mut lhs }) => {
                if !v.is_indexed() {
                    self.check_conflict(&mut lhs, &v)?;
                }
                lhs.try_push(v)?;
                self.rest_assign(lhs)
            }
            _ => Err(self.broken()),
        }
    }

    /// `':' NAME`: the method's table and function (`SELF`).
    #[inline(never)]
    fn method_call(&mut self, v: &mut ExpDesc) -> R<()> {
        self.next()?;
        let name = self.str_checkname()?;
        let mut key = ExpDesc::new(ExpKind::KStr(name));
        self.code.self_op(v, &mut key)
    }

    #[inline(never)]
    fn field_sel(&mut self, v: &mut ExpDesc) -> R<()> {
        self.code.exp2anyregup(v)?;
        self.next()?;
        let name = self.str_checkname()?;
        let mut key = ExpDesc::new(ExpKind::KStr(name));
        self.code.indexed(v, &mut key)
    }

    /// The arguments of a call to `f` (`funcargs`).
    #[inline(never)]
    fn func_args(&mut self, f: ExpDesc, _prefix_line: u32, stat: bool) -> R<Mode> {
        // The call "happens" on the line of its arguments' opening token, as in 5.5.
        let line = self.lex.line;
        match self.token() {
            Token::Char(b'(') => {
                self.next()?;
                if self.token() != Token::Char(b')') {
                    return self.start_exp_list(Frame::CallArgs { f, line, stat });
                }
                self.check_match(Token::Char(b')'), Token::Char(b'('), line)?;
                self.call(f, ExpDesc::new(ExpKind::Void), line, stat)
            }
            Token::Char(b'{') => {
                self.push(Frame::CallArgs { f, line, stat })?;
                self.open_table(true)
            }
            Token::String => {
                let mut args = ExpDesc::new(ExpKind::Void);
                if let SemInfo::Str(s) = self.lex.sem {
                    args = ExpDesc::new(ExpKind::KStr(s));
                }
                self.next()?;
                self.call(f, args, line, stat)
            }
            _ => Err(self.syntax_error(b"function arguments expected")),
        }
    }

    /// Emits the call of `f` with `args` read, then goes on with the suffixes.
    #[inline(never)]
    fn call(&mut self, f: ExpDesc, mut args: ExpDesc, line: u32, stat: bool) -> R<Mode> {
        let base = match f.k {
            ExpKind::NonReloc(r) => r,
            _ => 0,
        };
        let nparams = if args.has_multret() {
            -1
        } else {
            if args.k != ExpKind::Void {
                self.code.exp2nextreg(&mut args)?;
            }
            self.code.fs.freereg as i32 - (base as i32 + 1)
        };
        let pc = self
            .code
            .code_abc(Op::Call, base, (nparams + 1) as u32, 2)?;
        self.code.fix_line(line);
        self.code.fs.freereg = base + 1;
        Ok(Mode::Suffixes {
            v: ExpDesc::new(ExpKind::Call(pc)),
            line,
            stat,
        })
    }

    /// `'{'` of a constructor (`constructor`); `in_args` when it is a call's argument.
    #[inline(never)]
    fn open_table(&mut self, in_args: bool) -> R<Mode> {
        let line = self.lex.line;
        let pc = self.code.code_abc(Op::NewTable, 0, 0, 0)? as usize;
        self.code.code(0)?; // room for the EXTRAARG
        let treg = self.code.fs.freereg;
        self.code.reserve_regs(1)?;
        let cons = Cons {
            cc: ConsControl {
                v: ExpDesc::new(ExpKind::Void),
                treg,
                nh: 0,
                na: 0,
                tostore: 0,
            },
            pc,
            line,
            in_args,
        };
        self.check_next(Token::Char(b'{'))?;
        self.table_field(cons)
    }

    /// The next field of a constructor, or its end (`field`).
    #[inline(never)]
    fn table_field(&mut self, mut c: Cons) -> R<Mode> {
        if self.token() == Token::Char(b'}') {
            return self.close_table(c);
        }
        self.close_list_field(&mut c.cc)?;
        let record = match self.token() {
            Token::Name => self.lex.lookahead(&mut self.code.strings)? == Token::Char(b'='),
            Token::Char(b'[') => true,
            _ => false,
        };
        let reg = self.code.fs.freereg;
        self.push(Frame::Table(c))?;
        if !record {
            return Ok(Mode::Expr); // a list item (`listfield`)
        }
        // `recfield`: the key, then `rec_value`.
        if self.token() == Token::Name {
            let name = self.str_checkname()?;
            self.rec_value(ExpDesc::new(ExpKind::KStr(name)), reg)
        } else {
            self.next()?;
            self.start_expr(Frame::RecKey { reg })
        }
    }

    /// `= exp` of a record field with `key` read; `reg` is the first free register
    /// before the field.
    fn rec_value(&mut self, mut key: ExpDesc, reg: u32) -> R<Mode> {
        let treg = match self.frames.last_mut() {
            Some(Frame::Table(c)) => {
                c.cc.nh += 1;
                c.cc.treg
            }
            _ => return Err(self.broken()),
        };
        self.check_next(Token::Char(b'='))?;
        let mut tab = ExpDesc::new(ExpKind::NonReloc(treg));
        self.code.indexed(&mut tab, &mut key)?;
        self.start_expr(Frame::RecValue { tab, reg })
    }

    fn table_separator(&mut self, c: Cons) -> R<Mode> {
        if self.test_next(Token::Char(b','))? || self.test_next(Token::Char(b';'))? {
            self.table_field(c)
        } else {
            self.close_table(c)
        }
    }

    #[inline(never)]
    fn close_table(&mut self, mut c: Cons) -> R<Mode> {
        self.check_match(Token::Char(b'}'), Token::Char(b'{'), c.line)?;
        self.last_list_field(&mut c.cc)?;
        let treg = c.cc.treg;
        self.code.set_table_size(c.pc, treg, c.cc.na, c.cc.nh);
        let t = ExpDesc::new(ExpKind::NonReloc(treg));
        if !c.in_args {
            return Ok(Mode::Operators(t));
        }
        match self.frames.pop() {
            Some(Frame::CallArgs { f, line, stat }) => self.call(f, t, line, stat),
            _ => Err(self.broken()),
        }
    }

    #[inline(never)]
    fn close_list_field(&mut self, cc: &mut ConsControl) -> R<()> {
        if cc.v.k == ExpKind::Void {
            return Ok(());
        }
        self.code.exp2nextreg(&mut cc.v)?;
        cc.v.k = ExpKind::Void;
        if cc.tostore == opcode::FIELDS_PER_FLUSH {
            self.code.set_list(cc.treg, cc.na, cc.tostore as i32)?;
            cc.na += cc.tostore;
            cc.tostore = 0;
        }
        Ok(())
    }

    #[inline(never)]
    fn last_list_field(&mut self, cc: &mut ConsControl) -> R<()> {
        if cc.tostore == 0 {
            return Ok(());
        }
        if cc.v.has_multret() {
            self.code.set_multret(&cc.v)?;
            self.code.set_list(cc.treg, cc.na, -1)?;
            cc.na = cc.na.wrapping_sub(1); // the open item does not count
        } else {
            if cc.v.k != ExpKind::Void {
                self.code.exp2nextreg(&mut cc.v)?;
            }
            self.code.set_list(cc.treg, cc.na, cc.tostore as i32)?;
        }
        cc.na = cc.na.wrapping_add(cc.tostore);
        Ok(())
    }

    // ---- statements ----

    fn block_follow(&self, with_until: bool) -> bool {
        match self.token() {
            Token::Else | Token::Elseif | Token::End | Token::Eof => true,
            Token::Until => with_until,
            _ => false,
        }
    }

    /// At a statement boundary: finishes the labels and the block that end here, or
    /// starts the next statement (`statlist`; a label's trailing `;`s and labels as in
    /// `labelstat`).
    fn step_stat(&mut self) -> R<Mode> {
        if let Some(&Frame::Label { name, line }) = self.frames.last() {
            if !matches!(self.token(), Token::Char(b';') | Token::DbColon) {
                self.frames.pop();
                return self.label_end(name, line);
            }
        } else if self.block_done || self.block_follow(true) {
            self.block_done = false;
            return self.close_block();
        }
        self.statement()
    }

    /// Starts a statement (`statement`); it ends in [`Parser::end_stat`].
    #[inline(never)]
    fn statement(&mut self) -> R<Mode> {
        let line = self.lex.line;
        self.enter_level()?;
        match self.token() {
            Token::Char(b';') => {
                self.next()?;
                self.end_stat()
            }
            Token::If => {
                self.push(Frame::If {
                    line,
                    escapes: NO_JUMP,
                })?;
                self.next()?;
                self.start_expr(Frame::IfCond)
            }
            Token::While => {
                self.next()?;
                let init = self.code.get_label();
                self.start_expr(Frame::WhileCond { line, init })
            }
            Token::Do => {
                self.next()?;
                self.enter_block(false)?;
                self.push(Frame::Do { line })?;
                Ok(Mode::Stat)
            }
            Token::For => self.for_stat(line),
            Token::Repeat => {
                let init = self.code.get_label();
                self.enter_block(true)?; // loop block
                self.enter_block(false)?; // scope block
                self.next()?;
                self.push(Frame::Repeat { line, init })?;
                Ok(Mode::Stat)
            }
            Token::Function => self.func_stat(line),
            Token::Local => self.local_stat_func(),
            Token::Global => self.global_stat_func(line),
            Token::DbColon => {
                self.next()?;
                let name = self.str_checkname()?;
                self.check_next(Token::DbColon)?;
                self.push(Frame::Label { name, line })?;
                Ok(Mode::Stat)
            }
            Token::Return => self.ret_stat(),
            Token::Break => {
                self.break_stat()?;
                self.end_stat()
            }
            Token::Goto => {
                self.goto_stat()?;
                self.end_stat()
            }
            Token::Name if self.starts_global_stat()? => self.global_stat_func(line),
            _ => {
                self.push(Frame::ExprStat)?;
                self.suffixed_exp(true)
            }
        }
    }

    /// `global` is not a reserved word (the default build's `LUA_COMPAT_GLOBAL`): it
    /// opens a declaration only when a name, `<`, `*` or `function` follows it.
    fn starts_global_stat(&mut self) -> R<bool> {
        if !matches!(self.lex.sem, SemInfo::Str(s) if s == self.global_name) {
            return Ok(false);
        }
        let next = self.lex.lookahead(&mut self.code.strings)?;
        Ok(matches!(
            next,
            Token::Name | Token::Function | Token::Char(b'<') | Token::Char(b'*')
        ))
    }

    fn end_stat(&mut self) -> R<Mode> {
        self.code.fs.freereg = self.code.fs.nvarstack;
        self.leave_level();
        Ok(Mode::Stat)
    }

    /// The statement list of the block on top ended: finishes the statement that
    /// opened it.
    #[inline(never)]
    fn close_block(&mut self) -> R<Mode> {
        let Some(frame) = self.frames.pop() else {
            return Err(self.broken());
        };
        match frame {
            Frame::Main => Ok(Mode::Done),
            Frame::Do { line } => {
                self.leave_block()?;
                self.check_match(Token::End, Token::Do, line)?;
                self.end_stat()
            }
            Frame::While { line, init, exit } => {
                self.leave_block()?;
                self.code.jump_to(init)?;
                self.check_match(Token::End, Token::While, line)?;
                self.leave_block()?;
                self.code.patch_to_here(exit)?;
                self.end_stat()
            }
            Frame::Repeat { line, init } => {
                self.check_match(Token::Until, Token::Repeat, line)?;
                self.start_expr(Frame::RepeatCond { init })
            }
            Frame::IfArm { jf } => {
                self.leave_block()?;
                if matches!(self.token(), Token::Else | Token::Elseif) {
                    let j = self.code.jump()?;
                    let Some(Frame::If { escapes, .. }) = self.frames.last_mut() else {
                        return Err(self.broken());
                    };
                    self.code.concat(escapes, j)?;
                }
                self.code.patch_to_here(jf)?;
                self.if_next_arm()
            }
            Frame::Else => {
                self.leave_block()?;
                self.if_end()
            }
            Frame::For {
                line,
                body_line,
                base,
                nvars,
                generic,
                prep,
            } => self.for_end(line, body_line, base, nvars, generic, prep),
            Frame::Body { line, in_expr } => self.close_body(line, in_expr),
            _ => Err(self.broken()),
        }
    }

    #[inline(never)]
    fn local_stat_func(&mut self) -> R<Mode> {
        self.next()?;
        if self.test_next(Token::Function)? {
            self.local_func()
        } else {
            self.local_stat()
        }
    }

    #[inline(never)]
    fn goto_stat(&mut self) -> R<()> {
        self.next()?;
        let line = self.lex.line;
        let name = self.str_checkname()?;
        match self.find_label(name) {
            None => {
                let j = self.code.jump()?;
                self.new_goto(name, line, j)
            }
            Some(lb) => {
                let lblevel = self.reg_level(lb.nactvar);
                if self.code.fs.nvarstack > lblevel {
                    self.code.code_abc(Op::Close, lblevel, 0, 0)?;
                }
                let j = self.code.jump()?;
                self.code.patch_list(j, lb.pc)
            }
        }
    }

    #[inline(never)]
    fn break_stat(&mut self) -> R<()> {
        let line = self.lex.line;
        self.next()?;
        let j = self.code.jump()?;
        self.new_goto(self.break_name, line, j)
    }

    /// `::name::` and the `;`s and labels after it have been read (`labelstat`).
    #[inline(never)]
    fn label_end(&mut self, name: StrId, line: u32) -> R<Mode> {
        if let Some(lb) = self.find_label(name) {
            let msg = Msg::new()
                .s(b"label ")
                .and_then(|m| self.quoted(m, name))
                .and_then(|m| m.s(b" already defined on line "))
                .and_then(|m| m.n(lb.line as i64));
            return Err(self.sem_error(msg));
        }
        let last = self.block_follow(false);
        self.create_label(name, line, last)?;
        self.end_stat()
    }

    /// `until cond` of a repeat loop whose body starts at `init`.
    #[inline(never)]
    fn repeat_end(&mut self, v: ExpDesc, init: usize) -> R<Mode> {
        let mut cond_exit = self.cond_exit(v)?;
        let scope = self.current_block();
        self.leave_block()?;
        if let Some(bl2) = scope.filter(|b| b.upval) {
            let exit = self.code.jump()?;
            self.code.patch_to_here(cond_exit)?;
            let level = self.reg_level(bl2.nactvar);
            self.code.code_abc(Op::Close, level, 0, 0)?;
            cond_exit = self.code.jump()?;
            self.code.patch_to_here(exit)?;
        }
        self.code.patch_list(cond_exit, init)?;
        self.leave_block()?;
        self.end_stat()
    }

    /// The false-exit jump list of condition `v` (`cond`).
    fn cond_exit(&mut self, mut v: ExpDesc) -> R<i32> {
        if v.k == ExpKind::Nil {
            v.k = ExpKind::False;
        }
        self.code.go_if_true(&mut v)?;
        Ok(v.f)
    }

    /// Patches the `Bx` distance of a for-loop jump.
    fn fix_for_jump(&mut self, pc: usize, dest: usize, back: bool) -> R<()> {
        let mut offset = dest as i64 - (pc as i64 + 1);
        if back {
            offset = -offset;
        }
        if offset > opcode::MAXARG_BX as i64 || offset < 0 {
            return Err(Error::Near(crate::lex::Limit::ControlTooLong));
        }
        let i = self.code.fs.f.code.get(pc).copied().unwrap_or(0);
        if let Some(slot) = self.code.fs.f.code.get_mut(pc) {
            *slot = ins::set_bx(i, offset as u32);
        }
        Ok(())
    }

    /// `do block` of a for loop (`forbody`); `body_line` is the line its loop
    /// instructions get.
    #[inline(never)]
    fn for_body(
        &mut self,
        line: u32,
        body_line: u32,
        base: u32,
        nvars: u32,
        generic: bool,
    ) -> R<Mode> {
        self.check_next(Token::Do)?;
        let prep_op = if generic { Op::TForPrep } else { Op::ForPrep };
        let prep = self.code.code_abx(prep_op, base, 0)? as usize;
        self.enter_block(false)?;
        self.adjust_local_vars(nvars)?;
        self.code.reserve_regs(nvars)?;
        self.enter_block(false)?;
        self.push(Frame::For {
            line,
            body_line,
            base,
            nvars,
            generic,
            prep,
        })?;
        Ok(Mode::Stat)
    }

    #[inline(never)]
    fn for_end(
        &mut self,
        line: u32,
        body_line: u32,
        base: u32,
        nvars: u32,
        generic: bool,
        prep: usize,
    ) -> R<Mode> {
        self.leave_block()?;
        self.leave_block()?;
        let here = self.code.get_label();
        self.fix_for_jump(prep, here, false)?;
        if generic {
            self.code.code_abc(Op::TForCall, base, 0, nvars)?;
            self.code.fix_line(body_line);
        }
        let loop_op = if generic { Op::TForLoop } else { Op::ForLoop };
        let endfor = self.code.code_abx(loop_op, base, 0)? as usize;
        self.fix_for_jump(endfor, prep + 1, true)?;
        self.code.fix_line(body_line);
        self.check_match(Token::End, Token::For, line)?;
        self.leave_block()?;
        self.end_stat()
    }

    /// `NAME = exp, exp [, exp]`: declares the loop's variables and starts the
    /// initial value.
    #[inline(never)]
    fn for_num(&mut self, varname: StrId, line: u32) -> R<Mode> {
        let base = self.code.fs.freereg;
        let state = self.intern(b"(for state)")?;
        self.new_local(state)?;
        self.new_local(state)?;
        self.new_local(state)?;
        self.new_var(varname, VdKind::Const)?; // 5.5: the control variable is read-only
        self.check_next(Token::Char(b'='))?;
        self.start_expr(Frame::ForNum {
            line,
            base,
            step: 0,
        })
    }

    /// After expression `step` (0 initial value, 1 limit, 2 step) of a numeric for.
    #[inline(never)]
    fn for_num_next(&mut self, line: u32, base: u32, step: u8) -> R<Mode> {
        match step {
            0 => {
                self.check_next(Token::Char(b','))?;
                return self.start_expr(Frame::ForNum {
                    line,
                    base,
                    step: 1,
                });
            }
            1 => {
                if self.test_next(Token::Char(b','))? {
                    return self.start_expr(Frame::ForNum {
                        line,
                        base,
                        step: 2,
                    });
                }
                let reg = self.code.fs.freereg;
                self.code.load_int(reg, 1)?;
                self.code.reserve_regs(1)?;
            }
            _ => {}
        }
        self.adjust_local_vars(3)?;
        self.for_body(line, line, base, 1, false)
    }

    /// `NAME {, NAME} in explist`: declares the loop's variables and starts the
    /// explist.
    #[inline(never)]
    fn for_list(&mut self, index_name: StrId, line: u32) -> R<Mode> {
        let mut nvars = 5u32; // generator, state, control, closing, index_name
        let base = self.code.fs.freereg;
        let state = self.intern(b"(for state)")?;
        for _ in 0..4 {
            self.new_local(state)?;
        }
        self.new_var(index_name, VdKind::Const)?; // 5.5: the control variable is read-only
        while self.test_next(Token::Char(b','))? {
            let name = self.str_checkname()?;
            self.new_local(name)?;
            nvars += 1;
        }
        self.check_next(Token::In)?;
        let exp_line = self.lex.line;
        self.start_exp_list(Frame::ForList {
            line,
            base,
            nvars,
            exp_line,
        })
    }

    fn mark_to_be_closed(&mut self) {
        if let Some(bl) = self.code.fs.blocks.last_mut() {
            bl.upval = true;
            bl.inside_tbc = true;
        }
        self.code.fs.needclose = true;
    }

    #[inline(never)]
    fn for_stat(&mut self, line: u32) -> R<Mode> {
        self.enter_block(true)?;
        self.next()?;
        let varname = self.str_checkname()?;
        match self.token() {
            Token::Char(b'=') => self.for_num(varname, line),
            Token::Char(b',') | Token::In => self.for_list(varname, line),
            _ => Err(self.syntax_error(b"'=' or 'in' expected")),
        }
    }

    /// `THEN` and what follows the condition `v` of an `if`/`elseif` arm
    /// (`test_then_block`). A lone `break` makes the jump the whole arm.
    #[inline(never)]
    fn then_part(&mut self, mut v: ExpDesc) -> R<Mode> {
        // 5.5 tests the condition on the line it ends on, not on the `then` line.
        let cond_line = self.code.line;
        self.check_next(Token::Then)?;
        let jf = if self.token() == Token::Break {
            let line = self.lex.line;
            self.code.go_if_false(&mut v)?;
            self.next()?;
            self.enter_block(false)?;
            self.new_goto(self.break_name, line, v.t)?;
            while self.test_next(Token::Char(b';'))? {}
            if self.block_follow(false) {
                self.leave_block()?;
                return self.if_next_arm();
            }
            self.code.jump()?
        } else {
            let line = core::mem::replace(&mut self.code.line, cond_line);
            self.code.go_if_true(&mut v)?;
            self.code.line = line;
            self.enter_block(false)?;
            v.f
        };
        self.push(Frame::IfArm { jf })?;
        Ok(Mode::Stat)
    }

    /// After an arm of an `if`: the next `elseif`, the `else` block or the `end`.
    fn if_next_arm(&mut self) -> R<Mode> {
        if self.token() == Token::Elseif {
            self.next()?;
            return self.start_expr(Frame::IfCond);
        }
        if self.test_next(Token::Else)? {
            self.enter_block(false)?;
            self.push(Frame::Else)?;
            return Ok(Mode::Stat);
        }
        self.if_end()
    }

    fn if_end(&mut self) -> R<Mode> {
        let Some(Frame::If { line, escapes }) = self.frames.pop() else {
            return Err(self.broken());
        };
        self.check_match(Token::End, Token::If, line)?;
        self.code.patch_to_here(escapes)?;
        self.end_stat()
    }

    #[inline(never)]
    fn local_func(&mut self) -> R<Mode> {
        let fvar = self.code.fs.nactvar;
        let name = self.str_checkname()?;
        self.new_local(name)?;
        self.adjust_local_vars(1)?;
        let line = self.lex.line;
        self.push(Frame::LocalFunc { fvar })?;
        self.open_body(line, false, false)
    }

    /// `['<' NAME '>']`: the attribute's kind, or `default`.
    fn var_attribute(&mut self, default: VdKind) -> R<VdKind> {
        if !self.test_next(Token::Char(b'<'))? {
            return Ok(default);
        }
        let attr = self.str_checkname()?;
        self.check_next(Token::Char(b'>'))?;
        match self.code.strings.get(attr) {
            b"const" => Ok(VdKind::Const),
            b"close" => Ok(VdKind::ToClose),
            _ => {
                let msg = Msg::new()
                    .s(b"unknown attribute ")
                    .and_then(|m| self.quoted(m, attr));
                Err(self.sem_error(msg))
            }
        }
    }

    #[inline(never)]
    fn local_stat(&mut self) -> R<Mode> {
        let mut toclose: Option<u32> = None;
        let mut nvars = 0u32;
        let defkind = self.var_attribute(VdKind::Regular)?;
        let mut vidx;
        loop {
            let name = self.str_checkname()?;
            let kind = self.var_attribute(defkind)?;
            vidx = self.new_var(name, kind)?;
            if kind == VdKind::ToClose {
                if toclose.is_some() {
                    return Err(self.sem_error(
                        Msg::new().s(b"multiple to-be-closed variables in local list"),
                    ));
                }
                toclose = Some(self.code.fs.nactvar + nvars);
            }
            nvars += 1;
            if !self.test_next(Token::Char(b','))? {
                break;
            }
        }
        if self.test_next(Token::Char(b'='))? {
            return self.start_exp_list(Frame::LocalStat {
                toclose,
                nvars,
                vidx,
            });
        }
        self.local_stat_end(toclose, nvars, vidx, ExpDesc::new(ExpKind::Void), 0)
    }

    /// `local` with its `nexps` values read, `e` the last one (`localstat`).
    #[inline(never)]
    fn local_stat_end(
        &mut self,
        toclose: Option<u32>,
        nvars: u32,
        vidx: u32,
        mut e: ExpDesc,
        nexps: u32,
    ) -> R<Mode> {
        let at = self.code.fs.firstlocal + vidx as usize;
        let last_kind = self.code.actvar.get(at).map(|v| v.kind);
        let konst = if nvars == nexps && last_kind == Some(VdKind::Const) {
            self.code.exp2const(&e)
        } else {
            None
        };
        if let Some(k) = konst {
            if let Some(vd) = self.code.actvar.get_mut(at) {
                vd.kind = VdKind::CompileTimeConst;
                vd.k = k;
            }
            self.adjust_local_vars(nvars - 1)?;
            self.activate_without_register(1);
        } else {
            self.adjust_assign(nvars, nexps, &mut e)?;
            self.adjust_local_vars(nvars)?;
        }
        if let Some(level) = toclose {
            self.mark_to_be_closed();
            let reg = self.reg_level(level);
            self.code.code_abc(Op::Tbc, reg, 0, 0)?;
        }
        self.end_stat()
    }

    /// An attribute of a global declaration: `<const>` makes it read-only, `<close>` is
    /// refused.
    fn global_attribute(&mut self, default: VdKind) -> R<VdKind> {
        match self.var_attribute(default)? {
            VdKind::ToClose => {
                Err(self.sem_error(Msg::new().s(b"global variables cannot be to-be-closed")))
            }
            VdKind::Const => Ok(VdKind::GlobalConst),
            other => Ok(other),
        }
    }

    #[inline(never)]
    fn global_stat_func(&mut self, line: u32) -> R<Mode> {
        self.next()?;
        if self.test_next(Token::Function)? {
            return self.global_func(line);
        }
        let defkind = self.global_attribute(VdKind::Global)?;
        if self.test_next(Token::Char(b'*'))? {
            self.new_var(NO_NAME, defkind)?;
            self.activate_without_register(1);
            return self.end_stat();
        }
        let first = self.code.actvar.len();
        let mut nvars = 0u32;
        loop {
            let name = self.str_checkname()?;
            let kind = self.global_attribute(defkind)?;
            self.new_var(name, kind)?;
            nvars += 1;
            if !self.test_next(Token::Char(b','))? {
                break;
            }
        }
        if self.test_next(Token::Char(b'='))? {
            let line = self.lex.line;
            return self.init_globals(first, nvars, line);
        }
        self.activate_without_register(nvars);
        self.end_stat()
    }

    /// `global x, y = e1, e2`: each target is checked to be nil (`ERRNNIL`) before it
    /// is assigned, last target first, as PUC Lua's `initglobal` does.
    fn init_globals(&mut self, first: usize, nvars: u32, line: u32) -> R<Mode> {
        let mut targets: Vec<(StrId, ExpDesc)> = Vec::new();
        for i in 0..nvars as usize {
            let name = self.code.actvar.get(first + i).map_or(0, |v| v.name);
            let mut var = ExpDesc::new(ExpKind::Void);
            self.build_global(name, &mut var)?;
            targets.try_push((name, var))?;
        }
        self.start_exp_list(Frame::GlobalInit {
            targets,
            nvars,
            line,
        })
    }

    fn check_global(&mut self, name: StrId, line: u32) -> R<()> {
        let mut var = ExpDesc::new(ExpKind::Void);
        self.build_global(name, &mut var)?;
        self.code.check_global(&mut var, name, line)
    }

    fn global_func(&mut self, line: u32) -> R<Mode> {
        let name = self.str_checkname()?;
        self.new_var(name, VdKind::Global)?;
        self.activate_without_register(1);
        let mut var = ExpDesc::new(ExpKind::Void);
        self.build_global(name, &mut var)?;
        let body_line = self.lex.line;
        self.push(Frame::GlobalFunc { name, var, line })?;
        self.open_body(body_line, false, false)
    }

    #[inline(never)]
    fn func_stat(&mut self, line: u32) -> R<Mode> {
        self.next()?;
        let mut v = ExpDesc::new(ExpKind::Void);
        let mut is_method = false;
        self.single_var(&mut v)?;
        while self.token() == Token::Char(b'.') {
            self.field_sel(&mut v)?;
        }
        if self.token() == Token::Char(b':') {
            is_method = true;
            self.field_sel(&mut v)?;
        }
        self.check_readonly(&v)?;
        self.push(Frame::FuncStat { v, line })?;
        self.open_body(line, is_method, false)
    }

    /// The closure `b` of a function statement is in its register: stores it.
    #[inline(never)]
    fn func_stat_end(&mut self, mut b: ExpDesc) -> R<Mode> {
        match self.frames.pop() {
            Some(Frame::FuncStat { v, line }) => {
                self.code.store_var(&v, &mut b)?;
                self.code.fix_line(line);
            }
            Some(Frame::LocalFunc { fvar }) => {
                // Debug information sees the variable only after the closure exists.
                let pc = self.code.fs.pc() as u32;
                if let Some(vd) = self.var_desc(&self.code.fs, fvar).copied() {
                    if let Some(lv) = self.code.fs.f.locals.get_mut(vd.pidx as usize) {
                        lv.start_pc = pc;
                    }
                }
            }
            Some(Frame::GlobalFunc { name, var, line }) => {
                self.check_global(name, line)?;
                self.code.store_var(&var, &mut b)?;
                self.code.fix_line(line);
            }
            _ => return Err(self.broken()),
        }
        self.end_stat()
    }

    /// The first target `v` of an expression statement has been read (`exprstat`).
    #[inline(never)]
    fn expr_stat_end(&mut self, v: ExpDesc) -> R<Mode> {
        if matches!(self.token(), Token::Char(b'=') | Token::Char(b',')) {
            let mut lhs: Vec<ExpDesc> = Vec::new();
            lhs.try_push(v)?;
            return self.rest_assign(lhs);
        }
        let ExpKind::Call(pc) = v.k else {
            return Err(self.syntax_error(b"syntax error"));
        };
        let i = self.code.fs.f.code.get(pc as usize).copied().unwrap_or(0);
        if let Some(slot) = self.code.fs.f.code.get_mut(pc as usize) {
            *slot = ins::set_c(i, 1); // a call statement keeps no results
        }
        self.end_stat()
    }

    /// `{',' var} '=' explist` with the targets read so far in `lhs` (PUC Lua recurses,
    /// one C frame per target).
    #[inline(never)]
    fn rest_assign(&mut self, lhs: Vec<ExpDesc>) -> R<Mode> {
        let Some(last) = lhs.last().copied() else {
            return Err(self.broken());
        };
        if !last.is_var() {
            return Err(self.syntax_error(b"syntax error"));
        }
        self.check_readonly(&last)?;
        if self.test_next(Token::Char(b','))? {
            self.push(Frame::Assign { lhs })?;
            return self.suffixed_exp(true);
        }
        self.check_next(Token::Char(b'='))?;
        self.start_exp_list(Frame::AssignValues { lhs })
    }

    /// The values of an assignment to `lhs` have been read, `e` the last one.
    #[inline(never)]
    fn assign_end(&mut self, lhs: &[ExpDesc], mut e: ExpDesc, nexps: u32) -> R<Mode> {
        let nvars = lhs.len() as u32;
        let mut pending = lhs.len();
        if nexps != nvars {
            self.adjust_assign(nvars, nexps, &mut e)?;
        } else if let Some(last) = lhs.last() {
            self.code.set_one_ret(&mut e);
            self.code.store_var(last, &mut e)?;
            pending -= 1;
        }
        for var in lhs.iter().take(pending).rev() {
            let mut value = ExpDesc::new(ExpKind::NonReloc(self.code.fs.freereg - 1));
            self.code.store_var(var, &mut value)?;
        }
        self.end_stat()
    }

    /// When a multiple assignment writes a local or upvalue used as a table or key by an
    /// earlier target, makes the earlier target use a copy (`check_conflict`).
    fn check_conflict(&mut self, lhs: &mut [ExpDesc], v: &ExpDesc) -> R<()> {
        let extra = self.code.fs.freereg as u8;
        let mut conflict = false;
        for lh in lhs.iter_mut().rev() {
            match (&mut lh.k, v.k) {
                (ExpKind::IndexUp { t, idx, ro, name }, ExpKind::Upval(u)) if *t as u32 == u => {
                    conflict = true;
                    lh.k = ExpKind::IndexStr {
                        t: extra,
                        idx: *idx,
                        ro: *ro,
                        name: *name,
                    };
                }
                (ExpKind::IndexUp { .. }, _) => {}
                (ExpKind::Indexed { t, idx, .. }, ExpKind::Local { ridx, .. }) => {
                    if *t == ridx {
                        conflict = true;
                        *t = extra;
                    }
                    if *idx == ridx {
                        conflict = true;
                        *idx = extra;
                    }
                }
                (
                    ExpKind::IndexInt { t, .. } | ExpKind::IndexStr { t, .. },
                    ExpKind::Local { ridx, .. },
                ) if *t == ridx => {
                    conflict = true;
                    *t = extra;
                }
                _ => {}
            }
        }
        if conflict {
            match v.k {
                ExpKind::Local { ridx, .. } => {
                    self.code.code_abc(Op::Move, extra as u32, ridx as u32, 0)?
                }
                ExpKind::Upval(u) => self.code.code_abc(Op::GetUpval, extra as u32, u, 0)?,
                _ => 0,
            };
            self.code.reserve_regs(1)?;
        }
        Ok(())
    }

    #[inline(never)]
    fn ret_stat(&mut self) -> R<Mode> {
        self.next()?;
        let first = self.code.fs.nvarstack;
        if self.block_follow(true) || self.token() == Token::Char(b';') {
            return self.ret_done(first, 0);
        }
        self.start_exp_list(Frame::Return { first })
    }

    /// The values `e` (the last) of a `return` with `n` values have been read.
    #[inline(never)]
    fn ret_end(&mut self, mut first: u32, mut e: ExpDesc, n: u32) -> R<Mode> {
        let nret;
        if e.has_multret() {
            self.code.set_multret(&e)?;
            let inside_tbc = self.current_block().is_some_and(|b| b.inside_tbc);
            if let (ExpKind::Call(pc), 1, false) = (e.k, n, inside_tbc) {
                let i = self.code.fs.f.code.get(pc as usize).copied().unwrap_or(0);
                if let Some(slot) = self.code.fs.f.code.get_mut(pc as usize) {
                    *slot = (i & !0x7f) | Op::TailCall as u32;
                }
            }
            nret = -1;
        } else if n == 1 {
            first = self.code.exp2anyreg(&mut e)?;
            nret = 1;
        } else {
            self.code.exp2nextreg(&mut e)?;
            first = self.code.fs.nvarstack;
            nret = n as i32;
        }
        self.ret_done(first, nret)
    }

    /// Emits the return; it ends its block's statement list.
    fn ret_done(&mut self, first: u32, nret: i32) -> R<Mode> {
        self.code.ret(first, nret)?;
        self.test_next(Token::Char(b';'))?;
        self.block_done = true;
        self.end_stat()
    }
}

/// What the parsing loop does next.
enum Mode {
    /// At a statement boundary of the block on top.
    Stat,
    /// Start an expression (a nesting level) for the consumer on top.
    Expr,
    /// Read an operand: prefix operators, then a simple expression.
    Operand,
    /// Read the suffixes of `v`, which started on `line`; `stat` when a statement
    /// reads it (the frame on top takes it), else it is an operand.
    Suffixes { v: ExpDesc, line: u32, stat: bool },
    /// `v` is an operand: read binary operators.
    Operators(ExpDesc),
    /// The main block is closed.
    Done,
}

/// A construct opened and not yet finished, on `Parser::frames`. A frame waits for
/// the end of a block (the first group), for an expression or expression list (most
/// of the others), for a suffixed expression (`ExprStat`, `Assign`) or for a closure
/// (`FuncStat`, `LocalFunc`, `GlobalFunc`, below the `Body` that makes it).
enum Frame {
    /// The main chunk.
    Main,
    /// `do` block.
    Do { line: u32 },
    /// `while` block; `init` is the loop's start, `exit` the condition's false exits.
    While { line: u32, init: usize, exit: i32 },
    /// `repeat` block; `init` is the loop's start.
    Repeat { line: u32, init: usize },
    /// Arm of an `if` (the `If` below); `jf` jumps over it.
    IfArm { jf: i32 },
    /// `else` block of the `If` below.
    Else,
    /// Body of a for loop opened on `line`: `nvars` declared variables from `base`,
    /// loop instructions on `body_line`, the prepare instruction at `prep`.
    For {
        line: u32,
        body_line: u32,
        base: u32,
        nvars: u32,
        generic: bool,
        prep: usize,
    },
    /// Function body opened on `line`; `in_expr` when its closure is an operand.
    Body { line: u32, in_expr: bool },
    /// `::name::` waiting for the `;`s and labels that follow it.
    Label { name: StrId, line: u32 },
    /// An `if` statement: the jumps to its end.
    If { line: u32, escapes: i32 },
    /// Condition of the `if`/`elseif` arm of the `If` below.
    IfCond,
    /// Condition of a `while`.
    WhileCond { line: u32, init: usize },
    /// Condition of a `repeat` whose loop starts at `init`.
    RepeatCond { init: usize },
    /// Expression `step` of a numeric for: initial value, limit, step.
    ForNum { line: u32, base: u32, step: u8 },
    /// Explist of a generic for.
    ForList {
        line: u32,
        base: u32,
        nvars: u32,
        exp_line: u32,
    },
    /// `function name body`: the variable `v`.
    FuncStat { v: ExpDesc, line: u32 },
    /// `local function name body`: the variable's index.
    LocalFunc { fvar: u32 },
    /// `global function name body`.
    GlobalFunc {
        name: StrId,
        var: ExpDesc,
        line: u32,
    },
    /// Values of a `local` statement.
    LocalStat {
        toclose: Option<u32>,
        nvars: u32,
        vidx: u32,
    },
    /// Values of a `global` statement for `targets`.
    GlobalInit {
        targets: Vec<(StrId, ExpDesc)>,
        nvars: u32,
        line: u32,
    },
    /// First suffixed expression of an expression statement.
    ExprStat,
    /// Next target of an assignment to `lhs`.
    Assign { lhs: Vec<ExpDesc> },
    /// Values of an assignment to `lhs`.
    AssignValues { lhs: Vec<ExpDesc> },
    /// Values of a `return`.
    Return { first: u32 },
    /// An expression list; `n` expressions so far.
    ExpList { n: u32 },
    /// A prefix operator read on `line`.
    Unary { op: UnOpr, line: u32 },
    /// `left op` awaiting its right operand.
    Binary {
        op: BinOpr,
        line: u32,
        left: ExpDesc,
    },
    /// An opening parenthesis of an operand on `line`.
    Paren { line: u32 },
    /// An opening parenthesis of a suffixed expression that starts a statement.
    PrimaryParen { line: u32, stat: bool },
    /// `t[` awaiting the key.
    Index { t: ExpDesc, line: u32, stat: bool },
    /// Arguments of a call to `f`: an explist in parentheses, or a table.
    CallArgs { f: ExpDesc, line: u32, stat: bool },
    /// A table constructor.
    Table(Cons),
    /// `[key]` of a record field; `reg` is the first free register before the field.
    RecKey { reg: u32 },
    /// Value of a record field stored through `tab`.
    RecValue { tab: ExpDesc, reg: u32 },
}

/// An open table constructor.
struct Cons {
    cc: ConsControl,
    /// The `NEWTABLE` instruction.
    pc: usize,
    /// Line of the `{`.
    line: u32,
    /// The table is a call's argument (`f{...}`).
    in_args: bool,
}

/// Table constructor state (`ConsControl`).
struct ConsControl {
    /// Last list item read, not yet stored.
    v: ExpDesc,
    /// Register of the table.
    treg: u32,
    /// Record fields.
    nh: u32,
    /// Array items already stored.
    na: u32,
    /// Array items pending a `SETLIST`.
    tostore: u32,
}

/// Records the global name (and read-only flag) in an `_ENV[name]` access.
fn set_global_name(var: &mut ExpDesc, gname: StrId, read_only: bool) {
    match &mut var.k {
        ExpKind::Indexed { ro, name, .. }
        | ExpKind::IndexUp { ro, name, .. }
        | ExpKind::IndexStr { ro, name, .. } => {
            *ro = read_only;
            *name = gname;
        }
        _ => {}
    }
}
