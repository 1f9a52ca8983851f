//! `string.pack`, `string.unpack` and `string.packsize` (§6.4.2): binary layouts
//! described by a format string, with C's sizes for an LP64 target (`int` 4 bytes,
//! `long`, `size_t`, `lua_Integer` and `lua_Number` 8 bytes) and its native byte order.
//!
//! Alignment is off until `!` sets a maximum; an option is then aligned to the smaller
//! of its own size and that maximum, which must be a power of two.

use alloc::vec::Vec;

use crate::api::{Ctx, Ret};
use crate::error::LuaResult;
use crate::tvec::TryVec;
use crate::value::Value;

use super::start_pos;

/// Largest size a format may describe (PUC's `MAX_SIZE` on LP64: `lua_Integer`'s
/// maximum); what `pack` builds is still bounded by the string limit and memory.
const MAX_FORMAT_SIZE: usize = i64::MAX as usize;

/// Bytes in a `lua_Integer`.
const SZINT: usize = 8;
/// Largest size of an `i[n]`/`I[n]`/`s[n]`/`!n` (`MAXINTSIZE`).
const MAX_INT_SIZE: usize = 16;
/// Default maximum alignment for a bare `!` (the C ABI's strictest alignment).
const NATIVE_ALIGN: usize = 8;
/// What padding bytes contain (`LUAL_PACKPADBYTE`).
const PAD: u8 = 0;

/// What an option does (`KOption`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Uint,
    Float,
    Number,
    Double,
    /// `c[n]`: a fixed-size string.
    Char,
    /// `s[n]`: a string preceded by its length.
    Str,
    /// `z`: a zero-terminated string.
    Zstr,
    /// `x`: one byte of padding.
    Padding,
    /// `X[op]`: align to `op`.
    PadAlign,
    /// Settings and spaces.
    Nop,
}

/// The state of a format string being read (`Header` plus the read position).
struct Format<'a> {
    fmt: &'a [u8],
    at: usize,
    little: bool,
    max_align: usize,
}

/// One option with its size and the padding before it.
struct Item {
    kind: Kind,
    size: usize,
    pad: usize,
}

impl<'a> Format<'a> {
    fn new(fmt: &'a [u8]) -> Self {
        Format {
            fmt,
            at: 0,
            little: cfg!(target_endian = "little"),
            max_align: 1,
        }
    }

    fn is_done(&self) -> bool {
        self.at >= self.fmt.len()
    }

    /// An optional decimal count (`getnum`); `None` when no digit follows.
    fn number(&mut self) -> Option<usize> {
        let digit = |f: &Self| {
            f.fmt
                .get(f.at)
                .filter(|b| b.is_ascii_digit())
                .map(|b| usize::from(b - b'0'))
        };
        let mut a = digit(self)?;
        self.at += 1;
        while let Some(d) = digit(self) {
            if a > (MAX_FORMAT_SIZE - 9) / 10 {
                break;
            }
            a = a * 10 + d;
            self.at += 1;
        }
        Some(a)
    }

    /// A size in `1..=16` (`getnumlimit`), `default` when no digits follow.
    fn limited(&mut self, cx: &mut Ctx<'_>, default: usize) -> LuaResult<usize> {
        let n = self.number().unwrap_or(default);
        if n > MAX_INT_SIZE || n == 0 {
            return Err(cx.error(format_args!(
                "integral size ({}) out of limits [1,{}]",
                n, MAX_INT_SIZE
            )));
        }
        Ok(n)
    }

    /// Reads one option (`getoption`): its kind and size.
    fn option(&mut self, cx: &mut Ctx<'_>) -> LuaResult<(Kind, usize)> {
        let Some(&opt) = self.fmt.get(self.at) else {
            return Ok((Kind::Nop, 0));
        };
        self.at += 1;
        Ok(match opt {
            b'b' => (Kind::Int, 1),
            b'B' => (Kind::Uint, 1),
            b'h' => (Kind::Int, 2),
            b'H' => (Kind::Uint, 2),
            b'l' | b'j' => (Kind::Int, 8),
            b'L' | b'J' | b'T' => (Kind::Uint, 8),
            b'f' => (Kind::Float, 4),
            b'n' => (Kind::Number, 8),
            b'd' => (Kind::Double, 8),
            b'i' => (Kind::Int, self.limited(cx, 4)?),
            b'I' => (Kind::Uint, self.limited(cx, 4)?),
            b's' => (Kind::Str, self.limited(cx, 8)?),
            b'c' => match self.number() {
                Some(n) => (Kind::Char, n),
                None => return Err(cx.error(format_args!("missing size for format option 'c'"))),
            },
            b'z' => (Kind::Zstr, 0),
            b'x' => (Kind::Padding, 1),
            b'X' => (Kind::PadAlign, 0),
            b' ' => (Kind::Nop, 0),
            b'<' => {
                self.little = true;
                (Kind::Nop, 0)
            }
            b'>' => {
                self.little = false;
                (Kind::Nop, 0)
            }
            b'=' => {
                self.little = cfg!(target_endian = "little");
                (Kind::Nop, 0)
            }
            b'!' => {
                self.max_align = self.limited(cx, NATIVE_ALIGN)?;
                (Kind::Nop, 0)
            }
            _ => {
                let c = char::from(opt);
                return Err(cx.error(format_args!("invalid format option '{}'", c)));
            }
        })
    }

