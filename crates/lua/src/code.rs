//! Code generator: registers, constants, jumps and expression descriptors (lcode.c's
//! role), plus constant folding.
//!
//! The parser drives it one expression at a time through `ExpDesc`, a value whose
//! `k` says where the value lives (a constant, a register, a pending instruction whose
//! target register is still open, a jump, ...). Each `discharge` moves a descriptor one
//! step towards a register. The instruction sequences are chosen to be the ones Lua
//! 5.4's lcode.c emits, so that `luac -l -l` listings compare equal.
//!
//! Jump lists: a pending jump's `sJ` field links to the next jump of the same list
//! (relative offset), and `NO_JUMP` ends the list, as in lcode.c; no side vector.
//!
//! Invariant: registers are allocated as a stack. `freereg` is the first free register;
//! every register at or above `nvarstack()` holds a temporary and is freed in reverse
//! order of allocation.

use alloc::vec::Vec;

use crate::lex::{Error, Limit, StrId, Strings};
use crate::number::{self, Rounding};
use crate::opcode::{self, ins, Instruction, Op, TagMethod};
use crate::proto::{Constant, Proto, VarKind};
use crate::tvec::{self, AllocError, TryVec};

pub(crate) type CResult<T> = Result<T, Error>;

/// End of a jump list.
pub(crate) const NO_JUMP: i32 = -1;
/// "No register" for `TESTSET` patching.
const NO_REG: u32 = opcode::MAXARG_A;
/// Largest constant index an `RK` operand can hold (`MAXINDEXRK`).
const MAX_INDEX_RK: u32 = opcode::MAXARG_B;
/// Longest string that C Lua interns as a short string (`LUAI_MAXSHORTLEN`); only
/// those can be `K[C]:shortstring` operands.
const MAX_SHORT_LEN: usize = 40;
/// An instruction with no valid opcode, standing for "no previous instruction".
const INVALID: Instruction = !0;

/// Kinds of variable declarations (`VDKREG`, `RDKCONST`, ... plus 5.5's globals).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum VdKind {
    Regular,
    Const,
    ToClose,
    /// A `<const>` local whose value is known: it has no register.
    CompileTimeConst,
    Global,
    GlobalConst,
}

impl VdKind {
    /// Whether a variable of this kind occupies a register.
    pub(crate) fn in_register(self) -> bool {
        matches!(self, VdKind::Regular | VdKind::Const | VdKind::ToClose)
    }

    pub(crate) fn is_global(self) -> bool {
        matches!(self, VdKind::Global | VdKind::GlobalConst)
    }

    fn proto_kind(self) -> VarKind {
        match self {
            VdKind::Const | VdKind::GlobalConst => VarKind::Const,
            VdKind::ToClose => VarKind::ToClose,
            VdKind::CompileTimeConst => VarKind::CompileTimeConst,
            VdKind::Regular | VdKind::Global => VarKind::Regular,
        }
    }
}

/// Value of a compile-time constant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum KValue {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(StrId),
}

/// Name of a collective `global *` declaration.
pub(crate) const NO_NAME: StrId = u32::MAX;

/// An active variable declaration (`Vardesc`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct VarDesc {
    pub(crate) name: StrId,
    pub(crate) kind: VdKind,
    /// Register, for kinds that have one.
    pub(crate) ridx: u8,
    /// Index in the prototype's `locals`, for kinds that have a register.
    pub(crate) pidx: u32,
    /// Value, for compile-time constants.
    pub(crate) k: KValue,
}

/// Where an expression's value is (`expkind`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum ExpKind {
    /// No value (empty expression list).
    Void,
    Nil,
    True,
    False,
    /// Constant `K[i]`.
    K(u32),
    KFlt(f64),
    KInt(i64),
    /// A string literal not yet in the constant table.
    KStr(StrId),
    /// Value in a fixed register.
    NonReloc(u32),
    /// Local variable: its register and its index among the function's active variables.
    Local {
        ridx: u8,
        vidx: u16,
    },
    /// Upvalue `i`.
    Upval(u32),
    /// Compile-time constant: absolute index in the active-variable list.
    Const(u32),
    /// `R[t][R[idx]]`; `name` is the global's name when this is a global access.
    Indexed {
        t: u8,
        idx: u8,
        ro: bool,
        name: StrId,
    },
    /// `UpValue[t][K[idx]]`.
    IndexUp {
        t: u8,
        idx: u8,
        ro: bool,
        name: StrId,
    },
    /// `R[t][idx]`.
    IndexInt {
        t: u8,
        idx: u8,
    },
    /// `R[t][K[idx]]`.
    IndexStr {
        t: u8,
        idx: u8,
        ro: bool,
        name: StrId,
    },
    /// A test/comparison; the value is the pc of its jump.
    Jmp(u32),
    /// Instruction at pc whose A (destination) is still open.
    Reloc(u32),
    /// Open call at pc.
    Call(u32),
    /// Vararg expression at pc (`VARARG` or `VARARGT`).
    Vararg(u32),
}

/// An expression descriptor with its pending true/false jump lists.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ExpDesc {
    pub(crate) k: ExpKind,
    pub(crate) t: i32,
    pub(crate) f: i32,
}

impl ExpDesc {
    pub(crate) const fn new(k: ExpKind) -> Self {
        ExpDesc {
            k,
            t: NO_JUMP,
            f: NO_JUMP,
        }
    }

    fn has_jumps(&self) -> bool {
        self.t != self.f
    }

    pub(crate) fn has_multret(&self) -> bool {
        matches!(self.k, ExpKind::Call(_) | ExpKind::Vararg(_))
    }

    pub(crate) fn is_var(&self) -> bool {
        matches!(
            self.k,
            ExpKind::Local { .. }
                | ExpKind::Upval(_)
                | ExpKind::Const(_)
                | ExpKind::Indexed { .. }
                | ExpKind::IndexUp { .. }
                | ExpKind::IndexInt { .. }
                | ExpKind::IndexStr { .. }
        )
    }

    pub(crate) fn is_indexed(&self) -> bool {
        matches!(
            self.k,
            ExpKind::Indexed { .. }
                | ExpKind::IndexUp { .. }
                | ExpKind::IndexInt { .. }
                | ExpKind::IndexStr { .. }
        )
    }

    /// The numeral this expression is, if it is one without jumps (`tonumeral`).
    fn numeral(&self) -> Option<number::Number> {
        if self.has_jumps() {
            return None;
        }
        match self.k {
            ExpKind::KInt(i) => Some(number::Number::Int(i)),
            ExpKind::KFlt(f) => Some(number::Number::Float(f)),
            _ => None,
        }
    }

    /// The pc of the instruction behind a `Reloc`/`Call`/`Vararg`/`Jmp` descriptor.
    fn pc(&self) -> usize {
        match self.k {
            ExpKind::Reloc(pc) | ExpKind::Call(pc) | ExpKind::Vararg(pc) | ExpKind::Jmp(pc) => {
                pc as usize
            }
            _ => usize::MAX,
        }
    }
}

/// Binary operators, in the order of Lua 5.4's `BinOpr` (arithmetic ones follow the
/// opcode and metamethod order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinOpr {
    Add,
    Sub,
    Mul,
    Mod,
    Pow,
    Div,
    IDiv,
    BAnd,
    BOr,
    BXor,
    Shl,
    Shr,
    Concat,
    Eq,
    Lt,
    Le,
    Ne,
    Gt,
    Ge,
    And,
    Or,
}

impl BinOpr {
    fn is_foldable(self) -> bool {
        (self as u8) <= BinOpr::Shr as u8
    }

    fn arith_op(self, base: Op) -> Op {
        Op::from_u8(base as u8 + self as u8).unwrap_or(base)
    }

    fn event(self) -> TagMethod {
        TagMethod::from_u8(TagMethod::Add as u8 + self as u8).unwrap_or(TagMethod::Add)
    }
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnOpr {
    Minus,
    BNot,
    Not,
    Len,
}

/// A block of the function being compiled (`BlockCnt`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct BlockCnt {
    pub(crate) first_label: usize,
    pub(crate) first_goto: usize,
    pub(crate) nactvar: u32,
    pub(crate) upval: bool,
    pub(crate) is_loop: bool,
    pub(crate) inside_tbc: bool,
}

