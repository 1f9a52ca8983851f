//! Arithmetic, bitwise and comparison semantics of numbers (§3.4.1–3.4.4): integer
//! operations wrap around, `/` and `^` always give floats, `//` and `%` floor, and
//! integers and floats compare by exact mathematical value.

use crate::number::{self, float_to_int, Rounding};
use crate::value::Value;

/// Converts to a number: numbers as they are, numeric strings by the lexer's rules.
#[inline]
pub fn to_number(v: &Value) -> Option<Value> {
    match *v {
        Value::Int(_) | Value::Float(_) => Some(*v),
        Value::Str(s) => number::str_to_number(s.as_bytes()).map(|n| match n {
            number::Number::Int(i) => Value::Int(i),
            number::Number::Float(f) => Value::Float(f),
        }),
        _ => None,
    }
}

/// Converts to a float, if a number or numeric string.
#[inline]
pub fn to_float(v: &Value) -> Option<f64> {
    match to_number(v)? {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) => Some(f),
        _ => None,
    }
}

/// Converts to an integer without rounding (floats must be integral), strings included.
#[inline]
pub fn to_integer(v: &Value) -> Option<i64> {
    match to_number(v)? {
        Value::Int(i) => Some(i),
        Value::Float(f) => float_to_int(f, Rounding::Exact),
        _ => None,
    }
}

/// The arithmetic and bitwise operators, in `TagMethod` order from `Add`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Mod,
    Pow,
    Div,
    IDiv,
    BAnd,
    BOr,
    BXor,
    Shl,
    Shr,
    Unm,
    BNot,
}

impl ArithOp {
    pub fn is_bitwise(self) -> bool {
        matches!(
            self,
            ArithOp::BAnd
                | ArithOp::BOr
                | ArithOp::BXor
                | ArithOp::Shl
                | ArithOp::Shr
                | ArithOp::BNot
        )
    }

    pub fn tag_method(self) -> crate::opcode::TagMethod {
        use crate::opcode::TagMethod as T;
        match self {
            ArithOp::Add => T::Add,
            ArithOp::Sub => T::Sub,
            ArithOp::Mul => T::Mul,
            ArithOp::Mod => T::Mod,
            ArithOp::Pow => T::Pow,
            ArithOp::Div => T::Div,
            ArithOp::IDiv => T::IDiv,
            ArithOp::BAnd => T::BAnd,
            ArithOp::BOr => T::BOr,
            ArithOp::BXor => T::BXor,
            ArithOp::Shl => T::Shl,
            ArithOp::Shr => T::Shr,
            ArithOp::Unm => T::Unm,
            ArithOp::BNot => T::BNot,
        }
    }

    pub fn from_tag_method(tm: crate::opcode::TagMethod) -> Option<ArithOp> {
        use crate::opcode::TagMethod as T;
        Some(match tm {
            T::Add => ArithOp::Add,
            T::Sub => ArithOp::Sub,
            T::Mul => ArithOp::Mul,
            T::Mod => ArithOp::Mod,
            T::Pow => ArithOp::Pow,
            T::Div => ArithOp::Div,
            T::IDiv => ArithOp::IDiv,
            T::BAnd => ArithOp::BAnd,
            T::BOr => ArithOp::BOr,
            T::BXor => ArithOp::BXor,
            T::Shl => ArithOp::Shl,
            T::Shr => ArithOp::Shr,
            T::Unm => ArithOp::Unm,
            T::BNot => ArithOp::BNot,
            _ => return None,
        })
    }
}

/// Why a raw arithmetic operation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithError {
    /// An operand is not a number (try metamethods).
    NotNumber,
    /// A bitwise operand is a float without integer value.
    NoInteger,
    /// Integer `//` by zero.
    DivByZero,
    /// Integer `%` by zero.
    ModByZero,
}

/// `a // b` on integers; `None` when `b == 0`.
#[inline]
pub fn int_idiv(a: i64, b: i64) -> Option<i64> {
    if b == 0 {
        return None;
    }
    if b == -1 {
        return Some(a.wrapping_neg());
    }
    let q = a / b;
    // Round toward minus infinity when the signs differ and the division is inexact.
    Some(if (a % b != 0) && ((a ^ b) < 0) {
        q - 1
    } else {
        q
    })
}

/// `a % b` on integers; `None` when `b == 0`.
#[inline]
pub fn int_mod(a: i64, b: i64) -> Option<i64> {
    if b == 0 {
        return None;
    }
    if b == -1 {
        return Some(0);
    }
    let r = a % b;
    Some(if r != 0 && (r ^ b) < 0 { r + b } else { r })
}

