//! Placeholder until the compiler branch lands.
use alloc::vec::Vec;

use crate::proto::Proto;
use crate::stack::StackGuard;

/// Why compilation failed.
pub enum CompileError {
    Syntax(Vec<u8>),
    Memory,
}

/// Compiles a chunk.
pub fn compile(_source: &[u8], _chunkname: &[u8], _guard: &StackGuard) -> Result<Proto, CompileError> {
    Err(CompileError::Syntax(crate::tvec::try_copy_of(b"compiler not available").unwrap_or_default()))
}
