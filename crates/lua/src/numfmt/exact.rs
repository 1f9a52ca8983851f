//! Exact decimal expansion of a binary number `m * 2^e`, streamed one digit at a time.
//!
//! Every finite double has a finite decimal expansion, so printf's digits can be produced
//! exactly with integer arithmetic alone: no tables, no floating point, no approximation.
//! The value is split into an integer part and a fraction:
//!
//! - The integer part is converted once to base-10^9 "chunks", stored at the top of `limbs`
//!   from `next_chunk` to the end, most significant chunk first.
//! - The fraction is `F / 2^(32 * frac_len)` with `F` in `limbs[..frac_len]`, least
//!   significant limb first. Multiplying `F` by 10^9 pushes the next nine fraction digits
//!   out of the top limb as the carry. Only `limbs[frac_lo..frac_hi]` can be non-zero: the
//!   low limbs fill with the factors of two in 10^9, the high ones with the growing value.
//!
//! Invariant: the two regions never overlap. A fraction exists only when `e < 0`, and then
//! the integer part is below 2^63 (at most 3 chunks, at the top) or zero, while the fraction
//! needs at most 35 limbs for the `e >= -1100` that doubles and their rounding boundaries use.
//! While the integer part is being converted (`set_int_big`), the shrinking binary quotient
//! stays below the chunks written so far: 1026 bits need 33 limbs and each chunk removes
//! about 29.9 bits, so the quotient and the chunks together never exceed 40 limbs.
//!
//! The largest object here is `Expansion` at 184 bytes; nothing recurses.

/// Limbs of the shared integer/fraction store.
const LIMBS: usize = 40;
/// One chunk holds nine decimal digits.
const BASE: u32 = 1_000_000_000;
/// Digits per chunk.
const BASE_DIGITS: u32 = 9;
/// Bound on the zero chunks before the first significant digit (2^-1100 has 331 zeros).
const MAX_ZERO_CHUNKS: u32 = 64;

/// The exact decimal digits of a non-negative `m * 2^e`, most significant first: the digits
/// of the integer part (none when it is zero), then the fraction's digits, then zeros forever.
pub(super) struct Expansion {
    limbs: [u32; LIMBS],
    /// First unread integer chunk; `LIMBS` when all have been read.
    next_chunk: usize,
    frac_lo: usize,
    frac_hi: usize,
    frac_len: usize,
    /// Unread digits of the current chunk as a 9-digit fraction: the next digit is
    /// `cur * 10 / 10^9`. Only the first `cur_left` of those nine digits are unread.
    cur: u32,
    cur_left: u32,
    int_digits: u32,
}

impl Expansion {
    /// The expansion of `m * 2^e`. Exact for `m < 2^63` and `-1100 <= e <= 1000`; doubles
    /// (`e` in `-1074..=971`) and the midpoints between neighbours lie well inside.
    pub(super) fn new(m: u64, e: i32) -> Self {
        let mut x = Self {
            limbs: [0; LIMBS],
            next_chunk: LIMBS,
            frac_lo: 0,
            frac_hi: 0,
            frac_len: 0,
            cur: 0,
            cur_left: 0,
            int_digits: 0,
        };
        if m == 0 {
            return x;
        }
        let zeros = m.trailing_zeros();
        let (m, e) = (m >> zeros, e.saturating_add(zeros as i32));
        if e >= 0 {
            let shift = e.unsigned_abs();
            if shift < m.leading_zeros() {
                x.set_int_small(m << shift);
            } else {
                x.set_int_big(m, shift);
            }
        } else {
            let k = e.unsigned_abs();
            if k < 64 {
                x.set_int_small(m >> k);
                x.set_fraction(m & ((1u64 << k) - 1), k);
            } else {
                x.set_fraction(m, k);
            }
        }
        x
    }

    /// Number of digits before the decimal point (0 when the value is below 1).
    pub(super) fn int_digits(&self) -> u32 {
        self.int_digits
    }

    /// The next digit, 0..=9.
    #[inline]
    pub(super) fn next_digit(&mut self) -> u8 {
        if self.cur_left == 0 {
            self.load_chunk();
        }
        self.cur_left -= 1;
        let t = u64::from(self.cur) * 10;
        self.cur = (t % u64::from(BASE)) as u32;
        (t / u64::from(BASE)) as u8
    }

