//! Kernel log output. Every message goes through `lk_printk`, which adds the `lunatik: `
//! prefix (`pr_fmt`); formatting happens in a small stack buffer, so printing never allocates
//! and works on the panic path. Longer messages are cut.

use core::ffi::c_int;
use core::fmt::{self, Write};
use core::sync::atomic::{AtomicI64, AtomicU32, Ordering::Relaxed};

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

/// Messages a window lets through (`printk_ratelimit`'s burst).
const RATELIMIT_BURST: u32 = 10;
/// Length of a window (`printk_ratelimit`'s interval).
const RATELIMIT_WINDOW_NS: i64 = 5_000_000_000;

/// A burst of messages per window, then silence until the window ends, when the number
/// suppressed is logged. Errors of script handlers go through one (a device read in a loop,
/// a hook on every packet), so a failing script cannot flood the log.
pub(crate) struct RateLimit {
    window_start: AtomicI64,
    printed: AtomicU32,
    missed: AtomicU32,
}

impl RateLimit {
    pub(crate) const fn new() -> Self {
        RateLimit {
            window_start: AtomicI64::new(i64::MIN),
            printed: AtomicU32::new(0),
            missed: AtomicU32::new(0),
        }
    }

    /// True when one more message may be logged now. Any context (no locks, no sleep).
    pub(crate) fn allow(&self) -> bool {
        // SAFETY: reads the clock; callable in any context.
        let now = unsafe { ffi::lk_time_ns() };
        let start = self.window_start.load(Relaxed);
        if now.saturating_sub(start) >= RATELIMIT_WINDOW_NS
            && self
                .window_start
                .compare_exchange(start, now, Relaxed, Relaxed)
                .is_ok()
        {
            self.printed.store(0, Relaxed);
            let missed = self.missed.swap(0, Relaxed);
            if missed > 0 {
                printk(
                    ffi::LOG_WARNING,
                    format_args!("{} script error messages suppressed", missed),
                );
            }
        }
        if self.printed.fetch_add(1, Relaxed) < RATELIMIT_BURST {
            return true;
        }
        self.missed.fetch_add(1, Relaxed);
        false
    }
}

/// The limiter of script error messages.
pub(crate) static SCRIPT_ERRORS: RateLimit = RateLimit::new();

/// Logs a script's error at `KERN_ERR`, within `SCRIPT_ERRORS`' rate.
macro_rules! pr_script_err {
    ($($arg:tt)*) => {
        if $crate::print::SCRIPT_ERRORS.allow() {
            $crate::print::printk($crate::ffi::LOG_ERR, format_args!($($arg)*))
        }
    };
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