/// State of one function being compiled (`FuncState`).
pub(crate) struct FuncState {
    pub(crate) f: Proto,
    /// pc of the last jump target; instructions before it cannot be merged into.
    lasttarget: usize,
    pub(crate) freereg: u32,
    /// Number of active variable declarations (registers, constants and globals).
    pub(crate) nactvar: u32,
    /// Registers taken by active local variables (`luaY_nvarstack`), kept in step with
    /// `nactvar` by the parser.
    pub(crate) nvarstack: u32,
    /// Index of this function's first declaration in `Code::actvar`.
    pub(crate) firstlocal: usize,
    /// Index of this function's first label in the parser's label list.
    pub(crate) firstlabel: usize,
    pub(crate) needclose: bool,
    pub(crate) blocks: Vec<BlockCnt>,
    /// Register of the named vararg table, when the function has one.
    pub(crate) vararg_table: Option<u8>,
    /// Names of `f.upvalues`, for lookup by id.
    pub(crate) upval_names: Vec<StrId>,
}

impl FuncState {
    pub(crate) fn new(
        source: &[u8],
        line: u32,
        firstlocal: usize,
        firstlabel: usize,
    ) -> Result<Self, AllocError> {
        let f = Proto {
            source: tvec::try_copy_of(source)?,
            line_defined: line,
            max_stack: 2, // registers 0/1 are always valid
            ..Proto::default()
        };
        Ok(FuncState {
            f,
            lasttarget: 0,
            freereg: 0,
            nactvar: 0,
            nvarstack: 0,
            firstlocal,
            firstlabel,
            needclose: false,
            blocks: Vec::new(),
            vararg_table: None,
            upval_names: Vec::new(),
        })
    }

    pub(crate) fn pc(&self) -> usize {
        self.f.code.len()
    }

    fn get(&self, pc: usize) -> Instruction {
        self.f.code.get(pc).copied().unwrap_or(INVALID)
    }

    fn set(&mut self, pc: usize, i: Instruction) {
        if let Some(slot) = self.f.code.get_mut(pc) {
            *slot = i;
        }
    }

    fn op_at(&self, pc: usize) -> Option<Op> {
        Op::from_u8(ins::op(self.get(pc)))
    }
}

/// Key of the constant cache: like C Lua's scanner table, one table for the whole chunk,
/// mapping a value to the index it last got in *some* function. Floats with an integral
/// value use a nearby non-integral key so they never meet the integer of the same value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KKey {
    Nil,
    Bool(bool),
    Int(i64),
    Flt(u64),
    Str(StrId),
}

impl KKey {
    fn hash(self) -> u64 {
        let (tag, bits) = match self {
            KKey::Nil => (1, 0),
            KKey::Bool(b) => (2, b as u64),
            KKey::Int(i) => (3, i as u64),
            KKey::Flt(b) => (4, b),
            KKey::Str(s) => (5, s as u64),
        };
        (bits ^ (tag << 59)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}

/// Open-addressing map `KKey -> constant index`, at most half full.
#[derive(Default)]
struct KCache {
    slots: Vec<Option<(KKey, u32)>>,
    len: usize,
}

impl KCache {
    fn find(&self, key: KKey) -> (usize, Option<u32>) {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = (key.hash() >> 32) as usize & mask;
        loop {
            match self.slots.get(i) {
                Some(Some((k, v))) if *k == key => return (i, Some(*v)),
                Some(Some(_)) => i = (i + 1) & mask,
                _ => return (i, None),
            }
        }
    }

    fn get(&self, key: KKey) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        self.find(key).1
    }

    fn set(&mut self, key: KKey, value: u32) -> Result<(), AllocError> {
        if (self.len + 1) * 2 > self.slots.len() {
            let mut old = Vec::new();
            old.try_resize((self.slots.len() * 2).max(64), None)?;
            core::mem::swap(&mut old, &mut self.slots);
            self.len = 0;
            for (k, v) in old.into_iter().flatten() {
                self.insert(k, v);
            }
        }
        self.insert(key, value);
        Ok(())
    }

    fn insert(&mut self, key: KKey, value: u32) {
        let (i, old) = self.find(key);
        if old.is_none() {
            self.len += 1;
        }
        if let Some(slot) = self.slots.get_mut(i) {
            *slot = Some((key, value));
        }
    }
}

/// Code-generation state for a whole chunk: the function being compiled, the ones
/// enclosing it, the active variables of all of them, and the chunk's strings.
pub(crate) struct Code {
    /// The function being compiled.
    pub(crate) fs: FuncState,
    /// Enclosing functions, outermost first.
    pub(crate) outer: Vec<FuncState>,
    /// Active variable declarations of all open functions (`dyd->actvar`).
    pub(crate) actvar: Vec<VarDesc>,
    pub(crate) strings: Strings,
    kcache: KCache,
    /// Source line given to new instructions (the lexer's `lastline`).
    pub(crate) line: u32,
}

fn err_near(limit: Limit) -> Error {
    Error::Near(limit)
}

fn fits_c(i: i64) -> bool {
    (i as u64).wrapping_add(opcode::OFFSET_SC as u64) <= opcode::MAXARG_C as u64
}

fn fits_bx(i: i64) -> bool {
    -(opcode::OFFSET_SBX as i64) <= i && i <= opcode::MAXARG_BX as i64 - opcode::OFFSET_SBX as i64
}

fn int2sc(i: i64) -> u32 {
    (i + opcode::OFFSET_SC as i64) as u32
}

fn is_test_op(op: Option<Op>) -> bool {
    matches!(
        op,
        Some(
            Op::Eq
                | Op::Lt
                | Op::Le
                | Op::EqK
                | Op::EqI
                | Op::LtI
                | Op::LeI
                | Op::GtI
                | Op::GeI
                | Op::Test
                | Op::TestSet
        )
    )
}

impl Code {
    pub(crate) fn new(fs: FuncState) -> Self {
        Code {
            fs,
            outer: Vec::new(),
            actvar: Vec::new(),
            strings: Strings::default(),
            kcache: KCache::default(),
            line: 1,
        }
    }

    // ---- emitting ----

    /// Appends `i` with the current line (`luaK_code`).
    pub(crate) fn code(&mut self, i: Instruction) -> CResult<u32> {
        let fs = &mut self.fs;
        fs.f.code.try_push(i)?;
        fs.f.lines.try_push(self.line)?;
        Ok(fs.f.code.len() as u32 - 1)
    }

    pub(crate) fn code_abck(&mut self, op: Op, a: u32, b: u32, c: u32, k: bool) -> CResult<u32> {
        self.code(ins::abck(op, a, b, c, k))
    }

    pub(crate) fn code_abc(&mut self, op: Op, a: u32, b: u32, c: u32) -> CResult<u32> {
        self.code_abck(op, a, b, c, false)
    }

    pub(crate) fn code_abx(&mut self, op: Op, a: u32, bx: u32) -> CResult<u32> {
        self.code(ins::abx(op, a, bx))
    }

    fn code_asbx(&mut self, op: Op, a: u32, sbx: i32) -> CResult<u32> {
        self.code(ins::asbx(op, a, sbx))
    }

    fn code_extraarg(&mut self, a: u32) -> CResult<u32> {
        self.code(ins::ax_(Op::ExtraArg, a))
    }

    /// `LOADK`, or `LOADKX` plus `EXTRAARG` for a large index.
    fn code_k(&mut self, reg: u32, k: u32) -> CResult<u32> {
        if k <= opcode::MAXARG_BX {
            self.code_abx(Op::LoadK, reg, k)
        } else {
            let p = self.code_abx(Op::LoadKX, reg, 0)?;
            self.code_extraarg(k)?;
            Ok(p)
        }
    }

    /// Gives the last instruction line `line` (`luaK_fixline`).
    pub(crate) fn fix_line(&mut self, line: u32) {
        if let Some(l) = self.fs.f.lines.last_mut() {
            *l = line;
        }
    }

    fn remove_last_instruction(&mut self) {
        self.fs.f.code.pop();
        self.fs.f.lines.pop();
    }

    /// The last instruction, unless a jump may target the current position.
    fn previous_instruction(&self) -> (usize, Instruction) {
        let pc = self.fs.pc();
        if pc > self.fs.lasttarget {
            (pc - 1, self.fs.get(pc - 1))
        } else {
            (usize::MAX, INVALID)
        }
    }

    /// Sets `n` registers from `from` to nil, merging with a previous `LOADNIL`.
    pub(crate) fn nil(&mut self, from: u32, n: u32) -> CResult<()> {
        let mut from = from;
        let mut l = from + n - 1;
        let (ppc, previous) = self.previous_instruction();
        if ins::op(previous) == Op::LoadNil as u8 {
            let pfrom = ins::a(previous);
            let pl = pfrom + ins::b(previous);
            if (pfrom <= from && from <= pl + 1) || (from <= pfrom && pfrom <= l + 1) {
                from = from.min(pfrom);
                l = l.max(pl);
                let i = ins::set_b(ins::set_a(previous, from), l - from);
                self.fs.set(ppc, i);
                return Ok(());
            }
        }
        self.code_abc(Op::LoadNil, from, n - 1, 0)?;
        Ok(())
    }

