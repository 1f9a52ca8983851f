//! The debug library (§6.10): tracebacks, `getinfo`, locals and upvalues, metatables
//! and user values, and per-thread call/return/line/count hooks (the basis of script
//! profiling), each with PUC's optional thread argument.

use alloc::vec::Vec;

use crate::api::{Buf, Ctx, NativeFn, Ret};
use crate::error::{Error, LuaResult};
use crate::func::{FnProto, LuaClosure};
use crate::gc::Gc;
use crate::opcode::{ins, Op};
use crate::state::Lua;
use crate::table::Table;
use crate::thread::{flags, Frame, Thread};
use crate::tvec::{try_copy_of, TryVec};
use crate::value::Value;

pub(crate) fn open(lua: &mut Lua) -> LuaResult<()> {
    let t = lua.new_table()?;
    let funcs: &[(&[u8], NativeFn)] = &[
        (b"gethook", gethook),
        (b"getinfo", getinfo),
        (b"getlocal", getlocal),
        (b"getmetatable", getmetatable),
        (b"getregistry", getregistry),
        (b"getupvalue", getupvalue),
        (b"getuservalue", getuservalue),
        (b"sethook", sethook),
        (b"setlocal", setlocal),
        (b"setmetatable", setmetatable),
        (b"setupvalue", setupvalue),
        (b"setuservalue", setuservalue),
        (b"traceback", traceback),
        (b"upvalueid", upvalueid),
        (b"upvaluejoin", upvaluejoin),
    ];
    for (name, f) in funcs {
        lua.set_field(t, name, Value::NativeFn(*f))?;
    }
    lua.set_global(b"debug", Value::Table(t))?;
    let loaded = lua.loaded;
    lua.set_field(loaded, b"debug", Value::Table(t))
}

/// Hook event masks (`LUA_MASK*`).
pub(crate) mod mask {
    pub const CALL: u8 = 1 << 0;
    pub const RET: u8 = 1 << 1;
    pub const LINE: u8 = 1 << 2;
    pub const COUNT: u8 = 1 << 3;
}

/// Hook state of one thread (PUC's `hookmask`, `basehookcount`, `hookcount`, `oldpc`,
/// `allowhook` and `transferinfo`). The hook function itself lives in the registry's
/// weak-keyed `_HOOKKEY` table, under the thread, as `ldblib.c` keeps it.
#[derive(Clone, Copy, Default)]
pub(crate) struct Hooks {
    /// `mask::*` bits; 0: no hooks (the VM then never looks here).
    pub mask: u8,
    /// Instructions between count events.
    pub base_count: u32,
    /// Instructions left until the next count event.
    pub count: u32,
    /// Instruction of the last line event (or the call a frame returned to): a line
    /// event fires on a jump back or a new line.
    pub old_pc: usize,
    /// A hook runs on this thread: hooks do not nest.
    pub running: bool,
    /// Values a call or return event transfers (`getinfo` option `r`): first local
    /// index and count.
    pub ftransfer: u32,
    pub ntransfer: u32,
}

impl Hooks {
    /// The hooks a thread created by a thread with `from` starts with (`lua_newthread`).
    pub(crate) fn inherited(from: &Hooks) -> Hooks {
        Hooks {
            mask: from.mask,
            base_count: from.base_count,
            count: from.base_count,
            ..Hooks::default()
        }
    }
}

/// Hook events, in the order of their names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Event {
    Call,
    Return,
    Line,
    Count,
    TailCall,
}

impl Event {
    fn name(self) -> &'static [u8] {
        match self {
            Event::Call => b"call",
            Event::Return => b"return",
            Event::Line => b"line",
            Event::Count => b"count",
            Event::TailCall => b"tail call",
        }
    }
}

