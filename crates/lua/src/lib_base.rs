//! The basic library (§6.1): `print`, `pcall`, `tostring`, `setmetatable`, ...

use alloc::vec::Vec;
use core::fmt::Write;

use crate::api::{Buf, Bytes, Ctx, NativeFn, Ret};
use crate::call::MULTRET;
use crate::error::{Error, LuaResult};
use crate::load::Mode;
use crate::opcode::TagMethod;
use crate::state::Lua;
use crate::tvec::TryVec;
use crate::value::Value;

/// Registers the basic library in the global table.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<()> {
    let g = lua.globals;
    let funcs: &[(&[u8], NativeFn)] = &[
        (b"assert", assert),
        (b"collectgarbage", collectgarbage),
        (b"dofile", dofile),
        (b"error", error),
        (b"getmetatable", getmetatable),
        (b"ipairs", ipairs),
        (b"load", load),
        (b"loadfile", loadfile),
        (b"next", next),
        (b"pairs", pairs),
        (b"pcall", pcall),
        (b"print", print),
        (b"rawequal", rawequal),
        (b"rawget", rawget),
        (b"rawlen", rawlen),
        (b"rawset", rawset),
        (b"select", select),
        (b"setmetatable", setmetatable),
        (b"tonumber", tonumber),
        (b"tostring", tostring),
        (b"type", type_),
        (b"warn", warn),
        (b"xpcall", xpcall),
    ];
    for (name, f) in funcs {
        lua.set_field(g, name, Value::NativeFn(*f))?;
    }
    lua.set_field(g, b"_G", Value::Table(g))?;
    let v = lua.str_value(b"Lua 5.5")?;
    lua.set_field(g, b"_VERSION", v)?;
    let loaded = lua.loaded;
    lua.set_field(loaded, b"_G", Value::Table(g))?;
    Ok(())
}

/// Converts any value to its string form (`luaL_tolstring`), calling `__tostring`.
/// The result is pushed on the stack and returned.
pub fn to_string_meta(lua: &mut Lua, v: Value) -> LuaResult<Value> {
    let mm = lua.metamethod(&v, TagMethod::Index).is_nil(); // keep borrowck simple
    let _ = mm;
    if let Some(mt) = lua.metatable(&v) {
        let f = mt.get_str(lua.names.tostring, lua.seed);
        if !f.is_nil() {
            let th = lua.th();
            let top = th.top;
            th.ensure(&lua.heap, 3)
                .map_err(|o| crate::api::stack_error(lua, o))?;
            let th = lua.th();
            th.set(top, f);
            th.set(top + 1, v);
            th.top = top + 2;
            lua.call_nested(top, 1)?;
            let th = lua.th();
            let r = th.get(top);
            th.top = top;
            return match r {
                Value::Str(_) => Ok(r),
                Value::Int(_) | Value::Float(_) => plain_to_string(lua, r),
                _ => Err(lua.error_at_level(1, format_args!("'__tostring' must return a string"))),
            };
        }
    }
    plain_to_string(lua, v)
}

/// String form without `__tostring`.
pub fn plain_to_string(lua: &mut Lua, v: Value) -> LuaResult<Value> {
    let mut buf = Vec::new();
    match v {
        Value::Str(_) => return Ok(v),
        Value::Int(_) | Value::Float(_) => crate::tostr::number(&v, &mut buf)?,
        Value::Nil => buf.try_extend_from_slice(b"nil")?,
        Value::Bool(b) => buf.try_extend_from_slice(if b { b"true" } else { b"false" })?,
        other => {
            let tn = lua.type_name_of(&other);
            let mut b = Buf::default();
            let _ = write!(b, "{}: 0x{:x}", Bytes(tn.as_bytes()), other.identity());
            if b.failed {
                return Err(Error::Memory);
            }
            buf = b.bytes;
        }
    }
    lua.str_value(&buf)
}

fn print(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = cx.nargs();
    let mut line = Vec::new();
    for i in 1..=n {
        let v = cx.arg(i);
        let s = to_string_meta(cx.lua, v)?;
        if i > 1 {
            line.try_push(b'\t')?;
        }
        if let Value::Str(s) = s {
            line.try_extend_from_slice(s.as_bytes())?;
        }
    }
    line.try_push(b'\n')?;
    cx.lua.host.print(&line);
    Ok(Ret::Values(0))
}

