//! `crypto.skcipher(alg)`: symmetric ciphers (`"cbc(aes)"`, `"ecb(aes)"`, `"ctr(aes)"`).
//! The request and the IV buffer are allocated with the transform, so `encrypt` and
//! `decrypt` allocate only their result.

use lua::{Ctx, LuaResult, Ret};
use rust_alloc::vec::Vec;

use super::{Owned, Transform};
use crate::class::Class;
use crate::error::{self, Error};
use crate::ffi::{self, Skcipher};
use crate::refcount::Ref;

/// The state of a `crypto_skcipher` object.
pub(super) struct Cipher {
    h: Owned<Skcipher>,
    ivsize: usize,
    blocksize: usize,
}

static SKCIPHER: Class = Class {
    name: "crypto_skcipher",
    methods: &[
        (b"algname", algname),
        (b"setkey", setkey),
        (b"ivsize", ivsize),
        (b"blocksize", blocksize),
        (b"encrypt", encrypt),
        (b"decrypt", decrypt),
    ],
    metamethods: &[(b"__close", super::close::<Cipher>)],
    atomic: false,
};

/// `crypto.skcipher(alg)`.
pub(super) fn new(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let alg = super::alg_name(cx, &SKCIPHER, None)?;
    let h = Owned::new(
        &alg,
        ffi::lk_crypto_skcipher_new,
        ffi::lk_crypto_skcipher_free,
    )
    .map_err(|e| super::fail(cx, e))?;
    // SAFETY: `h` is live (`Owned`).
    let (ivsize, blocksize) = unsafe {
        (
            ffi::lk_crypto_skcipher_size(h.as_ptr(), 0) as usize,
            ffi::lk_crypto_skcipher_size(h.as_ptr(), 1) as usize,
        )
    };
    let cipher = Cipher {
        h,
        ivsize,
        blocksize,
    };
    super::create(cx, &SKCIPHER, cipher, ivsize)
}

fn this(cx: &mut Ctx<'_>, name: &'static str) -> LuaResult<Ref<Transform<Cipher>>> {
    super::this::<Cipher>(cx, &SKCIPHER, name)
}

/// `c:algname()`.
fn algname(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    super::name_method(cx, &SKCIPHER, "algname", |c: &Cipher| {
        // SAFETY: `h` is live (`Owned`).
        unsafe { ffi::lk_crypto_skcipher_name(c.h.as_ptr()) }
    })
}

/// `c:ivsize()`.
fn ivsize(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    super::size_method(cx, &SKCIPHER, "ivsize", |c: &Cipher| c.ivsize)
}

/// `c:blocksize()`.
fn blocksize(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    super::size_method(cx, &SKCIPHER, "blocksize", |c: &Cipher| c.blocksize)
}

/// `c:setkey(key)`.
fn setkey(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    super::setkey_method(cx, &SKCIPHER, |c: &Cipher, key, len| {
        // SAFETY: `h` is live; `key` is readable for `len` bytes.
        unsafe { ffi::lk_crypto_skcipher_setkey(c.h.as_ptr(), key, len) }
    })
}

/// `c:encrypt(iv, data)`, `c:decrypt(iv, data)`: `iv` of exactly `ivsize()` bytes, `data`
/// as the mode requires (whole blocks for CBC and ECB); the result has `#data` bytes.
fn crypt(cx: &mut Ctx<'_>, name: &'static str, encrypt: bool) -> LuaResult<Ret> {
    let t = this(cx, name)?;
    let iv = cx.check_str(2)?;
    let data = cx.check_str(3)?;
    let out = super::run(cx, &t, |c| {
        let iv = iv.as_bytes();
        if iv.len() != c.ivsize {
            return Err(Error::EINVAL);
        }
        let data = data.as_bytes();
        let len = super::c_len(data.len())?;
        let mut buf = super::buffer_of(&[data], 0)?;
        // SAFETY: `h` is live; `iv` has `ivsize` bytes; `buf` is kmalloc memory of `len`
        // bytes (a real pointer even when empty), not otherwise used until this returns.
        error::to_result(unsafe {
            ffi::lk_crypto_skcipher_crypt(c.h.as_ptr(), encrypt, iv.as_ptr(), buf.as_mut_ptr(), len)
        })?;
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

/// Decrypts `data` with a fresh transform of `alg` (NUL-terminated), `key` and `iv` of
/// the sizes the algorithm takes: what `darken.run` needs without a Lua object. The
/// result has `data.len()` bytes. May sleep.
///
/// # Errors
/// `ENOENT` for an unknown algorithm, the transform's `EINVAL` for a bad key or IV size,
/// `ENOMEM`.
pub(crate) fn decrypt_once(
    alg: &[u8],
    key: &[u8],
    iv: &[u8],
    data: &[u8],
) -> error::Result<Vec<u8>> {
    let h = Owned::new(
        alg,
        ffi::lk_crypto_skcipher_new,
        ffi::lk_crypto_skcipher_free,
    )?;
    // SAFETY: `h` is live (`Owned`).
    if iv.len() != unsafe { ffi::lk_crypto_skcipher_size(h.as_ptr(), 0) } as usize {
        return Err(Error::EINVAL);
    }
    let key_len = super::c_len(key.len())?;
    // SAFETY: `h` is live; `key` is readable for `key_len` bytes.
    error::to_result(unsafe { ffi::lk_crypto_skcipher_setkey(h.as_ptr(), key.as_ptr(), key_len) })?;
    let len = super::c_len(data.len())?;
    let mut buf = super::buffer_of(&[data], 0)?;
    // SAFETY: `h` is live; `iv` has `ivsize` bytes; `buf` is kmalloc memory of `len` bytes
    // (a real pointer even when empty), not otherwise used until this returns.
    error::to_result(unsafe {
        ffi::lk_crypto_skcipher_crypt(h.as_ptr(), false, iv.as_ptr(), buf.as_mut_ptr(), len)
    })?;
    Ok(buf)
}
