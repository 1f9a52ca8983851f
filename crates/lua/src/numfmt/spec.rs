//! Conversion specifications of `string.format`, checked by the rules of PUC Lua's
//! lstrlib.c: `getformat` takes the longest run of flag, digit and `.` bytes plus one
//! conversion byte, and `checkformat` then allows each conversion only its own flags, a
//! width of at most two digits that does not start with `0`, and (for some) a precision of
//! at most two digits.

use alloc::vec::Vec;

use crate::tvec::{AllocError, TryVec};

/// Bytes `getformat` spans before the conversion byte.
const SPAN_BYTES: &[u8] = b"-+#0 123456789.";
/// A specification (without the `%`) this long or longer is "too long" (PUC's
/// `MAX_FORMAT - 10`).
const TOO_LONG: usize = 22;

/// One parsed `%` item of a format string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Spec {
    /// `-`: pad on the right.
    pub minus: bool,
    /// `+`: always print a sign.
    pub plus: bool,
    /// ` `: print a space where a plus sign would go.
    pub space: bool,
    /// `#`: alternate form (`0x` prefix, kept point and zeros, leading octal zero).
    pub hash: bool,
    /// `0`: pad with zeros after the sign and base prefix.
    pub zero: bool,
    /// Minimum field width, 0..=99.
    pub width: Option<u8>,
    /// Precision, 0..=99; `Some(0)` for a bare `.`.
    pub precision: Option<u8>,
    /// The conversion byte, e.g. `b'd'`.
    pub conv: u8,
}

/// Why a specification was rejected; [`SpecError::message`] gives PUC Lua's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecErrorKind {
    /// "invalid format (too long)": 22 or more bytes between `%` and the conversion.
    TooLong,
    /// "invalid conversion '%...' to 'format'": the conversion byte is not one Lua knows.
    UnknownConversion,
    /// "invalid conversion specification: '%...'": a flag, width or precision the
    /// conversion does not accept.
    BadModifiers,
    /// "specifier '%q' cannot have modifiers".
    QuoteModifiers,
}

/// A rejected specification and the text PUC Lua quotes in its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpecError {
    /// What was wrong.
    pub kind: SpecErrorKind,
    form: [u8; TOO_LONG + 1],
    form_len: u8,
}

impl SpecError {
    fn new(kind: SpecErrorKind, spec: &[u8]) -> Self {
        let mut form = [0u8; TOO_LONG + 1];
        let mut form_len = 0;
        // C prints the form as a C string: it stops at the first NUL.
        for (slot, &b) in form
            .iter_mut()
            .zip(b"%".iter().chain(spec).take_while(|&&b| b != 0))
        {
            *slot = b;
            form_len += 1;
        }
        Self {
            kind,
            form,
            form_len,
        }
    }

    /// The specification as Lua quotes it: `%`, flags, width, precision, conversion.
    pub fn form(&self) -> &[u8] {
        self.form.get(..usize::from(self.form_len)).unwrap_or(&[])
    }

    /// Appends PUC Lua's error message (without the position prefix).
    ///
    /// # Errors
    /// [`AllocError`] if `out` cannot grow.
    pub fn message(&self, out: &mut Vec<u8>) -> Result<(), AllocError> {
        let (before, after): (&[u8], &[u8]) = match self.kind {
            SpecErrorKind::TooLong => {
                return out.try_extend_from_slice(b"invalid format (too long)")
            }
            SpecErrorKind::QuoteModifiers => {
                return out.try_extend_from_slice(b"specifier '%q' cannot have modifiers")
            }
            SpecErrorKind::UnknownConversion => (b"invalid conversion '", b"' to 'format'"),
            SpecErrorKind::BadModifiers => (b"invalid conversion specification: '", b"'"),
        };
        out.try_extend_from_slice(before)?;
        out.try_extend_from_slice(self.form())?;
        out.try_extend_from_slice(after)
    }
}