    // ---- jumps ----

    fn get_jump(&self, pc: usize) -> i32 {
        let offset = ins::sj(self.fs.get(pc));
        if offset == NO_JUMP {
            NO_JUMP
        } else {
            pc as i32 + 1 + offset
        }
    }

    fn fix_jump(&mut self, pc: usize, dest: usize) -> CResult<()> {
        let offset = dest as i64 - (pc as i64 + 1);
        if !(-(opcode::OFFSET_SJ as i64) <= offset
            && offset <= opcode::MAXARG_SJ as i64 - opcode::OFFSET_SJ as i64)
        {
            return Err(err_near(Limit::ControlTooLong));
        }
        let i = ins::set_sj(self.fs.get(pc), offset as i32);
        self.fs.set(pc, i);
        Ok(())
    }

    /// Appends list `l2` to list `l1` (`luaK_concat`).
    pub(crate) fn concat(&mut self, l1: &mut i32, l2: i32) -> CResult<()> {
        if l2 == NO_JUMP {
            return Ok(());
        }
        if *l1 == NO_JUMP {
            *l1 = l2;
            return Ok(());
        }
        let mut list = *l1;
        // Each step moves to a jump emitted earlier in this function; a list cannot be
        // longer than the code, which bounds the walk even on corrupt links.
        let mut steps = self.fs.pc();
        loop {
            let next = self.get_jump(list as usize);
            if next == NO_JUMP || steps == 0 {
                break;
            }
            steps -= 1;
            list = next;
        }
        self.fix_jump(list as usize, l2 as usize)
    }

    pub(crate) fn jump(&mut self) -> CResult<i32> {
        Ok(self.code(ins::sj_(Op::Jmp, NO_JUMP))? as i32)
    }

    /// Emits a return of `nret` values from `first` (`luaK_ret`).
    pub(crate) fn ret(&mut self, first: u32, nret: i32) -> CResult<()> {
        let op = match nret {
            0 => Op::Return0,
            1 => Op::Return1,
            _ => Op::Return,
        };
        self.code_abc(op, first, (nret + 1) as u32, 0)?;
        Ok(())
    }

    fn cond_jump(&mut self, op: Op, a: u32, b: u32, c: u32, k: bool) -> CResult<i32> {
        self.code_abck(op, a, b, c, k)?;
        self.jump()
    }

    /// Marks the current pc as a jump target and returns it.
    pub(crate) fn get_label(&mut self) -> usize {
        self.fs.lasttarget = self.fs.pc();
        self.fs.lasttarget
    }

    /// The instruction controlling the jump at `pc`: the test before it, if any.
    fn jump_control(&self, pc: usize) -> usize {
        if pc >= 1 && is_test_op(self.fs.op_at(pc - 1)) {
            pc - 1
        } else {
            pc
        }
    }

    /// Makes the `TESTSET` controlling jump `node` put its value in `reg`, or turns it
    /// into a plain `TEST` when there is no register to set. False when the jump is not
    /// controlled by a `TESTSET`.
    fn patch_test_reg(&mut self, node: usize, reg: u32) -> bool {
        let at = self.jump_control(node);
        let i = self.fs.get(at);
        if ins::op(i) != Op::TestSet as u8 {
            return false;
        }
        let new = if reg != NO_REG && reg != ins::b(i) {
            ins::set_a(i, reg)
        } else {
            ins::abck(Op::Test, ins::b(i), 0, 0, ins::k(i))
        };
        self.fs.set(at, new);
        true
    }

    fn remove_values(&mut self, mut list: i32) {
        let mut steps = self.fs.pc();
        while list != NO_JUMP && steps > 0 {
            self.patch_test_reg(list as usize, NO_REG);
            list = self.get_jump(list as usize);
            steps -= 1;
        }
    }

    fn patch_list_aux(
        &mut self,
        mut list: i32,
        vtarget: usize,
        reg: u32,
        dtarget: usize,
    ) -> CResult<()> {
        let mut steps = self.fs.pc();
        while list != NO_JUMP && steps > 0 {
            let next = self.get_jump(list as usize);
            if self.patch_test_reg(list as usize, reg) {
                self.fix_jump(list as usize, vtarget)?;
            } else {
                self.fix_jump(list as usize, dtarget)?;
            }
            list = next;
            steps -= 1;
        }
        Ok(())
    }

    /// Points every jump of `list` at `target`.
    pub(crate) fn patch_list(&mut self, list: i32, target: usize) -> CResult<()> {
        self.patch_list_aux(list, target, NO_REG, target)
    }

    pub(crate) fn patch_to_here(&mut self, list: i32) -> CResult<()> {
        let here = self.get_label();
        self.patch_list(list, here)
    }

    /// `JMP` to `target` (`luaK_jumpto`).
    pub(crate) fn jump_to(&mut self, target: usize) -> CResult<()> {
        let j = self.jump()?;
        self.patch_list(j, target)
    }

    // ---- registers ----

    pub(crate) fn check_stack(&mut self, n: u32) -> CResult<()> {
        let newstack = self.fs.freereg + n;
        if newstack > self.fs.f.max_stack as u32 {
            if newstack >= opcode::MAX_REGS {
                return Err(err_near(Limit::TooManyRegisters));
            }
            self.fs.f.max_stack = newstack as u8;
        }
        Ok(())
    }

    pub(crate) fn reserve_regs(&mut self, n: u32) -> CResult<()> {
        self.check_stack(n)?;
        self.fs.freereg += n;
        Ok(())
    }

    fn free_reg(&mut self, reg: u32) {
        if reg >= self.fs.nvarstack && self.fs.freereg > 0 {
            self.fs.freereg -= 1;
        }
    }

    fn free_regs(&mut self, r1: u32, r2: u32) {
        if r1 > r2 {
            self.free_reg(r1);
            self.free_reg(r2);
        } else {
            self.free_reg(r2);
            self.free_reg(r1);
        }
    }

    fn free_exp(&mut self, e: &ExpDesc) {
        if let ExpKind::NonReloc(r) = e.k {
            self.free_reg(r);
        }
    }

    fn free_exps(&mut self, e1: &ExpDesc, e2: &ExpDesc) {
        match (e1.k, e2.k) {
            (ExpKind::NonReloc(r1), ExpKind::NonReloc(r2)) => self.free_regs(r1, r2),
            (ExpKind::NonReloc(r1), _) => self.free_reg(r1),
            (_, ExpKind::NonReloc(r2)) => self.free_reg(r2),
            _ => {}
        }
    }

    // ---- constants ----

    /// Index of constant `v` under cache key `key` (`addk`).
    fn add_k(&mut self, key: KKey, v: KValue) -> CResult<u32> {
        let nk = self.fs.f.constants.len();
        if let Some(k) = self.kcache.get(key) {
            if let Some(existing) = self.fs.f.constants.get(k as usize) {
                let same = match (existing, v) {
                    (Constant::Nil, KValue::Nil) => true,
                    (Constant::Bool(a), KValue::Bool(b)) => *a == b,
                    (Constant::Int(a), KValue::Int(b)) => *a == b,
                    (Constant::Float(a), KValue::Float(b)) => *a == b,
                    (Constant::Str(a), KValue::Str(b)) => a.as_slice() == self.strings.get(b),
                    _ => false,
                };
                if same {
                    return Ok(k);
                }
            }
        }
        if nk >= opcode::MAXARG_AX as usize {
            return Err(err_near(Limit::TooManyConstants));
        }
        let c = match v {
            KValue::Nil => Constant::Nil,
            KValue::Bool(b) => Constant::Bool(b),
            KValue::Int(i) => Constant::Int(i),
            KValue::Float(f) => Constant::Float(f),
            KValue::Str(s) => Constant::Str(tvec::try_copy_of(self.strings.get(s))?),
        };
        self.fs.f.constants.try_push(c)?;
        self.kcache.set(key, nk as u32)?;
        Ok(nk as u32)
    }

    pub(crate) fn string_k(&mut self, s: StrId) -> CResult<u32> {
        self.add_k(KKey::Str(s), KValue::Str(s))
    }

    fn int_k(&mut self, i: i64) -> CResult<u32> {
        self.add_k(KKey::Int(i), KValue::Int(i))
    }

    fn number_k(&mut self, r: f64) -> CResult<u32> {
        let key = match number::float_to_int(r, Rounding::Exact) {
            None => KKey::Flt(r.to_bits()),
            Some(ik) => {
                // A key near `r` that is not integral, so it cannot meet integer `ik`.
                let q = number::ldexp(1.0, -52);
                let k = if ik == 0 { q } else { r + r * q };
                match number::float_to_int(k, Rounding::Exact) {
                    Some(i) => KKey::Int(i),
                    None => KKey::Flt(k.to_bits()),
                }
            }
        };
        self.add_k(key, KValue::Float(r))
    }