fn tostring(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.check_any(1)?;
    let s = to_string_meta(cx.lua, v)?;
    cx.ret1(s)
}

fn type_(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.check_any(1)?;
    let s = cx.lua.str_value(v.type_of().name().as_bytes())?;
    cx.ret1(s)
}

fn assert(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.check_any(1)?;
    if v.truthy() {
        return Ok(Ret::Values(cx.nargs()));
    }
    // As `luaB_assert`: the message (default "assertion failed!") is raised like
    // `error(msg)`, so a string gets the caller's position.
    let msg = if cx.nargs() >= 2 {
        cx.arg(2)
    } else {
        cx.lua.str_value(b"assertion failed!")?
    };
    if let Value::Str(s) = msg {
        let text = crate::tvec::try_copy_of(s.as_bytes())?;
        return Err(cx.lua.error_at_level(1, format_args!("{}", Bytes(&text))));
    }
    Err(Error::Lua(msg))
}

fn error(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.arg(1);
    let level = cx.opt_int(2, 1)?;
    if let Value::Str(s) = v {
        if level > 0 {
            let msg = crate::tvec::try_copy_of(s.as_bytes())?;
            let e = cx
                .lua
                .error_at_level(level as usize, format_args!("{}", Bytes(&msg)));
            return Err(e);
        }
    }
    if v.is_nil() {
        // Lua 5.5: a nil error object becomes a message.
        let e = cx.lua.str_value(b"<no error object>")?;
        return Err(Error::Lua(e));
    }
    Err(Error::Lua(v))
}

fn pcall(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    cx.check_any(1)?;
    let n = cx.nargs();
    Ok(Ret::CallK {
        nargs: n - 1,
        nresults: MULTRET,
        k: finish_pcall,
        ctx: 0,
        protected: true,
    })
}

/// After the protected call: `true, results...` or `false, error`.
fn finish_pcall(cx: &mut Ctx<'_>, status: LuaResult<()>, _: usize) -> LuaResult<Ret> {
    let th = cx.lua.th();
    let start = th.frames.last().map_or(th.top, |f| f.pc);
    match status {
        Ok(()) => {
            // Results are at start..top; put `true` in front of them.
            let n = th.top - start;
            th.ensure(&cx.lua.heap, 1)
                .map_err(|o| crate::api::stack_error(cx.lua, o))?;
            let th = cx.lua.th();
            let mut i = th.top;
            while i > start {
                th.set(i, th.get(i - 1));
                i -= 1;
            }
            th.set(start, Value::Bool(true));
            th.top += 1;
            Ok(Ret::Values(n + 1))
        }
        Err(e) => {
            let ev = error_value(cx.lua, e);
            cx.lua.th().top = start;
            cx.push(Value::Bool(false))?;
            cx.push(ev)?;
            Ok(Ret::Values(2))
        }
    }
}

/// The value a caught error shows to Lua.
pub(crate) fn error_value(lua: &Lua, e: Error) -> Value {
    match e {
        Error::Lua(v) => v,
        Error::Memory => Value::Str(lua.mem_msg),
        Error::Abort => Value::Nil,
    }
}

/// `xpcall`, for hosts that run chunks with a message handler.
pub(crate) const XPCALL: NativeFn = xpcall;

/// Message handler that appends a traceback to string messages (as `lua.c` does).
pub(crate) fn traceback_handler(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let msg = cx.arg(1);
    let text = match msg {
        Value::Str(_) | Value::Int(_) | Value::Float(_) => {
            let s = plain_to_string(cx.lua, msg)?;
            match s {
                Value::Str(s) => crate::tvec::try_copy_of(s.as_bytes())?,
                _ => Vec::new(),
            }
        }
        Value::Nil => crate::tvec::try_copy_of(b"nil")?,
        other => {
            if cx
                .lua
                .metatable(&other)
                .is_some_and(|mt| !mt.get_str(cx.lua.names.tostring, cx.lua.seed).is_nil())
            {
                let s = to_string_meta(cx.lua, other)?;
                return cx.ret1(s);
            }
            let tn = cx.lua.type_name_of(&other);
            let mut b = Buf::default();
            let _ = write!(b, "(error object is a {} value)", Bytes(tn.as_bytes()));
            b.bytes
        }
    };
    let mut b = Buf::default();
    b.push_bytes(&text);
    b.push_bytes(b"\n");
    let th = cx.lua.current;
    crate::debug::traceback(cx.lua, &th, 1, &mut b);
    if b.failed {
        return Err(Error::Memory);
    }
    let v = cx.lua.str_value(&b.bytes)?;
    cx.ret1(v)
}

