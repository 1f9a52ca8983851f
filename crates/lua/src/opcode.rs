//! Instruction encoding: Lua 5.4's 32-bit formats and opcode set, plus the opcodes that
//! Lua 5.5's syntax needs.
//!
//! ```text
//!         3 3 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 1 1 1 1 1 0 0 0 0 0 0 0 0 0 0
//!         1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0
//! iABC          C(8)     |      B(8)     |k|     A(8)      |   Op(7)     |
//! iABx                Bx(17)               |     A(8)      |   Op(7)     |
//! iAsBx              sBx (signed)(17)      |     A(8)      |   Op(7)     |
//! iAx                           Ax(25)                     |   Op(7)     |
//! isJ                           sJ (signed)(25)            |   Op(7)     |
//! ```
//!
//! Signed fields are stored in excess-K: `sBx = Bx - OFFSET_SBX`, `sJ = J - OFFSET_SJ`,
//! `sB = B - OFFSET_SC`, `sC = C - OFFSET_SC`. Semantics follow Lua 5.4's lopcodes.h;
//! the register-transfer line beside each opcode is the contract between the compiler
//! (`code.rs`) and the interpreter (`vm.rs`). `R[x]` is a register, `K[x]` a constant,
//! `UpValue[x]` an upvalue, `KS[x]` a string constant, `RK(x)` is `K[x]` when `k` is set
//! and `R[x]` otherwise.

/// One encoded instruction.
pub type Instruction = u32;

pub const SIZE_OP: u32 = 7;
pub const SIZE_A: u32 = 8;
pub const SIZE_B: u32 = 8;
pub const SIZE_C: u32 = 8;
pub const SIZE_BX: u32 = 17;
pub const SIZE_AX: u32 = 25;
pub const SIZE_SJ: u32 = 25;

pub const POS_A: u32 = 7;
pub const POS_K: u32 = 15;
pub const POS_B: u32 = 16;
pub const POS_C: u32 = 24;
pub const POS_BX: u32 = 15;
pub const POS_AX: u32 = 7;
pub const POS_SJ: u32 = 7;

pub const MAXARG_A: u32 = (1 << SIZE_A) - 1;
pub const MAXARG_B: u32 = (1 << SIZE_B) - 1;
pub const MAXARG_C: u32 = (1 << SIZE_C) - 1;
pub const MAXARG_BX: u32 = (1 << SIZE_BX) - 1;
pub const MAXARG_AX: u32 = (1 << SIZE_AX) - 1;
pub const MAXARG_SJ: u32 = (1 << SIZE_SJ) - 1;
pub const OFFSET_SBX: i32 = (MAXARG_BX >> 1) as i32;
pub const OFFSET_SJ: i32 = (MAXARG_SJ >> 1) as i32;
pub const OFFSET_SC: i32 = (MAXARG_C >> 1) as i32;

/// Largest register index a function may use (`MAXREGS` in lcode.c).
pub const MAX_REGS: u32 = 255;
/// Number of list items accumulated before a `SETLIST` flush (`LFIELDS_PER_FLUSH`).
pub const FIELDS_PER_FLUSH: u32 = 50;