    fn is_short_string_k(&self, k: u32) -> bool {
        matches!(self.fs.f.constants.get(k as usize), Some(Constant::Str(s)) if s.len() <= MAX_SHORT_LEN)
    }

    /// Loads integer `i` into `reg`.
    pub(crate) fn load_int(&mut self, reg: u32, i: i64) -> CResult<()> {
        if fits_bx(i) {
            self.code_asbx(Op::LoadI, reg, i as i32)?;
        } else {
            let k = self.int_k(i)?;
            self.code_k(reg, k)?;
        }
        Ok(())
    }

    fn load_float(&mut self, reg: u32, f: f64) -> CResult<()> {
        match number::float_to_int(f, Rounding::Exact) {
            Some(fi) if fits_bx(fi) => {
                self.code_asbx(Op::LoadF, reg, fi as i32)?;
            }
            _ => {
                let k = self.number_k(f)?;
                self.code_k(reg, k)?;
            }
        }
        Ok(())
    }

    /// The constant an expression stands for, if it is one (`luaK_exp2const`).
    pub(crate) fn exp2const(&self, e: &ExpDesc) -> Option<KValue> {
        if e.has_jumps() {
            return None;
        }
        match e.k {
            ExpKind::False => Some(KValue::Bool(false)),
            ExpKind::True => Some(KValue::Bool(true)),
            ExpKind::Nil => Some(KValue::Nil),
            ExpKind::KStr(s) => Some(KValue::Str(s)),
            ExpKind::Const(i) => self.actvar.get(i as usize).map(|v| v.k),
            ExpKind::KInt(i) => Some(KValue::Int(i)),
            ExpKind::KFlt(f) => Some(KValue::Float(f)),
            _ => None,
        }
    }

    fn const2exp(v: KValue) -> ExpKind {
        match v {
            KValue::Nil => ExpKind::Nil,
            KValue::Bool(true) => ExpKind::True,
            KValue::Bool(false) => ExpKind::False,
            KValue::Int(i) => ExpKind::KInt(i),
            KValue::Float(f) => ExpKind::KFlt(f),
            KValue::Str(s) => ExpKind::KStr(s),
        }
    }

    // ---- discharging ----

    /// Fixes the number of results of an open call or vararg (`luaK_setreturns`);
    /// `nresults` -1 means all.
    pub(crate) fn set_returns(&mut self, e: &ExpDesc, nresults: i32) -> CResult<()> {
        let pc = e.pc();
        let i = self.fs.get(pc);
        match e.k {
            ExpKind::Call(_) => self.fs.set(pc, ins::set_c(i, (nresults + 1) as u32)),
            ExpKind::Vararg(_) => {
                let i = ins::set_a(ins::set_c(i, (nresults + 1) as u32), self.fs.freereg);
                self.fs.set(pc, i);
                self.reserve_regs(1)?;
            }
            _ => {}
        }
        Ok(())
    }

    pub(crate) fn set_multret(&mut self, e: &ExpDesc) -> CResult<()> {
        self.set_returns(e, -1)
    }

    fn str2k(&mut self, e: &mut ExpDesc) -> CResult<()> {
        if let ExpKind::KStr(s) = e.k {
            e.k = ExpKind::K(self.string_k(s)?);
        }
        Ok(())
    }

    /// Makes an open call or vararg produce exactly one value (`luaK_setoneret`).
    pub(crate) fn set_one_ret(&mut self, e: &mut ExpDesc) {
        match e.k {
            ExpKind::Call(pc) => e.k = ExpKind::NonReloc(ins::a(self.fs.get(pc as usize))),
            ExpKind::Vararg(pc) => {
                let i = ins::set_c(self.fs.get(pc as usize), 2);
                self.fs.set(pc as usize, i);
                e.k = ExpKind::Reloc(pc);
            }
            _ => {}
        }
    }

    /// Turns a variable into a value (`luaK_dischargevars`).
    pub(crate) fn discharge_vars(&mut self, e: &mut ExpDesc) -> CResult<()> {
        match e.k {
            ExpKind::Const(i) => {
                if let Some(v) = self.actvar.get(i as usize) {
                    e.k = Self::const2exp(v.k);
                }
            }
            ExpKind::Local { ridx, .. } => e.k = ExpKind::NonReloc(ridx as u32),
            ExpKind::Upval(u) => e.k = ExpKind::Reloc(self.code_abc(Op::GetUpval, 0, u, 0)?),
            ExpKind::IndexUp { t, idx, .. } => {
                e.k = ExpKind::Reloc(self.code_abc(Op::GetTabUp, 0, t as u32, idx as u32)?)
            }
            ExpKind::IndexInt { t, idx } => {
                self.free_reg(t as u32);
                e.k = ExpKind::Reloc(self.code_abc(Op::GetI, 0, t as u32, idx as u32)?);
            }
            ExpKind::IndexStr { t, idx, .. } => {
                self.free_reg(t as u32);
                e.k = ExpKind::Reloc(self.code_abc(Op::GetField, 0, t as u32, idx as u32)?);
            }
            ExpKind::Indexed { t, idx, .. } => {
                self.free_regs(t as u32, idx as u32);
                e.k = ExpKind::Reloc(self.code_abc(Op::GetTable, 0, t as u32, idx as u32)?);
            }
            ExpKind::Vararg(_) | ExpKind::Call(_) => self.set_one_ret(e),
            _ => {}
        }
        Ok(())
    }

    fn discharge2reg(&mut self, e: &mut ExpDesc, reg: u32) -> CResult<()> {
        self.discharge_vars(e)?;
        match e.k {
            ExpKind::Nil => self.nil(reg, 1)?,
            ExpKind::False => {
                self.code_abc(Op::LoadFalse, reg, 0, 0)?;
            }
            ExpKind::True => {
                self.code_abc(Op::LoadTrue, reg, 0, 0)?;
            }
            ExpKind::KStr(s) => {
                let k = self.string_k(s)?;
                self.code_k(reg, k)?;
            }
            ExpKind::K(k) => {
                self.code_k(reg, k)?;
            }
            ExpKind::KFlt(f) => self.load_float(reg, f)?,
            ExpKind::KInt(i) => self.load_int(reg, i)?,
            ExpKind::Reloc(pc) => {
                let i = ins::set_a(self.fs.get(pc as usize), reg);
                self.fs.set(pc as usize, i);
            }
            ExpKind::NonReloc(r) => {
                if reg != r {
                    self.code_abc(Op::Move, reg, r, 0)?;
                }
            }
            _ => return Ok(()), // a jump: nothing to do yet
        }
        e.k = ExpKind::NonReloc(reg);
        Ok(())
    }

    fn discharge2anyreg(&mut self, e: &mut ExpDesc) -> CResult<()> {
        if !matches!(e.k, ExpKind::NonReloc(_)) {
            self.reserve_regs(1)?;
            let reg = self.fs.freereg - 1;
            self.discharge2reg(e, reg)?;
        }
        Ok(())
    }

    fn code_loadbool(&mut self, a: u32, op: Op) -> CResult<usize> {
        self.get_label();
        Ok(self.code_abc(op, a, 0, 0)? as usize)
    }

    /// Whether some jump in `list` does not produce a value (is not a `TESTSET`).
    fn need_value(&self, mut list: i32) -> bool {
        let mut steps = self.fs.pc();
        while list != NO_JUMP && steps > 0 {
            let i = self.fs.get(self.jump_control(list as usize));
            if ins::op(i) != Op::TestSet as u8 {
                return true;
            }
            list = self.get_jump(list as usize);
            steps -= 1;
        }
        false
    }

    /// Puts the final value of `e`, jumps included, in `reg` (`exp2reg`).
    fn exp2reg(&mut self, e: &mut ExpDesc, reg: u32) -> CResult<()> {
        self.discharge2reg(e, reg)?;
        if let ExpKind::Jmp(pc) = e.k {
            let mut t = e.t;
            self.concat(&mut t, pc as i32)?;
            e.t = t;
        }
        if e.has_jumps() {
            let mut p_f = usize::MAX;
            let mut p_t = usize::MAX;
            if self.need_value(e.t) || self.need_value(e.f) {
                let fj = if matches!(e.k, ExpKind::Jmp(_)) {
                    NO_JUMP
                } else {
                    self.jump()?
                };
                p_f = self.code_loadbool(reg, Op::LFalseSkip)?;
                p_t = self.code_loadbool(reg, Op::LoadTrue)?;
                self.patch_to_here(fj)?;
            }
            let fin = self.get_label();
            self.patch_list_aux(e.f, fin, reg, p_f)?;
            self.patch_list_aux(e.t, fin, reg, p_t)?;
        }
        e.f = NO_JUMP;
        e.t = NO_JUMP;
        e.k = ExpKind::NonReloc(reg);
        Ok(())
    }

