//! The string library (§6.4): byte-string operations, Lua patterns ([`pattern`]),
//! `string.format` ([`format`]) and binary packing ([`pack`]).
//!
//! Results are built in a fallibly grown `Vec<u8>` and interned once with
//! `Lua::str_value`, so every byte is charged to the runtime's memory limit and a failed
//! allocation is a Lua memory error. Sizes follow lstrlib.c: no single operation builds
//! a string longer than `MAX_SIZE` (C's `INT_MAX`).

mod format;
mod pack;
pub(crate) mod pattern;

use alloc::vec::Vec;

use crate::api::{Bytes, Ctx, NativeFn, Ret};
use crate::error::{Error, LuaResult};
use crate::func::NativeClosure;
use crate::gc::{Gc, Kind};
use crate::state::Lua;
use crate::tvec::{try_with_capacity, TryVec};
use crate::value::{Type, Value};

use pattern::{CapValue, Matcher};

/// Longest string an operation of this library builds (lstrlib.c's `MAXSIZE`).
pub(crate) const MAX_SIZE: usize = i32::MAX as usize;

/// Registers `string` and makes it the `__index` of the string metatable.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<()> {
    let t = lua.new_table()?;
    let funcs: &[(&[u8], NativeFn)] = &[
        (b"byte", byte),
        (b"char", char),
        (b"dump", dump),
        (b"find", find),
        (b"format", format::format),
        (b"gmatch", gmatch),
        (b"gsub", gsub),
        (b"len", len),
        (b"lower", lower),
        (b"match", match_),
        (b"pack", pack::pack),
        (b"packsize", pack::packsize),
        (b"rep", rep),
        (b"reverse", reverse),
        (b"sub", sub),
        (b"unpack", pack::unpack),
        (b"upper", upper),
    ];
    for (name, f) in funcs {
        lua.set_field(t, name, Value::NativeFn(*f))?;
    }
    let meta = lua.new_table()?;
    lua.set_field(meta, b"__index", Value::Table(t))?;
    lua.set_type_metatable(Type::String, Some(meta));
    lua.set_global(b"string", Value::Table(t))?;
    let loaded = lua.loaded;
    lua.set_field(loaded, b"string", Value::Table(t))
}

/// Fails with a memory error if a buffer of `len` bytes would not fit in the runtime's
/// memory limit. Result buffers are plain vectors, outside the heap's accounting until
/// the result is interned; checking them against the limit as they grow keeps a script
/// from using far more than its limit transiently.
///
/// # Errors
/// `Error::Memory` when `len` more bytes would pass the limit.
pub(crate) fn check_room(lua: &Lua, len: usize) -> LuaResult<()> {
    let limit = lua.heap.limit();
    if limit != 0 && lua.heap.bytes().saturating_add(len) > limit {
        return Err(Error::Memory);
    }
    Ok(())
}

/// A start position (`posrelatI`): negative counts from the end, and anything before
/// the start clips to 1.
pub(crate) fn start_pos(pos: i64, len: usize) -> usize {
    let len_i = len as i64;
    if pos > 0 {
        usize::try_from(pos).unwrap_or(usize::MAX)
    } else if pos == 0 || pos < -len_i {
        1
    } else {
        (len_i + pos + 1) as usize
    }
}

/// An end position (`getendpos`): clipped to `0..=len`, negative counting from the end.
pub(crate) fn end_pos(pos: i64, len: usize) -> usize {
    let len_i = len as i64;
    if pos > len_i {
        len
    } else if pos >= 0 {
        pos as usize
    } else if pos < -len_i {
        0
    } else {
        (len_i + pos + 1) as usize
    }
}

/// Interns `bytes` and returns it as the only result.
fn ret_bytes(cx: &mut Ctx<'_>, bytes: &[u8]) -> LuaResult<Ret> {
    let v = cx.lua.str_value(bytes)?;
    cx.ret1(v)
}

/// `string.len (s)`
fn len(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = cx.check_str(1)?;
    cx.ret1(Value::Int(s.len() as i64))
}

/// `string.sub (s, i [, j])`
fn sub(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = cx.check_str(1)?;
    let l = s.len();
    let start = start_pos(cx.check_int(2)?, l);
    let end = end_pos(cx.opt_int(3, -1)?, l);
    let piece = if start <= end {
        s.as_bytes().get(start - 1..end).unwrap_or(&[])
    } else {
        &[]
    };
    ret_bytes(cx, piece)
}