macro_rules! opcodes {
    ($( $(#[$doc:meta])* $name:ident = $text:literal, )*) => {
        /// Opcodes, in encoding order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub enum Op { $( $(#[$doc])* $name, )* }

        /// Opcode names as `luac -l` prints them, indexed by opcode.
        pub const OP_NAMES: &[&str] = &[ $( $text, )* ];

        const OPS: &[Op] = &[ $( Op::$name, )* ];
    };
}

opcodes! {
    /// `R[A] := R[B]`
    Move = "MOVE",
    /// `R[A] := sBx`
    LoadI = "LOADI",
    /// `R[A] := (float)sBx`
    LoadF = "LOADF",
    /// `R[A] := K[Bx]`
    LoadK = "LOADK",
    /// `R[A] := K[extra arg]`
    LoadKX = "LOADKX",
    /// `R[A] := false`
    LoadFalse = "LOADFALSE",
    /// `R[A] := false; pc++`
    LFalseSkip = "LFALSESKIP",
    /// `R[A] := true`
    LoadTrue = "LOADTRUE",
    /// `R[A], R[A+1], ..., R[A+B] := nil`
    LoadNil = "LOADNIL",
    /// `R[A] := UpValue[B]`
    GetUpval = "GETUPVAL",
    /// `UpValue[B] := R[A]`
    SetUpval = "SETUPVAL",
    /// `R[A] := UpValue[B][K[C]:shortstring]`
    GetTabUp = "GETTABUP",
    /// `R[A] := R[B][R[C]]`
    GetTable = "GETTABLE",
    /// `R[A] := R[B][C]`
    GetI = "GETI",
    /// `R[A] := R[B][K[C]:shortstring]`
    GetField = "GETFIELD",
    /// `UpValue[A][K[B]:shortstring] := RK(C)`
    SetTabUp = "SETTABUP",
    /// `R[A][R[B]] := RK(C)`
    SetTable = "SETTABLE",
    /// `R[A][B] := RK(C)`
    SetI = "SETI",
    /// `R[A][K[B]:shortstring] := RK(C)`
    SetField = "SETFIELD",
    /// `R[A] := {}`; B is the encoded hash size (`0` or `ceil(log2)+1`), C the array size
    /// (plus `EXTRAARG * (MAXARG_C + 1)` when `k` is set).
    NewTable = "NEWTABLE",
    /// `R[A+1] := R[B]; R[A] := R[B][RK(C):string]`
    SelfOp = "SELF",
    /// `R[A] := R[B] + sC`
    AddI = "ADDI",
    /// `R[A] := R[B] + K[C]:number`
    AddK = "ADDK",
    /// `R[A] := R[B] - K[C]:number`
    SubK = "SUBK",
    /// `R[A] := R[B] * K[C]:number`
    MulK = "MULK",
    /// `R[A] := R[B] % K[C]:number`
    ModK = "MODK",
    /// `R[A] := R[B] ^ K[C]:number`
    PowK = "POWK",
    /// `R[A] := R[B] / K[C]:number`
    DivK = "DIVK",
    /// `R[A] := R[B] // K[C]:number`
    IDivK = "IDIVK",
    /// `R[A] := R[B] & K[C]:integer`
    BAndK = "BANDK",
    /// `R[A] := R[B] | K[C]:integer`
    BOrK = "BORK",
    /// `R[A] := R[B] ~ K[C]:integer`
    BXorK = "BXORK",
    /// `R[A] := R[B] >> sC`
    ShrI = "SHRI",
    /// `R[A] := sC << R[B]`
    ShlI = "SHLI",
    /// `R[A] := R[B] + R[C]`
    Add = "ADD",
    /// `R[A] := R[B] - R[C]`
    Sub = "SUB",
    /// `R[A] := R[B] * R[C]`
    Mul = "MUL",
    /// `R[A] := R[B] % R[C]`
    Mod = "MOD",
    /// `R[A] := R[B] ^ R[C]`
    Pow = "POW",
    /// `R[A] := R[B] / R[C]`
    Div = "DIV",
    /// `R[A] := R[B] // R[C]`
    IDiv = "IDIV",
    /// `R[A] := R[B] & R[C]`
    BAnd = "BAND",
    /// `R[A] := R[B] | R[C]`
    BOr = "BOR",
    /// `R[A] := R[B] ~ R[C]`
    BXor = "BXOR",
    /// `R[A] := R[B] << R[C]`
    Shl = "SHL",
    /// `R[A] := R[B] >> R[C]`
    Shr = "SHR",
    /// Metamethod `C` (a `TagMethod`) over `R[A]` and `R[B]`; result to the previous
    /// instruction's A.
    MmBin = "MMBIN",
    /// Metamethod `C` over `R[A]` and `sB`; `k` means the operands are flipped.
    MmBinI = "MMBINI",
    /// Metamethod `C` over `R[A]` and `K[B]`; `k` means the operands are flipped.
    MmBinK = "MMBINK",
    /// `R[A] := -R[B]`
    Unm = "UNM",
    /// `R[A] := ~R[B]`
    BNot = "BNOT",
    /// `R[A] := not R[B]`
    Not = "NOT",
    /// `R[A] := #R[B]` (length operator)
    Len = "LEN",
    /// `R[A] := R[A].. ... ..R[A + B - 1]`
    Concat = "CONCAT",
    /// Close all upvalues and to-be-closed variables `>= R[A]`
    Close = "CLOSE",
    /// Mark variable `R[A]` "to be closed"
    Tbc = "TBC",
    /// `pc += sJ`
    Jmp = "JMP",
    /// `if ((R[A] == R[B]) ~= k) then pc++`
    Eq = "EQ",
    /// `if ((R[A] <  R[B]) ~= k) then pc++`
    Lt = "LT",
    /// `if ((R[A] <= R[B]) ~= k) then pc++`
    Le = "LE",
    /// `if ((R[A] == K[B]) ~= k) then pc++`
    EqK = "EQK",
    /// `if ((R[A] == sB) ~= k) then pc++`
    EqI = "EQI",
    /// `if ((R[A] < sB) ~= k) then pc++`; C is 1 when the original operand was a float
    LtI = "LTI",
    /// `if ((R[A] <= sB) ~= k) then pc++`
    LeI = "LEI",
    /// `if ((R[A] > sB) ~= k) then pc++`
    GtI = "GTI",
    /// `if ((R[A] >= sB) ~= k) then pc++`
    GeI = "GEI",
    /// `if (not R[A] == k) then pc++`
    Test = "TEST",
    /// `if (not R[B] == k) then pc++ else R[A] := R[B]`
    TestSet = "TESTSET",
    /// `R[A], ... ,R[A+C-2] := R[A](R[A+1], ... ,R[A+B-1])`; B=0: args up to top;
    /// C=0: results set top
    Call = "CALL",
    /// `return R[A](R[A+1], ... ,R[A+B-1])`; `k`: close upvalues first; C>0: the function
    /// is variadic and C-1 is its number of fixed parameters
    TailCall = "TAILCALL",
    /// `return R[A], ... ,R[A+B-2]`; B=0: up to top; `k`: close upvalues/tbc first;
    /// C>0 as in `TailCall`
    Return = "RETURN",
    /// `return`
    Return0 = "RETURN0",
    /// `return R[A]`
    Return1 = "RETURN1",
    /// Update counters; `if loop continues then pc -= Bx`
    ForLoop = "FORLOOP",
    /// `<check values and prepare counters>; if not to run then pc += Bx + 1`
    ForPrep = "FORPREP",
    /// Create upvalue for `R[A + 3]`; `pc += Bx`
    TForPrep = "TFORPREP",
    /// `R[A+4], ... ,R[A+3+C] := R[A](R[A+1], R[A+2])`
    TForCall = "TFORCALL",
    /// `if R[A+4] ~= nil then { R[A+2] := R[A+4]; pc -= Bx }`
    TForLoop = "TFORLOOP",
    /// `R[A][C+i] := R[A+i], 1 <= i <= B`; B=0: up to top; `k`: C is extended by EXTRAARG
    SetList = "SETLIST",
    /// `R[A] := closure(KPROTO[Bx])`
    Closure = "CLOSURE",
    /// `R[A], R[A+1], ..., R[A+C-2] = vararg`; C=0: all, setting top
    VarArg = "VARARG",
    /// Adjust the vararg parameters; A is the number of fixed parameters
    VarArgPrep = "VARARGPREP",
    /// Extra (larger) argument for the previous opcode
    ExtraArg = "EXTRAARG",
    // ---- Lua 5.5 additions (after 5.4's set so 5.4 listings compare unchanged) ----
    /// `if R[A] ~= nil then error("global 'KS[Bx]' already defined")` (for `global x = e`)
    ErrNNil = "ERRNNIL",
    /// `R[A] := { vararg..., n = #vararg }`: materialise a named vararg table
    VarArgTab = "VARARGTAB",
    /// `R[A], ..., R[A+C-2] := R[B][1 .. R[B].n]`; C=0: all, setting top (a vararg
    /// expression in a function whose named vararg table was materialised)
    VarArgT = "VARARGT",
}

/// Metamethod events, in the order `MMBIN*` encode them in C (ORDER TM of Lua 5.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum TagMethod {
    Index,
    NewIndex,
    Gc,
    Mode,
    Len,
    Eq,
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
    Unm,
    BNot,
    Lt,
    Le,
    Concat,
    Call,
    Close,
}

/// Metamethod names, indexed by `TagMethod`.
pub const TM_NAMES: &[&str] = &[
    "__index",
    "__newindex",
    "__gc",
    "__mode",
    "__len",
    "__eq",
    "__add",
    "__sub",
    "__mul",
    "__mod",
    "__pow",
    "__div",
    "__idiv",
    "__band",
    "__bor",
    "__bxor",
    "__shl",
    "__shr",
    "__unm",
    "__bnot",
    "__lt",
    "__le",
    "__concat",
    "__call",
    "__close",
];

impl TagMethod {
    const ALL: [TagMethod; 25] = [
        TagMethod::Index,
        TagMethod::NewIndex,
        TagMethod::Gc,
        TagMethod::Mode,
        TagMethod::Len,
        TagMethod::Eq,
        TagMethod::Add,
        TagMethod::Sub,
        TagMethod::Mul,
        TagMethod::Mod,
        TagMethod::Pow,
        TagMethod::Div,
        TagMethod::IDiv,
        TagMethod::BAnd,
        TagMethod::BOr,
        TagMethod::BXor,
        TagMethod::Shl,
        TagMethod::Shr,
        TagMethod::Unm,
        TagMethod::BNot,
        TagMethod::Lt,
        TagMethod::Le,
        TagMethod::Concat,
        TagMethod::Call,
        TagMethod::Close,
    ];

    /// Decodes the `C` field of an `MMBIN*` instruction.
    pub fn from_u8(n: u8) -> Option<TagMethod> {
        Self::ALL.get(n as usize).copied()
    }

    /// The metamethod's field name, e.g. `"__add"`.
    pub fn name(self) -> &'static str {
        TM_NAMES[self as usize]
    }
}

