//! Parser: Lua 5.5 source to a `Proto` tree in one pass, driving the code generator as
//! it reads (lparser.c's role).
//!
//! The grammar is recursive descent. Every recursive production (statements and
//! subexpressions) goes through `enter_level`, which bounds nesting at `MAX_LEVELS` and
//! asks the `StackGuard` whether the native stack still has room, so untrusted source can
//! neither overflow the kernel stack nor recurse without limit. Per-level frames are kept
//! small: productions with bulky locals (constructors, function bodies, loops) live in
//! `#[inline(never)]` functions so that their locals are not part of every level's
//! frame, and errors are a two-byte `Error` with the message kept in the lexer.

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
        pending: Vec::new(),
        code: Code::new(fs),
        labels: Vec::new(),
        gotos: Vec::new(),
        guard,
        depth: 0,
        env_name: 0,
        break_name: 0,
        chunkname,
    };
    match p.main_func() {
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

/// An operation `subexpr` waits to finish.
#[derive(Clone, Copy, Debug)]
enum Pending {
    /// A prefix operator read on `line`.
    Unary { op: UnOpr, line: u32 },
    /// `left op` awaiting its right operand.
    Binary {
        op: BinOpr,
        line: u32,
        left: ExpDesc,
    },
    /// An opening parenthesis on `line`.
    Paren { line: u32 },
}

struct Parser<'s, 'g> {
    lex: Lexer<'s>,
    /// Pending operations of `subexpr`, with the limit to restore after each.
    pending: Vec<(Pending, u8)>,
    code: Code,
    /// Labels visible in the current functions (`dyd->label`).
    labels: Vec<LabelDesc>,
    /// Pending gotos (`dyd->gt`).
    gotos: Vec<LabelDesc>,
    guard: &'g StackGuard,
    depth: u32,
    env_name: StrId,
    break_name: StrId,
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
        match msg {
            Ok(m) => self.lex.report(&m.0, None),
            Err(_) => Error::Memory,
        }
    }

    /// `'name'` in a message.
    fn quoted(&self, m: Msg, name: StrId) -> Result<Msg, AllocError> {
        m.s(b"'")?.s(self.code.strings.get(name))?.s(b"'")
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
        if count > MAX_VARS {
            return Err(self.error_limit(self.top_level(), MAX_VARS, b"local variables"));
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
            hasclose = self.create_label(self.break_name, 0, false)?;
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
                .and_then(|m| m.s(b" jumps into the scope of local "))
                .and_then(|m| self.quoted(m, varname));
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
        self.stat_list()?;
        self.check(Token::Eof)?;
        self.close_func()
    }

    /// `(parlist) block end` (`body`); leaves the closure in the next register.
    #[inline(never)]
    fn body(&mut self, e: &mut ExpDesc, is_method: bool, line: u32) -> R<()> {
        self.open_func(line)?;
        if is_method {
            let name = self.intern(b"self")?;
            self.new_local(name)?;
            self.adjust_local_vars(1)?;
        }
        self.check_next(Token::Char(b'('))?;
        self.par_list()?;
        self.check_next(Token::Char(b')'))?;
        self.stat_list()?;
        self.code.fs.f.last_line_defined = self.lex.line;
        self.check_match(Token::End, Token::Function, line)?;
        let np = self.close_nested()?;
        *e = ExpDesc::new(ExpKind::Reloc(self.code.code_abx(Op::Closure, 0, np)?));
        self.code.exp2nextreg(e)
    }

    /// Closes a nested function and adds it to the enclosing one; returns its index.
    /// Apart from `body` so the finished `Proto` does not sit in the recursive frame.
    #[inline(never)]
    fn close_nested(&mut self) -> R<u32> {
        let proto = self.close_func()?;
        let np = self.code.fs.f.protos.len() as u32;
        if np > opcode::MAXARG_BX {
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

    // ---- expressions ----

    fn expr(&mut self, v: &mut ExpDesc) -> R<()> {
        self.subexpr(v, 0)?;
        Ok(())
    }

    fn exp_list(&mut self, v: &mut ExpDesc) -> R<u32> {
        let mut n = 1;
        self.expr(v)?;
        while self.test_next(Token::Char(b','))? {
            self.code.exp2nextreg(v)?;
            self.expr(v)?;
            n += 1;
        }
        Ok(n)
    }

    /// `subexpr -> (simpleexp | unop subexpr) { binop subexpr }`, reading operators
    /// that bind tighter than `limit`; returns the first operator it did not take.
    ///
    /// Where lparser.c recurses for each unary operator, each right operand and each
    /// parenthesised expression, this keeps the pending operators on `self.pending`
    /// (on the heap), so operator chains and parentheses use no native stack per level.
    /// The code generator sees the same calls in the same order. Every pending entry
    /// still counts as a nesting level, as C Lua's recursion does.
    fn subexpr(&mut self, v: &mut ExpDesc, limit: u8) -> R<Option<BinOpr>> {
        self.enter_level()?;
        let base = self.pending.len();
        let mut limit = limit;
        loop {
            // Operand: prefix operators and opening parentheses wait on the stack.
            loop {
                if let Some(op) = unary_op(self.token()) {
                    let line = self.lex.line;
                    self.next()?;
                    self.push_pending(Pending::Unary { op, line }, limit)?;
                    limit = UNARY_PRIORITY;
                } else if self.token() == Token::Char(b'(') {
                    let line = self.lex.line;
                    self.next()?;
                    self.push_pending(Pending::Paren { line }, limit)?;
                    limit = 0;
                } else {
                    break;
                }
            }
            self.simple_exp(v)?;
            // Operators: extend with one that binds tighter than `limit`, or finish the
            // innermost pending operation.
            loop {
                let op = binary_op(self.token());
                if let Some(o) = op {
                    let (left, right) = PRIORITY[o as usize]; // `o as usize` < 21: one entry per `BinOpr`
                    if left > limit {
                        let line = self.lex.line;
                        self.next()?;
                        self.code.infix(o, v)?;
                        self.push_pending(
                            Pending::Binary {
                                op: o,
                                line,
                                left: *v,
                            },
                            limit,
                        )?;
                        limit = right;
                        break;
                    }
                }
                if self.pending.len() <= base {
                    self.leave_level();
                    return Ok(op);
                }
                limit = self.finish_pending(v)?;
            }
        }
    }

    /// Completes the innermost pending operation with operand `v`; returns the limit
    /// to resume with. Apart from `subexpr` so its temporaries stay out of that frame.
    #[inline(never)]
    fn finish_pending(&mut self, v: &mut ExpDesc) -> R<u8> {
        let Some((pending, saved)) = self.pending.pop() else {
            return Ok(0);
        };
        self.leave_level();
        match pending {
            Pending::Unary { op, line } => self.code.prefix(op, v, line)?,
            Pending::Binary { op, line, left } => {
                let mut e1 = left;
                self.code.posfix(op, &mut e1, v, line)?;
                *v = e1;
            }
            Pending::Paren { line } => {
                self.check_match(Token::Char(b')'), Token::Char(b'('), line)?;
                self.code.discharge_vars(v)?;
                self.suffixes(v, line)?;
            }
        }
        Ok(saved)
    }

    #[inline(never)]
    fn push_pending(&mut self, pending: Pending, limit: u8) -> R<()> {
        self.enter_level()?;
        self.pending.try_push((pending, limit))?;
        Ok(())
    }

    fn simple_exp(&mut self, v: &mut ExpDesc) -> R<()> {
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
            Token::Char(b'{') => return self.constructor(v),
            Token::Function => {
                self.next()?;
                let line = self.lex.line;
                return self.body(v, false, line);
            }
            _ => return self.suffixed_exp(v),
        };
        *v = ExpDesc::new(k);
        self.next()
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

    fn primary_exp(&mut self, v: &mut ExpDesc) -> R<()> {
        match self.token() {
            Token::Char(b'(') => {
                let line = self.lex.line;
                self.next()?;
                self.expr(v)?;
                self.check_match(Token::Char(b')'), Token::Char(b'('), line)?;
                self.code.discharge_vars(v)
            }
            Token::Name => self.single_var(v),
            _ => Err(self.syntax_error(b"unexpected symbol")),
        }
    }

    /// `primaryexp { '.' NAME | '[' exp ']' | ':' NAME funcargs | funcargs }`
    fn suffixed_exp(&mut self, v: &mut ExpDesc) -> R<()> {
        let line = self.lex.line;
        self.primary_exp(v)?;
        self.suffixes(v, line)
    }

    /// The suffixes of a suffixed expression that started on `line`.
    fn suffixes(&mut self, v: &mut ExpDesc, line: u32) -> R<()> {
        loop {
            match self.token() {
                Token::Char(b'.') => self.field_sel(v)?,
                Token::Char(b'[') => self.index_suffix(v)?,
                Token::Char(b':') => self.method_call(v, line)?,
                Token::Char(b'(') | Token::String | Token::Char(b'{') => {
                    self.code.exp2nextreg(v)?;
                    self.func_args(v, line)?;
                }
                _ => return Ok(()),
            }
        }
    }

    #[inline(never)]
    fn index_suffix(&mut self, v: &mut ExpDesc) -> R<()> {
        let mut key = ExpDesc::new(ExpKind::Void);
        self.code.exp2anyregup(v)?;
        self.yindex(&mut key)?;
        self.code.indexed(v, &mut key)
    }

    #[inline(never)]
    fn method_call(&mut self, v: &mut ExpDesc, line: u32) -> R<()> {
        self.next()?;
        let name = self.str_checkname()?;
        let mut key = ExpDesc::new(ExpKind::KStr(name));
        self.code.self_op(v, &mut key)?;
        self.func_args(v, line)
    }

    #[inline(never)]
    fn field_sel(&mut self, v: &mut ExpDesc) -> R<()> {
        self.code.exp2anyregup(v)?;
        self.next()?;
        let name = self.str_checkname()?;
        let mut key = ExpDesc::new(ExpKind::KStr(name));
        self.code.indexed(v, &mut key)
    }

    fn yindex(&mut self, v: &mut ExpDesc) -> R<()> {
        self.next()?;
        self.expr(v)?;
        self.code.exp2val(v)?;
        self.check_next(Token::Char(b']'))
    }

    #[inline(never)]
    fn func_args(&mut self, f: &mut ExpDesc, line: u32) -> R<()> {
        let mut args = ExpDesc::new(ExpKind::Void);
        match self.token() {
            Token::Char(b'(') => {
                self.next()?;
                if self.token() != Token::Char(b')') {
                    self.exp_list(&mut args)?;
                    if args.has_multret() {
                        self.code.set_multret(&args)?;
                    }
                }
                self.check_match(Token::Char(b')'), Token::Char(b'('), line)?;
            }
            Token::Char(b'{') => self.constructor(&mut args)?,
            Token::String => {
                if let SemInfo::Str(s) = self.lex.sem {
                    args = ExpDesc::new(ExpKind::KStr(s));
                }
                self.next()?;
            }
            _ => return Err(self.syntax_error(b"function arguments expected")),
        }
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
        *f = ExpDesc::new(ExpKind::Call(self.code.code_abc(
            Op::Call,
            base,
            (nparams + 1) as u32,
            2,
        )?));
        self.code.fix_line(line);
        self.code.fs.freereg = base + 1;
        Ok(())
    }

    /// `{ fields }` (`constructor`).
    #[inline(never)]
    fn constructor(&mut self, t: &mut ExpDesc) -> R<()> {
        let line = self.lex.line;
        let pc = self.code.code_abc(Op::NewTable, 0, 0, 0)? as usize;
        self.code.code(0)?; // room for the EXTRAARG
        let treg = self.code.fs.freereg;
        *t = ExpDesc::new(ExpKind::NonReloc(treg));
        self.code.reserve_regs(1)?;
        let mut cc = ConsControl {
            v: ExpDesc::new(ExpKind::Void),
            treg,
            nh: 0,
            na: 0,
            tostore: 0,
        };
        self.check_next(Token::Char(b'{'))?;
        loop {
            if self.token() == Token::Char(b'}') {
                break;
            }
            self.close_list_field(&mut cc)?;
            self.field(&mut cc)?;
            if !(self.test_next(Token::Char(b','))? || self.test_next(Token::Char(b';'))?) {
                break;
            }
        }
        self.check_match(Token::Char(b'}'), Token::Char(b'{'), line)?;
        self.last_list_field(&mut cc)?;
        self.code.set_table_size(pc, treg, cc.na, cc.nh);
        Ok(())
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

    fn field(&mut self, cc: &mut ConsControl) -> R<()> {
        match self.token() {
            Token::Name => {
                if self.lex.lookahead(&mut self.code.strings)? != Token::Char(b'=') {
                    self.list_field(cc)
                } else {
                    self.rec_field(cc)
                }
            }
            Token::Char(b'[') => self.rec_field(cc),
            _ => self.list_field(cc),
        }
    }

    fn list_field(&mut self, cc: &mut ConsControl) -> R<()> {
        self.expr(&mut cc.v)?;
        cc.tostore += 1;
        Ok(())
    }

    #[inline(never)]
    fn rec_field(&mut self, cc: &mut ConsControl) -> R<()> {
        let reg = self.code.fs.freereg;
        let mut key = ExpDesc::new(ExpKind::Void);
        if self.token() == Token::Name {
            let name = self.str_checkname()?;
            key = ExpDesc::new(ExpKind::KStr(name));
        } else {
            self.yindex(&mut key)?;
        }
        cc.nh += 1;
        self.check_next(Token::Char(b'='))?;
        let mut tab = ExpDesc::new(ExpKind::NonReloc(cc.treg));
        self.code.indexed(&mut tab, &mut key)?;
        let mut val = ExpDesc::new(ExpKind::Void);
        self.expr(&mut val)?;
        self.code.store_var(&tab, &mut val)?;
        self.code.fs.freereg = reg;
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

    fn stat_list(&mut self) -> R<()> {
        while !self.block_follow(true) {
            if self.token() == Token::Return {
                return self.statement();
            }
            self.statement()?;
        }
        Ok(())
    }

    fn block(&mut self) -> R<()> {
        self.enter_block(false)?;
        self.stat_list()?;
        self.leave_block()
    }

    fn statement(&mut self) -> R<()> {
        let line = self.lex.line;
        self.enter_level()?;
        match self.token() {
            Token::Char(b';') => self.next()?,
            Token::If => self.if_stat(line)?,
            Token::While => self.while_stat(line)?,
            Token::Do => self.do_stat(line)?,
            Token::For => self.for_stat(line)?,
            Token::Repeat => self.repeat_stat(line)?,
            Token::Function => self.func_stat(line)?,
            Token::Local => self.local_stat_func()?,
            Token::Global => self.global_stat_func(line)?,
            Token::DbColon => self.label_stat(line)?,
            Token::Return => self.ret_stat()?,
            Token::Break => self.break_stat()?,
            Token::Goto => self.goto_stat()?,
            _ => self.expr_stat()?,
        }
        self.code.fs.freereg = self.code.fs.nvarstack;
        self.leave_level();
        Ok(())
    }

    #[inline(never)]
    fn do_stat(&mut self, line: u32) -> R<()> {
        self.next()?;
        self.block()?;
        self.check_match(Token::End, Token::Do, line)
    }

    #[inline(never)]
    fn local_stat_func(&mut self) -> R<()> {
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

    #[inline(never)]
    fn label_stat(&mut self, line: u32) -> R<()> {
        self.next()?;
        let name = self.str_checkname()?;
        self.check_next(Token::DbColon)?;
        while self.token() == Token::Char(b';') || self.token() == Token::DbColon {
            self.statement()?;
        }
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
        Ok(())
    }

    #[inline(never)]
    fn while_stat(&mut self, line: u32) -> R<()> {
        self.next()?;
        let while_init = self.code.get_label();
        let cond_exit = self.cond()?;
        self.enter_block(true)?;
        self.check_next(Token::Do)?;
        self.block()?;
        self.code.jump_to(while_init)?;
        self.check_match(Token::End, Token::While, line)?;
        self.leave_block()?;
        self.code.patch_to_here(cond_exit)
    }

    #[inline(never)]
    fn repeat_stat(&mut self, line: u32) -> R<()> {
        let repeat_init = self.code.get_label();
        self.enter_block(true)?; // loop block
        self.enter_block(false)?; // scope block
        self.next()?;
        self.stat_list()?;
        self.check_match(Token::Until, Token::Repeat, line)?;
        let mut cond_exit = self.cond()?;
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
        self.code.patch_list(cond_exit, repeat_init)?;
        self.leave_block()
    }

    /// Reads a condition; returns its false-exit jump list.
    #[inline(never)]
    fn cond(&mut self) -> R<i32> {
        let mut v = ExpDesc::new(ExpKind::Void);
        self.expr(&mut v)?;
        if v.k == ExpKind::Nil {
            v.k = ExpKind::False;
        }
        self.code.go_if_true(&mut v)?;
        Ok(v.f)
    }

    #[inline(never)]
    fn exp1(&mut self) -> R<()> {
        let mut e = ExpDesc::new(ExpKind::Void);
        self.expr(&mut e)?;
        self.code.exp2nextreg(&mut e)
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

    fn for_body(&mut self, base: u32, line: u32, nvars: u32, generic: bool) -> R<()> {
        self.check_next(Token::Do)?;
        let prep_op = if generic { Op::TForPrep } else { Op::ForPrep };
        let prep = self.code.code_abx(prep_op, base, 0)? as usize;
        self.enter_block(false)?;
        self.adjust_local_vars(nvars)?;
        self.code.reserve_regs(nvars)?;
        self.block()?;
        self.leave_block()?;
        let here = self.code.get_label();
        self.fix_for_jump(prep, here, false)?;
        if generic {
            self.code.code_abc(Op::TForCall, base, 0, nvars)?;
            self.code.fix_line(line);
        }
        let loop_op = if generic { Op::TForLoop } else { Op::ForLoop };
        let endfor = self.code.code_abx(loop_op, base, 0)? as usize;
        self.fix_for_jump(endfor, prep + 1, true)?;
        self.code.fix_line(line);
        Ok(())
    }

    /// `NAME = exp, exp [, exp]`; returns the base register.
    #[inline(never)]
    fn for_num(&mut self, varname: StrId) -> R<u32> {
        let base = self.code.fs.freereg;
        let state = self.intern(b"(for state)")?;
        self.new_local(state)?;
        self.new_local(state)?;
        self.new_local(state)?;
        self.new_var(varname, VdKind::Const)?; // 5.5: the control variable is read-only
        self.check_next(Token::Char(b'='))?;
        self.exp1()?;
        self.check_next(Token::Char(b','))?;
        self.exp1()?;
        if self.test_next(Token::Char(b','))? {
            self.exp1()?;
        } else {
            let reg = self.code.fs.freereg;
            self.code.load_int(reg, 1)?;
            self.code.reserve_regs(1)?;
        }
        self.adjust_local_vars(3)?;
        Ok(base)
    }

    /// `NAME {, NAME} in explist`; returns the base register, the number of declared
    /// variables and the line of the explist.
    #[inline(never)]
    fn for_list(&mut self, index_name: StrId) -> R<(u32, u32, u32)> {
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
        let line = self.lex.line;
        let mut e = ExpDesc::new(ExpKind::Void);
        let nexps = self.exp_list(&mut e)?;
        self.adjust_assign(4, nexps, &mut e)?;
        self.adjust_local_vars(4)?;
        self.mark_to_be_closed();
        self.code.check_stack(3)?;
        Ok((base, nvars - 4, line))
    }

    fn mark_to_be_closed(&mut self) {
        if let Some(bl) = self.code.fs.blocks.last_mut() {
            bl.upval = true;
            bl.inside_tbc = true;
        }
        self.code.fs.needclose = true;
    }

    #[inline(never)]
    fn for_stat(&mut self, line: u32) -> R<()> {
        self.enter_block(true)?;
        self.next()?;
        let varname = self.str_checkname()?;
        match self.token() {
            Token::Char(b'=') => {
                let base = self.for_num(varname)?;
                self.for_body(base, line, 1, false)?;
            }
            Token::Char(b',') | Token::In => {
                let (base, nvars, exp_line) = self.for_list(varname)?;
                self.for_body(base, exp_line, nvars, true)?;
            }
            _ => return Err(self.syntax_error(b"'=' or 'in' expected")),
        }
        self.check_match(Token::End, Token::For, line)?;
        self.leave_block()
    }

    /// `[IF | ELSEIF] cond THEN block`
    fn test_then_block(&mut self, escape_list: &mut i32) -> R<()> {
        let Some(jf) = self.test_then()? else {
            return Ok(()); // `if cond then break end`: the jump is the whole block
        };
        self.stat_list()?;
        self.leave_block()?;
        if matches!(self.token(), Token::Else | Token::Elseif) {
            let j = self.code.jump()?;
            self.code.concat(escape_list, j)?;
        }
        self.code.patch_to_here(jf)
    }

    /// The `[IF | ELSEIF] cond THEN` part: enters the block and returns the jump over
    /// it, or `None` when a lone `break` made up the whole block. Kept apart from
    /// `test_then_block` so the condition's descriptor is not in the recursive frame.
    #[inline(never)]
    fn test_then(&mut self) -> R<Option<i32>> {
        let mut v = ExpDesc::new(ExpKind::Void);
        self.next()?;
        self.expr(&mut v)?;
        self.check_next(Token::Then)?;
        if self.token() == Token::Break {
            let line = self.lex.line;
            self.code.go_if_false(&mut v)?;
            self.next()?;
            self.enter_block(false)?;
            self.new_goto(self.break_name, line, v.t)?;
            while self.test_next(Token::Char(b';'))? {}
            if self.block_follow(false) {
                self.leave_block()?;
                return Ok(None);
            }
            Ok(Some(self.code.jump()?))
        } else {
            self.code.go_if_true(&mut v)?;
            self.enter_block(false)?;
            Ok(Some(v.f))
        }
    }

    #[inline(never)]
    fn if_stat(&mut self, line: u32) -> R<()> {
        let mut escape_list = NO_JUMP;
        self.test_then_block(&mut escape_list)?;
        while self.token() == Token::Elseif {
            self.test_then_block(&mut escape_list)?;
        }
        if self.test_next(Token::Else)? {
            self.block()?;
        }
        self.check_match(Token::End, Token::If, line)?;
        self.code.patch_to_here(escape_list)
    }

    #[inline(never)]
    fn local_func(&mut self) -> R<()> {
        let mut b = ExpDesc::new(ExpKind::Void);
        let fvar = self.code.fs.nactvar;
        let name = self.str_checkname()?;
        self.new_local(name)?;
        self.adjust_local_vars(1)?;
        let line = self.lex.line;
        self.body(&mut b, false, line)?;
        // Debug information sees the variable only after the closure exists.
        let pc = self.code.fs.pc() as u32;
        if let Some(vd) = self.var_desc(&self.code.fs, fvar).copied() {
            if let Some(lv) = self.code.fs.f.locals.get_mut(vd.pidx as usize) {
                lv.start_pc = pc;
            }
        }
        Ok(())
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
    fn local_stat(&mut self) -> R<()> {
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
        let mut e = ExpDesc::new(ExpKind::Void);
        let nexps = if self.test_next(Token::Char(b'='))? {
            self.exp_list(&mut e)?
        } else {
            0
        };
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
        Ok(())
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
    fn global_stat_func(&mut self, line: u32) -> R<()> {
        self.next()?;
        if self.test_next(Token::Function)? {
            return self.global_func(line);
        }
        let defkind = self.global_attribute(VdKind::Global)?;
        if self.test_next(Token::Char(b'*'))? {
            self.new_var(NO_NAME, defkind)?;
            self.activate_without_register(1);
            return Ok(());
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
            self.init_globals(first, nvars, line)?;
        }
        self.activate_without_register(nvars);
        Ok(())
    }

    /// `global x, y = e1, e2`: each target is checked to be nil (`ERRNNIL`) before it
    /// is assigned, last target first, as PUC Lua's `initglobal` does.
    fn init_globals(&mut self, first: usize, nvars: u32, line: u32) -> R<()> {
        let mut targets: Vec<(StrId, ExpDesc)> = Vec::new();
        for i in 0..nvars as usize {
            let name = self.code.actvar.get(first + i).map_or(0, |v| v.name);
            let mut var = ExpDesc::new(ExpKind::Void);
            self.build_global(name, &mut var)?;
            targets.try_push((name, var))?;
        }
        let mut e = ExpDesc::new(ExpKind::Void);
        let nexps = self.exp_list(&mut e)?;
        self.adjust_assign(nvars, nexps, &mut e)?;
        for (name, var) in targets.iter().rev() {
            self.check_global(*name, line)?;
            let mut value = ExpDesc::new(ExpKind::NonReloc(self.code.fs.freereg - 1));
            self.code.store_var(var, &mut value)?;
        }
        Ok(())
    }

    fn check_global(&mut self, name: StrId, line: u32) -> R<()> {
        let mut var = ExpDesc::new(ExpKind::Void);
        self.build_global(name, &mut var)?;
        self.code.check_global(&mut var, name, line)
    }

    fn global_func(&mut self, line: u32) -> R<()> {
        let name = self.str_checkname()?;
        self.new_var(name, VdKind::Global)?;
        self.activate_without_register(1);
        let mut var = ExpDesc::new(ExpKind::Void);
        self.build_global(name, &mut var)?;
        let mut b = ExpDesc::new(ExpKind::Void);
        let body_line = self.lex.line;
        self.body(&mut b, false, body_line)?;
        self.check_global(name, line)?;
        self.code.store_var(&var, &mut b)?;
        self.code.fix_line(line);
        Ok(())
    }

    #[inline(never)]
    fn func_stat(&mut self, line: u32) -> R<()> {
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
        let mut b = ExpDesc::new(ExpKind::Void);
        self.body(&mut b, is_method, line)?;
        self.check_readonly(&v)?;
        self.code.store_var(&v, &mut b)?;
        self.code.fix_line(line);
        Ok(())
    }

    #[inline(never)]
    fn expr_stat(&mut self) -> R<()> {
        let mut v = ExpDesc::new(ExpKind::Void);
        self.suffixed_exp(&mut v)?;
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
        Ok(())
    }

    /// `var {',' var} '=' explist`, with the targets kept in `lhs` (PUC Lua recurses,
    /// one C frame per target).
    fn rest_assign(&mut self, mut lhs: Vec<ExpDesc>) -> R<()> {
        loop {
            let Some(last) = lhs.last().copied() else {
                return Ok(());
            };
            if !last.is_var() {
                return Err(self.syntax_error(b"syntax error"));
            }
            self.check_readonly(&last)?;
            if !self.test_next(Token::Char(b','))? {
                break;
            }
            let mut nv = ExpDesc::new(ExpKind::Void);
            self.suffixed_exp(&mut nv)?;
            if !nv.is_indexed() {
                self.check_conflict(&mut lhs, &nv)?;
            }
            lhs.try_push(nv)?;
        }
        self.check_next(Token::Char(b'='))?;
        let nvars = lhs.len() as u32;
        let mut e = ExpDesc::new(ExpKind::Void);
        let nexps = self.exp_list(&mut e)?;
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
        Ok(())
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
    fn ret_stat(&mut self) -> R<()> {
        self.next()?;
        let mut first = self.code.fs.nvarstack;
        let nret;
        if self.block_follow(true) || self.token() == Token::Char(b';') {
            nret = 0;
        } else {
            let mut e = ExpDesc::new(ExpKind::Void);
            let n = self.exp_list(&mut e)?;
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
        }
        self.code.ret(first, nret)?;
        self.test_next(Token::Char(b';'))?;
        Ok(())
    }
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