/// `debug.traceback([thread,] [message [, level]])`
fn traceback(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (th, arg) = thread_arg(cx);
    let msg = cx.arg(arg);
    if !matches!(
        msg,
        Value::Nil | Value::Str(_) | Value::Int(_) | Value::Float(_)
    ) {
        return cx.ret1(msg);
    }
    // Level 1 (the caller) by default in the running thread, 0 in another one.
    let default = if th == cx.lua.current { 1 } else { 0 };
    let level = cx.opt_int(arg + 1, default)?.max(0) as usize;
    let mut b = Buf::default();
    if let Value::Str(s) = msg {
        b.push_bytes(s.as_bytes());
        b.push_bytes(b"\n");
    } else if !msg.is_nil() {
        let mut t = Vec::new();
        crate::tostr::number(&msg, &mut t)?;
        b.push_bytes(&t);
        b.push_bytes(b"\n");
    }
    crate::debug::traceback(cx.lua, &th, level, &mut b);
    if b.failed {
        return Err(Error::Memory);
    }
    let v = cx.lua.str_value(&b.bytes)?;
    cx.ret1(v)
}

/// The frame of thread `th` at the level in argument `arg` (0: the top frame, which in
/// the running thread is the debug function itself): its index and a copy.
fn frame_for_level(
    cx: &mut Ctx<'_>,
    th: Gc<Thread>,
    arg: usize,
) -> LuaResult<Option<(usize, Frame)>> {
    let level = cx.check_int(arg)?;
    let Ok(level) = usize::try_from(level) else {
        return Ok(None);
    };
    let frames = &th.frames;
    let Some(idx) = frames.len().checked_sub(level.saturating_add(1)) else {
        return Ok(None);
    };
    Ok(frames.get(idx).map(|f| (idx, *f)))
}

fn set_str(lua: &mut Lua, t: Gc<Table>, k: &[u8], v: &[u8]) -> LuaResult<()> {
    let s = lua.str_value(v)?;
    lua.set_field(t, k, s)
}