impl Op {
    /// Decodes an opcode number; `None` for numbers past the last opcode.
    #[inline(always)]
    pub fn from_u8(n: u8) -> Option<Op> {
        OPS.get(n as usize).copied()
    }

    /// The opcode's name as `luac -l` prints it.
    pub fn name(self) -> &'static str {
        OP_NAMES[self as usize]
    }
}

#[inline(always)]
const fn field(i: Instruction, pos: u32, size: u32) -> u32 {
    (i >> pos) & ((1 << size) - 1)
}

/// Field accessors and constructors.
pub mod ins {
    use super::*;

    #[inline(always)]
    pub const fn op(i: Instruction) -> u8 {
        field(i, 0, SIZE_OP) as u8
    }
    #[inline(always)]
    pub const fn a(i: Instruction) -> u32 {
        field(i, POS_A, SIZE_A)
    }
    #[inline(always)]
    pub const fn b(i: Instruction) -> u32 {
        field(i, POS_B, SIZE_B)
    }
    #[inline(always)]
    pub const fn c(i: Instruction) -> u32 {
        field(i, POS_C, SIZE_C)
    }
    #[inline(always)]
    pub const fn sb(i: Instruction) -> i32 {
        b(i) as i32 - OFFSET_SC
    }
    #[inline(always)]
    pub const fn sc(i: Instruction) -> i32 {
        c(i) as i32 - OFFSET_SC
    }
    #[inline(always)]
    pub const fn k(i: Instruction) -> bool {
        field(i, POS_K, 1) != 0
    }
    #[inline(always)]
    pub const fn bx(i: Instruction) -> u32 {
        field(i, POS_BX, SIZE_BX)
    }
    #[inline(always)]
    pub const fn sbx(i: Instruction) -> i32 {
        bx(i) as i32 - OFFSET_SBX
    }
    #[inline(always)]
    pub const fn ax(i: Instruction) -> u32 {
        field(i, POS_AX, SIZE_AX)
    }
    #[inline(always)]
    pub const fn sj(i: Instruction) -> i32 {
        field(i, POS_SJ, SIZE_SJ) as i32 - OFFSET_SJ
    }

