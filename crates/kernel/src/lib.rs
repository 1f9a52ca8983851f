//! The kernel half of lunatik-rs: a `no_std` staticlib linked into `lunatik.ko` with the C
//! shim in `kmod/`. The shim owns everything that must be C (module init, file operations,
//! inline kernel functions); this crate owns all decisions. See README.md.
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]

extern crate alloc as rust_alloc;

// First: the logging macros are visible only to the modules declared after it.
#[macro_use]
pub mod print;

pub mod alloc;
mod capi;
mod class;
mod context;
mod control;
mod defer;
pub mod error;
mod ffi;
mod file;
mod lend;
mod module;
mod modules;
mod object;
mod panic;
mod refcount;
mod require;
mod runtime;
mod shared;
pub mod stack;
mod stats;
pub mod sync;
mod user;
mod waits;
mod worker;

pub use error::{Error, Result};
