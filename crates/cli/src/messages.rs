//! Everything the `lunatik` command prints goes through here.
//!
//! Diagnostics go to stderr with a `lunatik: ` prefix; the kernel's error text is passed
//! through verbatim after that prefix. Every error is recorded, so that the exit status
//! says whether anything failed even when the command carried on (a REPL fed from a pipe,
//! `lunatik test` over several suites). Output goes to stdout; when stdout is a closed pipe
//! (`lunatik list | head -1`), the process exits with status 0, as if it had finished.

use std::fmt::Display;
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once any error has been reported.
static ERRORED: AtomicBool = AtomicBool::new(false);

const PREFIX: &[u8] = b"lunatik: ";

/// Reports an error on stderr and records it for the exit status.
pub fn error(message: impl Display) {
    ERRORED.store(true, Ordering::Relaxed);
    diagnostic(message.to_string().as_bytes());
}

/// Reports the kernel's error text (a failed chunk) verbatim and records it.
pub fn kernel_error(text: &[u8]) {
    ERRORED.store(true, Ordering::Relaxed);
    diagnostic(text);
}

/// Prints a note on stderr that is not an error (a hint, a progress report).
pub fn note(message: impl Display) {
    diagnostic(message.to_string().as_bytes());
}

fn diagnostic(text: &[u8]) {
    let mut line = Vec::with_capacity(PREFIX.len() + text.len() + 1);
    line.extend_from_slice(PREFIX);
    line.extend_from_slice(text);
    if !text.ends_with(b"\n") {
        line.push(b'\n');
    }
    // Nothing sensible is left to do when stderr itself fails.
    let _ = io::stderr().lock().write_all(&line);
}

/// Prints `bytes` and a newline on stdout.
pub fn out_line(bytes: &[u8]) {
    let mut stdout = io::stdout().lock();
    let result = stdout
        .write_all(bytes)
        .and_then(|()| stdout.write_all(b"\n"))
        .and_then(|()| stdout.flush());
    if let Err(e) = result {
        stdout_failed(&e);
    }
}

/// Prints a line of text on stdout.
pub fn out(text: impl Display) {
    out_line(text.to_string().as_bytes());
}

/// A closed pipe ends the process normally; any other failure is an error.
fn stdout_failed(e: &io::Error) {
    if e.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    error(format_args!(
        "writing to stdout failed: {}",
        crate::protocol::os_text(e)
    ));
}

/// Whether any error has been reported.
pub fn errored() -> bool {
    ERRORED.load(Ordering::Relaxed)
}

/// The process's exit status: 1 once any error has been reported, else 0.
pub fn exit_code() -> ExitCode {
    if errored() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