/// Parses one specification; `fmt` starts just after the `%` (which must not be `%%`).
/// Returns the specification and how many bytes of `fmt` it used, conversion included.
///
/// Accepted: `c` and `p` (flag `-`, width), `s` (`-`, width, precision), `d i` (`-+0 `),
/// `u` (`-0`), `o x X` (`-#0`), `a A e E f g G` (`-+#0 `), and a bare `q`. Width and
/// precision have at most two digits.
///
/// # Errors
/// A [`SpecError`] with PUC Lua's message. PUC checks the argument before the modifiers
/// for `d i u o x X e E f g G p s`, so a caller that wants its exact error when both are
/// wrong converts the argument first and only then reports a `BadModifiers` error.
pub fn parse_spec(fmt: &[u8]) -> Result<(Spec, usize), SpecError> {
    let span = fmt.iter().take_while(|b| SPAN_BYTES.contains(b)).count();
    let used = span + 1;
    let spec = fmt.get(..used).unwrap_or(fmt);
    if used >= TOO_LONG {
        return Err(SpecError::new(SpecErrorKind::TooLong, spec));
    }
    let conv = fmt.get(span).copied().unwrap_or(0);
    let modifiers = fmt.get(..span).unwrap_or(&[]);
    let (flags, precision_ok): (&[u8], bool) = match conv {
        b'c' | b'p' => (b"-", false),
        b's' => (b"-", true),
        b'd' | b'i' => (b"-+0 ", true),
        b'u' => (b"-0", true),
        b'o' | b'x' | b'X' => (b"-#0", true),
        b'a' | b'A' | b'e' | b'E' | b'f' | b'g' | b'G' => (b"-+#0 ", true),
        b'q' if span == 0 => (b"", false),
        b'q' => return Err(SpecError::new(SpecErrorKind::QuoteModifiers, spec)),
        _ => return Err(SpecError::new(SpecErrorKind::UnknownConversion, spec)),
    };
    match check_modifiers(modifiers, flags, precision_ok) {
        Some(mut parsed) => {
            parsed.conv = conv;
            Ok((parsed, used))
        }
        None => Err(SpecError::new(SpecErrorKind::BadModifiers, spec)),
    }
}

/// PUC's `checkformat`: flags from `flags` in any order and number, then a width that does
/// not start with `0`, then (if allowed) `.` and a precision; all of `modifiers` must go.
fn check_modifiers(modifiers: &[u8], flags: &[u8], precision_ok: bool) -> Option<Spec> {
    let mut spec = Spec::default();
    let mut rest = modifiers;
    while let Some((&b, tail)) = rest.split_first() {
        match b {
            b'-' if flags.contains(&b) => spec.minus = true,
            b'+' if flags.contains(&b) => spec.plus = true,
            b' ' if flags.contains(&b) => spec.space = true,
            b'#' if flags.contains(&b) => spec.hash = true,
            b'0' if flags.contains(&b) => spec.zero = true,
            _ => break,
        }
        rest = tail;
    }
    if rest.first() != Some(&b'0') {
        let (width, tail) = two_digits(rest);
        spec.width = width;
        rest = tail;
        if let (Some(b'.'), true) = (rest.first(), precision_ok) {
            let (precision, tail) = two_digits(rest.get(1..).unwrap_or(&[]));
            spec.precision = Some(precision.unwrap_or(0));
            rest = tail;
        }
    }
    rest.is_empty().then_some(spec)
}

/// Up to two leading decimal digits of `s`, and what follows them.
fn two_digits(s: &[u8]) -> (Option<u8>, &[u8]) {
    let n = s.iter().take(2).take_while(|b| b.is_ascii_digit()).count();
    let (digits, rest) = s.split_at_checked(n).unwrap_or((&[], s));
    let value = digits.iter().fold(None, |acc: Option<u8>, &d| {
        Some(acc.unwrap_or(0) * 10 + (d - b'0'))
    });
    (value, rest)
}