/// `debug.getinfo([thread,] f [, what])`
fn getinfo(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (th, arg) = thread_arg(cx);
    let what = match cx.opt_str(arg + 1)? {
        Some(s) => try_copy_of(s.as_bytes())?,
        None => try_copy_of(b"flnSrtu")?,
    };
    if what.first() == Some(&b'>') {
        return Err(cx.arg_error(arg + 1, format_args!("invalid option '>'")));
    }
    let (func, frame) = if cx.arg(arg).is_function() {
        (cx.arg(arg), None)
    } else {
        match frame_for_level(cx, th, arg)? {
            Some((idx, fr)) => (th.get(fr.func), Some((idx, fr))),
            None => return cx.ret1(Value::Nil),
        }
    };
    if what.iter().any(|c| !b"SlutnrLf".contains(c)) {
        return Err(cx.arg_error(arg + 1, format_args!("invalid option")));
    }
    let t = cx.lua.new_table()?;
    let lua = &mut *cx.lua;
    let cl: Option<Gc<LuaClosure>> = match func {
        Value::LuaFn(c) => Some(c),
        _ => None,
    };
    if what.contains(&b'S') {
        match cl {
            Some(c) => {
                let p = c.proto;
                lua.set_field(t, b"source", Value::Str(p.source))?;
                let mut id = Vec::new();
                crate::chunkid::push_chunk_id(&mut id, p.source.as_bytes())?;
                set_str(lua, t, b"short_src", &id)?;
                lua.set_field(t, b"linedefined", Value::Int(p.line_defined as i64))?;
                lua.set_field(
                    t,
                    b"lastlinedefined",
                    Value::Int(p.last_line_defined as i64),
                )?;
                set_str(
                    lua,
                    t,
                    b"what",
                    if p.line_defined == 0 { b"main" } else { b"Lua" },
                )?;
            }
            None => {
                set_str(lua, t, b"source", b"=[C]")?;
                set_str(lua, t, b"short_src", b"[C]")?;
                lua.set_field(t, b"linedefined", Value::Int(-1))?;
                lua.set_field(t, b"lastlinedefined", Value::Int(-1))?;
                set_str(lua, t, b"what", b"C")?;
            }
        }
    }
    if what.contains(&b'l') {
        let line = frame
            .and_then(|(_, f)| crate::debug::current_line(&f))
            .map_or(-1, |l| l as i64);
        lua.set_field(t, b"currentline", Value::Int(line))?;
    }
    if what.contains(&b'u') {
        let (nups, nparams, vararg) = match func {
            Value::LuaFn(c) => (
                c.upvals.len(),
                c.proto.num_params as usize,
                c.proto.is_vararg,
            ),
            Value::NativeClosure(c) => (c.upvals.len(), 0, true),
            _ => (0, 0, true),
        };
        lua.set_field(t, b"nups", Value::Int(nups as i64))?;
        lua.set_field(t, b"nparams", Value::Int(nparams as i64))?;
        lua.set_field(t, b"isvararg", Value::Bool(vararg))?;
    }
    if what.contains(&b'n') {
        match frame.and_then(|(idx, _)| crate::debug::frame_name(&th.frames, idx)) {
            Some((kind, name)) => {
                set_str(lua, t, b"name", &name)?;
                set_str(lua, t, b"namewhat", kind.as_bytes())?;
            }
            None => set_str(lua, t, b"namewhat", b"")?,
        }
    }
    if what.contains(&b'r') {
        let (ft, nt) = match frame {
            Some((_, f)) if f.flags & flags::HOOKED != 0 => {
                (th.hooks.ftransfer, th.hooks.ntransfer)
            }
            _ => (0, 0),
        };
        lua.set_field(t, b"ftransfer", Value::Int(ft as i64))?;
        lua.set_field(t, b"ntransfer", Value::Int(nt as i64))?;
    }
    if what.contains(&b't') {
        let (tail, extra) = frame.map_or((false, 0), |(_, f)| {
            (f.flags & flags::TAIL != 0, f.extra_args)
        });
        lua.set_field(t, b"istailcall", Value::Bool(tail))?;
        lua.set_field(t, b"extraargs", Value::Int(extra as i64))?;
    }
    if what.contains(&b'L') {
        if let Some(c) = cl {
            let lines = lua.new_table()?;
            // A vararg function's `VARARGPREP` is not a line a hook can see.
            let skip = c.proto.is_vararg as usize;
            for pc in skip..c.proto.code.len() {
                if let Some(l) = c.proto.line_at(pc) {
                    lua.raw_set_int(lines, l as i64, Value::Bool(true))?;
                }
            }
            lua.set_field(t, b"activelines", Value::Table(lines))?;
        }
    }
    if what.contains(&b'f') {
        lua.set_field(t, b"func", func)?;
    }
    cx.ret1(Value::Table(t))
}

/// The index 5.5 gives the hidden local `(vararg table)` of a function declared with
/// an unnamed `...` (the one after the parameters). This compiler keeps 5.4's register
/// layout and has no such register, so the debug functions number locals as if it
/// were there: locals after it are one further, and it reads as nil.
fn hidden_vararg_local(p: &FnProto) -> Option<usize> {
    // The main chunk has none; a named vararg table is a real local, made by the
    // `VARARGTAB` after `VARARGPREP`.
    let named = p
        .code
        .get(1)
        .is_some_and(|&i| ins::op(i) == Op::VarArgTab as u8);
    (p.is_vararg && p.line_defined != 0 && !named).then_some(p.num_params as usize + 1)
}

/// The debug index of the local in stack slot `slot` of a Lua frame with register
/// base `base` (see `hidden_vararg_local`).
fn local_index(p: &FnProto, base: usize, slot: usize) -> usize {
    let n = slot.saturating_sub(base) + 1;
    match hidden_vararg_local(p) {
        Some(h) if n >= h => n + 1,
        _ => n,
    }
}

