//! Placeholder until the compiler branch lands: `luaO_chunkid`.
use alloc::vec::Vec;

use crate::tvec::{AllocError, TryVec};

/// Appends the printable name of a chunk source.
pub fn chunk_id(source: &[u8], out: &mut Vec<u8>) -> Result<(), AllocError> {
    match source.split_first() {
        Some((b'=' | b'@', rest)) => out.try_extend_from_slice(rest),
        _ => {
            out.try_extend_from_slice(b"[string \"")?;
            let line = source.split(|&c| c == b'\n').next().unwrap_or(&[]);
            out.try_extend_from_slice(line.get(..45).unwrap_or(line))?;
            if line.len() < source.len() || line.len() > 45 {
                out.try_extend_from_slice(b"...")?;
            }
            out.try_extend_from_slice(b"\"]")
        }
    }
}
