//! Number formatting: `tostring` of integers and floats, the numeric conversions of
//! `string.format`, and `%q` of numbers, matching PUC Lua 5.5 on glibc byte for byte.
//!
//! `core::fmt` is not used: its float path needs about 2.5 KB of stack and does not speak
//! printf. Digits come from an exact big-integer expansion ([`exact`]) that lives in one
//! 184-byte value on the stack, so `%.99f` of 1e308 is exact and no frame grows with the
//! precision. Every output goes to a caller's `Vec<u8>` through fallible growth, and no
//! input reaches a panic: indexing that depends on data goes through `get`.

mod exact;
mod float;
mod hex;
mod int;
mod spec;

use alloc::vec::Vec;

use crate::tvec::{AllocError, TryVec};

pub use spec::{parse_spec, Spec, SpecError, SpecErrorKind};

/// Appends `v` in decimal, as Lua's `tostring` of an integer.
///
/// # Errors
/// [`AllocError`] if `out` cannot grow.
pub fn fmt_int(out: &mut Vec<u8>, v: i64) -> Result<(), AllocError> {
    int::push_i64(out, v)
}

/// Appends Lua 5.5's `tostring` of a float: `%.15g`, or `%.17g` when the `%.15g` text would
/// not read back as exactly `x`, then `.0` if the text looks like an integer. Infinities are
/// `inf` and `-inf`, NaN is `nan` or `-nan` by its sign bit, as glibc prints them.
///
/// # Errors
/// [`AllocError`] if `out` cannot grow.
pub fn fmt_float_lua(out: &mut Vec<u8>, x: f64) -> Result<(), AllocError> {
    float::push_lua(out, x)
}

/// Appends `v` as C's `%lld` / `%lli` with the flags, width and precision of `spec`.
///
/// # Errors
/// [`AllocError`] if `out` cannot grow.
pub fn fmt_spec_int(out: &mut Vec<u8>, spec: &Spec, v: i64) -> Result<(), AllocError> {
    let start = out.len();
    if let Some(sign) = sign_byte(v < 0, spec) {
        out.try_push(sign)?;
    }
    let prefix = out.len() - start;
    let mut buf: int::DigitBuf = [0; 22];
    let at = int::decimal(&mut buf, v.unsigned_abs());
    push_int_digits(out, spec, buf.get(at..).unwrap_or(&[]), false)?;
    pad(
        out,
        start,
        prefix,
        spec,
        spec.zero && spec.precision.is_none(),
    )
}

/// Appends `v` as C's `%llu`, `%llo`, `%llx` or `%llX` (by `spec.conv`; anything else is
/// treated as `u`) with the flags, width and precision of `spec`. `+` and ` ` do nothing
/// here, as in C.
///
/// # Errors
/// [`AllocError`] if `out` cannot grow.
pub fn fmt_spec_uint(out: &mut Vec<u8>, spec: &Spec, v: u64) -> Result<(), AllocError> {
    let start = out.len();
    let mut buf: int::DigitBuf = [0; 22];
    let at = match spec.conv {
        b'o' => int::radix(&mut buf, v, 3, false),
        b'x' | b'X' => {
            if spec.hash && v != 0 {
                out.try_extend_from_slice(if spec.conv == b'X' { b"0X" } else { b"0x" })?;
            }
            int::radix(&mut buf, v, 4, spec.conv == b'X')
        }
        _ => int::decimal(&mut buf, v),
    };
    let prefix = out.len() - start;
    let octal_zero = spec.conv == b'o' && spec.hash;
    push_int_digits(out, spec, buf.get(at..).unwrap_or(&[]), octal_zero)?;
    pad(
        out,
        start,
        prefix,
        spec,
        spec.zero && spec.precision.is_none(),
    )
}

/// Appends `x` as C's `%e %E %f %F %g %G %a %A` (by `spec.conv`; anything else is treated as
/// `g`) with the flags, width and precision of `spec`, exactly as glibc prints it.
///
/// # Errors
/// [`AllocError`] if `out` cannot grow.
pub fn fmt_spec_float(out: &mut Vec<u8>, spec: &Spec, x: f64) -> Result<(), AllocError> {
    let start = out.len();
    if let Some(sign) = sign_byte(x.is_sign_negative(), spec) {
        out.try_push(sign)?;
    }
    let mut prefix = out.len() - start;
    let upper = spec.conv.is_ascii_uppercase();
    if !x.is_finite() {
        out.try_extend_from_slice(non_finite(x, upper))?;
        return pad(out, start, prefix, spec, false);
    }
    let prec = spec.precision.map(usize::from);
    let parts = float::decompose(x);
    match spec.conv {
        b'e' | b'E' => float::push_exp_style(out, parts, prec.unwrap_or(6), spec.hash, upper)?,
        b'f' | b'F' => float::push_fixed(out, parts, prec.unwrap_or(6), spec.hash)?,
        b'a' | b'A' => {
            hex::push_hex(out, x, spec.precision, spec.hash, upper)?;
            prefix += 2;
        }
        _ => float::push_general(out, parts, prec.unwrap_or(6), spec.hash, upper)?,
    }
    pad(out, start, prefix, spec, spec.zero)
}

/// Appends `x` as C's `%a` (or `%A` when `upper`) with an optional precision and no flags:
/// `0x1.8p+1` for 3.0.
///
/// # Errors
/// [`AllocError`] if `out` cannot grow.
pub fn fmt_float_hex(
    out: &mut Vec<u8>,
    x: f64,
    precision: Option<u8>,
    upper: bool,
) -> Result<(), AllocError> {
    if x.is_sign_negative() {
        out.try_push(b'-')?;
    }
    if !x.is_finite() {
        return out.try_extend_from_slice(non_finite(x, upper));
    }
    hex::push_hex(out, x, precision, false, upper)
}

