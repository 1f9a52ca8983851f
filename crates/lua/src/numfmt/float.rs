//! Decimal float conversions: `%e`, `%f`, `%g` and Lua's `tostring` rule.
//!
//! Digits come from [`Expansion`], so they are exact, and rounding is to nearest with ties
//! to even on the exact value, as glibc does. The conversions write digits straight into
//! the output and then insert the point, the leading "0." or the carry's extra digit in
//! place, so no digit buffer on the stack depends on the precision.

use alloc::vec::Vec;
use core::cmp::Ordering;

use super::exact::Expansion;
use super::{insert, push_exponent};
use crate::tvec::{AllocError, TryVec};

/// `|x| = m * 2^e` for a finite `x`, with `m < 2^53`.
pub(super) fn decompose(x: f64) -> (u64, i32) {
    let bits = x.to_bits();
    let frac = bits & ((1 << 52) - 1);
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, biased - 1075)
    }
}

/// Appends `count` digits from `x`.
fn push_digits(out: &mut Vec<u8>, x: &mut Expansion, count: usize) -> Result<(), AllocError> {
    out.try_reserve(count).map_err(|_| AllocError)?;
    for _ in 0..count {
        out.try_push(b'0' + x.next_digit())?;
    }
    Ok(())
}

/// Rounds the digits in `out[start..]` by the rest of `x`, to nearest with ties to even.
/// A carry out of the first digit inserts a `1` at `start`; returns whether it did.
fn round(out: &mut Vec<u8>, start: usize, x: &mut Expansion) -> Result<bool, AllocError> {
    let next = x.next_digit();
    let odd = out.last().is_some_and(|&d| d & 1 == 1);
    let up = next > 5 || (next == 5 && (x.rest_is_nonzero() || odd));
    if !up {
        return Ok(false);
    }
    for d in out.get_mut(start..).unwrap_or(&mut []).iter_mut().rev() {
        match *d {
            b'9' => *d = b'0',
            b'0'..=b'8' => {
                *d += 1;
                return Ok(false);
            }
            _ => {}
        }
    }
    insert(out, start, b"1")?;
    Ok(true)
}

/// Appends the first `count` (>= 1) significant digits of `m * 2^e`, rounded, and returns
/// the decimal exponent of the first one and whether rounding carried into a new leading
/// digit (raising the exponent). Zero gives `count` zeros and exponent 0.
fn push_significant(
    out: &mut Vec<u8>,
    m: u64,
    e: i32,
    count: usize,
) -> Result<(i32, bool), AllocError> {
    let start = out.len();
    let mut x = Expansion::new(m, e);
    let exp10 = x.seek_first_digit();
    push_digits(out, &mut x, count)?;
    if round(out, start, &mut x)? {
        out.pop();
        return Ok((exp10 + 1, true));
    }
    Ok((exp10, false))
}

/// `%e`: `d.ddde+XX` with `prec` digits after the point.
pub(super) fn push_exp_style(
    out: &mut Vec<u8>,
    (m, e): (u64, i32),
    prec: usize,
    hash: bool,
    upper: bool,
) -> Result<(), AllocError> {
    let start = out.len();
    let (exp10, _) = push_significant(out, m, e, prec + 1)?;
    if prec > 0 || hash {
        insert(out, start + 1, b".")?;
    }
    push_exponent(out, if upper { b'E' } else { b'e' }, exp10)
}

/// `%f`: every integer digit, then `prec` digits after the point.
pub(super) fn push_fixed(
    out: &mut Vec<u8>,
    (m, e): (u64, i32),
    prec: usize,
    hash: bool,
) -> Result<(), AllocError> {
    let start = out.len();
    let mut x = Expansion::new(m, e);
    match x.int_digits() {
        0 => out.try_push(b'0')?,
        n => push_digits(out, &mut x, n as usize)?,
    }
    push_digits(out, &mut x, prec)?;
    round(out, start, &mut x)?;
    if prec > 0 || hash {
        insert(out, out.len() - prec, b".")?;
    }
    Ok(())
}

