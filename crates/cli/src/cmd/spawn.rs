//! `lunatik spawn <script>`: runs a script in a kernel thread.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::chunk;
use crate::cli::Global;
use crate::error::Result;

/// Run a script in a new kernel thread.
///
/// Calls `lunatik.runner.spawn`: runs the script in a new runtime, then the function it
/// returns in a new kernel thread.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The script's name.
    pub script: OsString,
}

/// Sends `runner.spawn(script)`.
///
/// # Errors
/// The device failing, or the runner's error.
pub fn run(args: &Args, global: &Global) -> Result {
    global.evaluate(&chunk::spawn(args.script.as_bytes()))?;
    Ok(())
}
