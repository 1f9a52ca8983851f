//! `string.dump`: writes a function's prototype tree as a binary chunk.
//!
//! The format is this engine's own (PUC's `luac` output is refused by its format byte).
//! All multi-byte numbers other than sizes are in the writer's native byte order, and
//! the header carries check values so a reader with another order or other sizes
//! refuses the chunk, as PUC's does:
//!
//! ```text
//! header:  "\x1bLua"  version 0x55  format 0x52  "\x19\x93\r\n\x1a\n"
//!          sizeof(Instruction)=4  sizeof(integer)=8  sizeof(float)=8
//!          integer 0x5678  float 370.5  number of upvalues of the main function (byte)
//! proto:   source (string; absent when stripped, and in children: they inherit it)
//!          line_defined last_line_defined (varint)  num_params is_vararg max_stack (byte)
//!          code: n (varint), n instructions (4 bytes each)
//!          constants: n, each a tag byte (0 nil, 1 false, 2 true, 3 integer, 4 float,
//!                     5 string) and its payload (8 bytes, or a string)
//!          upvalues: n, each in_stack index kind (bytes)
//!          protos: n, each a proto
//!          lines: n (0 when stripped), each a varint
//!          locals: n, each name (string) start_pc end_pc (varints)
//!          upvalue names: n, each a string
//! string:  varint size + 1 (0: absent), then the bytes
//! varint:  LEB128 (7 bits a byte, low group first, high bit set on all but the last)
//! ```
//!
//! `undump.rs` reads it back and `verify.rs` checks what it read.

use alloc::vec::Vec;

use crate::func::FnProto;
use crate::tvec::{AllocError, TryVec};
use crate::value::Value;

/// Binary chunk signature.
pub const SIGNATURE: &[u8] = b"\x1bLua";
/// Lua 5.5.
pub const VERSION: u8 = 0x55;
/// This engine's format (PUC's official format is 0).
pub const FORMAT: u8 = 0x52;
/// Catches text-mode conversions of the chunk (as `LUAC_DATA`).
pub const DATA: &[u8] = b"\x19\x93\r\n\x1a\n";
/// Integer check value (byte order and representation).
pub const CHECK_INT: i64 = 0x5678;
/// Float check value.
pub const CHECK_FLOAT: f64 = 370.5;

/// Constant tags.
pub(crate) mod tag {
    pub const NIL: u8 = 0;
    pub const FALSE: u8 = 1;
    pub const TRUE: u8 = 2;
    pub const INT: u8 = 3;
    pub const FLOAT: u8 = 4;
    pub const STR: u8 = 5;
}

/// A dump failed: memory ran out.
#[derive(Debug, PartialEq, Eq)]
pub struct DumpError;

impl From<AllocError> for DumpError {
    fn from(_: AllocError) -> Self {
        DumpError
    }
}

/// Appends the binary chunk of `p` (the main function, with `nupvals` upvalues) to
/// `out`; `strip` leaves out the debug information.
///
/// # Errors
/// `DumpError` when memory runs out.
pub fn dump(p: &FnProto, nupvals: usize, strip: bool, out: &mut Vec<u8>) -> Result<(), DumpError> {
    let mut w = Writer { out, strip };
    w.header(nupvals)?;
    w.tree(p)
}

struct Writer<'a> {
    out: &'a mut Vec<u8>,
    strip: bool,
}

