//! The UTF-8 library (§6.5). Strict mode accepts code points up to U+10FFFF without
//! surrogates; lax mode accepts PUC's extended encoding of up to six bytes (values up to
//! 2^31 - 1). Overlong encodings are rejected in both.

use alloc::vec::Vec;

use crate::api::{Ctx, NativeFn, Ret};
use crate::error::LuaResult;
use crate::state::Lua;
use crate::tvec::{try_with_capacity, TryVec};
use crate::value::Value;

/// Largest code point in strict mode.
const MAX_UNICODE: u64 = 0x10_FFFF;
/// Largest value the extended encoding carries.
const MAX_UTF: u64 = 0x7FFF_FFFF;
/// The error for an invalid byte sequence.
const MSG_INVALID: &str = "invalid UTF-8 code";

/// Registers `utf8`.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<()> {
    let t = lua.new_table()?;
    let funcs: &[(&[u8], NativeFn)] = &[
        (b"char", char),
        (b"codepoint", codepoint),
        (b"codes", codes),
        (b"len", len),
        (b"offset", offset),
    ];
    for (name, f) in funcs {
        lua.set_field(t, name, Value::NativeFn(*f))?;
    }
    let pattern = lua.str_value(b"[\0-\x7F\xC2-\xFD][\x80-\xBF]*")?;
    lua.set_field(t, b"charpattern", pattern)?;
    lua.set_global(b"utf8", Value::Table(t))?;
    let loaded = lua.loaded;
    lua.set_field(loaded, b"utf8", Value::Table(t))
}

/// Is `b` a continuation byte (`10xxxxxx`)? Past the end counts as the C string's NUL.
fn is_cont(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(|&b| b & 0xC0 == 0x80)
}

/// A position relative to the string (`u_posrelat`): negative counts from the end.
fn pos_relat(pos: i64, len: usize) -> i64 {
    if pos >= 0 {
        pos
    } else if pos.unsigned_abs() > len as u64 {
        0
    } else {
        len as i64 + pos + 1
    }
}

/// Decodes the sequence at `s[i..]` (`utf8_decode`): the code point and the index after
/// it, or `None` for an invalid sequence.
fn decode(s: &[u8], i: usize, strict: bool) -> Option<(u64, usize)> {
    const LIMITS: [u64; 6] = [!0, 0x80, 0x800, 0x1_0000, 0x20_0000, 0x400_0000];
    let mut c = u64::from(*s.get(i)?);
    let mut res: u64 = 0;
    let mut count = 0;
    if c >= 0x80 {
        while c & 0x40 != 0 {
            count += 1;
            if count > 5 {
                return None;
            }
            let cc = u64::from(s.get(i + count).copied().unwrap_or(0));
            if cc & 0xC0 != 0x80 {
                return None;
            }
            res = (res << 6) | (cc & 0x3F);
            c <<= 1;
        }
        res |= (c & 0x7F) << (count * 5);
        if res > MAX_UTF || LIMITS.get(count).is_none_or(|&lim| res < lim) {
            return None;
        }
    } else {
        res = c;
    }
    if strict && (res > MAX_UNICODE || (0xD800..=0xDFFF).contains(&res)) {
        return None;
    }
    Some((res, i + count + 1))
}

/// Appends the (extended) UTF-8 encoding of `x <= MAX_UTF` (`luaO_utf8esc`).
fn encode(out: &mut Vec<u8>, mut x: u64) -> LuaResult<()> {
    if x < 0x80 {
        out.try_push(x as u8)?;
        return Ok(());
    }
    let mut buf = [0u8; 8];
    let mut n = 0;
    let mut max_first = 0x3f;
    loop {
        if let Some(slot) = buf.get_mut(7 - n) {
            *slot = 0x80 | (x & 0x3f) as u8;
        }
        n += 1;
        x >>= 6;
        max_first >>= 1;
        if x <= max_first {
            break;
        }
    }
    if let Some(slot) = buf.get_mut(7 - n) {
        *slot = ((!max_first << 1) | x) as u8;
    }
    out.try_extend_from_slice(buf.get(7 - n..).unwrap_or(&[]))?;
    Ok(())
}

/// `utf8.char (···)`
fn char(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = cx.nargs();
    let mut out = try_with_capacity(n)?;
    for i in 1..=n {
        let code = cx.check_int(i)? as u64;
        if code > MAX_UTF {
            return Err(cx.arg_error(i, format_args!("value out of range")));
        }
        encode(&mut out, code)?;
    }
    let v = cx.lua.str_value(&out)?;
    cx.ret1(v)
}

