//! The `crypto` module: the kernel crypto API (C Lunatik's `lib/luacrypto_*.c`).
//!
//! ```lua
//! local crypto = require("crypto")
//! local h = crypto.shash("sha256"); h:digest("abc")
//! local c = crypto.skcipher("cbc(aes)"); c:setkey(key); c:encrypt(iv, data)
//! local a = crypto.aead("gcm(aes)"); a:setkey(key); a:encrypt(iv, plaintext, aad)
//! local r = crypto.rng(); r:getbytes(16)
//! local z = crypto.comp("lzo"); z:decompress(z:compress(s, 4096), #s)
//! ```
//! One file per class under `crypto/`; this file holds what they share. Every class is
//! monitored (a mutex: the crypto API may sleep) and process-only, as in C Lunatik: a
//! constructor in a softirq or hardirq runtime raises the class guard's message, and a
//! transform never reaches such a runtime. A failed kernel call raises the errno name
//! (`ENOENT` for an unknown algorithm, `EINVAL`, `EBADMSG`).

mod aead;
mod comp;
mod rng;
mod shash;
mod skcipher;

pub(crate) use skcipher::decrypt_once;

use core::ffi::{c_char, c_int, c_uint, CStr};
use core::ptr::{self, NonNull};

use rust_alloc::vec::Vec;

use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::class::Class;
use crate::error::{self, Error};
use crate::object::{self, Monitor, Object, Refusal};
use crate::refcount::Ref;
use crate::runtime::{self, Context};

/// Opens the `crypto` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    crate::require::library(
        lua,
        &[
            (b"shash", shash::new),
            (b"skcipher", skcipher::new),
            (b"aead", aead::new),
            (b"rng", rng::new),
            (b"comp", comp::new),
        ],
    )
}

/// A handle from a `lk_crypto_*_new` of the shim, given back to its `free` on drop.
///
/// # Invariants
/// `raw` came from the constructor paired with `free` and is freed only by `Drop`.
struct Owned<T> {
    raw: NonNull<T>,
    free: unsafe extern "C" fn(*mut T),
}

// SAFETY: a transform may be used from any task as long as one at a time uses it; the
// handle lives in a `Monitor`, whose mutex gives that.
unsafe impl<T> Send for Owned<T> {}

impl<T> Owned<T> {
    /// Allocates the transform for `alg` (NUL-terminated) with the shim's `new`.
    ///
    /// # Errors
    /// What `new` returns: `ENOENT` for an unknown algorithm, `ENOMEM`.
    fn new(
        alg: &[u8],
        new: unsafe extern "C" fn(*const c_char, *mut *mut T) -> c_int,
        free: unsafe extern "C" fn(*mut T),
    ) -> error::Result<Self> {
        let mut raw = ptr::null_mut();
        // SAFETY: `alg` is NUL-terminated (`alg_name`); `new` writes a handle on success.
        error::to_result(unsafe { new(alg.as_ptr().cast(), &mut raw) })?;
        let raw = NonNull::new(raw).ok_or(Error::ENOMEM)?;
        // INVARIANT: just made by the constructor paired with `free`.
        Ok(Owned { raw, free })
    }

    fn as_ptr(&self) -> *mut T {
        self.raw.as_ptr()
    }
}

impl<T> Drop for Owned<T> {
    fn drop(&mut self) {
        // SAFETY: by the type invariant, `raw` is live and this is its only release.
        unsafe { (self.free)(self.raw.as_ptr()) };
    }
}

/// A crypto object of `class`; its state is `None` once closed.
pub(crate) struct Transform<S: Send + 'static> {
    class: &'static Class,
    state: Monitor<Option<S>>,
}

impl<S: Send + 'static> Object for Transform<S> {
    fn class(&self) -> &'static Class {
        self.class
    }
}

/// Argument 1 of a constructor as a NUL-terminated algorithm name, once the class guard
/// allows `class` here (`alg` defaults to `default` if given).
fn alg_name(cx: &mut Ctx<'_>, class: &Class, default: Option<&[u8]>) -> LuaResult<Vec<u8>> {
    let name = match (default, cx.arg(1)) {
        (Some(d), Value::Nil) => lua::tvec::try_copy_of(d)?,
        _ => lua::tvec::try_copy_of(cx.check_str(1)?.as_bytes())?,
    };
    if runtime::context_of(cx.lua) != Context::Process {
        return Err(Refusal::Context(class.name).raise(cx.lua));
    }
    // A name with a NUL names no algorithm.
    crate::file::c_string(&name).map_err(|e| match e {
        Error::EINVAL => raise(cx, Error::ENOENT),
        _ => lua::Error::Memory,
    })
}

/// Pushes a new object of `class` holding `state`, charging `extra` bytes (what the shim
/// allocated for it) to the runtime.
fn create<S: Send + 'static>(
    cx: &mut Ctx<'_>,
    class: &'static Class,
    state: S,
    extra: usize,
) -> LuaResult<Ret> {
    let state = Monitor::new(class, false, Some(state)).map_err(|_| lua::Error::Memory)?;
    let v = object::new(cx.lua, Transform { class, state })?;
    cx.push(v)?;
    if let Value::UserData(u) = v {
        cx.lua.set_userdata_extra::<Ref<dyn Object>>(u, extra)?;
    }
    Ok(Ret::Values(1))
}

/// The object of argument 1; later argument errors read as C Lunatik's monitored methods
/// (`self` is #1, the method's name, no position).
fn this<S: Send + 'static>(
    cx: &mut Ctx<'_>,
    class: &Class,
    name: &'static str,
) -> LuaResult<Ref<Transform<S>>> {
    // A userdata of another class fails in C Lunatik's wrapped method, named after it.
    if matches!(cx.arg(1), Value::UserData(_)) {
        cx.report_as(name);
    }
    let t = object::check::<Transform<S>>(cx, 1, class)?;
    cx.report_as(name);
    Ok(t)
}