    /// Puts `e` in the next free register (`luaK_exp2nextreg`).
    pub(crate) fn exp2nextreg(&mut self, e: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(e)?;
        self.free_exp(e);
        self.reserve_regs(1)?;
        let reg = self.fs.freereg - 1;
        self.exp2reg(e, reg)
    }

    /// Puts `e` in some register and returns it (`luaK_exp2anyreg`).
    pub(crate) fn exp2anyreg(&mut self, e: &mut ExpDesc) -> CResult<u32> {
        self.discharge_vars(e)?;
        if let ExpKind::NonReloc(r) = e.k {
            if !e.has_jumps() {
                return Ok(r);
            }
            if r >= self.fs.nvarstack {
                self.exp2reg(e, r)?;
                return Ok(r);
            }
            // A local with jumps: its register cannot take the jump values.
        }
        self.exp2nextreg(e)?;
        Ok(match e.k {
            ExpKind::NonReloc(r) => r,
            _ => 0,
        })
    }

    /// Like `exp2anyreg`, but an upvalue without jumps may stay where it is.
    pub(crate) fn exp2anyregup(&mut self, e: &mut ExpDesc) -> CResult<()> {
        if !matches!(e.k, ExpKind::Upval(_)) || e.has_jumps() {
            self.exp2anyreg(e)?;
        }
        Ok(())
    }

    /// Makes `e` a value: in a register when it has jumps (`luaK_exp2val`).
    pub(crate) fn exp2val(&mut self, e: &mut ExpDesc) -> CResult<()> {
        // A comparison (`Jmp`) is materialised now too: left pending, its jump would
        // be crossed by code emitted later for the enclosing expression (`t[a < b]`
        // with `t` an upvalue loads `t` between the jump and its target).
        if matches!(e.k, ExpKind::Jmp(_)) || e.has_jumps() {
            self.exp2anyreg(e)?;
            Ok(())
        } else {
            self.discharge_vars(e)
        }
    }

    /// Makes `e` a `K` operand if it is a constant with a small index (`luaK_exp2K`).
    fn exp2k(&mut self, e: &mut ExpDesc) -> CResult<bool> {
        if e.has_jumps() {
            return Ok(false);
        }
        let info = match e.k {
            ExpKind::True => self.add_k(KKey::Bool(true), KValue::Bool(true))?,
            ExpKind::False => self.add_k(KKey::Bool(false), KValue::Bool(false))?,
            ExpKind::Nil => self.add_k(KKey::Nil, KValue::Nil)?,
            ExpKind::KInt(i) => self.int_k(i)?,
            ExpKind::KFlt(f) => self.number_k(f)?,
            ExpKind::KStr(s) => self.string_k(s)?,
            ExpKind::K(k) => k,
            _ => return Ok(false),
        };
        if info <= MAX_INDEX_RK {
            e.k = ExpKind::K(info);
            return Ok(true);
        }
        Ok(false)
    }

    /// `K` operand or register (`luaK_exp2RK`); true for `K`.
    fn exp2rk(&mut self, e: &mut ExpDesc) -> CResult<bool> {
        if self.exp2k(e)? {
            Ok(true)
        } else {
            self.exp2anyreg(e)?;
            Ok(false)
        }
    }

    fn info(e: &ExpDesc) -> u32 {
        match e.k {
            ExpKind::K(i) | ExpKind::NonReloc(i) => i,
            _ => 0,
        }
    }

    fn code_abrk(&mut self, op: Op, a: u32, b: u32, ec: &mut ExpDesc) -> CResult<()> {
        let k = self.exp2rk(ec)?;
        self.code_abck(op, a, b, Self::info(ec), k)?;
        Ok(())
    }

    /// Stores `ex` into variable `var` (`luaK_storevar`).
    pub(crate) fn store_var(&mut self, var: &ExpDesc, ex: &mut ExpDesc) -> CResult<()> {
        match var.k {
            ExpKind::Local { ridx, .. } => {
                self.free_exp(ex);
                return self.exp2reg(ex, ridx as u32);
            }
            ExpKind::Upval(u) => {
                let e = self.exp2anyreg(ex)?;
                self.code_abc(Op::SetUpval, e, u, 0)?;
            }
            ExpKind::IndexUp { t, idx, .. } => {
                self.code_abrk(Op::SetTabUp, t as u32, idx as u32, ex)?
            }
            ExpKind::IndexInt { t, idx } => self.code_abrk(Op::SetI, t as u32, idx as u32, ex)?,
            ExpKind::IndexStr { t, idx, .. } => {
                self.code_abrk(Op::SetField, t as u32, idx as u32, ex)?
            }
            ExpKind::Indexed { t, idx, .. } => {
                self.code_abrk(Op::SetTable, t as u32, idx as u32, ex)?
            }
            _ => {}
        }
        self.free_exp(ex);
        Ok(())
    }

    /// `e:key` method lookup (`luaK_self`).
    pub(crate) fn self_op(&mut self, e: &mut ExpDesc, key: &mut ExpDesc) -> CResult<()> {
        let ereg = self.exp2anyreg(e)?;
        self.free_exp(e);
        let base = self.fs.freereg;
        e.k = ExpKind::NonReloc(base);
        self.reserve_regs(2)?;
        self.code_abrk(Op::SelfOp, base, ereg, key)?;
        self.free_exp(key);
        Ok(())
    }

    fn negate_condition(&mut self, e: &ExpDesc) {
        let at = self.jump_control(e.pc());
        let i = self.fs.get(at);
        self.fs.set(at, ins::set_k(i, !ins::k(i)));
    }

    fn jump_on_cond(&mut self, e: &mut ExpDesc, cond: bool) -> CResult<i32> {
        if let ExpKind::Reloc(pc) = e.k {
            let ie = self.fs.get(pc as usize);
            if ins::op(ie) == Op::Not as u8 {
                self.remove_last_instruction();
                return self.cond_jump(Op::Test, ins::b(ie), 0, 0, !cond);
            }
        }
        self.discharge2anyreg(e)?;
        self.free_exp(e);
        self.cond_jump(Op::TestSet, NO_REG, Self::info(e), 0, cond)
    }

    /// Emits code to go on if `e` is true and jump otherwise (`luaK_goiftrue`).
    pub(crate) fn go_if_true(&mut self, e: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(e)?;
        let pc = match e.k {
            ExpKind::Jmp(pc) => {
                self.negate_condition(e);
                pc as i32
            }
            ExpKind::K(_)
            | ExpKind::KFlt(_)
            | ExpKind::KInt(_)
            | ExpKind::KStr(_)
            | ExpKind::True => NO_JUMP,
            _ => self.jump_on_cond(e, false)?,
        };
        let mut f = e.f;
        self.concat(&mut f, pc)?;
        e.f = f;
        self.patch_to_here(e.t)?;
        e.t = NO_JUMP;
        Ok(())
    }

    /// Emits code to go on if `e` is false and jump otherwise (`luaK_goiffalse`).
    pub(crate) fn go_if_false(&mut self, e: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(e)?;
        let pc = match e.k {
            ExpKind::Jmp(pc) => pc as i32,
            ExpKind::Nil | ExpKind::False => NO_JUMP,
            _ => self.jump_on_cond(e, true)?,
        };
        let mut t = e.t;
        self.concat(&mut t, pc)?;
        e.t = t;
        self.patch_to_here(e.f)?;
        e.f = NO_JUMP;
        Ok(())
    }

    fn code_not(&mut self, e: &mut ExpDesc) -> CResult<()> {
        match e.k {
            ExpKind::Nil | ExpKind::False => e.k = ExpKind::True,
            ExpKind::K(_)
            | ExpKind::KFlt(_)
            | ExpKind::KInt(_)
            | ExpKind::KStr(_)
            | ExpKind::True => e.k = ExpKind::False,
            ExpKind::Jmp(_) => self.negate_condition(e),
            ExpKind::Reloc(_) | ExpKind::NonReloc(_) => {
                self.discharge2anyreg(e)?;
                self.free_exp(e);
                e.k = ExpKind::Reloc(self.code_abc(Op::Not, 0, Self::info(e), 0)?);
            }
            _ => {}
        }
        core::mem::swap(&mut e.f, &mut e.t);
        self.remove_values(e.f);
        self.remove_values(e.t);
        Ok(())
    }

