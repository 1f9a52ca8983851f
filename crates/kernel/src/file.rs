//! Files through the kernel VFS, with the credentials of the calling task: [`File`], an
//! open `struct file` (`filp_open`, `kernel_read`, `kernel_write`, `vfs_llseek`), used by
//! the `io` module, and [`read_all`], which reads script files. Every function here may
//! sleep: process context only.

use core::ffi::c_char;
use core::ptr::NonNull;

use lua::tvec::TryVec;
use rust_alloc::vec::Vec;

use crate::error::{to_result, Error, Result};
use crate::ffi;

/// The largest script file a runtime loads.
pub(crate) const MAX_FILE_BYTES: usize = 1 << 20;

/// Bytes read per `kernel_read` call by [`read_all`].
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

/// How to open a file.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct OpenFlags {
    pub(crate) read: bool,
    pub(crate) write: bool,
    /// Create it if missing (with 0666 minus the task's umask).
    pub(crate) create: bool,
    pub(crate) truncate: bool,
    /// Every write goes to the end.
    pub(crate) append: bool,
}

/// Where a seek counts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Whence {
    Start,
    End,
}

/// An open `struct file`, closed on drop.
///
/// `kernel_read` and `kernel_write` warn (`WARN_ON_ONCE`) when the file is not open for
/// them, and `kernel_read` logs for a directory, so `File` answers those itself: `EBADF`
/// and `EISDIR`, what read(2) and write(2) say.
///
/// # Invariants
/// `raw` came from `lk_file_open` and is closed only by `Drop`.
pub(crate) struct File {
    raw: NonNull<ffi::File>,
    /// Opened for reading, and not a directory (`Err` says why not).
    readable: Result<()>,
    /// Opened for writing.
    writable: bool,
}

// SAFETY: a `struct file` may be used and closed from any task; `File` is not `Sync`, so
// one task at a time uses it.
unsafe impl Send for File {}

impl File {
    /// Opens the file at `path`. Process context.
    ///
    /// # Errors
    /// What `filp_open` reports (`ENOENT`, `EACCES`, `EISDIR`, ...), `EINVAL` for a path
    /// with a NUL, `ENOMEM`.
    pub(crate) fn open(path: &[u8], how: OpenFlags) -> Result<File> {
        let path = c_string(path)?;
        let flags = [
            (how.read, ffi::LK_FILE_READ),
            (how.write, ffi::LK_FILE_WRITE),
            (how.create, ffi::LK_FILE_CREATE),
            (how.truncate, ffi::LK_FILE_TRUNCATE),
            (how.append, ffi::LK_FILE_APPEND),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .fold(0, |flags, (_, flag)| flags | flag);
        let mut raw: *mut ffi::File = core::ptr::null_mut();
        // SAFETY: `path` is NUL-terminated and outlives the call; `raw` is writable.
        to_result(unsafe { ffi::lk_file_open(path.as_ptr().cast::<c_char>(), flags, &mut raw) })?;
        // INVARIANT: opened above; a successful open never yields null.
        let raw = NonNull::new(raw).ok_or(Error::EINVAL)?;
        let mut file = File {
            raw,
            readable: Err(Error::EBADF),
            writable: how.write,
        };
        // Opened for reading: `read` or neither (see `lk_file_open`).
        if how.read || !how.write {
            // SAFETY: `raw` is open.
            let is_dir = unsafe { ffi::lk_file_is_dir(raw.as_ptr()) };
            file.readable = if is_dir { Err(Error::EISDIR) } else { Ok(()) };
        }
        Ok(file)
    }

    /// Reads up to `buf.len()` bytes at `*pos`, advancing it; 0 at end of file.
    ///
    /// # Errors
    /// `EBADF` for a file not open for reading, `EISDIR`, what `kernel_read` reports.
    pub(crate) fn read_at(&self, buf: &mut [u8], pos: &mut i64) -> Result<usize> {
        self.readable?;
        // SAFETY: `raw` is open (type invariant); `buf` is writable for its length; `pos`
        // is writable.
        let n = unsafe {
            ffi::lk_file_read(self.raw.as_ptr(), buf.as_mut_ptr().cast(), buf.len(), pos)
        };
        if n < 0 {
            return Err(Error::from_errno(n as i32));
        }
        Ok((n as usize).min(buf.len()))
    }

    /// Writes up to `buf.len()` bytes at `*pos` (at the end for an append file),
    /// advancing it.
    ///
    /// # Errors
    /// `EBADF` for a file not open for writing, what `kernel_write` reports (`ENOSPC`, ...).
    pub(crate) fn write_at(&self, buf: &[u8], pos: &mut i64) -> Result<usize> {
        if !self.writable {
            return Err(Error::EBADF);
        }
        // SAFETY: `raw` is open (type invariant); `buf` is readable for its length; `pos`
        // is writable.
        let n =
            unsafe { ffi::lk_file_write(self.raw.as_ptr(), buf.as_ptr().cast(), buf.len(), pos) };
        if n < 0 {
            return Err(Error::from_errno(n as i32));
        }
        Ok((n as usize).min(buf.len()))
    }

    /// Moves the file's position to `offset` from `whence` and returns it.
    ///
    /// # Errors
    /// What `vfs_llseek` reports (`EINVAL` for a negative position, `ESPIPE`, ...).
    pub(crate) fn seek(&self, offset: i64, whence: Whence) -> Result<i64> {
        let whence = match whence {
            Whence::Start => ffi::LK_SEEK_SET,
            Whence::End => ffi::LK_SEEK_END,
        };
        // SAFETY: `raw` is open (type invariant).
        let pos = unsafe { ffi::lk_file_llseek(self.raw.as_ptr(), offset, whence) };
        if (-4095..0).contains(&pos) {
            return Err(Error::from_errno(pos as i32));
        }
        Ok(pos)
    }
}

impl Drop for File {
    fn drop(&mut self) {
        // SAFETY: `raw` is open (type invariant) and not used after this.
        unsafe { ffi::lk_file_close(self.raw.as_ptr()) };
    }
}

/// The whole contents of the file at the absolute `path`. Process context (may sleep).
///
/// # Errors
/// What `filp_open` or `kernel_read` report (`ENOENT`, `EACCES`, ...), `EFBIG` above
/// [`MAX_FILE_BYTES`], `ENOMEM`.
pub(crate) fn read_all(path: &[u8]) -> Result<Vec<u8>> {
    let how = OpenFlags {
        read: true,
        ..OpenFlags::default()
    };
    let file = File::open(path, how)?;
    let mut bytes: Vec<u8> = Vec::new();
    let mut pos: i64 = 0;
    loop {
        if bytes.len() >= MAX_FILE_BYTES {
            return Err(Error::EFBIG);
        }
        let len = bytes.len();
        bytes.try_reserve(READ_CHUNK_BYTES)?;
        bytes.try_resize(len + READ_CHUNK_BYTES, 0)?;
        let n = match bytes.get_mut(len..) {
            Some(room) => file.read_at(room, &mut pos)?,
            None => 0,
        };
        bytes.truncate(len + n);
        if n == 0 {
            return Ok(bytes);
        }
    }
}
