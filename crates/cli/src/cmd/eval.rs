//! `lunatik eval <chunk>`: evaluates one chunk in the kernel.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::cli::Global;
use crate::error::Result;
use crate::messages;

/// Evaluate a Lua chunk in the kernel.
///
/// Runs the chunk in the kernel's control runtime and prints its results, tab-separated
/// (`lunatik eval 'return 1+1'` prints 2). An expression needs no `return`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The Lua source.
    pub chunk: OsString,
}

/// Sends the chunk and prints the values of its reply.
///
/// # Errors
/// The device failing, or the chunk's error, verbatim.
pub fn run(args: &Args, global: &Global) -> Result {
    let values = global.evaluate(args.chunk.as_bytes())?;
    if !values.is_empty() {
        messages::out_line(&values);
    }
    Ok(())
}
