//! Numbers: string to number conversion (the rules of `lua_stringtonumber`) and the exact
//! conversions between integers and floats that arithmetic, comparison and table keys
//! need.

/// A Lua number, keeping the integer/float subtype.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

/// Lua's notion of white space (C `isspace`).
#[inline]
pub fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&c| !is_space(c)).unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|&c| !is_space(c))
        .map_or(start, |e| e + 1);
    s.get(start..end).unwrap_or(&[])
}

/// Converts a numeral with optional surrounding white space and sign, as Lua does for
/// `tonumber(s)`, arithmetic coercion and the lexer: decimal or `0x` hexadecimal
/// integers (hexadecimal wraps around; a decimal integer that overflows becomes a
/// float), decimal floats with exponent, and hexadecimal floats with `p` exponent.
/// `inf`, `nan` and embedded zero bytes are rejected.
pub fn str_to_number(s: &[u8]) -> Option<Number> {
    let s = trim(s);
    if let Some(i) = str_to_int(s) {
        return Some(Number::Int(i));
    }
    str_to_float(s).map(Number::Float)
}

/// Splits a leading sign off; true means negative.
fn split_sign(s: &[u8]) -> (bool, &[u8]) {
    match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    }
}

fn hex_prefixed(s: &[u8]) -> Option<&[u8]> {
    match s {
        [b'0', b'x' | b'X', rest @ ..] => Some(rest),
        _ => None,
    }
}

/// Value of a hexadecimal digit.
#[inline]
pub fn hex_value(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

/// The integer form of an already trimmed numeral, if it is one.
fn str_to_int(s: &[u8]) -> Option<i64> {
    let (neg, digits) = split_sign(s);
    let mut acc: u64 = 0;
    if let Some(hex) = hex_prefixed(digits) {
        if hex.is_empty() {
            return None;
        }
        for &c in hex {
            acc = acc.wrapping_mul(16).wrapping_add(u64::from(hex_value(c)?));
        }
    } else {
        if digits.is_empty() {
            return None;
        }
        // A decimal integer that does not fit is read as a float instead.
        let limit = if neg { 1u64 << 63 } else { i64::MAX as u64 };
        for &c in digits {
            let d = u64::from((c as char).to_digit(10)?);
            acc = acc.checked_mul(10)?.checked_add(d)?;
            if acc > limit {
                return None;
            }
        }
    }
    Some(if neg {
        (acc as i64).wrapping_neg()
    } else {
        acc as i64
    })
}

/// The float value of an already trimmed numeral.
fn str_to_float(s: &[u8]) -> Option<f64> {
    // Like `l_str2d`: anything with an 'n' could be "inf" or "nan", which Lua rejects.
    if s.iter().any(|&c| c == b'n' || c == b'N') {
        return None;
    }
    let (neg, body) = split_sign(s);
    let magnitude = match hex_prefixed(body) {
        Some(hex) => hex_float(hex)?,
        None => decimal_float(body)?,
    };
    Some(if neg { -magnitude } else { magnitude })
}

/// Checks the C `strtod` grammar for an unsigned decimal numeral, then converts it with
/// core's correctly rounded parser.
fn decimal_float(s: &[u8]) -> Option<f64> {
    let mut i = 0;
    let mut digits = 0;
    while s.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
        digits += 1;
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_start = i;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != s.len() {
        return None;
    }
    core::str::from_utf8(s).ok()?.parse::<f64>().ok()
}

/// Converts the part after `0x` of a hexadecimal float: hex digits, an optional point,
/// and an optional binary exponent `p[+-]ddd`.
fn hex_float(s: &[u8]) -> Option<f64> {
    let mut mantissa: u64 = 0;
    let mut exp: i64 = 0; // binary exponent adjustment
    let mut any_digit = false;
    let mut seen_point = false;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if c == b'.' {
            if seen_point {
                break;
            }
            seen_point = true;
        } else if let Some(d) = hex_value(c) {
            any_digit = true;
            if mantissa >> 60 == 0 {
                mantissa = mantissa * 16 + u64::from(d);
                if seen_point {
                    exp -= 4;
                }
            } else if !seen_point {
                // Digits past 64 bits of precision only scale the value.
                exp += 4;
            }
        } else {
            break;
        }
        i += 1;
    }
    if !any_digit {
        return None;
    }
    if matches!(s.get(i), Some(b'p' | b'P')) {
        i += 1;
        let (neg, rest) = split_sign(s.get(i..)?);
        i = s.len() - rest.len();
        let start = i;
        let mut e: i64 = 0;
        while let Some(d) = s.get(i).and_then(|c| (*c as char).to_digit(10)) {
            e = (e * 10 + i64::from(d)).min(100_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp += if neg { -e } else { e };
    }
    if i != s.len() {
        return None;
    }
    Some(ldexp(mantissa as f64, exp))
}

/// `x * 2^exp`, exact except where the result is subnormal or overflows.
pub fn ldexp(mut x: f64, mut exp: i64) -> f64 {
    // 2^1000 and 2^-1000 are normal, so each step multiplies by an exact power of two.
    let big = f64::from_bits((1023 + 1000) << 52);
    let small = f64::from_bits((1023 - 1000) << 52);
    while exp > 1000 {
        x *= big;
        exp -= 1000;
        if x.is_infinite() {
            return x;
        }
    }
    while exp < -1000 {
        x *= small;
        exp += 1000;
        if x == 0.0 {
            return x;
        }
    }
    x * f64::from_bits(((1023 + exp) as u64) << 52)
}

/// How to round a float that has no exact integer value (`F2Imod` in lvm.c).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Only exact integral values convert.
    Exact,
    /// Take the floor.
    Floor,
    /// Take the ceiling.
    Ceil,
}

/// Converts a float to an integer if the (rounded) value fits in an `i64`.
#[inline]
pub fn float_to_int(f: f64, mode: Rounding) -> Option<i64> {
    let floor = floor(f);
    let r = if floor == f {
        f
    } else {
        match mode {
            Rounding::Exact => return None,
            Rounding::Floor => floor,
            Rounding::Ceil => floor + 1.0,
        }
    };
    // -2^63 is representable; 2^63 is not. NaN fails both comparisons.
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&r) {
        Some(r as i64)
    } else {
        None
    }
}

