//! Whether a REPL chunk is complete, asked of the engine's compiler on the host.
//!
//! As in PUC Lua's `lua.c`, a chunk is complete if it compiles as `return <chunk>` (an
//! expression) or as itself, or if it fails for any reason other than reaching the end of
//! the source too early: only a syntax error "near <eof>" asks for another line.

use lua::stack::StackGuard;
use lua::CompileError;

/// The native stack the compiler may use for one check.
const COMPILE_STACK_BYTES: usize = 1 << 20;

/// Whether `chunk` can be sent as it is (see the module comment).
pub fn is_complete(chunk: &[u8]) -> bool {
    let mut as_expression = b"return ".to_vec();
    as_expression.extend_from_slice(chunk);
    if compiles(&as_expression) {
        return true;
    }
    let guard = StackGuard::with_budget(COMPILE_STACK_BYTES);
    match lua::compile(chunk, b"=stdin", &guard) {
        Err(CompileError::Syntax(message)) => !message.ends_with(b"<eof>"),
        Ok(_) | Err(CompileError::Memory) => true,
    }
}

fn compiles(chunk: &[u8]) -> bool {
    let guard = StackGuard::with_budget(COMPILE_STACK_BYTES);
    lua::compile(chunk, b"=stdin", &guard).is_ok()
}

/// Lines gathered until they form a complete chunk.
#[derive(Default)]
pub struct ChunkBuffer {
    pending: Vec<u8>,
}

impl ChunkBuffer {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one line (without its newline). Returns the chunk once it is complete, and
    /// empties the buffer; `None` while more lines are needed. A blank first line is
    /// skipped: it is not a request.
    pub fn push_line(&mut self, line: &[u8]) -> Option<Vec<u8>> {
        if self.pending.is_empty() && line.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        if !self.pending.is_empty() {
            self.pending.push(b'\n');
        }
        self.pending.extend_from_slice(line);
        if is_complete(&self.pending) {
            Some(std::mem::take(&mut self.pending))
        } else {
            None
        }
    }

    /// Whether lines are waiting for the rest of their chunk (the REPL then shows `>> `).
    pub fn is_continuing(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Takes what is left (at end of input: sent as it is, for the kernel to report).
    pub fn take(&mut self) -> Option<Vec<u8>> {
        if self.pending.is_empty() {
            None
        } else {
            Some(std::mem::take(&mut self.pending))
        }
    }

    /// Drops a partly typed chunk (Ctrl-C in the REPL).
    pub fn clear(&mut self) {
        self.pending.clear();
    }
}
