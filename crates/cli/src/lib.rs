//! The `lunatik` command: loads lunatik.ko, manages scripts through the kernel's
//! `lunatik.runner`, runs KTAP suites, and evaluates Lua in the kernel from a REPL.
//!
//! The binary (`src/main.rs`) only calls [`main`]; the modules are public so that the
//! crate's tests can reach them.

pub mod chunk;
pub mod cli;
pub mod cmd;
pub mod complete;
pub mod error;
pub mod ktap;
pub mod messages;
pub mod module;
pub mod protocol;
pub mod script;
pub mod stats;

pub use cli::{main, Cli, Command, Global};