    /// Whether any digit after those already read is non-zero.
    pub(super) fn rest_is_nonzero(&self) -> bool {
        let chunks = self.limbs.get(self.next_chunk..).unwrap_or(&[]);
        self.cur != 0 || chunks.iter().any(|&c| c != 0) || self.frac_lo < self.frac_hi
    }

    /// For a value below 1: skips the zeros after the decimal point and returns how many there
    /// were, so that the next digit is the first significant one. Returns at once for zero.
    pub(super) fn skip_zeros(&mut self) -> u32 {
        let mut zeros = 0;
        for _ in 0..MAX_ZERO_CHUNKS {
            if self.cur_left == 0 {
                if !self.rest_is_nonzero() {
                    break;
                }
                self.load_chunk();
            }
            if self.cur == 0 {
                zeros += self.cur_left;
                self.cur_left = 0;
                continue;
            }
            // `cur` is non-zero and its digits past `cur_left` are zero, so a non-zero
            // digit comes within the unread ones and the loop stops before `cur_left` is 0.
            while self.cur < BASE / 10 && self.cur_left > 1 {
                self.cur *= 10;
                self.cur_left -= 1;
                zeros += 1;
            }
            break;
        }
        zeros
    }

    /// The decimal exponent of the first significant digit, which becomes the next digit
    /// read. Zero for the value zero.
    pub(super) fn seek_first_digit(&mut self) -> i32 {
        match self.int_digits {
            0 if !self.rest_is_nonzero() => 0,
            0 => -(self.skip_zeros() as i32) - 1,
            n => n as i32 - 1,
        }
    }

    fn load_chunk(&mut self) {
        self.cur = match self.limbs.get(self.next_chunk) {
            Some(&chunk) => {
                self.next_chunk += 1;
                chunk
            }
            None => self.next_fraction_chunk(),
        };
        self.cur_left = BASE_DIGITS;
    }

    /// Multiplies the fraction by 10^9 and returns what moved past the decimal point.
    fn next_fraction_chunk(&mut self) -> u32 {
        let mut carry = 0u64;
        if let Some(live) = self.limbs.get_mut(self.frac_lo..self.frac_hi) {
            for limb in live {
                let t = u64::from(*limb) * u64::from(BASE) + carry;
                *limb = t as u32;
                carry = t >> 32;
            }
        }
        if self.frac_hi < self.frac_len {
            // The product has not reached the top limb yet: it grows by one limb and no
            // digit leaves the fraction.
            if carry != 0 {
                if let Some(limb) = self.limbs.get_mut(self.frac_hi) {
                    *limb = carry as u32;
                    self.frac_hi += 1;
                }
            }
            carry = 0;
        }
        while self.frac_lo < self.frac_hi && self.limbs.get(self.frac_lo) == Some(&0) {
            self.frac_lo += 1;
        }
        carry as u32
    }

    /// Stores a non-zero integer part below 2^64 as chunks and makes its first digit next.
    fn set_int_small(&mut self, v: u64) {
        let base = u64::from(BASE);
        let chunks = [
            (v / base / base) as u32,
            (v / base % base) as u32,
            (v % base) as u32,
        ];
        let first = chunks.iter().position(|&c| c != 0).unwrap_or(chunks.len());
        let mut at = LIMBS;
        for &chunk in chunks.iter().rev().take(chunks.len() - first) {
            at -= 1;
            if let Some(limb) = self.limbs.get_mut(at) {
                *limb = chunk;
            }
        }
        self.next_chunk = at;
        self.start_integer();
    }

    /// Stores the integer `m << shift` (up to 1026 bits) and converts it to chunks in place.
    fn set_int_big(&mut self, m: u64, shift: u32) {
        let word = (shift / 32) as usize;
        let wide = u128::from(m) << (shift % 32);
        for (i, limb) in self.limbs.iter_mut().skip(word).take(3).enumerate() {
            *limb = (wide >> (32 * i)) as u32;
        }
        let mut len = (word + 3).min(LIMBS);
        let mut at = LIMBS;
        while len > 0 {
            while len > 0 && self.limbs.get(len - 1) == Some(&0) {
                len -= 1;
            }
            if len == 0 {
                break;
            }
            let mut rem = 0u64;
            for limb in self.limbs.iter_mut().take(len).rev() {
                let t = (rem << 32) | u64::from(*limb);
                *limb = (t / u64::from(BASE)) as u32;
                rem = t % u64::from(BASE);
            }
            // By the module invariant `at > len` here, so the chunk lands above the quotient.
            at -= 1;
            if let Some(limb) = self.limbs.get_mut(at) {
                *limb = rem as u32;
            }
        }
        self.next_chunk = at;
        self.start_integer();
    }