impl Writer<'_> {
    fn bytes(&mut self, b: &[u8]) -> Result<(), DumpError> {
        Ok(self.out.try_extend_from_slice(b)?)
    }

    fn byte(&mut self, b: u8) -> Result<(), DumpError> {
        Ok(self.out.try_push(b)?)
    }

    fn varint(&mut self, mut n: u64) -> Result<(), DumpError> {
        loop {
            let low = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                return self.byte(low);
            }
            self.byte(low | 0x80)?;
        }
    }

    fn string(&mut self, s: Option<&[u8]>) -> Result<(), DumpError> {
        match s {
            None => self.varint(0),
            Some(s) => {
                self.varint(s.len() as u64 + 1)?;
                self.bytes(s)
            }
        }
    }

    fn header(&mut self, nupvals: usize) -> Result<(), DumpError> {
        self.bytes(SIGNATURE)?;
        self.byte(VERSION)?;
        self.byte(FORMAT)?;
        self.bytes(DATA)?;
        self.bytes(&[4, 8, 8])?;
        self.bytes(&CHECK_INT.to_ne_bytes())?;
        self.bytes(&CHECK_FLOAT.to_ne_bytes())?;
        // The count fits: `verify` allows at most 255 upvalues and a closure has
        // exactly as many as its prototype declares.
        self.byte(nupvals.min(crate::verify::MAX_UPVALUES) as u8)
    }

    /// Writes `main` and its nested functions depth first, with the prototypes on the
    /// path from `main` (and how many of their children are written) on the heap.
    fn tree(&mut self, main: &FnProto) -> Result<(), DumpError> {
        self.proto_head(main, true)?;
        let mut path: Vec<(&FnProto, usize)> = Vec::new();
        path.try_push((main, 0))?;
        while let Some(&mut (p, ref mut next)) = path.last_mut() {
            match p.protos.get(*next) {
                Some(child) => {
                    *next += 1;
                    self.proto_head(child, false)?;
                    path.try_push((child, 0))?;
                }
                None => {
                    self.proto_tail(p)?;
                    path.pop();
                }
            }
        }
        Ok(())
    }

    /// A prototype's fields up to the count of its nested functions.
    fn proto_head(&mut self, p: &FnProto, main: bool) -> Result<(), DumpError> {
        let source = if main && !self.strip {
            Some(p.source.as_bytes())
        } else {
            None
        };
        self.string(source)?;
        self.varint(p.line_defined as u64)?;
        self.varint(p.last_line_defined as u64)?;
        self.bytes(&[p.num_params, p.is_vararg as u8, p.max_stack])?;
        self.varint(p.code.len() as u64)?;
        for &i in p.code.iter() {
            self.bytes(&i.to_ne_bytes())?;
        }
        self.varint(p.constants.len() as u64)?;
        for k in p.constants.iter() {
            match *k {
                Value::Bool(false) => self.byte(tag::FALSE)?,
                Value::Bool(true) => self.byte(tag::TRUE)?,
                Value::Int(n) => {
                    self.byte(tag::INT)?;
                    self.bytes(&n.to_ne_bytes())?;
                }
                Value::Float(f) => {
                    self.byte(tag::FLOAT)?;
                    self.bytes(&f.to_ne_bytes())?;
                }
                Value::Str(s) => {
                    self.byte(tag::STR)?;
                    self.string(Some(s.as_bytes()))?;
                }
                // Constants are only ever nil, booleans, numbers and strings.
                _ => self.byte(tag::NIL)?,
            }
        }
        self.varint(p.upvals.len() as u64)?;
        for u in p.upvals.iter() {
            // The kind only matters to the compiler; a loaded upvalue is regular.
            self.bytes(&[u.in_stack as u8, u.index, 0])?;
        }
        self.varint(p.protos.len() as u64)
    }

    /// A prototype's fields after its nested functions: debug information.
    fn proto_tail(&mut self, p: &FnProto) -> Result<(), DumpError> {
        if self.strip {
            return self.bytes(&[0, 0, 0]);
        }
        self.varint(p.lines.len() as u64)?;
        for &l in p.lines.iter() {
            self.varint(l as u64)?;
        }
        self.varint(p.locals.len() as u64)?;
        for l in p.locals.iter() {
            self.string(Some(&l.name))?;
            self.varint(l.start_pc as u64)?;
            self.varint(l.end_pc as u64)?;
        }
        self.varint(p.upval_names.len() as u64)?;
        for n in p.upval_names.iter() {
            self.string(Some(n))?;
        }
        Ok(())
    }
}