fn xpcall(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    if !cx.arg(2).is_function() {
        return Err(cx.type_error(2, "function"));
    }
    // Stack: f, handler, args... -> call f(args...) with the handler remembered.
    let handler_slot = cx.arg_slot(2);
    let n = cx.nargs();
    let f = cx.arg(1);
    // Move the function above the handler so that the call is `f(args...)`.
    let th = cx.lua.th();
    let base = cx.base;
    th.ensure(&cx.lua.heap, 1)
        .map_err(|o| crate::api::stack_error(cx.lua, o))?;
    let th = cx.lua.th();
    // Layout: [f][h][a1..]: rebuild as [f][h][f][a1..] by shifting args up one.
    let mut i = th.top;
    while i > base + 2 {
        th.set(i, th.get(i - 1));
        i -= 1;
    }
    th.set(base + 2, f);
    th.top += 1;
    if let Some(fr) = th.frames.last_mut() {
        fr.handler = handler_slot;
    }
    Ok(Ret::CallK {
        nargs: n - 2,
        nresults: MULTRET,
        k: finish_pcall,
        ctx: 0,
        protected: true,
    })
}

fn select(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = cx.nargs() as i64;
    if let Value::Str(s) = cx.arg(1) {
        if s.as_bytes() == b"#" {
            return cx.ret1(Value::Int(n - 1));
        }
    }
    let i = cx.check_int(1)?;
    let i = if i < 0 {
        n + i
    } else if i > n {
        n
    } else {
        i
    };
    if i < 1 {
        return Err(cx.arg_error(1, format_args!("index out of range")));
    }
    Ok(Ret::Values((n - i) as usize))
}

fn rawequal(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let a = cx.check_any(1)?;
    let b = cx.check_any(2)?;
    cx.ret1(Value::Bool(a.raw_eq(&b)))
}

fn rawlen(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = match cx.arg(1) {
        Value::Table(t) => t.length() as i64,
        Value::Str(s) => s.len() as i64,
        _ => return Err(cx.type_error(1, "table or string")),
    };
    cx.ret1(Value::Int(n))
}

fn rawget(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t = cx.check_table(1)?;
    let k = cx.check_any(2)?;
    let v = cx.lua.raw_get(t, &k);
    cx.ret1(v)
}

fn rawset(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t = cx.check_table(1)?;
    let k = cx.check_any(2)?;
    let v = cx.check_any(3)?;
    cx.lua.raw_set(t, k, v)?;
    cx.ret1(Value::Table(t))
}

fn getmetatable(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.check_any(1)?;
    let Some(mt) = cx.lua.metatable(&v) else {
        return cx.ret1(Value::Nil);
    };
    let protected = mt.get_str(cx.lua.names.metatable, cx.lua.seed);
    if !protected.is_nil() {
        return cx.ret1(protected);
    }
    cx.ret1(Value::Table(mt))
}

fn setmetatable(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t = cx.check_table(1)?;
    let mt = match cx.arg(2) {
        Value::Nil => None,
        Value::Table(m) => Some(m),
        _ => return Err(cx.type_error(2, "nil or table")),
    };
    if let Some(old) = t.metatable() {
        if !old.get_str(cx.lua.names.metatable, cx.lua.seed).is_nil() {
            return Err(cx.error(format_args!("cannot change a protected metatable")));
        }
    }
    t.meta.set(mt);
    if let Some(m) = mt {
        crate::collect::barrier_forward(cx.lua, t.as_header_ptr(), &Value::Table(m));
    }
    crate::collect::check_finalizer(cx.lua, &Value::Table(t), mt);
    cx.ret1(Value::Table(t))
}

fn next(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t = cx.check_table(1)?;
    let k = cx.arg(2);
    match t.next(&k, cx.lua.seed) {
        Ok(Some((k, v))) => {
            cx.push(k)?;
            cx.push(v)?;
            Ok(Ret::Values(2))
        }
        Ok(None) => cx.ret1(Value::Nil),
        Err(crate::table::InvalidKey) => Err(cx.error(format_args!("invalid key to 'next'"))),
    }
}