/// `%g`: `prec` significant digits in `%e` or `%f` style, whichever C's rule picks, with
/// trailing zeros removed unless `hash`.
pub(super) fn push_general(
    out: &mut Vec<u8>,
    (m, e): (u64, i32),
    prec: usize,
    hash: bool,
    upper: bool,
) -> Result<(), AllocError> {
    let prec = prec.max(1);
    let start = out.len();
    let (exp10, carried) = push_significant(out, m, e, prec)?;
    if carried && exp10 == prec as i32 {
        // glibc picks the style and the number of fraction digits from the exponent before
        // rounding: `f` style with none. When the carry then forces `e` style it keeps
        // none, so `%#.2g` of 99.5 is `1.e+02`, not C99's `1.0e+02`.
        out.truncate(start + 1);
    }
    let strip_to = |out: &mut Vec<u8>, keep: usize| {
        if !hash {
            while out.len() > keep && out.last() == Some(&b'0') {
                out.pop();
            }
        }
    };
    if exp10 < -4 || exp10 >= prec as i32 {
        strip_to(out, start + 1);
        if out.len() > start + 1 || hash {
            insert(out, start + 1, b".")?;
        }
        push_exponent(out, if upper { b'E' } else { b'e' }, exp10)
    } else if exp10 >= 0 {
        let point = start + exp10 as usize + 1;
        strip_to(out, point);
        if out.len() > point || hash {
            insert(out, point, b".")?;
        }
        Ok(())
    } else {
        strip_to(out, start + 1);
        let zeros = (-exp10 - 1) as usize;
        insert(out, start, b"0.000".get(..2 + zeros).unwrap_or(b"0."))
    }
}

/// Lua's `tostring` of a float; see [`super::fmt_float_lua`].
pub(super) fn push_lua(out: &mut Vec<u8>, x: f64) -> Result<(), AllocError> {
    if x.is_nan() {
        return out.try_extend_from_slice(if x.is_sign_negative() {
            b"-nan"
        } else {
            b"nan"
        });
    }
    if x.is_infinite() {
        return out.try_extend_from_slice(if x < 0.0 { b"-inf" } else { b"inf" });
    }
    let (m, e) = decompose(x);
    let mut text = [0u8; 32];
    let len = if m == 0 {
        text[..3].copy_from_slice(b"0.0");
        3
    } else {
        let (digits, exp10) = lua_digits(m, e);
        lua_layout(&mut text, digits.0.get(..digits.1).unwrap_or(&[]), exp10)
    };
    if x.is_sign_negative() {
        out.try_push(b'-')?;
    }
    out.try_extend_from_slice(text.get(..len).unwrap_or(&[]))
}

/// The digits `%.15g` gives for `m * 2^e` if they read back as the same double, else those
/// of `%.17g`, as `((digits, count), exponent)`.
#[inline(never)]
fn lua_digits(m: u64, e: i32) -> (([u8; 17], usize), i32) {
    let mut digits = [0u8; 17];
    let mut x = Expansion::new(m, e);
    let exp10 = x.seek_first_digit();
    for d in digits.iter_mut() {
        *d = x.next_digit();
    }
    // Digits 16 and 17 decide the 15-digit rounding together with everything after them.
    let [.., last15, next15, last17] = digits;
    let next17 = x.next_digit();
    let rest17 = x.rest_is_nonzero();
    let rest15 = last17 != 0 || next17 != 0 || rest17;
    if next15 == 0 && !rest15 {
        return ((digits, 15), exp10);
    }
    let mut short = digits;
    let up15 = rounds_up(next15, rest15, last15);
    let short_exp = exp10 + i32::from(up15 && carry(&mut short[..15]));
    if reads_back(m, e, &short[..15], short_exp, up15) {
        return ((short, 15), short_exp);
    }
    let up17 = rounds_up(next17, rest17, last17);
    let long_exp = exp10 + i32::from(up17 && carry(&mut digits));
    ((digits, 17), long_exp)
}

