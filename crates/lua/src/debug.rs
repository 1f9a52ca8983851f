//! Debug information for messages: source positions, variable names for error
//! messages (by symbolic execution of the bytecode, as ldebug.c does), function names
//! for argument errors, and tracebacks.

use alloc::vec::Vec;
use core::fmt::Write;

use crate::api::{Buf, Bytes};
use crate::arith::ArithOp;
use crate::error::Error;
use crate::func::FnProto;
use crate::opcode::{ins, Op};
use crate::state::Lua;
use crate::thread::{flags, Frame};
use crate::value::Value;

/// Where an operand of the failing instruction came from, for `varinfo`.
#[derive(Clone, Copy, Debug)]
pub enum Operand {
    Reg(u32),
    Upval(u32),
    Const(u32),
    None,
}

/// The frame `level` levels below the top (0: top).
pub(crate) fn frame_at(lua: &Lua, level: usize) -> Option<Frame> {
    let frames = &lua.th().frames;
    frames
        .len()
        .checked_sub(level + 1)
        .and_then(|i| frames.get(i))
        .copied()
}

/// Current line of a Lua frame.
pub(crate) fn current_line(f: &Frame) -> Option<u32> {
    let cl = f.closure?;
    cl.proto.line_at(f.pc.saturating_sub(1))
}

/// Appends `chunkid:line: ` for the frame at `level`, if it is a Lua frame.
pub(crate) fn push_where(lua: &Lua, level: usize, buf: &mut Buf) {
    let Some(f) = frame_at(lua, level) else {
        return;
    };
    let Some(cl) = f.closure else {
        return;
    };
    // Stripped code has no lines: a runtime error there says `?:?:` (`luaG_addinfo`),
    // `error` and library errors say nothing (`luaL_where`).
    let Some(line) = current_line(&f) else {
        if level == 0 {
            let _ = write!(buf, "?:?: ");
        }
        return;
    };
    let mut id = Vec::new();
    if crate::chunkid::push_chunk_id(&mut id, cl.proto.source.as_bytes()).is_err() {
        buf.failed = true;
        return;
    }
    let _ = write!(buf, "{}:{}: ", Bytes(&id), line);
}

/// Name of the native function running on top, as its caller named it, for
/// `bad argument` messages. Returns the argument index (adjusted for methods), the name
/// and whether it was a method call.
pub(crate) fn native_name(lua: &Lua, arg: usize) -> (usize, Vec<u8>, bool) {
    let mut name = Vec::new();
    let caller = frame_at(lua, 1);
    let found = caller.and_then(|c| call_site_name(&c));
    match found {
        Some((kind, n)) => {
            let _ = crate::tvec::TryVec::try_extend_from_slice(&mut name, &n);
            if kind == "method" {
                return (arg.saturating_sub(1), name, true);
            }
        }
        None => {
            let found = frame_at(lua, 0).and_then(|f| {
                let fv = lua.th().get(f.func);
                let this = lua.th().get(f.func + 1);
                global_func_name(lua, &fv).or_else(|| method_name(lua, &this, &fv))
            });
            let _ = crate::tvec::TryVec::try_extend_from_slice(
                &mut name,
                found.as_deref().unwrap_or(b"?"),
            );
        }
    }
    (arg, name, false)
}

/// The name of `f` among the methods of `this` (its metatable's `__index` table): how a
/// method called through `pcall(obj.m, obj, ...)` is still named in its errors (PUC says
/// `'?'`).
fn method_name(lua: &Lua, this: &Value, f: &Value) -> Option<Vec<u8>> {
    let mt = lua.metatable(this)?;
    let index_name = *lua.tm_names.get(crate::opcode::TagMethod::Index as usize)?;
    let Value::Table(methods) = mt.get_str(index_name, lua.seed) else {
        return None;
    };
    let mut key = Value::Nil;
    while let Ok(Some((k, v))) = methods.next(&key, lua.seed) {
        key = k;
        if let (Value::Str(name), true) = (k, v.raw_eq(f)) {
            return crate::tvec::try_copy_of(name.as_bytes()).ok();
        }
    }
    None
}