/// `utf8.codepoint (s [, i [, j [, lax]]])`
fn codepoint(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = cx.check_str(1)?;
    let bytes = s.as_bytes();
    let len = bytes.len();
    let posi = pos_relat(cx.opt_int(2, 1)?, len);
    let pose = pos_relat(cx.opt_int(3, posi)?, len);
    let strict = !cx.arg(4).truthy();
    if posi < 1 {
        return Err(cx.arg_error(2, format_args!("out of bounds")));
    }
    if pose > len as i64 {
        return Err(cx.arg_error(3, format_args!("out of bounds")));
    }
    if posi > pose {
        return Ok(Ret::Values(0));
    }
    if pose - posi >= i64::from(i32::MAX) {
        return Err(cx.error(format_args!("string slice too long")));
    }
    let end = pose as usize;
    let mut at = posi as usize - 1;
    let mut n = 0;
    while at < end {
        let Some((code, next)) = decode(bytes, at, strict) else {
            return Err(cx.error(format_args!("{}", MSG_INVALID)));
        };
        cx.push(Value::Int(code as i64))?;
        n += 1;
        at = next;
    }
    Ok(Ret::Values(n))
}

/// `utf8.len (s [, i [, j [, lax]]])`: the count, or fail and the first bad position.
fn len(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = cx.check_str(1)?;
    let bytes = s.as_bytes();
    let len = bytes.len() as i64;
    let posi = pos_relat(cx.opt_int(2, 1)?, bytes.len());
    let posj = pos_relat(cx.opt_int(3, -1)?, bytes.len());
    let strict = !cx.arg(4).truthy();
    if !(1 <= posi && posi - 1 <= len) {
        return Err(cx.arg_error(2, format_args!("initial position out of bounds")));
    }
    if posj > len {
        return Err(cx.arg_error(3, format_args!("final position out of bounds")));
    }
    let (mut at, last) = (posi - 1, posj - 1);
    let mut n = 0i64;
    while at <= last {
        match decode(bytes, at as usize, strict) {
            Some((_, next)) => at = next as i64,
            None => {
                cx.push(Value::Nil)?;
                cx.push(Value::Int(at + 1))?;
                return Ok(Ret::Values(2));
            }
        }
        n += 1;
    }
    cx.ret1(Value::Int(n))
}

/// `utf8.offset (s, n [, i])`: start and end of the `n`-th character counted from `i`.
fn offset(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = cx.check_str(1)?;
    let bytes = s.as_bytes();
    let len = bytes.len() as i64;
    let mut n = cx.check_int(2)?;
    let default = if n >= 0 { 1 } else { len + 1 };
    let posi = pos_relat(cx.opt_int(3, default)?, bytes.len());
    if !(1 <= posi && posi - 1 <= len) {
        return Err(cx.arg_error(3, format_args!("position out of bounds")));
    }
    let mut at = (posi - 1) as usize;
    if n == 0 {
        while at > 0 && is_cont(bytes, at) {
            at -= 1;
        }
    } else {
        if is_cont(bytes, at) {
            return Err(cx.error(format_args!("initial position is a continuation byte")));
        }
        if n < 0 {
            while n < 0 && at > 0 {
                at -= 1;
                while at > 0 && is_cont(bytes, at) {
                    at -= 1;
                }
                n += 1;
            }
        } else {
            n -= 1;
            while n > 0 && (at as i64) < len {
                at += 1;
                while is_cont(bytes, at) {
                    at += 1;
                }
                n -= 1;
            }
        }
    }
    if n != 0 {
        return cx.ret1(Value::Nil);
    }
    let start = at;
    if bytes.get(at).is_some_and(|&b| b & 0x80 != 0) {
        if is_cont(bytes, at) {
            return Err(cx.error(format_args!("initial position is a continuation byte")));
        }
        while is_cont(bytes, at + 1) {
            at += 1;
        }
    }
    cx.push(Value::Int(start as i64 + 1))?;
    cx.push(Value::Int(at as i64 + 1))?;
    Ok(Ret::Values(2))
}

/// One step of `utf8.codes`: the position and code point after position `arg 2`.
fn codes_step(cx: &mut Ctx<'_>, strict: bool) -> LuaResult<Ret> {
    let s = cx.check_str(1)?;
    let bytes = s.as_bytes();
    let mut n = crate::arith::to_integer(&cx.arg(2)).unwrap_or(0) as u64 as usize;
    if n < bytes.len() {
        while is_cont(bytes, n) {
            n += 1;
        }
    }
    if n >= bytes.len() {
        return Ok(Ret::Values(0));
    }
    match decode(bytes, n, strict) {
        Some((code, next)) if !is_cont(bytes, next) => {
            cx.push(Value::Int(n as i64 + 1))?;
            cx.push(Value::Int(code as i64))?;
            Ok(Ret::Values(2))
        }
        _ => Err(cx.error(format_args!("{}", MSG_INVALID))),
    }
}

fn codes_strict(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    codes_step(cx, true)
}

fn codes_lax(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    codes_step(cx, false)
}

/// `utf8.codes (s [, lax])`
fn codes(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let lax = cx.arg(2).truthy();
    let s = cx.check_str(1)?;
    if is_cont(s.as_bytes(), 0) {
        return Err(cx.arg_error(1, format_args!("{}", MSG_INVALID)));
    }
    let step: NativeFn = if lax { codes_lax } else { codes_strict };
    cx.push(Value::NativeFn(step))?;
    cx.push(Value::Str(s))?;
    cx.push(Value::Int(0))?;
    Ok(Ret::Values(3))
}
