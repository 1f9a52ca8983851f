//! The interpreter loop (in the manner of lvm.c's `luaV_execute`).
//!
//! `run` executes the Lua frame on top of the running thread. `pc`, the register base
//! and the constants live in locals; `pc` is written back to the frame before anything
//! that can raise an error or call out (so positions and `finish_op` see it), and the
//! register base is re-read after anything that can reallocate the stack.
//!
//! Lua-to-Lua calls push a frame and continue in this loop; returns to a Lua caller
//! continue the caller here. Everything else (native continuations, metamethod results,
//! coroutine switches) goes back to the executor in call.rs.
//!
//! # Safety of register access
//! `precall` makes `stack.len() >= base + max_stack` before a frame runs, and the
//! verifier (`verify.rs`, run by `load` on every prototype, compiled or binary)
//! guarantees register operands below `max_stack`, constant indices below the constant
//! count, jumps inside the code and the instruction pairs the loop reads unchecked.
//! Register pointers are therefore in bounds for the frame's lifetime, as long as `base`
//! is re-derived after every stack reallocation.

use crate::api::stack_error;
use crate::arith::{self, ArithError, ArithOp};
use crate::call::MULTRET;
use crate::debug::Operand;
use crate::error::{Error, LuaResult};
use crate::func::{LuaClosure, UpVal};
use crate::gc::Gc;
use crate::opcode::{ins, Op, TagMethod, FIELDS_PER_FLUSH, MAXARG_C};
use crate::state::Lua;
use crate::table::Table;
use crate::thread::{flags, Frame, Thread};
use crate::value::Value;

/// Longest `__index`/`__newindex` chain (`MAXTAGLOOP`).
const MAX_TAG_LOOP: usize = 2000;

/// Conditional jump: if `cond ~= k` skip the following JMP, else take it.
macro_rules! cond_jump {
    ($cond:expr, $i:expr, $pc:ident) => {
        if $cond != ins::k($i) {
            $pc = $pc.wrapping_add(1);
        } else {
            // SAFETY: comparison instructions are followed by a JMP.
            let j = unsafe { *$pc };
            $pc = $pc.wrapping_offset(1 + ins::sj(j) as isize);
        }
    };
}

/// Where an index operation leads.
pub(crate) enum Lookup {
    /// The value, found without calling anything.
    Value(Value),
    /// Call this metamethod with (object, key).
    Call(Value, Value),
}

