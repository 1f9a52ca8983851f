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

/// A command's error as one line for its user: without the traceback, and without the
/// position inside `lunatik/runner.lua` (the runner's internals, not the user's mistake).
pub fn concise(text: &[u8]) -> Vec<u8> {
    let end = find(text, b"\nstack traceback:").unwrap_or(text.len());
    let text = text.get(..end).unwrap_or(text);
    let text = match find(text, b"lunatik/runner.lua:") {
        Some(at) => {
            let rest = text.get(at + b"lunatik/runner.lua:".len()..).unwrap_or(&[]);
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            match rest.get(digits..) {
                Some(tail) if digits > 0 && tail.starts_with(b": ") => {
                    tail.get(2..).unwrap_or(tail)
                }
                _ => text,
            }
        }
        None => text,
    };
    text.trim_ascii_end().to_vec()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
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

#[cfg(test)]
mod tests {
    use super::concise;

    #[test]
    fn concise_drops_the_traceback_and_the_runner_position() {
        let text = b"/lib/modules/lua/lunatik/runner.lua:86: x is already running\nstack traceback:\n\t[C]: in ?";
        assert_eq!(concise(text), b"x is already running");
    }

    #[test]
    fn concise_keeps_other_messages() {
        assert_eq!(
            concise(b"cannot open /lib/modules/lua/x.lua: ENOENT"),
            b"cannot open /lib/modules/lua/x.lua: ENOENT"
        );
        assert_eq!(
            concise(b"test/bad.lua:1: bad body\nstack traceback:\n..."),
            b"test/bad.lua:1: bad body"
        );
    }
}
