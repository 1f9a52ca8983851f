//! `lunatik spawn <script> [context]`: runs a script in a kernel thread.

use std::os::unix::ffi::OsStrExt;

use crate::chunk;
use crate::cli::Global;
use crate::error::Result;
use crate::script::Script;

/// Run a script in a new kernel thread.
///
/// Calls `lunatik.runner.spawn`: runs the script in a new runtime, then the function it
/// returns in a new kernel thread. The runtime must be a process one, and the runner
/// refuses `percpu`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub target: Script,
}

/// Sends `runner.spawn(script[, context[, percpu]])`.
///
/// # Errors
/// The device failing, or the runner's error.
pub fn run(args: &Args, global: &Global) -> Result {
    let target = &args.target;
    global.command(&chunk::spawn(target.script.as_bytes(), target.options()))?;
    Ok(())
}
