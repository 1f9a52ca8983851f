//! Function prototypes as the compiler produces them.
//!
//! A `Proto` is plain data with no collector references, so the compiler can run without
//! touching the heap; `load` turns the tree into collected prototypes (interning the
//! string constants) in one pass. The same plain form is what `string.dump` writes and
//! reads back.

use alloc::vec::Vec;

use crate::opcode::Instruction;
use crate::tvec::TryVec;

/// A compile-time constant.
#[derive(Debug, PartialEq)]
pub enum Constant {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Vec<u8>),
}

/// Where a closure finds an upvalue when it is created.
#[derive(Debug, PartialEq, Eq)]
pub struct UpvalDesc {
    /// Variable name, for debug information.
    pub name: Vec<u8>,
    /// True: a register of the enclosing function; false: an upvalue of it.
    pub in_stack: bool,
    /// The register or upvalue index in the enclosing function.
    pub index: u8,
    /// The variable's kind (`VarKind`), for debug information and const checks.
    pub kind: VarKind,
}

/// Kinds of variables (`VDKREG`, `RDKCONST`, ... in lparser.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    Regular,
    Const,
    ToClose,
    CompileTimeConst,
}

/// A local variable's name and the pc range where it is active.
#[derive(Debug, PartialEq, Eq)]
pub struct LocalVar {
    pub name: Vec<u8>,
    /// First instruction where the variable is active.
    pub start_pc: u32,
    /// First instruction where the variable is dead.
    pub end_pc: u32,
}

/// One compiled function.
#[derive(Debug, Default, PartialEq)]
pub struct Proto {
    /// The chunk name given to `load` (`"@file.lua"`, `"=stdin"`, or the source text).
    pub source: Vec<u8>,
    pub line_defined: u32,
    pub last_line_defined: u32,
    /// Number of fixed parameters.
    pub num_params: u8,
    pub is_vararg: bool,
    /// Registers the function needs (its frame size).
    pub max_stack: u8,
    pub code: Vec<Instruction>,
    /// Source line of each instruction (same length as `code`).
    pub lines: Vec<u32>,
    pub constants: Vec<Constant>,
    pub upvalues: Vec<UpvalDesc>,
    pub protos: Vec<Proto>,
    pub locals: Vec<LocalVar>,
}

/// Drops `protos` and every prototype nested in them, keeping the prototypes still to
/// drop on the heap: the derived drop recurses once per nesting level on the native
/// stack, and functions may nest as deeply as the parser's level limit.
pub fn drop_nested(mut protos: Vec<Proto>) {
    while let Some(mut p) = protos.pop() {
        let mut children = core::mem::take(&mut p.protos);
        drop(p);
        // Only when memory has run out does a subtree fall back on the recursive drop.
        if protos.try_reserve(children.len()).is_err() {
            continue;
        }
        while let Some(child) = children.pop() {
            let _ = protos.try_push(child); // room was reserved above
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deeply_nested_prototypes_drop_without_recursing() {
        // Far deeper than the parser allows, so a recursive drop would overflow the
        // thread's small stack.
        let dropped = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(|| {
                let mut chain = Proto::default();
                for line in 1..100_000 {
                    let mut outer = Proto {
                        line_defined: line,
                        ..Proto::default()
                    };
                    outer.protos.try_push(chain).unwrap();
                    chain = outer;
                }
                let mut protos = Vec::new();
                protos.try_push(chain).unwrap();
                drop_nested(protos);
            })
            .unwrap()
            .join();
        assert!(dropped.is_ok());
    }
}
