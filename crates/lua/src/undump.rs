//! Reading binary chunks (the format `dump.rs` writes) back into a plain `Proto` tree.
//!
//! The input is untrusted. Every count is checked against the bytes left before
//! anything is reserved (each element takes at least one byte, most more), so memory
//! stays proportional to the chunk's length; every allocation is fallible. Nested
//! functions are read with the prototypes on the path from the root kept on the heap
//! (no native recursion), up to `MAX_DEPTH` levels, and a partly read tree is dropped
//! with `proto::drop_nested`. Nothing here judges the bytecode itself: `verify.rs` does.

use alloc::vec::Vec;

use crate::dump::{tag, CHECK_FLOAT, CHECK_INT, DATA, FORMAT, SIGNATURE, VERSION};
use crate::opcode::Instruction;
use crate::proto::{Constant, LocalVar, Proto, UpvalDesc, VarKind};
use crate::tvec::{AllocError, TryVec};

/// Deepest nesting of functions in a binary chunk (as `LUAI_MAXCCALLS` bounds the
/// compiler's).
pub const MAX_DEPTH: usize = 200;

/// Why a chunk was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum UndumpError {
    Memory,
    /// `bad binary format (<why>)`.
    Format(&'static str),
}

impl From<AllocError> for UndumpError {
    fn from(_: AllocError) -> Self {
        UndumpError::Memory
    }
}

type UResult<T> = Result<T, UndumpError>;

/// The main function of a binary chunk and the number of upvalues it was dumped with.
///
/// # Errors
/// `Format` for anything malformed (`"truncated chunk"` when the input ends early),
/// `Memory` when an allocation fails.
pub fn undump(chunk: &[u8]) -> UResult<(Proto, usize)> {
    let mut r = Reader { rest: chunk };
    r.header()?;
    let nupvals = r.byte()? as usize;
    let mut p = r.tree()?;
    if !r.rest.is_empty() {
        crate::proto::drop_nested(core::mem::take(&mut p.protos));
        return Err(UndumpError::Format("extra bytes after the chunk"));
    }
    if nupvals != p.upvalues.len() {
        return Err(UndumpError::Format("corrupted chunk"));
    }
    if p.source.is_empty() {
        // Stripped: PUC names such functions `=?`.
        p.source.try_extend_from_slice(b"=?")?;
    }
    Ok((p, nupvals))
}

struct Reader<'a> {
    rest: &'a [u8],
}

/// A prototype whose nested functions are being read: its fields so far, and how many
/// children are still to come after those already in `p.protos`.
struct Open {
    p: Proto,
    children_left: usize,
}