/// `floor` without libm: exact for every f64.
#[inline]
#[allow(clippy::neg_cmp_op_on_partial_ord)] // the negation is what lets NaN through
pub fn floor(f: f64) -> f64 {
    // Values at or above 2^52 in magnitude (and NaN/inf) are already integral.
    if !(f.abs() < 4_503_599_627_370_496.0) {
        return f;
    }
    let t = f as i64 as f64; // truncation toward zero, exact in this range
    if t > f {
        t - 1.0
    } else if t == 0.0 && f.is_sign_negative() {
        -0.0
    } else {
        t
    }
}

/// `ceil` without libm.
#[inline]
pub fn ceil(f: f64) -> f64 {
    -floor(-f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Number::{Float, Int};

    #[test]
    fn numerals_convert_like_lua_stringtonumber() {
        let rows: &[(&str, Option<Number>)] = &[
            ("10", Some(Int(10))),
            ("  -7\t\n", Some(Int(-7))),
            ("+5", Some(Int(5))),
            ("0x10", Some(Int(16))),
            ("0xffffffffffffffff", Some(Int(-1))),
            ("0x7fffffffffffffff1", Some(Int(-15))),
            ("9223372036854775807", Some(Int(i64::MAX))),
            ("9223372036854775808", Some(Float(9223372036854775808.0))),
            ("-9223372036854775808", Some(Int(i64::MIN))),
            ("1e2", Some(Float(100.0))),
            (".5", Some(Float(0.5))),
            ("5.", Some(Float(5.0))),
            ("0x.8", Some(Float(0.5))),
            ("0x1p4", Some(Float(16.0))),
            ("0xA.8p-1", Some(Float(5.25))),
            ("-0x1P-2", Some(Float(-0.25))),
            ("1e", None),
            ("0x", None),
            ("", None),
            ("  ", None),
            (".", None),
            ("inf", None),
            ("nan", None),
            ("1 2", None),
            ("1\0", None),
            ("0x1p", None),
            ("- 1", None),
        ];
        for (text, want) in rows {
            assert_eq!(str_to_number(text.as_bytes()), *want, "numeral {text:?}");
        }
    }

    #[test]
    fn float_to_int_respects_rounding_and_range() {
        assert_eq!(float_to_int(3.0, Rounding::Exact), Some(3));
        assert_eq!(float_to_int(3.5, Rounding::Exact), None);
        assert_eq!(float_to_int(3.5, Rounding::Floor), Some(3));
        assert_eq!(float_to_int(-3.5, Rounding::Floor), Some(-4));
        assert_eq!(float_to_int(-3.5, Rounding::Ceil), Some(-3));
        assert_eq!(
            float_to_int(-9223372036854775808.0, Rounding::Exact),
            Some(i64::MIN)
        );
        assert_eq!(float_to_int(9223372036854775808.0, Rounding::Exact), None);
        assert_eq!(float_to_int(f64::NAN, Rounding::Floor), None);
        assert_eq!(float_to_int(f64::INFINITY, Rounding::Floor), None);
    }

    #[test]
    fn floor_matches_std() {
        for f in [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            2.5e15,
            -2.5e15,
            1e300,
            -1e-300,
            4503599627370495.5,
        ] {
            assert_eq!(floor(f).to_bits(), f.floor().to_bits(), "floor({f})");
            assert_eq!(ceil(f).to_bits(), f.ceil().to_bits(), "ceil({f})");
        }
    }

    #[test]
    fn ldexp_scales_exactly() {
        assert_eq!(ldexp(1.0, 1023), f64::MAX / (2.0 - f64::EPSILON) * 1.0);
        assert_eq!(ldexp(1.0, -1074), 5e-324);
        assert_eq!(ldexp(1.0, 1024), f64::INFINITY);
        assert_eq!(ldexp(3.0, -2), 0.75);
    }
}