/// `pushglobalfuncname`: `module.field` (or just `field` for globals) under which `f` is
/// found in `package.loaded`.
fn global_func_name(lua: &Lua, f: &Value) -> Option<Vec<u8>> {
    let loaded = lua.loaded;
    let mut key = Value::Nil;
    while let Ok(Some((k, module))) = loaded.next(&key, lua.seed) {
        key = k;
        let (Value::Str(modname), Value::Table(t)) = (k, module) else {
            continue;
        };
        let mut fk = Value::Nil;
        while let Ok(Some((field, v))) = t.next(&fk, lua.seed) {
            fk = field;
            if let Value::Str(fname) = field {
                if v.raw_eq(f) {
                    let mut out = Vec::new();
                    if modname.as_bytes() != b"_G" {
                        crate::tvec::TryVec::try_extend_from_slice(&mut out, modname.as_bytes())
                            .ok()?;
                        crate::tvec::TryVec::try_push(&mut out, b'.').ok()?;
                    }
                    crate::tvec::TryVec::try_extend_from_slice(&mut out, fname.as_bytes()).ok()?;
                    return Some(out);
                }
            }
        }
    }
    None
}

/// The kind and name of the function called by the instruction before `f.pc`.
pub(crate) fn call_site_name(f: &Frame) -> Option<(&'static str, Vec<u8>)> {
    let cl = f.closure?;
    let p = &cl.proto;
    let pc = f.pc.checked_sub(1)?;
    let i = *p.code.get(pc)?;
    match Op::from_u8(ins::op(i))? {
        Op::Call | Op::TailCall => obj_name(p, pc, ins::a(i)),
        Op::TForCall => Some(("for iterator", copy(b"for iterator"))),
        op => {
            let tm = match op {
                Op::SelfOp | Op::GetTabUp | Op::GetTable | Op::GetI | Op::GetField => "index",
                Op::SetTabUp | Op::SetTable | Op::SetI | Op::SetField => "newindex",
                Op::MmBin | Op::MmBinI | Op::MmBinK => {
                    let t = crate::opcode::TagMethod::from_u8(ins::c(i) as u8)?;
                    return Some((
                        "metamethod",
                        copy(t.name().trim_start_matches("__").as_bytes()),
                    ));
                }
                Op::Unm => "unm",
                Op::BNot => "bnot",
                Op::Len => "len",
                Op::Concat => "concat",
                Op::Eq => "eq",
                Op::Lt | Op::LtI | Op::GtI => "lt",
                Op::Le | Op::LeI | Op::GeI => "le",
                Op::Close | Op::Return => "close",
                _ => return None,
            };
            Some(("metamethod", copy(tm.as_bytes())))
        }
    }
}

fn copy(b: &[u8]) -> Vec<u8> {
    crate::tvec::try_copy_of(b).unwrap_or_default()
}

/// Does instruction `op` set register A?
fn sets_a(op: Op) -> bool {
    !matches!(
        op,
        Op::SetUpval
            | Op::SetTabUp
            | Op::SetTable
            | Op::SetI
            | Op::SetField
            | Op::MmBin
            | Op::MmBinI
            | Op::MmBinK
            | Op::Close
            | Op::Tbc
            | Op::Jmp
            | Op::Eq
            | Op::Lt
            | Op::Le
            | Op::EqK
            | Op::EqI
            | Op::LtI
            | Op::LeI
            | Op::GtI
            | Op::GeI
            | Op::Test
            | Op::Return
            | Op::Return0
            | Op::Return1
            | Op::SetList
            | Op::VarArgPrep
            | Op::ExtraArg
            | Op::TForLoop
            | Op::ErrNNil
    )
}

/// The instruction that last set `reg` before `lastpc`, if unconditional.
fn find_set_reg(p: &FnProto, mut lastpc: usize, reg: u32) -> Option<usize> {
    if let Some(op) = p.code.get(lastpc).and_then(|&i| Op::from_u8(ins::op(i))) {
        if matches!(op, Op::MmBin | Op::MmBinI | Op::MmBinK) {
            lastpc = lastpc.saturating_sub(1);
        }
    }
    let mut setreg = None;
    let mut jmptarget = 0usize;
    for pc in 0..lastpc {
        let Some(&i) = p.code.get(pc) else { break };
        let Some(op) = Op::from_u8(ins::op(i)) else {
            break;
        };
        let a = ins::a(i);
        let change = match op {
            Op::LoadNil => a <= reg && reg <= a + ins::b(i),
            Op::TForCall => reg >= a + 2,
            Op::Call | Op::TailCall => reg >= a,
            Op::Jmp => {
                let dest = (pc as isize + 1 + ins::sj(i) as isize) as usize;
                if dest <= lastpc && dest > jmptarget {
                    jmptarget = dest;
                }
                false
            }
            _ => sets_a(op) && reg == a,
        };
        if change {
            setreg = if pc < jmptarget { None } else { Some(pc) };
        }
    }
    setreg
}

