//! Lua 5.5 for the Linux kernel and the host: compiler, stackless VM, collector and
//! libraries, in `no_std` + `alloc` with fallible allocation throughout.
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod chunkid;
pub(crate) mod code;
pub(crate) mod lex;
pub mod listing;
pub mod number;
pub mod opcode;
pub mod parse;
pub mod proto;
pub mod stack;
pub mod tvec;

pub use parse::{compile, CompileError};