const TRUNCATED: UndumpError = UndumpError::Format("truncated chunk");

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> UResult<&'a [u8]> {
        let (head, tail) = self.rest.split_at_checked(n).ok_or(TRUNCATED)?;
        self.rest = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> UResult<[u8; N]> {
        self.take(N)?.try_into().map_err(|_| TRUNCATED)
    }

    fn byte(&mut self) -> UResult<u8> {
        let [b] = self.array::<1>()?;
        Ok(b)
    }

    fn flag(&mut self) -> UResult<bool> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(UndumpError::Format("corrupted chunk")),
        }
    }

    fn varint(&mut self, limit: u64) -> UResult<u64> {
        let mut n: u64 = 0;
        let mut shift = 0u32;
        loop {
            let b = self.byte()?;
            let group = (b & 0x7f) as u64;
            if shift >= 64 || (shift > 0 && group >> (64 - shift) != 0) {
                return Err(UndumpError::Format("integer overflow"));
            }
            n |= group << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        if n > limit {
            return Err(UndumpError::Format("integer overflow"));
        }
        Ok(n)
    }

    fn u32(&mut self) -> UResult<u32> {
        Ok(self.varint(u32::MAX as u64)? as u32)
    }

    /// An element count, where each element takes at least `min_bytes` of the input.
    fn count(&mut self, min_bytes: usize) -> UResult<usize> {
        let n = self.varint(u32::MAX as u64)? as usize;
        if n > self.rest.len() / min_bytes.max(1) {
            return Err(TRUNCATED);
        }
        Ok(n)
    }

    fn vec_for<T>(&mut self, n: usize) -> UResult<Vec<T>> {
        let mut v = Vec::new();
        v.try_reserve_exact(n).map_err(|_| UndumpError::Memory)?;
        Ok(v)
    }

    fn string(&mut self) -> UResult<Option<Vec<u8>>> {
        let n = self.varint(u32::MAX as u64)? as usize;
        if n == 0 {
            return Ok(None);
        }
        let bytes = self.take(n - 1)?;
        Ok(Some(crate::tvec::try_copy_of(bytes)?))
    }

    fn header(&mut self) -> UResult<()> {
        let bad = |why| Err(UndumpError::Format(why));
        // `load` only calls this on input starting with the signature; keep the check
        // for direct callers.
        if self.take(SIGNATURE.len()).ok() != Some(SIGNATURE) {
            return bad("not a binary chunk");
        }
        if self.byte()? != VERSION {
            return bad("version mismatch");
        }
        if self.byte()? != FORMAT {
            return bad("format mismatch");
        }
        if self.take(DATA.len())? != DATA {
            return bad("corrupted chunk");
        }
        if self.byte()? != 4 {
            return bad("Instruction size mismatch");
        }
        if self.byte()? != 8 {
            return bad("lua_Integer size mismatch");
        }
        if self.byte()? != 8 {
            return bad("lua_Number size mismatch");
        }
        if i64::from_ne_bytes(self.array()?) != CHECK_INT {
            return bad("integer format mismatch");
        }
        if f64::from_ne_bytes(self.array()?) != CHECK_FLOAT {
            return bad("float format mismatch");
        }
        Ok(())
    }

    /// Reads the main function and everything nested in it, depth first.
    fn tree(&mut self) -> UResult<Proto> {
        let mut open: Vec<Open> = Vec::new();
        let r = self.read_tree(&mut open);
        for o in open {
            crate::proto::drop_nested(o.p.protos);
        }
        r
    }

    fn read_tree(&mut self, open: &mut Vec<Open>) -> UResult<Proto> {
        let mut next = true; // a prototype starts here
        loop {
            if next {
                if open.len() >= MAX_DEPTH {
                    return Err(UndumpError::Format("functions nested too deeply"));
                }
                let o = self.proto_head()?;
                open.try_push(o)?;
            }
            let Some(top) = open.last_mut() else {
                return Err(UndumpError::Format("corrupted chunk"));
            };
            if top.children_left > 0 {
                top.children_left -= 1;
                next = true;
                continue;
            }
            next = false;
            let Some(Open { mut p, .. }) = open.pop() else {
                return Err(UndumpError::Format("corrupted chunk"));
            };
            if let Err(e) = self.proto_tail(&mut p) {
                crate::proto::drop_nested(core::mem::take(&mut p.protos));
                return Err(e);
            }
            match open.last_mut() {
                None => return Ok(p),
                // Room was reserved for every announced child: this does not allocate.
                Some(parent) => parent.p.protos.try_push(p)?,
            }
        }
    }

    /// A prototype's fields before its nested functions, and how many of those follow.
    fn proto_head(&mut self) -> UResult<Open> {
        let source = self.string()?.unwrap_or_default();
        let line_defined = self.u32()?;
        let last_line_defined = self.u32()?;
        let num_params = self.byte()?;
        let is_vararg = self.flag()?;
        let max_stack = self.byte()?;

        let n = self.count(4)?;
        let mut code: Vec<Instruction> = self.vec_for(n)?;
        for _ in 0..n {
            code.try_push(Instruction::from_ne_bytes(self.array()?))?;
        }

        let n = self.count(1)?;
        let mut constants = self.vec_for(n)?;
        for _ in 0..n {
            let k = match self.byte()? {
                tag::NIL => Constant::Nil,
                tag::FALSE => Constant::Bool(false),
                tag::TRUE => Constant::Bool(true),
                tag::INT => Constant::Int(i64::from_ne_bytes(self.array()?)),
                tag::FLOAT => Constant::Float(f64::from_ne_bytes(self.array()?)),
                tag::STR => match self.string()? {
                    Some(s) => Constant::Str(s),
                    None => return Err(UndumpError::Format("corrupted chunk")),
                },
                _ => return Err(UndumpError::Format("bad constant")),
            };
            constants.try_push(k)?;
        }

        let n = self.count(3)?;
        let mut upvalues = self.vec_for(n)?;
        for _ in 0..n {
            let in_stack = self.flag()?;
            let index = self.byte()?;
            let kind = match self.byte()? {
                0 => VarKind::Regular,
                1 => VarKind::Const,
                2 => VarKind::ToClose,
                3 => VarKind::CompileTimeConst,
                _ => return Err(UndumpError::Format("corrupted chunk")),
            };
            upvalues.try_push(UpvalDesc {
                name: Vec::new(),
                in_stack,
                index,
                kind,
            })?;
        }

        // A proto takes at least 12 bytes (three empty strings/counts, six fields, ...).
        let n = self.count(12)?;
        let protos = self.vec_for(n)?;
        Ok(Open {
            p: Proto {
                source,
                line_defined,
                last_line_defined,
                num_params,
                is_vararg,
                max_stack,
                code,
                lines: Vec::new(),
                constants,
                upvalues,
                protos,
                locals: Vec::new(),
            },
            children_left: n,
        })
    }

    /// A prototype's fields after its nested functions: debug information.
    fn proto_tail(&mut self, p: &mut Proto) -> UResult<()> {
        let n = self.count(1)?;
        let mut lines = self.vec_for(n)?;
        for _ in 0..n {
            lines.try_push(self.u32()?)?;
        }

        let n = self.count(3)?;
        let mut locals = self.vec_for(n)?;
        for _ in 0..n {
            let name = self.string()?.unwrap_or_default();
            let start_pc = self.u32()?;
            let end_pc = self.u32()?;
            locals.try_push(LocalVar {
                name,
                start_pc,
                end_pc,
            })?;
        }

        let n = self.count(1)?;
        if n != 0 && n != p.upvalues.len() {
            return Err(UndumpError::Format("corrupted chunk"));
        }
        for u in p.upvalues.iter_mut().take(n) {
            u.name = self.string()?.unwrap_or_default();
        }
        p.lines = lines;
        p.locals = locals;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(bytes: &[u8]) -> Reader<'_> {
        Reader { rest: bytes }
    }

    #[test]
    fn varints_past_64_bits_are_overflow_not_a_panic() {
        let long = [0xffu8; 11];
        assert_eq!(
            reader(&long).varint(u64::MAX),
            Err(UndumpError::Format("integer overflow"))
        );
        let mut max = [0xffu8; 10];
        max[9] = 0x01;
        assert_eq!(reader(&max).varint(u64::MAX), Ok(u64::MAX));
        max[9] = 0x02;
        assert_eq!(
            reader(&max).varint(u64::MAX),
            Err(UndumpError::Format("integer overflow"))
        );
    }

    #[test]
    fn varints_above_their_limit_are_refused() {
        assert_eq!(
            reader(&[0x80, 0x80, 0x80, 0x80, 0x10]).u32(),
            Err(UndumpError::Format("integer overflow"))
        );
        assert_eq!(reader(&[0xff, 0xff, 0xff, 0xff, 0x0f]).u32(), Ok(u32::MAX));
    }

    #[test]
    fn counts_are_bounded_by_the_bytes_left() {
        // 5 elements of at least 4 bytes each, with 8 bytes left.
        let bytes = [5u8, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(reader(&bytes).count(4), Err(TRUNCATED));
        assert_eq!(reader(&bytes).count(1), Ok(5));
    }

    #[test]
    fn strings_longer_than_the_input_are_truncation() {
        assert_eq!(reader(&[10, b'a']).string(), Err(TRUNCATED));
        assert_eq!(reader(&[0]).string(), Ok(None));
        assert_eq!(reader(&[2, b'a']).string(), Ok(Some(b"a".to_vec())));
    }
}
