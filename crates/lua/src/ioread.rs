//! The half of `io` that does not depend on where files live, shared by the host
//! interpreter's `io` (over C stdio) and the kernel's (over the VFS): the formats of
//! `file:read` and `file:lines` and what each reads, with the semantics of `g_read` in PUC
//! Lua 5.5's liolib.c, over any [`Source`] of bytes; and the check of `io.open`'s mode.
//!
//! Results are built in plain vectors, checked against the state's memory limit as they
//! grow (as the string library does), and what is read is charged to the instruction
//! budget, so a huge file neither passes the limit nor holds the CPU.

use alloc::vec::Vec;

use crate::api::Ctx;
use crate::error::{Error, LuaResult};
use crate::number::{self, Number};
use crate::tvec::TryVec;
use crate::value::Value;

/// Where a read takes its bytes from: a buffered stream.
pub trait Source {
    /// The next byte; `None` at end of file or after a read error, which the source
    /// keeps for its caller to report (as C's `ferror`).
    fn getc(&mut self) -> Option<u8>;
    /// Gives back `c`, the byte the last `getc` returned (C's `ungetc`).
    fn ungetc(&mut self, c: u8);
    /// Reads up to `buf.len()` bytes into `buf` and returns how many; fewer only at end of
    /// file or after a read error.
    fn read(&mut self, buf: &mut [u8]) -> usize;
}

/// One format of `read`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Up to this many bytes (`0`: test for end of file).
    Count(usize),
    /// `"n"`: a numeral.
    Number,
    /// `"l"` (without the newline) or `"L"` (with it).
    Line { keep_newline: bool },
    /// `"a"`: the rest of the file.
    All,
}

/// Where the formats of a read are.
#[derive(Clone, Copy, Debug)]
pub enum Formats {
    /// The call's arguments from `first` on (`file:read(...)`).
    Args { first: usize },
    /// `count` upvalues from `first` on (a `lines` iterator). Errors number them from 2,
    /// as PUC Lua, which pushes them after the file.
    Upvalues { first: usize, count: usize },
}

/// Most formats one `lines` call takes (PUC Lua's limit, so the same calls fail).
pub const MAX_LINE_FORMATS: usize = 250;

/// Longest numeral `read("n")` accepts (PUC Lua's `L_MAXLENNUM`, so the same inputs fail).
const NUMERAL_MAX: usize = 200;

/// Bytes read at a time by counts and `"a"`.
const CHUNK_BYTES: usize = 4096;

/// Bytes of input per unit of the instruction budget.
const BYTES_PER_FUEL: usize = 64;

/// True for an `fopen` mode as C Lua checks it (`l_checkmode`): `r`, `w` or `a`, an
/// optional `+`, then only `b`s.
pub fn is_valid_mode(mode: &[u8]) -> bool {
    let Some((first, rest)) = mode.split_first() else {
        return false;
    };
    let rest = rest.strip_prefix(b"+").unwrap_or(rest);
    matches!(first, b'r' | b'w' | b'a') && rest.iter().all(|&c| c == b'b')
}

/// The format `v`, found at argument `arg` (for error messages).
///
/// # Errors
/// `bad argument #arg to 'f' (invalid format)`, `(string expected, got T)` or `(number has
/// no integer representation)`.
pub fn parse_format(cx: &mut Ctx<'_>, v: Value, arg: usize) -> LuaResult<Format> {
    match v {
        Value::Int(_) | Value::Float(_) => match crate::arith::to_integer(&v) {
            // `luaL_checkinteger` cast to `size_t`: a negative count is a huge one.
            Some(n) => Ok(Format::Count(n as u64 as usize)),
            None => Err(cx.arg_error(arg, format_args!("number has no integer representation"))),
        },
        Value::Str(s) => {
            let b = s.as_bytes();
            match b.strip_prefix(b"*").unwrap_or(b).first() {
                Some(b'n') => Ok(Format::Number),
                Some(b'l') => Ok(Format::Line {
                    keep_newline: false,
                }),
                Some(b'L') => Ok(Format::Line { keep_newline: true }),
                Some(b'a') => Ok(Format::All),
                _ => Err(cx.arg_error(arg, format_args!("invalid format"))),
            }
        }
        _ => {
            let got = crate::tvec::try_copy_of(cx.lua.type_name_of(&v).as_bytes())?;
            Err(cx.arg_error(
                arg,
                format_args!("string expected, got {}", crate::api::Bytes(&got)),
            ))
        }
    }
}