/// `a % b` on floats (`luai_nummod`).
#[inline]
pub fn float_mod(a: f64, b: f64) -> f64 {
    let m = libm::fmod(a, b);
    if (m > 0.0 && b < 0.0) || (m < 0.0 && b > 0.0) {
        m + b
    } else {
        m
    }
}

/// `a // b` on floats.
#[inline]
pub fn float_idiv(a: f64, b: f64) -> f64 {
    number::floor(a / b)
}

/// `x << y` with Lua's rules: shifts of 64 or more give 0, negative shifts go right.
#[inline]
pub fn shift_left(x: i64, y: i64) -> i64 {
    if y <= -64 || y >= 64 {
        0
    } else if y >= 0 {
        ((x as u64) << y) as i64
    } else {
        ((x as u64) >> (-y)) as i64
    }
}

/// Float power.
#[inline]
pub fn pow(a: f64, b: f64) -> f64 {
    if b == 2.0 {
        a * a
    } else if let Some(p) = pow_exact(a, b) {
        p
    } else {
        libm::pow(a, b)
    }
}

/// `a * b` if the product is exact (Dekker's two-product error is zero).
fn mul_exact(a: f64, b: f64) -> Option<f64> {
    let p = a * b;
    if !p.is_finite() || a.abs() > 1e150 || b.abs() > 1e150 || (p != 0.0 && p.abs() < 1e-290) {
        return None;
    }
    let split = |x: f64| {
        let c = 134_217_729.0 * x;
        let hi = c - (c - x);
        (hi, x - hi)
    };
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    let err = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    (err == 0.0).then_some(p)
}

/// `a ^ b` when `b` is an integer and the result is exact, correctly rounded as C's
/// `pow` gives it; `libm`'s may be a bit off there, and constant folding and run time
/// must agree.
pub(crate) fn pow_exact(a: f64, b: f64) -> Option<f64> {
    let n = number::float_to_int(b, Rounding::Exact)?;
    if n == 0 {
        return Some(1.0);
    }
    if n.unsigned_abs() > 1100 {
        return None;
    }
    let mut result = 1.0f64;
    let mut base = a;
    let mut e = n.unsigned_abs();
    loop {
        if e & 1 == 1 {
            result = mul_exact(result, base)?;
        }
        e >>= 1;
        if e == 0 {
            break;
        }
        base = mul_exact(base, base)?;
    }
    if n < 0 {
        // One correctly rounded division of an exact power: the value C's pow gives.
        return Some(1.0 / result);
    }
    Some(result)
}

/// Performs `op` on two numbers (or numeric strings), without metamethods.
pub fn arith(op: ArithOp, a: &Value, b: &Value) -> Result<Value, ArithError> {
    if op.is_bitwise() {
        let x = to_int_for_bitwise(a)?;
        let y = to_int_for_bitwise(b)?;
        return Ok(Value::Int(match op {
            ArithOp::BAnd => x & y,
            ArithOp::BOr => x | y,
            ArithOp::BXor => x ^ y,
            ArithOp::Shl => shift_left(x, y),
            ArithOp::Shr => shift_left(x, y.wrapping_neg()),
            _ => !x,
        }));
    }
    let (a, b) = match (to_number(a), to_number(b)) {
        (Some(a), Some(b)) => (a, b),
        _ => return Err(ArithError::NotNumber),
    };
    if let (Value::Int(x), Value::Int(y)) = (a, b) {
        if !matches!(op, ArithOp::Div | ArithOp::Pow) {
            return Ok(Value::Int(match op {
                ArithOp::Add => x.wrapping_add(y),
                ArithOp::Sub => x.wrapping_sub(y),
                ArithOp::Mul => x.wrapping_mul(y),
                ArithOp::IDiv => int_idiv(x, y).ok_or(ArithError::DivByZero)?,
                ArithOp::Mod => int_mod(x, y).ok_or(ArithError::ModByZero)?,
                _ => x.wrapping_neg(),
            }));
        }
    }
    let x = as_f64(&a);
    let y = as_f64(&b);
    Ok(Value::Float(match op {
        ArithOp::Add => x + y,
        ArithOp::Sub => x - y,
        ArithOp::Mul => x * y,
        ArithOp::Div => x / y,
        ArithOp::Pow => pow(x, y),
        ArithOp::IDiv => float_idiv(x, y),
        ArithOp::Mod => float_mod(x, y),
        _ => -x,
    }))
}