/// Where a local lives, as `local_slot` finds it: its stack slot (none for the hidden
/// vararg local), its generic name, and its own name when it has one.
type LocalSlot = (Option<usize>, &'static [u8], Option<Vec<u8>>);

/// Stack slot and name of local `n` of frame `idx` of thread `th` (`luaG_findlocal`):
/// a named local, a vararg (negative `n`), or a temporary inside the frame.
fn local_slot(th: &Thread, idx: usize, n: i64) -> Option<LocalSlot> {
    let f = th.frames.get(idx)?;
    let mut n = n;
    if let Some(cl) = f.closure {
        if n < 0 {
            let k = n.unsigned_abs() as usize;
            if k > f.nextra as usize || !cl.proto.is_vararg {
                return None;
            }
            return Some((Some(f.func - f.nextra as usize + k - 1), b"(vararg)", None));
        }
        if let Some(h) = hidden_vararg_local(&cl.proto) {
            if n as usize == h {
                return Some((None, b"(vararg table)", None));
            }
            if n as usize > h {
                n -= 1;
            }
        }
        let pc = f.pc.saturating_sub(1);
        if let Some(name) = cl.proto.local_name(n as usize, pc) {
            return Some((
                Some(f.base + n as usize - 1),
                b"",
                Some(try_copy_of(name).ok()?),
            ));
        }
    }
    // Any other slot of the frame, up to the next frame's function (or the top).
    let limit = th.frames.get(idx + 1).map_or(th.top, |next| next.func);
    let n = usize::try_from(n).ok().filter(|&n| n > 0)?;
    if limit.saturating_sub(f.base) < n {
        return None;
    }
    let name: &'static [u8] = if f.is_lua() {
        b"(temporary)"
    } else {
        b"(C temporary)"
    };
    Some((Some(f.base + n - 1), name, None))
}

/// `debug.getlocal([thread,] f, local)`
fn getlocal(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (th, arg) = thread_arg(cx);
    let n = cx.check_int(arg + 1)?;
    if cx.arg(arg).is_function() {
        // Parameter names of a function value.
        let name = match cx.arg(arg) {
            // Only the parameters are active at the first instruction.
            Value::LuaFn(c) if n >= 1 => c.proto.local_name(n as usize, 0).map(try_copy_of),
            _ => None,
        };
        return match name {
            Some(nm) => {
                cx.push_str(&nm?)?;
                Ok(Ret::Values(1))
            }
            None => cx.ret1(Value::Nil),
        };
    }
    let Some((idx, _)) = frame_for_level(cx, th, arg)? else {
        return Err(cx.arg_error(arg, format_args!("level out of range")));
    };
    match local_slot(&th, idx, n) {
        Some((slot, generic, named)) => {
            let v = slot.map_or(Value::Nil, |s| th.get(s));
            cx.push_str(named.as_deref().unwrap_or(generic))?;
            cx.push(v)?;
            Ok(Ret::Values(2))
        }
        None => cx.ret1(Value::Nil),
    }
}

/// `debug.setlocal([thread,] level, local, value)`
fn setlocal(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (th, arg) = thread_arg(cx);
    let n = cx.check_int(arg + 1)?;
    let v = cx.check_any(arg + 2)?;
    let Some((idx, _)) = frame_for_level(cx, th, arg)? else {
        return Err(cx.arg_error(arg, format_args!("level out of range")));
    };
    match local_slot(&th, idx, n) {
        Some((slot, generic, named)) => {
            if let Some(slot) = slot {
                // SAFETY: single-threaded; the slot is inside the thread's stack.
                unsafe { th.get_mut() }.set(slot, v);
            }
            cx.push_str(named.as_deref().unwrap_or(generic))?;
            Ok(Ret::Values(1))
        }
        None => cx.ret1(Value::Nil),
    }
}

fn getmetatable(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.check_any(1)?;
    let mt = cx.lua.metatable(&v).map_or(Value::Nil, Value::Table);
    cx.ret1(mt)
}

fn setmetatable(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.arg(1);
    let mt = match cx.arg(2) {
        Value::Nil => None,
        Value::Table(t) => Some(t),
        _ => return Err(cx.type_error(2, "nil or table")),
    };
    match v {
        Value::Table(t) => {
            t.meta.set(mt);
            crate::collect::check_finalizer(cx.lua, &v, mt);
        }
        Value::UserData(u) => cx.lua.set_userdata_metatable(u, mt),
        other => cx.lua.set_type_metatable(other.type_of(), mt),
    }
    cx.ret1(v)
}

