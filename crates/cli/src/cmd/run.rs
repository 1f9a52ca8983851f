//! `lunatik run <script> [context]`: creates a runtime for a script.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::chunk::{self, Context};
use crate::cli::Global;
use crate::error::Result;

/// Run a script in a new runtime.
///
/// Calls `lunatik.runner.run`. The script is named as `require` would find it under /lib/modules/lua/, with or without
/// `.lua`; e.g. `lunatik run examples/hello`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The script's name.
    pub script: OsString,
    /// The context the runtime's hooks run in.
    #[arg(value_enum)]
    pub context: Option<Context>,
}

/// Sends `runner.run(script[, context])`.
///
/// # Errors
/// The device failing, or the runner's error (e.g. "<script> is already running").
pub fn run(args: &Args, global: &Global) -> Result {
    global.evaluate(&chunk::run(args.script.as_bytes(), args.context))?;
    Ok(())
}