/// `getobjname`: what register `reg` holds at `lastpc`.
fn obj_name(p: &FnProto, lastpc: usize, reg: u32) -> Option<(&'static str, Vec<u8>)> {
    // A `MOVE` from a lower register continues the search there: a loop, not recursion,
    // so a long chain of moves in a binary chunk costs no native stack.
    let (mut lastpc, mut reg) = (lastpc, reg);
    loop {
        if let Some(n) = p.local_name(reg as usize + 1, lastpc) {
            return Some(("local", copy(n)));
        }
        let pc = find_set_reg(p, lastpc, reg)?;
        let i = *p.code.get(pc)?;
        if Op::from_u8(ins::op(i))? != Op::Move {
            return set_by_name(p, pc, i);
        }
        let b = ins::b(i);
        if b >= ins::a(i) {
            return None;
        }
        lastpc = pc;
        reg = b;
    }
}

/// Name of upvalue `u`, `?` when unknown (stripped binary chunks).
fn upval_name(p: &FnProto, u: u32) -> Vec<u8> {
    match p.upval_names.get(u as usize) {
        Some(n) if !n.is_empty() => copy(n),
        _ => copy(b"?"),
    }
}

/// The name instruction `i` at `pc` gives the register it sets (not a `MOVE`).
fn set_by_name(p: &FnProto, pc: usize, i: u32) -> Option<(&'static str, Vec<u8>)> {
    let kstr = |k: u32| match p.constants.get(k as usize) {
        Some(Value::Str(s)) => Some(copy(s.as_bytes())),
        _ => None,
    };
    match Op::from_u8(ins::op(i))? {
        Op::GetTabUp => {
            let name = kstr(ins::c(i)).unwrap_or_else(|| copy(b"?"));
            let env = p
                .upval_names
                .get(ins::b(i) as usize)
                .is_some_and(|n| n.as_slice() == b"_ENV");
            Some((if env { "global" } else { "field" }, name))
        }
        Op::GetField => {
            let name = kstr(ins::c(i)).unwrap_or_else(|| copy(b"?"));
            Some((env_or_field(p, pc, ins::b(i)), name))
        }
        Op::GetTable => {
            // Past the constant limit, keys and `_ENV` itself come through registers.
            let name = const_in_reg(p, pc, ins::c(i));
            Some((env_or_field(p, pc, ins::b(i)), name))
        }
        Op::GetI => Some(("field", copy(b"integer index"))),
        Op::GetUpval => Some(("upvalue", upval_name(p, ins::b(i)))),
        Op::LoadK => kstr(ins::bx(i)).map(|n| ("constant", n)),
        // A key past the constant limit: 5.5 then indexes with GETFIELD/GETTABLE
        // rather than SELF, so it names a field.
        Op::SelfOp if !ins::k(i) => Some(("field", const_in_reg(p, pc, ins::c(i)))),
        Op::SelfOp => Some(("method", kstr(ins::c(i)).unwrap_or_else(|| copy(b"?")))),
        _ => None,
    }
}

/// `global` when register `t` holds `_ENV` (a local or upvalue of that name) before
/// `pc`, else `field` (`isEnv`).
fn env_or_field(p: &FnProto, pc: usize, t: u32) -> &'static str {
    match obj_name(p, pc, t) {
        Some(("local" | "upvalue", n)) if n.as_slice() == b"_ENV" => "global",
        _ => "field",
    }
}

/// The constant loaded into register `r` before `pc`, or `?` (`rname`).
fn const_in_reg(p: &FnProto, pc: usize, r: u32) -> Vec<u8> {
    match obj_name(p, pc, r) {
        Some(("constant", n)) => n,
        _ => copy(b"?"),
    }
}

/// ` (kind 'name')` for an operand of the running Lua frame, or nothing.
fn varinfo(lua: &Lua, operand: Operand, buf: &mut Buf) {
    write_name(buf, operand_name(lua, operand));
}

/// The kind and name of an operand of the running Lua frame, if known.
fn operand_name(lua: &Lua, operand: Operand) -> Option<(&'static str, Vec<u8>)> {
    let f = frame_at(lua, 0)?;
    let cl = f.closure?;
    let p = &cl.proto;
    let pc = f.pc.saturating_sub(1);
    match operand {
        Operand::Reg(r) => obj_name(p, pc, r),
        Operand::Upval(u) => Some(("upvalue", upval_name(p, u))),
        Operand::Const(k) => match p.constants.get(k as usize) {
            Some(Value::Str(s)) => Some(("constant", copy(s.as_bytes()))),
            _ => None,
        },
        Operand::None => None,
    }
}