/// Reads one value per format (a line when there are none) and pushes them, stopping
/// after the first that fails, whose value is `nil` (`g_read`). Returns how many values it
/// pushed. A read error ends the read as end of file does: the caller then asks its
/// source whether one happened and reports that instead of the values.
///
/// # Errors
/// A bad format (argument errors), out of memory, `Error::Abort` from the budget.
pub fn read<S: Source + ?Sized>(
    cx: &mut Ctx<'_>,
    src: &mut S,
    formats: Formats,
) -> LuaResult<usize> {
    let (count, arg0) = match formats {
        Formats::Args { first } => ((cx.nargs() + 1).saturating_sub(first), first),
        Formats::Upvalues { count, .. } => (count, 2),
    };
    if count == 0 {
        let v = read_line(cx, src, false)?;
        cx.push(v.unwrap_or(Value::Nil))?;
        return Ok(1);
    }
    for k in 0..count {
        let v = match formats {
            Formats::Args { first } => cx.arg(first + k),
            Formats::Upvalues { first, .. } => cx.upvalue(first + k),
        };
        let value = match parse_format(cx, v, arg0 + k)? {
            Format::Count(0) => match src.getc() {
                Some(c) => {
                    src.ungetc(c);
                    Some(cx.lua.str_value(b"")?)
                }
                None => None,
            },
            Format::Count(n) => read_chars(cx, src, n)?,
            Format::Number => read_number(src).map(|n| match n {
                Number::Int(i) => Value::Int(i),
                Number::Float(x) => Value::Float(x),
            }),
            Format::Line { keep_newline } => read_line(cx, src, keep_newline)?,
            Format::All => match read_chars(cx, src, usize::MAX)? {
                Some(v) => Some(v),
                None => Some(cx.lua.str_value(b"")?),
            },
        };
        match value {
            Some(v) => cx.push(v)?,
            None => {
                cx.push(Value::Nil)?;
                return Ok(k + 1);
            }
        }
    }
    Ok(count)
}

/// Makes room for `more` bytes in `out`, within the memory limit.
fn reserve(cx: &mut Ctx<'_>, out: &mut Vec<u8>, more: usize) -> LuaResult<()> {
    crate::lib_string::check_room(cx.lua, out.len().saturating_add(more))?;
    out.try_reserve(more).map_err(|_| Error::Memory)
}

/// A line; `None` at end of file with nothing read.
fn read_line<S: Source + ?Sized>(
    cx: &mut Ctx<'_>,
    src: &mut S,
    keep_newline: bool,
) -> LuaResult<Option<Value>> {
    let mut line = Vec::new();
    let newline = loop {
        match src.getc() {
            None => break false,
            Some(b'\n') => break true,
            Some(c) => {
                if line.len() == line.capacity() {
                    cx.lua.charge_fuel((line.len() / BYTES_PER_FUEL) as i64)?;
                    let more = line.capacity().max(CHUNK_BYTES / 16);
                    reserve(cx, &mut line, more)?;
                }
                line.try_push(c)?;
            }
        }
    };
    if !newline && line.is_empty() {
        return Ok(None);
    }
    if newline && keep_newline {
        line.try_push(b'\n')?;
    }
    Ok(Some(cx.lua.str_value(&line)?))
}

/// Up to `n` bytes; `None` when none could be read.
fn read_chars<S: Source + ?Sized>(
    cx: &mut Ctx<'_>,
    src: &mut S,
    n: usize,
) -> LuaResult<Option<Value>> {
    let mut out = Vec::new();
    while out.len() < n {
        let want = (n - out.len()).min(CHUNK_BYTES);
        let len = out.len();
        reserve(cx, &mut out, want)?;
        out.try_resize(len + want, 0)?;
        let got = out.get_mut(len..).map_or(0, |room| src.read(room));
        out.truncate(len + got.min(want));
        cx.lua.charge_fuel((got / BYTES_PER_FUEL) as i64 + 1)?;
        if got < want {
            break;
        }
    }
    if out.is_empty() {
        return Ok(None);
    }
    Ok(Some(cx.lua.str_value(&out)?))
}

