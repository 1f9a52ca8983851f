//! `lunatik stop <script>`: stops a script.

use std::os::unix::ffi::OsStrExt;

use crate::chunk;
use crate::cli::Global;
use crate::error::Result;
use crate::script::Script;

/// Stop a script.
///
/// Calls `lunatik.runner.stop`: stops the script's thread, if any, and its runtime or its
/// per-CPU runtimes. A context or `percpu` after the name is accepted, as C Lunatik's CLI
/// does, and changes nothing.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub target: Script,
}

/// Sends `runner.stop(script)`.
///
/// # Errors
/// The device failing, or the runner's error.
pub fn run(args: &Args, global: &Global) -> Result {
    global.command(&chunk::stop(args.target.script.as_bytes()))?;
    Ok(())
}
