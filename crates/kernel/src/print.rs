//! Kernel log output. Every message goes through `lk_printk`, which adds the `lunatik: `
//! prefix (`pr_fmt`). Formatting happens in a small stack buffer first, so short messages
//! never allocate and the panic path works; a longer one (a script error with its
//! traceback) is formatted again into a heap buffer and logged whole, in records of at most
//! [`RECORD_BYTES`], or cut if that allocation fails.

use core::ffi::c_int;
use core::fmt::{self, Write};
use core::sync::atomic::{AtomicI64, AtomicU32, Ordering::Relaxed};

use rust_alloc::vec::Vec;

use lua::tvec::TryVec;

use crate::ffi;

/// Bytes of a message formatted on the stack.
const LINE_BYTES: usize = 160;
/// Bytes of one log record of a longer message (the kernel's records hold about 1 KiB).
const RECORD_BYTES: usize = 768;
/// Longest message logged whole; beyond, it is cut.
const MESSAGE_BYTES: usize = 16 * 1024;

/// A fixed buffer that `core::fmt` writes into, dropping what does not fit.
pub(crate) struct StackBuf<const N: usize> {
    bytes: [u8; N],
    len: usize,
    cut: bool,
}

impl<const N: usize> StackBuf<N> {
    pub(crate) const fn new() -> Self {
        StackBuf {
            bytes: [0; N],
            len: 0,
            cut: false,
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
        let mut written = 0;
        for (slot, byte) in free.zip(s.bytes()) {
            *slot = byte;
            written += 1;
        }
        self.len += written;
        self.cut |= written < s.len();
        Ok(())
    }
}

/// A heap buffer for long messages: stops growing at [`MESSAGE_BYTES`] or when an
/// allocation fails.
struct HeapBuf(Vec<u8>);

impl Write for HeapBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = MESSAGE_BYTES.saturating_sub(self.0.len());
        let part = s.as_bytes().get(..s.len().min(room)).unwrap_or(&[]);
        self.0.try_extend_from_slice(part).map_err(|_| fmt::Error)
    }
}

pub(crate) fn log(level: c_int, text: &[u8]) {
    // SAFETY: `text` is valid for `text.len()` bytes for the whole call; C prints it with
    // `%.*s` and keeps no reference.
    unsafe { ffi::lk_printk(level, text.as_ptr().cast(), text.len()) }
}

/// Formats `args` and logs it at `level` (one of the `ffi::LOG_*` values).
pub(crate) fn printk(level: c_int, args: fmt::Arguments<'_>) {
    let mut line = StackBuf::<LINE_BYTES>::new();
    // Truncation is the only failure; it is handled below.
    let _ = line.write_fmt(args);
    if !line.cut {
        return log(level, line.as_bytes());
    }
    let mut long = HeapBuf(Vec::new());
    if long.0.try_reserve(MESSAGE_BYTES.min(4096)).is_err() || long.write_fmt(args).is_err() {
        return log(level, line.as_bytes());
    }
    for record in long.0.chunks(RECORD_BYTES) {
        log(level, record);
    }
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
