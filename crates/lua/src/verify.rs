//! The bytecode verifier: every prototype passes it before the VM may run it.
//!
//! The interpreter (`vm.rs`) reads registers through raw pointers, constants, code and
//! upvalues with unchecked indexing, and transmutes opcode bytes. It may do so because
//! every prototype that reaches it, compiled or loaded from a binary chunk, satisfied
//! the rules below, checked here once at load time:
//!
//! - every opcode byte names an `Op`;
//! - every register an instruction reads or writes is below `max_stack` (a range of
//!   registers `A..A+n` has `A + n <= max_stack`, so an empty range may start at
//!   `max_stack`); `precall` allocates `max_stack + 1` slots above the base;
//! - constant, upvalue and child-prototype indices are below their counts, and the
//!   keys of `GETTABUP`/`GETFIELD`/`SETTABUP`/`SETFIELD` (and a constant `SELF` key)
//!   are string constants;
//! - every instruction that can fall through has a successor, every jump target
//!   (including the skips of tests, `LFALSESKIP` and the arithmetic fast paths, and the
//!   loop jumps) lies inside the code, and `pc 0` is never a jump target of a vararg
//!   function (its `VARARGPREP` runs once);
//! - the instructions the VM reads ahead or behind are where it expects them: a test is
//!   followed by `JMP`, an arithmetic instruction by its `MMBIN*` (and an `MMBIN*`
//!   follows one), `LOADKX`, `NEWTABLE` and `SETLIST` with `k` by `EXTRAARG`,
//!   `TFORPREP` targets a `TFORCALL` that is followed by its `TFORLOOP`, `FORPREP`
//!   pairs with its `FORLOOP`;
//! - an instruction that uses the values up to `top` (`B = 0` of `CALL`, `TAILCALL`,
//!   `RETURN`, `SETLIST`) follows one that sets `top`;
//! - `VARARGPREP` is the first instruction exactly when the function is vararg, and
//!   returns carry the fixed-parameter count the VM uses to find the frame's function;
//! - a child's upvalue descriptors name a register below the parent's `max_stack` or an
//!   upvalue of the parent;
//! - table size hints are bounded by the code size (a hint cannot ask for more memory
//!   than the constructor could fill), so a small chunk cannot allocate a huge table.
//!
//! What cannot be decided statically (the value of `top` when a jump lands on a `B = 0`
//! instruction, types of registers) the VM checks on its slow paths.

use crate::opcode::{ins, Op, TagMethod, FIELDS_PER_FLUSH, MAXARG_C};
use crate::proto::{Constant, Proto};

/// Why a prototype was rejected: the instruction (if any) and the broken rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyError {
    pub pc: Option<usize>,
    pub what: &'static str,
}

type VResult = Result<(), VerifyError>;

/// Most upvalues a function may have.
pub const MAX_UPVALUES: usize = 255;

/// Largest code length accepted: jump arithmetic stays far from overflow.
pub const MAX_CODE: usize = 1 << 24;

/// Checks `p` (not its children's code, which `load` verifies when it converts them,
/// but its children's upvalue descriptors, which refer to `p`).
///
/// # Errors
/// The first rule that does not hold.
pub fn verify(p: &Proto) -> VResult {
    let whole = |what| Err(VerifyError { pc: None, what });
    let n = p.code.len();
    if n == 0 {
        return whole("empty code");
    }
    if n > MAX_CODE {
        return whole("code too long");
    }
    if !p.lines.is_empty() && p.lines.len() != n {
        return whole("line information does not match the code");
    }
    if p.num_params > p.max_stack {
        return whole("more parameters than registers");
    }
    // The compiler's limit (`MAX_UPVAL` in parse.rs); a dump records the count in a byte.
    if p.upvalues.len() > MAX_UPVALUES {
        return whole("too many upvalues");
    }
    let starts_with_prep = p
        .code
        .first()
        .is_some_and(|&i| ins::op(i) == Op::VarArgPrep as u8);
    if starts_with_prep != p.is_vararg {
        return whole("VARARGPREP must start exactly the vararg functions");
    }
    for child in p.protos.iter() {
        for u in child.upvalues.iter() {
            let limit = if u.in_stack {
                p.max_stack as usize
            } else {
                p.upvalues.len()
            };
            if u.index as usize >= limit {
                return whole("upvalue descriptor out of range");
            }
        }
    }
    let v = Verifier { p, n };
    for (pc, &i) in p.code.iter().enumerate() {
        v.instruction(pc, i)
            .map_err(|what| VerifyError { pc: Some(pc), what })?;
    }
    Ok(())
}

struct Verifier<'a> {
    p: &'a Proto,
    n: usize,
}

type Check = Result<(), &'static str>;

