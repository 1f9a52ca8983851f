//! The host side of the engine on a normal machine: stdout, stderr, files, time.

use std::cell::RefCell;
use std::io::{BufWriter, Stdout, Write};

use lua::{FuelAction, Host};

thread_local! {
    static STDOUT: RefCell<BufWriter<Stdout>> = RefCell::new(BufWriter::with_capacity(64 * 1024, std::io::stdout()));
}

/// Writes to the buffered stdout shared by `print` and `io.write`.
pub fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    STDOUT.with(|s| s.borrow_mut().write_all(bytes))
}

/// Flushes the buffered stdout.
pub fn flush_stdout() {
    STDOUT.with(|s| {
        let _ = s.borrow_mut().flush();
    });
}

pub struct StdHost {
    warn_continued: bool,
}

impl StdHost {
    pub fn new(warnings: bool) -> Self {
        let _ = warnings;
        StdHost {
            warn_continued: false,
        }
    }
}

impl Host for StdHost {
    fn print(&mut self, bytes: &[u8]) {
        let _ = write_stdout(bytes);
    }

    fn warn(&mut self, msg: &[u8]) {
        flush_stdout();
        let mut e = std::io::stderr().lock();
        if !self.warn_continued {
            let _ = e.write_all(b"Lua warning: ");
        }
        let _ = e.write_all(msg);
        let _ = e.write_all(b"\n");
        self.warn_continued = false;
    }

    fn load_file(&mut self, name: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        let path = String::from_utf8_lossy(name).into_owned();
        std::fs::read(&path).map_err(|e| {
            let msg = e.to_string();
            let short = msg.split(" (os error").next().unwrap_or(&msg).to_string();
            short.into_bytes()
        })
    }

    fn out_of_fuel(&mut self) -> FuelAction {
        FuelAction::Continue
    }

    fn seed(&mut self) -> u64 {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        t ^ (std::process::id() as u64) << 32
    }
}
