//! `crypto.aead(alg)`: authenticated encryption with associated data (`"gcm(aes)"`).
//! `encrypt` returns the ciphertext followed by the tag; `decrypt` takes them so and
//! raises `EBADMSG` when the tag does not authenticate them.

use lua::{Ctx, LuaResult, Ret};

use super::{Owned, Transform};
use crate::class::Class;
use crate::error::{self, Error};
use crate::ffi::{self, Aead};
use crate::refcount::Ref;

/// The state of a `crypto_aead` object.
pub(super) struct Sealer {
    h: Owned<Aead>,
    ivsize: usize,
}

impl Sealer {
    fn authsize(&self) -> usize {
        // SAFETY: `h` is live (`Owned`).
        unsafe { ffi::lk_crypto_aead_size(self.h.as_ptr(), 1) as usize }
    }
}

static AEAD: Class = Class {
    name: "crypto_aead",
    methods: &[
        (b"algname", algname),
        (b"setkey", setkey),
        (b"setauthsize", setauthsize),
        (b"ivsize", ivsize),
        (b"authsize", authsize),
        (b"encrypt", encrypt),
        (b"decrypt", decrypt),
    ],
    metamethods: &[(b"__close", super::close::<Sealer>)],
    atomic: false,
};

/// `crypto.aead(alg)`.
pub(super) fn new(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let alg = super::alg_name(cx, &AEAD, None)?;
    let h = Owned::new(&alg, ffi::lk_crypto_aead_new, ffi::lk_crypto_aead_free)
        .map_err(|e| super::fail(cx, e))?;
    // SAFETY: `h` is live (`Owned`).
    let ivsize = unsafe { ffi::lk_crypto_aead_size(h.as_ptr(), 0) as usize };
    super::create(cx, &AEAD, Sealer { h, ivsize }, ivsize)
}

fn this(cx: &mut Ctx<'_>, name: &'static str) -> LuaResult<Ref<Transform<Sealer>>> {
    super::this::<Sealer>(cx, &AEAD, name)
}

/// `a:algname()`.
fn algname(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    super::name_method(cx, &AEAD, "algname", |a: &Sealer| {
        // SAFETY: `h` is live (`Owned`).
        unsafe { ffi::lk_crypto_aead_name(a.h.as_ptr()) }
    })
}

/// `a:ivsize()`.
fn ivsize(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    super::size_method(cx, &AEAD, "ivsize", |a: &Sealer| a.ivsize)
}

/// `a:authsize()`: the tag's bytes.
fn authsize(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    super::size_method(cx, &AEAD, "authsize", Sealer::authsize)
}

/// `a:setkey(key)`.
fn setkey(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    super::setkey_method(cx, &AEAD, |a: &Sealer, key, len| {
        // SAFETY: `h` is live; `key` is readable for `len` bytes.
        unsafe { ffi::lk_crypto_aead_setkey(a.h.as_ptr(), key, len) }
    })
}

/// `a:setauthsize(n)`: `n` in `1..=u32::MAX`; `EINVAL` if the algorithm refuses it.
fn setauthsize(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t = this(cx, "setauthsize")?;
    let n = super::check_size(cx, 2)?;
    super::run(cx, &t, |a| {
        // SAFETY: `h` is live (`Owned`).
        error::to_result(unsafe { ffi::lk_crypto_aead_setauthsize(a.h.as_ptr(), super::c_len(n)?) })
    })?;
    Ok(Ret::Values(0))
}

/// `a:encrypt(iv, plaintext [, aad])`, `a:decrypt(iv, ciphertext_and_tag [, aad])`.
fn crypt(cx: &mut Ctx<'_>, name: &'static str, encrypt: bool) -> LuaResult<Ret> {
    let t = this(cx, name)?;
    let iv = cx.check_str(2)?;
    let data = cx.check_str(3)?;
    let aad = cx.opt_str(4)?;
    let out = super::run(cx, &t, |a| {
        let iv = iv.as_bytes();
        if iv.len() != a.ivsize {
            return Err(Error::EINVAL);
        }
        let (data, aad) = (
            data.as_bytes(),
            aad.as_ref().map_or(&[][..], |s| s.as_bytes()),
        );
        let authsize = a.authsize();
        // The result: what follows the associated data, less the tag when decrypting.
        let out_len = if encrypt {
            data.len().checked_add(authsize).ok_or(Error::EINVAL)?
        } else {
            data.len().checked_sub(authsize).ok_or(Error::EBADMSG)?
        };
        let room = if encrypt { authsize } else { 0 };
        let mut buf = super::buffer_of(&[aad, data], room)?;
        super::c_len(buf.len())?;
        // SAFETY: `h` is live; `iv` has `ivsize` bytes; `buf` is kmalloc memory holding
        // `aad`, then `data`, then the tag's room when encrypting (its length fits an
        // `unsigned int`, checked above), not otherwise used until this returns.
        error::to_result(unsafe {
            ffi::lk_crypto_aead_crypt(
                a.h.as_ptr(),
                encrypt,
                iv.as_ptr(),
                buf.as_mut_ptr(),
                aad.len() as u32,
                data.len() as u32,
            )
        })?;
        buf.drain(..aad.len());
        buf.truncate(out_len);
        Ok(buf)
    })?;
    super::ret_bytes(cx, &out)
}

fn encrypt(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    crypt(cx, "encrypt", true)
}

fn decrypt(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    crypt(cx, "decrypt", false)
}
