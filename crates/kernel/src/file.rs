//! Reading script files through the kernel VFS (`filp_open` + `kernel_read`).

use core::ffi::c_char;
use core::ptr;

use lua::tvec::TryVec;
use rust_alloc::vec::Vec;

use crate::error::{to_result, Error, Result};
use crate::ffi;

/// The largest script file a runtime loads.
pub(crate) const MAX_FILE_BYTES: usize = 1 << 20;

/// Bytes read per `kernel_read` call.
const READ_CHUNK_BYTES: usize = 4096;

/// A NUL-terminated copy of `bytes` for C; `EINVAL` if `bytes` holds a NUL.
///
/// # Errors
/// `EINVAL`, `ENOMEM`.
pub(crate) fn c_string(bytes: &[u8]) -> Result<Vec<u8>> {
    if bytes.contains(&0) {
        return Err(Error::EINVAL);
    }
    let mut s = Vec::new();
    s.try_reserve_exact(bytes.len() + 1)?;
    s.try_extend_from_slice(bytes)?;
    s.try_push(0)?;
    Ok(s)
}

/// The whole contents of the file at the absolute `path`. Process context (may sleep).
///
/// # Errors
/// What `filp_open` or `kernel_read` report (`ENOENT`, `EACCES`, ...), `EFBIG` above
/// [`MAX_FILE_BYTES`], `ENOMEM`.
pub(crate) fn read_all(path: &[u8]) -> Result<Vec<u8>> {
    let path = c_string(path)?;
    let mut file: *mut ffi::File = ptr::null_mut();
    // SAFETY: `path` is NUL-terminated and outlives the call; `file` is writable.
    to_result(unsafe { ffi::lk_file_open(path.as_ptr().cast::<c_char>(), &mut file) })?;
    let result = read_open(file);
    // SAFETY: `file` was opened above and is not used after this.
    unsafe { ffi::lk_file_close(file) };
    result
}

fn read_open(file: *mut ffi::File) -> Result<Vec<u8>> {
    let mut bytes: Vec<u8> = Vec::new();
    let mut pos: i64 = 0;
    loop {
        if bytes.len() >= MAX_FILE_BYTES {
            return Err(Error::EFBIG);
        }
        bytes.try_reserve(READ_CHUNK_BYTES)?;
        let len = bytes.len();
        // SAFETY: the reserve made room for `READ_CHUNK_BYTES` bytes after `len`; `file`
        // is open; `pos` is writable.
        let n = unsafe {
            ffi::lk_file_read(
                file,
                bytes.as_mut_ptr().add(len).cast(),
                READ_CHUNK_BYTES,
                &mut pos,
            )
        };
        if n < 0 {
            return Err(Error::from_errno(n as i32));
        }
        if n == 0 {
            return Ok(bytes);
        }
        let n = (n as usize).min(READ_CHUNK_BYTES);
        // SAFETY: `kernel_read` initialised `n` bytes after `len`, inside the reserve.
        unsafe { bytes.set_len(len + n) };
    }
}