fn pairs(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.check_any(1)?;
    let mm = match cx.lua.metatable(&v) {
        Some(mt) => mt.get_str(cx.lua.names.pairs, cx.lua.seed),
        None => Value::Nil,
    };
    if mm.is_nil() {
        // Like PUC, no type check here: `next` complains when the loop calls it.
        cx.push(Value::NativeFn(next))?;
        cx.push(v)?;
        cx.push(Value::Nil)?;
        cx.push(Value::Nil)?;
        return Ok(Ret::Values(4));
    }
    cx.push(mm)?;
    cx.push(v)?;
    Ok(Ret::CallK {
        nargs: 1,
        nresults: 4,
        k: finish_pairs,
        ctx: 0,
        protected: false,
    })
}

fn finish_pairs(_cx: &mut Ctx<'_>, status: LuaResult<()>, _: usize) -> LuaResult<Ret> {
    status?;
    Ok(Ret::Values(4))
}

fn ipairs_aux(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let i = cx.check_int(2)?.wrapping_add(1);
    let t = cx.arg(1);
    let v = match t {
        Value::Table(tab) if tab.metatable().is_none() => tab.get_int(i),
        _ => {
            // Honour `__index` through a nested call to the VM's lookup.
            crate::nested::index_value(cx.lua, t, Value::Int(i))?
        }
    };
    if v.is_nil() {
        return cx.ret1(Value::Nil);
    }
    cx.push(Value::Int(i))?;
    cx.push(v)?;
    Ok(Ret::Values(2))
}

fn ipairs(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.check_any(1)?;
    cx.push(Value::NativeFn(ipairs_aux))?;
    cx.push(v)?;
    cx.push(Value::Int(0))?;
    Ok(Ret::Values(3))
}

fn tonumber(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    if cx.arg(2).is_nil() {
        let v = cx.check_any(1)?;
        let r = match v {
            Value::Int(_) | Value::Float(_) => v,
            Value::Str(_) => crate::arith::to_number(&v).unwrap_or(Value::Nil),
            _ => Value::Nil,
        };
        return cx.ret1(r);
    }
    let base = cx.check_int(2)?;
    let s = match cx.arg(1) {
        Value::Str(s) => s,
        _ => return Err(cx.type_error(1, "string")),
    };
    if !(2..=36).contains(&base) {
        return Err(cx.arg_error(2, format_args!("base out of range")));
    }
    let r = str_to_int_base(s.as_bytes(), base as u32).map_or(Value::Nil, Value::Int);
    cx.ret1(r)
}

/// `tonumber(s, base)`: an integer in `base`, with optional sign and spaces.
fn str_to_int_base(s: &[u8], base: u32) -> Option<i64> {
    let s = trim(s);
    let (neg, digits) = match s.split_first() {
        Some((b'-', r)) => (true, r),
        Some((b'+', r)) => (false, r),
        _ => (false, s),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for &c in digits {
        let d = (c as char).to_digit(36)?;
        if d >= base {
            return None;
        }
        n = n.wrapping_mul(base as i64).wrapping_add(d as i64);
    }
    Some(if neg { n.wrapping_neg() } else { n })
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|&c| !crate::number::is_space(c))
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|&c| !crate::number::is_space(c))
        .map_or(start, |e| e + 1);
    s.get(start..end).unwrap_or(&[])
}

/// The mode argument of `load`/`loadfile` (`getMode`): `B` (a fixed buffer, in C) is
/// not for Lua code.
fn load_mode(cx: &mut Ctx<'_>, i: usize) -> LuaResult<Mode> {
    match cx.opt_str(i)? {
        Some(m) if m.as_bytes().contains(&b'B') => {
            Err(cx.arg_error(i, format_args!("invalid mode")))
        }
        Some(m) => Ok(Mode::parse(m.as_bytes())),
        None => Ok(Mode::Both),
    }
}

