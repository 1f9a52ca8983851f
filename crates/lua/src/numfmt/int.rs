//! Integer digits in bases 8, 10 and 16.

use alloc::vec::Vec;

use crate::tvec::{AllocError, TryVec};

/// "00" to "99", for two decimal digits per division.
const PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Room for the longest case, `u64::MAX` in octal (22 digits).
pub(super) type DigitBuf = [u8; 22];

/// Writes the decimal digits of `v` at the end of `buf` and returns where they start.
pub(super) fn decimal(buf: &mut DigitBuf, mut v: u64) -> usize {
    let mut at = buf.len();
    while v >= 100 {
        let pair = (v % 100) as usize * 2;
        v /= 100;
        at -= 2;
        if let (Some(dst), Some(src)) = (buf.get_mut(at..at + 2), PAIRS.get(pair..pair + 2)) {
            dst.copy_from_slice(src);
        }
    }
    if v >= 10 {
        let pair = v as usize * 2;
        at -= 2;
        if let (Some(dst), Some(src)) = (buf.get_mut(at..at + 2), PAIRS.get(pair..pair + 2)) {
            dst.copy_from_slice(src);
        }
    } else {
        at -= 1;
        if let Some(slot) = buf.get_mut(at) {
            *slot = b'0' + v as u8;
        }
    }
    at
}

/// Writes the digits of `v` in base 8 or 16 at the end of `buf` and returns where they
/// start.
pub(super) fn radix(buf: &mut DigitBuf, mut v: u64, shift: u32, upper: bool) -> usize {
    let table = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mask = (1u64 << shift) - 1;
    let mut at = buf.len();
    loop {
        at -= 1;
        if let (Some(slot), Some(&d)) = (buf.get_mut(at), table.get((v & mask) as usize)) {
            *slot = d;
        }
        v >>= shift;
        if v == 0 || at == 0 {
            return at;
        }
    }
}

/// Appends `v` in decimal.
pub(super) fn push_i64(out: &mut Vec<u8>, v: i64) -> Result<(), AllocError> {
    let mut buf: DigitBuf = [0; 22];
    let at = decimal(&mut buf, v.unsigned_abs());
    if v < 0 {
        out.try_push(b'-')?;
    }
    out.try_extend_from_slice(buf.get(at..).unwrap_or(&[]))
}
