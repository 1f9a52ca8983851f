//! The debug library (§6.10), as far as this VM can honour it: tracebacks, `getinfo`,
//! locals and upvalues, metatables and user values, and count/line hooks (the basis of
//! script profiling).

use alloc::vec::Vec;

use crate::api::{Buf, Ctx, NativeFn, Ret};
use crate::error::{Error, LuaResult};
use crate::func::LuaClosure;
use crate::gc::Gc;
use crate::state::Lua;
use crate::thread::{flags, Frame};
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

/// Hook state kept in the `Lua` struct.
#[derive(Clone, Copy, Default)]
pub(crate) struct Hooks {
    pub func: Option<Value>,
    pub count: u32,
    pub countdown: u32,
    pub line: bool,
    pub call: bool,
    pub ret: bool,
    /// True while a hook runs (hooks do not nest).
    pub running: bool,
    /// Last line reported, per frame depth.
    pub last_line: u32,
    pub last_depth: usize,
}

fn traceback(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let msg = cx.arg(1);
    if !matches!(
        msg,
        Value::Nil | Value::Str(_) | Value::Int(_) | Value::Float(_)
    ) {
        return cx.ret1(msg);
    }
    let level = cx.opt_int(2, 1)?.max(0) as usize;
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
    crate::debug::traceback(cx.lua, level, &mut b);
    if b.failed {
        return Err(Error::Memory);
    }
    let v = cx.lua.str_value(&b.bytes)?;
    cx.ret1(v)
}

/// The frame at `level` (1: the caller of the debug function).
fn frame_for_level(cx: &mut Ctx<'_>, arg: usize) -> LuaResult<Option<(usize, Frame)>> {
    let level = cx.check_int(arg)?;
    if level < 0 {
        return Ok(None);
    }
    let frames = &cx.lua.th().frames;
    let Some(idx) = frames.len().checked_sub(level as usize + 1) else {
        return Ok(None);
    };
    Ok(frames.get(idx).map(|f| (idx, *f)))
}

fn set_str(lua: &mut Lua, t: Gc<crate::table::Table>, k: &[u8], v: &[u8]) -> LuaResult<()> {
    let s = lua.str_value(v)?;
    lua.set_field(t, k, s)
}

fn getinfo(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let what = match cx.opt_str(2)? {
        Some(s) => try_copy_of(s.as_bytes())?,
        None => try_copy_of(b"flnStu")?,
    };
    if what.iter().any(|c| !b">flnSrtuL".contains(c)) || what.first() == Some(&b'>') {
        return Err(cx.arg_error(2, format_args!("invalid option")));
    }
    let (func, frame) = match cx.arg(1) {
        f if f.is_function() => (f, None),
        Value::Int(_) | Value::Float(_) => match frame_for_level(cx, 1)? {
            Some((idx, fr)) => (cx.lua.th().get(fr.func), Some((idx, fr))),
            None => return cx.ret1(Value::Nil),
        },
        _ => return Err(cx.type_error(1, "function or level")),
    };
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
        let caller = frame
            .and_then(|(idx, _)| idx.checked_sub(1))
            .and_then(|i| lua.th().frames.get(i).copied());
        match caller.and_then(|c| crate::debug::call_site_name(&c)) {
            Some((kind, name)) => {
                set_str(lua, t, b"name", &name)?;
                set_str(lua, t, b"namewhat", kind.as_bytes())?;
            }
            None => set_str(lua, t, b"namewhat", b"")?,
        }
    }
    if what.contains(&b't') {
        let tail = frame.is_some_and(|(_, f)| f.flags & flags::TAIL != 0);
        lua.set_field(t, b"istailcall", Value::Bool(tail))?;
    }
    if what.contains(&b'f') {
        lua.set_field(t, b"func", func)?;
    }
    if what.contains(&b'L') {
        if let Some(c) = cl {
            let lines = lua.new_table()?;
            for &l in c.proto.lines.iter() {
                lua.raw_set_int(lines, l as i64, Value::Bool(true))?;
            }
            lua.set_field(t, b"activelines", Value::Table(lines))?;
        }
    }
    cx.ret1(Value::Table(t))
}

/// Stack slot and name of local `n` of a Lua frame (negative `n`: vararg).
fn local_slot(f: &Frame, n: i64) -> Option<(usize, Vec<u8>)> {
    let cl = f.closure?;
    if n < 0 {
        let k = (-n) as usize;
        if k > f.nextra as usize {
            return None;
        }
        return Some((
            f.func - f.nextra as usize + k - 1,
            try_copy_of(b"(vararg)").ok()?,
        ));
    }
    let n = n as usize;
    let pc = f.pc.saturating_sub(1);
    match cl.proto.local_name(n, pc) {
        Some(name) => Some((f.base + n - 1, try_copy_of(name).ok()?)),
        None => None,
    }
}

