//! The host side of the engine on a normal machine: stdout, stderr, files, SIGINT.

use std::sync::atomic::{AtomicBool, Ordering};

use lua::{FuelAction, Host};

use crate::cfile;

/// Instructions between two polls of the interrupt flag: short enough that Ctrl-C feels
/// immediate, long enough to cost nothing.
pub const FUEL_SLICE: i64 = 1 << 16;

/// Set by the SIGINT handler, taken by the VM's next poll.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    // A second Ctrl-C kills the process, for scripts stuck where the VM does not poll.
    // SAFETY: `signal` is async-signal-safe.
    unsafe { libc::signal(libc::SIGINT, libc::SIG_DFL) };
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Runs `f` with SIGINT turned into an "interrupted!" error (as `lua.c` does while a chunk
/// runs); the default action is back afterwards.
pub fn with_sigint<T>(f: impl FnOnce() -> T) -> T {
    INTERRUPTED.store(false, Ordering::SeqCst);
    let handler = on_sigint as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // SAFETY: the handler only calls `signal` and stores to an atomic.
    unsafe { libc::signal(libc::SIGINT, handler) };
    let r = f();
    // SAFETY: restoring the default action.
    unsafe { libc::signal(libc::SIGINT, libc::SIG_DFL) };
    INTERRUPTED.store(false, Ordering::SeqCst);
    r
}

/// What `luaL_loadfile` drops before compiling a file: a UTF-8 byte-order mark, then a
/// first line starting with `#` (its newline stays, for line numbers, unless a binary
/// chunk follows).
pub fn strip_file_prefix(mut src: Vec<u8>) -> Vec<u8> {
    if src.starts_with(b"\xEF\xBB\xBF") {
        src.drain(..3);
    }
    if src.first() == Some(&b'#') {
        let nl = src.iter().position(|&c| c == b'\n').unwrap_or(src.len());
        let binary = src.get(nl + 1) == Some(&0x1b);
        src.drain(..if binary { nl + 1 } else { nl });
    }
    src
}

/// The host of `lunatik-lua`.
pub struct StdHost;

impl Host for StdHost {
    fn print(&mut self, bytes: &[u8]) {
        // C Lua's `print` flushes stdout after each line, whatever stdout is.
        let _ = cfile::write_stdout(bytes);
        cfile::flush_stdout();
    }

    fn warn(&mut self, msg: &[u8]) {
        // The engine hands over whole messages (pieces already joined).
        let mut line = Vec::with_capacity(msg.len() + 16);
        line.extend_from_slice(b"Lua warning: ");
        line.extend_from_slice(msg);
        line.push(b'\n');
        cfile::write_stderr(&line);
    }

    fn load_file(&mut self, name: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        let path = String::from_utf8_lossy(name).into_owned();
        std::fs::read(&path)
            .map(strip_file_prefix)
            .map_err(|e| cfile::strerror(e.raw_os_error().unwrap_or(0)))
    }

    fn out_of_fuel(&mut self) -> FuelAction {
        FuelAction::Continue
    }

    fn interrupt(&mut self) -> Option<&'static [u8]> {
        if INTERRUPTED.swap(false, Ordering::SeqCst) {
            Some(b"interrupted!")
        } else {
            None
        }
    }

    fn seed(&mut self) -> u64 {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        t ^ (std::process::id() as u64) << 32
    }
}