    /// Loads the (possibly short) most significant chunk and counts the integer digits.
    fn start_integer(&mut self) {
        let Some(&first) = self.limbs.get(self.next_chunk) else {
            return;
        };
        let len = digit_count(first);
        let later = (LIMBS - self.next_chunk - 1) as u32;
        self.int_digits = len + BASE_DIGITS * later;
        self.next_chunk += 1;
        self.cur = first * 10u32.pow(BASE_DIGITS - len);
        self.cur_left = len;
    }

    /// Stores the fraction `frac / 2^k` (`frac < 2^k`, `frac < 2^63`).
    fn set_fraction(&mut self, frac: u64, k: u32) {
        if frac == 0 {
            return;
        }
        let len = k.div_ceil(32) as usize;
        // Shift left so that the binary point falls on a limb boundary.
        let wide = u128::from(frac) << (32 * len as u32 - k);
        let live = len.min(3);
        for (i, limb) in self.limbs.iter_mut().take(live).enumerate() {
            *limb = (wide >> (32 * i)) as u32;
        }
        self.frac_len = len.min(LIMBS - 3);
        self.frac_hi = live;
        while self.frac_lo < self.frac_hi && self.limbs.get(self.frac_lo) == Some(&0) {
            self.frac_lo += 1;
        }
    }
}

/// Decimal digits in `v` (`0 < v < 10^9`); 1 for 0.
fn digit_count(v: u32) -> u32 {
    let mut len = 1;
    let mut bound = 10;
    while len < BASE_DIGITS && v >= bound {
        len += 1;
        bound *= 10;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn digits(m: u64, e: i32, count: usize) -> (i32, Vec<u8>, bool) {
        let mut x = Expansion::new(m, e);
        let exp = x.seek_first_digit();
        let ds = (0..count).map(|_| x.next_digit() + b'0').collect();
        (exp, ds, x.rest_is_nonzero())
    }

    #[test]
    fn one_tenth_has_its_exact_binary_tail() {
        let (m, e) = (0x1999999999999a, -56);
        let (exp, ds, rest) = digits(m, e, 55);
        assert_eq!(exp, -1);
        assert_eq!(
            ds,
            b"1000000000000000055511151231257827021181583404541015625"
        );
        assert!(!rest);
    }

    #[test]
    fn largest_double_has_309_integer_digits() {
        let mut x = Expansion::new((1 << 53) - 1, 971);
        assert_eq!(x.int_digits(), 309);
        assert_eq!(x.seek_first_digit(), 308);
        let ds: Vec<u8> = (0..20).map(|_| x.next_digit() + b'0').collect();
        assert_eq!(ds, b"17976931348623157081");
    }

    #[test]
    fn smallest_subnormal_starts_after_323_zeros() {
        let (exp, ds, rest) = digits(1, -1074, 10);
        assert_eq!(exp, -324);
        assert_eq!(ds, b"4940656458");
        assert!(rest);
    }

    #[test]
    fn midpoint_above_largest_double_fits() {
        let mut x = Expansion::new((1 << 54) - 1, 970);
        assert_eq!(x.seek_first_digit(), 308);
        let ds: Vec<u8> = (0..6).map(|_| x.next_digit() + b'0').collect();
        assert_eq!(ds, b"179769");
    }

    #[test]
    fn integer_and_fraction_parts_meet_at_the_point() {
        let (exp, ds, rest) = digits(0b1011, -2, 4); // 2.75
        assert_eq!((exp, ds.as_slice(), rest), (0, &b"2750"[..], false));
        let (exp, ds, _) = digits(1_000_000_000_000_000_001, 0, 19);
        assert_eq!((exp, ds.as_slice()), (18, &b"1000000000000000001"[..]));
    }

    #[test]
    fn zero_reads_as_zeros() {
        let (exp, ds, rest) = digits(0, 5, 3);
        assert_eq!((exp, ds.as_slice(), rest), (0, &b"000"[..], false));
    }
}
