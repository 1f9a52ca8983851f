//! The `data` module: byte buffers read and written at offsets, shared between runtimes.
//!
//! ```lua
//! local data = require("data")
//! local d = data.new(16)         -- shared (monitored): its own lock around each method
//! d:setuint16(0, 0xabcd)         -- native byte order, unaligned, bounds-checked
//! d:getstring(0, 2), #d, tostring(d)
//! local s = data.new(4, "single") -- stays in this runtime; no lock
//! ```
//!
//! The buffer's bytes are charged to the memory limit of the runtime that made or last
//! resized it through a handle, so a loop making buffers is paced by the collector.

use core::ops::Range;

use rust_alloc::vec::Vec;

use lua::tvec::TryVec;
use lua::{Ctx, Lua, LuaResult, NativeFn, Ret, Value};

use crate::class::Class;
use crate::object::{self, Monitor, Object};
use crate::refcount::Ref;

/// A data object: its bytes, behind its lock unless it is SINGLE.
pub(crate) struct Data {
    bytes: Monitor<Buffer>,
}

/// Where a data object's bytes are.
enum Buffer {
    /// Its own buffer (`data.new`).
    Owned(Vec<u8>),
    /// Kernel memory it does not own (`skb:data()`): always SINGLE, so only its runtime
    /// reaches it, and whoever made it resets or clears it before that memory goes.
    View(View),
}

struct View {
    ptr: *mut u8,
    len: usize,
    /// The object owning the memory, kept alive by the view (an `skb:copy()`).
    _owner: Option<Ref<dyn Object>>,
}

// SAFETY: a view lives in a SINGLE object, reached by one runtime under its lock.
unsafe impl Send for View {}

impl Buffer {
    fn bytes(&mut self) -> &mut [u8] {
        match self {
            Buffer::Owned(v) => v,
            Buffer::View(v) if v.ptr.is_null() || v.len == 0 => &mut [],
            // SAFETY: the maker keeps `ptr .. ptr + len` valid until it resets or clears
            // the view (see `Data::view`).
            Buffer::View(v) => unsafe { core::slice::from_raw_parts_mut(v.ptr, v.len) },
        }
    }
}

impl Data {
    /// A SINGLE view of `len` bytes at `ptr`.
    ///
    /// # Safety
    /// The memory stays valid, and is reached by nothing else while the view's runtime
    /// runs, until the view is reset or cleared (or, with `owner`, while `owner` lives).
    pub(crate) unsafe fn view(ptr: *mut u8, len: usize, owner: Option<Ref<dyn Object>>) -> Data {
        let view = View {
            ptr,
            len,
            _owner: owner,
        };
        Data {
            bytes: Monitor::Single(core::cell::UnsafeCell::new(Buffer::View(view))),
        }
    }

    /// Points a view at other memory (same contract as [`Data::view`]); no-op on owned
    /// buffers.
    ///
    /// # Safety
    /// As for `view`.
    pub(crate) unsafe fn reset(&self, ptr: *mut u8, len: usize) {
        self.bytes.with(|b| {
            if let Buffer::View(v) = b {
                v.ptr = ptr;
                v.len = len;
            }
        });
    }

    /// Empties a view: every access is then out of bounds.
    pub(crate) fn clear(&self) {
        // SAFETY: an empty view reaches no memory.
        unsafe { self.reset(core::ptr::null_mut(), 0) };
    }

    /// Runs `f` on the bytes, under the object's lock if it has one.
    fn with<R>(&self, f: impl FnOnce(&mut [u8]) -> R) -> R {
        self.bytes.with(|b| f(b.bytes()))
    }
}

impl Object for Data {
    fn class(&self) -> &'static Class {
        &DATA
    }

    fn is_single(&self) -> bool {
        self.bytes.is_single()
    }
}

/// Declares a getter and a setter for an integer of type `$t` (truncated to its width on
/// set, sign- or zero-extended on get).
macro_rules! accessors {
    ($($get:ident, $set:ident: $t:ty;)*) => {
        $(
            fn $get(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
                get_int::<{ core::mem::size_of::<$t>() }>(cx, stringify!($get), |b| {
                    <$t>::from_ne_bytes(b) as i64
                })
            }

            fn $set(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
                set_int::<{ core::mem::size_of::<$t>() }>(cx, stringify!($set), |v| {
                    (v as $t).to_ne_bytes()
                })
            }
        )*
    };
}

accessors! {
    getint8, setint8: i8;
    getuint8, setuint8: u8;
    getint16, setint16: i16;
    getuint16, setuint16: u16;
    getint32, setint32: i32;
    getuint32, setuint32: u32;
    getint64, setint64: i64;
}