fn load(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let chunk = cx.arg(1);
    let mode = load_mode(cx, 3)?;
    let env = if cx.nargs() >= 4 {
        Some(cx.arg(4))
    } else {
        None
    };
    let source: Vec<u8> = match chunk {
        Value::Str(s) => crate::tvec::try_copy_of(s.as_bytes())?,
        // As `lua_load` runs the reader in protected mode, its errors are returned.
        f if f.is_function() => match read_chunk_function(cx, f) {
            Ok(src) => src,
            Err(e) if e.is_catchable() => {
                let msg = error_value(cx.lua, e);
                cx.push(Value::Nil)?;
                cx.push(msg)?;
                return Ok(Ret::Values(2));
            }
            Err(e) => return Err(e),
        },
        _ => return Err(cx.type_error(1, "string")),
    };
    let name: Vec<u8> = match cx.opt_str(2)? {
        Some(n) => crate::tvec::try_copy_of(n.as_bytes())?,
        None => match chunk {
            Value::Str(_) => crate::tvec::try_copy_of(&source)?,
            _ => crate::tvec::try_copy_of(b"=(load)")?,
        },
    };
    match cx.lua.load(&source, &name, mode, env) {
        Ok(f) => cx.ret1(f),
        Err(Error::Lua(msg)) => {
            cx.push(Value::Nil)?;
            cx.push(msg)?;
            Ok(Ret::Values(2))
        }
        Err(e) => Err(e),
    }
}

/// Calls a `load` reader function until it returns nil or an empty string.
fn read_chunk_function(cx: &mut Ctx<'_>, f: Value) -> LuaResult<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let th = cx.lua.th();
        let top = th.top;
        th.ensure(&cx.lua.heap, 2)
            .map_err(|o| crate::api::stack_error(cx.lua, o))?;
        let th = cx.lua.th();
        th.set(top, f);
        th.top = top + 1;
        cx.lua.call_nested(top, 1)?;
        let th = cx.lua.th();
        let piece = th.get(top);
        th.top = top;
        match piece {
            Value::Nil => break,
            Value::Str(s) if s.is_empty() => break,
            Value::Str(s) => out.try_extend_from_slice(s.as_bytes())?,
            _ => return Err(cx.error(format_args!("reader function must return a string"))),
        }
    }
    Ok(out)
}

fn load_file_source(cx: &mut Ctx<'_>, name: Option<&[u8]>) -> LuaResult<(Vec<u8>, Vec<u8>)> {
    let Some(name) = name else {
        return Err(cx.error(format_args!("reading from stdin is not supported here")));
    };
    match cx.lua.host.load_file(name) {
        Ok(src) => {
            let mut chunk = Vec::new();
            chunk.try_push(b'@')?;
            chunk.try_extend_from_slice(name)?;
            // Skip a first line starting with '#' (shebang), keeping line numbers.
            let src = if src.first() == Some(&b'#') {
                let nl = src.iter().position(|&c| c == b'\n').unwrap_or(src.len());
                let mut s = Vec::new();
                s.try_extend_from_slice(src.get(nl..).unwrap_or(&[]))?;
                s
            } else {
                src
            };
            Ok((src, chunk))
        }
        Err(msg) => {
            let m = if msg.is_empty() {
                crate::tvec::try_copy_of(b"cannot open file")?
            } else {
                msg
            };
            let v =
                cx.lua
                    .format_value(format_args!("cannot open {}: {}", Bytes(name), Bytes(&m)))?;
            Err(Error::Lua(v))
        }
    }
}

fn loadfile(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = match cx.opt_str(1)? {
        Some(n) => Some(crate::tvec::try_copy_of(n.as_bytes())?),
        None => None,
    };
    let mode = load_mode(cx, 2)?;
    let env = if cx.nargs() >= 3 {
        Some(cx.arg(3))
    } else {
        None
    };
    let r = load_file_source(cx, name.as_deref())
        .and_then(|(src, chunk)| cx.lua.load(&src, &chunk, mode, env));
    match r {
        Ok(f) => cx.ret1(f),
        Err(Error::Lua(msg)) => {
            cx.push(Value::Nil)?;
            cx.push(msg)?;
            Ok(Ret::Values(2))
        }
        Err(e) => Err(e),
    }
}