    pub const fn abck(op: Op, a: u32, b: u32, c: u32, k: bool) -> Instruction {
        (op as u32) | (a << POS_A) | ((k as u32) << POS_K) | (b << POS_B) | (c << POS_C)
    }
    pub const fn abx(op: Op, a: u32, bx: u32) -> Instruction {
        (op as u32) | (a << POS_A) | (bx << POS_BX)
    }
    pub const fn asbx(op: Op, a: u32, sbx: i32) -> Instruction {
        abx(op, a, (sbx + OFFSET_SBX) as u32)
    }
    pub const fn ax_(op: Op, ax: u32) -> Instruction {
        (op as u32) | (ax << POS_AX)
    }
    pub const fn sj_(op: Op, sj: i32) -> Instruction {
        (op as u32) | (((sj + OFFSET_SJ) as u32) << POS_SJ)
    }

    /// Replaces field A.
    pub const fn set_a(i: Instruction, a: u32) -> Instruction {
        (i & !(MAXARG_A << POS_A)) | (a << POS_A)
    }
    /// Replaces field B.
    pub const fn set_b(i: Instruction, b: u32) -> Instruction {
        (i & !(MAXARG_B << POS_B)) | (b << POS_B)
    }
    /// Replaces field C.
    pub const fn set_c(i: Instruction, c: u32) -> Instruction {
        (i & !(MAXARG_C << POS_C)) | (c << POS_C)
    }
    /// Replaces the k bit.
    pub const fn set_k(i: Instruction, k: bool) -> Instruction {
        (i & !(1 << POS_K)) | ((k as u32) << POS_K)
    }
    /// Replaces field Bx.
    pub const fn set_bx(i: Instruction, bx: u32) -> Instruction {
        (i & !(MAXARG_BX << POS_BX)) | (bx << POS_BX)
    }
    /// Replaces field sJ.
    pub const fn set_sj(i: Instruction, sj: i32) -> Instruction {
        (i & !(MAXARG_SJ << POS_SJ)) | (((sj + OFFSET_SJ) as u32) << POS_SJ)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip() {
        let i = ins::abck(Op::Add, 3, 200, 7, true);
        assert_eq!(Op::from_u8(ins::op(i)), Some(Op::Add));
        assert_eq!(
            (ins::a(i), ins::b(i), ins::c(i), ins::k(i)),
            (3, 200, 7, true)
        );
        let j = ins::asbx(Op::LoadI, 9, -5);
        assert_eq!((ins::a(j), ins::sbx(j)), (9, -5));
        let s = ins::sj_(Op::Jmp, -1000);
        assert_eq!(ins::sj(s), -1000);
        assert_eq!(ins::sj(ins::set_sj(s, 77)), 77);
    }

    #[test]
    fn names_cover_every_opcode() {
        assert_eq!(OP_NAMES.len(), Op::VarArgT as usize + 1);
        assert_eq!(
            Op::from_u8(Op::ExtraArg as u8).map(Op::name),
            Some("EXTRAARG")
        );
        assert_eq!(
            TagMethod::from_u8(TagMethod::Close as u8).map(TagMethod::name),
            Some("__close")
        );
        assert_eq!(Op::from_u8(127), None);
    }
}
