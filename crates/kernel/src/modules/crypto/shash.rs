//! `crypto.shash(alg)`: synchronous message digests and keyed hashes (`"sha256"`,
//! `"hmac(sha256)"`), one shot (`digest`) or incremental (`init`, `update`, `final`,
//! `finup`, `export`, `import`).
//!
//! The hash state lives in the shim's `shash_desc`. `update`, `final`, `finup` and
//! `export` need a state made by `init`, `digest` or `import`: before that an HMAC's inner
//! hash is unset and the kernel would dereference NULL, so they raise `EINVAL` instead.

use lua::{Ctx, LuaResult, Ret};

use super::{Owned, Transform};
use crate::class::Class;
use crate::error::{self, Error};
use crate::ffi::{self, ShashDesc};
use crate::refcount::Ref;

/// The state of a `crypto_shash` object.
pub(super) struct Hash {
    desc: Owned<ShashDesc>,
    /// A state was made (`init`, `digest`, `import`).
    ready: bool,
    digestsize: usize,
    statesize: usize,
}

type Shash = Transform<Hash>;

static SHASH: Class = Class {
    name: "crypto_shash",
    methods: &[
        (b"algname", algname),
        (b"digestsize", digestsize),
        (b"setkey", setkey),
        (b"digest", digest),
        (b"init", init),
        (b"update", update),
        (b"final", final_),
        (b"finup", finup),
        (b"export", export),
        (b"import", import),
    ],
    metamethods: &[(b"__close", super::close::<Hash>)],
    atomic: false,
};

/// `crypto.shash(alg)`.
pub(super) fn new(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let alg = super::alg_name(cx, &SHASH, None)?;
    let desc = Owned::new(&alg, ffi::lk_crypto_shash_new, ffi::lk_crypto_shash_free)
        .map_err(|e| super::fail(cx, e))?;
    let size = |which| {
        // SAFETY: `desc` is live (`Owned`).
        unsafe { ffi::lk_crypto_shash_size(desc.as_ptr(), which) as usize }
    };
    let (digestsize, statesize, descsize) = (size(0), size(1), size(2));
    let hash = Hash {
        desc,
        ready: false,
        digestsize,
        statesize,
    };
    super::create(cx, &SHASH, hash, descsize)
}

fn this(cx: &mut Ctx<'_>, name: &'static str) -> LuaResult<Ref<Shash>> {
    super::this::<Hash>(cx, &SHASH, name)
}

/// `h:algname()`.
fn algname(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    super::name_method(cx, &SHASH, "algname", |h: &Hash| {
        // SAFETY: `desc` is live (`Owned`).
        unsafe { ffi::lk_crypto_shash_name(h.desc.as_ptr()) }
    })
}

/// `h:digestsize()`.
fn digestsize(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    super::size_method(cx, &SHASH, "digestsize", |h: &Hash| h.digestsize)
}

/// `h:setkey(key)`: `ENOSYS` for an unkeyed hash, `EINVAL` for a bad key length.
fn setkey(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    super::setkey_method(cx, &SHASH, |h: &Hash, key, len| {
        // SAFETY: `desc` is live; `key` is readable for `len` bytes.
        unsafe { ffi::lk_crypto_shash_setkey(h.desc.as_ptr(), key, len) }
    })
}

/// Runs `op` with a digest-sized output buffer and returns the buffer.
fn digest_with(
    h: &mut Hash,
    op: impl FnOnce(*mut ShashDesc, *mut u8) -> core::ffi::c_int,
) -> error::Result<rust_alloc::vec::Vec<u8>> {
    let mut out = super::buffer(h.digestsize)?;
    error::to_result(op(h.desc.as_ptr(), out.as_mut_ptr()))?;
    Ok(out)
}