#[inline]
fn as_f64(v: &Value) -> f64 {
    match *v {
        Value::Int(i) => i as f64,
        Value::Float(f) => f,
        _ => 0.0,
    }
}

fn to_int_for_bitwise(v: &Value) -> Result<i64, ArithError> {
    match to_number(v) {
        Some(Value::Int(i)) => Ok(i),
        Some(Value::Float(f)) => float_to_int(f, Rounding::Exact).ok_or(ArithError::NoInteger),
        _ => Err(ArithError::NotNumber),
    }
}

const TWO63: f64 = 9_223_372_036_854_775_808.0;

/// `i < f` exactly.
#[inline]
pub fn int_lt_float(i: i64, f: f64) -> bool {
    if f >= TWO63 {
        true
    } else if f > -TWO63 {
        i < number::ceil(f) as i64
    } else {
        false
    }
}

/// `i <= f` exactly.
#[inline]
pub fn int_le_float(i: i64, f: f64) -> bool {
    if f >= TWO63 {
        true
    } else if f >= -TWO63 {
        i <= number::floor(f) as i64
    } else {
        false
    }
}

/// `f < i` exactly.
#[inline]
pub fn float_lt_int(f: f64, i: i64) -> bool {
    if f >= TWO63 {
        false
    } else if f >= -TWO63 {
        (number::floor(f) as i64) < i
    } else {
        !f.is_nan()
    }
}

/// `f <= i` exactly.
#[inline]
pub fn float_le_int(f: f64, i: i64) -> bool {
    if f >= TWO63 {
        false
    } else if f > -TWO63 {
        (number::ceil(f) as i64) <= i
    } else {
        !f.is_nan()
    }
}

/// `a < b` for two numbers; `None` if either is not a number.
#[inline]
pub fn num_lt(a: &Value, b: &Value) -> Option<bool> {
    Some(match (*a, *b) {
        (Value::Int(x), Value::Int(y)) => x < y,
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::Int(x), Value::Float(y)) => int_lt_float(x, y),
        (Value::Float(x), Value::Int(y)) => float_lt_int(x, y),
        _ => return None,
    })
}

/// `a <= b` for two numbers; `None` if either is not a number.
#[inline]
pub fn num_le(a: &Value, b: &Value) -> Option<bool> {
    Some(match (*a, *b) {
        (Value::Int(x), Value::Int(y)) => x <= y,
        (Value::Float(x), Value::Float(y)) => x <= y,
        (Value::Int(x), Value::Float(y)) => int_le_float(x, y),
        (Value::Float(x), Value::Int(y)) => float_le_int(x, y),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_division_and_modulo_floor() {
        assert_eq!(int_idiv(7, 2), Some(3));
        assert_eq!(int_idiv(-7, 2), Some(-4));
        assert_eq!(int_idiv(7, -2), Some(-4));
        assert_eq!(int_idiv(i64::MIN, -1), Some(i64::MIN));
        assert_eq!(int_idiv(1, 0), None);
        assert_eq!(int_mod(-7, 2), Some(1));
        assert_eq!(int_mod(7, -2), Some(-1));
        assert_eq!(int_mod(i64::MIN, -1), Some(0));
        assert_eq!(float_mod(-7.0, 2.0), 1.0);
        assert_eq!(float_mod(5.5, -2.0), -0.5);
    }

    #[test]
    fn shifts_follow_lua_rules() {
        assert_eq!(shift_left(1, 63), i64::MIN);
        assert_eq!(shift_left(1, 64), 0);
        assert_eq!(shift_left(-1, -1), i64::MAX);
        assert_eq!(shift_left(8, -2), 2);
    }

    #[test]
    fn mixed_comparisons_are_exact() {
        let big = (1i64 << 53) + 1;
        assert!(!num_lt(&Value::Int(big), &Value::Float((1u64 << 53) as f64)).unwrap());
        assert!(num_lt(&Value::Float((1u64 << 53) as f64), &Value::Int(big)).unwrap());
        assert!(num_lt(&Value::Int(i64::MAX), &Value::Float(TWO63)).unwrap());
        assert!(!num_le(&Value::Int(1), &Value::Float(f64::NAN)).unwrap());
        assert!(!num_lt(&Value::Float(f64::NAN), &Value::Int(1)).unwrap());
        assert!(num_le(&Value::Float(-TWO63), &Value::Int(i64::MIN)).unwrap());
    }
}