fn getregistry(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let r = cx.lua.registry;
    cx.ret1(Value::Table(r))
}

/// Name and value of upvalue `n` of function `f`.
fn upvalue(f: &Value, n: i64) -> Option<(Vec<u8>, Value)> {
    let i = usize::try_from(n).ok()?.checked_sub(1)?;
    match f {
        Value::LuaFn(c) => {
            let uv = c.upvals.get(i)?;
            let name = c
                .proto
                .upval_names
                .get(i)
                .map_or(&b""[..], |n| n.as_slice());
            Some((
                try_copy_of(if name.is_empty() { b"(no name)" } else { name }).ok()?,
                uv.get(),
            ))
        }
        Value::NativeClosure(c) => Some((Vec::new(), *c.upvals.get(i)?)),
        _ => None,
    }
}

fn getupvalue(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = cx.check_int(2)?;
    let f = cx.arg(1);
    if !f.is_function() {
        return Err(cx.type_error(1, "function"));
    }
    match upvalue(&f, n) {
        Some((name, v)) => {
            cx.push_str(&name)?;
            cx.push(v)?;
            Ok(Ret::Values(2))
        }
        None => Ok(Ret::Values(0)),
    }
}

fn setupvalue(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.check_any(3)?;
    let n = cx.check_int(2)?;
    let f = cx.arg(1);
    let i = match usize::try_from(n).ok().and_then(|n| n.checked_sub(1)) {
        Some(i) => i,
        None => return Ok(Ret::Values(0)),
    };
    match f {
        Value::LuaFn(c) => match c.upvals.get(i) {
            Some(uv) => {
                uv.set(v);
                crate::collect::barrier_upval(&cx.lua.heap, *uv, &v);
                let name = c
                    .proto
                    .upval_names
                    .get(i)
                    .map_or(&b""[..], |n| n.as_slice());
                let name = try_copy_of(if name.is_empty() { b"(no name)" } else { name })?;
                cx.push_str(&name)?;
                Ok(Ret::Values(1))
            }
            None => Ok(Ret::Values(0)),
        },
        Value::NativeClosure(c) => {
            // SAFETY: single-threaded; no other borrow of the closure is live.
            let cm = unsafe { c.get_mut() };
            match cm.upvals.get_mut(i) {
                Some(slot) => {
                    *slot = v;
                    crate::collect::barrier_forward(cx.lua, c.as_header_ptr(), &v);
                    cx.push_str(b"")?;
                    Ok(Ret::Values(1))
                }
                None => Ok(Ret::Values(0)),
            }
        }
        _ => Err(cx.type_error(1, "function")),
    }
}

fn lua_closure_arg(cx: &mut Ctx<'_>, i: usize) -> LuaResult<Gc<LuaClosure>> {
    match cx.arg(i) {
        Value::LuaFn(c) => Ok(c),
        _ => Err(cx.type_error(i, "Lua function")),
    }
}

/// `debug.upvalueid(f, n)`: an identity for upvalue `n` of `f`, or fail when there is
/// no such upvalue.
fn upvalueid(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = cx.check_int(2)?;
    let f = cx.arg(1);
    if !f.is_function() {
        return Err(cx.type_error(1, "function"));
    }
    let i = usize::try_from(n).ok().and_then(|n| n.checked_sub(1));
    let id = match (f, i) {
        (Value::LuaFn(c), Some(i)) => c.upvals.get(i).map(|uv| uv.addr()),
        (Value::NativeClosure(c), Some(i)) if i < c.upvals.len() => Some(c.addr() + 16 * i),
        _ => None,
    };
    cx.ret1(id.map_or(Value::Nil, Value::LightUserData))
}