fn dofile(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = match cx.opt_str(1)? {
        Some(n) => Some(crate::tvec::try_copy_of(n.as_bytes())?),
        None => None,
    };
    let (src, chunk) = load_file_source(cx, name.as_deref())?;
    let f = cx.lua.load(&src, &chunk, Mode::Both, None)?;
    cx.set_top(0)?;
    cx.push(f)?;
    Ok(Ret::CallK {
        nargs: 0,
        nresults: MULTRET,
        k: pass_all,
        ctx: 0,
        protected: false,
    })
}

fn pass_all(cx: &mut Ctx<'_>, status: LuaResult<()>, _: usize) -> LuaResult<Ret> {
    status?;
    Ok(Ret::Values(cx.nargs()))
}

fn collectgarbage(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    const OPTS: &[&str] = &[
        "collect",
        "stop",
        "restart",
        "count",
        "step",
        "isrunning",
        "generational",
        "incremental",
        "param",
    ];
    let opt = cx.check_option(1, Some("collect"), OPTS)?;
    let heap = &cx.lua.heap;
    match opt {
        0 => {
            crate::collect::full(cx.lua);
            crate::collect::run_finalizers(cx.lua, usize::MAX)?;
            cx.ret1(Value::Int(0))
        }
        1 => {
            heap.running.set(false);
            cx.ret1(Value::Int(0))
        }
        2 => {
            heap.running.set(true);
            cx.ret1(Value::Int(0))
        }
        3 => {
            let kb = heap.bytes() as f64 / 1024.0;
            cx.ret1(Value::Float(kb))
        }
        4 => {
            let was_running = heap.running.get();
            heap.running.set(true);
            let before = heap.phase.get();
            crate::collect::step(cx.lua)?;
            cx.lua.heap.running.set(was_running);
            let done = cx.lua.heap.phase.get() == crate::gc::Phase::Pause
                && before != crate::gc::Phase::Pause;
            cx.ret1(Value::Bool(done))
        }
        5 => cx.ret1(Value::Bool(heap.running.get())),
        6 | 7 => {
            // The collector is always incremental; the mode is remembered so that
            // switching reports the previous one, as the manual describes.
            let was_gen = heap.generational.replace(opt == 6);
            let prev = cx.lua.str_value(if was_gen {
                b"generational"
            } else {
                b"incremental"
            })?;
            cx.ret1(prev)
        }
        _ => {
            const PARAMS: &[&str] = &[
                "pause",
                "stepmul",
                "stepsize",
                "minormul",
                "majorminor",
                "minormajor",
            ];
            let p = cx.check_option(2, None, PARAMS)?;
            let new = if cx.arg(3).is_nil() {
                None
            } else {
                Some(cx.check_int(3)?.clamp(0, u32::MAX as i64) as u32)
            };
            let heap = &cx.lua.heap;
            let old = match p {
                0..=2 => {
                    let cell = [&heap.pause, &heap.step_mul, &heap.step_size][p];
                    let old = cell.get();
                    if let Some(v) = new {
                        cell.set(v.max(1));
                    }
                    old
                }
                _ => {
                    let mut params = heap.gen_params.get();
                    let slot = &mut params[p - 3];
                    let old = *slot;
                    if let Some(v) = new {
                        *slot = v;
                    }
                    heap.gen_params.set(params);
                    old
                }
            };
            cx.ret1(Value::Int(old as i64))
        }
    }
}

fn warn(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = cx.nargs();
    cx.check_str(1)?;
    for i in 2..=n {
        cx.check_str(i)?;
    }
    let mut msg = Vec::new();
    for i in 1..=n {
        if let Value::Str(s) = cx.arg(i) {
            msg.try_extend_from_slice(s.as_bytes())?;
        }
    }
    if n == 1 && msg.first() == Some(&b'@') {
        match msg.as_slice() {
            b"@on" => cx.lua.warn_on = true,
            b"@off" => cx.lua.warn_on = false,
            _ => {}
        }
        return Ok(Ret::Values(0));
    }
    if cx.lua.warn_on {
        cx.lua.host.warn(&msg);
    }
    Ok(Ret::Values(0))
}

/// Sends a warning built from pieces, if warnings are on.
pub(crate) fn emit_warning(lua: &mut Lua, parts: &[&[u8]]) {
    if !lua.warn_on {
        return;
    }
    let mut msg = Vec::new();
    for p in parts {
        if msg.try_extend_from_slice(p).is_err() {
            return;
        }
    }
    lua.host.warn(&msg);
}
