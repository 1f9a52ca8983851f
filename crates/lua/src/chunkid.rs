//! Chunk names as they appear in messages (`luaO_chunkid`): `"=name"` prints as `name`,
//! `"@file"` as `file` (keeping the end of a long path behind `...`), and anything else
//! is source text, shown as `[string "first line..."]`.

use alloc::vec::Vec;

use crate::tvec::{AllocError, TryVec};

/// Room for a chunk id, terminating zero included, as C Lua counts it (`LUA_IDSIZE`).
pub const ID_SIZE: usize = 60;

const ELLIPSIS: &[u8] = b"...";
const PREFIX: &[u8] = b"[string \"";
const SUFFIX: &[u8] = b"\"]";

/// Appends the printable form of `source` to `out`.
///
/// C Lua builds the id as a C string, so it ends at the first zero byte of the name;
/// we cut there too to print the same text.
///
/// # Errors
/// `AllocError` when `out` cannot grow.
pub fn push_chunk_id(out: &mut Vec<u8>, source: &[u8]) -> Result<(), AllocError> {
    // `srclen` in C counts the leading mark; the copies below include the '\0' that
    // follows the name, which is why "fits" is `len <= ID_SIZE` with the mark counted.
    let start = out.len();
    match source.split_first() {
        Some((b'=', name)) => {
            let keep = if source.len() <= ID_SIZE { name.len() } else { ID_SIZE - 1 };
            out.try_extend_from_slice(name.get(..keep).unwrap_or(name))?;
        }
        Some((b'@', name)) => {
            if source.len() <= ID_SIZE {
                out.try_extend_from_slice(name)?;
            } else {
                // Keep the tail: `ID_SIZE - 3` bytes, the last of which is C's '\0'.
                let keep = ID_SIZE - ELLIPSIS.len() - 1;
                out.try_extend_from_slice(ELLIPSIS)?;
                out.try_extend_from_slice(name.get(name.len() - keep..).unwrap_or(name))?;
            }
        }
        _ => {
            // C stops at a zero byte when it looks for the newline.
            let text = match source.iter().position(|&c| c == 0) {
                Some(z) => source.get(..z).unwrap_or(source),
                None => source,
            };
            let room = ID_SIZE - (PREFIX.len() + ELLIPSIS.len() + SUFFIX.len()) - 1;
            let newline = text.iter().position(|&c| c == b'\n');
            out.try_extend_from_slice(PREFIX)?;
            if source.len() < room && newline.is_none() {
                out.try_extend_from_slice(text)?;
            } else {
                let mut len = newline.unwrap_or(source.len());
                if len > room {
                    len = room;
                }
                out.try_extend_from_slice(source.get(..len).unwrap_or(source))?;
                out.try_extend_from_slice(ELLIPSIS)?;
            }
            out.try_extend_from_slice(SUFFIX)?;
        }
    }
    if let Some(z) = out.get(start..).and_then(|s| s.iter().position(|&c| c == 0)) {
        out.truncate(start + z);
    }
    Ok(())
}

/// The printable form of `source` as a new vector.
///
/// # Errors
/// `AllocError` when the vector cannot be allocated.
pub fn chunk_id(source: &[u8]) -> Result<Vec<u8>, AllocError> {
    let mut out = Vec::new();
    push_chunk_id(&mut out, source)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_ids_follow_luao_chunkid() {
        assert_eq!(chunk_id(b"=stdin").unwrap(), b"stdin");
        assert_eq!(chunk_id(b"@t.lua").unwrap(), b"t.lua");
        assert_eq!(chunk_id(b"x = = 1").unwrap(), b"[string \"x = = 1\"]");
        assert_eq!(chunk_id(b"a\nb").unwrap(), b"[string \"a...\"]");
        let long = [b'a'; 100];
        let mut at = alloc::vec![b'@'];
        at.extend_from_slice(&long);
        assert_eq!(chunk_id(&at).unwrap().len(), 59);
        assert!(chunk_id(&at).unwrap().starts_with(b"..."));
        let mut eq = alloc::vec![b'='];
        eq.extend_from_slice(&long);
        assert_eq!(chunk_id(&eq).unwrap().len(), 59);
        assert_eq!(chunk_id(&long).unwrap().len(), 9 + 45 + 3 + 2);
    }
}