/// `h:digest(data)`: the digest of `data` alone.
fn digest(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t = this(cx, "digest")?;
    let data = cx.check_str(2)?;
    let out = super::run(cx, &t, |h| {
        let data = data.as_bytes();
        let len = super::c_len(data.len())?;
        let out = digest_with(h, |desc, out| {
            // SAFETY: `desc` is live; `data` is readable for `len` bytes and `out` has
            // room for the digest.
            unsafe { ffi::lk_crypto_shash_digest(desc, data.as_ptr(), len, out) }
        })?;
        h.ready = true;
        Ok(out)
    })?;
    super::ret_bytes(cx, &out)
}

/// `h:init()`.
fn init(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t = this(cx, "init")?;
    super::run(cx, &t, |h| {
        // SAFETY: `desc` is live (`Owned`).
        error::to_result(unsafe { ffi::lk_crypto_shash_init(h.desc.as_ptr()) })?;
        h.ready = true;
        Ok(())
    })?;
    Ok(Ret::Values(0))
}

/// The state of `h` if `init` (or `digest`, `import`) made one.
fn ready(h: &mut Hash) -> error::Result<&mut Hash> {
    if h.ready {
        Ok(h)
    } else {
        Err(Error::EINVAL)
    }
}

/// `h:update(data)`.
fn update(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t = this(cx, "update")?;
    let data = cx.check_str(2)?;
    super::run(cx, &t, |h| {
        let h = ready(h)?;
        let data = data.as_bytes();
        // SAFETY: `desc` is live and holds a state; `data` is readable for its length.
        error::to_result(unsafe {
            ffi::lk_crypto_shash_update(h.desc.as_ptr(), data.as_ptr(), super::c_len(data.len())?)
        })
    })?;
    Ok(Ret::Values(0))
}

/// `h:final()`: the digest of what `update` added since `init`.
fn final_(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t = this(cx, "final")?;
    let out = super::run(cx, &t, |h| {
        digest_with(ready(h)?, |desc, out| {
            // SAFETY: `desc` is live and holds a state; `out` has room for the digest.
            unsafe { ffi::lk_crypto_shash_final(desc, out) }
        })
    })?;
    super::ret_bytes(cx, &out)
}

/// `h:finup(data)`: `update(data)` then `final()`.
fn finup(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t = this(cx, "finup")?;
    let data = cx.check_str(2)?;
    let out = super::run(cx, &t, |h| {
        let data = data.as_bytes();
        let len = super::c_len(data.len())?;
        digest_with(ready(h)?, |desc, out| {
            // SAFETY: `desc` is live and holds a state; `data` is readable for `len`
            // bytes and `out` has room for the digest.
            unsafe { ffi::lk_crypto_shash_finup(desc, data.as_ptr(), len, out) }
        })
    })?;
    super::ret_bytes(cx, &out)
}

/// `h:export()`: the pending state, `statesize` bytes.
fn export(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t = this(cx, "export")?;
    let out = super::run(cx, &t, |h| {
        let h = ready(h)?;
        let mut out = super::buffer(h.statesize)?;
        // SAFETY: `desc` is live and holds a state; `out` has `statesize` bytes.
        error::to_result(unsafe {
            ffi::lk_crypto_shash_export(h.desc.as_ptr(), out.as_mut_ptr())
        })?;
        Ok(out)
    })?;
    super::ret_bytes(cx, &out)
}

/// `h:import(state)`: `state` must be exactly `statesize` bytes (else `EINVAL`).
fn import(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t = this(cx, "import")?;
    let state = cx.check_str(2)?;
    super::run(cx, &t, |h| {
        let state = state.as_bytes();
        if state.len() != h.statesize {
            return Err(Error::EINVAL);
        }
        // SAFETY: `desc` is live; `state` has the `statesize` bytes the hash reads.
        error::to_result(unsafe { ffi::lk_crypto_shash_import(h.desc.as_ptr(), state.as_ptr()) })?;
        h.ready = true;
        Ok(())
    })?;
    Ok(Ret::Values(0))
}
