//! Hexadecimal floats (`%a`) in glibc's layout: a normal number prints as `0x1.<hex>p<exp>`,
//! a subnormal as `0x0.<hex>p-1022`, zero as `0x0p+0`. A rounding carry is not renormalised
//! (`%.0a` of 1.5 is `0x2p+0`), and without a precision the trailing zero digits go.

use alloc::vec::Vec;

use super::push_exponent_plain;
use crate::tvec::{AllocError, TryVec};

/// Hex digits of the 52-bit fraction.
const FRAC_DIGITS: usize = 13;

/// Appends the `%a` body of a finite `x` (no sign): `0x`, digits, `p`, exponent.
pub(super) fn push_hex(
    out: &mut Vec<u8>,
    x: f64,
    prec: Option<u8>,
    hash: bool,
    upper: bool,
) -> Result<(), AllocError> {
    let bits = x.to_bits();
    let mut frac = bits & ((1 << 52) - 1);
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let mut lead = u64::from(biased != 0);
    let exp2 = match (biased, frac) {
        (0, 0) => 0,
        (0, _) => -1022,
        _ => biased - 1023,
    };
    let digits = match prec {
        Some(p) if usize::from(p) < FRAC_DIGITS => {
            let dropped = 4 * (FRAC_DIGITS as u32 - u32::from(p));
            // Keep the leading digit in the number so that a tie at precision 0 looks at
            // its parity and a carry runs into it.
            let kept = (lead << 52 | frac) >> dropped;
            let rest = frac & ((1 << dropped) - 1);
            let half = 1 << (dropped - 1);
            let kept = if rest > half || (rest == half && kept & 1 == 1) {
                kept + 1
            } else {
                kept
            };
            lead = kept >> (52 - dropped);
            frac = (kept << dropped) & ((1 << 52) - 1);
            usize::from(p)
        }
        Some(p) => usize::from(p),
        None => FRAC_DIGITS - (frac.trailing_zeros() as usize / 4).min(FRAC_DIGITS),
    };
    let (table, x_char, p_char) = if upper {
        (b"0123456789ABCDEF", b'X', b'P')
    } else {
        (b"0123456789abcdef", b'x', b'p')
    };
    let nibble = |v: u64| table.get((v & 0xf) as usize).copied().unwrap_or(b'0');
    out.try_reserve(digits + 12).map_err(|_| AllocError)?;
    out.try_extend_from_slice(&[b'0', x_char, nibble(lead)])?;
    if digits > 0 || hash {
        out.try_push(b'.')?;
    }
    for i in 0..digits {
        let d = match i.checked_sub(FRAC_DIGITS) {
            None => nibble(frac >> (4 * (FRAC_DIGITS - 1 - i))),
            Some(_) => b'0',
        };
        out.try_push(d)?;
    }
    out.try_push(p_char)?;
    push_exponent_plain(out, exp2)
}