fn upvaluejoin(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let f1 = lua_closure_arg(cx, 1)?;
    let n1 = cx.check_int(2)?;
    let f2 = lua_closure_arg(cx, 3)?;
    let n2 = cx.check_int(4)?;
    let i1 = usize::try_from(n1)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .filter(|&i| i < f1.upvals.len());
    let Some(i1) = i1 else {
        return Err(cx.arg_error(2, format_args!("invalid upvalue index")));
    };
    let i2 = usize::try_from(n2)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .filter(|&i| i < f2.upvals.len());
    let Some(i2) = i2 else {
        return Err(cx.arg_error(4, format_args!("invalid upvalue index")));
    };
    let Some(&uv) = f2.upvals.get(i2) else {
        return Ok(Ret::Values(0));
    };
    // SAFETY: single-threaded; no other borrow of the closure is live.
    if let Some(slot) = unsafe { f1.get_mut() }.upvals.get_mut(i1) {
        *slot = uv;
    }
    crate::collect::barrier_forward(cx.lua, f1.as_header_ptr(), &Value::Nil);
    Ok(Ret::Values(0))
}

fn getuservalue(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = cx.opt_int(2, 1)?;
    match cx.arg(1) {
        Value::UserData(u) => match usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| u.user_values.get(i))
        {
            Some(v) => {
                let v = *v;
                cx.push(v)?;
                cx.push(Value::Bool(true))?;
                Ok(Ret::Values(2))
            }
            None => {
                cx.push(Value::Nil)?;
                cx.push(Value::Bool(false))?;
                Ok(Ret::Values(2))
            }
        },
        _ => {
            cx.push(Value::Nil)?;
            cx.push(Value::Bool(false))?;
            Ok(Ret::Values(2))
        }
    }
}

fn setuservalue(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.check_any(2)?;
    let n = cx.opt_int(3, 1)?;
    let Value::UserData(u) = cx.arg(1) else {
        return Err(cx.type_error(1, "userdata"));
    };
    // SAFETY: single-threaded; no other borrow of the userdata is live.
    let um = unsafe { u.get_mut() };
    match usize::try_from(n)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| um.user_values.get_mut(i))
    {
        Some(slot) => {
            *slot = v;
            crate::collect::barrier_forward(cx.lua, u.as_header_ptr(), &v);
            cx.ret1(Value::UserData(u))
        }
        None => cx.ret1(Value::Nil),
    }
}

/// The thread a debug function works on: `(thread, index of the next argument)`.
/// With no thread argument, the running one (`getthread` in `ldblib.c`).
fn thread_arg(cx: &Ctx<'_>) -> (Gc<Thread>, usize) {
    match cx.arg(1) {
        Value::Thread(t) => (t, 2),
        _ => (cx.lua.current, 1),
    }
}

/// The registry's table of hook functions by thread, created (weak keys) on first use.
fn hook_table(lua: &mut Lua) -> LuaResult<Gc<Table>> {
    let reg = lua.registry;
    if let Value::Table(t) = lua.get_field(reg, HOOK_KEY)? {
        return Ok(t);
    }
    let t = lua.new_table()?;
    lua.set_field(reg, HOOK_KEY, Value::Table(t))?;
    let mode = lua.str_value(b"k")?;
    lua.set_field(t, b"__mode", mode)?;
    t.meta.set(Some(t));
    crate::collect::check_finalizer(lua, &Value::Table(t), Some(t));
    Ok(t)
}

const HOOK_KEY: &[u8] = b"_HOOKKEY";

/// The hook function of thread `th`, if one was set with `debug.sethook`.
fn hook_function(lua: &mut Lua, th: Gc<Thread>) -> Option<Value> {
    let reg = lua.registry;
    let Ok(Value::Table(t)) = lua.get_field(reg, HOOK_KEY) else {
        return None;
    };
    Some(t.get(&Value::Thread(th), lua.seed)).filter(Value::is_function)
}