/// `string.byte (s [, i [, j]])`
fn byte(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = cx.check_str(1)?;
    let l = s.len();
    let raw_pi = cx.opt_int(2, 1)?;
    // `j` defaults to `i` as given, before `i` is adjusted: `byte(s, 0)` is empty.
    let pose = end_pos(cx.opt_int(3, raw_pi)?, l);
    let pi = start_pos(raw_pi, l);
    if pi > pose {
        return Ok(Ret::Values(0));
    }
    if pose - pi >= MAX_SIZE {
        return Err(cx.error(format_args!("string slice too long")));
    }
    let bytes = s.as_bytes().get(pi - 1..pose).unwrap_or(&[]);
    for &b in bytes {
        cx.push(Value::Int(i64::from(b)))?;
    }
    Ok(Ret::Values(bytes.len()))
}

/// `string.char (...)`
fn char(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = cx.nargs();
    let mut out = try_with_capacity(n)?;
    for i in 1..=n {
        let c = cx.check_int(i)?;
        let Ok(b) = u8::try_from(c) else {
            return Err(cx.arg_error(i, format_args!("value out of range")));
        };
        out.try_push(b)?;
    }
    ret_bytes(cx, &out)
}

/// `string.lower (s)`: ASCII only, as in the C locale.
fn lower(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = cx.check_str(1)?;
    let mut out = crate::tvec::try_copy_of(s.as_bytes())?;
    out.make_ascii_lowercase();
    ret_bytes(cx, &out)
}

/// `string.upper (s)`: ASCII only, as in the C locale.
fn upper(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = cx.check_str(1)?;
    let mut out = crate::tvec::try_copy_of(s.as_bytes())?;
    out.make_ascii_uppercase();
    ret_bytes(cx, &out)
}

/// `string.reverse (s)`
fn reverse(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = cx.check_str(1)?;
    let mut out = crate::tvec::try_copy_of(s.as_bytes())?;
    out.reverse();
    ret_bytes(cx, &out)
}

/// `string.rep (s, n [, sep])`
fn rep(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = cx.check_str(1)?;
    let n = cx.check_int(2)?;
    let sep = cx.opt_str(3)?;
    let sep = sep.as_ref().map_or(&[][..], |g| g.as_bytes());
    if n <= 0 {
        return ret_bytes(cx, b"");
    }
    let unit = s.len() + sep.len();
    let n = usize::try_from(n).unwrap_or(usize::MAX);
    if unit > MAX_SIZE / n {
        return Err(cx.error(format_args!("resulting string too large")));
    }
    if unit == 0 {
        return ret_bytes(cx, b"");
    }
    let total = n * s.len() + (n - 1) * sep.len();
    check_room(cx.lua, total)?;
    let mut out = try_with_capacity(total)?;
    for i in 0..n {
        if i > 0 {
            out.try_extend_from_slice(sep)?;
        }
        out.try_extend_from_slice(s.as_bytes())?;
    }
    ret_bytes(cx, &out)
}

/// `string.dump (f [, strip])`: the binary chunk of a Lua function (`dump.rs`). Dumping is
/// always allowed: only loading binary chunks is a risk, and `Config::allow_binary`
/// guards that.
fn dump(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    cx.check_type(1, Type::Function)?;
    let Value::LuaFn(f) = cx.arg(1) else {
        return Err(cx.error(format_args!("unable to dump given function")));
    };
    let strip = cx.arg(2).truthy();
    let mut out = Vec::new();
    match crate::dump::dump(&f.proto, f.upvals.len(), strip, &mut out) {
        Ok(()) => ret_bytes(cx, &out),
        Err(crate::dump::DumpError) => Err(Error::Memory),
    }
}

// ---- pattern matching ----

/// Pushes capture `i` of the match `s..e`.
fn push_capture(cx: &mut Ctx<'_>, m: &Matcher<'_>, i: usize, s: usize, e: usize) -> LuaResult<()> {
    let v = capture_value(cx.lua, m, i, s, e)?;
    cx.push(v)
}

/// Capture `i` of the match `s..e` as a Lua value.
fn capture_value(lua: &mut Lua, m: &Matcher<'_>, i: usize, s: usize, e: usize) -> LuaResult<Value> {
    match m.get_capture(lua, i, s, e)? {
        CapValue::Bytes(b) => lua.str_value(b),
        CapValue::Position(p) => Ok(Value::Int(p)),
    }
}

/// Pushes every capture of the match `s..e` (the whole match if it has none and
/// `whole`); returns how many.
fn push_captures(
    cx: &mut Ctx<'_>,
    m: &Matcher<'_>,
    s: usize,
    e: usize,
    whole: bool,
) -> LuaResult<usize> {
    let n = m.capture_count(whole);
    for i in 0..n {
        push_capture(cx, m, i, s, e)?;
    }
    Ok(n)
}