const METHODS: &[(&[u8], NativeFn)] = &[
    (b"getint8", getint8),
    (b"getuint8", getuint8),
    (b"getbyte", getuint8),
    (b"getint16", getint16),
    (b"getuint16", getuint16),
    (b"getint32", getint32),
    (b"getuint32", getuint32),
    (b"getint64", getint64),
    (b"getnumber", getint64),
    (b"setint8", setint8),
    (b"setuint8", setuint8),
    (b"setbyte", setuint8),
    (b"setint16", setint16),
    (b"setuint16", setuint16),
    (b"setint32", setint32),
    (b"setuint32", setuint32),
    (b"setint64", setint64),
    (b"setnumber", setint64),
    (b"getstring", getstring),
    (b"setstring", setstring),
    (b"checksum", checksum),
    (b"resize", resize),
];

/// The class of data objects.
pub(crate) static DATA: Class = Class {
    name: "data",
    methods: METHODS,
    metamethods: &[(b"__len", len), (b"__tostring", tostring)],
    atomic: true,
};

/// Opens the `data` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    crate::require::library(lua, &[(b"new", new)])
}

/// A zeroed buffer of `n` bytes.
fn zeroed(n: usize) -> LuaResult<Vec<u8>> {
    let mut bytes = Vec::new();
    bytes.try_resize(n, 0)?;
    Ok(bytes)
}

/// Charges the buffer's size to the userdata `v` (see the module comment).
fn charge(cx: &mut Ctx<'_>, v: &Value, size: usize) -> LuaResult<()> {
    match v {
        Value::UserData(u) => cx.lua.set_userdata_extra::<Ref<dyn Object>>(*u, size),
        _ => Ok(()),
    }
}

/// `data.new(size [, mode])`: `mode` is `"shared"` (the default) or `"single"`.
fn new(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let size = cx.check_int(1)?;
    let single = cx.check_option(2, Some("shared"), &["shared", "single"])? == 1;
    let size = match usize::try_from(size) {
        Ok(n) if n > 0 => n,
        _ => return Err(cx.error(format_args!("not enough memory"))),
    };
    let bytes = Buffer::Owned(zeroed(size)?);
    let bytes = Monitor::new(&DATA, single, bytes).map_err(|_| lua::Error::Memory)?;
    let d = object::new(cx.lua, Data { bytes })?;
    cx.push(d)?;
    charge(cx, &d, size)?;
    Ok(Ret::Values(1))
}

/// The data object of argument 1; argument errors of a shared one read as C Lunatik's
/// monitored methods do.
fn this(cx: &mut Ctx<'_>, name: &'static str) -> LuaResult<Ref<Data>> {
    let d = object::check::<Data>(cx, 1, &DATA)?;
    if !d.is_single() {
        cx.report_as(name);
    }
    Ok(d)
}

/// `off .. off + len` if it lies inside `size` bytes and is not empty.
fn span(off: i64, len: i64, size: usize) -> Option<Range<usize>> {
    let start = usize::try_from(off).ok()?;
    let len = usize::try_from(len).ok().filter(|&n| n > 0)?;
    let end = start.checked_add(len).filter(|&e| e <= size)?;
    Some(start..end)
}

fn out_of_bounds(cx: &mut Ctx<'_>) -> lua::Error {
    cx.arg_error(2, format_args!("out of bounds"))
}

fn get_int<const N: usize>(
    cx: &mut Ctx<'_>,
    name: &'static str,
    decode: fn([u8; N]) -> i64,
) -> LuaResult<Ret> {
    let d = this(cx, name)?;
    let off = cx.check_int(2)?;
    let value = d.with(|bytes| {
        let range = span(off, N as i64, bytes.len())?;
        let mut word = [0u8; N];
        word.copy_from_slice(bytes.get(range)?);
        Some(decode(word))
    });
    match value {
        Some(v) => cx.ret1(Value::Int(v)),
        None => Err(out_of_bounds(cx)),
    }
}

fn set_int<const N: usize>(
    cx: &mut Ctx<'_>,
    name: &'static str,
    encode: fn(i64) -> [u8; N],
) -> LuaResult<Ret> {
    let d = this(cx, name)?;
    let off = cx.check_int(2)?;
    // C Lunatik checks the bounds before the value.
    let in_bounds = d.with(|bytes| span(off, N as i64, bytes.len()).is_some());
    if !in_bounds {
        return Err(out_of_bounds(cx));
    }
    let word = encode(cx.check_int(3)?);
    let written = d.with(|bytes| {
        let range = span(off, N as i64, bytes.len())?;
        bytes.get_mut(range)?.copy_from_slice(&word);
        Some(())
    });
    match written {
        Some(()) => Ok(Ret::Values(0)),
        None => Err(out_of_bounds(cx)),
    }
}