    fn is_kstr(&self, e: &ExpDesc) -> bool {
        match e.k {
            ExpKind::K(k) => !e.has_jumps() && k <= opcode::MAXARG_B && self.is_short_string_k(k),
            _ => false,
        }
    }

    /// Turns `t` into the indexed access `t[k]` (`luaK_indexed`). `t` must be a local,
    /// a register or an upvalue.
    pub(crate) fn indexed(&mut self, t: &mut ExpDesc, k: &mut ExpDesc) -> CResult<()> {
        self.str2k(k)?;
        let name = NO_NAME; // the parser names global accesses
        if matches!(t.k, ExpKind::Upval(_)) && !self.is_kstr(k) {
            self.exp2anyreg(t)?;
        }
        if let ExpKind::Upval(u) = t.k {
            t.k = ExpKind::IndexUp {
                t: u as u8,
                idx: Self::info(k) as u8,
                ro: false,
                name,
            };
            return Ok(());
        }
        let treg = match t.k {
            ExpKind::Local { ridx, .. } => ridx as u32,
            ExpKind::NonReloc(r) => r,
            _ => 0,
        } as u8;
        if self.is_kstr(k) {
            t.k = ExpKind::IndexStr {
                t: treg,
                idx: Self::info(k) as u8,
                ro: false,
                name,
            };
        } else if let (ExpKind::KInt(i), false) = (k.k, k.has_jumps()) {
            if (0..=opcode::MAXARG_C as i64).contains(&i) {
                t.k = ExpKind::IndexInt {
                    t: treg,
                    idx: i as u8,
                };
                return Ok(());
            }
            let r = self.exp2anyreg(k)?;
            t.k = ExpKind::Indexed {
                t: treg,
                idx: r as u8,
                ro: false,
                name,
            };
        } else {
            let r = self.exp2anyreg(k)?;
            t.k = ExpKind::Indexed {
                t: treg,
                idx: r as u8,
                ro: false,
                name,
            };
        }
        Ok(())
    }

    // ---- operators ----

    /// Folds `e1 op e2` when both are numerals and the operation cannot raise an error
    /// (`constfolding`); true when `e1` now holds the result.
    fn const_folding(op: FoldOp, e1: &mut ExpDesc, e2: &ExpDesc) -> bool {
        let (Some(v1), Some(v2)) = (e1.numeral(), e2.numeral()) else {
            return false;
        };
        match fold::arith(op, v1, v2) {
            Some(number::Number::Int(i)) => {
                e1.k = ExpKind::KInt(i);
                true
            }
            Some(number::Number::Float(f)) => {
                // Folds neither NaN nor 0.0 (to keep -0.0 apart from 0.0).
                if f.is_nan() || f == 0.0 {
                    return false;
                }
                e1.k = ExpKind::KFlt(f);
                true
            }
            None => false,
        }
    }