/// `find` and `match` (`str_find_aux`).
fn find_aux(cx: &mut Ctx<'_>, find: bool) -> LuaResult<Ret> {
    let s = cx.check_str(1)?;
    let p = cx.check_str(2)?;
    let (src, pat) = (s.as_bytes(), p.as_bytes());
    let init = start_pos(cx.opt_int(3, 1)?, src.len()) - 1;
    if init > src.len() {
        return cx.ret1(Value::Nil);
    }
    if find && (cx.arg(4).truthy() || pattern::no_specials(pat)) {
        let hay = src.get(init..).unwrap_or(&[]);
        if let Some(at) = pattern::find_plain(hay, pat) {
            let start = init + at;
            cx.push(Value::Int(start as i64 + 1))?;
            cx.push(Value::Int((start + pat.len()) as i64))?;
            return Ok(Ret::Values(2));
        }
        return cx.ret1(Value::Nil);
    }
    let anchor = pat.first() == Some(&b'^');
    let p0 = usize::from(anchor);
    let mut m = Matcher::new(src, pat);
    let mut s1 = init;
    loop {
        if let Some(e) = m.do_match(cx.lua, s1, p0)? {
            if find {
                cx.push(Value::Int(s1 as i64 + 1))?;
                cx.push(Value::Int(e as i64))?;
                let n = push_captures(cx, &m, s1, e, false)?;
                return Ok(Ret::Values(n + 2));
            }
            let n = push_captures(cx, &m, s1, e, true)?;
            return Ok(Ret::Values(n));
        }
        s1 += 1;
        if anchor || s1 > src.len() {
            return cx.ret1(Value::Nil);
        }
    }
}

/// `string.find (s, pattern [, init [, plain]])`
fn find(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    find_aux(cx, true)
}

/// `string.match (s, pattern [, init])`
fn match_(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    find_aux(cx, false)
}

/// `string.gmatch (s, pattern [, init])`: an iterator closure over
/// `{s, pattern, next start, end of the last match (-1: none)}`.
fn gmatch(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = cx.check_str(1)?;
    let p = cx.check_str(2)?;
    let mut init = start_pos(cx.opt_int(3, 1)?, s.len()) - 1;
    if init > s.len() {
        init = s.len() + 1;
    }
    let mut upvals = try_with_capacity(4)?;
    upvals.try_push(Value::Str(s))?;
    upvals.try_push(Value::Str(p))?;
    upvals.try_push(Value::Int(init as i64))?;
    upvals.try_push(Value::Int(-1))?;
    cx.lua
        .heap
        .charge(upvals.capacity() * core::mem::size_of::<Value>())?;
    let c = cx.lua.heap.alloc_box(
        Kind::NativeClosure,
        NativeClosure {
            f: gmatch_aux,
            upvals,
        },
        0,
    )?;
    cx.ret1(Value::NativeClosure(c))
}

/// The running native closure (the `gmatch` iterator reads its state from it).
fn running_closure(cx: &Ctx<'_>) -> Option<Gc<NativeClosure>> {
    let th = cx.lua.th();
    match th.frames.last().map(|f| th.get(f.func)) {
        Some(Value::NativeClosure(c)) => Some(c),
        _ => None,
    }
}

/// One step of a `gmatch` iteration.
fn gmatch_aux(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let Some(c) = running_closure(cx) else {
        return Ok(Ret::Values(0));
    };
    let (
        Some(Value::Str(s)),
        Some(Value::Str(p)),
        Some(&Value::Int(from)),
        Some(&Value::Int(last)),
    ) = (
        c.upvals.first().copied(),
        c.upvals.get(1).copied(),
        c.upvals.get(2),
        c.upvals.get(3),
    )
    else {
        return Ok(Ret::Values(0));
    };
    let src = s.as_bytes();
    let mut m = Matcher::new(src, p.as_bytes());
    let mut start = usize::try_from(from).unwrap_or(usize::MAX);
    while start <= src.len() {
        if let Some(e) = m.do_match(cx.lua, start, 0)? {
            if e as i64 != last {
                // SAFETY: the closure is live (it is running) and no other reference
                // to its upvalue vector exists during this assignment; integers need no
                // collector barrier.
                let state = unsafe { c.get_mut() };
                if let Some(slot) = state.upvals.get_mut(2) {
                    *slot = Value::Int(e as i64);
                }
                if let Some(slot) = state.upvals.get_mut(3) {
                    *slot = Value::Int(e as i64);
                }
                let n = push_captures(cx, &m, start, e, true)?;
                return Ok(Ret::Values(n));
            }
        }
        start += 1;
    }
    Ok(Ret::Values(0))
}

/// The replacement argument of `gsub`.
#[derive(Clone, Copy)]
enum Repl {
    Str(Gc<crate::lstr::LStr>),
    Table(Value),
    Func(Value),
}