/// Runs `f` on the state of `t` under its lock.
///
/// # Errors
/// `null pointer dereference` once closed; the errno name of what `f` returns (`ENOMEM`
/// as `not enough memory`).
fn run<S: Send + 'static, R>(
    cx: &mut Ctx<'_>,
    t: &Transform<S>,
    f: impl FnOnce(&mut S) -> error::Result<R>,
) -> LuaResult<R> {
    match t.state.with(|s| s.as_mut().map(f)) {
        Some(Ok(r)) => Ok(r),
        Some(Err(e)) => Err(fail(cx, e)),
        None => Err(cx.arg_error(1, format_args!("null pointer dereference"))),
    }
}

/// `t:algname()` (or another name): the C string `f` gets from the shim.
fn name_method<S: Send + 'static>(
    cx: &mut Ctx<'_>,
    class: &Class,
    name: &'static str,
    f: impl FnOnce(&S) -> *const c_char,
) -> LuaResult<Ret> {
    let t = this::<S>(cx, class, name)?;
    let bytes = run(cx, &t, |s| c_name(f(s)))?;
    ret_bytes(cx, &bytes)
}

/// A method returning the size `f` reads from the state.
fn size_method<S: Send + 'static>(
    cx: &mut Ctx<'_>,
    class: &Class,
    name: &'static str,
    f: impl FnOnce(&S) -> usize,
) -> LuaResult<Ret> {
    let t = this::<S>(cx, class, name)?;
    let n = run(cx, &t, |s| Ok(f(s)))?;
    cx.ret1(Value::Int(n as i64))
}

/// `t:setkey(key)` through the shim's `set(state, key, len)`: `EINVAL` for a bad key
/// length.
fn setkey_method<S: Send + 'static>(
    cx: &mut Ctx<'_>,
    class: &Class,
    set: impl FnOnce(&S, *const u8, c_uint) -> c_int,
) -> LuaResult<Ret> {
    let t = this::<S>(cx, class, "setkey")?;
    let key = cx.check_str(2)?;
    run(cx, &t, |s| {
        let key = key.as_bytes();
        error::to_result(set(s, key.as_ptr(), c_len(key.len())?))
    })?;
    Ok(Ret::Values(0))
}

/// `__close`: frees the transform now (dropping the last reference does it too).
fn close<S: Send + 'static>(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let Some(t) = object::of_type::<Transform<S>>(&cx.arg(1)) else {
        return Err(cx.arg_error(1, format_args!("invalid object")));
    };
    let state = t.state.with(Option::take);
    drop(state);
    Ok(Ret::Values(0))
}

/// The error for a failed kernel call: its errno name, `ENOMEM` as `not enough memory`.
fn fail(cx: &mut Ctx<'_>, e: Error) -> lua::Error {
    match e {
        Error::ENOMEM => lua::Error::Memory,
        e => raise(cx, e),
    }
}

/// Raises the errno's name, as C Lunatik's `lunatik_throw`.
fn raise(cx: &mut Ctx<'_>, e: Error) -> lua::Error {
    crate::modules::linux::raise(cx, e)
}

/// A length for the crypto API, which counts in `unsigned int`.
///
/// # Errors
/// `EINVAL` beyond `u32::MAX`.
fn c_len(len: usize) -> error::Result<c_uint> {
    c_uint::try_from(len).map_err(|_| Error::EINVAL)
}

/// Argument `i` as a size in `1..=u32::MAX`; else `bad argument #i to 'f' (out of bounds)`.
fn check_size(cx: &mut Ctx<'_>, i: usize) -> LuaResult<usize> {
    let n = cx.check_int(i)?;
    match u32::try_from(n) {
        Ok(n) if n > 0 => Ok(n as usize),
        _ => Err(cx.arg_error(i, format_args!("out of bounds"))),
    }
}

/// A zeroed buffer of `len` bytes.
fn buffer(len: usize) -> error::Result<Vec<u8>> {
    buffer_of(&[], len)
}

/// A buffer holding `parts` one after the other and then `zeros` zero bytes. Its pointer
/// is real even when it is empty: the shim builds scatterlists on it.
fn buffer_of(parts: &[&[u8]], zeros: usize) -> error::Result<Vec<u8>> {
    let len = parts
        .iter()
        .try_fold(zeros, |n, p| n.checked_add(p.len()))
        .ok_or(Error::EINVAL)?;
    let mut b = lua::tvec::try_with_capacity(len.max(1))?;
    for p in parts {
        // Within the capacity: does not allocate.
        lua::tvec::TryVec::try_extend_from_slice(&mut b, p)?;
    }
    lua::tvec::TryVec::try_resize(&mut b, len, 0u8)?;
    Ok(b)
}

/// A copy of the C string `s` (a name the shim returned).
fn c_name(s: *const c_char) -> error::Result<Vec<u8>> {
    if s.is_null() {
        return Ok(Vec::new());
    }
    // SAFETY: the shim returns the transform's NUL-terminated name, alive while it is.
    let s = unsafe { CStr::from_ptr(s) };
    Ok(lua::tvec::try_copy_of(s.to_bytes())?)
}

/// Returns `bytes` as a Lua string.
fn ret_bytes(cx: &mut Ctx<'_>, bytes: &[u8]) -> LuaResult<Ret> {
    let s = cx.lua.str_value(bytes)?;
    cx.ret1(s)
}