/// `debug.sethook([thread,] [hook, mask [, count]])`
fn sethook(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (th, arg) = thread_arg(cx);
    let f = cx.arg(arg);
    let (f, mut m, count) = if f.is_nil() {
        (Value::Nil, 0, 0)
    } else {
        let smask = try_copy_of(cx.check_str(arg + 1)?.as_bytes())?;
        if !f.is_function() {
            return Err(cx.type_error(arg, "function"));
        }
        let count = cx.opt_int(arg + 2, 0)?.clamp(0, i32::MAX as i64) as u32;
        let mut m = 0;
        for (c, bit) in [(b'c', mask::CALL), (b'r', mask::RET), (b'l', mask::LINE)] {
            if smask.contains(&c) {
                m |= bit;
            }
        }
        if count > 0 {
            m |= mask::COUNT;
        }
        (f, m, count)
    };
    let t = hook_table(cx.lua)?;
    cx.lua.raw_set(t, Value::Thread(th), f)?;
    if f.is_nil() {
        m = 0;
    }
    // SAFETY: single-threaded; no other borrow of the thread's hook state is live.
    let h = &mut unsafe { th.get_mut() }.hooks;
    h.mask = m;
    h.base_count = if m == 0 { 0 } else { count };
    h.count = h.base_count;
    // Frames already running had their call (PUC calls no hook for them).
    // SAFETY: as above.
    for f in unsafe { th.get_mut() }.frames.iter_mut() {
        f.flags |= flags::CALL_HOOKED;
    }
    if th == cx.lua.current {
        cx.lua.update_trap();
    }
    Ok(Ret::Values(0))
}

/// `debug.gethook([thread])`: the hook function, mask and count.
fn gethook(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (th, _) = thread_arg(cx);
    let h = th.hooks;
    if h.mask == 0 {
        return cx.ret1(Value::Nil);
    }
    let f = hook_function(cx.lua, th).unwrap_or(Value::Nil);
    let mut m = Vec::new();
    for (c, bit) in [(b'c', mask::CALL), (b'r', mask::RET), (b'l', mask::LINE)] {
        if h.mask & bit != 0 {
            m.try_push(c)?;
        }
    }
    cx.push(f)?;
    cx.push_str(&m)?;
    cx.push(Value::Int(h.base_count as i64))?;
    Ok(Ret::Values(3))
}

/// Runs the count and line hooks before the instruction at `pc` of the top Lua frame
/// (`luaG_traceexec`).
pub(crate) fn run_hooks(lua: &mut Lua, pc: usize) -> LuaResult<()> {
    let th = lua.th();
    let Some(p) = th.frames.last().and_then(|f| f.closure).map(|c| c.proto) else {
        return Ok(());
    };
    // Hooks of a vararg function start after its `VARARGPREP`.
    if pc == 0 && p.is_vararg {
        return Ok(());
    }
    if th
        .frames
        .last()
        .is_some_and(|f| f.flags & flags::CALL_HOOKED == 0)
    {
        // The first instruction of a frame: its call hook (`luaD_hookcall`), then a
        // line event for this instruction.
        if let Some(f) = th.frames.last_mut() {
            f.flags |= flags::CALL_HOOKED;
        }
        hook_call(lua)?;
        lua.th().hooks.old_pc = pc;
    }
    let th = lua.th();
    let m = th.hooks.mask;
    if m & (mask::LINE | mask::COUNT) == 0 {
        return Ok(());
    }
    let mut count_event = false;
    if m & mask::COUNT != 0 {
        th.hooks.count = th.hooks.count.saturating_sub(1);
        if th.hooks.count == 0 {
            th.hooks.count = th.hooks.base_count;
            count_event = true;
        }
    }
    if count_event {
        call_hook(lua, Event::Count, None)?;
    }
    if m & mask::LINE != 0 {
        let th = lua.th();
        // `old_pc` may belong to another function; 0 is a valid stand-in.
        let old = if th.hooks.old_pc < p.code.len() {
            th.hooks.old_pc
        } else {
            0
        };
        let line = p.line_at(pc);
        if pc <= old || p.line_at(old) != line {
            call_hook(lua, Event::Line, line)?;
        }
        lua.th().hooks.old_pc = pc;
    }
    Ok(())
}