    /// Reads one option and works out the padding it needs at offset `total`
    /// (`getdetails`).
    fn item(&mut self, cx: &mut Ctx<'_>, total: usize) -> LuaResult<Item> {
        let (kind, size) = self.option(cx)?;
        let mut align = size;
        if kind == Kind::PadAlign {
            let next = if self.is_done() {
                None
            } else {
                Some(self.option(cx)?)
            };
            match next {
                Some((k, a)) if k != Kind::Char && a != 0 => align = a,
                _ => {
                    return Err(cx.arg_error(1, format_args!("invalid next option for option 'X'")))
                }
            }
        }
        let pad = if align <= 1 || kind == Kind::Char {
            0
        } else {
            let align = align.min(self.max_align);
            if !align.is_power_of_two() {
                return Err(
                    cx.arg_error(1, format_args!("format asks for alignment not power of 2"))
                );
            }
            (align - (total & (align - 1))) & (align - 1)
        };
        Ok(Item { kind, size, pad })
    }
}

/// Appends `n` as a `size`-byte integer, sign-extending past 8 bytes when `negative`.
fn pack_int(out: &mut Vec<u8>, n: u64, little: bool, size: usize, negative: bool) -> LuaResult<()> {
    let start = out.len();
    for i in 0..size {
        let b = if i < SZINT {
            (n >> (8 * i)) as u8
        } else if negative {
            0xff
        } else {
            0
        };
        out.try_push(b)?;
    }
    if !little {
        if let Some(bytes) = out.get_mut(start..) {
            bytes.reverse();
        }
    }
    Ok(())
}

/// Appends raw bytes in the requested order (they come in little-endian order).
fn pack_bytes(out: &mut Vec<u8>, le: &[u8], little: bool) -> LuaResult<()> {
    if little {
        out.try_extend_from_slice(le)?;
    } else {
        for &b in le.iter().rev() {
            out.try_push(b)?;
        }
    }
    Ok(())
}

/// `string.pack (fmt, v1, v2, ···)`
pub(super) fn pack(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let fs = cx.check_str(1)?;
    let mut f = Format::new(fs.as_bytes());
    // PUC pushes a nil mark above the arguments, so the first missing one reads "got nil".
    cx.push(Value::Nil)?;
    let mut out = Vec::new();
    let mut arg = 1;
    while !f.is_done() {
        let item = f.item(cx, out.len())?;
        if item.size.saturating_add(item.pad) > MAX_FORMAT_SIZE - out.len() {
            return Err(cx.arg_error(arg, format_args!("result too long")));
        }
        super::check_room(
            cx.lua,
            out.len().saturating_add(item.pad).saturating_add(item.size),
        )?;
        out.try_resize(out.len() + item.pad, PAD)?;
        arg += 1;
        let size = item.size;
        match item.kind {
            Kind::Int => {
                let n = cx.check_int(arg)?;
                if size < SZINT {
                    let lim = 1i64 << (size * 8 - 1);
                    if !(-lim <= n && n < lim) {
                        return Err(cx.arg_error(arg, format_args!("integer overflow")));
                    }
                }
                pack_int(&mut out, n as u64, f.little, size, n < 0)?;
            }
            Kind::Uint => {
                let n = cx.check_int(arg)?;
                if size < SZINT && (n as u64) >= 1u64 << (size * 8) {
                    return Err(cx.arg_error(arg, format_args!("unsigned overflow")));
                }
                pack_int(&mut out, n as u64, f.little, size, false)?;
            }
            Kind::Float => {
                let x = cx.check_float(arg)? as f32;
                pack_bytes(&mut out, &x.to_le_bytes(), f.little)?;
            }
            Kind::Number | Kind::Double => {
                let x = cx.check_float(arg)?;
                pack_bytes(&mut out, &x.to_le_bytes(), f.little)?;
            }
            Kind::Char => {
                let s = cx.check_str(arg)?;
                if s.len() > size {
                    return Err(cx.arg_error(arg, format_args!("string longer than given size")));
                }
                out.try_extend_from_slice(s.as_bytes())?;
                out.try_resize(out.len() + (size - s.len()), PAD)?;
            }
            Kind::Str => {
                let s = cx.check_str(arg)?;
                let len = s.len() as u64;
                if size < SZINT && len >= 1u64 << (size * 8) {
                    return Err(cx.arg_error(
                        arg,
                        format_args!("string length does not fit in given size"),
                    ));
                }
                pack_int(&mut out, len, f.little, size, false)?;
                out.try_extend_from_slice(s.as_bytes())?;
            }
            Kind::Zstr => {
                let s = cx.check_str(arg)?;
                if s.as_bytes().contains(&0) {
                    return Err(cx.arg_error(arg, format_args!("string contains zeros")));
                }
                out.try_extend_from_slice(s.as_bytes())?;
                out.try_push(0)?;
            }
            Kind::Padding => {
                out.try_push(PAD)?;
                arg -= 1;
            }
            Kind::PadAlign | Kind::Nop => arg -= 1,
        }
    }
    let v = cx.lua.str_value(&out)?;
    cx.ret1(v)
}

