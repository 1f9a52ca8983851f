//! `crypto.comp(alg)`: synchronous compression (`"lzo"`, `"deflate"`, `"lz4"`), the
//! `crypto_comp` API that kernels before 6.15 have.
//!
//! Some compressors (LZO before 6.15) write past the room they are given when the output
//! does not fit, so `compress` always hands them a buffer of their worst case and raises
//! `EINVAL` itself when the result is longer than `max`. Decompressors check their room.

use lua::{Ctx, LuaResult, Ret};

use super::{Owned, Transform};
use crate::class::Class;
use crate::error::{self, Error};
use crate::ffi::{self, CryptoComp};
use crate::refcount::Ref;

static COMP: Class = Class {
    name: "crypto_comp",
    methods: &[(b"compress", compress), (b"decompress", decompress)],
    metamethods: &[(b"__close", super::close::<Owned<CryptoComp>>)],
    atomic: false,
};

/// `crypto.comp(alg)`.
pub(super) fn new(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let alg = super::alg_name(cx, &COMP, None)?;
    let comp = Owned::new(&alg, ffi::lk_crypto_comp_new, ffi::lk_crypto_comp_free)
        .map_err(|e| super::fail(cx, e))?;
    super::create(cx, &COMP, comp, 0)
}

fn this(cx: &mut Ctx<'_>, name: &'static str) -> LuaResult<Ref<Transform<Owned<CryptoComp>>>> {
    super::this::<Owned<CryptoComp>>(cx, &COMP, name)
}

/// The most any of the kernel's compressors writes for `len` bytes of input (LZO's
/// `len + len / 16 + 67`, LZ4's `len + len / 255 + 16`, deflate's few bytes per block),
/// with margin.
fn worst_case(len: usize) -> usize {
    len.saturating_add(len / 8).saturating_add(256)
}

/// `z:compress(data, max)`, `z:decompress(data, max)`: `data` not empty, the result at
/// most `max` bytes (`EINVAL` if it does not fit).
fn run(cx: &mut Ctx<'_>, name: &'static str, compress: bool) -> LuaResult<Ret> {
    let t = this(cx, name)?;
    let data = cx.check_str(2)?;
    if data.as_bytes().is_empty() {
        return Err(cx.arg_error(2, format_args!("out of bounds")));
    }
    let max = super::check_size(cx, 3)?;
    let out = super::run(cx, &t, |comp| {
        let data = data.as_bytes();
        let room = if compress {
            max.max(worst_case(data.len())).min(u32::MAX as usize)
        } else {
            max
        };
        let mut out = super::buffer(room)?;
        let mut len = super::c_len(room)?;
        // SAFETY: `comp` is live; `data` is readable for its length; `out` has `len` bytes,
        // which the shim sets to the bytes written.
        error::to_result(unsafe {
            ffi::lk_crypto_comp_run(
                comp.as_ptr(),
                compress,
                data.as_ptr(),
                super::c_len(data.len())?,
                out.as_mut_ptr(),
                &mut len,
            )
        })?;
        let len = len as usize;
        if len > max {
            return Err(Error::EINVAL);
        }
        out.truncate(len);
        Ok(out)
    })?;
    super::ret_bytes(cx, &out)
}

fn compress(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    run(cx, "compress", true)
}

fn decompress(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    run(cx, "decompress", false)
}