/// ` (kind 'name')`, or nothing.
fn write_name(buf: &mut Buf, found: Option<(&'static str, Vec<u8>)>) {
    if let Some((kind, name)) = found {
        let _ = write!(buf, " ({} '{}')", kind, Bytes(&name));
    }
}

fn typed_error(lua: &mut Lua, v: &Value, op: &str, operand: Operand) -> Error {
    let found = operand_name(lua, operand);
    named_type_error(lua, v, op, found)
}

/// `attempt to <op> a <type> value` with the name found for it.
fn named_type_error(
    lua: &mut Lua,
    v: &Value,
    op: &str,
    found: Option<(&'static str, Vec<u8>)>,
) -> Error {
    let mut buf = Buf::default();
    let tn = lua.type_name_of(v);
    let _ = write!(buf, "attempt to {} a {} value", op, Bytes(tn.as_bytes()));
    write_name(&mut buf, found);
    if buf.failed {
        return Error::Memory;
    }
    lua.rt_error(format_args!("{}", Bytes(&buf.bytes)))
}

/// `attempt to <op> a <type> value (<varinfo>)`.
pub(crate) fn type_error(lua: &mut Lua, v: &Value, op: &str, operand: Operand) -> Error {
    typed_error(lua, v, op, operand)
}

/// Error for indexing a value that cannot be indexed.
pub(crate) fn index_error(lua: &mut Lua, t: &Value, k: &Value, operand: Operand) -> Error {
    let mut buf = Buf::default();
    let tn = lua.type_name_of(t);
    let _ = write!(buf, "attempt to index a {} value", Bytes(tn.as_bytes()));
    let before = buf.bytes.len();
    varinfo(lua, operand, &mut buf);
    if buf.bytes.len() == before {
        if let Value::Str(s) = k {
            let _ = write!(buf, " (field '{}')", Bytes(s.as_bytes()));
        }
    }
    if buf.failed {
        return Error::Memory;
    }
    lua.rt_error(format_args!("{}", Bytes(&buf.bytes)))
}

/// Error for calling a value that is not callable.
pub(crate) fn call_error(lua: &mut Lua, func_slot: usize, v: &Value) -> Error {
    // What the calling instruction names (a metamethod, a for iterator...) comes
    // first, as in `luaG_callerror`; else the register's name.
    let frame = frame_at(lua, 0).filter(|f| f.is_lua());
    let found = match frame.and_then(|f| call_site_name(&f)) {
        Some(found) => Some(found),
        None => match frame {
            Some(f) if func_slot >= f.base => {
                operand_name(lua, Operand::Reg((func_slot - f.base) as u32))
            }
            _ => None,
        },
    };
    named_type_error(lua, v, "call", found)
}

/// Error for arithmetic or bitwise operands that are not numbers.
pub(crate) fn arith_error(
    lua: &mut Lua,
    op: ArithOp,
    x: &Value,
    y: &Value,
    ox: Operand,
    oy: Operand,
) -> Error {
    if op.is_bitwise() {
        let is_num = |v: &Value| matches!(v, Value::Int(_) | Value::Float(_));
        let xn = is_num(x).then_some(());
        let yn = is_num(y).then_some(());
        if xn.is_some() && yn.is_some() {
            // The operand that is a float without integer value (`luaG_tointerror`).
            let o = if crate::arith::to_integer(x).is_none() {
                ox
            } else {
                oy
            };
            let mut buf = Buf::default();
            let _ = write!(buf, "number");
            varinfo(lua, o, &mut buf);
            let _ = write!(buf, " has no integer representation");
            if buf.failed {
                return Error::Memory;
            }
            return lua.rt_error(format_args!("{}", Bytes(&buf.bytes)));
        }
        let (bad, o) = if xn.is_none() { (x, ox) } else { (y, oy) };
        return typed_error(lua, bad, "perform bitwise operation on", o);
    }
    let (bad, o) = if !matches!(x, Value::Int(_) | Value::Float(_)) {
        (x, ox)
    } else {
        (y, oy)
    };
    typed_error(lua, bad, "perform arithmetic on", o)
}

/// `attempt to compare ...`.
pub(crate) fn compare_error(lua: &mut Lua, x: &Value, y: &Value) -> Error {
    let t1 = lua.type_name_of(x);
    let t2 = lua.type_name_of(y);
    if t1.as_bytes() == t2.as_bytes() {
        lua.rt_error(format_args!(
            "attempt to compare two {} values",
            Bytes(t1.as_bytes())
        ))
    } else {
        lua.rt_error(format_args!(
            "attempt to compare {} with {}",
            Bytes(t1.as_bytes()),
            Bytes(t2.as_bytes())
        ))
    }
}

/// `attempt to concatenate ...` for the operand at stack slot `slot`.
pub(crate) fn concat_error(lua: &mut Lua, bad: &Value, fi: usize, slot: usize) -> Error {
    let operand = match lua.th().frames.get(fi) {
        Some(f) if slot >= f.base => Operand::Reg((slot - f.base) as u32),
        _ => Operand::None,
    };
    typed_error(lua, bad, "concatenate", operand)
}

/// Name of the local variable in stack slot `slot` of the running Lua frame.
pub(crate) fn local_name_at(lua: &Lua, slot: usize) -> Option<Vec<u8>> {
    let f = frame_at(lua, 0)?;
    let cl = f.closure?;
    let reg = slot.checked_sub(f.base)?;
    cl.proto
        .local_name(reg + 1, f.pc.saturating_sub(1))
        .map(copy)
}

/// How the function of frame `idx` was called, as `getinfo`'s `namewhat` and `name`
/// (`getfuncname`): nothing for a tail call, `hook` under a hook, else what the
/// caller's current instruction says.
pub(crate) fn frame_name(frames: &[Frame], idx: usize) -> Option<(&'static str, Vec<u8>)> {
    let f = frames.get(idx)?;
    if f.flags & flags::TAIL != 0 {
        return None;
    }
    let caller = frames.get(idx.checked_sub(1)?)?;
    if caller.flags & flags::HOOKED != 0 {
        return Some(("hook", copy(b"?")));
    }
    if caller.flags & flags::FINALIZING != 0 {
        return Some(("metamethod", copy(b"__gc")));
    }
    call_site_name(caller)
}

/// Appends a traceback of thread `th`, starting `level` frames below its top
/// (`luaL_traceback`): the first 10 and last 11 levels when there are more than 22.
pub fn traceback(lua: &Lua, th: &crate::thread::Thread, level: usize, buf: &mut Buf) {
    const FIRST: usize = 10;
    const LAST: usize = 11;
    buf.push_bytes(b"stack traceback:");
    let frames = &th.frames;
    let n = frames.len();
    // Levels `level..n` are frames `n - 1 - level` down to 0.
    let levels = n.saturating_sub(level);
    let mut l = 0;
    while l < levels {
        if levels > FIRST + LAST + 1 && l == FIRST {
            let skip = levels - FIRST - LAST - 1;
            let _ = write!(buf, "\n\t...\t(skipping {} levels)", skip);
            l = levels - LAST;
            continue;
        }
        let idx = n - 1 - level - l;
        l += 1;
        let Some(f) = frames.get(idx) else { continue };
        buf.push_bytes(b"\n\t");
        match f.closure {
            Some(cl) => {
                let mut id = Vec::new();
                let _ = crate::chunkid::push_chunk_id(&mut id, cl.proto.source.as_bytes());
                match current_line(f) {
                    Some(line) => {
                        let _ = write!(buf, "{}:{}: in ", Bytes(&id), line);
                    }
                    None => {
                        let _ = write!(buf, "{}: in ", Bytes(&id));
                    }
                }
            }
            None => buf.push_bytes(b"[C]: in "),
        }
        describe_function(lua, th, idx, buf);
        if f.flags & flags::TAIL != 0 {
            buf.push_bytes(b"\n\t(...tail calls...)");
        }
    }
}

/// `pushfuncname`: the name the caller used, `main chunk`, a global name, the
/// definition's position, or `?`.
fn describe_function(lua: &Lua, th: &crate::thread::Thread, idx: usize, buf: &mut Buf) {
    let Some(f) = th.frames.get(idx) else { return };
    if let Some((kind, name)) = frame_name(&th.frames, idx) {
        let _ = write!(buf, "{} '{}'", kind, Bytes(&name));
        return;
    }
    let p = f.closure.map(|c| c.proto);
    if p.is_some_and(|p| p.line_defined == 0) {
        buf.push_bytes(b"main chunk");
        return;
    }
    // A native the host called has no name (as `lua.c`'s `pmain`).
    let by_host = idx == 0 && !f.is_lua();
    if let Some(name) = global_func_name(lua, &th.get(f.func)).filter(|_| !by_host) {
        let _ = write!(buf, "function '{}'", Bytes(&name));
        return;
    }
    match p {
        Some(p) => {
            let mut id = Vec::new();
            let _ = crate::chunkid::push_chunk_id(&mut id, p.source.as_bytes());
            let _ = write!(buf, "function <{}:{}>", Bytes(&id), p.line_defined);
        }
        None => buf.push_bytes(b"?"),
    }
}