/// Executes the top Lua frame of the running thread (and any Lua frames it calls)
/// until control must go back to the executor.
pub(crate) fn run(lua: &mut Lua) -> LuaResult<()> {
    'frame: loop {
        let thread = lua.current;
        let th = lua.th();
        let fi = th.frames.len().wrapping_sub(1);
        // Only what every instruction needs is read here; returns read the rest of
        // the frame when they pop it.
        let Some(&Frame {
            closure: Some(cl),
            base: fbase,
            pc: start_pc,
            ..
        }) = th.frames.get(fi)
        else {
            return Ok(());
        };
        let proto = cl.proto;
        let code: &[u32] = &proto.code;
        let kst: &[Value] = &proto.constants;
        // The program counter is a pointer (one register, no base to add at every
        // fetch); `save_pc!` stores it back as an index.
        let code_start = code.as_ptr();
        let mut pc: *const u32 = code_start.wrapping_add(start_pc);
        let mut base: *mut Value = stack_base(lua, fbase);

        macro_rules! reg {
            ($r:expr) => {
                // SAFETY: register operands are below `max_stack` (module docs).
                unsafe { &mut *base.add($r as usize) }
            };
        }
        // Reads a register as two word loads: values are written as two words (tag, then
        // payload), and a 16-byte vector load of them would stall store forwarding.
        macro_rules! get {
            ($r:expr) => {
                // SAFETY: register operands are below `max_stack` (module docs).
                unsafe { crate::value::load_value(base.add($r as usize)) }
            };
        }
        macro_rules! konst {
            ($k:expr) => {
                // SAFETY: constant operands are below the constant count (module docs).
                unsafe { kst.get_unchecked($k as usize) }
            };
        }
        // The instruction budget counts down in a local (a register), written back
        // wherever `pc` is saved: before anything that may run Lua code, observe the
        // budget or leave this frame.
        let mut fuel = lua.fuel;
        macro_rules! save_pc {
            () => {
                if let Some(f) = lua.th().frames.get_mut(fi) {
                    f.pc = pc_index(pc, code_start);
                }
                lua.fuel = fuel;
            };
        }
        macro_rules! refresh_base {
            () => {
                base = stack_base(lua, fbase);
                fuel = lua.fuel;
            };
        }
        // Runs a fallible slow path with `pc` saved and the base refreshed after.
        macro_rules! protect {
            ($e:expr) => {{
                save_pc!();
                let r = $e;
                refresh_base!();
                r?
            }};
        }
        // A metamethod call: `Some(v)` when it completed inline, else a Lua frame was
        // pushed and the loop must switch to it.
        macro_rules! mm_result {
            ($call:expr) => {{
                save_pc!();
                match $call? {
                    Some(v) => {
                        refresh_base!();
                        v
                    }
                    None => continue 'frame,
                }
            }};
        }

        // The slow path of an indexing instruction: a table-only `__index` chain inline,
        // else the general lookup, calling a metamethod if one is met.
        macro_rules! index_slow {
            ($t:expr, $k:expr, $operand:expr) => {
                match index_chain(lua, &$t, &$k) {
                    Some(v) => v,
                    None => {
                        let r = protect!(index_lookup(lua, $t, $k, $operand));
                        mm_result!(finish_lookup(lua, fi, r))
                    }
                }
            };
        }

        // A binary arithmetic instruction: integers inline, other numbers through
        // `arith_fast`; on success skip the MMBIN that follows, else fall into it.
        macro_rules! int_arith {
            ($a:expr, $x:expr, $y:expr, $op:ident, |$p:ident, $q:ident| $int:expr) => {{
                let (x, y) = ($x, $y);
                let v = match (x, y) {
                    (Value::Int($p), Value::Int($q)) => $int.map(Value::Int),
                    _ => arith_fast(ArithOp::$op, &x, &y),
                };
                if let Some(v) = v {
                    *reg!($a) = v;
                    pc = pc.wrapping_add(1);
                }
            }};
        }

        loop {
            // SAFETY: `pc` stays inside the code (module docs).
            let i = unsafe { *pc };
            pc = pc.wrapping_add(1);
            // One counter serves the budget and the hooks (`Lua::fuel`).
            fuel -= 1;
            if fuel <= 0 {
                save_pc!();
                trap(lua, pc_index(pc, code_start) - 1)?;
                refresh_base!();
            }
            let a = ins::a(i);
            // SAFETY: `load` verified every opcode byte is a valid `Op`.
            let op: Op = unsafe { core::mem::transmute::<u8, Op>(ins::op(i)) };
            match op {
                Op::Move => *reg!(a) = get!(ins::b(i)),
                Op::LoadI => *reg!(a) = Value::Int(ins::sbx(i) as i64),
                Op::LoadF => *reg!(a) = Value::Float(ins::sbx(i) as f64),
                Op::LoadK => *reg!(a) = *konst!(ins::bx(i)),
                Op::LoadKX => {
                    // SAFETY: LOADKX is always followed by EXTRAARG.
                    let extra = unsafe { *pc };
                    pc = pc.wrapping_add(1);
                    *reg!(a) = *konst!(ins::ax(extra));
                }
                Op::LoadFalse => *reg!(a) = Value::Bool(false),
                Op::LFalseSkip => {
                    *reg!(a) = Value::Bool(false);
                    pc = pc.wrapping_add(1);
                }
                Op::LoadTrue => *reg!(a) = Value::Bool(true),
                Op::LoadNil => {
                    for r in a..=a + ins::b(i) {
                        *reg!(r) = Value::Nil;
                    }
                }
                Op::GetUpval => *reg!(a) = upval(&cl, ins::b(i)).get(),
                Op::SetUpval => {
                    let v = get!(a);
                    let uv = upval(&cl, ins::b(i));
                    uv.set(v);
                    crate::collect::barrier_upval(&lua.heap, uv, &v);
                }
                Op::GetTabUp => {
                    let t = upval(&cl, ins::b(i)).get();
                    let k = *konst!(ins::c(i));
                    let v = match fast_get_str(lua, &t, &k) {
                        Some(v) => v,
                        None => index_slow!(t, k, Operand::Upval(ins::b(i))),
                    };
                    *reg!(a) = v;
                }
                Op::GetTable => {
                    let t = get!(ins::b(i));
                    let k = get!(ins::c(i));
                    let v = match fast_get(lua, &t, &k) {
                        Some(v) => v,
                        None => index_slow!(t, k, Operand::Reg(ins::b(i))),
                    };
                    *reg!(a) = v;
                }
                Op::GetI => {
                    let t = get!(ins::b(i));
                    let k = Value::Int(ins::c(i) as i64);
                    let v = match fast_get(lua, &t, &k) {
                        Some(v) => v,
                        None => index_slow!(t, k, Operand::Reg(ins::b(i))),
                    };
                    *reg!(a) = v;
                }
                Op::GetField => {
                    let t = get!(ins::b(i));
                    let k = *konst!(ins::c(i));
                    let v = match fast_get_str(lua, &t, &k) {
                        Some(v) => v,
                        None => index_slow!(t, k, Operand::Reg(ins::b(i))),
                    };
                    *reg!(a) = v;
                }
                Op::SetTabUp => {
                    let t = upval(&cl, a).get();
                    let k = *konst!(ins::b(i));
                    let v = if ins::k(i) {
                        *konst!(ins::c(i))
                    } else {
                        get!(ins::c(i))
                    };
                    if !fast_set(lua, &t, &k, v) {
                        let done = protect!(set_slow(lua, fi, t, k, v, Operand::Upval(a)));
                        if !done {
                            continue 'frame;
                        }
                    }
                }
                Op::SetTable | Op::SetI | Op::SetField => {
                    let t = get!(a);
                    let k = match op {
                        Op::SetTable => get!(ins::b(i)),
                        Op::SetI => Value::Int(ins::b(i) as i64),
                        _ => *konst!(ins::b(i)),
                    };
                    let v = if ins::k(i) {
                        *konst!(ins::c(i))
                    } else {
                        get!(ins::c(i))
                    };
                    if !fast_set(lua, &t, &k, v) {
                        let done = protect!(set_slow(lua, fi, t, k, v, Operand::Reg(a)));
                        if !done {
                            continue 'frame;
                        }
                    }
                }
                Op::NewTable => {
                    let mut b = ins::b(i) as usize;
                    let mut c = ins::c(i) as usize;
                    if b > 0 {
                        b = 1 << (b - 1);
                    }
                    if ins::k(i) {
                        // SAFETY: a NEWTABLE with `k` is followed by EXTRAARG.
                        let extra = unsafe { *pc };
                        c += ins::ax(extra) as usize * (MAXARG_C as usize + 1);
                    }
                    pc = pc.wrapping_add(1); // skip EXTRAARG
                    save_pc!();
                    let t = crate::table::new_table(&lua.heap, c, b).map_err(|_| Error::Memory)?;
                    *reg!(a) = Value::Table(t);
                    if lua.heap.should_step() {
                        lua.th().top = fbase + a as usize + 1;
                        crate::collect::step(lua)?;
                        refresh_base!();
                    }
                }
                Op::SelfOp => {
                    let t = get!(ins::b(i));
                    let k = if ins::k(i) {
                        *konst!(ins::c(i))
                    } else {
                        get!(ins::c(i))
                    };
                    *reg!(a + 1) = t;
                    let v = match fast_get_str(lua, &t, &k) {
                        Some(v) => v,
                        None => index_slow!(t, k, Operand::Reg(ins::b(i))),
                    };
                    *reg!(a) = v;
                }
                Op::AddI => {
                    let x = get!(ins::b(i));
                    let c = ins::sc(i) as i64;
                    match x {
                        Value::Int(n) => {
                            *reg!(a) = Value::Int(n.wrapping_add(c));
                            pc = pc.wrapping_add(1);
                        }
                        Value::Float(f) => {
                            *reg!(a) = Value::Float(f + c as f64);
                            pc = pc.wrapping_add(1);
                        }
                        _ => {}
                    }
                }
                Op::AddK => int_arith!(a, get!(ins::b(i)), *konst!(ins::c(i)), Add, |p, q| Some(
                    p.wrapping_add(q)
                )),
                Op::SubK => int_arith!(a, get!(ins::b(i)), *konst!(ins::c(i)), Sub, |p, q| Some(
                    p.wrapping_sub(q)
                )),
                Op::MulK => int_arith!(a, get!(ins::b(i)), *konst!(ins::c(i)), Mul, |p, q| Some(
                    p.wrapping_mul(q)
                )),
                Op::ModK => int_arith!(a, get!(ins::b(i)), *konst!(ins::c(i)), Mod, |p, q| {
                    arith::int_mod(p, q)
                }),
                Op::PowK | Op::DivK | Op::IDivK => {
                    let x = get!(ins::b(i));
                    let y = *konst!(ins::c(i));
                    if let Some(v) = arith_fast(op_arith(op), &x, &y) {
                        *reg!(a) = v;
                        pc = pc.wrapping_add(1);
                    }
                }
                Op::BAndK | Op::BOrK | Op::BXorK => {
                    let x = get!(ins::b(i));
                    let y = *konst!(ins::c(i));
                    if let (Some(p), Value::Int(q)) = (int_operand(&x), y) {
                        *reg!(a) = Value::Int(match op {
                            Op::BAndK => p & q,
                            Op::BOrK => p | q,
                            _ => p ^ q,
                        });
                        pc = pc.wrapping_add(1);
                    }
                }
                Op::ShrI => {
                    if let Some(p) = int_operand(reg!(ins::b(i))) {
                        *reg!(a) = Value::Int(arith::shift_left(p, -(ins::sc(i) as i64)));
                        pc = pc.wrapping_add(1);
                    }
                }
                Op::ShlI => {
                    if let Some(p) = int_operand(reg!(ins::b(i))) {
                        *reg!(a) = Value::Int(arith::shift_left(ins::sc(i) as i64, p));
                        pc = pc.wrapping_add(1);
                    }
                }
                Op::Add => int_arith!(a, get!(ins::b(i)), get!(ins::c(i)), Add, |p, q| Some(
                    p.wrapping_add(q)
                )),
                Op::Sub => int_arith!(a, get!(ins::b(i)), get!(ins::c(i)), Sub, |p, q| Some(
                    p.wrapping_sub(q)
                )),
                Op::Mul => int_arith!(a, get!(ins::b(i)), get!(ins::c(i)), Mul, |p, q| Some(
                    p.wrapping_mul(q)
                )),
                Op::Mod => int_arith!(a, get!(ins::b(i)), get!(ins::c(i)), Mod, |p, q| {
                    arith::int_mod(p, q)
                }),
                Op::Pow | Op::Div | Op::IDiv => {
                    let (x, y) = (get!(ins::b(i)), get!(ins::c(i)));
                    if let Some(v) = arith_fast(op_arith(op), &x, &y) {
                        *reg!(a) = v;
                        pc = pc.wrapping_add(1);
                    }
                }
                Op::BAnd | Op::BOr | Op::BXor | Op::Shl | Op::Shr => {
                    let (x, y) = (get!(ins::b(i)), get!(ins::c(i)));
                    if let (Some(p), Some(q)) = (int_operand(&x), int_operand(&y)) {
                        *reg!(a) = Value::Int(match op {
                            Op::BAnd => p & q,
                            Op::BOr => p | q,
                            Op::BXor => p ^ q,
                            Op::Shl => arith::shift_left(p, q),
                            _ => arith::shift_left(p, q.wrapping_neg()),
                        });
                        pc = pc.wrapping_add(1);
                    }
                }
                Op::MmBin | Op::MmBinI | Op::MmBinK => {
                    // The arithmetic op before this one failed its fast path.
                    // SAFETY: MMBIN* always follows an arithmetic instruction.
                    let prev = unsafe { *pc.wrapping_sub(2) };
                    let ra = ins::a(prev);
                    let tm = TagMethod::from_u8(ins::c(i) as u8).unwrap_or(TagMethod::Add);
                    let (x, y, ox, oy) = match op {
                        Op::MmBin => (
                            get!(a),
                            get!(ins::b(i)),
                            Operand::Reg(a),
                            Operand::Reg(ins::b(i)),
                        ),
                        Op::MmBinI => {
                            let imm = Value::Int(ins::sb(i) as i64);
                            if ins::k(i) {
                                (imm, get!(a), Operand::None, Operand::Reg(a))
                            } else {
                                (get!(a), imm, Operand::Reg(a), Operand::None)
                            }
                        }
                        _ => {
                            let kv = *konst!(ins::b(i));
                            if ins::k(i) {
                                (kv, get!(a), Operand::Const(ins::b(i)), Operand::Reg(a))
                            } else {
                                (get!(a), kv, Operand::Reg(a), Operand::Const(ins::b(i)))
                            }
                        }
                    };
                    let v = mm_result!(arith_slow(lua, fi, tm, x, y, ox, oy));
                    *reg!(ra) = v;
                }
                Op::Unm => {
                    let x = get!(ins::b(i));
                    let v = match x {
                        Value::Int(n) => Value::Int(n.wrapping_neg()),
                        Value::Float(f) => Value::Float(-f),
                        _ => mm_result!(arith_slow(
                            lua,
                            fi,
                            TagMethod::Unm,
                            x,
                            x,
                            Operand::Reg(ins::b(i)),
                            Operand::Reg(ins::b(i))
                        )),
                    };
                    *reg!(a) = v;
                }
                Op::BNot => {
                    let x = get!(ins::b(i));
                    let v = match x {
                        Value::Int(n) => Value::Int(!n),
                        _ => mm_result!(arith_slow(
                            lua,
                            fi,
                            TagMethod::BNot,
                            x,
                            x,
                            Operand::Reg(ins::b(i)),
                            Operand::Reg(ins::b(i))
                        )),
                    };
                    *reg!(a) = v;
                }
                Op::Not => *reg!(a) = Value::Bool(reg!(ins::b(i)).is_falsy()),
                Op::Len => {
                    let x = get!(ins::b(i));
                    let v = match x {
                        Value::Str(s) => Value::Int(s.len() as i64),
                        Value::Table(t) if t.metatable().is_none() => Value::Int(t.length() as i64),
                        _ => mm_result!(len_slow(lua, fi, x, ins::b(i))),
                    };
                    *reg!(a) = v;
                }
                Op::Concat => {
                    let n = ins::b(i) as usize;
                    lua.th().top = fbase + a as usize + n;
                    save_pc!();
                    let done = concat(lua, fi, n)?;
                    refresh_base!();
                    if !done {
                        continue 'frame;
                    }
                    if lua.heap.should_step() {
                        lua.th().top = fbase + a as usize + 1;
                        crate::collect::step(lua)?;
                        refresh_base!();
                    }
                }
                Op::Close => {
                    save_pc!();
                    if !close_level_stackless(lua, fi, fbase + a as usize, None)? {
                        continue 'frame; // a `__close` in Lua runs; CLOSE repeats after it
                    }
                    refresh_base!();
                }
                Op::Tbc => {
                    save_pc!();
                    mark_tbc(lua, fbase + a as usize)?;
                }
                Op::Jmp => pc = pc.wrapping_offset(ins::sj(i) as isize),
                Op::Eq => {
                    let (x, y) = (get!(a), get!(ins::b(i)));
                    let r = match raw_or_mm_eq(lua, &x, &y) {
                        Some(r) => r,
                        None => {
                            let mm = eq_metamethod(lua, &x, &y);
                            if mm.is_nil() {
                                false
                            } else {
                                let v = mm_result!(call_tm(lua, fi, mm, x, y));
                                v.truthy()
                            }
                        }
                    };
                    cond_jump!(r, i, pc);
                }
                Op::Lt | Op::Le => {
                    let (x, y) = (get!(a), get!(ins::b(i)));
                    let fast = if op == Op::Lt {
                        arith::num_lt(&x, &y)
                    } else {
                        arith::num_le(&x, &y)
                    };
                    let r = match fast {
                        Some(r) => r,
                        None => match compare_strings(&x, &y) {
                            Some(ord) => {
                                if op == Op::Lt {
                                    ord.is_lt()
                                } else {
                                    ord.is_le()
                                }
                            }
                            None => {
                                let tm = if op == Op::Lt {
                                    TagMethod::Lt
                                } else {
                                    TagMethod::Le
                                };
                                let v = mm_result!(compare_slow(lua, fi, tm, x, y));
                                v.truthy()
                            }
                        },
                    };
                    cond_jump!(r, i, pc);
                }
                Op::EqK => {
                    let r = reg!(a).raw_eq(konst!(ins::b(i)));
                    cond_jump!(r, i, pc);
                }
                Op::EqI => {
                    let imm = ins::sb(i) as i64;
                    let r = match get!(a) {
                        Value::Int(n) => n == imm,
                        Value::Float(f) => f == imm as f64,
                        _ => false,
                    };
                    cond_jump!(r, i, pc);
                }
                Op::LtI | Op::LeI | Op::GtI | Op::GeI => {
                    let imm = ins::sb(i) as i64;
                    let x = get!(a);
                    let r = match x {
                        Value::Int(n) => match op {
                            Op::LtI => n < imm,
                            Op::LeI => n <= imm,
                            Op::GtI => n > imm,
                            _ => n >= imm,
                        },
                        Value::Float(f) => {
                            let y = imm as f64;
                            match op {
                                Op::LtI => f < y,
                                Op::LeI => f <= y,
                                Op::GtI => f > y,
                                _ => f >= y,
                            }
                        }
                        _ => {
                            let imm_v = if ins::c(i) != 0 {
                                Value::Float(imm as f64)
                            } else {
                                Value::Int(imm)
                            };
                            let (tm, l, r) = match op {
                                Op::LtI => (TagMethod::Lt, x, imm_v),
                                Op::LeI => (TagMethod::Le, x, imm_v),
                                Op::GtI => (TagMethod::Lt, imm_v, x),
                                _ => (TagMethod::Le, imm_v, x),
                            };
                            let v = mm_result!(compare_slow(lua, fi, tm, l, r));
                            v.truthy()
                        }
                    };
                    cond_jump!(r, i, pc);
                }
                Op::Test => {
                    let r = reg!(a).truthy();
                    cond_jump!(r, i, pc);
                }
                Op::TestSet => {
                    let v = get!(ins::b(i));
                    if v.is_falsy() == ins::k(i) {
                        pc = pc.wrapping_add(1);
                    } else {
                        *reg!(a) = v;
                        // SAFETY: TESTSET is followed by a JMP.
                        let j = unsafe { *pc };
                        pc = pc.wrapping_offset(1 + ins::sj(j) as isize);
                    }
                }
                Op::Call => {
                    let b = ins::b(i) as usize;
                    let nresults = ins::c(i) as i32 - 1;
                    let func = fbase + a as usize;
                    let nargs = if b != 0 {
                        b - 1
                    } else {
                        lua.th().top.saturating_sub(func + 1)
                    };
                    save_pc!();
                    if let Value::LuaFn(callee) = get!(a) {
                        lua.push_lua_frame(func, nargs, callee, nresults, 0)?;
                        continue 'frame;
                    }
                    lua.th().top = func + 1 + nargs;
                    let pushed = lua.precall(func, nresults, 0)?;
                    if pushed
                        || lua.th().frames.len() != fi + 1
                        || !is_current_frame(lua, thread, fi, &cl)
                    {
                        continue 'frame;
                    }
                    refresh_base!();
                }
                Op::TailCall => {
                    let b = ins::b(i) as usize;
                    let func = fbase + a as usize;
                    if b != 0 {
                        lua.th().top = func + b;
                    }
                    save_pc!();
                    if !matches!(lua.th().get(func), Value::LuaFn(_)) {
                        // A native callee runs from this frame (as PUC's `precallC` does),
                        // so errors and names see the caller; the `RETURN A 0` the
                        // compiler emits after every TAILCALL returns its results.
                        let pushed = lua.precall(func, MULTRET, 0)?;
                        if pushed
                            || lua.th().frames.len() != fi + 1
                            || !is_current_frame(lua, thread, fi, &cl)
                        {
                            continue 'frame;
                        }
                        refresh_base!();
                        continue;
                    }
                    if ins::k(i) {
                        close_level(lua, fbase)?;
                    }
                    // Move the callee and its arguments down to this frame's function slot.
                    let th = lua.th();
                    let Some(cur) = th.frames.pop() else {
                        return Ok(());
                    };
                    let mut dest = cur.func;
                    let nparams1 = ins::c(i) as usize;
                    if nparams1 > 0 {
                        dest -= cur.nextra as usize + nparams1;
                    }
                    // `saturating_sub`: a jump may land on an open `B = 0` (see verify.rs).
                    let n = th.top.saturating_sub(func);
                    for j in 0..n {
                        th.set(dest + j, th.get(func + j));
                    }
                    th.top = dest + n;
                    let pushed = lua.precall(
                        dest,
                        cur.nresults,
                        (cur.flags & !flags::CALL_HOOKED) | flags::TAIL,
                    )?;
                    if !pushed {
                        // A native callee finished: its results are at `dest`; return them.
                        if cur.flags & flags::BOUNDARY != 0 {
                            return Ok(());
                        }
                        match lua.th().frames.last() {
                            Some(f) if f.is_lua() && f.flags & flags::FINISH_OP == 0 => {
                                continue 'frame
                            }
                            _ => {
                                lua.after_return()?;
                                return Ok(());
                            }
                        }
                    }
                    continue 'frame;
                }
                Op::Return | Op::Return0 | Op::Return1 => {
                    let (first, n) = match op {
                        Op::Return0 => (0, 0),
                        Op::Return1 => (fbase + a as usize, 1),
                        _ => {
                            let b = ins::b(i) as usize;
                            let first = fbase + a as usize;
                            let n = if b == 0 {
                                // A jump may land here with any `top` (verify.rs).
                                lua.th().top.saturating_sub(first)
                            } else {
                                b - 1
                            };
                            (first, n)
                        }
                    };
                    // No `save_pc!` unless a `__close` runs: once the frame is popped,
                    // errors and hooks see the caller's position.
                    lua.fuel = fuel;
                    if op == Op::Return && ins::k(i) {
                        save_pc!();
                        lua.th().top = first + n;
                        if let Some(f) = lua.th().frames.get_mut(fi) {
                            f.ctx = n; // the result count, if a `__close` call interrupts us
                        }
                        if !close_level_stackless(lua, fi, fbase, Some(first + n))? {
                            continue 'frame; // RETURN repeats after the `__close` call
                        }
                    }
                    if lua.hooked {
                        save_pc!();
                        crate::lib_debug::hook_return(lua, first, n)?;
                    }
                    let Some(cur) = lua.th().frames.pop() else {
                        return Ok(());
                    };
                    let mut dest = cur.func;
                    let nparams1 = if op == Op::Return {
                        ins::c(i) as usize
                    } else {
                        0
                    };
                    if nparams1 > 0 {
                        dest -= cur.nextra as usize + nparams1;
                    }
                    lua.move_results(dest, first, n, cur.nresults)?;
                    if cur.flags & flags::BOUNDARY != 0 {
                        return Ok(());
                    }
                    match lua.th().frames.last() {
                        Some(f) if f.is_lua() && f.flags & flags::FINISH_OP == 0 => continue 'frame,
                        _ => {
                            lua.after_return()?;
                            return Ok(());
                        }
                    }
                }
                Op::ForLoop => {
                    match get!(a + 2) {
                        Value::Int(step) => {
                            // R[A+1] holds the remaining iteration count.
                            if let Value::Int(count) = get!(a + 1) {
                                if count > 0 {
                                    *reg!(a + 1) = Value::Int(count - 1);
                                    if let Value::Int(idx) = get!(a) {
                                        let next = idx.wrapping_add(step);
                                        *reg!(a) = Value::Int(next);
                                        *reg!(a + 3) = Value::Int(next);
                                    }
                                    pc = pc.wrapping_sub(ins::bx(i) as usize);
                                }
                            }
                        }
                        Value::Float(step) => {
                            if let (Value::Float(idx), Value::Float(limit)) = (get!(a), get!(a + 1))
                            {
                                let next = idx + step;
                                let go_on = if step > 0.0 {
                                    next <= limit
                                } else {
                                    limit <= next
                                };
                                if go_on {
                                    *reg!(a) = Value::Float(next);
                                    *reg!(a + 3) = Value::Float(next);
                                    pc = pc.wrapping_sub(ins::bx(i) as usize);
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Op::ForPrep => {
                    save_pc!();
                    let skip = for_prep(lua, base, a)?;
                    if skip {
                        pc = pc.wrapping_add(ins::bx(i) as usize + 1);
                    }
                }
                Op::TForPrep => {
                    save_pc!();
                    mark_tbc(lua, fbase + a as usize + 3)?;
                    pc = pc.wrapping_add(ins::bx(i) as usize);
                }
                Op::TForCall => {
                    // Call R[A](R[A+1], R[A+2]) with results at R[A+4]..; then TFORLOOP.
                    *reg!(a + 4) = get!(a);
                    *reg!(a + 5) = get!(a + 1);
                    *reg!(a + 6) = get!(a + 2);
                    let func = fbase + a as usize + 4;
                    lua.th().top = func + 3;
                    save_pc!();
                    let pushed = lua.precall(func, ins::c(i) as i32, 0)?;
                    if pushed
                        || lua.th().frames.len() != fi + 1
                        || !is_current_frame(lua, thread, fi, &cl)
                    {
                        continue 'frame;
                    }
                    refresh_base!();
                }
                Op::TForLoop => {
                    let v = get!(a + 4);
                    if !v.is_nil() {
                        *reg!(a + 2) = v;
                        pc = pc.wrapping_sub(ins::bx(i) as usize);
                    }
                }
                Op::SetList => {
                    let mut n = ins::b(i) as usize;
                    let mut last = ins::c(i) as usize;
                    let t = get!(a);
                    if n == 0 {
                        // A jump may land here with any `top` (verify.rs), so the
                        // count saturates and the items below are read checked.
                        n = lua.th().top.saturating_sub(fbase + a as usize + 1);
                    }
                    if ins::k(i) {
                        // SAFETY: a SETLIST with `k` is followed by EXTRAARG.
                        let extra = unsafe { *pc };
                        last += ins::ax(extra) as usize * (MAXARG_C as usize + 1);
                        pc = pc.wrapping_add(1);
                    }
                    let _ = FIELDS_PER_FLUSH;
                    if let Value::Table(t) = t {
                        save_pc!();
                        // Grow the array part once for the whole list (`luaH_resizearray`).
                        if last + n > t.array_len() {
                            Table::grow_array(t, &lua.heap, lua.seed, last + n)
                                .map_err(|_| Error::Memory)?;
                        }
                        for j in 1..=n {
                            let v = lua.th().get(fbase + a as usize + j);
                            lua.raw_set_int(t, (last + j) as i64, v)?;
                        }
                    }
                }
                Op::Closure => {
                    save_pc!();
                    let p = *proto.protos.get(ins::bx(i) as usize).ok_or(Error::Memory)?;
                    let c = new_closure(lua, p, &cl, fbase)?;
                    *reg!(a) = Value::LuaFn(c);
                    if lua.heap.should_step() {
                        lua.th().top = fbase + a as usize + 1;
                        crate::collect::step(lua)?;
                        refresh_base!();
                    }
                }
                Op::VarArg => {
                    let wanted = ins::c(i) as i32 - 1;
                    save_pc!();
                    varargs(lua, fi, fbase + a as usize, wanted)?;
                    refresh_base!();
                }
                Op::VarArgPrep => {
                    save_pc!();
                    adjust_varargs(lua, fi, proto.num_params as usize, proto.max_stack as usize)?;
                    continue 'frame;
                }
                Op::ExtraArg => {}
                Op::ErrNNil => {
                    if !reg!(a).is_nil() {
                        save_pc!();
                        let name = konst!(ins::bx(i)).as_str();
                        return Err(match name {
                            Some(n) => lua.rt_error(format_args!(
                                "global '{}' already defined",
                                crate::api::Bytes(n.as_bytes())
                            )),
                            None => lua.rt_error(format_args!("global already defined")),
                        });
                    }
                }
                Op::VarArgTab => {
                    save_pc!();
                    let t = vararg_table(lua, fi)?;
                    refresh_base!();
                    *reg!(a) = Value::Table(t);
                }
                Op::VarArgT => {
                    let wanted = ins::c(i) as i32 - 1;
                    let t = get!(ins::b(i));
                    save_pc!();
                    unpack_vararg_table(lua, fbase + a as usize, t, wanted)?;
                    refresh_base!();
                }
            }
        }
    }
}

#[inline(always)]
fn stack_base(lua: &mut Lua, base: usize) -> *mut Value {
    // SAFETY: `base` is within the stack (precall ensured `base + max_stack` slots).
    unsafe { lua.th().stack.as_mut_ptr().add(base) }
}

/// True while frame `fi` of the running thread is still the given closure's (a native
/// callee may have switched threads or pushed frames).
#[inline(always)]
/// Is frame `fi` of `thread`, running `cl`, still the one to run? A native callee may
/// have switched threads (a resume or yield), and another thread's frame at the same
/// index may run the same closure.
fn is_current_frame(lua: &mut Lua, thread: Gc<Thread>, fi: usize, cl: &Gc<LuaClosure>) -> bool {
    lua.current == thread
        && lua
            .th()
            .frames
            .get(fi)
            .and_then(|f| f.closure)
            .is_some_and(|c| c == *cl)
}

#[inline(always)]
fn upval(cl: &Gc<LuaClosure>, i: u32) -> Gc<UpVal> {
    // SAFETY: upvalue operands are below the closure's upvalue count (module docs).
    unsafe { *cl.upvals.get_unchecked(i as usize) }
}

#[inline(always)]
fn op_arith(op: Op) -> ArithOp {
    match op {
        Op::AddK | Op::Add => ArithOp::Add,
        Op::SubK | Op::Sub => ArithOp::Sub,
        Op::MulK | Op::Mul => ArithOp::Mul,
        Op::ModK | Op::Mod => ArithOp::Mod,
        Op::PowK | Op::Pow => ArithOp::Pow,
        Op::DivK | Op::Div => ArithOp::Div,
        _ => ArithOp::IDiv,
    }
}

/// Arithmetic on numbers only (no strings, no errors): `None` sends the VM to MMBIN.
#[inline(always)]
fn arith_fast(op: ArithOp, x: &Value, y: &Value) -> Option<Value> {
    match (*x, *y) {
        (Value::Int(p), Value::Int(q)) => Some(Value::Int(match op {
            ArithOp::Add => p.wrapping_add(q),
            ArithOp::Sub => p.wrapping_sub(q),
            ArithOp::Mul => p.wrapping_mul(q),
            ArithOp::Mod => arith::int_mod(p, q)?,
            ArithOp::IDiv => arith::int_idiv(p, q)?,
            ArithOp::Div => return Some(Value::Float(p as f64 / q as f64)),
            ArithOp::Pow => return Some(Value::Float(arith::pow(p as f64, q as f64))),
            _ => return None,
        })),
        (Value::Float(p), Value::Float(q)) => Some(Value::Float(float_op(op, p, q))),
        (Value::Int(p), Value::Float(q)) => Some(Value::Float(float_op(op, p as f64, q))),
        (Value::Float(p), Value::Int(q)) => Some(Value::Float(float_op(op, p, q as f64))),
        _ => None,
    }
}

#[inline(always)]
fn float_op(op: ArithOp, p: f64, q: f64) -> f64 {
    match op {
        ArithOp::Add => p + q,
        ArithOp::Sub => p - q,
        ArithOp::Mul => p * q,
        ArithOp::Div => p / q,
        ArithOp::Pow => arith::pow(p, q),
        ArithOp::IDiv => arith::float_idiv(p, q),
        _ => arith::float_mod(p, q),
    }
}

/// Integer value of a bitwise operand (integers, or floats with an exact integer value).
#[inline(always)]
fn int_operand(v: &Value) -> Option<i64> {
    match *v {
        Value::Int(i) => Some(i),
        Value::Float(f) => crate::number::float_to_int(f, crate::number::Rounding::Exact),
        _ => None,
    }
}

/// The index of the instruction `pc` points to.
#[inline(always)]
fn pc_index(pc: *const u32, code_start: *const u32) -> usize {
    (pc as usize).wrapping_sub(code_start as usize) / core::mem::size_of::<u32>()
}

/// The per-instruction slow path: instruction budget and debug hooks.
#[cold]
#[inline(never)]
fn trap(lua: &mut Lua, pc: usize) -> LuaResult<()> {
    // The countdown hit zero: under hooks after every instruction, else when the slice
    // is used up (or, with no budget, after 2^63 instructions). Charge the instruction
    // to the budget (refilling it, or asking the host), then restart the countdown.
    lua.fuel = 1;
    lua.charge_fuel(1)?;
    if let Some(msg) = lua.host.interrupt() {
        return Err(Error::Lua(lua.str_value(msg)?));
    }
    if lua.hooked {
        return crate::lib_debug::run_hooks(lua, pc);
    }
    if lua.fuel_slice <= 0 {
        lua.set_fuel_slice(0);
    }
    Ok(())
}

// ---- indexing ----

/// `t[k]` for a table without metatable or with the key present, as the fast path.
#[inline(always)]
fn fast_get(lua: &Lua, t: &Value, k: &Value) -> Option<Value> {
    if let Value::Table(t) = *t {
        let v = match *k {
            Value::Int(i) => t.get_int(i),
            Value::Str(s) => t.get_str(s, lua.seed),
            _ => t.get(k, lua.seed),
        };
        if !v.is_nil() || no_tm(lua, t.metatable(), TagMethod::Index) {
            return Some(v);
        }
    }
    None
}

/// `t[k]` for a string key.
#[inline(always)]
fn fast_get_str(lua: &Lua, t: &Value, k: &Value) -> Option<Value> {
    if let (Value::Table(t), Value::Str(s)) = (*t, *k) {
        let v = t.get_str(s, lua.seed);
        if !v.is_nil() || no_tm(lua, t.metatable(), TagMethod::Index) {
            return Some(v);
        }
        return None;
    }
    fast_get(lua, t, k)
}

#[inline(always)]
fn no_tm(lua: &Lua, mt: Option<Gc<Table>>, tm: TagMethod) -> bool {
    match mt {
        None => true,
        Some(mt) => lua.tm_from(mt, tm).is_nil(),
    }
}

/// The common object-oriented case of `__index`: a chain of tables only. `None` when a
/// function, a non-table, or a long chain is met (the general path handles those).
#[inline]
fn index_chain(lua: &Lua, t: &Value, k: &Value) -> Option<Value> {
    let Value::Table(mut tab) = *t else {
        return None;
    };
    for _ in 0..8 {
        let mt = tab.metatable()?;
        let next = match lua.tm_from(mt, TagMethod::Index) {
            Value::Table(n) => n,
            _ => return None,
        };
        let v = match *k {
            Value::Str(s) => next.get_str(s, lua.seed),
            Value::Int(i) => next.get_int(i),
            _ => next.get(k, lua.seed),
        };
        if !v.is_nil() {
            return Some(v);
        }
        tab = next;
    }
    None
}

/// Follows `__index` until a value or a function to call is found.
pub(crate) fn index_lookup(
    lua: &mut Lua,
    mut t: Value,
    k: Value,
    operand: Operand,
) -> LuaResult<Lookup> {
    for depth in 0..MAX_TAG_LOOP {
        let tm = if let Value::Table(tab) = t {
            let v = tab.get(&k, lua.seed);
            if !v.is_nil() {
                return Ok(Lookup::Value(v));
            }
            match tab.metatable() {
                None => return Ok(Lookup::Value(Value::Nil)),
                Some(mt) => {
                    let tm = lua.tm_from(mt, TagMethod::Index);
                    if tm.is_nil() {
                        return Ok(Lookup::Value(Value::Nil));
                    }
                    tm
                }
            }
        } else {
            let tm = lua.metamethod(&t, TagMethod::Index);
            if tm.is_nil() {
                let op = if depth == 0 { operand } else { Operand::None };
                return Err(crate::debug::index_error(lua, &t, &k, op));
            }
            tm
        };
        if tm.is_function() {
            return Ok(Lookup::Call(tm, t));
        }
        t = tm;
    }
    Err(lua.rt_error(format_args!("'__index' chain too long; possible loop")))
}

/// Turns a lookup into a value, calling the metamethod if needed (stackless: `None`
/// means a Lua frame was pushed).
fn finish_lookup(lua: &mut Lua, fi: usize, r: Lookup) -> LuaResult<Option<Value>> {
    match r {
        Lookup::Value(v) => Ok(Some(v)),
        Lookup::Call(f, t) => {
            // The key is the one the instruction named; re-read it from the caller.
            let key = current_key(lua, fi);
            call_tm(lua, fi, f, t, key)
        }
    }
}

/// The key operand of the indexing instruction being executed in frame `fi`.
fn current_key(lua: &mut Lua, fi: usize) -> Value {
    let th = lua.th();
    let Some(f) = th.frames.get(fi) else {
        return Value::Nil;
    };
    let Some(cl) = f.closure else {
        return Value::Nil;
    };
    let Some(&i) = cl.proto.code.get(f.pc.wrapping_sub(1)) else {
        return Value::Nil;
    };
    let reg = |r: u32| th.get(f.base + r as usize);
    let k = |x: u32| {
        cl.proto
            .constants
            .get(x as usize)
            .copied()
            .unwrap_or(Value::Nil)
    };
    match Op::from_u8(ins::op(i)) {
        Some(Op::GetTabUp | Op::GetField) => k(ins::c(i)),
        Some(Op::GetTable) => reg(ins::c(i)),
        Some(Op::GetI) => Value::Int(ins::c(i) as i64),
        Some(Op::SelfOp) => {
            if ins::k(i) {
                k(ins::c(i))
            } else {
                reg(ins::c(i))
            }
        }
        _ => Value::Nil,
    }
}

/// `t[k] = v` into an existing slot, when no metamethod is involved.
#[inline(always)]
fn fast_set(lua: &mut Lua, t: &Value, k: &Value, v: Value) -> bool {
    if let Value::Table(tab) = *t {
        let slot = Table::slot(tab, k, lua.seed);
        // An empty slot may be filled in place unless `__newindex` must see the write.
        if let Some(slot) =
            slot.filter(|s| !s.is_nil() || no_tm(lua, tab.metatable(), TagMethod::NewIndex))
        {
            if slot.is_nil() {
                // Filling an empty slot may add a metamethod to a metatable.
                tab.invalidate_tm_cache();
            }
            *slot = v;
            crate::collect::barrier_table(lua, tab, &v);
            return true;
        }
    }
    false
}

/// `t[k] = v` with `__newindex`. Returns false when a Lua metamethod frame was pushed.
pub(crate) fn set_slow(
    lua: &mut Lua,
    fi: usize,
    mut t: Value,
    k: Value,
    v: Value,
    operand: Operand,
) -> LuaResult<bool> {
    for depth in 0..MAX_TAG_LOOP {
        let tm = if let Value::Table(tab) = t {
            let existing = tab.get(&k, lua.seed);
            let tm = match tab.metatable() {
                Some(mt) if existing.is_nil() => lua.tm_from(mt, TagMethod::NewIndex),
                _ => Value::Nil,
            };
            if tm.is_nil() {
                lua.raw_set(tab, k, v)?;
                return Ok(true);
            }
            tm
        } else {
            let tm = lua.metamethod(&t, TagMethod::NewIndex);
            if tm.is_nil() {
                let op = if depth == 0 { operand } else { Operand::None };
                return Err(crate::debug::index_error(lua, &t, &k, op));
            }
            tm
        };
        if tm.is_function() {
            return Ok(call_tm3(lua, fi, tm, t, k, v)?.is_some());
        }
        t = tm;
    }
    Err(lua.rt_error(format_args!("'__newindex' chain too long; possible loop")))
}

// ---- metamethod calls ----

/// Calls `f(a, b)` for frame `fi` wanting one result: `Some(result)` if it completed
/// (a native), `None` if a Lua frame was pushed (its result is delivered by
/// `finish_op`).
pub(crate) fn call_tm(
    lua: &mut Lua,
    fi: usize,
    f: Value,
    a: Value,
    b: Value,
) -> LuaResult<Option<Value>> {
    push_tm_call(lua, fi, None, &[f, a, b])
}

fn call_tm3(
    lua: &mut Lua,
    fi: usize,
    f: Value,
    a: Value,
    b: Value,
    c: Value,
) -> LuaResult<Option<Value>> {
    push_tm_call(lua, fi, None, &[f, a, b, c])
}

/// Places `vals` (function and arguments) at `slot` (default: just above the frame's
/// registers) and calls it for one result.
fn push_tm_call(
    lua: &mut Lua,
    fi: usize,
    slot: Option<usize>,
    vals: &[Value],
) -> LuaResult<Option<Value>> {
    let th = lua.th();
    let Some(frame) = th.frames.get(fi).copied() else {
        return Ok(None);
    };
    let max = frame.closure.map_or(0, |c| c.proto.max_stack as usize);
    let slot = slot.unwrap_or(frame.base + max);
    th.ensure_slots(&lua.heap, slot + vals.len() + crate::thread::MIN_STACK)
        .map_err(|o| stack_error(lua, o))?;
    let th = lua.th();
    for (j, v) in vals.iter().enumerate() {
        th.set(slot + j, *v);
    }
    th.top = slot + vals.len();
    if let Some(f) = th.frames.get_mut(fi) {
        f.flags |= flags::FINISH_OP;
    }
    let pushed = lua.precall(slot, 1, 0)?;
    let th = lua.th();
    if pushed || th.frames.len() != fi + 1 {
        return Ok(None);
    }
    if let Some(f) = th.frames.get_mut(fi) {
        f.flags &= !flags::FINISH_OP;
    }
    Ok(Some(th.get(slot)))
}

/// Finishes the instruction that called a metamethod, once its result is on top
/// (`luaV_finishOp`).
pub(crate) fn finish_op(lua: &mut Lua) -> LuaResult<()> {
    let th = lua.th();
    let Some(f) = th.frames.last_mut() else {
        return Ok(());
    };
    f.flags &= !flags::FINISH_OP;
    let frame = *f;
    let Some(cl) = frame.closure else {
        return Ok(());
    };
    let code = &cl.proto.code;
    let Some(&i) = code.get(frame.pc.wrapping_sub(1)) else {
        return Ok(());
    };
    let result = th.get(th.top.wrapping_sub(1));
    match Op::from_u8(ins::op(i)) {
        Some(Op::MmBin | Op::MmBinI | Op::MmBinK) => {
            if let Some(&prev) = code.get(frame.pc.wrapping_sub(2)) {
                th.set(frame.base + ins::a(prev) as usize, result);
            }
        }
        Some(
            Op::Unm
            | Op::BNot
            | Op::Len
            | Op::GetTabUp
            | Op::GetTable
            | Op::GetI
            | Op::GetField
            | Op::SelfOp,
        ) => {
            th.set(frame.base + ins::a(i) as usize, result);
        }
        Some(Op::Lt | Op::Le | Op::LtI | Op::LeI | Op::GtI | Op::GeI | Op::Eq) => {
            let res = result.truthy();
            if res != ins::k(i) {
                if let Some(f) = th.frames.last_mut() {
                    f.pc += 1; // skip the jump
                }
            }
        }
        Some(Op::Concat) => {
            // The result replaces the two operands it joined; continue the concatenation.
            let top = th.top - 1;
            th.set(top - 2, result);
            th.top = top - 1;
            let a = ins::a(i) as usize;
            let remaining = th.top - (frame.base + a);
            if remaining > 1 {
                let fi = th.frames.len() - 1;
                if !concat(lua, fi, remaining)? {
                    return Ok(());
                }
            }
        }
        Some(Op::Close) => {
            // Re-run the instruction: more variables may need closing.
            if let Some(f) = th.frames.last_mut() {
                f.pc -= 1;
            }
        }
        Some(Op::Return) => {
            // Restore the top that marks the return values, then re-run the RETURN.
            th.top = frame.base + ins::a(i) as usize + frame.ctx;
            if let Some(f) = th.frames.last_mut() {
                f.pc -= 1;
            }
        }
        _ => {}
    }
    Ok(())
}

// ---- arithmetic, comparison and length slow paths ----

fn arith_slow(
    lua: &mut Lua,
    fi: usize,
    tm: TagMethod,
    x: Value,
    y: Value,
    ox: Operand,
    oy: Operand,
) -> LuaResult<Option<Value>> {
    let op = ArithOp::from_tag_method(tm).unwrap_or(ArithOp::Add);
    // Strings are not converted here: the string metatable's metamethods do that.
    if !matches!(x, Value::Str(_)) && !matches!(y, Value::Str(_)) {
        match arith::arith(op, &x, &y) {
            Ok(v) => return Ok(Some(v)),
            Err(ArithError::DivByZero) => {
                return Err(lua.rt_error(format_args!("attempt to divide by zero")))
            }
            Err(ArithError::ModByZero) => {
                return Err(lua.rt_error(format_args!("attempt to perform 'n%0'")))
            }
            Err(_) => {}
        }
    }
    let mut mm = lua.metamethod(&x, tm);
    if mm.is_nil() {
        mm = lua.metamethod(&y, tm);
    }
    if mm.is_nil() {
        return Err(crate::debug::arith_error(lua, op, &x, &y, ox, oy));
    }
    call_tm(lua, fi, mm, x, y)
}

fn compare_slow(
    lua: &mut Lua,
    fi: usize,
    tm: TagMethod,
    x: Value,
    y: Value,
) -> LuaResult<Option<Value>> {
    let mut mm = lua.metamethod(&x, tm);
    if mm.is_nil() {
        mm = lua.metamethod(&y, tm);
    }
    if mm.is_nil() {
        return Err(crate::debug::compare_error(lua, &x, &y));
    }
    call_tm(lua, fi, mm, x, y)
}

fn len_slow(lua: &mut Lua, fi: usize, x: Value, reg: u32) -> LuaResult<Option<Value>> {
    let mm = lua.metamethod(&x, TagMethod::Len);
    if mm.is_nil() {
        return match x {
            Value::Table(t) => Ok(Some(Value::Int(t.length() as i64))),
            _ => Err(crate::debug::type_error(
                lua,
                &x,
                "get length of",
                Operand::Reg(reg),
            )),
        };
    }
    call_tm(lua, fi, mm, x, x)
}

/// Byte-wise string order (the C locale's `strcoll`).
#[inline]
pub(crate) fn compare_strings(x: &Value, y: &Value) -> Option<core::cmp::Ordering> {
    match (x, y) {
        (Value::Str(a), Value::Str(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
        _ => None,
    }
}

/// Equality without metamethods when it is decided; `None` when `__eq` may apply.
#[inline]
pub(crate) fn raw_or_mm_eq(_lua: &Lua, x: &Value, y: &Value) -> Option<bool> {
    match (x, y) {
        (Value::Table(a), Value::Table(b)) if a != b => None,
        (Value::UserData(a), Value::UserData(b)) if a != b => None,
        _ => Some(x.raw_eq(y)),
    }
}

/// The `__eq` metamethod for two distinct tables or userdata (first operand first).
pub(crate) fn eq_metamethod(lua: &Lua, x: &Value, y: &Value) -> Value {
    let mm = lua.metamethod(x, TagMethod::Eq);
    if mm.is_nil() {
        lua.metamethod(y, TagMethod::Eq)
    } else {
        mm
    }
}

// ---- concatenation ----

/// Concatenates the `n` values below `top` into the first of them (`luaV_concat`),
/// right to left, calling `__concat` where needed. False when a Lua metamethod frame
/// was pushed (the rest continues in `finish_op`).
pub(crate) fn concat(lua: &mut Lua, fi: usize, mut n: usize) -> LuaResult<bool> {
    while n > 1 {
        let th = lua.th();
        let top = th.top;
        let x = th.get(top - 2);
        let y = th.get(top - 1);
        if is_stringish(&x) && is_stringish(&y) {
            // Gather as many string/number operands as possible from the top.
            let mut count = 2;
            while count < n && is_stringish(&th.get(top - count - 1)) {
                count += 1;
            }
            let mut buf = alloc::vec::Vec::new();
            for j in (top - count)..top {
                append_stringish(&th.get(j), &mut buf)?;
            }
            let s = lua.new_str(&buf)?;
            let th = lua.th();
            th.set(top - count, Value::Str(s));
            th.top = top - count + 1;
            n -= count - 1;
        } else {
            let mut mm = lua.metamethod(&x, TagMethod::Concat);
            if mm.is_nil() {
                mm = lua.metamethod(&y, TagMethod::Concat);
            }
            if mm.is_nil() {
                let bad = if is_stringish(&x) { y } else { x };
                return Err(crate::debug::concat_error(
                    lua,
                    &bad,
                    fi,
                    top - if is_stringish(&x) { 1 } else { 2 },
                ));
            }
            // Called at the concatenation's top, as `finish_op` expects (`luaV_concat`).
            match push_tm_call(lua, fi, Some(top), &[mm, x, y])? {
                Some(v) => {
                    let th = lua.th();
                    th.set(top - 2, v);
                    th.top = top - 1;
                    n -= 1;
                }
                None => return Ok(false),
            }
        }
    }
    Ok(true)
}

#[inline]
fn is_stringish(v: &Value) -> bool {
    matches!(v, Value::Str(_) | Value::Int(_) | Value::Float(_))
}

fn append_stringish(v: &Value, buf: &mut alloc::vec::Vec<u8>) -> LuaResult<()> {
    use crate::tvec::TryVec;
    match v {
        Value::Str(s) => buf.try_extend_from_slice(s.as_bytes())?,
        _ => crate::tostr::number(v, buf)?,
    }
    Ok(())
}

// ---- numeric for ----

/// Prepares a numeric for loop (`forprep`); true when the loop must be skipped.
fn for_prep(lua: &mut Lua, base: *mut Value, a: u32) -> LuaResult<bool> {
    // SAFETY: registers a..a+3 are below max_stack (module docs).
    let (init, limit, step) = unsafe {
        (
            *base.add(a as usize),
            *base.add(a as usize + 1),
            *base.add(a as usize + 2),
        )
    };
    let set = |r: usize, v: Value| {
        // SAFETY: as above.
        unsafe { *base.add(a as usize + r) = v }
    };
    if let (Value::Int(i0), Value::Int(st)) = (init, step) {
        if st == 0 {
            return Err(lua.rt_error(format_args!("'for' step is zero")));
        }
        // Convert the limit to an integer, clipping floats and out-of-range values.
        let lim = match limit {
            Value::Int(l) => l,
            _ => match for_limit(lua, &limit, st)? {
                Some(l) => l,
                None => return Ok(true),
            },
        };
        if if st > 0 { i0 > lim } else { i0 < lim } {
            return Ok(true);
        }
        // Iteration count, computed without overflow.
        let count = if st > 0 {
            ((lim as u64).wrapping_sub(i0 as u64)) / st as u64
        } else {
            ((i0 as u64).wrapping_sub(lim as u64)) / ((-(st + 1)) as u64 + 1)
        };
        set(1, Value::Int(count as i64));
        set(3, Value::Int(i0));
        return Ok(false);
    }
    // A loop with a float or a numeric string among its values runs on floats.
    let tof = arith::to_float;
    let Some(l) = tof(&limit) else {
        return Err(for_error(lua, "limit", &limit));
    };
    let Some(s) = tof(&step) else {
        return Err(for_error(lua, "step", &step));
    };
    let Some(i0) = tof(&init) else {
        return Err(for_error(lua, "initial value", &init));
    };
    if s == 0.0 {
        return Err(lua.rt_error(format_args!("'for' step is zero")));
    }
    if if s > 0.0 { l < i0 } else { i0 < l } || l.is_nan() || i0.is_nan() {
        return Ok(true);
    }
    set(0, Value::Float(i0));
    set(1, Value::Float(l));
    set(2, Value::Float(s));
    set(3, Value::Float(i0));
    Ok(false)
}

/// `bad 'for' <what> (number expected, got <type>)` (`luaG_forerror`).
#[cold]
fn for_error(lua: &mut Lua, what: &str, v: &Value) -> Error {
    let tn = lua.type_name_of(v);
    let Ok(name) = crate::tvec::try_copy_of(tn.as_bytes()) else {
        return Error::Memory;
    };
    lua.rt_error(format_args!(
        "bad 'for' {} (number expected, got {})",
        what,
        crate::api::Bytes(&name)
    ))
}

/// Integer limit of a loop with integer start and step (`forlimit`); `None` when the
/// loop cannot run.
fn for_limit(lua: &mut Lua, limit: &Value, step: i64) -> LuaResult<Option<i64>> {
    // Numeric strings convert, as in 5.5.
    let f = match arith::to_number(limit) {
        Some(Value::Float(f)) => f,
        Some(Value::Int(i)) => return Ok(Some(i)),
        _ => return Err(for_error(lua, "limit", limit)),
    };
    if f.is_nan() {
        return Ok(None);
    }
    let mode = if step < 0 {
        crate::number::Rounding::Ceil
    } else {
        crate::number::Rounding::Floor
    };
    Ok(Some(match crate::number::float_to_int(f, mode) {
        Some(l) => l,
        None => {
            // Out of range: clip to the extreme the loop can reach.
            if f > 0.0 {
                if step < 0 {
                    return Ok(None);
                }
                i64::MAX
            } else {
                if step > 0 {
                    return Ok(None);
                }
                i64::MIN
            }
        }
    }))
}

// ---- closures and varargs ----

fn new_closure(
    lua: &mut Lua,
    p: Gc<crate::func::FnProto>,
    parent: &Gc<LuaClosure>,
    base: usize,
) -> LuaResult<Gc<LuaClosure>> {
    let mut upvals = alloc::vec::Vec::new();
    upvals
        .try_reserve_exact(p.upvals.len())
        .map_err(|_| Error::Memory)?;
    lua.heap
        .charge(p.upvals.len() * core::mem::size_of::<Gc<UpVal>>())?;
    for d in p.upvals.iter() {
        let uv = if d.in_stack {
            lua.th().find_upval(&lua.heap, base + d.index as usize)?
        } else {
            *parent.upvals.get(d.index as usize).ok_or(Error::Memory)?
        };
        use crate::tvec::TryVec;
        upvals.try_push(uv)?;
    }
    Ok(lua.heap.alloc_box(
        crate::gc::Kind::LuaClosure,
        LuaClosure { proto: p, upvals },
        0,
    )?)
}

/// `VARARGPREP`: moves the function and fixed parameters above the extra arguments.
fn adjust_varargs(lua: &mut Lua, fi: usize, nparams: usize, max_stack: usize) -> LuaResult<()> {
    let th = lua.th();
    let Some(f) = th.frames.get(fi).copied() else {
        return Ok(());
    };
    let actual = th.top - f.func - 1;
    let nextra = actual.saturating_sub(nparams);
    let new_func = th.top;
    th.ensure_slots(&lua.heap, new_func + 1 + nparams + max_stack + 1)
        .map_err(|o| stack_error(lua, o))?;
    let th = lua.th();
    th.set(new_func, th.get(f.func));
    for j in 1..=nparams {
        th.set(new_func + j, th.get(f.func + j));
        th.set(f.func + j, Value::Nil);
    }
    if let Some(fr) = th.frames.get_mut(fi) {
        fr.func = new_func;
        fr.base = new_func + 1;
        fr.nextra = nextra as u32;
        fr.pc += 0;
    }
    th.top = new_func + 1 + nparams;
    Ok(())
}

/// `VARARG`: copies the extra arguments to `dest`.
fn varargs(lua: &mut Lua, fi: usize, dest: usize, wanted: i32) -> LuaResult<()> {
    let th = lua.th();
    let Some(f) = th.frames.get(fi).copied() else {
        return Ok(());
    };
    let nextra = f.nextra as usize;
    let n = if wanted < 0 { nextra } else { wanted as usize };
    th.ensure_slots(&lua.heap, dest + n + 1)
        .map_err(|o| stack_error(lua, o))?;
    let th = lua.th();
    let src = f.func - nextra;
    for j in 0..n {
        let v = if j < nextra {
            th.get(src + j)
        } else {
            Value::Nil
        };
        th.set(dest + j, v);
    }
    if wanted < 0 {
        th.top = dest + n;
    }
    Ok(())
}

/// `VARARGTAB`: a table `{...extra args, n = count}`.
fn vararg_table(lua: &mut Lua, fi: usize) -> LuaResult<Gc<Table>> {
    let th = lua.th();
    let Some(f) = th.frames.get(fi).copied() else {
        return Err(Error::Memory);
    };
    let nextra = f.nextra as usize;
    let t = crate::table::new_table(&lua.heap, nextra, 1)?;
    for j in 0..nextra {
        let v = lua.th().get(f.func - nextra + j);
        lua.raw_set_int(t, j as i64 + 1, v)?;
    }
    let n = lua.names.n;
    lua.raw_set(t, Value::Str(n), Value::Int(nextra as i64))?;
    Ok(t)
}

/// `VARARGT`: unpacks a named vararg table from 1 to its field `n`.
fn unpack_vararg_table(lua: &mut Lua, dest: usize, t: Value, wanted: i32) -> LuaResult<()> {
    let Value::Table(t) = t else {
        return Err(lua.rt_error(format_args!("vararg table is not a table")));
    };
    let count = match t.get_str(lua.names.n, lua.seed) {
        // As `getnumargs`: a non-negative integer up to `INT_MAX / 2`.
        Value::Int(n) if (0..=i64::from(i32::MAX / 2)).contains(&n) => n as usize,
        _ => return Err(lua.rt_error(format_args!("vararg table has no proper 'n'"))),
    };
    let n = if wanted < 0 { count } else { wanted as usize };
    lua.th()
        .ensure_slots(&lua.heap, dest + n + 1)
        .map_err(|o| stack_error(lua, o))?;
    let th = lua.th();
    for j in 0..n {
        let v = if j < count {
            t.get_int(j as i64 + 1)
        } else {
            Value::Nil
        };
        th.set(dest + j, v);
    }
    if wanted < 0 {
        th.top = dest + n;
    }
    Ok(())
}

// ---- to-be-closed variables ----

/// `TBC`: registers the variable at stack slot `slot` as to be closed.
fn mark_tbc(lua: &mut Lua, slot: usize) -> LuaResult<()> {
    let v = lua.th().get(slot);
    if v.is_falsy() {
        return Ok(()); // false and nil need no closing
    }
    if lua.metamethod(&v, TagMethod::Close).is_nil() {
        let name = crate::debug::local_name_at(lua, slot);
        return Err(match name {
            Some(n) => lua.rt_error(format_args!(
                "variable '{}' got a non-closable value",
                crate::api::Bytes(&n)
            )),
            None => lua.rt_error(format_args!("variable got a non-closable value")),
        });
    }
    let th = lua.th();
    let before = th.tbc.capacity();
    use crate::tvec::TryVec;
    th.tbc.try_push(slot)?;
    let grown = th.tbc.capacity() - before;
    let _ = lua.heap.charge(grown * core::mem::size_of::<usize>());
    Ok(())
}

/// Closes upvalues and to-be-closed variables at or above `level` (normal exit).
fn close_level(lua: &mut Lua, level: usize) -> LuaResult<()> {
    lua.th().close_upvals(&lua.heap, level);
    close_tbc_final(lua, level, None, false).map(|_| ())
}

/// Takes the innermost pending to-be-closed variable at or above `level`: its slot, value
/// and `__close` metamethod (nil if it was removed since: calling it then raises, as in
/// PUC).
fn next_pending_close(lua: &mut Lua, level: usize) -> Option<(usize, Value, Value)> {
    let th = lua.th();
    let slot = *th.tbc.last()?;
    if slot < level {
        return None;
    }
    th.tbc.pop();
    let v = th.get(slot);
    let mm = lua.metamethod(&v, TagMethod::Close);
    Some((slot, v, mm))
}

/// Closes upvalues and to-be-closed variables at or above `level` for a CLOSE or RETURN
/// of frame `fi`, calling `__close` handlers without recursion: false when a Lua handler
/// was pushed (the instruction repeats when it returns, see `finish_op`). Calls are placed
/// at `slot`, above values that must survive (the return values).
fn close_level_stackless(
    lua: &mut Lua,
    fi: usize,
    level: usize,
    slot: Option<usize>,
) -> LuaResult<bool> {
    lua.th().close_upvals(&lua.heap, level);
    while let Some((_, v, mm)) = next_pending_close(lua, level) {
        // No error: the handler gets the value alone (5.5).
        if push_tm_call(lua, fi, slot, &[mm, v])?.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Calls `__close(v [, err])` for pending to-be-closed variables at or above `level`,
/// last first: the error object is an argument only when there is one. These calls
/// recurse (`call_nested`). With `unwinding`, errors in handlers replace the error object
/// and closing goes on. Returns the error object after all handlers ran.
pub(crate) fn close_tbc_final(
    lua: &mut Lua,
    level: usize,
    err: Option<Value>,
    unwinding: bool,
) -> LuaResult<Option<Value>> {
    let mut err = err;
    while let Some((slot, v, mm)) = next_pending_close(lua, level) {
        let th = lua.th();
        let top = th.top.max(slot + 1);
        th.ensure_slots(&lua.heap, top + 4)
            .map_err(|o| stack_error(lua, o))?;
        let th = lua.th();
        th.set(top, mm);
        th.set(top + 1, v);
        if let Some(e) = err {
            th.set(top + 2, e);
        }
        let saved_top = th.top;
        th.top = top + 2 + usize::from(err.is_some());
        let r = lua.call_nested(top, 0);
        lua.th().top = saved_top;
        match r {
            Ok(()) => {}
            Err(Error::Lua(e)) if unwinding => err = Some(e),
            Err(e) => return Err(e),
        }
    }
    Ok(err)
}
