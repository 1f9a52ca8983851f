//! Kernel log output. Every message goes through `lk_printk`, which adds the `lunatik: `
//! prefix (`pr_fmt`); formatting happens in a small stack buffer, so printing never allocates
//! and works on the panic path. Longer messages are cut.

use core::ffi::c_int;
use core::fmt::{self, Write};

use crate::ffi;

/// Bytes of one message; longer ones are truncated.
const LINE_BYTES: usize = 160;

/// A fixed buffer that `core::fmt` writes into, dropping what does not fit.
pub(crate) struct StackBuf<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> StackBuf<N> {
    pub(crate) const fn new() -> Self {
        StackBuf {
            bytes: [0; N],
            len: 0,
        }
    }

    /// The bytes written so far.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl<const N: usize> Write for StackBuf<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let free = self.bytes.iter_mut().skip(self.len);
        for (slot, byte) in free.zip(s.bytes()) {
            *slot = byte;
            self.len += 1;
        }
        Ok(())
    }
}

/// Formats `args` and logs it at `level` (one of the `ffi::LOG_*` values).
pub(crate) fn printk(level: c_int, args: fmt::Arguments<'_>) {
    let mut line = StackBuf::<LINE_BYTES>::new();
    // Truncation is the only failure and is intended.
    let _ = line.write_fmt(args);
    let text = line.as_bytes();
    // SAFETY: `text` is valid for `text.len()` bytes for the whole call; C prints it with
    // `%.*s` and keeps no reference.
    unsafe { ffi::lk_printk(level, text.as_ptr().cast(), text.len()) }
}

/// Logs at `KERN_ERR`.
macro_rules! pr_err {
    ($($arg:tt)*) => { $crate::print::printk($crate::ffi::LOG_ERR, format_args!($($arg)*)) };
}

/// Logs at `KERN_WARNING`.
macro_rules! pr_warn {
    ($($arg:tt)*) => { $crate::print::printk($crate::ffi::LOG_WARNING, format_args!($($arg)*)) };
}

/// Logs at `KERN_INFO`.
macro_rules! pr_info {
    ($($arg:tt)*) => { $crate::print::printk($crate::ffi::LOG_INFO, format_args!($($arg)*)) };
}

/// Shows script bytes in a message: valid UTF-8 as is, other bytes as `\xNN`.
pub(crate) struct Bytes<'a>(pub(crate) &'a [u8]);

impl fmt::Display for Bytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            for byte in chunk.invalid() {
                write!(f, "\\x{:02x}", byte)?;
            }
        }
        Ok(())
    }
}
