//! `lunatik stop <script>`: stops a script.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::chunk;
use crate::cli::Global;
use crate::error::Result;

/// Stop a script.
///
/// Calls `lunatik.runner.stop`: stops the script's thread, if any, and its runtime.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The script's name.
    pub script: OsString,
}

/// Sends `runner.stop(script)`.
///
/// # Errors
/// The device failing, or the runner's error.
pub fn run(args: &Args, global: &Global) -> Result {
    global.evaluate(&chunk::stop(args.script.as_bytes()))?;
    Ok(())
}