/// `string.packsize (fmt)`
pub(super) fn packsize(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let fs = cx.check_str(1)?;
    let mut f = Format::new(fs.as_bytes());
    let mut total = 0usize;
    while !f.is_done() {
        let item = f.item(cx, total)?;
        if matches!(item.kind, Kind::Str | Kind::Zstr) {
            return Err(cx.arg_error(1, format_args!("variable-length format")));
        }
        let size = item.size + item.pad;
        if total > MAX_FORMAT_SIZE.saturating_sub(size) {
            return Err(cx.arg_error(1, format_args!("format result too large")));
        }
        total += size;
    }
    cx.ret1(Value::Int(total as i64))
}

/// Reads a `size`-byte integer (`unpackint`).
fn unpack_int(cx: &mut Ctx<'_>, bytes: &[u8], little: bool, signed: bool) -> LuaResult<i64> {
    let size = bytes.len();
    let at = |i: usize| {
        bytes
            .get(if little { i } else { size - 1 - i })
            .copied()
            .unwrap_or(0)
    };
    let limit = size.min(SZINT);
    let mut res: u64 = 0;
    for i in (0..limit).rev() {
        res = (res << 8) | u64::from(at(i));
    }
    if size < SZINT {
        if signed {
            let mask = 1u64 << (size * 8 - 1);
            res = (res ^ mask).wrapping_sub(mask);
        }
    } else if size > SZINT {
        let fill = if !signed || (res as i64) >= 0 {
            0
        } else {
            0xff
        };
        if (limit..size).any(|i| at(i) != fill) {
            return Err(cx.error(format_args!(
                "{}-byte integer does not fit into Lua Integer",
                size
            )));
        }
    }
    Ok(res as i64)
}

/// The `N` bytes at `data[pos..]` in little-endian order.
fn take<const N: usize>(data: &[u8], pos: usize, little: bool) -> [u8; N] {
    let mut b = [0u8; N];
    if let Some(src) = data.get(pos..pos + N) {
        b.copy_from_slice(src);
    }
    if !little {
        b.reverse();
    }
    b
}

/// `string.unpack (fmt, s [, pos])`
pub(super) fn unpack(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let fs = cx.check_str(1)?;
    let ds = cx.check_str(2)?;
    let data = ds.as_bytes();
    let ld = data.len();
    let mut pos = start_pos(cx.opt_int(3, 1)?, ld) - 1;
    if pos > ld {
        return Err(cx.arg_error(3, format_args!("initial position out of string")));
    }
    let mut f = Format::new(fs.as_bytes());
    let mut n = 0;
    while !f.is_done() {
        let item = f.item(cx, pos)?;
        let size = item.size;
        if item.pad.saturating_add(size) > ld - pos {
            return Err(cx.arg_error(2, format_args!("data string too short")));
        }
        pos += item.pad;
        let v = match item.kind {
            Kind::Int | Kind::Uint => {
                let bytes = data.get(pos..pos + size).unwrap_or(&[]);
                Value::Int(unpack_int(cx, bytes, f.little, item.kind == Kind::Int)?)
            }
            Kind::Float => Value::Float(f64::from(f32::from_le_bytes(take::<4>(
                data, pos, f.little,
            )))),
            Kind::Number | Kind::Double => {
                Value::Float(f64::from_le_bytes(take::<8>(data, pos, f.little)))
            }
            Kind::Char => cx.lua.str_value(data.get(pos..pos + size).unwrap_or(&[]))?,
            Kind::Str => {
                let bytes = data.get(pos..pos + size).unwrap_or(&[]);
                let len = unpack_int(cx, bytes, f.little, false)? as u64;
                let room = (ld - pos - size) as u64;
                if len > room {
                    return Err(cx.arg_error(2, format_args!("data string too short")));
                }
                let len = len as usize;
                let v = cx
                    .lua
                    .str_value(data.get(pos + size..pos + size + len).unwrap_or(&[]))?;
                pos += len;
                v
            }
            Kind::Zstr => {
                let rest = data.get(pos..).unwrap_or(&[]);
                let Some(len) = rest.iter().position(|&b| b == 0) else {
                    return Err(cx.arg_error(2, format_args!("unfinished string for format 'z'")));
                };
                let v = cx.lua.str_value(rest.get(..len).unwrap_or(&[]))?;
                pos += len + 1;
                v
            }
            Kind::PadAlign | Kind::Padding | Kind::Nop => {
                pos += size;
                continue;
            }
        };
        cx.push(v)?;
        n += 1;
        pos += size;
    }
    cx.push(Value::Int(pos as i64 + 1))?;
    Ok(Ret::Values(n + 1))
}
