//! `crypto.rng([alg])`: random number generators (`"stdrng"`, the default, is the DRBG
//! where the kernel has one). The generator is reset with no seed when it is made.

use core::ptr;

use lua::{Ctx, LuaResult, Ret, Value};

use super::{Owned, Transform};
use crate::class::Class;
use crate::error;
use crate::ffi::{self, CryptoRng};
use crate::refcount::Ref;

static RNG: Class = Class {
    name: "crypto_rng",
    methods: &[
        (b"algname", algname),
        (b"generate", generate),
        (b"getbytes", getbytes),
        (b"reset", reset),
        (b"info", info),
    ],
    metamethods: &[(b"__close", super::close::<Owned<CryptoRng>>)],
    atomic: false,
};

/// `crypto.rng([alg])`.
pub(super) fn new(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let alg = super::alg_name(cx, &RNG, Some(b"stdrng"))?;
    let rng = Owned::new(&alg, ffi::lk_crypto_rng_new, ffi::lk_crypto_rng_free)
        .map_err(|e| super::fail(cx, e))?;
    super::create(cx, &RNG, rng, 0)
}

fn this(cx: &mut Ctx<'_>, name: &'static str) -> LuaResult<Ref<Transform<Owned<CryptoRng>>>> {
    super::this::<Owned<CryptoRng>>(cx, &RNG, name)
}

/// `r:algname()`.
fn algname(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    super::name_method(cx, &RNG, "algname", |rng: &Owned<CryptoRng>| {
        // SAFETY: `rng` is live (`Owned`).
        unsafe { ffi::lk_crypto_rng_name(rng.as_ptr(), 0) }
    })
}

/// `n` random bytes; `seed` is added input where the algorithm takes it.
fn bytes(cx: &mut Ctx<'_>, name: &'static str, with_seed: bool) -> LuaResult<Ret> {
    let t = this(cx, name)?;
    let n = super::check_size(cx, 2)?;
    let seed = if with_seed { cx.opt_str(3)? } else { None };
    let out = super::run(cx, &t, |rng| {
        let seed = seed.as_ref().map_or(&[][..], |s| s.as_bytes());
        let src = if seed.is_empty() {
            ptr::null()
        } else {
            seed.as_ptr()
        };
        let mut out = super::buffer(n)?;
        // SAFETY: `rng` is live; `src` is null or `seed`'s bytes; `out` has `n` bytes.
        error::to_result(unsafe {
            ffi::lk_crypto_rng_generate(
                rng.as_ptr(),
                src,
                super::c_len(seed.len())?,
                out.as_mut_ptr(),
                super::c_len(n)?,
            )
        })?;
        Ok(out)
    })?;
    super::ret_bytes(cx, &out)
}

/// `r:generate(n [, seed])`.
fn generate(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    bytes(cx, "generate", true)
}

/// `r:getbytes(n)`.
fn getbytes(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    bytes(cx, "getbytes", false)
}

/// `r:reset([seed])`: reseeds; with no seed, as the algorithm does with none (the DRBG
/// draws from its own entropy sources).
fn reset(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t = this(cx, "reset")?;
    let seed = cx.opt_str(2)?;
    super::run(cx, &t, |rng| {
        let seed = seed.as_ref().map_or(&[][..], |s| s.as_bytes());
        let src = if seed.is_empty() {
            ptr::null()
        } else {
            seed.as_ptr()
        };
        // SAFETY: `rng` is live; `src` is null or `seed`'s bytes.
        error::to_result(unsafe {
            ffi::lk_crypto_rng_reset(rng.as_ptr(), src, super::c_len(seed.len())?)
        })
    })?;
    Ok(Ret::Values(0))
}

/// `r:info()`: `{driver_name = <string>, seedsize = <integer>}`.
fn info(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t = this(cx, "info")?;
    let (driver, seedsize) = super::run(cx, &t, |rng| {
        // SAFETY: `rng` is live (`Owned`).
        let seedsize = unsafe { ffi::lk_crypto_rng_seedsize(rng.as_ptr()) };
        // SAFETY: `rng` is live (`Owned`).
        let driver = super::c_name(unsafe { ffi::lk_crypto_rng_name(rng.as_ptr(), 1) })?;
        Ok((driver, seedsize))
    })?;
    let table = cx.lua.new_table()?;
    let driver = cx.lua.str_value(&driver)?;
    cx.lua.set_field(table, b"driver_name", driver)?;
    cx.lua
        .set_field(table, b"seedsize", Value::Int(i64::from(seedsize)))?;
    cx.ret1(Value::Table(table))
}