/// Appends a float as `%q` writes it: hexadecimal (`0x1p+0` for 1.0) so that it reads back
/// exactly, `1e9999` / `-1e9999` for the infinities and `(0/0)` for NaN.
///
/// # Errors
/// [`AllocError`] if `out` cannot grow.
pub fn fmt_q_float(out: &mut Vec<u8>, x: f64) -> Result<(), AllocError> {
    if x.is_nan() {
        out.try_extend_from_slice(b"(0/0)")
    } else if x.is_infinite() {
        out.try_extend_from_slice(if x < 0.0 { b"-1e9999" } else { b"1e9999" })
    } else {
        fmt_float_hex(out, x, None, false)
    }
}

/// Appends an integer as `%q` writes it: decimal, except `math.mininteger`, whose decimal
/// form would read back as a float, which is written `0x8000000000000000`.
///
/// # Errors
/// [`AllocError`] if `out` cannot grow.
pub fn fmt_q_int(out: &mut Vec<u8>, v: i64) -> Result<(), AllocError> {
    if v == i64::MIN {
        out.try_extend_from_slice(b"0x8000000000000000")
    } else {
        fmt_int(out, v)
    }
}

/// Appends `bytes` as C's `%s` (also usable for `%c` and a formatted `%p`): at most
/// `spec.precision` bytes, padded to `spec.width` with spaces.
///
/// # Errors
/// [`AllocError`] if `out` cannot grow.
pub fn fmt_spec_bytes(out: &mut Vec<u8>, spec: &Spec, bytes: &[u8]) -> Result<(), AllocError> {
    let start = out.len();
    let len = spec
        .precision
        .map_or(bytes.len(), |p| bytes.len().min(usize::from(p)));
    out.try_extend_from_slice(bytes.get(..len).unwrap_or(bytes))?;
    pad(out, start, 0, spec, false)
}

/// The sign C prints before a number: `-`, else `+` for the `+` flag, else a space for the
/// ` ` flag.
fn sign_byte(negative: bool, spec: &Spec) -> Option<u8> {
    match (negative, spec.plus, spec.space) {
        (true, _, _) => Some(b'-'),
        (false, true, _) => Some(b'+'),
        (false, false, true) => Some(b' '),
        (false, false, false) => None,
    }
}

fn non_finite(x: f64, upper: bool) -> &'static [u8] {
    match (x.is_nan(), upper) {
        (true, false) => b"nan",
        (true, true) => b"NAN",
        (false, false) => b"inf",
        (false, true) => b"INF",
    }
}

/// Appends integer digits widened with zeros to the precision. A precision of 0 prints no
/// digits for zero; `octal_zero` (`%#o`) makes sure the first digit is `0`.
fn push_int_digits(
    out: &mut Vec<u8>,
    spec: &Spec,
    digits: &[u8],
    octal_zero: bool,
) -> Result<(), AllocError> {
    let digits = match (spec.precision, digits) {
        (Some(0), b"0") => &[][..],
        _ => digits,
    };
    let mut zeros = spec
        .precision
        .map_or(0, |p| usize::from(p).saturating_sub(digits.len()));
    if octal_zero && zeros == 0 && digits.first() != Some(&b'0') {
        zeros = 1;
    }
    out.try_resize(out.len() + zeros, b'0')?;
    out.try_extend_from_slice(digits)
}

/// Pads the field that starts at `out[start]` to `spec.width`: spaces on the right for `-`,
/// zeros after the first `prefix` bytes (sign, `0x`) when `zero`, else spaces on the left.
fn pad(
    out: &mut Vec<u8>,
    start: usize,
    prefix: usize,
    spec: &Spec,
    zero: bool,
) -> Result<(), AllocError> {
    let len = out.len().saturating_sub(start);
    let missing = spec.width.map_or(0, |w| usize::from(w).saturating_sub(len));
    if missing == 0 {
        return Ok(());
    }
    let (fill, at) = match (spec.minus, zero) {
        (true, _) => (b' ', out.len()),
        (false, true) => (b'0', start + prefix),
        (false, false) => (b' ', start),
    };
    out.try_resize(out.len() + missing, fill)?;
    if let Some(tail) = out.get_mut(at..) {
        if tail.len() >= missing {
            tail.rotate_right(missing);
        }
    }
    Ok(())
}

/// Inserts `bytes` at `out[at]` (or appends them if `at` is past the end).
fn insert(out: &mut Vec<u8>, at: usize, bytes: &[u8]) -> Result<(), AllocError> {
    out.try_extend_from_slice(bytes)?;
    if let Some(tail) = out.get_mut(at..) {
        if tail.len() >= bytes.len() {
            tail.rotate_right(bytes.len());
        }
    }
    Ok(())
}

/// Appends a decimal exponent as `%e` writes it: `marker`, sign, at least two digits.
fn push_exponent(out: &mut Vec<u8>, marker: u8, exp10: i32) -> Result<(), AllocError> {
    let a = exp10.unsigned_abs();
    let sign = if exp10 < 0 { b'-' } else { b'+' };
    if a < 10 {
        out.try_extend_from_slice(&[marker, sign, b'0', b'0' + a as u8])
    } else {
        out.try_extend_from_slice(&[marker, sign])?;
        int::push_i64(out, i64::from(a))
    }
}

/// Appends a binary exponent as `%a` writes it: sign, then as few digits as needed.
fn push_exponent_plain(out: &mut Vec<u8>, exp2: i32) -> Result<(), AllocError> {
    out.try_push(if exp2 < 0 { b'-' } else { b'+' })?;
    int::push_i64(out, i64::from(exp2.unsigned_abs()))
}