/// Appends the expansion of a replacement string for the match `s..e` (`add_s`).
fn add_s(
    lua: &mut Lua,
    out: &mut Vec<u8>,
    m: &Matcher<'_>,
    repl: &[u8],
    s: usize,
    e: usize,
) -> LuaResult<()> {
    let mut rest = repl;
    while let Some(at) = rest.iter().position(|&b| b == b'%') {
        out.try_extend_from_slice(rest.get(..at).unwrap_or(&[]))?;
        let code = rest.get(at + 1).copied();
        match code {
            Some(b'%') => out.try_push(b'%')?,
            Some(b'0') => out.try_extend_from_slice(m.src.get(s..e).unwrap_or(&[]))?,
            Some(d) if d.is_ascii_digit() && usize::from(d - b'1') >= m.level.max(1) => {
                return Err(lua.error_at_level(
                    1,
                    format_args!("invalid capture index %{} in replacement string", d - b'0'),
                ));
            }
            Some(d) if d.is_ascii_digit() => {
                match m.get_capture(lua, usize::from(d - b'1'), s, e)? {
                    CapValue::Bytes(b) => out.try_extend_from_slice(b)?,
                    CapValue::Position(p) => crate::numfmt::fmt_int(out, p)?,
                }
            }
            _ => {
                return Err(
                    lua.error_at_level(1, format_args!("invalid use of '%' in replacement string"))
                )
            }
        }
        rest = rest.get(at + 2..).unwrap_or(&[]);
    }
    out.try_extend_from_slice(rest)?;
    Ok(())
}

/// Appends the replacement for the match `s..e` (`add_value`).
fn add_value(
    cx: &mut Ctx<'_>,
    out: &mut Vec<u8>,
    m: &Matcher<'_>,
    repl: Repl,
    s: usize,
    e: usize,
) -> LuaResult<()> {
    let v = match repl {
        Repl::Str(r) => return add_s(cx.lua, out, m, r.as_bytes(), s, e),
        Repl::Table(t) => {
            let k = capture_value(cx.lua, m, 0, s, e)?;
            crate::nested::index_value(cx.lua, t, k)?
        }
        Repl::Func(f) => {
            let n = m.capture_count(true);
            let mut args = try_with_capacity(n)?;
            for i in 0..n {
                args.try_push(capture_value(cx.lua, m, i, s, e)?)?;
            }
            crate::nested::call1(cx.lua, f, &args)?
        }
    };
    match v {
        Value::Nil | Value::Bool(false) => {
            out.try_extend_from_slice(m.src.get(s..e).unwrap_or(&[]))?
        }
        Value::Str(r) => out.try_extend_from_slice(r.as_bytes())?,
        Value::Int(_) | Value::Float(_) => crate::tostr::number(&v, out)?,
        other => {
            let tn = other.type_of().name();
            return Err(cx.error(format_args!(
                "invalid replacement value (a {})",
                Bytes(tn.as_bytes())
            )));
        }
    }
    Ok(())
}

/// `string.gsub (s, pattern, repl [, n])`
fn gsub(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = cx.check_str(1)?;
    let p = cx.check_str(2)?;
    let repl = match cx.arg(3) {
        Value::Str(r) => Repl::Str(r),
        Value::Int(_) | Value::Float(_) => Repl::Str(cx.check_str(3)?),
        t @ Value::Table(_) => Repl::Table(t),
        f if f.is_function() => Repl::Func(f),
        _ => return Err(cx.type_error(3, "string/function/table")),
    };
    let (src, pat) = (s.as_bytes(), p.as_bytes());
    let max_s = cx.opt_int(4, src.len() as i64 + 1)?;
    let anchor = pat.first() == Some(&b'^');
    let p0 = usize::from(anchor);
    let mut m = Matcher::new(src, pat);
    let mut out = Vec::new();
    let mut at = 0usize;
    let mut last: Option<usize> = None;
    let mut n = 0i64;
    while n < max_s {
        let e = m.do_match(cx.lua, at, p0)?;
        match e {
            Some(e) if Some(e) != last => {
                n += 1;
                add_value(cx, &mut out, &m, repl, at, e)?;
                check_room(cx.lua, out.len())?;
                at = e;
                last = Some(e);
            }
            _ => {
                let Some(&b) = src.get(at) else { break };
                out.try_push(b)?;
                at += 1;
            }
        }
        if anchor {
            break;
        }
    }
    out.try_extend_from_slice(src.get(at..).unwrap_or(&[]))?;
    let r = cx.lua.str_value(&out)?;
    cx.push(r)?;
    cx.push(Value::Int(n))?;
    Ok(Ret::Values(2))
}
