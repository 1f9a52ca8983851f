//! Number to string conversion (`luaO_tostring`).

use alloc::vec::Vec;

use crate::tvec::{AllocError, TryVec};
use crate::value::Value;

/// Appends the decimal form of an integer.
pub fn int(i: i64, out: &mut Vec<u8>) -> Result<(), AllocError> {
    let mut buf = [0u8; 20];
    let mut n = i.unsigned_abs();
    let mut pos = buf.len();
    loop {
        pos -= 1;
        if let Some(d) = buf.get_mut(pos) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        out.try_push(b'-')?;
    }
    out.try_extend_from_slice(buf.get(pos..).unwrap_or(&[]))
}

/// Appends a float as `tostring` shows it.
pub fn float(f: f64, out: &mut Vec<u8>) -> Result<(), AllocError> {
    crate::numfmt::fmt_float_lua(out, f)
}

/// Appends a number value (integer or float); other values append nothing.
pub fn number(v: &Value, out: &mut Vec<u8>) -> Result<(), AllocError> {
    match *v {
        Value::Int(i) => int(i, out),
        Value::Float(f) => float(f, out),
        _ => Ok(()),
    }
}
