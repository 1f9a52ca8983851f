//! `lunatik run <script> [context] [percpu]`: creates a runtime for a script.

use std::os::unix::ffi::OsStrExt;

use crate::chunk;
use crate::cli::Global;
use crate::error::Result;
use crate::script::Script;

/// Run a script in a new runtime (or one per CPU).
///
/// Calls `lunatik.runner.run`, e.g. `lunatik run examples/hello` or
/// `lunatik run examples/filter softirq percpu`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub target: Script,
}

/// Sends `runner.run(script[, context[, percpu]])`.
///
/// # Errors
/// The device failing, or the runner's error (e.g. "<script> is already running").
pub fn run(args: &Args, global: &Global) -> Result {
    let target = &args.target;
    global.command(&chunk::run(target.script.as_bytes(), target.options()))?;
    Ok(())
}