/// Reads the longest prefix that looks like a Lua numeral (at most [`NUMERAL_MAX`] bytes,
/// after white space) and converts it; `None` when it is not a number. What was read
/// stays consumed (`read_number` in liolib.c).
pub fn read_number<S: Source + ?Sized>(src: &mut S) -> Option<Number> {
    let mut c = src.getc();
    while c.is_some_and(number::is_space) {
        c = src.getc();
    }
    let mut scan = Scan {
        c,
        buf: [0; NUMERAL_MAX],
        len: 0,
        overflow: false,
        src,
    };
    scan.accept(b"+-");
    let mut digits = 0;
    let mut hex = false;
    if scan.accept(b"0") {
        if scan.accept(b"xX") {
            hex = true;
        } else {
            digits = 1;
        }
    }
    digits += scan.accept_digits(hex);
    if scan.accept(b".") {
        digits += scan.accept_digits(hex);
    }
    if digits > 0 && scan.accept(if hex { b"pP" } else { b"eE" }) {
        scan.accept(b"+-");
        scan.accept_digits(false);
    }
    if let Some(c) = scan.c {
        scan.src.ungetc(c);
    }
    if scan.overflow {
        return None;
    }
    number::str_to_number(scan.buf.get(..scan.len)?)
}

/// The state of [`read_number`]: `c` is the look-ahead byte, `buf[..len]` the numeral.
struct Scan<'a, S: ?Sized> {
    c: Option<u8>,
    buf: [u8; NUMERAL_MAX],
    len: usize,
    overflow: bool,
    src: &'a mut S,
}

impl<S: Source + ?Sized> Scan<'_, S> {
    /// Takes the look-ahead into the numeral if it is one of `set`.
    fn accept(&mut self, set: &[u8]) -> bool {
        let Some(c) = self.c.filter(|c| !self.overflow && set.contains(c)) else {
            return false;
        };
        let Some(slot) = self.buf.get_mut(self.len) else {
            self.overflow = true;
            return false;
        };
        *slot = c;
        self.len += 1;
        self.c = self.src.getc();
        true
    }

    fn accept_digits(&mut self, hex: bool) -> usize {
        let mut n = 0;
        while let Some(c) = self.c {
            let is_digit = if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            };
            if !is_digit || !self.accept(&[c]) {
                break;
            }
            n += 1;
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Bytes<'a> {
        data: &'a [u8],
        pos: usize,
    }

    impl Source for Bytes<'_> {
        fn getc(&mut self) -> Option<u8> {
            let c = self.data.get(self.pos).copied();
            self.pos += usize::from(c.is_some());
            c
        }
        fn ungetc(&mut self, _: u8) {
            self.pos -= 1;
        }
        fn read(&mut self, buf: &mut [u8]) -> usize {
            let rest = self.data.get(self.pos..).unwrap_or(&[]);
            let n = rest.len().min(buf.len());
            buf[..n].copy_from_slice(&rest[..n]);
            self.pos += n;
            n
        }
    }

    fn number_of(text: &[u8]) -> (Option<Number>, usize) {
        let mut src = Bytes { data: text, pos: 0 };
        let n = read_number(&mut src);
        (n, src.pos)
    }

    #[test]
    fn numbers_stop_at_the_first_byte_that_cannot_continue_them() {
        assert_eq!(number_of(b"  12 x"), (Some(Number::Int(12)), 4));
        assert_eq!(number_of(b"0x1Fg"), (Some(Number::Int(31)), 4));
        assert_eq!(number_of(b"-1.5e2,"), (Some(Number::Float(-150.0)), 6));
        assert_eq!(number_of(b"1e+"), (None, 3));
        assert_eq!(number_of(b"abc"), (None, 0));
        assert_eq!(number_of(b""), (None, 0));
    }

    #[test]
    fn numerals_longer_than_the_limit_fail() {
        let long = [b'1'; NUMERAL_MAX + 1];
        assert_eq!(number_of(&long).0, None);
        assert!(number_of(&long[..NUMERAL_MAX]).0.is_some());
    }

    #[test]
    fn modes_follow_fopen() {
        for ok in [&b"r"[..], b"w+", b"a+b", b"rb", b"wbb"] {
            assert!(is_valid_mode(ok), "{:?}", ok);
        }
        for bad in [&b""[..], b"x", b"r++", b"+r", b"rw", b"r+x"] {
            assert!(!is_valid_mode(bad), "{:?}", bad);
        }
    }
}