fn getlocal(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = cx.check_int(2)?;
    if let Value::LuaFn(c) = cx.arg(1) {
        // Parameter names of a function value.
        let name = if n >= 1 {
            c.proto.local_name(n as usize, 0).map(try_copy_of)
        } else {
            None
        };
        return match name {
            Some(Ok(nm)) => {
                cx.push_str(&nm)?;
                Ok(Ret::Values(1))
            }
            _ => cx.ret1(Value::Nil),
        };
    }
    let Some((_, f)) = frame_for_level(cx, 1)? else {
        return Err(cx.arg_error(1, format_args!("level out of range")));
    };
    match local_slot(&f, n) {
        Some((slot, name)) => {
            let v = cx.lua.th().get(slot);
            cx.push_str(&name)?;
            cx.push(v)?;
            Ok(Ret::Values(2))
        }
        None => cx.ret1(Value::Nil),
    }
}

fn setlocal(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = cx.check_int(2)?;
    let v = cx.check_any(3)?;
    let Some((_, f)) = frame_for_level(cx, 1)? else {
        return Err(cx.arg_error(1, format_args!("level out of range")));
    };
    match local_slot(&f, n) {
        Some((slot, name)) => {
            cx.lua.th().set(slot, v);
            cx.push_str(&name)?;
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
                let name = try_copy_of(name)?;
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

fn upvalueid(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = cx.check_int(2)?;
    match cx.arg(1) {
        Value::LuaFn(c) => match usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| c.upvals.get(i))
        {
            Some(uv) => cx.ret1(Value::LightUserData(uv.addr())),
            None => Err(cx.arg_error(2, format_args!("invalid upvalue index"))),
        },
        Value::NativeClosure(c) => match usize::try_from(n).ok().and_then(|n| n.checked_sub(1)) {
            Some(i) if i < c.upvals.len() => cx.ret1(Value::LightUserData(c.addr() + 16 * i)),
            _ => Err(cx.arg_error(2, format_args!("invalid upvalue index"))),
        },
        _ => Err(cx.type_error(1, "function")),
    }
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

fn sethook(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let f = cx.arg(1);
    if f.is_nil() || cx.nargs() == 0 {
        cx.lua.hooks = Hooks::default();
        cx.lua.update_trap();
        return Ok(Ret::Values(0));
    }
    if !f.is_function() {
        return Err(cx.type_error(1, "function"));
    }
    let mask = try_copy_of(cx.check_str(2)?.as_bytes())?;
    let count = cx.opt_int(3, 0)?.clamp(0, u32::MAX as i64) as u32;
    cx.lua.hooks = Hooks {
        func: Some(f),
        count,
        countdown: count,
        line: mask.contains(&b'l'),
        call: mask.contains(&b'c'),
        ret: mask.contains(&b'r'),
        running: false,
        last_line: 0,
        last_depth: usize::MAX,
    };
    // Keep the hook function alive through the registry.
    let reg = cx.lua.registry;
    cx.lua.set_field(reg, b"_HOOK", f)?;
    cx.lua.update_trap();
    Ok(Ret::Values(0))
}

fn gethook(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let h = cx.lua.hooks;
    let Some(f) = h.func else {
        return Ok(Ret::Values(0));
    };
    let mut mask = Vec::new();
    if h.call {
        mask.try_push(b'c')?;
    }
    if h.ret {
        mask.try_push(b'r')?;
    }
    if h.line {
        mask.try_push(b'l')?;
    }
    cx.push(f)?;
    cx.push_str(&mask)?;
    cx.push(Value::Int(h.count as i64))?;
    Ok(Ret::Values(3))
}

/// Runs the count and line hooks before the instruction at `pc` of the top Lua frame.
pub(crate) fn run_hooks(lua: &mut Lua, pc: usize) -> LuaResult<()> {
    let h = lua.hooks;
    let Some(f) = h.func else { return Ok(()) };
    if h.running {
        return Ok(());
    }
    let mut fire_count = false;
    if h.count > 0 {
        let left = h.countdown.saturating_sub(1);
        if left == 0 {
            fire_count = true;
            lua.hooks.countdown = h.count;
        } else {
            lua.hooks.countdown = left;
        }
    }
    let mut fire_line = None;
    if h.line {
        let depth = lua.th().frames.len();
        let line = lua
            .th()
            .frames
            .last()
            .and_then(|fr| fr.closure)
            .and_then(|c| c.proto.line_at(pc));
        if let Some(line) = line {
            if line != h.last_line || depth != h.last_depth || pc == 0 {
                fire_line = Some(line);
            }
            lua.hooks.last_line = line;
            lua.hooks.last_depth = depth;
        }
    }
    if fire_count {
        call_hook(lua, f, b"count", None)?;
    }
    if let Some(line) = fire_line {
        call_hook(lua, f, b"line", Some(line))?;
    }
    Ok(())
}

fn call_hook(lua: &mut Lua, f: Value, event: &[u8], line: Option<u32>) -> LuaResult<()> {
    let ev = lua.str_value(event)?;
    lua.hooks.running = true;
    let th = lua.th();
    // Hooks run above the frame's registers.
    let top = th
        .frames
        .last()
        .map_or(th.top, |fr| {
            fr.base + fr.closure.map_or(0, |c| c.proto.max_stack as usize)
        })
        .max(th.top);
    let saved = th.top;
    th.top = top;
    let r = crate::nested::call1(
        lua,
        f,
        &[ev, line.map_or(Value::Nil, |l| Value::Int(l as i64))],
    );
    lua.th().top = saved;
    lua.hooks.running = false;
    r.map(|_| ())
}
