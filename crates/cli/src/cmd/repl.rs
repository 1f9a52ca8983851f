//! `lunatik` with no verb: evaluates Lua chunks in the kernel's control runtime.
//!
//! On a terminal this is a REPL with line editing and history (`~/.lunatik_history`):
//! prompt `> `, `>> ` while the chunk is incomplete, results printed tab-separated, errors
//! on stderr, Ctrl-C drops the chunk being typed, Ctrl-D leaves. When stdin is a pipe or a
//! file, its chunks are evaluated one after the other without prompts, and the exit status
//! says whether any of them failed.

use std::fs::File;
use std::io::{self, BufRead, IsTerminal};
use std::path::PathBuf;

use rustyline::error::ReadlineError;
use rustyline::history::{FileHistory, History};
use rustyline::{Config, Editor};

use crate::cli::Global;
use crate::complete::ChunkBuffer;
use crate::error::{Error, Result};
use crate::messages;
use crate::protocol::{Device, Reply};

const PROMPT: &str = "> ";
const CONTINUATION_PROMPT: &str = ">> ";
const HISTORY_FILE: &str = ".lunatik_history";
const HISTORY_ENTRIES: usize = 1000;

/// Evaluates stdin's chunks: interactively on a terminal, else in order.
///
/// # Errors
/// The device failing to open, or the terminal failing. Failing chunks are reported as
/// they come and only set the exit status.
pub fn run(global: &Global) -> Result {
    let mut device = Device::open(&global.device)?;
    if io::stdin().is_terminal() {
        interactive(&mut device)
    } else {
        batch(&mut device)
    }
}

/// Sends one chunk and prints its reply; failures are reported, not returned.
fn evaluate(device: &mut Device<File>, chunk: &[u8]) {
    match device.request(chunk) {
        Ok(Reply::Values(values)) => {
            if !values.is_empty() {
                messages::out_line(&values);
            }
        }
        Ok(Reply::Error(text)) => messages::kernel_error(&text),
        Err(e) => messages::error(e),
    }
}

fn batch(device: &mut Device<File>) -> Result {
    let mut buffer = ChunkBuffer::new();
    for line in io::stdin().lock().split(b'\n') {
        let mut line = line.map_err(|e| {
            Error::Message(format!(
                "reading stdin failed: {}",
                crate::protocol::os_text(&e)
            ))
        })?;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if let Some(chunk) = buffer.push_line(&line) {
            evaluate(device, &chunk);
        }
    }
    // An incomplete chunk at the end is sent anyway, for the kernel to report.
    if let Some(chunk) = buffer.take() {
        evaluate(device, &chunk);
    }
    Ok(())
}

fn history_path() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|home| !home.is_empty())
        .map(|home| PathBuf::from(home).join(HISTORY_FILE))
}

fn interactive(device: &mut Device<File>) -> Result {
    let config = Config::builder()
        .auto_add_history(false)
        .max_history_size(HISTORY_ENTRIES)
        .map_err(|e| Error::Message(e.to_string()))?
        .build();
    let mut editor: Editor<(), FileHistory> = Editor::with_config(config)
        .map_err(|e| Error::Message(format!("cannot start line editing: {e}")))?;
    let history = history_path();
    if let Some(path) = &history {
        // A missing or unreadable history is no reason not to start.
        let _ = editor.load_history(path);
    }
    let mut buffer = ChunkBuffer::new();
    loop {
        let prompt = if buffer.is_continuing() {
            CONTINUATION_PROMPT
        } else {
            PROMPT
        };
        match editor.readline(prompt) {
            Ok(line) => {
                let Some(chunk) = buffer.push_line(line.as_bytes()) else {
                    continue;
                };
                let entry = String::from_utf8_lossy(&chunk).into_owned();
                if editor.history_mut().add(&entry).unwrap_or(false) {
                    if let Some(path) = &history {
                        let _ = editor.append_history(path);
                    }
                }
                evaluate(device, &chunk);
            }
            Err(ReadlineError::Interrupted) => buffer.clear(),
            Err(ReadlineError::Eof) => return Ok(()),
            Err(e) => return Err(Error::Message(format!("reading the terminal failed: {e}"))),
        }
    }
}
