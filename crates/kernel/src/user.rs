//! Copies between kernel memory and user-space buffers given to a syscall.

use core::ffi::{c_ulong, c_void};

use rust_alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::ffi;

/// A user-space address as a syscall received it; never dereferenced by Rust.
#[derive(Clone, Copy)]
pub(crate) struct UserPtr(*mut c_void);

impl UserPtr {
    /// Wraps the user address `ptr`.
    pub(crate) fn new(ptr: *mut c_void) -> Self {
        UserPtr(ptr)
    }
}

/// Reads `len` bytes at `src` into a new vector. Process context.
///
/// # Errors
/// `ENOMEM` if the vector cannot be allocated, `EFAULT` if the user range is not readable.
pub(crate) fn read_all(src: UserPtr, len: usize) -> Result<Vec<u8>> {
    let mut bytes: Vec<u8> = Vec::new();
    bytes.try_reserve_exact(len)?;
    // SAFETY: the reserve made room for `len` bytes at `as_mut_ptr()`; copy_from_user checks
    // the user range itself and returns how many bytes it could not copy.
    let missed =
        unsafe { ffi::lk_copy_from_user(bytes.as_mut_ptr().cast(), src.0, len as c_ulong) };
    if missed != 0 {
        return Err(Error::EFAULT);
    }
    // SAFETY: all `len` bytes were written by the copy above.
    unsafe { bytes.set_len(len) };
    Ok(bytes)
}

/// Writes `bytes` to `dst`. Process context.
///
/// # Errors
/// `EFAULT` if the user range is not writable.
pub(crate) fn write_all(dst: UserPtr, bytes: &[u8]) -> Result {
    // SAFETY: `bytes` is valid for its length; copy_to_user checks the user range itself.
    let missed =
        unsafe { ffi::lk_copy_to_user(dst.0, bytes.as_ptr().cast(), bytes.len() as c_ulong) };
    if missed != 0 {
        return Err(Error::EFAULT);
    }
    Ok(())
}
