//! `lunatik list`: the running scripts.

use crate::cli::Global;
use crate::error::Result;
use crate::{chunk, messages};

/// List the running scripts.
///
/// Prints `lunatik.runner.list()`: the names, comma-separated; nothing when none runs.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Prints the runner's list.
///
/// # Errors
/// The device failing, or the runner's error.
pub fn run(_args: &Args, global: &Global) -> Result {
    let names = global.evaluate(&chunk::list())?;
    if !names.is_empty() {
        messages::out_line(&names);
    }
    Ok(())
}