fn ensure(cond: bool, what: &'static str) -> Check {
    if cond {
        Ok(())
    } else {
        Err(what)
    }
}

/// Arithmetic instructions whose fast path skips the `MMBIN*` that follows them.
fn has_mmbin(op: Op) -> bool {
    matches!(
        op,
        Op::AddI
            | Op::AddK
            | Op::SubK
            | Op::MulK
            | Op::ModK
            | Op::PowK
            | Op::DivK
            | Op::IDivK
            | Op::BAndK
            | Op::BOrK
            | Op::BXorK
            | Op::ShrI
            | Op::ShlI
            | Op::Add
            | Op::Sub
            | Op::Mul
            | Op::Mod
            | Op::Pow
            | Op::Div
            | Op::IDiv
            | Op::BAnd
            | Op::BOr
            | Op::BXor
            | Op::Shl
            | Op::Shr
    )
}

impl Verifier<'_> {
    fn max(&self) -> u32 {
        self.p.max_stack as u32
    }

    /// One register.
    fn reg(&self, r: u32) -> Check {
        ensure(r < self.max(), "register out of range")
    }

    /// Registers `a..a+len`.
    fn range(&self, a: u32, len: u32) -> Check {
        ensure(a + len <= self.max(), "register range out of range")
    }

    fn konst(&self, k: u32) -> Check {
        ensure(
            (k as usize) < self.p.constants.len(),
            "constant out of range",
        )
    }

    fn kstr(&self, k: u32) -> Check {
        ensure(
            matches!(self.p.constants.get(k as usize), Some(Constant::Str(_))),
            "key is not a string constant",
        )
    }

    fn upval(&self, u: u32) -> Check {
        ensure((u as usize) < self.p.upvalues.len(), "upvalue out of range")
    }

    /// `R[c]` or, with `k`, `K[c]`.
    fn rk(&self, i: u32) -> Check {
        if ins::k(i) {
            self.konst(ins::c(i))
        } else {
            self.reg(ins::c(i))
        }
    }

    fn op_at(&self, pc: usize) -> Option<Op> {
        self.p.code.get(pc).and_then(|&i| Op::from_u8(ins::op(i)))
    }

    /// A jump target: inside the code, and not the `VARARGPREP` of a vararg function.
    fn target(&self, t: i64) -> Check {
        ensure(t >= 0 && (t as u64) < self.n as u64, "jump out of range")?;
        ensure(!(t == 0 && self.p.is_vararg), "jump to VARARGPREP")
    }

    /// The instruction at `pc` is `op` (the VM reads it without decoding).
    fn followed_by(&self, pc: usize, op: Op, what: &'static str) -> Check {
        ensure(self.op_at(pc) == Some(op), what)
    }

    /// `pc` follows an instruction that sets `top` (a multiple-result call or vararg).
    fn after_open(&self, pc: usize) -> Check {
        let prev = pc.checked_sub(1).and_then(|q| self.p.code.get(q).copied());
        let ok = prev.is_some_and(|j| match Op::from_u8(ins::op(j)) {
            Some(Op::Call | Op::VarArg | Op::VarArgT) => ins::c(j) == 0,
            Some(Op::TailCall) => true,
            _ => false,
        });
        ensure(
            ok,
            "open operand without a preceding multiple-result instruction",
        )
    }

    /// Results `a..a+c-1` of a call or vararg (`c = 0`: up to `top`).
    fn results(&self, a: u32, c: u32) -> Check {
        if c == 0 {
            self.range(a, 0)
        } else {
            self.range(a, c - 1)
        }
    }

    /// The C operand of `RETURN`/`TAILCALL`: fixed parameters plus one in a vararg
    /// function (the VM finds the caller's function slot with it), else 0.
    fn return_c(&self, i: u32) -> Check {
        let want = if self.p.is_vararg {
            self.p.num_params as u32 + 1
        } else {
            0
        };
        ensure(
            ins::c(i) == want,
            "return does not match the function's varargs",
        )
    }

    fn instruction(&self, pc: usize, i: u32) -> Check {
        let Some(op) = Op::from_u8(ins::op(i)) else {
            return Err("invalid opcode");
        };
        let (a, b, c) = (ins::a(i), ins::b(i), ins::c(i));
        let pc1 = pc as i64 + 1;
        let falls_through = !matches!(
            op,
            Op::Jmp | Op::Return | Op::Return0 | Op::Return1 | Op::TForPrep
        );
        if falls_through {
            ensure(pc + 1 < self.n, "code ends without a return")?;
        }
        if has_mmbin(op) {
            ensure(
                matches!(
                    self.op_at(pc + 1),
                    Some(Op::MmBin | Op::MmBinI | Op::MmBinK)
                ),
                "arithmetic without MMBIN",
            )?;
        }
        match op {
            Op::Move => {
                self.reg(a)?;
                self.reg(b)
            }
            Op::LoadI | Op::LoadF | Op::LoadFalse | Op::LoadTrue => self.reg(a),
            Op::LoadK => {
                self.reg(a)?;
                self.konst(ins::bx(i))
            }
            Op::LoadKX => {
                self.reg(a)?;
                self.followed_by(pc + 1, Op::ExtraArg, "LOADKX without EXTRAARG")?;
                let extra = self.p.code.get(pc + 1).copied().unwrap_or(0);
                self.konst(ins::ax(extra))
            }
            Op::LFalseSkip => {
                self.reg(a)?;
                self.target(pc1 + 1)
            }
            Op::LoadNil => self.range(a, b + 1),
            Op::GetUpval | Op::SetUpval => {
                self.reg(a)?;
                self.upval(b)
            }
            Op::GetTabUp => {
                self.reg(a)?;
                self.upval(b)?;
                self.kstr(c)
            }
            Op::GetTable => {
                self.reg(a)?;
                self.reg(b)?;
                self.reg(c)
            }
            Op::GetI => {
                self.reg(a)?;
                self.reg(b)
            }
            Op::GetField => {
                self.reg(a)?;
                self.reg(b)?;
                self.kstr(c)
            }
            Op::SetTabUp => {
                self.upval(a)?;
                self.kstr(b)?;
                self.rk(i)
            }
            Op::SetTable => {
                self.reg(a)?;
                self.reg(b)?;
                self.rk(i)
            }
            Op::SetI => {
                self.reg(a)?;
                self.rk(i)
            }
            Op::SetField => {
                self.reg(a)?;
                self.kstr(b)?;
                self.rk(i)
            }
            Op::NewTable => {
                self.reg(a)?;
                // The VM always skips the next instruction.
                self.followed_by(pc + 1, Op::ExtraArg, "NEWTABLE without EXTRAARG")?;
                let extra = self.p.code.get(pc + 1).copied().unwrap_or(0);
                let array = ins::ax(extra) as u64 * (MAXARG_C as u64 + 1) + c as u64;
                // Each array item is flushed by a SETLIST, each hash item set by its own
                // instruction: hints beyond that are not from a constructor.
                let code = self.n as u64;
                ensure(
                    array <= FIELDS_PER_FLUSH as u64 * code,
                    "table size hint too large",
                )?;
                ensure(
                    b == 0 || (b <= 40 && 1u64 << (b - 1) <= 2 * code),
                    "table size hint too large",
                )
            }
            Op::SelfOp => {
                self.range(a, 2)?;
                self.reg(b)?;
                if ins::k(i) {
                    self.kstr(c)
                } else {
                    self.reg(c)
                }
            }
            Op::AddI | Op::ShrI | Op::ShlI => {
                self.reg(a)?;
                self.reg(b)
            }
            Op::AddK
            | Op::SubK
            | Op::MulK
            | Op::ModK
            | Op::PowK
            | Op::DivK
            | Op::IDivK
            | Op::BAndK
            | Op::BOrK
            | Op::BXorK => {
                self.reg(a)?;
                self.reg(b)?;
                self.konst(c)
            }
            Op::Add
            | Op::Sub
            | Op::Mul
            | Op::Mod
            | Op::Pow
            | Op::Div
            | Op::IDiv
            | Op::BAnd
            | Op::BOr
            | Op::BXor
            | Op::Shl
            | Op::Shr => {
                self.reg(a)?;
                self.reg(b)?;
                self.reg(c)
            }
            Op::MmBin | Op::MmBinI | Op::MmBinK => {
                // The VM writes the result to the A of the instruction before.
                let prev = pc.checked_sub(1).and_then(|q| self.op_at(q));
                ensure(prev.is_some_and(has_mmbin), "MMBIN without arithmetic")?;
                // Only the binary arithmetic and bitwise events have MMBIN* slow paths.
                ensure(
                    (TagMethod::Add as u32..=TagMethod::Shr as u32).contains(&c),
                    "invalid metamethod",
                )?;
                self.reg(a)?;
                match op {
                    Op::MmBin => self.reg(b),
                    Op::MmBinK => self.konst(b),
                    _ => Ok(()),
                }
            }
            Op::Unm | Op::BNot | Op::Not | Op::Len => {
                self.reg(a)?;
                self.reg(b)
            }
            Op::Concat => {
                ensure(b >= 2, "CONCAT of fewer than two values")?;
                self.range(a, b)
            }
            Op::Close => self.range(a, 0),
            Op::Tbc => self.reg(a),
            Op::Jmp => self.target(pc1 + ins::sj(i) as i64),
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
            | Op::TestSet => {
                self.reg(a)?;
                match op {
                    Op::Eq | Op::Lt | Op::Le | Op::TestSet => self.reg(b)?,
                    Op::EqK => self.konst(b)?,
                    _ => {}
                }
                // The VM reads the JMP without decoding it, or skips it.
                self.followed_by(pc + 1, Op::Jmp, "test without JMP")?;
                self.target(pc1 + 1)
            }
            Op::Call => {
                if b == 0 {
                    self.range(a, 1)?;
                    self.after_open(pc)?;
                } else {
                    self.range(a, b)?;
                }
                self.results(a, c)
            }
            Op::TailCall => {
                if b == 0 {
                    self.range(a, 1)?;
                    self.after_open(pc)?;
                } else {
                    self.range(a, b)?;
                }
                self.return_c(i)
            }
            Op::Return => {
                if b == 0 {
                    self.range(a, 0)?;
                    self.after_open(pc)?;
                } else {
                    self.range(a, b - 1)?;
                }
                self.return_c(i)
            }
            Op::Return0 | Op::Return1 => {
                // These carry no parameter count: a vararg function uses RETURN.
                ensure(!self.p.is_vararg, "RETURN0/RETURN1 in a vararg function")?;
                if op == Op::Return1 {
                    self.reg(a)
                } else {
                    Ok(())
                }
            }
            Op::ForPrep => {
                self.range(a, 4)?;
                // The loop's FORLOOP, and past it where a loop that does not run goes.
                let lp = pc1 + ins::bx(i) as i64;
                self.target(lp + 1)?;
                let back = self.p.code.get(lp as usize).copied().unwrap_or(0);
                ensure(
                    ins::op(back) == Op::ForLoop as u8
                        && ins::a(back) == a
                        && lp + 1 - ins::bx(back) as i64 == pc1,
                    "FORPREP without its FORLOOP",
                )
            }
            Op::ForLoop => {
                self.range(a, 4)?;
                self.target(pc1 - ins::bx(i) as i64)
            }
            Op::TForPrep => {
                self.range(a, 4)?;
                let t = pc1 + ins::bx(i) as i64;
                self.target(t)?;
                let call = self.p.code.get(t as usize).copied().unwrap_or(0);
                ensure(
                    ins::op(call) == Op::TForCall as u8 && ins::a(call) == a,
                    "TFORPREP without its TFORCALL",
                )
            }
            Op::TForCall => {
                // Copies R[A..A+2] to R[A+4..A+6] and calls there, results from R[A+4].
                self.range(a, 7)?;
                self.range(a + 4, c)?;
                let next = self.p.code.get(pc + 1).copied().unwrap_or(0);
                ensure(
                    ins::op(next) == Op::TForLoop as u8 && ins::a(next) == a,
                    "TFORCALL without its TFORLOOP",
                )
            }
            Op::TForLoop => {
                self.range(a, 5)?;
                self.target(pc1 - ins::bx(i) as i64)
            }
            Op::SetList => {
                if b == 0 {
                    self.range(a, 1)?;
                    self.after_open(pc)?;
                } else {
                    self.range(a, b + 1)?;
                }
                let mut last = c as u64;
                if ins::k(i) {
                    self.followed_by(pc + 1, Op::ExtraArg, "SETLIST without EXTRAARG")?;
                    let extra = self.p.code.get(pc + 1).copied().unwrap_or(0);
                    last += ins::ax(extra) as u64 * (MAXARG_C as u64 + 1);
                }
                // Items already stored were flushed by earlier SETLISTs.
                ensure(
                    last <= FIELDS_PER_FLUSH as u64 * pc as u64,
                    "SETLIST position too large",
                )
            }
            Op::Closure => {
                self.reg(a)?;
                ensure(
                    (ins::bx(i) as usize) < self.p.protos.len(),
                    "prototype out of range",
                )
            }
            Op::VarArg => {
                ensure(self.p.is_vararg, "VARARG in a fixed-argument function")?;
                self.results(a, c)
            }
            Op::VarArgPrep => ensure(pc == 0, "VARARGPREP not first"),
            Op::ExtraArg => {
                let prev = pc.checked_sub(1).and_then(|q| self.p.code.get(q).copied());
                ensure(
                    prev.is_some_and(|j| match Op::from_u8(ins::op(j)) {
                        Some(Op::LoadKX | Op::NewTable) => true,
                        Some(Op::SetList) => ins::k(j),
                        _ => false,
                    }),
                    "EXTRAARG without an instruction that uses it",
                )
            }
            Op::ErrNNil => {
                self.reg(a)?;
                self.konst(ins::bx(i))
            }
            Op::VarArgTab => {
                ensure(self.p.is_vararg, "VARARGTAB in a fixed-argument function")?;
                self.reg(a)
            }
            Op::VarArgT => {
                self.reg(b)?;
                self.results(a, c)
            }
        }
    }
}