/// `d:getstring(off [, len])`: `len` bytes (default: up to the end) as a string.
fn getstring(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let d = this(cx, "getstring")?;
    let off = cx.check_int(2)?;
    let len = match cx.arg(3) {
        Value::Nil => None,
        _ => Some(cx.check_int(3)?),
    };
    let lua = &mut *cx.lua;
    let s = d.with(|bytes| {
        let len = len.unwrap_or_else(|| (bytes.len() as i64).saturating_sub(off));
        let range = span(off, len, bytes.len())?;
        // A string in the heap, made under the lock: allocation only, no collection.
        Some(lua.str_value(bytes.get(range)?))
    });
    match s {
        Some(s) => {
            let s = s?;
            cx.ret1(s)
        }
        None => Err(out_of_bounds(cx)),
    }
}

/// `d:setstring(off, s)`: copies `s` to `off`.
fn setstring(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let d = this(cx, "setstring")?;
    let off = cx.check_int(2)?;
    let s = cx.check_str(3)?;
    let src = s.as_bytes();
    let written = d.with(|bytes| {
        let range = span(off, src.len() as i64, bytes.len())?;
        bytes.get_mut(range)?.copy_from_slice(src);
        Some(())
    });
    match written {
        Some(()) => Ok(Ret::Values(0)),
        None => Err(out_of_bounds(cx)),
    }
}

/// The folded 16-bit ones' complement sum of `bytes`, as the kernel's
/// `csum_fold(csum_partial(bytes, len, 0))`: 16-bit words in memory order.
fn internet_checksum(bytes: &[u8]) -> u16 {
    let mut words = bytes.chunks_exact(2);
    let mut sum: u64 = words
        .by_ref()
        .map(|w| u64::from(u16::from_ne_bytes(w.try_into().unwrap_or([0; 2]))))
        .sum();
    if let [last] = words.remainder() {
        sum += u64::from(u16::from_ne_bytes([*last, 0]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// `d:checksum([off [, len]])`: the Internet checksum of a range (default: everything).
fn checksum(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let d = this(cx, "checksum")?;
    let off = cx.opt_int(2, 0)?;
    let len = match cx.arg(3) {
        Value::Nil => None,
        _ => Some(cx.check_int(3)?),
    };
    let sum = d.with(|bytes| {
        let len = len.unwrap_or_else(|| (bytes.len() as i64).saturating_sub(off));
        let range = span(off, len, bytes.len())?;
        Some(internet_checksum(bytes.get(range)?))
    });
    match sum {
        Some(sum) => cx.ret1(Value::Int(i64::from(sum))),
        None => Err(out_of_bounds(cx)),
    }
}

/// `d:resize(n)`: keeps the first `n` bytes (new ones are zero).
fn resize(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let d = this(cx, "resize")?;
    let n = cx.check_int(2)?;
    if d.bytes.with(|b| matches!(b, Buffer::View(_))) {
        return Err(cx.error(format_args!("cannot resize external memory")));
    }
    let n = match usize::try_from(n) {
        Ok(n) if n > 0 => n,
        _ => {
            // As C Lunatik: the buffer is freed, then the call fails.
            let old = d
                .bytes
                .with(|b| core::mem::replace(b, Buffer::Owned(Vec::new())));
            drop(old);
            return Err(cx.error(format_args!("not enough memory")));
        }
    };
    // The new buffer is allocated outside the lock, filled and swapped in under it.
    let mut fresh = zeroed(n)?;
    let old = d.bytes.with(|b| {
        let bytes = b.bytes();
        let keep = bytes.len().min(n);
        if let (Some(dst), Some(src)) = (fresh.get_mut(..keep), bytes.get(..keep)) {
            dst.copy_from_slice(src);
        }
        core::mem::replace(b, Buffer::Owned(fresh))
    });
    drop(old);
    let this = cx.arg(1);
    charge(cx, &this, n)?;
    Ok(Ret::Values(0))
}

/// `#d`: the size in bytes.
fn len(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let d = object::check::<Data>(cx, 1, &DATA)?;
    let n = d.with(|bytes| bytes.len());
    cx.ret1(Value::Int(n as i64))
}

/// `tostring(d)`: the bytes as a string.
fn tostring(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let d = object::check::<Data>(cx, 1, &DATA)?;
    let lua = &mut *cx.lua;
    let s = d.with(|bytes| lua.str_value(bytes))?;
    cx.ret1(s)
}