/// The call hook of the frame on top, just entered (`luaD_hookcall` and the call
/// part of `precallC`): from the trap for Lua frames, from `precall` for natives, only
/// when the thread has hooks.
#[cold]
#[inline(never)]
pub(crate) fn hook_call(lua: &mut Lua) -> LuaResult<()> {
    let th = lua.th();
    th.hooks.old_pc = 0;
    if th.hooks.mask & mask::CALL == 0 {
        return Ok(());
    }
    let Some(f) = th.frames.last() else {
        return Ok(());
    };
    let event = if f.flags & flags::TAIL != 0 {
        Event::TailCall
    } else {
        Event::Call
    };
    let n = match f.closure {
        Some(c) => c.proto.num_params as usize,
        None => th.top.saturating_sub(f.base),
    };
    transfer_hook(lua, event, 1, n)
}

/// The return hook of the frame on top, whose `n` results start at stack index
/// `first` (`rethook`); then, as PUC, the caller's `old_pc` is set to its call, so
/// that a line event fires only when the caller moves to a new line.
#[cold]
#[inline(never)]
pub(crate) fn hook_return(lua: &mut Lua, first: usize, n: usize) -> LuaResult<()> {
    let th = lua.th();
    if th.hooks.mask & mask::RET != 0 {
        if let Some(f) = th.frames.last() {
            let ftransfer = match f.closure {
                Some(c) => local_index(&c.proto, f.base, first),
                None => first.saturating_sub(f.base) + 1,
            };
            let saved = th.top;
            th.top = th.top.max(first + n);
            let r = transfer_hook(lua, Event::Return, ftransfer, n);
            lua.th().top = saved;
            r?;
        }
    }
    let th = lua.th();
    let len = th.frames.len();
    if let Some(caller) = len.checked_sub(2).and_then(|i| th.frames.get(i)) {
        if caller.is_lua() {
            th.hooks.old_pc = caller.pc.saturating_sub(1);
        }
    }
    Ok(())
}

fn transfer_hook(lua: &mut Lua, event: Event, ftransfer: usize, n: usize) -> LuaResult<()> {
    let th = lua.th();
    if th.hooks.running {
        return Ok(());
    }
    th.hooks.ftransfer = ftransfer as u32;
    th.hooks.ntransfer = n as u32;
    let r = call_hook(lua, event, None);
    let th = lua.th();
    th.hooks.ftransfer = 0;
    th.hooks.ntransfer = 0;
    r
}

/// Calls the running thread's hook function with the event name and line (`luaD_hook`
/// with `hookf`), above the registers of the frame on top. Hooks do not nest.
fn call_hook(lua: &mut Lua, event: Event, line: Option<u32>) -> LuaResult<()> {
    if lua.th().hooks.running {
        return Ok(());
    }
    let Some(f) = hook_function(lua, lua.current) else {
        return Ok(());
    };
    let ev = lua.str_value(event.name())?;
    let th = lua.th();
    let top = th
        .frames
        .last()
        .map_or(th.top, |fr| {
            fr.base + fr.closure.map_or(0, |c| c.proto.max_stack as usize)
        })
        .max(th.top);
    let saved = th.top;
    th.top = top;
    th.hooks.running = true;
    let fi = th.frames.len().wrapping_sub(1);
    let old_flags = th.frames.get(fi).map_or(0, |f| f.flags);
    if let Some(fr) = th.frames.get_mut(fi) {
        fr.flags |= flags::HOOKED;
    }
    let r = crate::nested::call1(
        lua,
        f,
        &[ev, line.map_or(Value::Nil, |l| Value::Int(l as i64))],
    );
    let th = lua.th();
    if let Some(fr) = th.frames.get_mut(fi) {
        fr.flags = (fr.flags & !flags::HOOKED) | (old_flags & flags::HOOKED);
    }
    th.top = saved;
    th.hooks.running = false;
    r.map(|_| ())
}
