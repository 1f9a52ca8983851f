//! `string.format`: walks the format string, lets [`crate::numfmt`] parse and render
//! each conversion, and quotes values for `%q`.
//!
//! The order of checks follows lstrlib.c because it decides which error a script sees:
//! a missing argument first, then (for `c`, `a`, `A` and `q`) the specification, else the
//! argument's type before the specification's flags.

use alloc::vec::Vec;

use crate::api::{Bytes, Ctx, Ret};
use crate::error::LuaResult;
use crate::numfmt::{self, Spec, SpecError, SpecErrorKind};
use crate::tvec::TryVec;
use crate::value::Value;

/// Raises PUC's error for a rejected specification.
fn spec_error(cx: &mut Ctx<'_>, e: &SpecError) -> crate::error::Error {
    let mut msg = Vec::new();
    if e.message(&mut msg).is_err() {
        return crate::error::Error::Memory;
    }
    cx.error(format_args!("{}", Bytes(&msg)))
}

/// `string.format (formatstring, ···)`
pub(super) fn format(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let fs = cx.check_str(1)?;
    let fmt = fs.as_bytes();
    let top = cx.nargs();
    let mut arg = 1;
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = fmt.get(i) {
        i += 1;
        if b != b'%' {
            out.try_push(b)?;
            continue;
        }
        if fmt.get(i) == Some(&b'%') {
            out.try_push(b'%')?;
            i += 1;
            continue;
        }
        super::check_room(cx.lua, out.len())?;
        arg += 1;
        if arg > top {
            return Err(cx.arg_error(arg, format_args!("no value")));
        }
        let rest = fmt.get(i..).unwrap_or(&[]);
        let parsed = numfmt::parse_spec(rest);
        let conv = match &parsed {
            Ok((spec, _)) => spec.conv,
            Err(e) => match e.kind {
                // The argument is checked before the flags for these conversions.
                SpecErrorKind::BadModifiers => e.form().last().copied().unwrap_or(0),
                _ => return Err(spec_error(cx, e)),
            },
        };
        let used = match &parsed {
            Ok((_, used)) => *used,
            Err(_) => 0,
        };
        i += used;
        match conv {
            b'c' => {
                let spec = checked(cx, &parsed)?;
                let c = cx.check_int(arg)?;
                numfmt::fmt_spec_bytes(&mut out, &spec, &[c as u8])?;
            }
            b'd' | b'i' | b'u' | b'o' | b'x' | b'X' => {
                let n = cx.check_int(arg)?;
                let spec = checked(cx, &parsed)?;
                if matches!(conv, b'd' | b'i') {
                    numfmt::fmt_spec_int(&mut out, &spec, n)?;
                } else {
                    numfmt::fmt_spec_uint(&mut out, &spec, n as u64)?;
                }
            }
            b'a' | b'A' => {
                let spec = checked(cx, &parsed)?;
                let x = cx.check_float(arg)?;
                numfmt::fmt_spec_float(&mut out, &spec, x)?;
            }
            b'e' | b'E' | b'f' | b'g' | b'G' => {
                let x = cx.check_float(arg)?;
                let spec = checked(cx, &parsed)?;
                numfmt::fmt_spec_float(&mut out, &spec, x)?;
            }
            b'p' => {
                let v = cx.arg(arg);
                let spec = checked(cx, &parsed)?;
                let addr = pointer_of(&v);
                let mut text = Vec::new();
                if addr == 0 {
                    text.try_extend_from_slice(b"(null)")?;
                } else {
                    text.try_extend_from_slice(b"0x")?;
                    let hex = Spec {
                        conv: b'x',
                        ..Spec::default()
                    };
                    numfmt::fmt_spec_uint(&mut text, &hex, addr as u64)?;
                }
                numfmt::fmt_spec_bytes(
                    &mut out,
                    &Spec {
                        precision: None,
                        ..spec
                    },
                    &text,
                )?;
            }
            b'q' => {
                checked(cx, &parsed)?;
                add_literal(cx, &mut out, arg)?;
            }
            b's' => {
                let v = cx.arg(arg);
                let s = crate::lib_base::to_string_meta(cx.lua, v)?;
                let Value::Str(s) = s else { continue };
                let bytes = s.as_bytes();
                if rest.first() == Some(&b's') {
                    out.try_extend_from_slice(bytes)?;
                    continue;
                }
                if bytes.contains(&0) {
                    return Err(cx.arg_error(arg, format_args!("string contains zeros")));
                }
                let spec = checked(cx, &parsed)?;
                if spec.precision.is_none() && bytes.len() >= 100 {
                    // C would print it whole anyway: the width is at most 99.
                    out.try_extend_from_slice(bytes)?;
                } else {
                    numfmt::fmt_spec_bytes(&mut out, &spec, bytes)?;
                }
            }
            _ => {
                if let Err(e) = &parsed {
                    return Err(spec_error(cx, e));
                }
            }
        }
    }
    let v = cx.lua.str_value(&out)?;
    cx.ret1(v)
}

/// The parsed specification, or its error now that the argument has been checked.
fn checked(cx: &mut Ctx<'_>, parsed: &Result<(Spec, usize), SpecError>) -> LuaResult<Spec> {
    match parsed {
        Ok((spec, _)) => Ok(*spec),
        Err(e) => Err(spec_error(cx, e)),
    }
}

/// What `%p` shows: the object's address, or 0 (printed `(null)`) for values that are
/// not objects.
fn pointer_of(v: &Value) -> usize {
    match v {
        Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::DeadKey(_) => 0,
        other => other.identity(),
    }
}

/// `%q`: a value as a Lua literal that reads back as the same value (`addliteral`).
fn add_literal(cx: &mut Ctx<'_>, out: &mut Vec<u8>, arg: usize) -> LuaResult<()> {
    match cx.arg(arg) {
        Value::Str(s) => add_quoted(out, s.as_bytes())?,
        Value::Int(n) => numfmt::fmt_q_int(out, n)?,
        Value::Float(x) => numfmt::fmt_q_float(out, x)?,
        Value::Nil => out.try_extend_from_slice(b"nil")?,
        Value::Bool(b) => out.try_extend_from_slice(if b { b"true" } else { b"false" })?,
        _ => return Err(cx.arg_error(arg, format_args!("value has no literal form"))),
    }
    Ok(())
}

/// A string in double quotes with `"`, `\` and newlines escaped and control bytes written
/// as decimal escapes (three digits when a digit follows, so it cannot join the escape).
fn add_quoted(out: &mut Vec<u8>, s: &[u8]) -> LuaResult<()> {
    out.try_push(b'"')?;
    for (i, &c) in s.iter().enumerate() {
        match c {
            b'"' | b'\\' | b'\n' => out.try_extend_from_slice(&[b'\\', c])?,
            c if c < 0x20 || c == 0x7f => {
                out.try_push(b'\\')?;
                let next_is_digit = s.get(i + 1).is_some_and(u8::is_ascii_digit);
                if next_is_digit {
                    out.try_extend_from_slice(&[
                        b'0' + c / 100,
                        b'0' + c / 10 % 10,
                        b'0' + c % 10,
                    ])?;
                } else {
                    numfmt::fmt_int(out, i64::from(c))?;
                }
            }
            _ => out.try_push(c)?,
        }
    }
    out.try_push(b'"')?;
    Ok(())
}
