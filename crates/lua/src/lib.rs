//! Lua 5.5 for the Linux kernel and the host: compiler, stackless VM, collector and
//! libraries, in `no_std` + `alloc` with fallible allocation throughout.
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]

extern crate alloc;
#[cfg(test)]
extern crate std;

// Front end: source to plain prototypes.
pub mod chunkid;
pub(crate) mod code;
pub(crate) mod lex;
pub mod listing;
pub mod opcode;
pub mod parse;
pub mod proto;
pub mod undump;
pub mod verify;

// Values and the heap.
pub(crate) mod func;
pub mod gc;
pub mod lstr;
pub(crate) mod pool;
pub mod table;
pub(crate) mod thread;
pub mod userdata;
pub mod value;

// Execution.
pub mod api;
pub mod arith;
pub(crate) mod call;
pub(crate) mod collect;
pub mod debug;
pub mod dump;
pub mod embed;
pub mod error;
pub mod load;
pub mod nested;
pub mod state;
pub(crate) mod vm;

// Numbers and text.
pub mod number;
pub mod numfmt;
pub(crate) mod rng;
pub mod tostr;

// Libraries (`ioread`: the reading half of the host's and the kernel's `io`).
pub mod ioread;
pub(crate) mod lib_base;
pub(crate) mod lib_coroutine;
pub(crate) mod lib_debug;
pub(crate) mod lib_math;
pub mod lib_package;
pub(crate) mod lib_strarith;
pub(crate) mod lib_string;
pub(crate) mod lib_table;
pub(crate) mod lib_utf8;

// Support.
pub mod stack;
pub mod tvec;

pub use api::{Ctx, NativeFn, Ret};
pub use error::{Error, LuaResult};
pub use load::Mode;
pub use parse::{compile, CompileError};
pub use state::{Config, FuelAction, Host, Lua, NoHost};
pub use value::{Type, Value};