/// Round to nearest, ties to even, given the first dropped digit, whether anything after it
/// is non-zero, and the last kept digit.
fn rounds_up(next: u8, rest: bool, last: u8) -> bool {
    next > 5 || (next == 5 && (rest || last & 1 == 1))
}

/// Adds one unit in the last place to `digits` (values 0..=9); on overflow they become
/// 100...0 and the result is `true`.
fn carry(digits: &mut [u8]) -> bool {
    for d in digits.iter_mut().rev() {
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            return false;
        }
    }
    if let Some(first) = digits.first_mut() {
        *first = 1;
    }
    true
}

/// Whether `0.d1d2... * 10^(exp10+1)`, the result of rounding `m * 2^e` up (or down), reads
/// back as `m * 2^e`: it must lie strictly inside the interval of values that round to it,
/// or on its edge when `m` is even (reading rounds ties to even).
#[inline(never)]
fn reads_back(m: u64, e: i32, digits: &[u8], exp10: i32, rounded_up: bool) -> bool {
    let (edge_m, edge_e) = if rounded_up {
        (2 * m + 1, e - 1)
    } else if m == 1 << 52 && e > -1074 {
        // Below a power of two the neighbour is half as far away.
        (4 * m - 1, e - 2)
    } else {
        (2 * m - 1, e - 1)
    };
    let beyond = if rounded_up {
        Ordering::Less
    } else {
        Ordering::Greater
    };
    match compare(digits, exp10, edge_m, edge_e) {
        Ordering::Equal => m & 1 == 0,
        order => order == beyond,
    }
}

/// Compares the positive decimal `0.d1d2... * 10^(exp10+1)` with `m * 2^e`.
fn compare(digits: &[u8], exp10: i32, m: u64, e: i32) -> Ordering {
    let mut x = Expansion::new(m, e);
    let other = x.seek_first_digit();
    if other != exp10 {
        return exp10.cmp(&other);
    }
    for &d in digits {
        let theirs = x.next_digit();
        if d != theirs {
            return d.cmp(&theirs);
        }
    }
    if x.rest_is_nonzero() {
        Ordering::Less
    } else {
        Ordering::Equal
    }
}

/// Writes `%.<n>g`-style text for digits (values 0..=9, first non-zero) into `text`, `n`
/// being `digits.len()`, plus ".0" if it would look like an integer. Returns the length;
/// 24 bytes suffice (`0.0000` and 17 digits, or 17 digits, `e-308` and a point).
fn lua_layout(text: &mut [u8; 32], digits: &[u8], exp10: i32) -> usize {
    let prec = digits.len() as i32;
    let used = digits.iter().rposition(|&d| d != 0).map_or(1, |i| i + 1);
    let digits = digits.get(..used).unwrap_or(&[]);
    let mut len = 0;
    let mut put = |b: u8| {
        if let Some(slot) = text.get_mut(len) {
            *slot = b;
            len += 1;
        }
    };
    if exp10 < -4 || exp10 >= prec {
        let mut it = digits.iter();
        if let Some(&d) = it.next() {
            put(b'0' + d);
        }
        if digits.len() > 1 {
            put(b'.');
        }
        it.for_each(|&d| put(b'0' + d));
        put(b'e');
        put(if exp10 < 0 { b'-' } else { b'+' });
        let a = exp10.unsigned_abs();
        if a >= 100 {
            put(b'0' + (a / 100) as u8);
        }
        put(b'0' + (a / 10 % 10) as u8);
        put(b'0' + (a % 10) as u8);
    } else if exp10 >= 0 {
        let int_len = exp10 as usize + 1;
        for i in 0..int_len.max(digits.len()) {
            if i == int_len {
                put(b'.');
            }
            put(b'0' + digits.get(i).copied().unwrap_or(0));
        }
        if digits.len() <= int_len {
            put(b'.');
            put(b'0');
        }
    } else {
        put(b'0');
        put(b'.');
        for _ in 0..(-exp10 - 1) {
            put(b'0');
        }
        digits.iter().for_each(|&d| put(b'0' + d));
    }
    len
}