    fn code_unexpval(&mut self, op: Op, e: &mut ExpDesc, line: u32) -> CResult<()> {
        let r = self.exp2anyreg(e)?;
        self.free_exp(e);
        e.k = ExpKind::Reloc(self.code_abc(op, 0, r, 0)?);
        self.fix_line(line);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn finish_binexpval(
        &mut self,
        e1: &mut ExpDesc,
        e2: &ExpDesc,
        op: Op,
        v2: u32,
        flip: bool,
        line: u32,
        mmop: Op,
        event: TagMethod,
    ) -> CResult<()> {
        let v1 = self.exp2anyreg(e1)?;
        let pc = self.code_abck(op, 0, v1, v2, false)?;
        self.free_exps(e1, e2);
        e1.k = ExpKind::Reloc(pc);
        self.fix_line(line);
        self.code_abck(mmop, v1, v2, event as u32, flip)?;
        self.fix_line(line);
        Ok(())
    }

    fn code_binexpval(
        &mut self,
        opr: BinOpr,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
        line: u32,
    ) -> CResult<()> {
        let v2 = self.exp2anyreg(e2)?;
        self.finish_binexpval(
            e1,
            e2,
            opr.arith_op(Op::Add),
            v2,
            false,
            line,
            Op::MmBin,
            opr.event(),
        )
    }

    fn code_bini(
        &mut self,
        op: Op,
        e1: &mut ExpDesc,
        e2: &ExpDesc,
        flip: bool,
        line: u32,
        event: TagMethod,
    ) -> CResult<()> {
        let v2 = match e2.k {
            ExpKind::KInt(i) => int2sc(i),
            _ => 0,
        };
        self.finish_binexpval(e1, e2, op, v2, flip, line, Op::MmBinI, event)
    }

    fn code_bink(
        &mut self,
        opr: BinOpr,
        e1: &mut ExpDesc,
        e2: &ExpDesc,
        flip: bool,
        line: u32,
    ) -> CResult<()> {
        let v2 = Self::info(e2);
        self.finish_binexpval(
            e1,
            e2,
            opr.arith_op(Op::AddK),
            v2,
            flip,
            line,
            Op::MmBinK,
            opr.event(),
        )
    }

    /// Codes `e1 op -i` with an immediate when `e2` is a small integer constant.
    fn finish_binexpneg(
        &mut self,
        e1: &mut ExpDesc,
        e2: &ExpDesc,
        op: Op,
        line: u32,
        event: TagMethod,
    ) -> CResult<bool> {
        let ExpKind::KInt(i2) = e2.k else {
            return Ok(false);
        };
        if e2.has_jumps() || !(fits_c(i2) && fits_c(i2.wrapping_neg())) {
            return Ok(false);
        }
        self.finish_binexpval(e1, e2, op, int2sc(-i2), false, line, Op::MmBinI, event)?;
        // The metamethod sees the original operand.
        let last = self.fs.pc() - 1;
        let i = ins::set_b(self.fs.get(last), int2sc(i2));
        self.fs.set(last, i);
        Ok(true)
    }

    fn code_bin_nok(
        &mut self,
        opr: BinOpr,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
        flip: bool,
        line: u32,
    ) -> CResult<()> {
        if flip {
            core::mem::swap(e1, e2);
        }
        self.code_binexpval(opr, e1, e2, line)
    }

    fn code_arith(
        &mut self,
        opr: BinOpr,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
        flip: bool,
        line: u32,
    ) -> CResult<()> {
        if e2.numeral().is_some() && self.exp2k(e2)? {
            self.code_bink(opr, e1, e2, flip, line)
        } else {
            self.code_bin_nok(opr, e1, e2, flip, line)
        }
    }

    fn code_commutative(
        &mut self,
        opr: BinOpr,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
        line: u32,
    ) -> CResult<()> {
        let mut flip = false;
        if e1.numeral().is_some() {
            core::mem::swap(e1, e2);
            flip = true;
        }
        if opr == BinOpr::Add && Self::is_sc_int(e2) {
            self.code_bini(Op::AddI, e1, e2, flip, line, TagMethod::Add)
        } else {
            self.code_arith(opr, e1, e2, flip, line)
        }
    }

    fn code_bitwise(
        &mut self,
        opr: BinOpr,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
        line: u32,
    ) -> CResult<()> {
        let mut flip = false;
        if matches!(e1.k, ExpKind::KInt(_)) {
            core::mem::swap(e1, e2);
            flip = true;
        }
        if matches!(e2.k, ExpKind::KInt(_)) && self.exp2k(e2)? {
            self.code_bink(opr, e1, e2, flip, line)
        } else {
            self.code_bin_nok(opr, e1, e2, flip, line)
        }
    }

    fn is_sc_int(e: &ExpDesc) -> bool {
        matches!(e.k, ExpKind::KInt(i) if !e.has_jumps() && fits_c(i))
    }

    /// The immediate form of a numeral operand of a comparison (`isSCnumber`): the
    /// encoded value and whether it was a float.
    fn sc_number(e: &ExpDesc) -> Option<(u32, bool)> {
        let (i, isfloat) = match e.k {
            ExpKind::KInt(i) => (i, false),
            ExpKind::KFlt(f) => (number::float_to_int(f, Rounding::Exact)?, true),
            _ => return None,
        };
        if !e.has_jumps() && fits_c(i) {
            Some((int2sc(i), isfloat))
        } else {
            None
        }
    }

    fn code_order(&mut self, op: Op, e1: &mut ExpDesc, e2: &mut ExpDesc) -> CResult<()> {
        let (r1, r2, op, isfloat) = if let Some((im, isfloat)) = Self::sc_number(e2) {
            let r1 = self.exp2anyreg(e1)?;
            let op = if op == Op::Lt { Op::LtI } else { Op::LeI };
            (r1, im, op, isfloat)
        } else if let Some((im, isfloat)) = Self::sc_number(e1) {
            // (A < B) is (B > A), (A <= B) is (B >= A)
            let r1 = self.exp2anyreg(e2)?;
            let op = if op == Op::Lt { Op::GtI } else { Op::GeI };
            (r1, im, op, isfloat)
        } else {
            let r1 = self.exp2anyreg(e1)?;
            let r2 = self.exp2anyreg(e2)?;
            (r1, r2, op, false)
        };
        self.free_exps(e1, e2);
        e1.k = ExpKind::Jmp(self.cond_jump(op, r1, r2, isfloat as u32, true)? as u32);
        Ok(())
    }

    fn code_eq(&mut self, opr: BinOpr, e1: &mut ExpDesc, e2: &mut ExpDesc) -> CResult<()> {
        if !matches!(e1.k, ExpKind::NonReloc(_)) {
            // e1 is a constant kept for folding; the register operand goes first.
            core::mem::swap(e1, e2);
        }
        let r1 = self.exp2anyreg(e1)?;
        let (op, r2, isfloat) = if let Some((im, isfloat)) = Self::sc_number(e2) {
            (Op::EqI, im, isfloat)
        } else if self.exp2rk(e2)? {
            (Op::EqK, Self::info(e2), false)
        } else {
            (Op::Eq, self.exp2anyreg(e2)?, false)
        };
        self.free_exps(e1, e2);
        e1.k = ExpKind::Jmp(self.cond_jump(op, r1, r2, isfloat as u32, opr == BinOpr::Eq)? as u32);
        Ok(())
    }

    /// Applies a prefix operator (`luaK_prefix`).
    pub(crate) fn prefix(&mut self, op: UnOpr, e: &mut ExpDesc, line: u32) -> CResult<()> {
        const ZERO: ExpDesc = ExpDesc::new(ExpKind::KInt(0));
        self.discharge_vars(e)?;
        match op {
            UnOpr::Minus | UnOpr::BNot => {
                let fop = if op == UnOpr::Minus {
                    FoldOp::Unm
                } else {
                    FoldOp::BNot
                };
                if Self::const_folding(fop, e, &ZERO) {
                    return Ok(());
                }
                let opc = if op == UnOpr::Minus {
                    Op::Unm
                } else {
                    Op::BNot
                };
                self.code_unexpval(opc, e, line)
            }
            UnOpr::Len => self.code_unexpval(Op::Len, e, line),
            UnOpr::Not => self.code_not(e),
        }
    }

    /// Prepares the first operand of a binary operator (`luaK_infix`).
    pub(crate) fn infix(&mut self, op: BinOpr, v: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(v)?;
        match op {
            BinOpr::And => self.go_if_true(v)?,
            BinOpr::Or => self.go_if_false(v)?,
            BinOpr::Concat => self.exp2nextreg(v)?,
            BinOpr::Eq | BinOpr::Ne => {
                if v.numeral().is_none() {
                    self.exp2rk(v)?;
                }
            }
            BinOpr::Lt | BinOpr::Le | BinOpr::Gt | BinOpr::Ge => {
                if Self::sc_number(v).is_none() {
                    self.exp2anyreg(v)?;
                }
            }
            _ => {
                if v.numeral().is_none() {
                    self.exp2anyreg(v)?;
                }
            }
        }
        Ok(())
    }

    fn code_concat(&mut self, e1: &mut ExpDesc, e2: &ExpDesc, line: u32) -> CResult<()> {
        let (ppc, ie2) = self.previous_instruction();
        if ins::op(ie2) == Op::Concat as u8 {
            let n = ins::b(ie2);
            self.free_exp(e2);
            let i = ins::set_b(ins::set_a(ie2, Self::info(e1)), n + 1);
            self.fs.set(ppc, i);
        } else {
            self.code_abc(Op::Concat, Self::info(e1), 2, 0)?;
            self.free_exp(e2);
            self.fix_line(line);
        }
        Ok(())
    }

    /// Finishes a binary operation (`luaK_posfix`).
    pub(crate) fn posfix(
        &mut self,
        opr: BinOpr,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
        line: u32,
    ) -> CResult<()> {
        self.discharge_vars(e2)?;
        if opr.is_foldable() && Self::const_folding(FoldOp::Bin(opr), e1, e2) {
            return Ok(());
        }
        match opr {
            BinOpr::And => {
                let mut f = e2.f;
                self.concat(&mut f, e1.f)?;
                e2.f = f;
                *e1 = *e2;
            }
            BinOpr::Or => {
                let mut t = e2.t;
                self.concat(&mut t, e1.t)?;
                e2.t = t;
                *e1 = *e2;
            }
            BinOpr::Concat => {
                self.exp2nextreg(e2)?;
                self.code_concat(e1, e2, line)?;
            }
            BinOpr::Add | BinOpr::Mul => self.code_commutative(opr, e1, e2, line)?,
            BinOpr::Sub => {
                if !self.finish_binexpneg(e1, e2, Op::AddI, line, TagMethod::Sub)? {
                    self.code_arith(opr, e1, e2, false, line)?;
                }
            }
            BinOpr::Div | BinOpr::IDiv | BinOpr::Mod | BinOpr::Pow => {
                self.code_arith(opr, e1, e2, false, line)?
            }
            BinOpr::BAnd | BinOpr::BOr | BinOpr::BXor => self.code_bitwise(opr, e1, e2, line)?,
            BinOpr::Shl => {
                if Self::is_sc_int(e1) {
                    core::mem::swap(e1, e2);
                    self.code_bini(Op::ShlI, e1, e2, true, line, TagMethod::Shl)?;
                } else if !self.finish_binexpneg(e1, e2, Op::ShrI, line, TagMethod::Shl)? {
                    self.code_binexpval(opr, e1, e2, line)?;
                }
            }
            BinOpr::Shr => {
                if Self::is_sc_int(e2) {
                    self.code_bini(Op::ShrI, e1, e2, false, line, TagMethod::Shr)?;
                } else {
                    self.code_binexpval(opr, e1, e2, line)?;
                }
            }
            BinOpr::Eq | BinOpr::Ne => self.code_eq(opr, e1, e2)?,
            BinOpr::Gt | BinOpr::Ge => {
                // (a > b) is (b < a); (a >= b) is (b <= a)
                core::mem::swap(e1, e2);
                let op = if opr == BinOpr::Gt { Op::Lt } else { Op::Le };
                self.code_order(op, e1, e2)?;
            }
            BinOpr::Lt => self.code_order(Op::Lt, e1, e2)?,
            BinOpr::Le => self.code_order(Op::Le, e1, e2)?,
        }
        Ok(())
    }

    /// Emits the `ERRNNIL` check of `global x = e`: `var` is the global's access.
    pub(crate) fn check_global(
        &mut self,
        var: &mut ExpDesc,
        name: StrId,
        line: u32,
    ) -> CResult<()> {
        let k = self.string_k(name)?;
        if k > opcode::MAXARG_BX {
            return Err(err_near(Limit::TooManyConstants));
        }
        let r = self.exp2anyreg(var)?;
        self.fix_line(line);
        self.code_abx(Op::ErrNNil, r, k)?;
        self.fix_line(line);
        self.free_exp(var);
        Ok(())
    }

    // ---- tables and function end ----

    /// Fills in the sizes of the `NEWTABLE` at `pc` and its `EXTRAARG`.
    pub(crate) fn set_table_size(&mut self, pc: usize, ra: u32, asize: u32, hsize: u32) {
        let rb = if hsize != 0 { ceil_log2(hsize) + 1 } else { 0 };
        let extra = asize / (opcode::MAXARG_C + 1);
        let rc = asize % (opcode::MAXARG_C + 1);
        self.fs
            .set(pc, ins::abck(Op::NewTable, ra, rb, rc, extra > 0));
        self.fs.set(pc + 1, ins::ax_(Op::ExtraArg, extra));
    }

    /// Emits `SETLIST` storing `tostore` values (-1: up to top) after `nelems` stored.
    pub(crate) fn set_list(&mut self, base: u32, nelems: u32, tostore: i32) -> CResult<()> {
        let tostore = if tostore < 0 { 0 } else { tostore as u32 };
        if nelems <= opcode::MAXARG_C {
            self.code_abc(Op::SetList, base, tostore, nelems)?;
        } else {
            let extra = nelems / (opcode::MAXARG_C + 1);
            self.code_abck(
                Op::SetList,
                base,
                tostore,
                nelems % (opcode::MAXARG_C + 1),
                true,
            )?;
            self.code_extraarg(extra)?;
        }
        self.fs.freereg = base + 1;
        Ok(())
    }

    fn final_target(&self, mut i: usize) -> usize {
        for _ in 0..100 {
            let pc = self.fs.get(i);
            if ins::op(pc) != Op::Jmp as u8 {
                break;
            }
            i = (i as i64 + ins::sj(pc) as i64 + 1) as usize;
        }
        i
    }

    /// Final pass over a function's code (`luaK_finish`): returns learn whether they
    /// must close upvalues or fix varargs, and jumps to jumps go straight to the end.
    pub(crate) fn finish(&mut self) -> CResult<()> {
        let needclose = self.fs.needclose;
        let is_vararg = self.fs.f.is_vararg;
        let nparams = self.fs.f.num_params as u32;
        for i in 0..self.fs.pc() {
            let mut inst = self.fs.get(i);
            match Op::from_u8(ins::op(inst)) {
                Some(op @ (Op::Return0 | Op::Return1 | Op::Return | Op::TailCall)) => {
                    if matches!(op, Op::Return0 | Op::Return1) {
                        if !(needclose || is_vararg) {
                            continue;
                        }
                        inst = (inst & !0x7f) | Op::Return as u32;
                    }
                    if needclose {
                        inst = ins::set_k(inst, true);
                    }
                    if is_vararg {
                        inst = ins::set_c(inst, nparams + 1);
                    }
                    self.fs.set(i, inst);
                }
                Some(Op::Jmp) => {
                    let target = self.final_target(i);
                    self.fix_jump(i, target)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Registers `name` as a new local of the current function's debug information.
    pub(crate) fn register_local(&mut self, name: StrId) -> CResult<u32> {
        let var = crate::proto::LocalVar {
            name: tvec::try_copy_of(self.strings.get(name))?,
            start_pc: self.fs.pc() as u32,
            end_pc: 0,
        };
        self.fs.f.locals.try_push(var)?;
        Ok(self.fs.f.locals.len() as u32 - 1)
    }

    /// The debug kind recorded for an upvalue that captures declaration `vd`.
    pub(crate) fn upvalue_kind(vd: &VarDesc) -> VarKind {
        vd.kind.proto_kind()
    }
}

fn ceil_log2(x: u32) -> u32 {
    // ceil(log2(x)) for x >= 1
    32 - (x - 1).leading_zeros()
}

/// Operations constant folding knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FoldOp {
    Bin(BinOpr),
    Unm,
    BNot,
}

/// Arithmetic on constants, as `luaO_rawarith` computes it, refusing what would raise an
/// error at run time (`validop`) or what we cannot compute exactly without libm.
pub(crate) mod fold {
    use super::{BinOpr, FoldOp};
    use crate::number::{self, Number, Rounding};

    fn to_int(v: Number) -> Option<i64> {
        match v {
            Number::Int(i) => Some(i),
            Number::Float(f) => number::float_to_int(f, Rounding::Exact),
        }
    }

    fn to_float(v: Number) -> f64 {
        match v {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }

    fn shift_left(x: i64, y: i64) -> i64 {
        if y <= -64 || y >= 64 {
            0
        } else if y < 0 {
            ((x as u64) >> (-y) as u32) as i64
        } else {
            ((x as u64) << y as u32) as i64
        }
    }

    fn int_idiv(m: i64, n: i64) -> Option<i64> {
        if n == 0 {
            return None;
        }
        if n == -1 {
            return Some(m.wrapping_neg());
        }
        let q = m / n;
        Some(if (m % n != 0) && ((m ^ n) < 0) {
            q - 1
        } else {
            q
        })
    }

    fn int_mod(m: i64, n: i64) -> Option<i64> {
        if n == 0 {
            return None;
        }
        if n == -1 {
            return Some(0);
        }
        let r = m % n;
        Some(if r != 0 && (r ^ n) < 0 { r + n } else { r })
    }

    /// Exact `fmod` for finite operands (the remainder of a float division is always
    /// representable), by binary long division of the significands.
    pub(crate) fn fmod(x: f64, y: f64) -> f64 {
        let mut ux = x.to_bits();
        let mut uy = y.to_bits();
        let mut ex = ((ux >> 52) & 0x7ff) as i64;
        let mut ey = ((uy >> 52) & 0x7ff) as i64;
        let sign = ux & (1 << 63);
        if uy << 1 == 0 || y.is_nan() || ex == 0x7ff {
            return f64::NAN;
        }
        if ux << 1 <= uy << 1 {
            return if ux << 1 == uy << 1 { 0.0 * x } else { x };
        }
        let mantissa = |u: u64, e: &mut i64| -> u64 {
            if *e == 0 {
                let mut i = u << 12;
                while i >> 63 == 0 {
                    *e -= 1;
                    i <<= 1;
                }
                u.checked_shl((1 - *e) as u32).unwrap_or(0)
            } else {
                (u & (u64::MAX >> 12)) | (1 << 52)
            }
        };
        ux = mantissa(ux, &mut ex);
        uy = mantissa(uy, &mut ey);
        while ex > ey {
            let i = ux.wrapping_sub(uy);
            if i >> 63 == 0 {
                if i == 0 {
                    return 0.0 * x;
                }
                ux = i;
            }
            ux <<= 1;
            ex -= 1;
        }
        let i = ux.wrapping_sub(uy);
        if i >> 63 == 0 {
            if i == 0 {
                return 0.0 * x;
            }
            ux = i;
        }
        while ux >> 52 == 0 {
            ux <<= 1;
            ex -= 1;
        }
        if ex > 0 {
            ux -= 1 << 52;
            ux |= (ex as u64) << 52;
        } else {
            ux = ux.checked_shr((1 - ex) as u32).unwrap_or(0);
        }
        f64::from_bits(ux | sign)
    }

    fn float_mod(a: f64, b: f64) -> f64 {
        let m = fmod(a, b);
        if (m > 0.0 && b < 0.0) || (m < 0.0 && b != m && b > 0.0) {
            m + b
        } else {
            m
        }
    }

    /// The folded value of `op` over two numerals, or `None` when the operation must be
    /// left to run time.
    pub(crate) fn arith(op: FoldOp, v1: Number, v2: Number) -> Option<Number> {
        use Number::{Float, Int};
        let bin = match op {
            FoldOp::Unm => {
                return Some(match v1 {
                    Int(i) => Int(i.wrapping_neg()),
                    Float(f) => Float(-f),
                })
            }
            FoldOp::BNot => return Some(Int(!to_int(v1)?)),
            FoldOp::Bin(b) => b,
        };
        match bin {
            BinOpr::BAnd | BinOpr::BOr | BinOpr::BXor | BinOpr::Shl | BinOpr::Shr => {
                let (a, b) = (to_int(v1)?, to_int(v2)?);
                Some(Int(match bin {
                    BinOpr::BAnd => a & b,
                    BinOpr::BOr => a | b,
                    BinOpr::BXor => a ^ b,
                    BinOpr::Shl => shift_left(a, b),
                    _ => shift_left(a, b.wrapping_neg()),
                }))
            }
            BinOpr::Div | BinOpr::Pow => {
                let (a, b) = (to_float(v1), to_float(v2));
                if bin == BinOpr::Div {
                    if b == 0.0 {
                        return None;
                    }
                    Some(Float(a / b))
                } else {
                    crate::arith::pow_exact(a, b).map(Float)
                }
            }
            _ => {
                if let (Int(a), Int(b)) = (v1, v2) {
                    return Some(Int(match bin {
                        BinOpr::Add => a.wrapping_add(b),
                        BinOpr::Sub => a.wrapping_sub(b),
                        BinOpr::Mul => a.wrapping_mul(b),
                        BinOpr::Mod => int_mod(a, b)?,
                        BinOpr::IDiv => int_idiv(a, b)?,
                        _ => return None,
                    }));
                }
                let (a, b) = (to_float(v1), to_float(v2));
                Some(Float(match bin {
                    BinOpr::Add => a + b,
                    BinOpr::Sub => a - b,
                    BinOpr::Mul => a * b,
                    BinOpr::Mod => {
                        if b == 0.0 || !a.is_finite() {
                            return None;
                        }
                        if b.is_infinite() {
                            // fmod(a, inf) is a; the sign fix-up may turn it into inf.
                            float_mod_inf(a, b)
                        } else {
                            float_mod(a, b)
                        }
                    }
                    BinOpr::IDiv => {
                        if b == 0.0 {
                            return None;
                        }
                        number::floor(a / b)
                    }
                    _ => return None,
                }))
            }
        }
    }

    fn float_mod_inf(a: f64, b: f64) -> f64 {
        let m = a;
        if (m > 0.0 && b < 0.0) || (m < 0.0 && b != m && b > 0.0) {
            m + b
        } else {
            m
        }
    }
}
